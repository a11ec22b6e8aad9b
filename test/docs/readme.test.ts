// Runs every ```ts snippet of README.md as a user would (each in its own Node process, importing
// 'deepwell' from this checkout) and checks every `console.log(...); // => expected` line against
// what the snippet printed, so the documentation cannot drift from the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// The package's Node entry point (package.json exports, condition 'node'), as `import 'deepwell'` resolves in Node.
const INDEX = join(ROOT, 'dist/src/index.node.js');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

test('README has TypeScript snippets to run', () => {
  assert.ok(snippets.length >= 4, `found ${snippets.length}`);
});

snippets.forEach((code, i) => {
  const firstLine = code.split('\n').find((l) => l.trim() !== '' && !l.startsWith('import')) ?? '';
  test(`README snippet ${i + 1} runs and prints what it says: ${firstLine.slice(0, 60)}`, { timeout: 240_000 }, () => {
    const expected = [...code.matchAll(/console\.log\(.*\);\s*\/\/ => (.*)$/gm)].map((m) => m[1].trim());
    const dir = mkdtempSync(join(tmpdir(), 'deepwell-readme-'));
    const file = join(dir, `snippet${i + 1}.mjs`);
    writeFileSync(file, code.replaceAll("from 'deepwell'", `from ${JSON.stringify(INDEX)}`));
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 230_000 });
    assert.equal(r.status, 0, `snippet ${i + 1} failed:\n${r.stderr}`);
    if (expected.length > 0) {
      const printed = r.stdout.trim().split('\n').map((l) => l.trim());
      assert.deepEqual(printed, expected);
    }
  });
});
