// fit and evaluate reject data that would otherwise train on nothing or fail deep inside a batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { tensor } from '../../src/core/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';

function model(): Sequential {
  const m = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [2] })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  return m;
}
const x = tensor([[0, 1], [1, 0], [1, 1], [0, 0]]);

test('a validationSplit that leaves no training sample is an error, not loss 0', async () => {
  await assert.rejects(model().fit(x, tensor([0, 1, 2, 0]), { validationSplit: 0.9 }), (e: unknown) =>
    e instanceof ValueError && /validationSplit 0.9 of 4 samples leaves none/.test(e.message));
});

test('a label outside the output units is named by its sample index before training starts', async () => {
  const m = model();
  const before = Array.from(m.layers[0].weights[0].data);
  await assert.rejects(m.fit(x, tensor([0, 1, 2, 7]), { epochs: 1, batchSize: 2 }), (e: unknown) =>
    e instanceof ValueError && /label 7 at sample 3/.test(e.message) && /\[0, 2\]/.test(e.message));
  assert.deepEqual(Array.from(m.layers[0].weights[0].data), before, 'no step was taken');
  assert.throws(() => m.evaluate(x, tensor([0, 1, -1, 0])), /label -1 at sample 2/);
});
