// The import graph of src/: no circle at run time, and every import points down the layers of the
// house (cli above io/data above diagnostics above models/callbacks ... above core), or stays inside
// its own row. Type-only imports (`import type`) vanish from the emitted JavaScript, so they may point
// across (fit.ts names the Sequential type that calls it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

/** The rows of the house, bottom first; folders of one row may import each other. */
const LAYERS: readonly (readonly string[])[] = [
  ['core'],
  ['kernels'],
  ['autodiff'],
  ['ops'],
  ['initializers', 'activations', 'losses', 'metrics', 'regularizers', 'constraints'],
  ['layers'],
  ['optimizers'],
  ['models', 'callbacks'],
  ['diagnostics'],
  ['io', 'data'],
  ['playground'],
  ['cli'],
];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'build' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative imports of each file that exist at run time (not `import type` / `export type`). */
function runtimeGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const statement = /(?:^|\n)\s*(import|export)(\s+type\b)?[^'";]*?from\s+['"](\.[^'"]+)['"]|(?:^|\n)\s*import\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const file of sources(SRC)) {
    const deps: string[] = [];
    for (const m of readFileSync(file, 'utf8').matchAll(statement)) {
      if (m[2] !== undefined) continue; // type-only
      const spec = m[3] ?? m[4] ?? m[5];
      deps.push(normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
    }
    graph.set(file, deps);
  }
  return graph;
}

const rel = (f: string): string => relative(SRC, f).split(sep).join('/');

test('src/ has no import circle at run time', () => {
  const graph = runtimeGraph();
  assert.ok(graph.size > 100, `read ${graph.size} files`);
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  // Iterative DFS (no recursion): a dependency still open on the stack closes a circle.
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack: { file: string; next: number }[] = [{ file: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const deps = graph.get(top.file) ?? [];
      if (top.next >= deps.length) {
        state.set(top.file, 'done');
        stack.pop();
        continue;
      }
      const dep = deps[top.next++];
      if (!graph.has(dep)) continue;
      if (state.get(dep) === 'open') {
        const from = stack.findIndex((s) => s.file === dep);
        cycles.push([...stack.slice(from).map((s) => rel(s.file)), rel(dep)].join(' -> '));
      } else if (!state.has(dep)) {
        state.set(dep, 'open');
        stack.push({ file: dep, next: 0 });
      }
    }
  }
  assert.deepEqual(cycles, [], 'move the helpers both sides need down into a module of their own');
});

test('imports point down the layers of the house (or within their own row)', () => {
  const row = (file: string): number | null => {
    const parts = rel(file).split('/');
    return parts.length === 1 ? null : LAYERS.findIndex((r) => r.includes(parts[0]));
  };
  const upward: string[] = [];
  for (const [file, deps] of runtimeGraph()) {
    const from = row(file);
    if (from === null) continue; // src/index.ts and src/index.node.ts gather everything
    assert.notEqual(from, -1, `${rel(file)}: a folder missing from LAYERS`);
    for (const dep of deps) {
      const to = row(dep);
      if (to !== null && to > from) upward.push(`${rel(file)} -> ${rel(dep)}`);
    }
  }
  assert.deepEqual(upward, []);
});
