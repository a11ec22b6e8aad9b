/**
 * Nested models (Keras: a model is callable like a layer): a Sequential or functional model used as
 * one layer of another model: one summary row with all its parameters, one set of weights shared by
 * every call, frozen as a unit, its config nested in the outer layers list (Keras 3 form), and a
 * saved-and-loaded model predicting bit-identically.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { deserialize, serialize } from '../../src/core/serialization.js';
import { Dense, Dropout, Input, Subtract, resetLayerNames } from '../../src/layers/index.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { ModelLayer } from '../../src/models/model_layer.js';
import { loadModel } from '../../src/models/model_store.js';
import { SGD } from '../../src/optimizers/sgd.js';
import '../../src/io/file_store.node.js';

const bits = (a: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(a).buffer));

function data(n: number, features: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: n * features }, () => rng.nextNormal());
  const y = Float32Array.from({ length: n }, (_, i) => (x[i * features] + x[i * features + 1] > 0 ? 1 : 0));
  return { x: new Tensor(x, [n, features]), y: new Tensor(y, [n]) };
}

/** Input [4] -> encoder (Sequential: Dense(8, relu), Dense(3)) -> Dense(2, softmax). */
function withEncoder(): { model: Model; encoder: Sequential; head: Dense } {
  const encoder = new Sequential([new Dense(8, { inputShape: [4], activation: 'relu' }), new Dense(3)], { name: 'encoder' });
  const x = Input({ shape: [4], name: 'features' });
  const head = new Dense(2, { activation: 'softmax', name: 'head' });
  const model = new Model({ inputs: x, outputs: head.apply(encoder.apply(x)), name: 'classifier' });
  return { model, encoder, head };
}

test('a Sequential called on a SymbolicTensor is one layer: one summary row with all its parameters, outputs as the two models in turn', () => {
  setSeed(1);
  resetLayerNames();
  const { model, encoder, head } = withEncoder();
  assert.deepEqual(model.layers.map((l) => `${l.className}:${l.name}`), ['InputLayer:features', 'Sequential:encoder', 'Dense:head']);
  assert.ok(model.layers[1] instanceof ModelLayer && model.layers[1].model === encoder);
  // Parameters: encoder 4*8+8 + 8*3+3 = 40 + 27 = 67; head 3*2+2 = 8.
  assert.equal(model.layers[1].countParams(), 67);
  assert.equal(model.countParams(), 75);
  const text = model.summary();
  assert.match(text, /encoder \(Sequential\)\s+\(None, 3\)\s+67\s+\['features\[0\]\[0\]'\]/);
  assert.doesNotMatch(text, /dense/);
  assert.match(text, /Total params: 75/);
  const { x } = data(5, 4, 2);
  const expected = head.apply(encoder.predict(x));
  assert.deepEqual(bits(model.predict(x).data), bits(expected.data));
});

test('freezing the nested model freezes all of its weights as a unit; fit then changes only the head', async () => {
  setSeed(2);
  resetLayerNames();
  const { model, encoder } = withEncoder();
  model.layers[1].trainable = false;
  assert.equal(encoder.trainableWeights.length, 0);
  assert.deepEqual(model.trainableWeights.map((w) => w.name), ['head/kernel', 'head/bias']);
  assert.match(model.summary(), /Trainable params: 8\nNon-trainable params: 67/);
  const before = encoder.getWeights();
  const headBefore = model.layers[2].getWeights().map((t) => Array.from(t.data));
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }), initializerAdvice: false });
  const { x, y } = data(32, 4, 3);
  await model.fit(x, y, { epochs: 2, batchSize: 8, seed: 1, verbose: 0 });
  assert.deepEqual(encoder.getWeights(), before);
  assert.notDeepEqual(model.layers[2].getWeights().map((t) => Array.from(t.data)), headBefore);
  model.layers[1].trainable = true;
  assert.equal(model.trainableWeights.length, 6);
});

test('a nested model called twice (a siamese pair) is one layer with one set of weights', () => {
  setSeed(3);
  resetLayerNames();
  const tower = new Sequential([new Dense(5, { inputShape: [4], activation: 'tanh' })], { name: 'tower' });
  const a = Input({ shape: [4] });
  const b = Input({ shape: [4] });
  const diff = new Subtract().apply([tower.apply(a), tower.apply(b)]);
  const model = new Model({ inputs: [a, b], outputs: new Dense(1, { activation: 'sigmoid' }).apply(diff) });
  assert.equal(model.layers.filter((l) => l.name === 'tower').length, 1);
  assert.equal(model.countParams(), 4 * 5 + 5 + 5 + 1);
  // The same input on both sides: the difference is 0, so the output is sigmoid(bias) = sigmoid(0) = 0.5.
  const { x } = data(3, 4, 4);
  assert.deepEqual(Array.from(model.predict([x, x]).data), [0.5, 0.5, 0.5]);
  assert.match(model.summary(), /tower \(Sequential\)\s+\(None, 5\)\s+25\s+\['input_layer\[0\]\[0\]',\n\s+'input_layer_1\[0\]\[0\]'\]/);
});

test('a functional model nested in a Sequential, and a Sequential in a functional model: configs nest (Keras 3) and round-trip', () => {
  setSeed(4);
  resetLayerNames();
  const i = Input({ shape: [4], name: 'block_in' });
  const block = new Model({ inputs: i, outputs: new Dense(4, { activation: 'relu', name: 'block_dense' }).apply(i), name: 'block' });
  const seq = new Sequential([block, new Dropout(0.5), new Dense(1, { name: 'out' })], { name: 'outer_seq' });
  assert.ok(seq.built, 'built from the nested model\'s input');
  const { x } = data(4, 4, 5);
  const config = serialize(seq) as unknown as { config: { layers: { class_name: string; config: { name: string; layers?: unknown[] } }[] } };
  assert.deepEqual(config.config.layers.map((l) => l.class_name), ['InputLayer', 'Functional', 'Dropout', 'Dense']);
  assert.equal(config.config.layers[1].config.name, 'block');
  assert.equal(config.config.layers[1].config.layers?.length, 2);
  const back = deserialize<Sequential>(JSON.parse(JSON.stringify(config)), 'models');
  back.setWeights(seq.getWeights());
  assert.deepEqual(bits(back.predict(x).data), bits(seq.predict(x).data));
  assert.deepEqual(JSON.parse(JSON.stringify(serialize(back))), JSON.parse(JSON.stringify(config)));

  resetLayerNames();
  const { model } = withEncoder();
  const fc = serialize(model) as unknown as { config: { layers: Record<string, unknown>[] } };
  const nested = fc.config.layers[1];
  assert.equal(nested.class_name, 'Sequential');
  assert.equal(nested.name, 'encoder');
  assert.deepEqual((nested.inbound_nodes as { args: { config: { keras_history: unknown } }[] }[])[0].args[0].config.keras_history, ['features', 0, 0]);
  const m2 = deserialize<Model>(JSON.parse(JSON.stringify(fc)), 'models');
  m2.setWeights(model.getWeights());
  assert.deepEqual(bits(m2.predict(x).data), bits(model.predict(x).data));
});

// Keras 3 .keras nests the weights as layers/<model>/layers/<layer>/vars; Keras 2 .h5 keeps them in the nested model's group.
// (TF.js: deepwell writes and reads the nested export; @tensorflow/tfjs 4.22's loadLayersModel rejects a
// Sequential nested in a functional model with "Graph disconnected", so no TF.js cross-check here.)
for (const [label, file] of [['deepwell folder', 'm'], ['deepwell file', 'm.safetensors'], ['Keras 3 .keras', 'm.keras'], ['Keras 2 .h5', 'm.h5'], ['TF.js folder', 'tfjs']] as const) {
  test(`a model with a nested Sequential saved as ${label} loads with the nested model and bit-identical predictions (also after more training)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deepwell-nested-'));
    try {
      setSeed(5);
      resetLayerNames();
      const { model } = withEncoder();
      model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }), metrics: ['accuracy'], initializerAdvice: false });
      const { x, y } = data(40, 4, 6);
      await model.fit(x, y, { epochs: 2, batchSize: 8, seed: 1, verbose: 0 });
      const path = join(dir, file);
      await model.save(path, file === 'tfjs' ? { format: 'tfjs' } : {});
      const loaded = await loadModel(path);
      assert.ok(loaded instanceof Model);
      assert.ok(loaded.layers[1] instanceof ModelLayer);
      assert.equal(loaded.layers[1].className, 'Sequential');
      assert.deepEqual(bits(loaded.predict(x).data), bits(model.predict(x).data));
      assert.deepEqual(JSON.parse(JSON.stringify(serialize(loaded).config)), JSON.parse(JSON.stringify(serialize(model).config)));
      if (file === 'tfjs') return;
      await model.fit(x, y, { epochs: 1, batchSize: 8, seed: 2, verbose: 0 });
      await loaded.fit(x, y, { epochs: 1, batchSize: 8, seed: 2, verbose: 0 });
      assert.deepEqual(loaded.getWeights(), model.getWeights());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
