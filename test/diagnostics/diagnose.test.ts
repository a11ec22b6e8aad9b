// diagnoseModel on deep networks and standardized MNIST: the "must show" numbers (Glorot &
// Bengio 2010; He et al. 2015; Hands-On Machine Learning, ch. 11), and dead ReLUs (100% dead, zero
// gradient, verdict dead_units).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setSeed } from '../../src/core/random.js';
import type { Tensor } from '../../src/core/tensor.js';
import { mnist } from '../../src/data/mnist.node.js';
import { fitStandardizer } from '../../src/data/standardize.js';
import { diagnoseModel } from '../../src/diagnostics/diagnose.js';
import { Dense } from '../../src/layers/dense.js';
import { Flatten } from '../../src/layers/flatten.js';
import { rowRange } from '../../src/models/batches.js';
import { Sequential } from '../../src/models/sequential.js';

/** 256 MNIST training images standardized per pixel with the whole training set's mean and std, as the book does. */
const batch: Promise<{ x: Tensor; y: Tensor }> = (async () => {
  const { train } = await mnist();
  const s = fitStandardizer(train.x);
  return { x: s.apply(rowRange(train.x, 0, 256)), y: rowRange(train.y, 0, 256) };
})();

/** Flatten -> depth x Dense(100, activation, init) -> Dense(10, softmax). */
function deepMlp(depth: number, activation: string, init: unknown, seed = 42): Sequential {
  setSeed(seed);
  return new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    ...Array.from({ length: depth }, () => new Dense(100, { activation, kernelInitializer: init })),
    new Dense(10, { activation: 'softmax' }),
  ]);
}

test('30 x 100 ReLU: glorot_uniform halves the variance at each layer (log2 std ratio 30/2 near -14, vanishing); he_normal keeps it (near 0, healthy)', async () => {
  const { x, y } = await batch;
  // Theory: layers 2..30 are square, the second moment halves 28 times with glorot_uniform, so the
  // std falls by 2^-14; with he_normal it is kept (2^0). Measured on one batch with width 100, each
  // layer's ratio wanders by about 20% (relative std of the mean of 100 squared ReLU outputs), so
  // the log2 over 28 layers wanders by about sqrt(28) * 0.2 / (2 ln 2) ~ 0.8: the issue's +-2 is 2.5 sigma.
  const glorot = diagnoseModel(deepMlp(30, 'relu', 'glorot_uniform'), x, y);
  const he = diagnoseModel(deepMlp(30, 'relu', 'he_normal'), x, y);
  const log2Ratio = (d: typeof he): number => Math.log2(d.layers[29].activationStd / d.layers[1].activationStd);
  assert.ok(Math.abs(log2Ratio(glorot) - -14) <= 2, `glorot_uniform: log2 ratio ${log2Ratio(glorot)}`);
  assert.ok(Math.abs(log2Ratio(he) - 0) <= 2, `he_normal: log2 ratio ${log2Ratio(he)}`);
  assert.equal(glorot.verdict.kind, 'vanishing');
  assert.equal(he.verdict.kind, 'healthy');
  // The theory column says the same: 0.5 and 1 for every square layer.
  for (const l of glorot.layers.slice(1, 30)) assert.ok(Math.abs(l.theoryVarianceRatio - 0.5) < 1e-9, `${l.name}: ${l.theoryVarianceRatio}`);
  for (const l of he.layers.slice(1, 30)) assert.ok(Math.abs(l.theoryVarianceRatio - 1) < 1e-9, `${l.name}: ${l.theoryVarianceRatio}`);
  // And the geometric mean of the measured ratios over layers 2..30 agrees with it within 25%.
  const geoMean = (d: typeof he): number => Math.exp(d.layers.slice(1, 30).reduce((s, l) => s + Math.log(l.measuredVarianceRatio), 0) / 29);
  assert.ok(Math.abs(geoMean(glorot) / 0.5 - 1) < 0.25, `glorot measured ${geoMean(glorot)}`);
  assert.ok(Math.abs(geoMean(he) - 1) < 0.25, `he measured ${geoMean(he)}`);
  // The verdict names the first layers, whose gradients vanished, and draws the fix from the table.
  assert.equal(glorot.verdict.layers[0], glorot.layers[0].name);
  assert.match(glorot.verdict.fix, /he_normal/);
  assert.ok(glorot.verdict.gradientRatio < 1e-3, `gradient ratio ${glorot.verdict.gradientRatio}`);
  // The JSON shape of `deepwell diagnose --json`.
  const keys = ['name', 'activation', 'initializer', 'activationMean', 'activationStd', 'gradientStd', 'kernelGradientStd',
    'saturatedFraction', 'deadFraction', 'theoryVarianceRatio', 'measuredVarianceRatio'];
  for (const l of he.layers) for (const k of keys) assert.ok(k in l, k);
  assert.equal(he.layers.length, 31);
  assert.equal(he.layers[30].activation, 'softmax');
  assert.deepEqual(Object.keys(he.verdict).slice(0, 4), ['kind', 'layers', 'cause', 'fix']);
});

test('100 x 100 SELU with lecun_normal on standardized MNIST self-normalizes: mean within 0.15 of 0, std within 0.2 of 1 at every layer', async () => {
  const { x, y } = await batch;
  const d = diagnoseModel(deepMlp(100, 'selu', 'lecun_normal'), x, y);
  const hidden = d.layers.slice(0, 100);
  assert.equal(hidden.length, 100);
  for (const l of hidden) {
    assert.ok(Math.abs(l.activationMean) <= 0.15, `${l.name}: mean ${l.activationMean}`);
    assert.ok(Math.abs(l.activationStd - 1) <= 0.2, `${l.name}: std ${l.activationStd}`);
  }
  assert.equal(d.verdict.kind, 'healthy');
});

test('saturation (sigmoid with random_normal stddev 1) and exploding (ReLU with random_normal stddev 1) at 30 layers', async () => {
  const { x, y } = await batch;
  const normal1 = { class_name: 'RandomNormal', config: { stddev: 1 } };
  const sigmoid = diagnoseModel(deepMlp(30, 'sigmoid', normal1), x, y);
  assert.equal(sigmoid.verdict.kind, 'saturation');
  assert.ok(sigmoid.layers[5].saturatedFraction > 0.5, `${sigmoid.layers[5].saturatedFraction}`);
  assert.match(sigmoid.verdict.fix, /nonsaturating/);
  const relu = diagnoseModel(deepMlp(30, 'relu', normal1), x, y);
  assert.equal(relu.verdict.kind, 'exploding');
  // Each square layer multiplies the second moment by 100 * 1 * 1/2 = 50 (theory), measured alike.
  assert.ok(Math.abs(relu.layers[10].theoryVarianceRatio - 50) < 1e-9);
  assert.match(relu.verdict.fix, /he_normal/);
});

test('case 12: a layer of dead ReLUs is 100% dead, passes zero gradient, and the verdict says dead_units', async () => {
  const { x, y } = await batch;
  setSeed(3);
  // A large negative bias (-100) puts every pre-activation of the third layer below 0 for every
  // input: relu outputs 0, relu'(z) = 0, so its kernel and every layer before it get zero gradient.
  const layers = [
    new Dense(50, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new Dense(50, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new Dense(50, { activation: 'relu', kernelInitializer: 'he_normal', biasInitializer: { class_name: 'Constant', config: { value: -100 } } }),
    new Dense(50, { activation: 'relu', kernelInitializer: 'he_normal' }),
  ];
  const model = new Sequential([new Flatten({ inputShape: [28, 28] }), ...layers, new Dense(10, { activation: 'softmax' })]);
  const d = diagnoseModel(model, x, y);
  const dead = d.layers[2];
  assert.equal(dead.deadFraction, 1);
  assert.equal(dead.activationStd, 0);
  assert.equal(dead.kernelGradientStd, 0);
  assert.equal(dead.kernelGradientNorm, 0);
  for (const l of d.layers.slice(0, 2)) {
    assert.equal(l.gradientStd, 0, `${l.name} below the dead layer gets no gradient`);
    assert.equal(l.kernelGradientNorm, 0);
  }
  assert.equal(d.verdict.kind, 'dead_units');
  assert.ok(d.verdict.layers.includes(dead.name));
  assert.match(d.verdict.cause, /100% of the units/);
  assert.match(d.verdict.fix, /leaky_relu/);
});

test('a non-finite forward value makes the verdict exploding and names the layer', async () => {
  const { x, y } = await batch;
  setSeed(1);
  // stddev 30 with ReLU: the second moment grows 100 * 900 / 2 = 45,000-fold per layer and passes
  // float32's largest value, 3.4e38, after about 17 layers (the std grows about 212-fold per layer from 470 at the first).
  const huge = { class_name: 'RandomNormal', config: { stddev: 30 } };
  const model = new Sequential([new Flatten({ inputShape: [28, 28] }), ...Array.from({ length: 20 }, () => new Dense(100, { activation: 'relu', kernelInitializer: huge })), new Dense(10, { activation: 'softmax' })]);
  const d = diagnoseModel(model, x, y);
  assert.equal(d.verdict.kind, 'exploding');
  const first = d.layers.find((l) => l.nonFinite.forward);
  assert.ok(first !== undefined);
  assert.match(d.verdict.cause, new RegExp(`${first.name} are not finite`));
  // JSON turns the NaN statistics into null rather than failing.
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(d)));
});

test('diagnoseModel leaves the weights unchanged and reports the pre-activation of each layer', async () => {
  const { x, y } = await batch;
  const model = deepMlp(3, 'tanh', 'glorot_uniform');
  const before = model.weights.map((w) => w.data.slice());
  const d = diagnoseModel(model, x, y);
  model.weights.forEach((w, i) => assert.deepEqual(w.data, before[i]));
  // tanh shrinks: the outputs' std is below the pre-activations' std in every hidden layer.
  for (const l of d.layers.slice(0, 3)) assert.ok(l.activationStd < l.preActivationStd, l.name);
  assert.ok(Number.isFinite(d.loss) && d.loss > 0);
});

test('diagnosing a model with batch normalization leaves its moving statistics unchanged', async () => {
  const { BatchNormalization } = await import('../../src/layers/batch_normalization.js');
  const { Dense: D } = await import('../../src/layers/dense.js');
  const { Sequential: S } = await import('../../src/models/sequential.js');
  const { tensor: t } = await import('../../src/core/tensor.js');
  const { diagnoseModel: diag } = await import('../../src/diagnostics/diagnose.js');
  const m = new S([new BatchNormalization({ inputShape: [2] }), new D(3, { activation: 'relu' }), new D(2, { activation: 'softmax' })]);
  const before = m.nonTrainableWeights.map((w) => Array.from(w.data));
  diag(m, t([[1, 2], [3, 5], [-1, 0]]), t([0, 1, 1]));
  assert.deepEqual(m.nonTrainableWeights.map((w) => Array.from(w.data)), before);
});
