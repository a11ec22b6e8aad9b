// sampleWeight and classWeight in fit and evaluate, as Keras 3: the loss of a batch is
// sum(loss_i * w_i) / batch size (keras/src/losses/loss.py, 'sum_over_batch_size'), class weights
// become per-sample weights (keras/src/trainers/data_adapters/data_adapter_utils.py
// class_weight_to_sample_weights), and the two together are refused (array_data_adapter.py).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, ShapeError, ValueError } from '../../src/core/errors.js';
import { tensor } from '../../src/core/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';

/** y = w x + b with w = 1, b = 0, mse, plain SGD at 0.1. */
function linear(units = 1, loss = 'mean_squared_error'): Sequential {
  const m = new Sequential([new Dense(units, { inputShape: [1], kernelInitializer: 'ones', biasInitializer: 'zeros' })]);
  m.compile({ loss, optimizer: new SGD({ learningRate: 0.1 }) });
  return m;
}

test('evaluate: sum(loss_i * w_i) / n, across batches', () => {
  const m = linear();
  const x = tensor([[1], [2], [3]]);
  const y = tensor([[0], [0], [0]]);
  // Squared errors [1, 4, 9]: mean 14/3; weights [1, 0, 1]: (1 + 0 + 9) / 3 = 10/3, not the
  // weighted mean (1 + 9) / sum(w) = 5. In batches of 2: (1 + 0) / 2 * 2 + 9 / 1 * 1 = 10, / 3.
  assert.ok(Math.abs(m.evaluate(x, y).loss - 14 / 3) < 1e-6);
  assert.ok(Math.abs(m.evaluate(x, y, { sampleWeight: [1, 0, 1], batchSize: 2 }).loss - 10 / 3) < 1e-6);
  assert.ok(Math.abs(m.evaluate(x, y, { sampleWeight: [[1], [0], [1]] }).loss - 10 / 3) < 1e-6, '[n, 1] weights');
  assert.throws(() => m.evaluate(x, y, { sampleWeight: [1, 2] }), (e: unknown) => e instanceof ShapeError && /one weight per sample \(\[3\]\)/.test(e.message));
  assert.throws(() => m.evaluate(x, y, { sampleWeight: [1, NaN, 2] }), DataError);
  assert.throws(() => m.evaluate(x, y, { classWeight: { 0: 2 } } as never), (e: unknown) => e instanceof ValueError && /evaluate has no classWeight/.test(e.message));
});

test('fit: one SGD step on a weighted batch, by hand', async () => {
  const m = linear();
  // pred = w x + b, x = [1, 2], y = 0, weights [1, 3]: L = (1 (w + b)^2 + 3 (2w + b)^2) / 2.
  // At w = 1, b = 0: L = (1 + 12) / 2 = 6.5; dL/dw = (2 * 1 * 1 + 3 * 2 * 2 * 2) / 2 = 13;
  // dL/db = (2 * 1 + 3 * 2 * 2) / 2 = 7. After SGD(0.1): w = 1 - 1.3 = -0.3, b = 0 - 0.7 = -0.7.
  const h = await m.fit(tensor([[1], [2]]), tensor([[0], [0]]), { sampleWeight: [1, 3], batchSize: 2, shuffle: false, verbose: 0 });
  assert.ok(Math.abs(h.history.loss[0] - 6.5) < 1e-6, `loss ${h.history.loss[0]}`);
  const [k, b] = m.layers[0].weights;
  assert.ok(Math.abs(k.data[0] + 0.3) < 1e-6, `w ${k.data[0]}`);
  assert.ok(Math.abs(b.data[0] + 0.7) < 1e-6, `b ${b.data[0]}`);
});

test('fit: classWeight is the per-sample weight of each class (labels or one-hot argmax), 1 for unlisted classes', async () => {
  const x = tensor([[1], [2], [3], [4]]);
  const run = async (y: ReturnType<typeof tensor>, opts: object, units: number, loss: string): Promise<number[]> => {
    const m = linear(units, loss);
    await m.fit(x, y, { batchSize: 4, shuffle: false, verbose: 0, epochs: 2, ...opts });
    return m.layers[0].weights.flatMap((w) => Array.from(w.data));
  };
  // Integer labels [0, 1, 1, 2] with { 1: 3, 2: 0.5 }: weights [1 (class 0 unlisted), 3, 3, 0.5].
  const labels = tensor([[0], [1], [1], [2]]);
  assert.deepEqual(await run(labels, { classWeight: { 1: 3, 2: 0.5 } }, 1, 'mean_squared_error'), await run(labels, { sampleWeight: [1, 3, 3, 0.5] }, 1, 'mean_squared_error'));
  // One-hot targets: the class is the argmax; string keys as JSON gives them.
  const oneHot = tensor([[1, 0], [0, 1], [0, 1], [1, 0]]);
  assert.deepEqual(await run(oneHot, { classWeight: { 0: 2, 1: 0.25 } }, 2, 'categorical_crossentropy'), await run(oneHot, { sampleWeight: [2, 0.25, 0.25, 2] }, 2, 'categorical_crossentropy'));
  assert.deepEqual(await run(oneHot, { classWeight: { '0': 2, '1': 0.25 } }, 2, 'categorical_crossentropy'), await run(oneHot, { sampleWeight: [2, 0.25, 0.25, 2] }, 2, 'categorical_crossentropy'));
  await assert.rejects(linear().fit(x, labels, { classWeight: { 1: 2 }, sampleWeight: [1, 1, 1, 1], verbose: 0 }), (e: unknown) => e instanceof ValueError && /not both/.test(e.message));
  await assert.rejects(linear().fit(x, labels, { classWeight: { one: 2 } as never, verbose: 0 }), (e: unknown) => e instanceof ValueError && /integer class indices/.test(e.message));
});

test('fit: validationSplit keeps the held-out weights for val_loss; validationData takes [x, y, sampleWeight]', async () => {
  const x = tensor([[1], [2], [3], [4]]);
  const y = tensor([[0], [0], [0], [0]]);
  const m = linear();
  const h = await m.fit(x, y, { sampleWeight: [1, 1, 2, 0], validationSplit: 0.5, shuffle: false, verbose: 0 });
  // After the epoch: val_loss is evaluate on the last two samples with their weights [2, 0].
  const expected = m.evaluate(tensor([[3], [4]]), tensor([[0], [0]]), { sampleWeight: [2, 0] }).loss;
  assert.equal(h.history.val_loss[0], expected);
  assert.notEqual(expected, m.evaluate(tensor([[3], [4]]), tensor([[0], [0]])).loss);
  const h2 = await m.fit(x, y, { validationData: [tensor([[3], [4]]), tensor([[0], [0]]), [2, 0]], verbose: 0 });
  assert.equal(h2.history.val_loss[0], m.evaluate(tensor([[3], [4]]), tensor([[0], [0]]), { sampleWeight: [2, 0] }).loss);
});
