/**
 * Multi-input and multi-output functional models (Keras 3 behaviour): predict returns one tensor per
 * output; compile takes one loss for all or one per output, lossWeights and per-output metrics; fit and
 * evaluate take lists or objects keyed by input/output name and log Keras 3's names (`loss`,
 * `<output>_loss`, `<output>_accuracy`, `val_` forms; keras/src/trainers/compile_utils.py, keras#20023).
 * Saved in every format, the model predicts bit-identically and keeps its compile config; the TF.js
 * export loads in @tensorflow/tfjs and predicts the same to 1e-5.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { Concatenate, Dense, Input, resetLayerNames } from '../../src/layers/index.js';
import { Model } from '../../src/models/model.js';
import { loadModel } from '../../src/models/model_store.js';
import { SGD } from '../../src/optimizers/sgd.js';
import '../../src/io/file_store.node.js';
import { bits, tfjsFiles } from '../io/model_file_helpers.js';

/** Inputs a [4] and b [3] -> trunk Dense(8, relu) on their concatenation -> heads 'cls' (3, softmax) and 'reg' (1). */
function twoByTwo(): Model {
  const a = Input({ shape: [4], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const h = new Dense(8, { activation: 'relu', name: 'trunk' }).apply(new Concatenate({ name: 'join' }).apply([a, b]));
  const cls = new Dense(3, { activation: 'softmax', name: 'cls' }).apply(h);
  const reg = new Dense(1, { name: 'reg' }).apply(h);
  return new Model({ inputs: [a, b], outputs: [cls, reg], name: 'two_by_two' });
}

function data(n: number, seed: number): { xa: Tensor; xb: Tensor; yc: Tensor; yr: Tensor } {
  const rng = new Rng(seed);
  const xa = new Float32Array(n * 4);
  const xb = new Float32Array(n * 3);
  const yc = new Float32Array(n);
  const yr = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    yc[i] = i % 3;
    for (let j = 0; j < 4; j++) xa[4 * i + j] = (yc[i] - 1) * (j % 2) + 0.5 * rng.nextNormal();
    for (let j = 0; j < 3; j++) xb[3 * i + j] = rng.nextNormal();
    yr[i] = xb[3 * i] - xb[3 * i + 1];
  }
  return { xa: new Tensor(xa, [n, 4]), xb: new Tensor(xb, [n, 3]), yc: new Tensor(yc, [n]), yr: new Tensor(yr, [n, 1]) };
}

test('two inputs, two outputs: names, output shapes, predict returns one tensor per output; lists and name-keyed objects agree', () => {
  setSeed(1);
  resetLayerNames();
  const model = twoByTwo();
  assert.deepEqual(model.inputNames, ['a', 'b']);
  assert.deepEqual(model.outputNames, ['cls', 'reg']);
  assert.deepEqual(model.outputShapes(), [[null, 3], [null, 1]]);
  const { xa, xb } = data(5, 2);
  const [pc, pr] = model.predict<Tensor[]>([xa, xb], { batchSize: 2 });
  assert.deepEqual([pc.shape, pr.shape], [[5, 3], [5, 1]]);
  const byName = model.predict<Tensor[]>({ b: xb, a: xa });
  assert.deepEqual(bits(byName[0].data), bits(pc.data));
  assert.deepEqual(bits(byName[1].data), bits(pr.data));
  // callAll on one batch gives the same as predict in batches of 2.
  const direct = model.callAll([xa, xb]);
  assert.deepEqual(bits(direct[1].data), bits(pr.data));
  assert.throws(() => model.call(xa), (e: Error) => e instanceof ValueError && /has 2 inputs and 2 outputs; call it with callAll/.test(e.message));
  assert.throws(() => model.predict([xa]), (e: Error) => e instanceof ValueError && /list of 1 arrays for the model's 2 inputs \(a, b\)/.test(e.message));
  assert.throws(() => model.predict({ a: xa }), (e: Error) => e instanceof ValueError && /missing b/.test(e.message));
  assert.throws(() => model.predict(xa), (e: Error) => e instanceof ValueError && /must be a list of 2 arrays or an object keyed by those names/.test(e.message));
  assert.throws(() => model.predict([xa, tensor([[1, 2, 3]])]), (e: Error) => e instanceof ShapeError && /needs the same number of samples/.test(e.message));
});

test('evaluate: total = sum of lossWeights_i * loss_i, computed by hand for fixed weights', () => {
  // x [1] -> 'p' = Dense(1) (kernel 2, bias 0) and 'q' = Dense(1) (kernel -1, bias 1).
  const x = Input({ shape: [1], name: 'x' });
  const p = new Dense(1, { name: 'p' });
  const q = new Dense(1, { name: 'q' });
  const model = new Model({ inputs: x, outputs: [p.apply(x), q.apply(x)] });
  p.setWeights([[2], [0]]);
  q.setWeights([[-1], [1]]);
  model.compile({ loss: ['mse', 'mae'], lossWeights: { p: 1, q: 0.5 }, optimizer: 'sgd' });
  // x = [1, 2]: p = [2, 4], targets [1, 1]: mse = (1 + 9) / 2 = 5.
  // q = [0, -1], targets [1, 1]: mae = (1 + 2) / 2 = 1.5, weighted 0.75. Total 5.75.
  const xs = tensor([[1], [2]]);
  const r = model.evaluate(xs, { p: tensor([[1], [1]]), q: tensor([[1], [1]]) });
  assert.deepEqual(r, { loss: 5.75, p_loss: 5, q_loss: 0.75 });
  // One loss for every output: mse on both: q's mse = (1 + 4) / 2 = 2.5, total 7.5.
  model.compile({ loss: 'mse', optimizer: 'sgd' });
  assert.deepEqual(model.evaluate(xs, [tensor([[1], [1]]), tensor([[1], [1]])]), { loss: 7.5, p_loss: 5, q_loss: 2.5 });
  // An output without a loss (null) is not trained and not logged.
  model.compile({ loss: { p: 'mse' }, optimizer: 'sgd' });
  assert.deepEqual(model.evaluate(xs, [tensor([[1], [1]]), tensor([[1], [1]])]), { loss: 5, p_loss: 5 });
});

test("fit on a two-output model: history keys are Keras 3's, loss = sum of the weighted output losses, and training lowers both", async () => {
  setSeed(3);
  resetLayerNames();
  const model = twoByTwo();
  model.compile({ loss: ['sparse_categorical_crossentropy', 'mse'], lossWeights: [1, 0.5], metrics: { cls: ['accuracy'] }, optimizer: new SGD({ learningRate: 0.05 }), initializerAdvice: false });
  const { xa, xb, yc, yr } = data(120, 4);
  const before = model.evaluate([xa, xb], [yc, yr]);
  const history = await model.fit({ a: xa, b: xb }, { cls: yc, reg: yr }, { epochs: 6, batchSize: 16, validationSplit: 0.25, seed: 5, verbose: 0 });
  // Keras 3.5+: model.fit(x, [y1, y2]).history.keys() for outputs 'cls' (metrics ['accuracy']) and 'reg'.
  assert.deepEqual(Object.keys(history.history).sort(), ['cls_accuracy', 'cls_loss', 'loss', 'reg_loss', 'val_cls_accuracy', 'val_cls_loss', 'val_loss', 'val_reg_loss']);
  for (let e = 0; e < 6; e++) {
    const h = history.history;
    assert.ok(Math.abs(h.loss[e] - (h.cls_loss[e] + h.reg_loss[e])) < 1e-5, `epoch ${e}: loss ${h.loss[e]} vs ${h.cls_loss[e]} + ${h.reg_loss[e]}`);
    assert.ok(Math.abs(h.val_loss[e] - (h.val_cls_loss[e] + h.val_reg_loss[e])) < 1e-5);
    assert.ok(h.cls_accuracy[e] >= 0 && h.cls_accuracy[e] <= 1);
  }
  const after = model.evaluate([xa, xb], [yc, yr]);
  assert.deepEqual(Object.keys(after), ['loss', 'cls_loss', 'reg_loss', 'cls_accuracy']);
  assert.ok(after.cls_loss < before.cls_loss && after.reg_loss < before.reg_loss, `${JSON.stringify(before)} -> ${JSON.stringify(after)}`);
});

test('lossWeights 0 for one head trains the rest exactly as the one-output model of the other head (bit for bit, SGD)', async () => {
  const { xa, xb, yc, yr } = data(48, 6);
  const run = async (both: boolean): Promise<number[][]> => {
    setSeed(8);
    resetLayerNames();
    const model = twoByTwo();
    const single = new Model({ inputs: model.inputs, outputs: model.outputs[0] });
    if (both) {
      model.compile({ loss: { cls: 'sparse_categorical_crossentropy', reg: 'mse' }, lossWeights: { cls: 1, reg: 0 }, optimizer: new SGD({ learningRate: 0.1 }), initializerAdvice: false });
      await model.fit([xa, xb], [yc, yr], { epochs: 2, batchSize: 8, seed: 1, verbose: 0 });
    } else {
      single.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }), initializerAdvice: false });
      await single.fit([xa, xb], yc, { epochs: 2, batchSize: 8, seed: 1, verbose: 0 });
    }
    return single.getWeights();
  };
  assert.deepEqual(await run(true), await run(false));
});

test('compile and fit errors name what was received and how to fix it', async () => {
  resetLayerNames();
  const model = twoByTwo();
  const opt = 'sgd';
  assert.throws(() => model.compile({ loss: ['mse'], optimizer: opt }), (e: Error) => e instanceof ValueError && /loss is a list of 1 for the model's 2 outputs \(cls, reg\)/.test(e.message));
  assert.throws(() => model.compile({ loss: { klass: 'mse' }, optimizer: opt }), (e: Error) => e instanceof ValueError && /'klass', which is not an output/.test(e.message));
  assert.throws(() => model.compile({ loss: 'mse', metrics: ['accuracy'], optimizer: opt }), (e: Error) => e instanceof ValueError && /flat list, but the model has 2 outputs/.test(e.message));
  assert.throws(() => model.compile({ loss: 'mse', lossWeights: [1, Number.NaN], optimizer: opt }), (e: Error) => e instanceof ValueError && /lossWeights \(output 'reg'\) is NaN/.test(e.message));
  assert.throws(() => model.compile({ loss: [null, null], optimizer: opt }), (e: Error) => e instanceof ValueError && /no output has a loss/.test(e.message));
  model.compile({ loss: ['sparse_categorical_crossentropy', 'mse'], optimizer: opt, initializerAdvice: false });
  const { xa, xb, yc, yr } = data(6, 1);
  await assert.rejects(model.fit([xa, xb], [yc, yr], { classWeight: { 0: 2 }, verbose: 0 }), (e: Error) => e instanceof ValueError && /classWeight is only supported for models with a single output/.test(e.message));
  await assert.rejects(model.fit([xa, xb], { cls: yc }, { verbose: 0 }), (e: Error) => e instanceof ValueError && /missing reg/.test(e.message));
  // A label outside the 3 classes of 'cls' is named before training.
  await assert.rejects(model.fit([xa, xb], [tensor([0, 1, 2, 3, 0, 1]), yr], { verbose: 0 }), /3/);
});

const FORMATS = [['deepwell', 'm'], ['.keras', 'm.keras'], ['.h5', 'm.h5'], ['TF.js', 'tfjs']] as const;

for (const [label, file] of FORMATS) {
  test(`a two-input, two-output model saved as ${label} loads with the same graph, bit-identical predictions and its per-output compile config`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deepwell-multi-io-'));
    try {
      setSeed(11);
      resetLayerNames();
      const model = twoByTwo();
      model.compile({ loss: ['sparse_categorical_crossentropy', 'mse'], lossWeights: [1, 0.25], metrics: [['accuracy'], []], optimizer: new SGD({ learningRate: 0.05 }), initializerAdvice: false });
      const { xa, xb, yc, yr } = data(30, 12);
      await model.fit([xa, xb], [yc, yr], { epochs: 1, batchSize: 10, seed: 1, verbose: 0 });
      const path = join(dir, file);
      await model.save(path, label === 'TF.js' ? { format: 'tfjs' } : {});
      const loaded = await loadModel(path);
      assert.ok(loaded instanceof Model);
      assert.deepEqual(loaded.inputNames, ['a', 'b']);
      assert.deepEqual(loaded.outputNames, ['cls', 'reg']);
      const ours = model.predict<Tensor[]>([xa, xb]);
      const theirs = loaded.predict<Tensor[]>([xa, xb]);
      ours.forEach((t, i) => assert.deepEqual(bits(theirs[i].data), bits(t.data), `output ${i}`));
      if (label !== 'TF.js') {
        assert.deepEqual(loaded.compiled?.outputs.map((o) => [o.name, o.lossName, o.weight, o.metrics]), [['cls', 'sparse_categorical_crossentropy', 1, ['accuracy']], ['reg', 'mean_squared_error', 0.25, []]]);
        assert.deepEqual(loaded.evaluate([xa, xb], [yc, yr]), model.evaluate([xa, xb], [yc, yr]));
      }
      if (label === 'TF.js') {
        // @tensorflow/tfjs 4.22 loads the two-input, two-output export and predicts the same.
        await tf.setBackend('cpu');
        const tfModel = await tf.loadLayersModel(tf.io.fromMemory(tfjsFiles(path)));
        assert.deepEqual(tfModel.inputNames, ['a', 'b']);
        const tfOut = tfModel.predict([tf.tensor(Array.from(xa.data), [30, 4]), tf.tensor(Array.from(xb.data), [30, 3])]) as tf.Tensor[];
        assert.equal(tfOut.length, 2);
        tfOut.forEach((t, i) => {
          const d = t.dataSync();
          for (let j = 0; j < d.length; j++) assert.ok(Math.abs(d[j] - ours[i].data[j]) < 1e-5, `TF.js output ${i}[${j}]: ${d[j]} vs ${ours[i].data[j]}`);
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
