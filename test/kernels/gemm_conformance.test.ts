// Conformance of every registered GEMM backend (native, wasm, and any other) with the TypeScript
// oracle (src/kernels/ts/gemm.ts) on odd shapes, all transpose combinations, alpha/beta, NaN/Inf and
// empty operands. A backend sums in another order (blocked, with or without FMA), so results may
// differ by float32 rounding: each element is allowed 1e-5 of the sum of the magnitudes of its terms
// (the bound grows with k: each of the k additions may round by 2^-24 of the running sum).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gemm as tsGemm } from '../../src/kernels/ts/gemm.js';
import { wasmGemmAvailable, wasmGemmUnavailableReason } from '../../src/kernels/wasm/gemm.js';
import '../../src/kernels/native/register.node.js';
import { backendInfo, kernels, resetBackend, setBackend, type Kernels } from '../../src/kernels/index.js';
import { loadNativeAddon } from '../../src/kernels/native/index.node.js';

/** Relative tolerance per element, against sum_p |alpha a_ip b_pj| + |beta c_ij| (rounding only). */
const REL_TOL = 1e-5;

/** Numerical Recipes LCG; returns uniform floats in [-1, 1). Seeded so failures reproduce. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

function randomArray(n: number, next: () => number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = next();
  return x;
}

interface Case {
  transA: boolean; transB: boolean; m: number; n: number; k: number; alpha: number; beta: number;
}

function describeCase({ transA, transB, m, n, k, alpha, beta }: Case): string {
  return `transA=${transA} transB=${transB} m=${m} n=${n} k=${k} alpha=${alpha} beta=${beta}`;
}

/** Stored element of op(X)[r, s] for X stored [rows, cols] (or transposed). */
function opAt(x: ArrayLike<number>, trans: boolean, rows: number, cols: number, r: number, s: number): number {
  return trans ? x[s * rows + r] : x[r * cols + s];
}

/**
 * Runs the backend's kernel and the oracle on copies of the same C and checks every element:
 * NaN where the oracle has NaN, the same infinity, otherwise within the rounding bound.
 */
function checkAgainstOracle(gemm: Kernels['gemm'], cs: Case, a: Float32Array, b: Float32Array, c0: Float32Array): Float32Array {
  const { transA, transB, m, n, k, alpha, beta } = cs;
  const got = c0.slice();
  const want = c0.slice();
  gemm(transA, transB, m, n, k, alpha, a, b, beta, got);
  tsGemm(transA, transB, m, n, k, alpha, a, b, beta, want);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const idx = i * n + j;
      const w = want[idx];
      const g = got[idx];
      const where = `${describeCase(cs)} at C[${i}, ${j}]`;
      if (Number.isNaN(w) || !Number.isFinite(w)) {
        assert.ok(Object.is(g, w), `${where}: expected ${w}, got ${g}`);
        continue;
      }
      let scale = beta === 0 ? 0 : Math.abs(beta * c0[idx]);
      if (alpha !== 0) {
        for (let p = 0; p < k; p++) {
          scale += Math.abs(alpha * opAt(a, transA, m, k, i, p) * opAt(b, transB, k, n, p, j));
        }
      }
      assert.ok(Math.abs(g - w) <= REL_TOL * scale, `${where}: expected ${w}, got ${g} (bound ${REL_TOL * scale})`);
    }
  }
  return got;
}

/**
 * (m, k, n): single element, the design doc's 7x13x5, sizes not multiple of 4 (or of the 4x8
 * tile), exact tiles, k and m beyond one cache block (KC = 256, MC = 128), n beyond NC = 1024
 * (wasm) and 3072 (native); 130x300x70 and larger run on several threads in the native backend.
 * A non-transposed B is read in place when m <= 32 or n % 128 != 0 and packed otherwise
 * (assembly/gemm.ts, DIRECT_B_MAX_M): 40x300x128 takes the packed path.
 */
const SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [1, 1, 1], [7, 13, 5], [3, 5, 9], [9, 3, 5], [17, 33, 65], [65, 17, 33], [33, 65, 17],
  [4, 8, 8], [8, 16, 16], [130, 300, 70], [40, 300, 128], [20, 600, 30], [5, 7, 1100], [2, 5, 3200],
];
const TRANSPOSES: ReadonlyArray<readonly [boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
const ALPHAS = [1, -0.5];
const BETAS = [0, 1, 0.5];

/** The backends that can run here, highest priority first (ts, the oracle itself, last). */
const BACKENDS = backendInfo().backends.filter((b) => b.available && b.kernels.includes('gemm')).map((b) => b.name);

describe('registered backends', () => {
  it('include wasm (built by npm ci) and native unless its build was skipped or failed', () => {
    assert.ok(wasmGemmAvailable(), `wasm gemm unavailable: ${wasmGemmUnavailableReason()}`);
    assert.ok(BACKENDS.includes('wasm') && BACKENDS.includes('ts'), `backends: ${BACKENDS}`);
    const native = loadNativeAddon();
    if (native.addon === undefined) {
      // Allowed only with the reason recorded by scripts/build-native.mjs (no compiler, skipped).
      assert.match(native.reason, /native addon not built: /);
    } else {
      assert.ok(BACKENDS.includes('native'));
    }
  });
});

for (const backend of BACKENDS) {
  describeGemm(backend);
}

function describeGemm(backend: string): void {
  describe(`${backend} gemm`, () => {
    let gemm: Kernels['gemm'] = tsGemm;
    it('is the gemm the registry serves when the backend is set', () => {
      setBackend(backend);
      assert.equal(backendInfo().servedBy.gemm, backend);
      gemm = kernels.gemm;
      resetBackend();
    });

    it('matches the oracle on odd shapes, all transposes, alpha in {1, -0.5}, beta in {0, 1, 0.5}', () => {
      const next = lcg(12345);
      for (const [m, k, n] of SHAPES) {
        for (const [transA, transB] of TRANSPOSES) {
          const a = randomArray(m * k, next);
          const b = randomArray(k * n, next);
          const c = randomArray(m * n, next);
          for (const alpha of ALPHAS) {
            for (const beta of BETAS) {
              // With beta = 0 the old C must be ignored: fill it with NaN to prove it.
              const c0 = beta === 0 ? new Float32Array(m * n).fill(NaN) : c;
              checkAgainstOracle(gemm, { transA, transB, m, n, k, alpha, beta }, a, b, c0);
            }
          }
        }
      }
    });

    it('ignores NaN in C when beta = 0', () => {
      const next = lcg(7);
      const [m, k, n] = [6, 10, 11];
      const c = new Float32Array(m * n).fill(NaN);
      gemm(false, false, m, n, k, 1, randomArray(m * k, next), randomArray(k * n, next), 0, c);
      assert.ok(c.every(Number.isFinite), `C has non-finite values: ${c}`);
    });

    it('propagates NaN and Inf from A into C, in every transpose combination', () => {
      const next = lcg(99);
      const [m, k, n] = [5, 7, 10];
      for (const [transA, transB] of TRANSPOSES) {
        const a = randomArray(m * k, next);
        const b = randomArray(k * n, next);
        // op(A)[1, 2] = NaN poisons row 1; op(A)[3, 0] = Inf makes row 3 +-Inf (sign of B[0, j]).
        a[transA ? 2 * m + 1 : 1 * k + 2] = NaN;
        a[transA ? 0 * m + 3 : 3 * k + 0] = Infinity;
        const got = checkAgainstOracle(gemm, { transA, transB, m, n, k, alpha: 1, beta: 0.5 }, a, b, randomArray(m * n, next));
        for (let j = 0; j < n; j++) {
          assert.ok(Number.isNaN(got[1 * n + j]), `row 1 should be NaN, got ${got[1 * n + j]}`);
          assert.equal(Math.abs(got[3 * n + j]), Infinity, `row 3 should be infinite, got ${got[3 * n + j]}`);
        }
      }
    });

    it('does not read A and B when alpha = 0 (NaN in A does not propagate)', () => {
      const [m, k, n] = [3, 4, 5];
      const a = new Float32Array(m * k).fill(NaN);
      const b = new Float32Array(k * n).fill(1);
      const c = new Float32Array(m * n).fill(2);
      gemm(false, false, m, n, k, 0, a, b, 0.5, c);
      assert.deepEqual(c, new Float32Array(m * n).fill(1));
    });

    it('handles empty dimensions: m = 0 and n = 0 touch nothing, k = 0 leaves beta * C', () => {
      const next = lcg(3);
      for (const [m, k, n] of [[0, 5, 3], [4, 5, 0], [4, 0, 3], [0, 0, 0]] as const) {
        for (const [transA, transB] of TRANSPOSES) {
          for (const beta of BETAS) {
            const a = randomArray(m * k, next);
            const b = randomArray(k * n, next);
            const c0 = beta === 0 ? new Float32Array(m * n).fill(NaN) : randomArray(m * n, next);
            const c = c0.slice();
            assert.doesNotThrow(() => gemm(transA, transB, m, n, k, 1, a, b, beta, c));
            const want = c0.map((v) => (beta === 0 ? 0 : beta * v));
            assert.deepEqual(c, want, describeCase({ transA, transB, m, n, k, alpha: 1, beta }));
          }
        }
      }
    });

    it('accepts subarray views and keeps working after memory grows', () => {
      const next = lcg(11);
      for (const [m, k, n] of [[3, 5, 9], [200, 300, 260], [7, 13, 5]] as const) {
        const pool = randomArray(m * k + k * n + 16, next);
        const a = pool.subarray(3, 3 + m * k);
        const b = pool.subarray(5 + m * k, 5 + m * k + k * n);
        checkAgainstOracle(gemm, { transA: false, transB: true, m, n, k, alpha: 1, beta: 1 }, a, b, randomArray(m * n, next));
      }
    });

    it('falls back to the oracle, bit for bit, for float64 operands', () => {
      const next = lcg(5);
      const [m, k, n] = [7, 13, 5];
      for (const [transA, transB] of TRANSPOSES) {
        const a = Float64Array.from(randomArray(m * k, next));
        const b = Float64Array.from(randomArray(k * n, next));
        const c0 = Float64Array.from(randomArray(m * n, next));
        const got = c0.slice();
        const want = c0.slice();
        gemm(transA, transB, m, n, k, -0.5, a, b, 0.5, got);
        tsGemm(transA, transB, m, n, k, -0.5, a, b, 0.5, want);
        assert.deepEqual(got, want);
        // Mixed dtypes (a float32 A with a float64 C) also go to the oracle.
        const a32 = Float32Array.from(a);
        const got64 = c0.slice();
        const want64 = c0.slice();
        gemm(transA, transB, m, n, k, 1, a32, b, 1, got64);
        tsGemm(transA, transB, m, n, k, 1, a32, b, 1, want64);
        assert.deepEqual(got64, want64);
      }
    });
  });
}
