// The browser-clean core: the TypeScript project tsconfig.browser.json compiles src/ without Node's
// types (lib ES2022 + DOM, "types": []) and without the Node-only files (*.node.ts, cli/, the native
// kernels), so a `node:` import, `process`, `Buffer` or `setImmediate` reachable from the
// browser entry (src/index.ts) is a compile error here. And the WebAssembly GEMM the core embeds
// (src/kernels/wasm/gemm_wasm_bytes.ts) is byte for byte the build/gemm.wasm that `npm run build:wasm` made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GEMM_WASM_BYTES } from '../../src/kernels/wasm/gemm_wasm_bytes.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

test('the core compiles without Node types (tsconfig.browser.json)', { timeout: 180_000 }, () => {
  const tsc = `${ROOT}node_modules/typescript/bin/tsc`;
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.browser.json'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc -p tsconfig.browser.json failed:\n${r.stdout}${r.stderr}`);
});

test('the browser project covers the data parsers and the browser model store, and no Node-only file', { timeout: 180_000 }, () => {
  const tsc = `${ROOT}node_modules/typescript/bin/tsc`;
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.browser.json', '--listFilesOnly'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').map((f) => f.trim().slice(ROOT.length)).filter((f) => f.startsWith('src/'));
  for (const f of ['src/index.ts', 'src/data/idx.ts', 'src/data/mnist.ts', 'src/data/datasets.ts', 'src/io/browser_store.ts', 'src/io/model_sources.ts', 'src/io/keras_zip.ts', 'src/io/keras_h5.ts']) {
    assert.ok(files.includes(f), `${f} is checked by the browser project`);
  }
  assert.deepEqual(files.filter((f) => f.endsWith('.node.ts') || f.startsWith('src/cli/')), []);
});

test('the embedded GEMM module is build/gemm.wasm (regenerate with npm run build:wasm)', (t) => {
  const file = `${ROOT}build/gemm.wasm`;
  if (!existsSync(file)) {
    t.skip('build/gemm.wasm not built');
    return;
  }
  const built = new Uint8Array(readFileSync(file));
  assert.equal(GEMM_WASM_BYTES.length, built.length);
  assert.ok(GEMM_WASM_BYTES.every((b, i) => b === built[i]), 'the embedded bytes differ from build/gemm.wasm: run npm run build:wasm');
  // '\0asm' then version 1: a WebAssembly binary.
  assert.deepEqual([...GEMM_WASM_BYTES.subarray(0, 8)], [0, 97, 115, 109, 1, 0, 0, 0]);
});
