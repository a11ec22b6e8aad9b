import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { valueAndGrad } from '../../src/autodiff/grad.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { softmax } from '../../src/ops/softmax.js';
import {
  EPSILON, binaryCrossentropy, categoricalCrossentropy, meanSquaredError, sparseCategoricalCrossentropy,
} from '../../src/losses/losses.js';
import { LOSS_NAMES, getLoss } from '../../src/losses/get.js';

const f64 = (v: number[][] | number[]): Tensor => tensor(v, undefined, 'float64');
const close = (a: number, b: number, tol: number, what = ''): void =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tol ${tol})`);

// tensorflow/tensorflow#2327 (softmax crossentropy with large logits): logits [1000, 0, -1000], target class 1.
test('sparse categorical crossentropy from logits at [1000, 0, -1000]: loss exactly 1000, gradient softmax - onehot', () => {
  // loss = logsumexp(z) - z_1 = 1000 - 0; d/dz = softmax(z) - y = [1, 0, 0] - [0, 1, 0].
  const f = (z: Tensor): Tensor => sparseCategoricalCrossentropy(tensor([1]), z, { fromLogits: true });
  const { value, grads } = valueAndGrad(f)(tensor([[1000, 0, -1000]]));
  assert.equal(value.item(), 1000);
  assert.deepEqual([...grads[0].data], [1, -1, 0]);
  // Through getLoss with { fromLogits }.
  const { fn } = getLoss({ name: 'sparse_categorical_crossentropy', fromLogits: true });
  assert.equal(fn(tensor([1]), tensor([[1000, 0, -1000]])).item(), 1000);
});

test('categorical crossentropy of softmax(z) is traced back to the logits: 1000 and gradient [1, -1, 0]', () => {
  const onehot = tensor([[0, 1, 0]]);
  const { value, grads } = valueAndGrad((z) => categoricalCrossentropy(onehot, softmax(z)))(tensor([[1000, 0, -1000]]));
  assert.equal(value.item(), 1000);
  for (const g of grads[0].data) assert.ok(Number.isFinite(g));
  assert.deepEqual([...grads[0].data], [1, -1, 0]);
  // The sparse loss on a softmax output takes the same path.
  const { value: v2, grads: g2 } = valueAndGrad((z) => sparseCategoricalCrossentropy(tensor([1]), softmax(z)))(tensor([[1000, 0, -1000]]));
  assert.equal(v2.item(), 1000);
  assert.deepEqual([...g2[0].data], [1, -1, 0]);
});

test('categorical crossentropy with plain probabilities clips at 1e-7 (Keras)', () => {
  // p = [1, 0, 0], target class 1: p_1 clipped to 1e-7 -> -ln(1e-7) = 16.118095650958319.
  assert.equal(EPSILON, 1e-7);
  const loss = categoricalCrossentropy(f64([[0, 1, 0]]), f64([[1, 0, 0]]));
  close(loss.item(), 16.118095650958319, 1e-12, 'float64');
  const loss32 = categoricalCrossentropy(tensor([[0, 1, 0]]), tensor([[1, 0, 0]]));
  close(loss32.item(), 16.118095650958319, 1e-5, 'float32');
  // Probabilities that do not sum to 1 are normalized first: [2, 2] -> [0.5, 0.5] -> ln 2.
  close(categoricalCrossentropy(f64([[1, 0]]), f64([[2, 2]])).item(), Math.LN2, 1e-15, 'normalized');
});

test('crossentropy from logits averages over the batch (hand value 1.5 ln 2)', () => {
  // Sample 1: z = [0, 0], class 0 -> ln 2. Sample 2: z = [ln 3, 0], class 1 -> softmax [3/4, 1/4] -> ln 4.
  // Mean = (ln 2 + 2 ln 2) / 2 = 1.5 ln 2.
  const z = f64([[0, 0], [Math.log(3), 0]]);
  close(sparseCategoricalCrossentropy(f64([0, 1]), z, { fromLogits: true }).item(), 1.5 * Math.LN2, 1e-15);
  close(categoricalCrossentropy(f64([[1, 0], [0, 1]]), z, { fromLogits: true }).item(), 1.5 * Math.LN2, 1e-15);
  // Labels as [batch, 1] are accepted too.
  close(sparseCategoricalCrossentropy(tensor([[0], [1]], undefined, 'float64'), z, { fromLogits: true }).item(), 1.5 * Math.LN2, 1e-15);
});

test('mean squared error: hand value', () => {
  // diffs [0.5, 0, -1, 2] -> squares [0.25, 0, 1, 4] -> mean 5.25 / 4 = 1.3125.
  const loss = meanSquaredError(tensor([[1, 2], [3, 4]]), tensor([[1.5, 2], [2, 6]]));
  assert.equal(loss.item(), 1.3125);
  // Gradient w.r.t. predictions: 2 (p - y) / N = [0.25, 0, -0.5, 1].
  const { grads } = valueAndGrad((p) => meanSquaredError(tensor([[1, 2], [3, 4]]), p))(tensor([[1.5, 2], [2, 6]]));
  assert.deepEqual([...grads[0].data], [0.25, 0, -0.5, 1]);
});

test('binary crossentropy from logits is finite and exact at z = +-1000', () => {
  // Per element max(z, 0) - z y + log(1 + e^-|z|):
  // (y=1, z=-1000) -> 0 + 1000 + 0 = 1000; (y=0, z=1000) -> 1000 - 0 + 0 = 1000; (y=1, z=1000) -> 0.
  assert.equal(binaryCrossentropy(tensor([[1]]), tensor([[-1000]]), { fromLogits: true }).item(), 1000);
  assert.equal(binaryCrossentropy(tensor([[0]]), tensor([[1000]]), { fromLogits: true }).item(), 1000);
  assert.equal(binaryCrossentropy(tensor([[1]]), tensor([[1000]]), { fromLogits: true }).item(), 0);
  // d/dz = (sigmoid(z) - y) / N with N = 2: [(0 - 1) / 2, (1 - 0) / 2].
  const { value, grads } = valueAndGrad((z) => binaryCrossentropy(f64([[1, 0]]), z, { fromLogits: true }))(f64([[-1000, 1000]]));
  assert.equal(value.item(), 1000);
  assert.deepEqual([...grads[0].data], [-0.5, 0.5]);
});

// At z = 0 the formula's kinks must cancel: max'(0) and |z|'(0) have to be taken from the same side
// (TF's sigmoid_cross_entropy_with_logits does so with one `where`). The true derivative is
// sigmoid(0) - y = 0.5 - 1 = -0.5. Logits of exactly 0 occur at initialization (zero bias, an
// all-zero input row).
test('binary crossentropy from logits has the right gradient at z = 0', () => {
  const { value, grads } = valueAndGrad((z) => binaryCrossentropy(f64([[1]]), z, { fromLogits: true }))(f64([[0]]));
  close(value.item(), Math.LN2, 1e-15, 'loss at 0');
  close(grads[0].data[0], -0.5, 1e-12, 'gradient at 0');
});

test('binary crossentropy from probabilities: hand value and clipping', () => {
  // y = [1, 0], p = [0.8, 0.4]: -(ln 0.8 + ln 0.6) / 2 = (0.2231435513 + 0.5108256238) / 2.
  close(binaryCrossentropy(f64([[1, 0]]), f64([[0.8, 0.4]])).item(), -(Math.log(0.8) + Math.log(0.6)) / 2, 1e-15);
  // p = 0 with y = 1 is clipped to 1e-7: -ln(1e-7) = 16.118095650958319, not Infinity.
  close(binaryCrossentropy(f64([[1]]), f64([[0]])).item(), 16.118095650958319, 1e-9, 'clipped');
  // p = 1 with y = 0 is clipped to 1 - 1e-7: -ln(1e-7) up to rounding of 1 - 1e-7.
  close(binaryCrossentropy(f64([[0]]), f64([[1]])).item(), -Math.log(1 - (1 - 1e-7)), 1e-12, 'clipped at 1');
});

test('sparse labels out of range or non-integer throw ValueError naming the label', () => {
  const p = tensor([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]]);
  for (const bad of [3, -1, 1.5, Number.NaN]) {
    assert.throws(() => sparseCategoricalCrossentropy(tensor([0, bad]), p), (e: unknown) => {
      assert.ok(e instanceof ValueError, String(e));
      assert.ok(e.message.includes(`label ${bad}`), e.message);
      assert.match(e.message, /position 1/);
      assert.match(e.message, /\[0, 2\]/);
      return true;
    });
  }
});

test('shape mismatches throw ShapeError showing both shapes', () => {
  const cases: [string, () => unknown][] = [
    ['mse', () => meanSquaredError(tensor([[1, 2]]), tensor([[1, 2, 3]]))],
    ['bce', () => binaryCrossentropy(tensor([[1], [0]]), tensor([[0.5]]))],
    ['cce', () => categoricalCrossentropy(tensor([[0, 1]]), tensor([[0.5, 0.25, 0.25]]))],
  ];
  for (const [name, f] of cases) assert.throws(f, (e: unknown) => e instanceof ShapeError && /\[\d/.test(e.message), name);
  assert.throws(() => categoricalCrossentropy(tensor([[0, 1]]), tensor([[0.5, 0.25, 0.25]])), /\[1, 2\].*\[1, 3\]/);
  assert.throws(() => sparseCategoricalCrossentropy(tensor([0, 1, 2]), tensor([[0.5, 0.5]])), (e: unknown) =>
    e instanceof ShapeError && /\[3\]/.test(e.message) && /\[1, 2\]/.test(e.message));
});

test('getLoss resolves names and aliases, and suggests the nearest name', () => {
  assert.equal(getLoss('mse').name, 'mean_squared_error');
  assert.equal(getLoss('sparseCategoricalCrossentropy').name, 'sparse_categorical_crossentropy');
  assert.equal(getLoss('BinaryCrossentropy').name, 'binary_crossentropy');
  assert.equal(getLoss({ name: 'categorical_crossentropy', fromLogits: true }).fromLogits, true);
  assert.equal(getLoss('categorical_crossentropy').fromLogits, false);
  for (const n of LOSS_NAMES) assert.equal(getLoss(n).name, n);
  assert.throws(() => getLoss('sparse_categorical_crossentropi'), (e: unknown) => {
    assert.ok(e instanceof ValueError);
    assert.match(e.message, /received 'sparse_categorical_crossentropi'/);
    assert.match(e.message, /Did you mean 'sparse_categorical_crossentropy'\?/);
    return true;
  });
  // Nothing close: no suggestion, but the valid list.
  assert.throws(() => getLoss('hinge_xyz'), (e: unknown) => e instanceof ValueError && !/Did you mean/.test(e.message) && /mean_squared_error/.test(e.message));
});

test('every loss passes float64 gradcheck with respect to its predictions', () => {
  const rng = new Rng(77);
  const rand = (shape: number[], lo: number, hi: number): Tensor => {
    const d = new Float64Array(shape[0] * shape[1]);
    rng.fillUniform(d, lo, hi);
    return new Tensor(d, shape);
  };
  const yReal = rand([3, 4], -1, 1);
  const yBin = f64([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]]);
  const yOneHot = f64([[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]]);
  const ySparse = f64([1, 3, 0]);
  const cases: [string, (p: Tensor) => Tensor, Tensor][] = [
    ['mse', (p) => meanSquaredError(yReal, p), rand([3, 4], -1, 1)],
    ['bce logits', (p) => binaryCrossentropy(yBin, p, { fromLogits: true }), rand([3, 4], -3, 3)],
    ['bce probabilities', (p) => binaryCrossentropy(yBin, p), rand([3, 4], 0.1, 0.9)],
    ['cce logits', (p) => categoricalCrossentropy(yOneHot, p, { fromLogits: true }), rand([3, 4], -3, 3)],
    ['cce probabilities', (p) => categoricalCrossentropy(yOneHot, p), rand([3, 4], 0.1, 0.9)],
    ['cce of softmax', (p) => categoricalCrossentropy(yOneHot, softmax(p)), rand([3, 4], -3, 3)],
    ['scce logits', (p) => sparseCategoricalCrossentropy(ySparse, p, { fromLogits: true }), rand([3, 4], -3, 3)],
    ['scce probabilities', (p) => sparseCategoricalCrossentropy(ySparse, p), rand([3, 4], 0.1, 0.9)],
  ];
  for (const [name, f, p] of cases) {
    const r = gradcheck(f, [p]);
    assert.ok(r.maxError < 1e-6, `${name}: maxError ${r.maxError} (${JSON.stringify(r.worst)})`);
  }
});
