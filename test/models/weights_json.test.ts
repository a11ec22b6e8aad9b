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

test('setWeights rejects non-numbers and NaN/Infinity, naming the weight and the index, and changes nothing', () => {
  // A user trial fed JSON with "x" and NaN and got NaN weights silently.
  const m = mlp();
  const before = m.getWeights();
  const bad = (i: number, j: number, v: unknown): unknown[][] => {
    const w: unknown[][] = m.getWeights();
    w[i][j] = v;
    return w;
  };
  const cases: [unknown, RegExp][] = [['x', /received 'x'/], [NaN, /received number NaN/], [Infinity, /received number Infinity/], [null, /received null/], [undefined, /received undefined/]];
  for (const [value, shown] of cases) {
    assert.throws(() => m.setWeights(bad(2, 5, value) as number[][]), (e: unknown) =>
      e instanceof ValueError && /setWeights: weight "dense_\d+\/kernel" \(array 2\) at index 5/.test(e.message) && shown.test(e.message) && /expected a finite number/.test(e.message));
  }
  // The bad value is in the third array: the first two were not written either.
  assert.deepEqual(m.getWeights(), before);
  assert.throws(() => m.setWeights([before[0], 'abc', before[2], before[3]] as never), (e: unknown) => e instanceof ValueError && /array 1 \(weight "dense.*\/bias"\) is 'abc'/.test(e.message));
  assert.throws(() => m.setWeights({ length: 4 } as never), (e: unknown) => e instanceof ValueError && /expected an array of 4 arrays/.test(e.message));
  // Typed arrays are accepted as before.
  m.setWeights(before.map((w) => Float32Array.from(w)));
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
    e instanceof ValueError && /softmaxCrossEntropy/.test(e.message) && /categorical_crossentropy', fromLogits: true/.test(e.message));
});
