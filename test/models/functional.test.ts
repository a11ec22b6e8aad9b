import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { tensor } from '../../src/core/tensor.js';
import { Activation, Add, BatchNormalization, Concatenate, Dense, Dropout, Input, SymbolicTensor, resetLayerNames } from '../../src/layers/index.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { LayersModel } from '../../src/models/layers_model.js';
import { deserialize, serialize } from '../../src/core/serialization.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { blobs } from './blobs.js';

/** Three 2-D Gaussian blobs around separated centers; labels 0, 1, 2. */
test('Input and symbolic calls: shapes with a null batch dimension, keras history, no computation', () => {
  resetLayerNames();
  const x = Input({ shape: [4] });
  assert.ok(x instanceof SymbolicTensor);
  assert.deepEqual(x.shape, [null, 4]);
  assert.equal(x.name, 'input_layer[0][0]');
  const dense = new Dense(3);
  const h = dense.apply(x);
  assert.ok(h instanceof SymbolicTensor);
  assert.deepEqual(h.shape, [null, 3]);
  // The symbolic call built the layer: kernel [4, 3], bias [3].
  assert.deepEqual(dense.kernel?.shape, [4, 3]);
  assert.equal(dense.lastOutput, null);
  const [layer, node, index] = h.kerasHistory;
  assert.equal(layer, dense);
  assert.equal(node, 0);
  assert.equal(index, 0);
  assert.deepEqual(new Concatenate().apply([h, x]).shape, [null, 7]);
});

test('a residual block computes x + relu(x W + b), checked by hand', () => {
  const x = Input({ shape: [2] });
  const dense = new Dense(2, { activation: 'relu' });
  const model = new Model({ inputs: x, outputs: new Add().apply([x, dense.apply(x)]) });
  // W = [[1, -1], [2, 0]], b = [0.5, 0]: for x = [1, 2], xW + b = [1 + 4 + 0.5, -1 + 0] = [5.5, -1];
  // relu -> [5.5, 0]; plus x -> [6.5, 2]. For x = [-1, 0]: xW + b = [-0.5, 1]; relu [0, 1]; plus x [-1, 1].
  dense.setWeights([[1, -1, 2, 0], [0.5, 0]]);
  const y = model.predict(tensor([[1, 2], [-1, 0]]));
  assert.deepEqual(y.shape, [2, 2]);
  assert.deepEqual(Array.from(y.data), [6.5, 2, -1, 1]);
  assert.ok(model instanceof LayersModel);
  assert.equal(model.countParams(), 6);
  assert.deepEqual(model.layers.map((l) => l.className), ['InputLayer', 'Dense', 'Add']);
});

test('a shared layer called twice is one layer with one set of weights: y = f(f(x))', () => {
  const x = Input({ shape: [2] });
  const shared = new Dense(2, { useBias: false });
  const model = new Model({ inputs: x, outputs: shared.apply(shared.apply(x)) });
  // W = [[0, 1], [1, 0]] swaps the features; twice is the identity... use W = [[2, 0], [0, 3]]: f(f(x)) = [4 x0, 9 x1].
  shared.setWeights([[2, 0, 0, 3]]);
  assert.deepEqual(Array.from(model.predict(tensor([[1, 1]])).data), [4, 9]);
  assert.equal(model.weights.length, 1);
  assert.equal(model.layers.length, 2);
  assert.equal(shared.inboundNodes.length, 2);
  // Both calls appear in the config (two inbound nodes; the second one reads node 0 of the same layer).
  const config = serialize(model).config as { layers: { name: string; inbound_nodes: { args: { config: { keras_history: unknown } }[] }[] }[] };
  const entry = config.layers.find((l) => l.name === shared.name);
  assert.equal(entry?.inbound_nodes.length, 2);
  assert.deepEqual(entry?.inbound_nodes[1].args[0].config.keras_history, [shared.name, 0, 0]);
  const copy = deserialize<Model>(JSON.parse(JSON.stringify(serialize(model))));
  copy.setWeights(model.getWeights());
  assert.deepEqual(Array.from(copy.predict(tensor([[1, 1]])).data), [4, 9]);
  assert.equal(copy.weights.length, 1);
});

test('a chain as a functional Model trains bit for bit as the same Sequential', async () => {
  const { x, y } = blobs(60, 3);
  const d1 = new Dense(8, { activation: 'relu', kernelInitializer: 'he_normal' });
  const d2 = new Dense(3, { activation: 'softmax' });
  const inp = Input({ shape: [2] });
  const model = new Model({ inputs: inp, outputs: d2.apply(d1.apply(inp)) });
  const seq = new Sequential([new Dense(8, { activation: 'relu', inputShape: [2] }), new Dense(3, { activation: 'softmax' })]);
  seq.setWeights(model.getWeights());
  for (const m of [model, seq] as LayersModel[]) m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }), metrics: ['accuracy'], initializerAdvice: false });
  const hm = await model.fit(x, y, { epochs: 3, batchSize: 16, seed: 5, verbose: 0, validationSplit: 0.2 });
  const hs = await seq.fit(x, y, { epochs: 3, batchSize: 16, seed: 5, verbose: 0, validationSplit: 0.2 });
  assert.deepEqual(hm.history, hs.history);
  assert.deepEqual(model.getWeights(), seq.getWeights());
  assert.deepEqual(model.evaluate(x, y), seq.evaluate(x, y));
  assert.ok(hm.history.loss[2] < hm.history.loss[0], 'the loss falls');
  assert.equal(model.trainingState?.epoch, 3);
});

test('summary has the "Connected to" column: one input tensor per line, [] for the InputLayer', () => {
  resetLayerNames();
  const x = Input({ shape: [4] });
  const h = new Dense(4).apply(x);
  const model = new Model({ inputs: x, outputs: new Add().apply([h, x]) });
  const text = model.summary();
  const lines = text.split('\n');
  assert.equal(lines[0], 'Model: "functional"');
  assert.match(lines[2], /^ Layer \(type\) +Output Shape +Param # +Connected to$/);
  assert.match(text, /input_layer \(InputLayer\) +\(None, 4\) +0 +\[\]/);
  assert.match(text, /dense \(Dense\) +\(None, 4\) +20 +\['input_layer\[0\]\[0\]'\]/);
  const add = lines.findIndex((l) => l.startsWith(' add (Add)'));
  assert.match(lines[add], /\(None, 4\) +0 +\['dense\[0\]\[0\]',$/);
  assert.match(lines[add + 1], /^ +'input_layer\[0\]\[0\]'\]$/);
  // 4*4 + 4 = 20 weights.
  assert.match(text, /Total params: 20\n/);
});

test('clear errors: a list to a one-input layer, a tensor to a merge layer, mismatched shapes, wrong input, disconnected graph, duplicate names', () => {
  const a = Input({ shape: [3] });
  const b = Input({ shape: [4] });
  assert.throws(() => new Dense(2).apply([a, a]), (e: Error) => e instanceof ValueError && /takes one input tensor, received a list of 2/.test(e.message));
  assert.throws(() => new Add().apply(a), (e: Error) => e instanceof ValueError && /merges a list of at least 2 tensors, received one tensor/.test(e.message));
  assert.throws(() => new Add().apply([a, b]), (e: Error) => e instanceof ShapeError && /\(None, 3\), \(None, 4\) differ at axis 1 \(3 vs 4\)/.test(e.message));
  assert.throws(() => new Concatenate({ axis: 0 }).apply([a, a]), (e: Error) => e instanceof ValueError && /batch axis/.test(e.message));
  const shared = new Dense(2);
  shared.apply(a);
  assert.throws(() => shared.apply(b), (e: Error) => e instanceof ShapeError && /shared layer's weights fix its input shape/.test(e.message));
  const h = new Dense(2).apply(a);
  assert.throws(() => new Model({ inputs: h, outputs: h }), /must come from Input/);
  const both = new Concatenate().apply([a, new Dense(3).apply(b)]);
  assert.throws(() => new Model({ inputs: a, outputs: both }), /Graph disconnected/);
  const twin = new Dense(2, { name: 'twin' }).apply(new Dense(3, { name: 'twin' }).apply(a));
  assert.throws(() => new Model({ inputs: a, outputs: twin }), /"twin" is used by more than one layer/);
  const model = new Model({ inputs: a, outputs: h });
  // predict checks the whole array's sample size first (naming it as given); model.call the exact shape per batch.
  assert.throws(() => model.predict(tensor([[1, 2]])), (e: Error) => e instanceof ShapeError && /Model\.predict: x has shape \[1, 2\], samples of 2 values \(\[2\]\); the model takes \(None, 3\)/.test(e.message));
  assert.throws(() => model.call(tensor([[1, 2]])), (e: Error) => e instanceof ShapeError && /expected input of shape \(None, 3\), received \[1, 2\]/.test(e.message));
});

test('a graph 20,000 layers deep builds, runs and serializes without recursion', () => {
  const x = Input({ shape: [1] });
  let h = x;
  for (let i = 0; i < 20_000; i++) h = new Activation('linear').apply(h);
  const model = new Model({ inputs: x, outputs: h });
  assert.equal(model.layers.length, 20_001);
  assert.deepEqual(Array.from(model.predict(tensor([[1.5]])).data), [1.5]);
});

test('training: a mode pinned at the symbolic call wins; BatchNormalization and Dropout see fit\'s training flag', () => {
  const x = Input({ shape: [2] });
  const drop = new Dropout(0.5, { seed: 1 });
  const pinned = drop.apply(x, { training: false });
  const model = new Model({ inputs: x, outputs: new BatchNormalization().apply(pinned) });
  const xs = tensor([[1, 2], [3, 4]]);
  // Dropout pinned off: in training mode BN normalizes the raw batch: each column (+-1)/1 -> [-1, 1] (eps 1e-3 shrinks it slightly).
  const y = model.predict(xs, { training: true });
  const expected = 1 / Math.sqrt(1 + 1e-3);
  for (const [i, v] of [-expected, -expected, expected, expected].entries()) assert.ok(Math.abs(y.data[i] - v) < 1e-6, `${y.data[i]} vs ${v}`);
  // predict with training: true never moves the moving statistics (withStateRestored).
  assert.deepEqual(Array.from(model.nonTrainableWeights[0].data), [0, 0]);
});

test('cloneModel of a functional model: new layer objects, same graph and weights; training the clone leaves the original', async () => {
  const { cloneModel } = await import('../../src/models/clone.js');
  const x = Input({ shape: [2] });
  const shared = new Dense(2, { activation: 'tanh' });
  const model = new Model({ inputs: x, outputs: new Add().apply([x, shared.apply(shared.apply(x))]) });
  const copy = cloneModel(model, { name: 'copy' });
  assert.equal(copy.name, 'copy');
  assert.notEqual(copy.layers[1], model.layers[1]);
  assert.deepEqual(copy.getWeights(), model.getWeights());
  const xs = tensor([[0.5, -1], [2, 0.25]]);
  assert.deepEqual(Array.from(copy.predict(xs).data), Array.from(model.predict(xs).data));
  copy.compile({ loss: 'mse', optimizer: new SGD({ learningRate: 0.1 }) });
  const before = model.getWeights();
  await copy.fit(xs, tensor([[1, 1], [0, 0]]), { epochs: 1, verbose: 0 });
  assert.deepEqual(model.getWeights(), before);
  assert.notDeepEqual(copy.getWeights(), before);
});

test('functional configs as other writers put them: Keras 3 kwargs { mask: null } and a pinned training flag, Keras 2 nodes; broken references are ValueErrors', () => {
  const tensorRef = (name: string, units: number) => ({ class_name: '__keras_tensor__', config: { shape: [null, units], dtype: 'float32', keras_history: [name, 0, 0] } });
  const input = { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 2], dtype: 'float32', sparse: false, name: 'inp' }, registered_name: null, name: 'inp', inbound_nodes: [] };
  const dense = { module: 'keras.layers', class_name: 'Dense', config: { name: 'd', units: 2, use_bias: false }, registered_name: null, build_config: { input_shape: [null, 2] }, name: 'd', inbound_nodes: [{ args: [tensorRef('inp', 2)], kwargs: { mask: null } }] };
  const drop = { class_name: 'Dropout', config: { name: 'drop', rate: 0.5 }, name: 'drop', inbound_nodes: [{ args: [tensorRef('d', 2)], kwargs: { training: false } }] };
  const config = { module: 'keras.src.models.functional', class_name: 'Functional', config: { name: 'm', trainable: true, layers: [input, dense, drop], input_layers: [['inp', 0, 0]], output_layers: [['drop', 0, 0]] }, registered_name: 'Functional' };
  const model = deserialize<Model>(config);
  model.setWeights([[1, 2, 3, 4]]);
  // [1, 1] W = [1 + 3, 2 + 4] = [4, 6]; the Dropout node is pinned to inference, so training mode changes nothing.
  assert.deepEqual(Array.from(model.predict(tensor([[1, 1]]), { training: true }).data), [4, 6]);
  assert.deepEqual((serialize(model).config as { layers: { inbound_nodes: { kwargs: unknown }[] }[] }).layers[2].inbound_nodes[0].kwargs, { training: false });
  // Keras 2 / TF.js form, with a flat input_layers triple.
  const k2 = { class_name: 'Model', config: { name: 'k2', layers: [{ ...input, name: 'inp' }, { class_name: 'Dense', config: { name: 'd', units: 2 }, name: 'd', inbound_nodes: [[['inp', 0, 0, {}]]] }], input_layers: ['inp', 0, 0], output_layers: [['d', 0, 0]] } };
  assert.deepEqual(deserialize<Model>(k2).outputShape(), [null, 2]);
  const broken = JSON.parse(JSON.stringify(config));
  broken.config.layers[2].inbound_nodes[0].args[0].config.keras_history = ['nowhere', 0, 0];
  assert.throws(() => deserialize(broken), (e: Error) => e instanceof ValueError && /refers to layer "nowhere"/.test(e.message));
  const badKwarg = JSON.parse(JSON.stringify(config));
  badKwarg.config.layers[1].inbound_nodes[0].kwargs = { scale: 2 };
  assert.throws(() => deserialize(badKwarg), /keyword scale = 2; deepwell reads only training/);
});
