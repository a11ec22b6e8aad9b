import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Identity, Orthogonal, type OrthogonalOptions } from '../../src/initializers/index.js';
import { householderQr } from '../../src/initializers/householder_qr.js';

/** Largest |(W^T W or W W^T)_ab - gain^2 delta_ab| over the smaller Gram matrix of a (rows x cols) W. */
function gramError(w: ArrayLike<number>, rows: number, cols: number, gain: number): number {
  let worst = 0;
  const g2 = gain * gain;
  if (rows >= cols) {
    // Columns orthonormal: (W^T W)_ab = sum_i W[i][a] W[i][b].
    for (let a = 0; a < cols; a++) {
      for (let b = 0; b < cols; b++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += w[i * cols + a] * w[i * cols + b];
        worst = Math.max(worst, Math.abs(s - (a === b ? g2 : 0)));
      }
    }
  } else {
    // Rows orthonormal: (W W^T)_ab = sum_j W[a][j] W[b][j].
    for (let a = 0; a < rows; a++) {
      for (let b = 0; b < rows; b++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += w[a * cols + j] * w[b * cols + j];
        worst = Math.max(worst, Math.abs(s - (a === b ? g2 : 0)));
      }
    }
  }
  return worst;
}

// The deterministic checks (Saxe et al. 2013, arXiv:1312.6120): r >= c => W^T W = gain^2 I,
// r < c => W W^T = gain^2 I, with r = prod(shape[:-1]) and c = shape[-1].
const ORTHOGONAL_CASES: [number[], number, number, number][] = [
  // shape, gain, rows, cols
  [[5, 5], 2, 5, 5], // the Keras test: every column has norm 2
  [[7, 3], 1, 7, 3], // tall: orthonormal columns
  [[3, 7], 1, 3, 7], // wide: orthonormal rows (Q transposed)
  [[3, 3, 4, 8], 1, 36, 8], // conv kernel: rows 3*3*4 = 36, cols 8
  [[2, 16, 3], 0.5, 32, 3],
  [[1, 1], 3, 1, 1], // W = +-3
];

test('Orthogonal: W^T W = gain^2 I (r >= c) or W W^T = gain^2 I (r < c), float64 to 1e-13', () => {
  for (const [shape, gain, rows, cols] of ORTHOGONAL_CASES) {
    const w = new Orthogonal({ gain, seed: 11 }).apply(shape, 'float64');
    assert.deepEqual(w.shape, shape);
    const err = gramError(w.data, rows, cols, gain);
    assert.ok(err < 1e-13 * Math.max(1, gain * gain), `${JSON.stringify(shape)} gain ${gain}: Gram error ${err}`);
  }
});

test('Orthogonal: float32 results are the float64 matrix rounded once (Gram error ~ float32 epsilon)', () => {
  for (const [shape, gain, rows, cols] of ORTHOGONAL_CASES) {
    const w32 = new Orthogonal({ gain, seed: 12 }).apply(shape).data;
    const w64 = new Orthogonal({ gain, seed: 12 }).apply(shape, 'float64').data;
    assert.ok(w32 instanceof Float32Array);
    for (let i = 0; i < w32.length; i++) assert.equal(w32[i], Math.fround(w64[i]));
    // Each element is off by at most half an ulp (2^-24 relative), so the Gram entries by about rows 2^-24 gain^2.
    const err = gramError(w32, rows, cols, gain);
    assert.ok(err < 1e-6 * Math.max(1, gain * gain) * Math.max(rows, cols), `${JSON.stringify(shape)}: float32 Gram error ${err}`);
  }
});

test("Orthogonal follows Keras's algorithm: Q^T A = R with a positive diagonal (the sign fix), Q^T for wide shapes", () => {
  // The seeded initializer draws A (max(r,c) x min(r,c), row by row) from new Rng(seed).fillNormal.
  // QR with a positive diagonal of R is unique, so Q^T A upper triangular with R_jj > 0 pins
  // Q * sign(diag(R)) exactly, whatever the QR's own sign convention.
  for (const [shape, m, n] of [[[7, 3], 7, 3], [[3, 7], 7, 3], [[4, 4], 4, 4], [[2, 3, 5], 6, 5]] as const) {
    const seed = 21;
    const a = new Float64Array(m * n);
    new Rng(seed).fillNormal(a, 0, 1);
    const w = new Orthogonal({ seed }).apply([...shape], 'float64').data;
    const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
    const cols = shape[shape.length - 1];
    // q(i, j): element (i, j) of the m x n matrix Q (W itself when tall, W^T when wide).
    const q = (i: number, j: number): number => (rows >= cols ? w[i * cols + j] : w[j * cols + i]);
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        let r = 0; // R_jk = (Q^T A)_jk
        for (let i = 0; i < m; i++) r += q(i, j) * a[i * n + k];
        if (j > k) assert.ok(Math.abs(r) < 1e-12, `${JSON.stringify(shape)}: R[${j}][${k}] = ${r} below the diagonal`);
        if (j === k) assert.ok(r > 0, `${JSON.stringify(shape)}: R[${j}][${j}] = ${r} not positive (sign fix missing)`);
      }
    }
  }
});

test('Orthogonal is Haar-uniform: W[0][0] is positive for about half of the seeds (no sign bias)', () => {
  // Without the sign fix, Householder QR gives R_00 = -sign(a_00) |a_0|, so Q[0][0] = a_00 / R_00 < 0 always.
  const trials = 400;
  let positive = 0;
  for (let seed = 0; seed < trials; seed++) if (new Orthogonal({ seed }).apply([4, 4], 'float64').data[0] > 0) positive++;
  // Binomial(400, 1/2): mean 200, SE 10; 5 SE.
  assert.ok(Math.abs(positive - trials / 2) <= 5 * Math.sqrt(trials / 4), `${positive} of ${trials} positive`);
});

test('Orthogonal.describe: the matrix view and the exact root mean square gain / sqrt(max(r, c))', () => {
  assert.deepEqual(new Orthogonal().describe([3, 3, 4, 8]), { rows: 36, cols: 8, orthonormal: 'columns', stddev: 1 / 6 });
  assert.deepEqual(new Orthogonal({ gain: 2 }).describe([3, 12]), { rows: 3, cols: 12, orthonormal: 'rows', stddev: 2 / Math.sqrt(12) });
  // Mean square of the elements of a sample: r >= c: c columns of squared norm gain^2 over r c elements.
  const w = new Orthogonal({ gain: 2, seed: 3 }).apply([200, 50], 'float64').data;
  let sq = 0;
  for (const v of w) sq += v * v;
  assert.ok(Math.abs(sq / w.length - 4 / 200) < 1e-14);
});

test('Orthogonal: rank < 2 throws a ValueError naming the shape; zero-size kernels are empty', () => {
  for (const shape of [[], [5]]) {
    assert.throws(
      () => new Orthogonal().apply(shape),
      (e: unknown) => e instanceof ValueError && /received shape \[.*\] of rank [01]; expected rank >= 2/.test(e.message),
    );
    assert.throws(() => new Orthogonal().describe(shape), ValueError);
  }
  assert.equal(new Orthogonal().apply([0, 5]).data.length, 0);
  assert.equal(new Orthogonal().apply([5, 0]).data.length, 0);
});

test('Orthogonal: gain is a finite number (0 and negatives honoured), the seed an integer', () => {
  const make = (options: Record<string, unknown>): Orthogonal => new Orthogonal(options as OrthogonalOptions);
  for (const gain of [NaN, Infinity, '1', null]) {
    assert.throws(() => make({ gain }), (e: unknown) => e instanceof ValueError && /Invalid Orthogonal gain: received/.test(e.message));
  }
  assert.throws(() => make({ seed: 1.5 }), /Invalid Orthogonal seed/);
  assert.ok(new Orthogonal({ gain: 0, seed: 1 }).apply([3, 3]).data.every((v) => v === 0));
  // gain -1 flips every element of the gain-1 matrix.
  const plus = new Orthogonal({ gain: 1, seed: 4 }).apply([6, 4], 'float64').data;
  const minus = new Orthogonal({ gain: -1, seed: 4 }).apply([6, 4], 'float64').data;
  assert.deepEqual([...minus], [...plus].map((v) => -v));
  assert.deepEqual(new Orthogonal().getConfig(), { gain: 1, seed: null });
});

test('householderQr: A = Q R with orthonormal Q, on a rank-deficient matrix too', () => {
  // 4 x 3 with a zero column and a repeated column: Householder still gives orthonormal Q.
  const m = 4;
  const n = 3;
  const rowsA = [
    [1, 0, 1],
    [2, 0, 2],
    [0, 0, 0],
    [2, 0, 2],
  ];
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = rowsA[i][j];
  const { q, rDiagonal } = householderQr(a, m, n);
  // Column 0: norm 3, reflected to -3 e_0 (x0 = 1 > 0), so R_00 = -3.
  assert.ok(Math.abs(rDiagonal[0] + 3) < 1e-15);
  for (let j = 0; j < n; j++) {
    for (let k = 0; k < n; k++) {
      let s = 0;
      for (let i = 0; i < m; i++) s += q[j * m + i] * q[k * m + i];
      assert.ok(Math.abs(s - (j === k ? 1 : 0)) < 1e-15, `Q^T Q [${j}][${k}] = ${s}`);
    }
  }
  assert.throws(() => householderQr(new Float64Array(6), 2, 3), RangeError);
});

test('Identity: gain * eye(rows, cols), rectangular allowed (3x5 and 5x3)', () => {
  // 3 x 5: ones on W[i][i] for i < 3, the rest 0.
  assert.deepEqual(
    [...new Identity().apply([3, 5]).data],
    [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0],
  );
  // 5 x 3 with gain 2: W[i][i] = 2 for i < 3; the last two rows are 0.
  assert.deepEqual(
    [...new Identity({ gain: 2 }).apply([5, 3]).data],
    [2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0],
  );
  assert.deepEqual([...new Identity({ gain: 0.5 }).apply([2, 2], 'float64').data], [0.5, 0, 0, 0.5]);
  assert.ok(new Identity({ gain: 0 }).apply([4, 4]).data.every((v) => v === 0)); // explicit 0 honoured
  assert.equal(new Identity().apply([0, 3]).data.length, 0);
  // Not random: the same values on every call.
  const init = new Identity({ gain: 3 });
  assert.deepEqual(init.apply([4, 6]).data, init.apply([4, 6]).data);
  assert.deepEqual(init.getConfig(), { gain: 3 });
});

test('Identity: a shape that is not 2-D throws a ValueError; gain must be finite', () => {
  for (const shape of [[], [4], [3, 3, 3], [1, 2, 2, 1]]) {
    assert.throws(
      () => new Identity().apply(shape),
      (e: unknown) => e instanceof ValueError && /Identity: received shape .* expected a 2-D shape \[rows, cols\]/.test(e.message),
      JSON.stringify(shape),
    );
  }
  assert.throws(() => new Identity({ gain: NaN }), (e: unknown) => e instanceof ValueError && /Invalid Identity gain/.test(e.message));
});
