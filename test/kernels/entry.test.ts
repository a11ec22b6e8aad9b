// The package's entry points: in Node, `import 'deepwell'` resolves (package.json conditional
// export "node") to src/index.node.ts, which registers the native kernels; the default entry
// (src/index.ts, what a browser bundler takes) does not, and the kernel registry it loads has no
// Node import.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadNativeAddon } from '../../src/kernels/native/index.node.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function run(script: string): string {
  const env = { ...process.env, NODE_OPTIONS: '', DEEPWELL_KERNELS: '' };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

it("import 'deepwell' in Node registers the native backend and runs on it when the addon is built", () => {
  const out = JSON.parse(run(`import { backendInfo } from 'deepwell';
    const i = backendInfo(); console.log(JSON.stringify({ backend: i.backend, names: i.backends.map((b) => b.name) }));`)) as
    { backend: string; names: string[] };
  assert.ok(out.names.includes('native'), `backends: ${out.names}`);
  assert.equal(out.backend, loadNativeAddon().addon === undefined ? 'wasm' : 'native');
});

it('the default entry (dist/src/index.js) does not register native; the registry and env reader import nothing from Node', () => {
  const out = run(`import { backendInfo } from './dist/src/index.js';
    console.log(backendInfo().backends.map((b) => b.name).join(','));`);
  assert.equal(out, 'wasm,ts');
  for (const file of ['dist/src/kernels/registry.js', 'dist/src/core/kernels_env.js', 'dist/src/kernels/ts/dense.js', 'dist/src/kernels/ts/optimizers.js']) {
    const text = readFileSync(`${root}${file}`, 'utf8');
    assert.doesNotMatch(text, /from 'node:|\bprocess\.|require\(/, file);
  }
});

it('a DEEPWELL_KERNELS value that names no backend warns once on stderr, with the nearest name; the run goes on', () => {
  const env = { ...process.env, NODE_OPTIONS: '', DEEPWELL_KERNELS: 'nativ' };
  const script = `import { Sequential, layers, tensor } from 'deepwell';
    const m = new Sequential([new layers.Dense(2, { inputShape: [2] })]);
    m.predict(tensor([[1, 2]])); m.predict(tensor([[3, 4]]));
    console.log('ran');`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'ran');
  const warnings = r.stderr.split('\n').filter((l) => l.includes('DEEPWELL_KERNELS=nativ names no kernel backend'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0], /known: native, wasm, ts; did you mean 'native'\?\); using the fastest backend that runs/);
});
