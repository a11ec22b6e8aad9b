import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { grad } from '../../src/autodiff/grad.js';
import { sum } from '../../src/autodiff/primitives.js';
import { Activation, Dense, Flatten, resetLayerNames } from '../../src/layers/index.js';

const close = (got: ArrayLike<number>, expected: number[], tol = 1e-6): void => {
  assert.equal(got.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(got[i] - e) <= tol, `element ${i}: ${got[i]} vs ${e}`));
};

test('Dense output equals the hand computation for a 2x3 input with set weights', () => {
  resetLayerNames();
  const layer = new Dense(2, { activation: 'relu', inputShape: [3] });
  layer.build([null, 3]);
  layer.kernel?.assign([0.5, -1, 2, 0, -1, 0.25]); // W = [[0.5, -1], [2, 0], [-1, 0.25]]
  layer.bias?.assign([0.1, -0.2]);
  const x = tensor([[1, 2, 3], [4, 5, -6]]);
  const y = layer.apply(x);
  // Row 1: z = [0.5 + 4 - 3 + 0.1, -1 + 0 + 0.75 - 0.2] = [1.6, -0.45] -> relu [1.6, 0].
  // Row 2: z = [2 + 10 + 6 + 0.1, -4 + 0 - 1.5 - 0.2] = [18.1, -5.7] -> relu [18.1, 0].
  assert.deepEqual(y.shape, [2, 2]);
  close(y.data, [1.6, 0, 18.1, 0]);
  // Linear and sigmoid variants of the same weights.
  const lin = new Dense(2);
  lin.build([null, 3]);
  lin.kernel?.assign(layer.kernel as Tensor);
  lin.bias?.assign([0.1, -0.2]);
  close(lin.apply(x).data, [1.6, -0.45, 18.1, -5.7]);
  // Without bias: subtract b.
  const nb = new Dense(2, { useBias: false });
  nb.build([null, 3]);
  nb.kernel?.assign(layer.kernel as Tensor);
  assert.equal(nb.bias, null);
  close(nb.apply(x).data, [1.5, -0.25, 18, -5.5]);
  assert.equal(nb.countParams(), 6);
  assert.equal(layer.countParams(), 8);
});

test('Dense with softmax activation: rows of probabilities', () => {
  const layer = new Dense(3, { activation: 'softmax', kernelInitializer: 'zeros' });
  const y = layer.apply(tensor([[1, 2], [3, 4]]));
  // Zero kernel and bias: all logits 0 -> uniform 1/3.
  close(y.data, new Array(6).fill(1 / 3));
});

test('Dense keeps leading dims: [2, 3, 4] -> [2, 3, 5]', () => {
  const layer = new Dense(5);
  const y = layer.apply(tensor(new Float32Array(24).fill(1), [2, 3, 4]));
  assert.deepEqual(y.shape, [2, 3, 5]);
  assert.deepEqual(layer.computeOutputShape([null, 3, 4]), [null, 3, 5]);
});

test('weights are named <layer>/kernel and <layer>/bias; layers are auto-numbered per class', () => {
  resetLayerNames();
  const a = new Dense(4);
  const b = new Dense(2);
  const f = new Flatten();
  const f2 = new Flatten();
  const act = new Activation('relu');
  assert.deepEqual([a.name, b.name, f.name, f2.name, act.name], ['dense', 'dense_1', 'flatten', 'flatten_1', 'activation']);
  a.build([null, 3]);
  assert.deepEqual(a.weights.map((w) => w.name), ['dense/kernel', 'dense/bias']);
  assert.deepEqual(a.kernel?.shape, [3, 4]);
  assert.deepEqual(a.bias?.shape, [4]);
  // Default bias initializer: zeros.
  assert.deepEqual([...(a.bias as Tensor).data], [0, 0, 0, 0]);
  const named = new Dense(1, { name: 'out' });
  named.build([null, 2]);
  assert.deepEqual(named.weights.map((w) => w.name), ['out/kernel', 'out/bias']);
  assert.equal(new Dense(1).name, 'dense_2');
});

test('an input whose last dim does not match the kernel names the layer and the shapes', () => {
  resetLayerNames();
  const layer = new Dense(2, { inputShape: [3] });
  layer.build([null, 3]);
  assert.throws(() => layer.apply(tensor([[1, 2, 3, 4], [5, 6, 7, 8]])), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /Dense "dense"/);
    assert.match(e.message, /3/);
    assert.match(e.message, /\[2, 4\]/);
    return true;
  });
});

// errors.ts: "ShapeError: tensor shapes that do not fit together"; the dense primitive throws a
// ShapeError for the same mismatch, but Layer.checkInput throws a ValueError.
test('the Dense input-dim mismatch is a ShapeError, like the dense primitive\'s', () => {
  const layer = new Dense(2);
  layer.build([null, 3]);
  assert.throws(() => layer.apply(tensor([[1, 2, 3, 4]])), ShapeError);
});

test('unknown activation names throw ValueError with did-you-mean; aliases are accepted', () => {
  assert.throws(() => new Dense(3, { activation: 'rleu' }), (e: unknown) => {
    assert.ok(e instanceof ValueError);
    assert.match(e.message, /received 'rleu'/);
    assert.match(e.message, /Did you mean 'relu'\?/);
    return true;
  });
  assert.throws(() => new Activation('sigmiod'), (e: unknown) => e instanceof ValueError && /Did you mean 'sigmoid'/.test(e.message));
  assert.equal(new Dense(1, { activation: 'leakyRelu' }).activation, 'leaky_relu');
  assert.equal(new Dense(1, { activation: null }).activation, 'linear');
  assert.equal(new Dense(1).activation, 'linear');
});

test('units must be a positive integer', () => {
  for (const units of [0, -3, 2.5, Number.NaN]) {
    assert.throws(() => new Dense(units), (e: unknown) => e instanceof ValueError && e.message.includes(String(units)), `units ${units}`);
  }
});

test('trainable = false makes the weights non-trainable (and back)', () => {
  const frozen = new Dense(3, { trainable: false });
  frozen.build([null, 2]);
  assert.equal(frozen.trainableWeights.length, 0);
  assert.equal(frozen.nonTrainableWeights.length, 2);
  for (const w of frozen.weights) assert.equal(w.requiresGrad, false);
  const layer = new Dense(3);
  layer.build([null, 2]);
  assert.equal(layer.trainableWeights.length, 2);
  layer.trainable = false;
  assert.equal(layer.trainableWeights.length, 0);
  assert.equal(layer.kernel?.trainable, false);
  // No gradient reaches a frozen kernel: the output does not require gradients from it.
  const y = layer.apply(tensor([[1, 2]]));
  assert.equal(y.requiresGrad, false);
  layer.trainable = true;
  assert.equal(layer.trainableWeights.length, 2);
  assert.equal(layer.getConfig().trainable, true);
});

test('Dense gradient w.r.t. the input is W summed over units (hand case)', () => {
  const layer = new Dense(2, { useBias: false });
  layer.build([null, 3]);
  layer.kernel?.assign([1, 2, 3, 4, 5, 6]); // rows [1, 2], [3, 4], [5, 6]
  // d sum(x W) / dx_i = sum_j W_ij = [3, 7, 11].
  const [g] = grad((x) => sum(layer.apply(x)))(tensor([[0.5, -1, 2]]));
  assert.deepEqual([...g.data], [3, 7, 11]);
});

test('Flatten: [batch, d1, d2, ...] -> [batch, d1 * d2 * ...], no copy', () => {
  const f = new Flatten();
  assert.deepEqual(f.computeOutputShape([null, 28, 28]), [null, 784]);
  assert.deepEqual(f.computeOutputShape([null, 2, 3, 4]), [null, 24]);
  assert.deepEqual(f.computeOutputShape([null, 5]), [null, 5]);
  assert.deepEqual(f.computeOutputShape([null, null, 3]), [null, null]);
  const x = tensor(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
  const y = f.apply(x);
  assert.deepEqual(y.shape, [2, 12]);
  assert.equal(y.data, x.data);
  assert.equal(f.countParams(), 0);
});

// reshape(x, [0, -1]) cannot infer -1 from 0 elements, so Flatten must use the known feature dims.
test('Flatten of an empty batch keeps the feature size: [0, 28, 28] -> [0, 784]', () => {
  const y = new Flatten().apply(new Tensor(new Float32Array(0), [0, 28, 28]));
  assert.deepEqual(y.shape, [0, 784]);
});

test('Activation layer applies the named function; softmax over the last axis', () => {
  const x = tensor([[-1, 0, 2]]);
  assert.deepEqual([...new Activation('relu').apply(x).data], [0, 0, 2]);
  close(new Activation('sigmoid').apply(x).data, [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]);
  // leaky_relu uses Keras 3's slope 0.2; elu alpha 1: elu(-1) = e^-1 - 1.
  close(new Activation('leaky_relu').apply(x).data, [-0.2, 0, 2]);
  close(new Activation('elu').apply(x).data, [Math.exp(-1) - 1, 0, 2]);
  const sm = new Activation('softmax').apply(x);
  close(sm.data, [Math.exp(-1), 1, Math.exp(2)].map((v, _, a) => v / (Math.exp(-1) + 1 + Math.exp(2))));
  const a = new Activation('tanh');
  assert.deepEqual(a.computeOutputShape([null, 3, 4]), [null, 3, 4]);
  assert.equal(a.getConfig().activation, 'tanh');
  assert.equal(a.countParams(), 0);
});
