/**
 * Every model config in the project workspace's shared data folder (models/, written by Keras 2.0.5 to 3.8, the TF.js converter and
 * TF.js itself) goes through the one `deserialize`: the MLPs build with their layer names and parameter
 * counts; the IMDB model (Embedding/Conv1D/LSTM) fails naming the layer deepwell lacks.
 * Skips, saying so, when that folder is absent (a clone outside this workspace).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sequential, ValueError } from '../../src/index.js';
import { deserialize, serialize } from '../../src/core/serialization.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';

const MODELS = fileURLToPath(new URL('../../../../shared/data/models/', import.meta.url));
const skip = !existsSync(MODELS) && `${MODELS} is absent (the real model files live in the shared workspace); skipping`;

const read = (rel: string): Record<string, unknown> => JSON.parse(readFileSync(join(MODELS, rel), 'utf8')) as Record<string, unknown>;

/** The model config inside any of the files: TF.js model.json (modelTopology[.model_config]), to_json, config.json. */
function modelConfig(file: Record<string, unknown>): Record<string, unknown> {
  const topology = (file.modelTopology ?? file) as Record<string, unknown>;
  return (topology.model_config ?? topology) as Record<string, unknown>;
}

/**
 * Expected parameter counts, from the layer sizes in data/README.md (Dense: in*out + out):
 * - keras3.3.3 mnist 784-32-128-10: 25120 + 4224 + 1290 = 30634
 * - keras3.8 model A Flatten-100-100-100-8: 78500 + 10100 + 10100 + 808 = 99508
 * - keras2.10 model A Flatten-300-100-50-50-50-8: 235500 + 30100 + 5050 + 2550 + 2550 + 408 = 276158
 * - fraud 30-16-18-(dropout)-20-24-1: 496 + 306 + 380 + 504 + 25 = 1711
 * - housing 4-64-64-64-1: 320 + 4160 + 4160 + 65 = 8705
 * - nonlinear 2-50-50-50-50-1: 150 + 2550 * 3 + 51 = 7851
 * - titanic 6-16-8-1: 112 + 136 + 9 = 257
 * - ml5 color 3-16-10: 64 + 170 = 234
 */
const CASES: [string, number, string[]][] = [
  ['keras3.3.3-mnist-mlp-dotkeras/config.json', 30634, ['dense', 'dense_1', 'dense_2']],
  ['keras3.3.3-mnist-mlp-dotkeras/derived-tfjs-layout/model.json', 30634, ['dense', 'dense_1', 'dense_2']],
  ['keras3.8-hml3-ch11-model_A-dotkeras/config.json', 99508, ['flatten_1', 'dense_3', 'dense_4', 'dense_5', 'dense_6']],
  ['keras3.8-hml3-ch11-model_A-dotkeras/derived-tfjs-layout/model.json', 99508, ['flatten_1', 'dense_3', 'dense_4', 'dense_5', 'dense_6']],
  ['keras2.10-h5-hml2-ch11-model_A/model_config.json', 276158, []],
  ['keras2.10-h5-hml2-ch11-model_A/derived-tfjs-layout/model.json', 276158, []],
  ['keras2.0.5-to_json-fraud-mlp/model.json', 1711, []],
  ['keras2.0.5-to_json-fraud-mlp/derived-tfjs-layout/model.json', 1711, []],
  ['tfjs-keras2.1.6-housing-mlp/model.json', 8705, ['dense_16', 'dense_17', 'dense_18', 'dense_19']],
  ['tfjs-keras2.8-nonlinear-mlp/model.json', 7851, ['dense_20', 'dense_21', 'dense_22', 'dense_23', 'dense_24']],
  ['tfjs-keras3.8-titanic-mlp/model.json', 257, []],
  ['tfjs-layers1.7.4-ml5-color-mlp/model.json', 234, []],
];

test('every MLP config of the shared data folder deserializes and builds, layer names kept', { skip }, () => {
  for (const [rel, params, names] of CASES) {
    const model = deserialize<Sequential>(modelConfig(read(rel)), 'models');
    assert.ok(model instanceof Sequential, rel);
    assert.ok(model.built, `${rel}: not built (input shape not read)`);
    assert.equal(model.countParams(), params, rel);
    if (names.length > 0) assert.deepEqual(model.layers.map((l) => l.name), names, rel);
    // And the config deepwell writes for it reads back to the same model.
    const written = JSON.parse(JSON.stringify(serialize(model)));
    const again = deserialize<Sequential>(written);
    assert.deepEqual(JSON.parse(JSON.stringify(serialize(again))), written, rel);
  }
});

test("deepwell writes back exactly what Keras 3.3.3 wrote (config.json without compile_config)", { skip }, () => {
  const { compile_config: _compile, ...keras } = read('keras3.3.3-mnist-mlp-dotkeras/config.json');
  assert.deepEqual(JSON.parse(JSON.stringify(serialize(deserialize(keras)))), keras);
});

test('the optimizers of the compile/training configs deserialize (Keras 2 and 3 keys)', { skip }, () => {
  const k3 = read('keras3.3.3-mnist-mlp-dotkeras/config.json').compile_config as Record<string, unknown>;
  const sgd = deserialize<Optimizer>(k3.optimizer, 'optimizers');
  assert.equal(sgd.className, 'SGD');
  // Keras stored the float32 learning rate 0.15 as a double.
  assert.equal(sgd.getConfig().learningRate, Math.fround(0.15));
  const titanic = (read('tfjs-keras3.8-titanic-mlp/model.json').modelTopology as Record<string, Record<string, Record<string, unknown>>>).training_config.optimizer_config;
  const adam = deserialize<Optimizer>(titanic, 'optimizers');
  assert.deepEqual(adam.getConfig(), { learningRate: 0.0010000000474974513, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  const nonlinear = (read('tfjs-keras2.8-nonlinear-mlp/model.json').modelTopology as Record<string, Record<string, Record<string, unknown>>>).training_config.optimizer_config;
  assert.equal(deserialize<Optimizer>(nonlinear, 'optimizers').className, 'Adam');
  // Keras 2.1.6's Adadelta is not in deepwell: the error names it.
  const housing = (read('tfjs-keras2.1.6-housing-mlp/model.json').modelTopology as Record<string, Record<string, Record<string, unknown>>>).training_config.optimizer_config;
  assert.throws(() => deserialize(housing, 'optimizers'), (e: unknown) => e instanceof ValueError && /'Adadelta'/.test(e.message));
});

test('the Keras 2.0.9 IMDB model (legacy list form) fails naming the layer deepwell lacks', { skip }, () => {
  const config = modelConfig(read('keras2.0.9-to_json-imdb-config-only/model.json'));
  assert.throws(() => deserialize(config, 'models'), (e: unknown) =>
    e instanceof ValueError && /'Embedding'/.test(e.message) && /registerSerializable/.test(e.message));
});
