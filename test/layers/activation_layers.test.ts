// LeakyReLU, ELU and PReLU layers: hand-computed outputs, Keras defaults, option checks, gradients
// (float64 central differences), and PReLU's alpha learning in fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { grad } from '../../src/autodiff/grad.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { binary, sum, where } from '../../src/autodiff/primitives.js';
import { mul, scalarLike } from '../../src/ops/arithmetic.js';
import { Dense, ELU, Flatten, LeakyReLU, PReLU, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';

const close = (got: ArrayLike<number>, expected: readonly number[], tol = 1e-6): void => {
  assert.equal(got.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(got[i] - e) <= tol, `element ${i}: ${got[i]} vs ${e}`));
};

test('LeakyReLU: Keras 3 default slope 0.3, alpha alias, hand values, checks', () => {
  const x = tensor([-10, -5, 0, 5, 10]);
  // Keras docstring: LeakyReLU(negative_slope=0.5) -> [-5, -2.5, 0, 5, 10].
  close(new LeakyReLU({ negativeSlope: 0.5 }).apply(x).data, [-5, -2.5, 0, 5, 10]);
  assert.equal(new LeakyReLU().negativeSlope, 0.3);
  close(new LeakyReLU().apply(x).data, [-3, -1.5, 0, 5, 10]);
  assert.equal(new LeakyReLU({ alpha: 0.01 }).negativeSlope, 0.01);
  assert.throws(() => new LeakyReLU({ alpha: 0.1, negativeSlope: 0.2 }), ValueError);
  assert.throws(() => new LeakyReLU({ negativeSlope: -0.1 }), (e: unknown) => e instanceof ValueError && /negativeSlope/.test(e.message));
  // Gradient: 1 for x > 0, the slope for x <= 0.
  const layer = new LeakyReLU({ negativeSlope: 0.2 });
  const [g] = grad((t) => sum(layer.apply(t)))(tensor([-2, 0, 3]));
  close(g.data, [0.2, 0.2, 1]);
});

test('ELU: alpha 1 by default, alpha (e^x - 1) below 0; any alpha gets the right gradient', () => {
  close(new ELU().apply(tensor([-1, 0, 2])).data, [Math.exp(-1) - 1, 0, 2]);
  close(new ELU({ alpha: 0.5 }).apply(tensor([-1])).data, [0.5 * (Math.exp(-1) - 1)]);
  assert.throws(() => new ELU({ alpha: Number.NaN }), ValueError);
  for (const alpha of [1, 0.3, -0.5]) {
    const layer = new ELU({ alpha });
    const x = tensor([-1.3, -0.2, 0.7, 1.9], undefined, 'float64');
    const r = gradcheck((t) => sum(mul(layer.call(t), t)), [x]);
    assert.ok(r.maxError < 1e-7, `ELU alpha ${alpha}: ${r.maxError}`);
  }
});

test('PReLU: alpha per unit (zeros by default), named <layer>/alpha; shared axes; hand values', () => {
  resetLayerNames();
  const p = new PReLU();
  const y = p.apply(tensor([[-4, 2, -1], [3, -2, 0]]));
  // alpha = 0: ReLU.
  close(y.data, [0, 2, 0, 3, 0, 0]);
  assert.equal(p.alpha?.name, 'p_re_lu/alpha');
  assert.deepEqual(p.alpha?.shape, [3]);
  p.alpha?.assign([0.25, 0.5, 0.1]);
  close(p.apply(tensor([[-4, 2, -1], [3, -2, 0]])).data, [-1, 2, -0.1, 3, -1, 0]);
  // Shared axes: [batch, 2, 3] with sharedAxes [1] -> alpha [1, 3].
  const s = new PReLU({ sharedAxes: [1], alphaInitializer: { class_name: 'Constant', config: { value: 0.5 } } });
  const ys = s.apply(tensor(new Float32Array([-2, -2, -2, 1, 1, 1]), [1, 2, 3]));
  assert.deepEqual(s.alpha?.shape, [1, 3]);
  close(ys.data, [-1, -1, -1, 1, 1, 1]);
  assert.equal(s.countParams(), 3);
  assert.throws(() => new PReLU({ sharedAxes: [0] }), ValueError);
  assert.throws(() => new PReLU({ sharedAxes: [3] }).apply(tensor([[1, 2]])), ValueError);
  assert.throws(() => p.apply(tensor([[1, 2]])), ShapeError);
});

test("PReLU's composition where(x > 0, x, alpha x) passes gradcheck for x and alpha", () => {
  const rng = new Rng(5);
  const x = new Tensor(Float64Array.from({ length: 12 }, () => (rng.nextDouble() - 0.5) * 4), [4, 3]);
  for (let i = 0; i < x.size; i++) if (Math.abs(x.data[i]) < 0.05) x.data[i] = 0.3; // away from the kink
  const alpha = tensor([0.1, 0.25, -0.3], undefined, 'float64');
  const w = new Tensor(Float64Array.from({ length: 12 }, (_, i) => Math.cos(i)), [4, 3]);
  const prelu = (t: Tensor, a: Tensor): Tensor => where(binary('greater', t, scalarLike(t, 0)), t, mul(a, t));
  const r = gradcheck((t, a) => sum(mul(prelu(t, a), w)), [x, alpha]);
  assert.ok(r.maxError < 1e-7, `maxError ${r.maxError}`);
  // By hand: d sum(prelu) / d alpha_j = sum of the non-positive x in column j.
  const [, ga] = grad((t, a) => sum(prelu(t, a)))(tensor([[-1, 2], [-3, -4]], undefined, 'float64'), tensor([0.5, 0.5], undefined, 'float64'));
  close(ga.data, [-4, -4]);
});

test('PReLU learns its alpha in fit (weights change, the layer counts its parameters)', async () => {
  resetLayerNames();
  const rng = new Rng(11);
  const n = 64;
  const x = new Tensor(Float32Array.from({ length: n * 4 }, () => rng.nextNormal()), [n, 4]);
  const y = new Tensor(Float32Array.from({ length: n }, (_, i) => (x.data[4 * i] > 0 ? 1 : 0)), [n]);
  const prelu = new PReLU({ alphaInitializer: { class_name: 'Constant', config: { value: 0.25 } } });
  const model = new Sequential([new Flatten({ inputShape: [4] }), new Dense(8, { kernelInitializer: { class_name: 'HeNormal', config: { seed: 1 } } }), prelu, new Dense(2, { activation: 'softmax' })]);
  assert.match(model.summary(), /p_re_lu \(PReLU\)\s+\(None, 8\)\s+8/);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }), initializerAdvice: false });
  await model.fit(x, y, { epochs: 2, batchSize: 16, seed: 1 });
  const alpha = [...(prelu.alpha as Tensor).data];
  assert.ok(alpha.some((a) => Math.abs(a - 0.25) > 1e-4), `alpha did not move: ${alpha}`);
});
