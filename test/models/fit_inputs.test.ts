// fit, evaluate and predict take data in the shapes people have it (Tensors, nested arrays, typed
// arrays with a shape), train the same on each, and refuse NaN/Infinity before the first step with
// the sample and feature. Every bad input is asserted with its message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError, ShapeError, ValueError } from '../../src/core/errors.js';
import { SILENT_OUTPUT, setProgressOutput } from '../../src/callbacks/progress_output.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { setSeed } from '../../src/core/random.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { resetLayerNames } from '../../src/layers/index.js';

setProgressOutput(SILENT_OUTPUT);

const X = [[0, 1], [1, 0], [0.5, 0.5], [1, 1], [0, 0], [0.2, 0.8]];
const Y = [0, 1, 0, 1, 0, 1];

function model(): Sequential {
  resetLayerNames();
  setSeed(1); // the weights are drawn when the layers are built, here, before fit's seed applies
  const m = new Sequential([new Dense(3, { activation: 'relu', inputShape: [2] }), new Dense(2, { activation: 'softmax' })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }), metrics: ['accuracy'], initializerAdvice: false });
  return m;
}

async function trained(x: unknown, y: unknown): Promise<{ loss: number[]; pred: number[] }> {
  const m = model();
  const h = await m.fit(x as never, y as never, { epochs: 3, batchSize: 2, seed: 7, verbose: 0 });
  return { loss: h.history.loss, pred: Array.from(m.predict(x as never).data) };
}

test('fit/predict on nested arrays, { data, shape }, typed arrays and Tensors give the same run bit for bit', async () => {
  const reference = await trained(tensor(X), tensor(Y));
  assert.equal(reference.loss.length, 3);
  assert.deepEqual(await trained(X, Y), reference);
  assert.deepEqual(await trained({ data: Float64Array.from(X.flat()), shape: [6, 2] }, Int32Array.from(Y)), reference);
  assert.deepEqual(await trained({ data: X.flat(), shape: [6, 2] }, { data: Uint8Array.from(Y), shape: [6] }), reference);
});

test('evaluate and validationData accept nested arrays too', async () => {
  const m = model();
  const h = await m.fit(X, Y, { epochs: 1, batchSize: 3, validationData: [X.slice(0, 2), Y.slice(0, 2)], verbose: 0 });
  const e = m.evaluate(X.slice(0, 2), Y.slice(0, 2));
  // The validation figures of the last epoch are evaluate's on the same data with the same weights.
  assert.equal(h.history.val_loss[0], e.loss);
  assert.equal(h.history.val_accuracy[0], e.accuracy);
});

test('data of another kind is refused with what was received', async () => {
  const m = model();
  await assert.rejects(m.fit('x.csv' as never, Y), (e: unknown) => e instanceof ValueError && e.message === "Sequential.fit: x must be a Tensor, nested arrays of numbers, a typed array, or { data, shape }; received string x.csv.");
  await assert.rejects(m.fit(X, { values: Y } as never), /Sequential\.fit: y must be a Tensor, .*received an object with keys 'values'/);
  await assert.rejects(m.fit({ data: X.flat(), shape: [5, 2] }, Y), (e: unknown) => e instanceof ShapeError && e.message === 'Sequential.fit: x.data has 12 values but x.shape [5, 2] needs 10.');
  await assert.rejects(m.fit({ data: 'abc', shape: [3] } as never, Y), /x\.data must be a typed array or an array of numbers, received string abc/);
  await assert.rejects(m.fit([[0, 1], [1]], [0, 1]), (e: unknown) => e instanceof ShapeError && /Sequential\.fit: x: tensor\(\): ragged nested arrays: element \[1\] has length 1 where length 2 was expected.*Every sample must have the same number of features/.test(e.message));
  await assert.rejects(m.fit([], []), /Sequential\.fit: x is an empty array; expected at least one sample/);
  await assert.rejects(m.fit(X, Y, { validationData: [X] as never }), /validationData must be \[x, y\] or \[x, y, sampleWeight\], received an array of 1/);
  assert.throws(() => m.predict(null as never), /Sequential\.predict: x must be a Tensor, .*received null/);
});

test('fit refuses NaN in x with the sample, the feature and the fix, before any step', async () => {
  const m = model();
  const x = X.map((r) => [...r]);
  x[4][1] = Number.NaN;
  const before = m.getWeights();
  await assert.rejects(m.fit(x, Y, { verbose: 0 }), (e: unknown) => e instanceof DataError && e.message.startsWith(
    'Sequential.fit: x holds NaN at sample 4, feature 1 (the only non-finite value in x of shape [6, 2]). Inputs and targets must be finite numbers: drop the samples with missing values, or fill them in',
  ));
  assert.deepEqual(m.getWeights(), before, 'no step ran');
  assert.equal(m.trainingState, null, 'no epoch ran');
});

test('fit refuses Infinity in y and in validationData; evaluate and predict check too; images get the full index', async () => {
  const m = model();
  const y = [...Y];
  y[2] = Infinity;
  y[5] = Number.NaN;
  await assert.rejects(m.fit(X, y, { verbose: 0 }), /Sequential\.fit: y holds Infinity at sample 2 \(the first of 2 non-finite values in y of shape \[6\]\)/);
  const vx = X.map((r) => [...r]);
  vx[1][0] = -Infinity;
  await assert.rejects(m.fit(X, Y, { validationData: [vx, Y], verbose: 0 }), /Sequential\.fit: validationData\[0\] holds -Infinity at sample 1, feature 0/);
  assert.throws(() => m.evaluate(vx, Y), (e: unknown) => e instanceof DataError && /^Sequential\.evaluate: x holds -Infinity at sample 1, feature 0/.test(e.message));
  assert.throws(() => m.predict(vx), /DataError: Sequential\.predict: x holds -Infinity at sample 1, feature 0/);
  // An image batch [n, 2, 2]: feature 3 of sample 1 is x[1][1][1].
  const img = new Float32Array(8);
  img[7] = Number.NaN;
  resetLayerNames();
  const flat = new Sequential([new Dense(2, { inputShape: [2, 2] })]);
  assert.throws(() => flat.predict(new Tensor(img, [2, 2, 2])), /x holds NaN at sample 1, feature 3 \(x\[1\]\[1\]\[1\]\)/);
});

test('fit({ monitor }) must be a boolean, verbose one of 0, 1, 2, auto', async () => {
  const m = model();
  await assert.rejects(m.fit(X, Y, { monitor: 'yes' as never }), /Sequential\.fit: monitor must be true or false, received yes/);
  await assert.rejects(m.fit(X, Y, { verbose: 3 as never }), (e: unknown) => e instanceof ValueError && e.message === "fit: verbose must be 0 (silent), 1 (progress bar), 2 (one line per epoch) or 'auto' (1), received 3.");
  await assert.rejects(m.fit(X, Y, { verbose: 'silent' as never }), /received 'silent'/);
});

test('a wrong sample size is named as given (the whole array, not an internal batch); the same size in another layout is the layers\' to judge', async () => {
  const { Conv2D } = await import('../../src/layers/conv2d.js');
  const { Flatten } = await import('../../src/layers/flatten.js');
  const { Input } = await import('../../src/layers/input_layer.js');
  const { Model } = await import('../../src/models/model.js');
  const conv = new Sequential([new Conv2D(2, 3, { inputShape: [6, 6, 1], padding: 'SAME' as 'same' }), new Dense(1)]);
  conv.compile({ loss: 'mse', optimizer: new SGD() });
  assert.equal((conv.layers[0] as InstanceType<typeof Conv2D>).padding, 'same', "padding 'SAME' lowercased, as Keras");
  // Before: "got shape [32, 5, 5]", the first batch of predict's loop.
  const small = new Tensor(new Float32Array(200 * 25), [200, 5, 5, 1]);
  assert.throws(() => conv.predict(small), (e: unknown) => e instanceof ShapeError && /^Sequential\.predict: x has shape \[200, 5, 5, 1\], samples of 25 values \(\[5, 5, 1\]\); the model takes \(None, 6, 6, 1\), 36 values per sample\. Give samples of shape \[6, 6, 1\]/.test(e.message));
  assert.throws(() => conv.evaluate(small, new Tensor(new Float32Array(200 * 36), [200, 6, 6, 1])), (e: unknown) => e instanceof ShapeError && /Sequential\.evaluate: x has shape \[200, 5, 5, 1\]/.test(e.message));
  const mlp = model();
  await assert.rejects(mlp.fit(tensor([[1, 2, 3]]), tensor([0]), { epochs: 1 }), (e: unknown) => e instanceof ShapeError && /Sequential\.fit: x has shape \[1, 3\], samples of 3 values \(\[3\]\); the model takes \(None, 2\), 2 values per sample/.test(e.message));
  // The same size in another layout still reaches the layers: [n, 36] into (None, 6, 6) + Flatten works.
  const flat = new Sequential([new Flatten({ inputShape: [6, 6] }), new Dense(1)]);
  assert.deepEqual(flat.predict(new Tensor(new Float32Array(3 * 36), [3, 36])).shape, [3, 1]);
  // A functional model with two inputs: each input checked by its name.
  const a = Input({ shape: [2] });
  const b = Input({ shape: [3] });
  const two = new Model({ inputs: [a, b], outputs: new Dense(1).apply(new Dense(2).apply(a)) });
  assert.throws(() => two.predict([tensor([[1, 2]]), tensor([[1, 2]])]), (e: unknown) => e instanceof ShapeError && /Model\.predict: x\['[^']+'\] has shape \[1, 2\], samples of 2 values \(\[2\]\); the model takes \(None, 3\)/.test(e.message));
  // A symbolic shape in a layer's message prints None for the batch, not an empty slot.
  assert.throws(() => new Sequential([new Conv2D(2, 3, { inputShape: [784] })]).build([null, 784]), (e: unknown) => e instanceof Error && /got \(None, 784\)/.test(e.message));
});
