// The native addon (src/kernels/native): each CPU-dispatched micro-kernel against the TypeScript
// oracle, results bit-identical for 1, 2 and 3 threads (the threads split C, never k), and size
// checks at the Node-API boundary. Skipped, with the reason, where the addon was not built.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gemm as tsGemm } from '../../src/kernels/ts/gemm.js';
import { loadNativeAddon, threadsFromEnvironment } from '../../src/kernels/native/index.node.js';

const { addon, reason } = loadNativeAddon();
const skip = addon === undefined ? `native addon unavailable: ${reason}` : false;

/** Uniform floats in [-1, 1) from a fixed-seed LCG (Numerical Recipes constants). */
function randomArray(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

const TRANSPOSES: ReadonlyArray<readonly [boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

describe('native addon', { skip }, () => {
  let savedThreads = 1;
  let savedIsa = '';
  before(() => {
    savedThreads = addon?.threads() ?? 1;
    savedIsa = addon?.isa() ?? '';
  });
  after(() => {
    addon?.setThreads(savedThreads);
    addon?.setIsa(savedIsa);
  });

  it('uses DEEPWELL_THREADS, else the number of cores, and picks the best micro-kernel of this CPU', () => {
    assert.ok(addon !== undefined);
    assert.equal(savedThreads, threadsFromEnvironment());
    const isas = addon.supportedIsas();
    assert.ok(isas.includes('generic'), `supported: ${isas}`);
    assert.equal(savedIsa, isas[0]);
  });

  it('every micro-kernel (avx512f, avx2+fma, generic) matches the oracle on edge and blocked shapes', () => {
    assert.ok(addon !== undefined);
    // m past MC = 128 and not a multiple of any MR; k past KC = 256; n not a multiple of any NR.
    const shapes = [[1, 1, 1], [7, 13, 5], [129, 257, 33], [6, 600, 47], [9, 2, 3100]] as const;
    for (const isa of addon.supportedIsas()) {
      assert.equal(addon.setIsa(isa), true);
      assert.equal(addon.isa(), isa);
      for (const [m, k, n] of shapes) {
        for (const [ta, tb] of TRANSPOSES) {
          const a = randomArray(m * k, m + k);
          const b = randomArray(k * n, k + n);
          const c0 = randomArray(m * n, 3);
          const got = c0.slice();
          const want = c0.slice();
          addon.gemm(ta, tb, m, n, k, 0.75, a, b, 0.5, got);
          tsGemm(ta, tb, m, n, k, 0.75, a, b, 0.5, want);
          // |error| <= 1e-5 * sum_p |alpha a b| + |beta c| <= 1e-5 * (0.75 k + 0.5) for entries in [-1, 1).
          const bound = 1e-5 * (0.75 * k + 0.5);
          for (let i = 0; i < m * n; i++) {
            assert.ok(Math.abs(got[i] - want[i]) <= bound,
              `${isa} ${m}x${k}x${n} ta=${ta} tb=${tb} at ${i}: ${got[i]} vs ${want[i]}`);
          }
        }
      }
    }
    addon.setIsa(savedIsa);
  });

  it('gives the same bits for 1, 2 and 3 threads (rows split, columns split, every transpose)', () => {
    assert.ok(addon !== undefined);
    // 128x784x300 splits rows; 8x2000x200 has one MR block of rows, so it splits columns;
    // 67x300x1000 leaves uneven shares. All are above the 2 MFLOP threshold.
    const shapes = [[128, 784, 300], [8, 2000, 200], [67, 300, 1000]] as const;
    for (const [m, k, n] of shapes) {
      for (const [ta, tb] of TRANSPOSES) {
        const a = randomArray(m * k, 1);
        const b = randomArray(k * n, 2);
        const c0 = randomArray(m * n, 3);
        const results = [1, 2, 3].map((threads) => {
          addon.setThreads(threads);
          const c = c0.slice();
          addon.gemm(ta, tb, m, n, k, -1.5, a, b, 0.25, c);
          return c;
        });
        const where = `${m}x${k}x${n} ta=${ta} tb=${tb}`;
        assert.ok(results[0].some((v, i) => v !== c0[i]), `${where}: C unchanged`);
        assert.deepEqual(new Uint32Array(results[1].buffer), new Uint32Array(results[0].buffer), `${where}: 2 threads differ from 1`);
        assert.deepEqual(new Uint32Array(results[2].buffer), new Uint32Array(results[0].buffer), `${where}: 3 threads differ from 1`);
      }
    }
    addon.setThreads(savedThreads);
  });

  it('rejects arrays shorter than the shapes need, and non-float32 arrays, before touching memory', () => {
    assert.ok(addon !== undefined);
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    const c = new Float32Array(3);
    assert.throws(() => addon.gemm(false, false, 2, 2, 3, 1, a, b, 0, c), /c has 3 elements, expected at least 4/);
    assert.throws(() => addon.gemm(false, false, 2, 3, 4, 1, a, b, 0, new Float32Array(6)), /a has 6 elements, expected at least 8/);
    assert.throws(() => addon.gemm(false, false, 1, 1, 1, 1, new Float64Array(1) as unknown as Float32Array, b, 0, c), /a must be a Float32Array/);
    assert.throws(() => addon.setThreads(0), /setThreads/);
    // alpha = 0 reads neither A nor B, so empty ones are fine; C = beta * C.
    const c2 = new Float32Array([2, 4]);
    addon.gemm(false, false, 1, 2, 5, 0, new Float32Array(0), new Float32Array(0), 0.5, c2);
    assert.deepEqual(c2, new Float32Array([1, 2]));
  });

  it('works in place on subarray views (no copies): only the viewed elements change', () => {
    assert.ok(addon !== undefined);
    const pool = new Float32Array(20).fill(7);
    const c = pool.subarray(5, 9); // 2 x 2
    // A = [[1, 2], [3, 4]], B = I: C = A.
    addon.gemm(false, false, 2, 2, 2, 1, new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), 0, c);
    assert.deepEqual([...pool.subarray(4, 10)], [7, 1, 2, 3, 4, 7]);
  });
});
