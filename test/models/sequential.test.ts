import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { setSeed } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { Dense, Flatten, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { deserialize, serialize } from '../../src/core/serialization.js';
import { Adam } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { blobs } from './blobs.js';

/** Three 2-D Gaussian blobs (std 0.7) around well-separated centers; labels 0, 1, 2. */
function mlp(): Sequential {
  return new Sequential([new Dense(16, { activation: 'relu' }), new Dense(3, { activation: 'softmax' })]);
}

test('summary of the book\'s MNIST MLP: Total params 266,610 and (None, 784) shapes', () => {
  resetLayerNames();
  const model = new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new Dense(300, { activation: 'relu' }),
    new Dense(100, { activation: 'relu' }),
    new Dense(10, { activation: 'softmax' }),
  ]);
  // 784*300 + 300 = 235,500; 300*100 + 100 = 30,100; 100*10 + 10 = 1,010; total 266,610.
  assert.equal(model.countParams(), 266_610);
  const lines: string[] = [];
  const text = model.summary((l) => lines.push(l));
  assert.equal(lines[0], text);
  assert.match(text, /Model: "sequential"/);
  assert.match(text, /flatten \(Flatten\)\s+\(None, 784\)\s+0/);
  assert.match(text, /dense \(Dense\)\s+\(None, 300\)\s+235,500/);
  assert.match(text, /dense_1 \(Dense\)\s+\(None, 100\)\s+30,100/);
  assert.match(text, /dense_2 \(Dense\)\s+\(None, 10\)\s+1,010/);
  assert.match(text, /Total params: 266,610/);
  assert.match(text, /Trainable params: 266,610/);
  assert.match(text, /Non-trainable params: 0/);
  // Freezing a layer moves its parameters to non-trainable.
  model.layers[1].trainable = false;
  assert.match(model.summary(), /Trainable params: 31,110/);
  assert.match(model.summary(), /Non-trainable params: 235,500/);
  assert.throws(() => new Sequential([new Dense(3)]).summary(), ValueError);
});

test('fit learns separable blobs: accuracy > 0.95 and the loss decreases', async () => {
  const { x, y } = blobs(300, 1);
  const model = mlp();
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.02 }), metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: 15, batchSize: 32, seed: 3 });
  const loss = h.history.loss;
  assert.equal(loss.length, 15);
  assert.deepEqual(h.epoch, Array.from({ length: 15 }, (_, i) => i));
  assert.ok(loss[loss.length - 1] < loss[0] / 3, `loss ${loss[0]} -> ${loss[loss.length - 1]}`);
  const acc = h.history.accuracy;
  assert.ok(acc[acc.length - 1] > 0.95, `train accuracy ${acc[acc.length - 1]}`);
  const test = blobs(150, 2);
  const ev = model.evaluate(test.x, test.y);
  assert.ok(ev.accuracy > 0.95, `test accuracy ${ev.accuracy}`);
});

async function trainedWeights(seed: number): Promise<{ weights: number[][]; history: Record<string, number[]> }> {
  const { x, y } = blobs(90, 5);
  // No inputShape: the model is built inside fit, after fit reseeds the global generator.
  const model = mlp();
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }), metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: 3, batchSize: 16, seed, validationSplit: 0.2 });
  return { weights: model.weights.map((w) => [...w.data]), history: h.history };
}

test('fit with the same seed twice gives bit-identical weights and history; another seed differs', async () => {
  const a = await trainedWeights(42);
  const b = await trainedWeights(42);
  assert.deepEqual(b.weights, a.weights);
  assert.deepEqual(b.history, a.history);
  const c = await trainedWeights(43);
  assert.notDeepEqual(c.weights, a.weights);
});

test('setSeed before building reproduces models built at construction (inputShape)', async () => {
  const run = async (): Promise<number[][]> => {
    setSeed(7);
    const model = new Sequential([new Dense(4, { activation: 'relu', inputShape: [2] }), new Dense(3, { activation: 'softmax' })]);
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd' });
    const { x, y } = blobs(30, 1);
    await model.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false });
    return model.weights.map((w) => [...w.data]);
  };
  assert.deepEqual(await run(), await run());
});

test('validationSplit adds val_loss and val_accuracy; evaluate returns { loss, accuracy }', async () => {
  const { x, y } = blobs(60, 3);
  const model = mlp();
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  const h = await model.fit(x, y, { epochs: 2, batchSize: 10, validationSplit: 0.25, seed: 1 });
  assert.deepEqual(Object.keys(h.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.equal(h.history.val_loss.length, 2);
  // The validation rows are the last 25% (15 samples) taken before shuffling (Keras): val_* of the
  // last epoch equals evaluate on them now, as no update happens after it.
  const xVal = new Tensor(x.data.slice(45 * 2), [15, 2]);
  const yVal = new Tensor(y.data.slice(45), [15]);
  const ev = model.evaluate(xVal, yVal, { batchSize: 10 });
  assert.deepEqual(Object.keys(ev).sort(), ['accuracy', 'loss']);
  assert.ok(Math.abs(ev.loss - h.history.val_loss[1]) < 1e-6, `${ev.loss} vs ${h.history.val_loss[1]}`);
  assert.equal(ev.accuracy, h.history.val_accuracy[1]);
  // Without metrics, only loss.
  const m2 = mlp();
  m2.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd' });
  assert.deepEqual(Object.keys(m2.evaluate(x, y)), ['loss']);
});

test('evaluate: batch-size independent, and equal to the loss and accuracy of predict', async () => {
  const { x, y } = blobs(50, 4);
  const model = mlp();
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 1, seed: 2 });
  const p = model.predict(x);
  // Mean of -log p[label] over samples, and the argmax hit rate.
  let loss = 0;
  let hits = 0;
  for (let i = 0; i < 50; i++) {
    const row = [...p.data.subarray(3 * i, 3 * i + 3)];
    loss -= Math.log(Math.min(Math.max(row[y.data[i]], 1e-7), 1 - 1e-7));
    if (row.indexOf(Math.max(...row)) === y.data[i]) hits++;
  }
  const ev = model.evaluate(x, y, { batchSize: 7 });
  assert.ok(Math.abs(ev.loss - loss / 50) < 1e-5, `${ev.loss} vs ${loss / 50}`);
  assert.equal(ev.accuracy, hits / 50);
  const ev2 = model.evaluate(x, y, { batchSize: 1000 });
  assert.ok(Math.abs(ev2.loss - ev.loss) < 1e-6);
  assert.equal(ev2.accuracy, ev.accuracy);
});

test('predict: output shape, and batching with n not a multiple of batchSize equals one call', async () => {
  const { x } = blobs(23, 6);
  const model = mlp();
  model.build([null, 2]);
  const whole = model.predict(x, { batchSize: 100 });
  const parts = model.predict(x, { batchSize: 5 });
  assert.deepEqual(whole.shape, [23, 3]);
  assert.deepEqual(parts.shape, [23, 3]);
  assert.equal(parts.requiresGrad, false);
  // Row results may differ only by GEMM summation order (float32 rounding).
  for (let i = 0; i < whole.size; i++) assert.ok(Math.abs(whole.data[i] - parts.data[i]) < 1e-6, `element ${i}`);
  // The result does not alias the input or internal buffers across calls.
  const again = model.predict(x, { batchSize: 100 });
  assert.notEqual(again.data, whole.data);
  assert.throws(() => model.predict(new Tensor(new Float32Array(0), [0, 2])), ShapeError);
});

test('fit rejects x/y sample-count mismatches and runs only after compile', async () => {
  const { x, y } = blobs(30, 1);
  const model = mlp();
  await assert.rejects(model.fit(x, y), (e: unknown) => e instanceof ValueError && /compile/.test(e.message));
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd' });
  const y2 = new Tensor(y.data.slice(0, 29), [29]);
  await assert.rejects(model.fit(x, y2), (e: unknown) => e instanceof ShapeError && /\[30, 2\]/.test(e.message) && /\[29\]/.test(e.message));
  assert.throws(() => model.evaluate(x, y2), ShapeError);
  await assert.rejects(model.fit(x, y, { batchSize: 0 }), ValueError);
  await assert.rejects(model.fit(x, y, { validationSplit: 1 }), ValueError);
  await assert.rejects(model.fit(x, y, { epochs: -1 }), ValueError);
  assert.throws(() => model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', metrics: ['precision'] }), ValueError);
  assert.throws(() => model.compile({ loss: 'msee', optimizer: 'sgd' }), (e: unknown) => e instanceof ValueError && /Did you mean 'mse'|mean_squared_error/.test(e.message));
});

test('accuracy resolves as in Keras: binary for 1 unit, sparse for the sparse loss, categorical for one-hot', async () => {
  // Binary: one sigmoid unit, labels 0/1. Categorical accuracy of a single column would always be 1.
  const binX = tensor([[-2], [-1], [1], [2]]);
  const binY = tensor([[0], [1], [1], [1]]);
  const bin = new Sequential([new Dense(1, { activation: 'sigmoid', inputShape: [1] })]);
  bin.layers[0].weights[0].assign([1]); // p = sigmoid(x): predicts [0, 0, 1, 1] -> 3 of 4 correct
  bin.compile({ loss: 'binary_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  assert.equal(bin.requireCompiled(bin.outputUnits()).accuracy, 'binary_accuracy');
  assert.equal(bin.evaluate(binX, binY).accuracy, 0.75);

  const x = tensor([[1, 0], [0, 1], [1, 1]]);
  const sparse = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [2], useBias: false })]);
  // Kernel [[1, 0, 0], [0, 1, 0]]: argmax of rows -> 0, 1, and 0 (tie 1, 1, 0 resolves to the first).
  sparse.layers[0].weights[0].assign([1, 0, 0, 0, 1, 0]);
  sparse.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', metrics: ['acc'] });
  assert.equal(sparse.requireCompiled(sparse.outputUnits()).accuracy, 'sparse_categorical_accuracy');
  // Labels [0, 1, 2]: 2 of 3 correct.
  assert.ok(Math.abs(sparse.evaluate(x, tensor([0, 1, 2])).accuracy - 2 / 3) < 1e-12);

  const cat = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [2], useBias: false })]);
  cat.layers[0].weights[0].assign([1, 0, 0, 0, 1, 0]);
  cat.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  assert.equal(cat.requireCompiled(cat.outputUnits()).accuracy, 'categorical_accuracy');
  assert.ok(Math.abs(cat.evaluate(x, tensor([[1, 0, 0], [0, 0, 1], [1, 0, 0]])).accuracy - 2 / 3) < 1e-12);
});

test('layer names must be unique within a model', () => {
  assert.throws(() => new Sequential([new Dense(2, { name: 'a' }), new Dense(2, { name: 'a' })]), (e: unknown) => e instanceof ValueError && /"a"/.test(e.message));
});

test('Sequential.fromConfig reads Keras 3, Keras 2 dict, legacy list and TF.js forms, keeping layer names', () => {
  const dense = (name: string, units: number, extra: Record<string, unknown> = {}): Record<string, unknown> =>
    ({ class_name: 'Dense', config: { name, units, activation: 'relu', ...extra } });
  // Keras 2 dict form: the first layer carries batch_input_shape.
  const k2 = Sequential.fromConfig({ name: 'sequential_7', layers: [dense('dense_3', 4, { batch_input_shape: [null, 5] }), dense('dense_4', 2)] });
  assert.equal(k2.name, 'sequential_7');
  assert.deepEqual(k2.layers.map((l) => l.name), ['dense_3', 'dense_4']);
  // 5*4+4 + 4*2+2 = 34 parameters.
  assert.equal(k2.countParams(), 34);
  // Keras <= 2.1 list form.
  const legacy = deserialize<Sequential>({ class_name: 'Sequential', config: [dense('dense_9', 3, { batch_input_shape: [null, 2] })] });
  assert.deepEqual(legacy.layers.map((l) => l.name), ['dense_9']);
  assert.equal(legacy.countParams(), 9);
  // TF.js form (className, camelCase keys) with an InputLayer first.
  const tfjs = deserialize<Sequential>({ className: 'Sequential', config: { name: 's', layers: [
    { className: 'InputLayer', config: { batchInputShape: [null, 3], name: 'in' } }, { className: 'Dense', config: { name: 'out', units: 1, useBias: false } }] } });
  assert.equal(tfjs.countParams(), 3);
  // Keras 3 form without an InputLayer: build_config gives the input shape.
  const k3 = deserialize<Sequential>({ module: 'keras', class_name: 'Sequential', config: { name: 'm', trainable: true, dtype: 'float32', layers: [dense('d', 2)] }, registered_name: null, build_config: { input_shape: [null, 6] } });
  assert.equal(k3.countParams(), 14);
  // And deepwell writes Keras 3's form: InputLayer first, build_config.
  const written = JSON.parse(JSON.stringify(serialize(k2)));
  assert.deepEqual(Object.keys(written), ['module', 'class_name', 'config', 'registered_name', 'build_config']);
  assert.deepEqual(written.build_config, { input_shape: [null, 5] });
  assert.deepEqual(written.config.layers[0], { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 5], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null });
  assert.equal(written.config.layers[1].config.input_shape, undefined);
});
