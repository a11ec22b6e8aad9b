// BatchNormalization with Keras 3 semantics: the case of tensorflow/tfjs#562 with its
// numbers, the book's BN model summary, moving statistics as non-trainable weights, mode
// resolution (explicit training argument; predict/evaluate never update; frozen layer = inference),
// and the effect on training (batch statistics normalize the batch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { BatchNormalization, Dense, Flatten, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';

const close = (got: ArrayLike<number>, expected: readonly number[], tol: number, what = ''): void => {
  assert.equal(got.length, expected.length, what);
  expected.forEach((e, i) => assert.ok(Math.abs(got[i] - e) <= tol, `${what}[${i}]: ${got[i]} vs ${e}`));
};

test('case 21: x = [1, 2, 3, 4], one feature: training output, moving mean 0.025, moving var 1.0025; inference x * 0.999500', () => {
  const x = tensor([[1], [2], [3], [4]]);
  const bn = new BatchNormalization();
  // Training: mean 2.5, biased variance 1.25: (x - 2.5)/sqrt(1.25 + 0.001).
  const y = bn.apply(x, { training: true });
  close(y.data, [-1.34110, -0.44703, 0.44703, 1.34110], 1e-5, 'training output');
  // moving = 0.99 * old + 0.01 * batch: 0.99 * 0 + 0.01 * 2.5 = 0.025; 0.99 * 1 + 0.01 * 1.25 = 1.0025.
  close(bn.movingMean?.data ?? [], [0.025], 1e-7, 'moving mean');
  close(bn.movingVariance?.data ?? [], [1.0025], 1e-7, 'moving variance');
  // Inference on a fresh layer (mean 0, var 1): x / sqrt(1.001) = x * 0.999500; statistics unchanged.
  const fresh = new BatchNormalization();
  const yi = fresh.apply(x, { training: false });
  close(yi.data, [1, 2, 3, 4].map((v) => v * 0.9995003746877732), 1e-6, 'inference output');
  assert.ok(Math.abs(0.9995003746877732 - 0.999500) < 5e-7);
  close(fresh.movingMean?.data ?? [], [0], 0, 'moving mean after inference');
  close(fresh.movingVariance?.data ?? [], [1], 0, 'moving variance after inference');
  // No training argument means inference (Keras's default training=None outside fit).
  close(fresh.apply(x).data, yi.data as unknown as number[], 0, 'default mode');
});

test("the book's BN model: Total params 271,346, Trainable 268,978, Non-trainable 2,368", () => {
  resetLayerNames();
  const model = new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new BatchNormalization(),
    new Dense(300, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new BatchNormalization(),
    new Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new BatchNormalization(),
    new Dense(10, { activation: 'softmax' }),
  ]);
  const text = model.summary();
  // BN: 4 per feature (4 x 784 = 3,136, 4 x 300 = 1,200, 4 x 100 = 400); non-trainable 2 x (784 + 300 + 100).
  assert.match(text, /batch_normalization \(BatchNormalization\)\s+\(None, 784\)\s+3,136/);
  assert.match(text, /batch_normalization_1 \(BatchNormalization\)\s+\(None, 300\)\s+1,200/);
  assert.match(text, /batch_normalization_2 \(BatchNormalization\)\s+\(None, 100\)\s+400/);
  assert.match(text, /Total params: 271,346/);
  assert.match(text, /Trainable params: 268,978/);
  assert.match(text, /Non-trainable params: 2,368/);
  // The first BN layer's variables, as the book lists them (hml3 idx 50).
  const bn = model.layers[1];
  assert.deepEqual(bn.weights.map((w) => [w.name, w.trainable]), [
    ['batch_normalization/gamma', true], ['batch_normalization/beta', true],
    ['batch_normalization/moving_mean', false], ['batch_normalization/moving_variance', false],
  ]);
});

test('trainable = false freezes gamma and beta; trainable = true never makes the moving statistics trainable', () => {
  const bn = new BatchNormalization();
  bn.build([null, 3]);
  bn.trainable = false;
  assert.equal(bn.trainableWeights.length, 0);
  assert.equal(bn.nonTrainableWeights.length, 4);
  bn.trainable = true;
  assert.deepEqual(bn.trainableWeights.map((w) => w.name.split('/')[1]), ['gamma', 'beta']);
  assert.deepEqual(bn.nonTrainableWeights.map((w) => w.name.split('/')[1]), ['moving_mean', 'moving_variance']);
  // center and scale false: only the moving statistics.
  const plain = new BatchNormalization({ center: false, scale: false });
  plain.build([null, 3]);
  assert.equal(plain.countParams(), 6);
  assert.equal(plain.trainableWeights.length, 0);
});

test('a frozen BN layer runs in inference mode even with training: true and keeps its statistics (Keras 3)', () => {
  const bn = new BatchNormalization();
  const x = tensor([[1], [2], [3], [4]]);
  bn.build([null, 1]);
  bn.trainable = false;
  const y = bn.apply(x, { training: true });
  close(y.data, [1, 2, 3, 4].map((v) => v / Math.sqrt(1.001)), 1e-6);
  close(bn.movingMean?.data ?? [], [0], 0);
});

test('fit updates the moving statistics; predict and evaluate never do; they use the moving statistics', async () => {
  resetLayerNames();
  const rng = new Rng(3);
  const n = 64;
  // Features with mean 5 and std 2: the moving statistics must move toward them.
  const x = new Tensor(Float32Array.from({ length: n * 2 }, () => 5 + 2 * rng.nextNormal()), [n, 2]);
  const y = new Tensor(Float32Array.from({ length: n }, (_, i) => (x.data[2 * i] > 5 ? 1 : 0)), [n]);
  const bn = new BatchNormalization({ momentum: 0.9 });
  const model = new Sequential([new Flatten({ inputShape: [2] }), bn, new Dense(2, { activation: 'softmax' })]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.05 }), metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 3, batchSize: 16, seed: 2 });
  const mean = [...(bn.movingMean as Tensor).data];
  assert.ok(mean.every((m) => m > 3.5 && m < 6.5), `moving mean ${mean}`);
  const before = [...(bn.movingMean as Tensor).data, ...(bn.movingVariance as Tensor).data];
  const p = model.predict(x);
  model.evaluate(x, y);
  assert.deepEqual([...(bn.movingMean as Tensor).data, ...(bn.movingVariance as Tensor).data], before);
  // predict used the moving statistics: the same as calling the layers in inference mode.
  const ref = model.call(x, { training: false });
  close(p.data, [...ref.data], 1e-6, 'predict = inference call');
});

test('training mode normalizes with the batch statistics: outputs have mean 0 and variance ~1 per feature', () => {
  const rng = new Rng(8);
  const n = 200;
  const x = new Tensor(Float32Array.from({ length: n * 3 }, (_, i) => 10 * (i % 3) + (1 + (i % 3)) * rng.nextNormal()), [n, 3]);
  const bn = new BatchNormalization();
  const y = bn.apply(x, { training: true });
  for (let c = 0; c < 3; c++) {
    let s = 0;
    let ss = 0;
    for (let r = 0; r < n; r++) { s += y.data[3 * r + c]; ss += y.data[3 * r + c] ** 2; }
    const m = s / n;
    const v = ss / n - m * m;
    assert.ok(Math.abs(m) < 1e-5, `feature ${c} mean ${m}`);
    // The output variance is var / (var + eps), between 1/1.001 (var near 1) and 1.
    assert.ok(v > 1 / 1.0011 && v < 1, `feature ${c} variance ${v}`);
  }
  // In inference the same layer (moving stats barely moved) does not normalize them.
  const yi = bn.apply(x, { training: false });
  assert.ok(Math.abs(yi.data[1] - y.data[1]) > 1, 'inference must not use the batch statistics');
});

test('axis 1 of a 3-D input normalizes per channel; options and shapes are checked', () => {
  const bn = new BatchNormalization({ axis: 1 });
  const x = new Tensor(Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => i), [2, 3, 4]);
  const y = bn.apply(x, { training: true });
  assert.equal(bn.movingMean?.size, 3);
  // Channel 0 holds 0..3 and 12..15: mean 7.5.
  close(bn.movingMean?.data ?? [], [0.075, 0.115, 0.155], 1e-6);
  assert.deepEqual(y.shape, [2, 3, 4]);
  assert.throws(() => new BatchNormalization({ momentum: 1.5 }), ValueError);
  assert.throws(() => new BatchNormalization({ epsilon: 0 }), ValueError);
  assert.throws(() => new BatchNormalization({ axis: 3 }).build([null, 4]), ValueError);
  assert.throws(() => bn.apply(tensor([[1, 2]])), ShapeError);
});
