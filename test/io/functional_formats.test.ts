/**
 * Functional models in every file format: a residual MLP (Dense, BatchNormalization, Add, a shared
 * layer) saved and loaded through the file-system store predicts bit-identically, with its graph
 * (inbound nodes) and optimizer state; the TF.js export loads in @tensorflow/tfjs and predicts the same;
 * and a graph with every merge layer matches `tf.model` built with `tf.layers.add` & co. on identical
 * weights: the same outputs and gradients to 1e-5.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { backward } from '../../src/autodiff/backward.js';
import { Activation, Add, Average, BatchNormalization, Concatenate, Dense, Input, Multiply, resetLayerNames } from '../../src/layers/index.js';
import { Model } from '../../src/models/model.js';
import { loadModel } from '../../src/models/model_store.js';
import { getLoss } from '../../src/losses/get.js';
import { Adam } from '../../src/optimizers/adam.js';
import { formatOfPath } from '../../src/io/file_store.node.js';
import { decodeTfjsModel } from '../../src/io/tfjs_format.js';
import { modelFromArtifacts } from '../../src/io/model_artifacts.js';
import { serialize } from '../../src/core/serialization.js';
import { unzipSync } from 'fflate';
import { attr, childGroup, readH5 } from '../../src/io/h5_memory.js';
import { SAVE_FORMATS, assertSameOptimizerState, bits, exportToTfjs, maxDiff, threeClassData } from './model_file_helpers.js';

/** x -> Dense(12, relu) = h -> Dense(12) -> BN -> Add([h, .]) -> relu -> shared Dense(12) twice -> Dense(3, softmax). */
function residualMlp(): Model {
  const x = Input({ shape: [6] });
  const h = new Dense(12, { activation: 'relu', kernelInitializer: 'he_normal' }).apply(x);
  const branch = new BatchNormalization().apply(new Dense(12, { kernelInitializer: 'he_normal' }).apply(h));
  const r = new Activation('relu').apply(new Add().apply([h, branch]));
  const shared = new Dense(12, { activation: 'tanh' });
  const out = new Dense(3, { activation: 'softmax' }).apply(shared.apply(shared.apply(r)));
  return new Model({ inputs: x, outputs: out, name: 'residual_mlp' });
}

async function trained(): Promise<{ model: Model; x: Tensor; y: Tensor }> {
  setSeed(4);
  resetLayerNames();
  const model = residualMlp();
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'], initializerAdvice: false });
  const { x, y } = threeClassData(90, 6, 9);
  await model.fit(x, y, { epochs: 2, batchSize: 16, seed: 1, verbose: 0 });
  return { model, x, y };
}

for (const [label, file, format] of SAVE_FORMATS) {
  test(`functional residual MLP, ${label}: the graph comes back and predictions are bit-identical; optimizer state too`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deepwell-functional-'));
    try {
      const { model, x, y } = await trained();
      const before = model.predict(x);
      const path = join(dir, file);
      await model.save(path, format === 'tfjs' ? { format: 'tfjs' } : {});
      assert.equal(formatOfPath(path), format);
      const loaded = await loadModel(path);
      assert.ok(loaded instanceof Model);
      assert.deepEqual(loaded.layers.map((l) => `${l.className}:${l.name}`), model.layers.map((l) => `${l.className}:${l.name}`));
      // The same graph: the configs' layers (with inbound_nodes) are equal.
      assert.deepEqual(JSON.parse(JSON.stringify(serialize(loaded).config)), JSON.parse(JSON.stringify(serialize(model).config)));
      assert.deepEqual(bits(loaded.predict(x).data), bits(before.data));
      assert.equal(loaded.weights.length, model.weights.length);
      if (format !== 'tfjs') {
        assertSameOptimizerState(loaded, model);
        // Training goes on identically from the file.
        await model.fit(x, y, { epochs: 1, batchSize: 16, seed: 2, verbose: 0 });
        await loaded.fit(x, y, { epochs: 1, batchSize: 16, seed: 2, verbose: 0 });
        assert.deepEqual(loaded.getWeights(), model.getWeights());
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('.keras of a functional model: Keras 3 config (Functional, inbound_nodes, input/output_layers) and weight paths layers/<class-counter name>/vars over model.layers, InputLayer included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-functional-'));
  try {
    resetLayerNames();
    // Layer names unlike Keras's positional ones, so the test tells them apart.
    const x = Input({ shape: [3], name: 'x_in' });
    const h = new Dense(4, { name: 'first' }).apply(x);
    const side = new Dense(4, { name: 'side' }).apply(x);
    const model = new Model({ inputs: x, outputs: new Dense(2, { name: 'last' }).apply(new Add({ name: 'plus' }).apply([h, side])) });
    await model.save(join(dir, 'm.keras'));
    const config = JSON.parse(JSON.stringify(serialize(model)));
    assert.equal(config.class_name, 'Functional');
    assert.equal(config.module, 'keras.src.models.functional');
    assert.deepEqual(config.config.input_layers, [['x_in', 0, 0]]);
    assert.deepEqual(config.config.output_layers, [['last', 0, 0]]);
    const plus = config.config.layers.find((l: { name: string }) => l.name === 'plus');
    assert.deepEqual(plus.inbound_nodes, [{ args: [[
      { class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: ['first', 0, 0] } },
      { class_name: '__keras_tensor__', config: { shape: [null, 4], dtype: 'float32', keras_history: ['side', 0, 0] } },
    ]], kwargs: {} }]);
    assert.deepEqual(plus.build_config, { input_shape: [[null, 4], [null, 4]] });
    assert.deepEqual(config.config.layers[0].inbound_nodes, []);
    // Keras's map_graph order: by depth from the output (x_in 3, first/side 2 in first-visit order, plus 1, last 0).
    assert.deepEqual(model.layers.map((l) => l.name), ['x_in', 'first', 'side', 'plus', 'last']);
    const zip = unzipSync(new Uint8Array(readFileSync(join(dir, 'm.keras'))));
    const groups = await readH5(zip['model.weights.h5'], 'm.keras', (f) => {
      const layersGroup = childGroup(f, 'layers')!;
      return layersGroup.keys().map((k) => [k, attr(childGroup(childGroup(layersGroup, k)!, 'vars')!, 'name'), childGroup(childGroup(layersGroup, k)!, 'vars')!.keys().length]);
    });
    assert.deepEqual(groups.sort(), [['add', 'plus', 0], ['dense', 'first', 2], ['dense_1', 'side', 2], ['dense_2', 'last', 2], ['input_layer', 'x_in', 0]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the functional TF.js export loads in @tensorflow/tfjs (a tf.LayersModel with an Add layer) and predicts the same to 1e-5', async () => {
  const { model, x } = await trained();
  const { tfModel, worst } = await exportToTfjs(model, x);
  assert.deepEqual(tfModel.layers.map((l) => l.getClassName()), model.layers.map((l) => l.className));
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});

test('every merge layer against tf.model + tf.layers.add/multiply/average/concatenate on identical weights: outputs and gradients to 1e-5', async () => {
  await tf.setBackend('cpu');
  setSeed(11);
  // Ours: x -> a = Dense(4, relu), b = Dense(4, tanh); avg(add(a, b), mul(a, b)); concat(avg, a) -> Dense(3, softmax).
  const x = Input({ shape: [5] });
  const da = new Dense(4, { activation: 'relu' });
  const db = new Dense(4, { activation: 'tanh' });
  const dout = new Dense(3, { activation: 'softmax' });
  const a = da.apply(x);
  const b = db.apply(x);
  const av = new Average().apply([new Add().apply([a, b]), new Multiply().apply([a, b])]);
  const ours = new Model({ inputs: x, outputs: dout.apply(new Concatenate().apply([av, a])) });
  // Theirs: the same graph in TF.js.
  const tx = tf.input({ shape: [5] });
  const ta = tf.layers.dense({ units: 4, activation: 'relu' });
  const tb = tf.layers.dense({ units: 4, activation: 'tanh' });
  const tout = tf.layers.dense({ units: 3, activation: 'softmax' });
  const sa = ta.apply(tx) as tf.SymbolicTensor;
  const sb = tb.apply(tx) as tf.SymbolicTensor;
  const tav = tf.layers.average().apply([tf.layers.add().apply([sa, sb]) as tf.SymbolicTensor, tf.layers.multiply().apply([sa, sb]) as tf.SymbolicTensor]) as tf.SymbolicTensor;
  const theirs = tf.model({ inputs: tx, outputs: tout.apply(tf.layers.concatenate().apply([tav, sa])) as tf.SymbolicTensor });
  for (const [mine, other] of [[da, ta], [db, tb], [dout, tout]] as const) {
    other.setWeights(mine.getWeights().map((w) => tf.tensor(Array.from(w.data), w.shape as number[])));
  }
  const { x: xs, y } = threeClassData(7, 5, 3);
  const txs = tf.tensor(Array.from(xs.data), xs.shape as number[]);
  const worstOut = maxDiff((theirs.predict(txs) as tf.Tensor).dataSync(), ours.predict(xs).data);
  assert.ok(worstOut < 1e-5, `outputs differ by ${worstOut}`);
  // Gradients of the mean sparse crossentropy with respect to every weight.
  const loss = getLoss('sparse_categorical_crossentropy').fn(y, ours.call(xs, { training: false }));
  const grads = backward(loss, ours.trainableWeights);
  const oneHot = tf.oneHot(tf.tensor1d(Array.from(y.data), 'int32'), 3);
  const vars = theirs.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  const { value, grads: tg } = tf.variableGrads(() => tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.log(theirs.apply(txs, { training: false }) as tf.Tensor)), -1))) as tf.Scalar, vars);
  assert.ok(Math.abs(value.dataSync()[0] - loss.data[0]) < 1e-5, `loss ${value.dataSync()[0]} vs ${loss.data[0]}`);
  assert.equal(vars.length, grads.length);
  vars.forEach((v, i) => {
    const worst = maxDiff(tg[v.name].dataSync(), grads[i] as ArrayLike<number>);
    assert.ok(worst < 1e-5, `gradient of ${ours.trainableWeights[i].name} differs by ${worst}`);
  });
});

test('a functional model saved by @tensorflow/tfjs itself (tf.model with tf.layers.add, Keras 2 inbound_nodes) loads in deepwell and predicts the same to 1e-5', async () => {
  await tf.setBackend('cpu');
  const tx = tf.input({ shape: [4], name: 'tf_in' });
  const h = tf.layers.dense({ units: 4, activation: 'relu', name: 'tf_hidden' }).apply(tx) as tf.SymbolicTensor;
  const r = tf.layers.add({ name: 'tf_add' }).apply([tx, h]) as tf.SymbolicTensor;
  const tfModel = tf.model({ inputs: tx, outputs: tf.layers.dense({ units: 2, name: 'tf_out' }).apply(r) as tf.SymbolicTensor });
  let saved: tf.io.ModelArtifacts | null = null;
  await tfModel.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const artifacts = saved as unknown as tf.io.ModelArtifacts;
  const topology = artifacts.modelTopology as { class_name: string; config: { layers: { name: string; inbound_nodes: unknown }[] } };
  // TF.js writes Keras 2's node form.
  assert.deepEqual(topology.config.layers.find((l) => l.name === 'tf_add')?.inbound_nodes, [[['tf_in', 0, 0, {}], ['tf_hidden', 0, 0, {}]]]);
  const modelJson = { modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: artifacts.weightSpecs }] };
  const ours = modelFromArtifacts(await decodeTfjsModel(modelJson, () => new Uint8Array(artifacts.weightData as ArrayBuffer), 'tfjs-memory'), { compile: false });
  assert.ok(ours instanceof Model);
  assert.deepEqual(ours.layers.map((l) => l.name), ['tf_in', 'tf_hidden', 'tf_add', 'tf_out']);
  const { x } = threeClassData(5, 4, 6);
  const worst = maxDiff((tfModel.predict(tf.tensor(Array.from(x.data), x.shape as number[])) as tf.Tensor).dataSync(), ours.predict(x).data);
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});
