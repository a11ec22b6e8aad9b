// The native addon (src/kernels/native): each CPU-dispatched micro-kernel against the TypeScript
// oracle, results bit-identical for 1, 2 and 3 threads (the threads split C, never k), the same for
// the elementwise passes the addon threads (optimizer updates, Dense epilogue and backward, batch
// normalization, softmax + crossentropy), and size checks at the Node-API boundary. Skipped, with
// the reason, where the addon was not built.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gemm as tsGemm } from '../../src/kernels/ts/gemm.js';
import { loadNativeAddon, threadsFromEnvironment } from '../../src/kernels/native/index.node.js';
import { tsKernels } from '../../src/kernels/index.js';
import { runThreadedCases, type CaseOutput } from './native_threaded_cases.js';
import { randomArray } from './kernel_data.js';

const { addon, reason } = loadNativeAddon();
const skip = addon === undefined ? `native addon unavailable: ${reason}` : false;

/**
 * Runs `script` (an ES module body) in a child Node process with DEEPWELL_THREADS = `threads`;
 * its stdout split at spaces.
 */
function runChild(script: string, threads: string): string[] {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script],
    { encoding: 'utf8', env: { ...process.env, DEEPWELL_THREADS: threads } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split(' ');
}

/** The float32 or float64 elements of `x` as integers, to compare bits (NaN payloads included). */
function bitsOf(x: Float32Array | Float64Array): Uint32Array {
  return new Uint32Array(x.buffer, x.byteOffset, x.byteLength / 4);
}

/** Asserts `got` is within the case's tolerance of the oracle's `want` (no NaN: every element was written). */
function assertNearOracle(got: CaseOutput, want: CaseOutput): void {
  assert.equal(got.name, want.name);
  assert.equal(got.data.length, want.data.length, got.name);
  const tol = got.tolerance;
  if (tol === 'bits') {
    assert.deepEqual(bitsOf(got.data), bitsOf(want.data), `${got.name}: not the oracle's bits`);
    return;
  }
  for (let i = 0; i < got.data.length; i++) {
    const [g, w] = [got.data[i], want.data[i]];
    // As test/kernels/dense_kernels.test.ts ((1e-5 * terms + 1e-6) relative above 1) and norm_kernels.test.ts.
    const bound = 'dense' in tol ? (1e-5 * tol.dense + 1e-6) * Math.max(1, Math.abs(w)) : tol.rel * Math.max(1, Math.abs(w));
    assert.ok(Math.abs(g - w) <= bound, `${got.name}[${i}]: expected ${w}, got ${g}`);
  }
}

const TRANSPOSES: ReadonlyArray<readonly [boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];

/** C = -1.5 op(A) op(B) + 0.25 C0 by the addon's GEMM on 1, 2 and 3 threads (C0 untouched), in that order. */
function gemmOnThreads(ta: boolean, tb: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c0: Float32Array): Float32Array[] {
  return [1, 2, 3].map((threads) => {
    addon!.setThreads(threads);
    const c = c0.slice();
    addon!.gemm(ta, tb, m, n, k, -1.5, a, b, 0.25, c);
    return c;
  });
}

/** The results of 2 and 3 threads have the bits of the result of 1 thread. */
function assertSameBitsOnEveryThreadCount(results: Float32Array[], where: string): void {
  assert.deepEqual(new Uint32Array(results[1].buffer), new Uint32Array(results[0].buffer), `${where}: 2 threads differ from 1`);
  assert.deepEqual(new Uint32Array(results[2].buffer), new Uint32Array(results[0].buffer), `${where}: 3 threads differ from 1`);
}

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
    // m not a multiple of any MR (4, 6, 12); k past KC = 384 (two blocks); n not a multiple of any NR.
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
        const results = gemmOnThreads(ta, tb, m, n, k, a, b, c0);
        const where = `${m}x${k}x${n} ta=${ta} tb=${tb}`;
        assert.ok(results[0].some((v, i) => v !== c0[i]), `${where}: C unchanged`);
        assertSameBitsOnEveryThreadCount(results, where);
      }
    }
    addon.setThreads(savedThreads);
  });

  it('each path of the GEMM (B in place or packed, A in place or packed, 1 or 2 vectors of columns, '
    + 'one or more units of columns, the small single-thread path) matches the oracle with the same bits for 1, 2 and 3 threads', () => {
    assert.ok(addon !== undefined);
    // Which path a shape takes (src/kernels/native/gemm.cc, make_plan; MR = 12, NR = 32 on AVX-512):
    // 32x784x300: B read in place (m < 96), k in three KC blocks (262, 262, 260), 15 MFLOP: threaded.
    // 128x784x300: B packed (m >= 96), an 8-row edge under 10 full micro-panels.
    // 13x1030x16: at most 16 columns (one vector), three KC blocks, a 1-row edge.
    // 40x64x256: B packed with few rows (n a multiple of 256), threaded by columns.
    // 32x100x100: below 1 MFLOP, on the calling thread only; 4 columns in the last panel.
    // 100x37x1030: more than NC = 512 columns (three units even on one thread); B^T packed by
    // 16x16 transposes with remainders in both directions (1030 = 64 x 16 + 6, 37 = 2 x 16 + 5).
    const shapes = [[32, 784, 300], [128, 784, 300], [13, 1030, 16], [40, 64, 256], [32, 100, 100], [100, 37, 1030]] as const;
    for (const [m, k, n] of shapes) {
      for (const [ta, tb] of TRANSPOSES) {
        const a = randomArray(m * k, m + 7);
        const b = randomArray(k * n, n + 11);
        const c0 = randomArray(m * n, 5);
        const want = c0.slice();
        tsGemm(ta, tb, m, n, k, -1.5, a, b, 0.25, want);
        const results = gemmOnThreads(ta, tb, m, n, k, a, b, c0);
        const where = `${m}x${k}x${n} ta=${ta} tb=${tb}`;
        // Same bound as above: 1e-5 * (|alpha| k + |beta|) for entries in [-1, 1).
        const bound = 1e-5 * (1.5 * k + 0.25);
        for (let i = 0; i < m * n; i++) {
          assert.ok(Math.abs(results[0][i] - want[i]) <= bound, `${where} at ${i}: ${results[0][i]} vs ${want[i]}`);
        }
        assertSameBitsOnEveryThreadCount(results, where);
      }
    }
    addon.setThreads(savedThreads);
  });

  it('has a micro-kernel for every edge row count: m = 1..25 against the oracle, masked columns untouched past n', () => {
    assert.ok(addon !== undefined);
    // n = 45: one full 32-column panel and a 13-column one; C is a view with guard cells after it,
    // which a store past the last column would overwrite.
    const k = 19;
    const n = 45;
    for (let m = 1; m <= 25; m++) {
      for (const [ta, tb] of TRANSPOSES) {
        const a = randomArray(m * k, m);
        const b = randomArray(k * n, 2 * m);
        const store = new Float32Array(m * n + 8).fill(Number.NaN);
        const c = store.subarray(0, m * n);
        const want = new Float32Array(m * n);
        tsGemm(ta, tb, m, n, k, 1, a, b, 0, want);
        addon.gemm(ta, tb, m, n, k, 1, a, b, 0, c);
        for (let i = 0; i < m * n; i++) {
          assert.ok(Math.abs(c[i] - want[i]) <= 1e-5 * k, `m=${m} ta=${ta} tb=${tb} at ${i}: ${c[i]} vs ${want[i]}`);
        }
        assert.ok(store.subarray(m * n).every((v) => Number.isNaN(v)), `m=${m} ta=${ta} tb=${tb}: guard cells written`);
      }
    }
  });

  it('gives the same bits under DEEPWELL_THREADS=1 and DEEPWELL_THREADS=2 (separate processes)', () => {
    // Each child computes 128x784x300 in all four transpose forms and prints the thread count and a
    // SHA-256 of the results; the hashes must agree and the counts must be what was asked.
    const entry = fileURLToPath(new URL('../../src/kernels/native/index.node.js', import.meta.url));
    const script = `
      import { loadNativeAddon } from ${JSON.stringify(entry)};
      import { createHash } from 'node:crypto';
      const { addon } = loadNativeAddon();
      const rand = (n, seed) => { const x = new Float32Array(n); let s = seed >>> 0;
        for (let i = 0; i < n; i++) { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; x[i] = s / 2 ** 31 - 1; } return x; };
      const [m, k, n] = [128, 784, 300];
      const hash = createHash('sha256');
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]]) {
        const c = rand(m * n, 3);
        addon.gemm(ta, tb, m, n, k, 1, rand(m * k, 1), rand(k * n, 2), 0.5, c);
        hash.update(new Uint8Array(c.buffer));
      }
      process.stdout.write(addon.threads() + ' ' + hash.digest('hex'));`;
    const one = runChild(script, '1');
    const two = runChild(script, '2');
    assert.equal(one[0], '1');
    assert.equal(two[0], '2');
    assert.match(one[1], /^[0-9a-f]{64}$/);
    assert.equal(two[1], one[1]);
  });

  it('threaded elementwise passes (Adam, SGD, Dense epilogue and backward, batch norm, softmax + crossentropy) '
    + 'give the same bits for 1, 2 and 3 threads, and the oracle\'s within the conformance tolerances', () => {
    assert.ok(addon !== undefined);
    const want = runThreadedCases(tsKernels);
    const results = [1, 2, 3].map((threads) => {
      addon.setThreads(threads);
      return runThreadedCases(addon);
    });
    addon.setThreads(savedThreads);
    for (let c = 0; c < want.length; c++) {
      assertNearOracle(results[0][c], want[c]);
      for (const t of [1, 2]) {
        assert.deepEqual(bitsOf(results[t][c].data), bitsOf(results[0][c].data), `${want[c].name}: ${t + 1} threads differ from 1`);
      }
    }
  });

  it('threaded elementwise passes give the same bits under DEEPWELL_THREADS=1 and DEEPWELL_THREADS=2 (separate processes)', () => {
    // Each child runs every case and prints the thread count and a SHA-256 of each output.
    const entry = fileURLToPath(new URL('../../src/kernels/native/index.node.js', import.meta.url));
    const cases = fileURLToPath(new URL('./native_threaded_cases.js', import.meta.url));
    const script = `
      import { loadNativeAddon } from ${JSON.stringify(entry)};
      import { runThreadedCases } from ${JSON.stringify(cases)};
      import { createHash } from 'node:crypto';
      const { addon } = loadNativeAddon();
      const hashes = runThreadedCases(addon).map((o) =>
        o.name.replaceAll(' ', '_') + '=' + createHash('sha256').update(new Uint8Array(o.data.buffer)).digest('hex'));
      process.stdout.write(addon.threads() + ' ' + hashes.join(' '));`;
    const one = runChild(script, '1');
    const two = runChild(script, '2');
    assert.equal(one[0], '1');
    assert.equal(two[0], '2');
    assert.ok(one.length > 40, `outputs: ${one.length - 1}`);
    assert.deepEqual(two.slice(1), one.slice(1));
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
