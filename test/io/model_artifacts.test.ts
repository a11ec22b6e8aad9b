/**
 * The model glue: modelToArtifacts -> JSON (everything but the typed arrays) -> modelFromArtifacts
 * gives bit-identical predictions and the identical next training step, for a model with Dense,
 * BatchNormalization, Dropout and PReLU trained by Adam; weights and slots are addressed by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, setSeed } from '../../src/core/random.js';
import { tensor } from '../../src/core/tensor.js';
import { ValueError } from '../../src/core/errors.js';
import { BatchNormalization, Dense, Dropout, PReLU } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import type { LayersModel } from '../../src/models/layers_model.js';
import { Adam } from '../../src/optimizers/adam.js';
import { modelFromArtifacts, modelToArtifacts } from '../../src/io/model_artifacts.js';
import type { ModelArtifacts, NamedWeight } from '../../src/io/artifacts.js';

function tiny(): Sequential {
  return new Sequential([
    new Dense(6, { inputShape: [3], kernelInitializer: 'he_normal' }),
    new BatchNormalization({ momentum: 0.9 }),
    new PReLU(),
    new Dropout(0.3),
    new Dense(3, { activation: 'softmax' }),
  ]);
}

const X = tensor([[0.5, -1, 2], [1, 1, 1], [-2, 0.3, 0.1], [0.7, -0.2, -1.5], [1.5, 2, -0.5], [-1, -1, 0.2]]);
const Y = tensor([0, 1, 2, 1, 0, 2]);

/** JSON round trip of everything but the typed arrays, as a file format would store them. */
function throughJson(a: ModelArtifacts): ModelArtifacts {
  const weight = (w: NamedWeight): NamedWeight => ({ ...(JSON.parse(JSON.stringify({ ...w, data: null })) as NamedWeight), data: w.data });
  const { weights, optimizerState, ...rest } = a;
  return {
    ...(JSON.parse(JSON.stringify(rest)) as Omit<ModelArtifacts, 'weights' | 'optimizerState'>),
    weights: weights.map(weight),
    optimizerState: optimizerState == null ? optimizerState : { iterations: optimizerState.iterations, slots: optimizerState.slots.map(weight) },
  };
}

/** Makes both models' dropout layers draw the same masks from here on (the RNG position is training state, not artifacts). */
function sameDropoutStream(...models: LayersModel[]): void {
  for (const m of models) for (const l of m.layers) if (l instanceof Dropout) (l as unknown as { rng: Rng }).rng = new Rng(99);
}

test('train, modelToArtifacts -> JSON -> modelFromArtifacts: bit-identical predictions and next training step', async () => {
  setSeed(3);
  const model = tiny();
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'], initializerAdvice: false });
  await model.fit(X, Y, { epochs: 3, batchSize: 2, seed: 5 });
  const artifacts = modelToArtifacts(model);

  // What the artifacts hold: names, positions in creation order, Keras 3 config and compile config.
  assert.deepEqual(artifacts.weights.map((w) => `${w.name}@${w.layer}:${w.index}`), [
    `${model.layers[0].name}/kernel@${model.layers[0].name}:0`, `${model.layers[0].name}/bias@${model.layers[0].name}:1`,
    `${model.layers[1].name}/gamma@${model.layers[1].name}:0`, `${model.layers[1].name}/beta@${model.layers[1].name}:1`,
    `${model.layers[1].name}/moving_mean@${model.layers[1].name}:2`, `${model.layers[1].name}/moving_variance@${model.layers[1].name}:3`,
    `${model.layers[2].name}/alpha@${model.layers[2].name}:0`,
    `${model.layers[4].name}/kernel@${model.layers[4].name}:0`, `${model.layers[4].name}/bias@${model.layers[4].name}:1`,
  ]);
  assert.deepEqual(artifacts.weights.filter((w) => !w.trainable).map((w) => w.name.split('/')[1]), ['moving_mean', 'moving_variance']);
  assert.equal(artifacts.modelConfig.class_name, 'Sequential');
  assert.equal(artifacts.modelConfig.module, 'keras');
  assert.deepEqual(artifacts.modelConfig.build_config, { input_shape: [null, 3] });
  const layerConfigs = (artifacts.modelConfig.config as { layers: { class_name: string; config: Record<string, unknown> }[] }).layers;
  assert.deepEqual(layerConfigs.map((l) => l.class_name), ['InputLayer', 'Dense', 'BatchNormalization', 'PReLU', 'Dropout', 'Dense']);
  assert.deepEqual(layerConfigs[0].config, { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' });
  assert.deepEqual(artifacts.compileConfig, {
    optimizer: { module: 'keras.optimizers', class_name: 'Adam', config: { learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 }, registered_name: null },
    loss: 'sparse_categorical_crossentropy', loss_weights: null, metrics: ['accuracy'], weighted_metrics: null,
    run_eagerly: false, steps_per_execution: 1, jit_compile: false,
  });
  // 3 epochs of 3 batches: 9 Adam steps; slots m and v for each of the 7 trainable weights.
  assert.equal(artifacts.optimizerState?.iterations, 9);
  assert.equal(artifacts.optimizerState?.slots.length, 14);
  assert.ok(artifacts.optimizerState?.slots.some((s) => s.name === `${model.layers[0].name}/kernel/m` && s.layer === model.layers[0].name && s.index === 0));

  const copy = modelFromArtifacts(throughJson(artifacts));
  assert.deepEqual(copy.layers.map((l) => l.name), model.layers.map((l) => l.name));
  assert.deepEqual(Array.from(copy.predict(X).data), Array.from(model.predict(X).data));
  assert.equal(copy.optimizer?.iterations, 9);

  // The next training step is identical: same batches (fit seed), same dropout masks, same optimizer state.
  sameDropoutStream(model, copy);
  await model.fit(X, Y, { epochs: 1, batchSize: 2, seed: 8 });
  await copy.fit(X, Y, { epochs: 1, batchSize: 2, seed: 8 });
  assert.deepEqual(copy.getWeights(), model.getWeights());
  assert.equal(copy.optimizer?.iterations, 12);
});

test('includeOptimizer: false drops the state; compile: false loads weights only', () => {
  setSeed(4);
  const model = tiny();
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', initializerAdvice: false });
  const a = modelToArtifacts(model, { includeOptimizer: false });
  assert.equal(a.optimizerState, null);
  assert.equal(a.compileConfig?.loss, 'sparse_categorical_crossentropy');
  const uncompiled = modelFromArtifacts(throughJson(a), { compile: false });
  assert.equal(uncompiled.compiled, null);
  assert.deepEqual(Array.from(uncompiled.predict(X).data), Array.from(model.predict(X).data));
});

test('a loss object is written in Keras 3 form and compiles back', () => {
  setSeed(5);
  const model = new Sequential([new Dense(3, { inputShape: [3] })]);
  model.compile({ loss: { name: 'sparse_categorical_crossentropy', fromLogits: true }, optimizer: 'adam', initializerAdvice: false });
  const a = modelToArtifacts(model);
  assert.deepEqual(a.compileConfig?.loss, {
    module: 'keras.losses', class_name: 'SparseCategoricalCrossentropy',
    config: { name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: true }, registered_name: null,
  });
  const copy = modelFromArtifacts(throughJson(a));
  // From logits [0, 0, 0]: loss = log(3) for any label; equal on both models.
  assert.equal(copy.evaluate(X, Y).loss, model.evaluate(X, Y).loss);
});

test('missing and unexpected weights are both listed; a wrong shape names the weight', () => {
  setSeed(6);
  const model = tiny();
  const a = modelToArtifacts(model);
  const first = a.weights[0];
  const renamed = { ...a, weights: [{ ...first, name: 'other/kernel', layer: 'other' }, ...a.weights.slice(1)] };
  assert.throws(() => modelFromArtifacts(renamed), (e: unknown) =>
    e instanceof ValueError && new RegExp(`missing ${first.name}`).test(e.message) && /unexpected other\/kernel/.test(e.message));
  const wrong = { ...a, weights: [{ ...first, shape: [6, 3], data: new Float32Array(18) }, ...a.weights.slice(1)] };
  assert.throws(() => modelFromArtifacts(wrong), new RegExp(`weight "${first.name}" has shape \\[3, 6\\]`));
});

test('weights by name: getNamedWeights / setNamedWeights report missing and unexpected names', () => {
  setSeed(7);
  const a = tiny();
  setSeed(8);
  const b = tiny();
  // Same architecture, different names (auto-numbered): map a's names onto b's by position.
  const named = a.getNamedWeights();
  const bNames = [...b.getNamedWeights().keys()];
  b.setNamedWeights(new Map([...named.values()].map((t, i) => [bNames[i], t])));
  assert.deepEqual(Array.from(b.predict(X).data), Array.from(a.predict(X).data));
  assert.throws(() => b.setNamedWeights(named), (e: unknown) =>
    e instanceof ValueError && /missing weights: .*\/kernel/.test(e.message) && /unexpected names: .*\/kernel/.test(e.message));
});

test('layer.getWeights returns Tensor copies; layer.setWeights takes Tensors or arrays, checked', () => {
  const d = new Dense(2, { inputShape: [2], name: 'lw' });
  d.build([null, 2]);
  const [k, b] = d.getWeights();
  assert.deepEqual(k.shape, [2, 2]);
  k.data[0] = 123; // a copy: the layer is unchanged
  assert.notEqual(d.kernel?.data[0], 123);
  d.setWeights([tensor([[1, 2], [3, 4]]), [0.5, -0.5]]);
  // y = x W + b with x = [1, 1]: [1 + 3 + 0.5, 2 + 4 - 0.5] = [4.5, 5.5]
  assert.deepEqual(Array.from(d.apply(tensor([[1, 1]])).data), [4.5, 5.5]);
  assert.throws(() => d.setWeights([tensor([1, 2, 3, 4]), [0, 0]]), /entry 0 has shape \[4\]; weight "lw\/kernel" has shape \[2, 2\]/);
  assert.throws(() => d.setWeights([[1, 2, 3, Number.NaN], [0, 0]]), /weight "lw\/kernel" \(array 0\) at index 3/);
  assert.deepEqual(Array.from(d.kernel?.data ?? []), [1, 2, 3, 4]); // nothing written by the failed calls
});
