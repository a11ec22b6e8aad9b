// Case 8 (tfjs#688, #96): weights out as JSON and back in, and case 6 (tfjs PR#3156, #656): a loss
// with fromLogits reachable from compile, and a loss name that does not exist says which ones do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { setSeed } from '../../src/core/random.js';
import { tensor } from '../../src/core/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';

function mlp(): Sequential {
  return new Sequential([new Dense(4, { activation: 'relu', inputShape: [3] }), new Dense(2)]);
}

test('getWeights -> JSON -> setWeights reproduces the outputs exactly', () => {
  setSeed(1);
  const a = mlp();
  setSeed(2);
  const b = mlp();
  const x = tensor([[0.5, -1, 2], [1, 1, 1]]);
  assert.notDeepEqual(Array.from(b.predict(x).data), Array.from(a.predict(x).data));
  b.setWeights(JSON.parse(JSON.stringify(a.getWeights())));
  assert.deepEqual(Array.from(b.predict(x).data), Array.from(a.predict(x).data));
  assert.deepEqual(a.getWeights().map((w) => w.length), [12, 4, 8, 2]);
});

test('setWeights with the wrong count or size names the weights', () => {
  const m = mlp();
  assert.throws(() => m.setWeights([[1]]), (e: unknown) => e instanceof ShapeError && /1 arrays for the 4 weights/.test(e.message) && /dense.*\/kernel/.test(e.message));
  const w = m.getWeights();
  w[0] = [1, 2];
  assert.throws(() => m.setWeights(w), (e: unknown) => e instanceof ShapeError && /\/kernel/.test(e.message));
});

test('compile accepts a loss with fromLogits; a TF.js-only loss name gets the valid list', async () => {
  const m = mlp();
  m.compile({ loss: { name: 'sparse_categorical_crossentropy', fromLogits: true }, optimizer: 'sgd', initializerAdvice: false });
  // Logits [1000, 0] with label 1: the stable path gives exactly 1000 (a probability path would clip to 16.1).
  const one = new Sequential([new Dense(2, { useBias: false, inputShape: [1] })]);
  one.setWeights([[1000, 0]]);
  one.compile({ loss: { name: 'sparse_categorical_crossentropy', fromLogits: true }, optimizer: 'sgd' });
  assert.equal(one.evaluate(tensor([[1]]), tensor([1])).loss, 1000);
  assert.throws(() => m.compile({ loss: 'softmaxCrossEntropy', optimizer: 'sgd' }), (e: unknown) =>
    e instanceof ValueError && /softmaxCrossEntropy/.test(e.message) && /sparse_categorical_crossentropy/.test(e.message));
});
