// The WebAssembly Philox generator: src/core/philox_wasm.ts is generated from assembly/philox.ts by
// scripts/build-philox.mjs (npm run build:wasm) and committed; these tests check that it is what
// the source compiles to, and that its blocks are Philox4x32-10's (Random123's known answer, and the
// TypeScript rounds of core/random.ts block for block, across a carry of the counter's low word).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PHILOX_WASM } from '../../src/core/philox_wasm.js';
import { philox4x32 } from '../../src/core/random.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('src/core/philox_wasm.ts is a fresh build of assembly/philox.ts', () => {
  const run = spawnSync(process.execPath, ['scripts/build-philox.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
});

/** The WebAssembly JS API (lib ES2022 does not declare it). */
const WASM = (globalThis as unknown as { WebAssembly: { Module: new (b: Uint8Array) => object; Instance: new (m: object, i: object) => { exports: unknown } } }).WebAssembly;
interface PhiloxExports {
  memory: { buffer: ArrayBuffer };
  blocks(ptr: number, n: number, lo: number, hi: number, k0: number, k1: number): void;
}

test('the WebAssembly blocks are Philox4x32-10: Random123 known answer and the TypeScript rounds', () => {
  const { memory, blocks } = new WASM.Instance(new WASM.Module(PHILOX_WASM), {}).exports as PhiloxExports;
  const words = new Uint32Array(memory.buffer, 0, 4 * 6);
  const hex = (a: Uint32Array): string[] => [...a].map((v) => v.toString(16).padStart(8, '0'));
  // Random123 kat_vectors, "philox4x32 10" with counter 0 and key 0.
  blocks(0, 1, 0, 0, 0, 0);
  assert.deepEqual(hex(words.subarray(0, 4)), ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
  // Six blocks from counter low word 2^32 - 3: the fourth block carries into the high word.
  const lo = 0xfffffffd;
  const hi = 7;
  const [k0, k1] = [0x243f6a88, 0x85a308d3];
  blocks(0, 6, lo, hi, k0, k1);
  const expected = new Uint32Array(4);
  for (let b = 0; b < 6; b++) {
    const c0 = (lo + b) >>> 0;
    const c1 = lo + b > 0xffffffff ? hi + 1 : hi;
    philox4x32(c0, c1, 0, 0, k0, k1, expected);
    assert.deepEqual([...words.subarray(4 * b, 4 * b + 4)], [...expected], `block ${b}`);
  }
});
