// Conformance of the fused Dense kernels (denseForward, denseBackward) of every registered backend
// with the TypeScript oracle, for each activation a fused Dense applies, with and without bias,
// odd shapes (1x1x1, 7x13x5, sizes off the vector widths, empty batch), and null outputs.
// GEMMs sum in another order and the C library's expm1/tanh may differ from V8's in the last bit,
// so each value is allowed 1e-5 of the sum of the magnitudes of its terms (relative above 1).
// Then every backend, the oracle included, against a float64 reference (the tests that catch an
// oracle that is itself off): forward, backward and one SGD step of a Dense+activation MLP.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/kernels/native/register.node.js';
import { backendInfo, kernels, resetBackend, setBackend, type Kernels } from '../../src/kernels/index.js';
import { OUTPUT_DERIVATIVE_OPS, type UnaryOp } from '../../src/kernels/kernels.js';
import { denseBackward as tsBackward, denseForward as tsForward } from '../../src/kernels/ts/dense.js';
import { ACTIVATION_NAMES, activationSpec, fusableActivation } from '../../src/activations/activations.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { tensor } from '../../src/core/tensor.js';
import { nanArray, randomArray as scaledArray } from './kernel_data.js';

function randomArray(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

/**
 * |got - want| <= (1e-5 * scale + 1e-6) * max(1, |want|) elementwise, scale = the magnitude of the
 * terms (k + 1 here); relative for large values, since exp multiplies the rounding of its input.
 */
function assertClose(got: Float32Array, want: Float32Array, scale: number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    if (Number.isNaN(want[i])) {
      assert.ok(Number.isNaN(got[i]), `${what}[${i}]: expected NaN, got ${got[i]}`);
      continue;
    }
    assert.ok(Math.abs(got[i] - want[i]) <= (1e-5 * scale + 1e-6) * Math.max(1, Math.abs(want[i])), `${what}[${i}]: expected ${want[i]}, got ${got[i]}`);
  }
}

const SHAPES = [[1, 1, 1], [7, 13, 5], [32, 100, 100], [3, 17, 33], [0, 4, 3]] as const; // [rows, in, units]
/** alpha per activation: elu 1, leaky_relu 0.2, the rest unused. */
const ALPHA: Partial<Record<UnaryOp, number>> = { elu: 1, leaky_relu: 0.2 };
const ACTIVATIONS: readonly UnaryOp[] = OUTPUT_DERIVATIVE_OPS.filter((op) => op !== 'sqrt' && op !== 'reciprocal');

const BACKENDS = backendInfo().backends.filter((b) => b.available && b.kernels.includes('denseForward')).map((b) => b.name);

for (const backend of BACKENDS) {
  describe(`${backend} dense kernels`, () => {
    let k: Pick<Kernels, 'denseForward' | 'denseBackward'> = { denseForward: tsForward, denseBackward: tsBackward };
    it('are served by the backend when it is set', () => {
      setBackend(backend);
      assert.equal(backendInfo().servedBy.denseForward, backend);
      k = { denseForward: kernels.denseForward, denseBackward: kernels.denseBackward };
      resetBackend();
    });

    it('denseForward and denseBackward match the oracle for every activation, with and without bias', () => {
      for (const [rows, inF, units] of SHAPES) {
        const x = randomArray(rows * inF, 1);
        const w = randomArray(inF * units, 2);
        const b = randomArray(units, 3);
        const dy = randomArray(rows * units, 4);
        for (const act of ACTIVATIONS) {
          const alpha = ALPHA[act] ?? 0;
          for (const bias of [b, null]) {
            const what = `${backend} ${act} ${rows}x${inF}x${units} bias=${bias !== null}`;
            const y = new Float32Array(rows * units).fill(NaN);
            const yRef = new Float32Array(rows * units);
            k.denseForward(x, w, bias, rows, inF, units, act, alpha, y);
            tsForward(x, w, bias, rows, inF, units, act, alpha, yRef);
            assertClose(y, yRef, inF + 1, `${what} y`);
            const dx = new Float32Array(rows * inF).fill(NaN);
            const dW = new Float32Array(inF * units).fill(NaN);
            const db = new Float32Array(units).fill(NaN);
            const ref = [new Float32Array(rows * inF), new Float32Array(inF * units), new Float32Array(units)];
            k.denseBackward(x, w, yRef, dy, rows, inF, units, act, alpha, dx, dW, db);
            tsBackward(x, w, yRef, dy, rows, inF, units, act, alpha, ref[0], ref[1], ref[2]);
            // |dz| <= 2 |dy| for these activations on outputs in (-2, 2); sums of units, rows terms.
            assertClose(dx, ref[0], 2 * units + 1, `${what} dx`);
            assertClose(dW, ref[1], 2 * rows + 1, `${what} dW`);
            assertClose(db, ref[2], 2 * rows + 1, `${what} db`);
          }
        }
      }
    });

    it('relu by hand: y = relu(x W + b), dW = x^T (dy where y > 0), db = column sums, null outputs skipped', () => {
      // x = [[1, 2]], W = [[1, -1], [1, -1]], b = [0.5, 0.5]: x W + b = [3.5, -2.5], relu -> [3.5, 0].
      const x = new Float32Array([1, 2]);
      const w = new Float32Array([1, -1, 1, -1]);
      const y = new Float32Array(2);
      k.denseForward(x, w, new Float32Array([0.5, 0.5]), 1, 2, 2, 'relu', 0, y);
      assert.deepEqual([...y], [3.5, 0]);
      // dy = [1, 1]: dz = [1, 0]; dW = x^T dz = [[1, 0], [2, 0]]; db = [1, 0]; dx not wanted.
      const dW = new Float32Array(4);
      const db = new Float32Array(2);
      k.denseBackward(x, w, y, new Float32Array([1, 1]), 1, 2, 2, 'relu', 0, null, dW, db);
      assert.deepEqual([...dW], [1, 0, 2, 0]);
      assert.deepEqual([...db], [1, 0]);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Against float64. The comparisons above take the TS oracle as the truth; these check every backend,
// the oracle included, against float64 arithmetic written here from the definitions. The oracle
// sums in float64 and rounds each stored value once (src/kernels/ts/gemm.ts), so its forward is
// allowed 1e-6 relative plus 1e-12 of the magnitude S of the terms; a backend with float32
// accumulators (wasm, native) is allowed the worst-case sequential-sum bound (k + 2) 2^-24 S
// (Higham, Accuracy and Stability of Numerical Algorithms, 2002, eq. 3.5). A row whose pre-activations
// are within a rounding of 0 (bias = -fround(x W)) makes a float32-accumulating oracle fail: it
// flipped relu's mask there (a training step 2.5e-5 off in loss, where float64 agreed with native).

const SELU_ALPHA64 = 1.6732632423543772848170429916717; // Klambauer et al. 2017, eq. 14
const SELU_SCALE64 = 1.0507009873554804934193349852946;
const U32 = 2 ** -24; // float32 unit roundoff

/** op(z) in float64 from the definitions (Keras's formulas), written apart from src/kernels/ts/unary.ts. */
function act64(op: UnaryOp, z: number, alpha: number): number {
  switch (op) {
    case 'linear': return z;
    case 'neg': return -z;
    case 'exp': return Math.exp(z);
    case 'sign': return Math.sign(z);
    case 'step': return z > 0 ? 1 : 0;
    case 'relu': return Math.max(z, 0);
    case 'sigmoid': return 1 / (1 + Math.exp(-z));
    case 'tanh': return Math.tanh(z);
    case 'elu': return z > 0 ? z : alpha * Math.expm1(z);
    case 'selu': return z > 0 ? SELU_SCALE64 * z : SELU_SCALE64 * SELU_ALPHA64 * Math.expm1(z);
    case 'leaky_relu': return z > 0 ? z : alpha * z;
    case 'softplus': return Math.log1p(Math.exp(z));
    default: throw new Error(`no float64 reference for '${op}'`);
  }
}

/** op'(z) from the output y = op(z), in float64 (the form a fused backward gets: it keeps only y). */
function slope64(op: UnaryOp, y: number, alpha: number): number {
  switch (op) {
    case 'linear': return 1;
    case 'neg': return -1;
    case 'exp': return y;
    case 'sign': case 'step': return 0;
    case 'relu': return y > 0 ? 1 : 0;
    case 'sigmoid': return y * (1 - y);
    case 'tanh': return 1 - y * y;
    case 'elu': return y > 0 ? 1 : y + alpha;
    case 'selu': return y > 0 ? SELU_SCALE64 : y + SELU_SCALE64 * SELU_ALPHA64;
    case 'leaky_relu': return y > 0 ? 1 : alpha;
    case 'softplus': return -Math.expm1(-y); // sigmoid(z) = 1 - e^-softplus(z)
    default: throw new Error(`no float64 reference for '${op}'`);
  }
}

/** C = op(A) op(B) in float64 with S = sum of |terms| per element; A stored [m, k] or [k, m] (transA), B [k, n] or [n, k] (transB). */
function gemm64(transA: boolean, transB: boolean, m: number, n: number, k: number, a: ArrayLike<number>,
  b: ArrayLike<number>): { c: Float64Array; s: Float64Array } {
  const c = new Float64Array(m * n);
  const s = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      let mag = 0;
      for (let p = 0; p < k; p++) {
        const t = (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
        acc += t;
        mag += Math.abs(t);
      }
      c[i * n + j] = acc;
      s[i * n + j] = mag;
    }
  }
  return { c, s };
}

/** |got - want| <= 1e-6 |want| + gamma scale elementwise (NaN never passes). */
function assertNear64(got: Float32Array, want: Float64Array, scale: Float64Array, gamma: number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    const tol = 1e-6 * Math.abs(want[i]) + gamma * scale[i];
    assert.ok(Math.abs(got[i] - want[i]) <= tol, `${what}[${i}]: float64 gives ${want[i]}, got ${got[i]} (off by ${Math.abs(got[i] - want[i])}, allowed ${tol})`);
  }
}

/** x [rows, inF], W, b, dy from fixed seeds; nearKink: b[u] = -fround(x[0] W[:, u]), so row 0's pre-activations are roundings. */
function float64Case(rows: number, inF: number, units: number, nearKink: boolean): { x: Float32Array; w: Float32Array; b: Float32Array; dy: Float32Array } {
  const x = scaledArray(rows * inF, 21);
  const w = scaledArray(inF * units, 22);
  const b = scaledArray(units, 23);
  if (nearKink) for (let u = 0; u < units; u++) b[u] = -gemm64(false, false, 1, 1, inF, x.subarray(0, inF), w.filter((_, i) => i % units === u)).c[0];
  return { x, w, b, dy: scaledArray(rows * units, 24) };
}

/** [rows, inF, units, nearKink]: odd shapes, and 300 inputs with a near-kink row (float32 sums of 300 terms err by ~1e-6 S). */
const SHAPES64 = [[1, 1, 1, false], [7, 13, 5, false], [3, 17, 33, false], [8, 300, 16, true], [0, 4, 3, false]] as const;
/** Dense activation names that run fused (their derivative from the output alone). */
const FUSED_NAMES = ACTIVATION_NAMES.filter((name) => fusableActivation(activationSpec(name)) !== null);

describe('float64 reference of the fused activations', () => {
  it('each output-form derivative equals the float64 central difference of its activation', () => {
    for (const op of ACTIVATIONS) {
      const alpha = ALPHA[op] ?? 0;
      for (let z = -4; z <= 4; z += 0.37) { // never within 0.03 of the kink at 0
        const h = 1e-5;
        const fd = (act64(op, z + h, alpha) - act64(op, z - h, alpha)) / (2 * h); // error ~ h^2 f''' / 6 + 1e-16 / h
        const got = slope64(op, act64(op, z, alpha), alpha);
        assert.ok(Math.abs(got - fd) <= 1e-8 * Math.max(1, Math.abs(fd)), `${op}'(${z}): central difference ${fd}, output form ${got}`);
      }
    }
  });

  it('Dense layers run fused for exactly these activation names', () => {
    assert.deepEqual(FUSED_NAMES, ['linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'elu', 'selu', 'softplus']);
  });
});

for (const backend of BACKENDS) {
  describe(`${backend} dense kernels against float64`, () => {
    const oracle = backend === 'ts';
    const use = <T>(fn: (k: Kernels) => T): T => {
      setBackend(backend);
      try { return fn(kernels); } finally { resetBackend(); }
    };

    it('denseForward: y = act(x W + b) within float32 rounding of float64, every fused activation (near-kink row included)', () => {
      for (const [rows, inF, units, nearKink] of SHAPES64) {
        const { x, w, b } = float64Case(rows, inF, units, nearKink);
        const { c: xw, s: xwMag } = gemm64(false, false, rows, units, inF, x, w);
        // Pre-activation error bound: gamma S; the activation multiplies it by its slope (<= 1.76, or y for exp).
        const gamma = oracle ? 1e-12 : (inF + 2) * U32;
        for (const act of ACTIVATIONS) {
          const alpha = ALPHA[act] ?? 0;
          for (const bias of [b, null]) {
            const want = new Float64Array(rows * units);
            const scale = new Float64Array(rows * units);
            for (let i = 0; i < want.length; i++) {
              const bu = bias === null ? 0 : bias[i % units];
              want[i] = act64(act, xw[i] + bu, alpha);
              scale[i] = (xwMag[i] + Math.abs(bu)) * Math.max(1.76, Math.abs(want[i]));
              // sign and step jump at 0: within the bound of 0, either side is a right rounding.
              if ((act === 'sign' || act === 'step') && Math.abs(xw[i] + bu) <= gamma * (xwMag[i] + Math.abs(bu))) scale[i] = Infinity;
            }
            const y = nanArray(rows * units);
            use((k) => k.denseForward(x, w, bias, rows, inF, units, act, alpha, y));
            assertNear64(y, want, scale, gamma, `${backend} ${act} ${rows}x${inF}x${units} bias=${bias !== null} y`);
          }
        }
      }
    });

    it('denseBackward: dx, dW, db within float32 rounding of float64 from the same y, every fused activation', () => {
      for (const [rows, inF, units, nearKink] of SHAPES64) {
        const { x, w, b, dy } = float64Case(rows, inF, units, nearKink);
        const { c: xw } = gemm64(false, false, rows, units, inF, x, w);
        for (const act of ACTIVATIONS) {
          const alpha = ALPHA[act] ?? 0;
          const y = Float32Array.from(xw, (v, i) => act64(act, v + b[i % units], alpha));
          const dz = Float64Array.from(dy, (d, i) => d * slope64(act, y[i], alpha));
          const dx64 = gemm64(false, true, rows, inF, units, dz, w);
          const dW64 = gemm64(true, false, inF, units, rows, x, dz);
          const db64 = gemm64(false, false, 1, units, rows, new Float64Array(rows).fill(1), dz);
          const [dx, dW, db] = [nanArray(rows * inF), nanArray(inF * units), nanArray(units)];
          use((k) => k.denseBackward(x, w, y, dy, rows, inF, units, act, alpha, dx, dW, db));
          // dz is stored in float32 first (2^-24 of each term), then summed: k terms in float32 or float64.
          const gamma = (terms: number): number => U32 + (oracle ? 1e-12 : (terms + 1) * U32);
          const what = `${backend} ${act} ${rows}x${inF}x${units}`;
          assertNear64(dx, dx64.c, dx64.s, gamma(units), `${what} dx`);
          assertNear64(dW, dW64.c, dW64.s, gamma(rows), `${what} dW`);
          assertNear64(db, db64.c, db64.s, gamma(rows), `${what} db`);
        }
      }
    });

    it('one SGD step of Dense(6, act) -> Dense(3, softmax) matches float64 (weights and loss), every fused activation', async () => {
      const [rows, inF, hidden, classes, lr] = [8, 5, 6, 3, 0.5];
      const x = scaledArray(rows * inF, 31);
      const labels = Array.from({ length: rows }, (_, r) => (r * 7) % classes);
      const w0 = [scaledArray(inF * hidden, 32, 0.8), scaledArray(hidden, 33, 0.1), scaledArray(hidden * classes, 34, 0.8), scaledArray(classes, 35, 0.1)];
      const z1 = gemm64(false, false, rows, hidden, inF, x, w0[0]);
      // Far from the kinks (|z| > 1e-3 S, rounding is < 1e-6 S), so every backend must take float64's branch.
      z1.c.forEach((v, i) => assert.ok(Math.abs(v + w0[1][i % hidden]) > 1e-3 * z1.s[i], `test data: z1[${i}] = ${v} is near 0`));
      for (const name of FUSED_NAMES) {
        const { op, alpha } = fusableActivation(activationSpec(name)) ?? { op: 'linear' as UnaryOp, alpha: 0 };
        // float64: h = act(x W1 + b1), p = softmax(h W2 + b2), loss = mean -log p[label];
        // dz2 = (p - onehot) / rows, dW2 = h^T dz2, db2 = sum dz2, dz1 = dz2 W2^T act'(z1), dW1 = x^T dz1, db1 = sum dz1.
        const forward64 = (w: ArrayLike<number>[]): { h: Float64Array; p: Float64Array; loss: number } => {
          const z = gemm64(false, false, rows, hidden, inF, x, w[0]).c;
          const h = z.map((v, i) => act64(op, v + w[1][i % hidden], alpha));
          const logits = gemm64(false, false, rows, classes, hidden, h, w[2]).c.map((v, i) => v + w[3][i % classes]);
          const p = new Float64Array(rows * classes);
          let loss = 0;
          for (let r = 0; r < rows; r++) {
            const row = logits.subarray(r * classes, (r + 1) * classes);
            const max = Math.max(...row);
            const sum = row.reduce((acc, v) => acc + Math.exp(v - max), 0);
            for (let c = 0; c < classes; c++) p[r * classes + c] = Math.exp(row[c] - max) / sum;
            loss -= Math.log(p[r * classes + labels[r]]) / rows;
          }
          return { h, p, loss };
        };
        const { h, p } = forward64(w0);
        const dz2 = p.map((v, i) => (v - (i % classes === labels[Math.floor(i / classes)] ? 1 : 0)) / rows);
        const ones = new Float64Array(rows).fill(1);
        const dh = gemm64(false, true, rows, hidden, classes, dz2, w0[2]).c;
        const dz1 = dh.map((v, i) => v * slope64(op, h[i], alpha));
        const grads = [gemm64(true, false, inF, hidden, rows, x, dz1).c, gemm64(false, false, 1, hidden, rows, ones, dz1).c,
          gemm64(true, false, hidden, classes, rows, h, dz2).c, gemm64(false, false, 1, classes, rows, ones, dz2).c];
        const w1 = w0.map((w, j) => Float64Array.from(w, (v, i) => v - lr * grads[j][i]));

        setBackend(backend);
        try {
          const model = new Sequential([new Dense(hidden, { activation: name, inputShape: [inF] }), new Dense(classes, { activation: 'softmax' })]);
          model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: lr }), initializerAdvice: false });
          model.setWeights(w0);
          const xs = tensor(x, [rows, inF]);
          const ys = tensor(labels, [rows]);
          await model.fit(xs, ys, { epochs: 1, batchSize: rows, shuffle: false, verbose: 0 });
          model.getWeights().forEach((got, j) => got.forEach((v, i) => {
            const want = w1[j][i];
            assert.ok(Math.abs(v - want) <= 1e-6 * Math.abs(want) + 1e-8, `${backend} ${name} weight ${j}[${i}]: float64 gives ${want}, got ${v}`);
          }));
          const loss = model.evaluate(xs, ys).loss;
          const want = forward64(w1).loss;
          assert.ok(Math.abs(loss - want) <= 1e-6 * want, `${backend} ${name} loss after one step: float64 gives ${want}, got ${loss}`);
        } finally {
          resetBackend();
        }
      }
    });
  });
}
