// GradientStats: hand-computable summaries, and a layer that is dead by construction.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GradientStats, deadFraction, meanStd } from '../../src/diagnostics/gradient_stats.js';
import { Sequential } from '../../src/models/sequential.js';
import { Dense } from '../../src/layers/dense.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { tensor } from '../../src/core/tensor.js';

test('meanStd and deadFraction on hand values', () => {
  // [1, 2, 3, 4]: mean 2.5, population variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
  const { mean, std } = meanStd(new Float32Array([1, 2, 3, 4]));
  assert.equal(mean, 2.5);
  assert.ok(Math.abs(std - Math.sqrt(1.25)) < 1e-12);
  // 3 rows x 4 units; units 1 and 3 are zero in every row -> 2/4 dead; unit 0 is zero in two rows only.
  const y = new Float32Array([0, 0, 1, 0, 0, 0, 2, 0, 5, 0, 0, 0]);
  assert.equal(deadFraction(y, 4), 0.5);
});

test('a ReLU layer with a large negative bias is 100% dead and its kernel gradient is exactly 0', async () => {
  const dead = new Dense(4, { activation: 'relu', biasInitializer: { class_name: 'Constant', config: { value: -100 } }, inputShape: [3] });
  const model = new Sequential([dead, new Dense(2, { activation: 'softmax' })]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });
  const x = tensor([[0.1, 0.2, 0.3], [0.3, -0.2, 0.1], [-0.5, 0.4, 0.2], [0.2, 0.2, -0.1]]);
  const y = tensor([0, 1, 0, 1]);
  const stats = new GradientStats();
  await model.fit(x, y, { epochs: 2, batchSize: 2, seed: 1, callbacks: [stats] });
  assert.equal(stats.epochs.length, 2);
  const [first, second] = stats.last;
  assert.equal(first.name, dead.name);
  assert.equal(first.deadFraction, 1);
  assert.equal(first.kernelGradNorm, 0);
  assert.equal(first.activationStd, 0);
  // The output layer gets a nonzero gradient through its bias path but its input is all zeros,
  // so its kernel gradient is zero too; its softmax outputs average 1/2 per unit.
  assert.equal(second.kernelGradNorm, 0);
  assert.ok(Math.abs(second.activationMean - 0.5) < 1e-7);
  assert.equal(second.deadFraction, 0);
});

test('kernel gradient norm equals the L2 norm of the gradient of a one-step fit', async () => {
  // One Dense(1) without bias, one sample x = [1, 2], target 0, MSE: loss = (w.x)^2,
  // dL/dw = 2 (w.x) x. With w = [0.5, 0.25]: w.x = 1, gradient [2, 4], norm sqrt(20).
  const layer = new Dense(1, { useBias: false, kernelInitializer: { class_name: 'Zeros', config: {} }, inputShape: [2] });
  const model = new Sequential([layer]);
  layer.kernel!.assign([0.5, 0.25]);
  model.compile({ loss: 'mean_squared_error', optimizer: new SGD({ learningRate: 0.01 }) });
  const stats = new GradientStats();
  await model.fit(tensor([[1, 2]]), tensor([[0]]), { epochs: 1, batchSize: 1, callbacks: [stats] });
  assert.ok(Math.abs(stats.last[0].kernelGradNorm - Math.sqrt(20)) < 1e-5);
  // population std of [2, 4] is 1
  assert.ok(Math.abs(stats.last[0].kernelGradStd - 1) < 1e-6);
});
