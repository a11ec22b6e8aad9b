// Case 21: predict() never updates batch-norm moving statistics, even with training: true
// (found by a user trial); and regularization_loss is the penalty itself, whatever the data loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/core/tensor.js';
import { BatchNormalization } from '../../src/layers/batch_normalization.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { L2 } from '../../src/regularizers/l2.js';

test('predict with training: true uses batch statistics but leaves the moving statistics as they were', () => {
  const bn = new BatchNormalization({ inputShape: [1] });
  const model = new Sequential([bn]);
  const x = tensor([[1], [2], [3], [4]]);
  const y = model.predict(x, { training: true });
  // Batch statistics: (x - 2.5) / sqrt(1.25 + 0.001).
  assert.ok(Math.abs(y.data[0] - -1.3411) < 1e-4);
  assert.deepEqual(model.nonTrainableWeights.map((w) => Array.from(w.data)), [[0], [1]]);
});

test('regularization_loss is the L2 penalty even when the data loss is huge', async () => {
  // Kernel [[0.5]] with L2 0.01: penalty 0.01 * 0.25 = 0.0025, while the MSE on targets of 1e4 is ~1e8.
  const dense = new Dense(1, { useBias: false, kernelRegularizer: new L2({ l2: 0.01 }), inputShape: [1] });
  const model = new Sequential([dense]);
  dense.kernel!.assign([0.5]);
  model.compile({ loss: 'mean_squared_error', optimizer: new SGD({ learningRate: 1e-12 }) });
  const h = await model.fit(tensor([[1]]), tensor([[1e4]]), { epochs: 1, batchSize: 1 });
  assert.ok(Math.abs(h.history.regularization_loss[0] - 0.0025) < 1e-9, String(h.history.regularization_loss[0]));
});
