// TF.js layers format: every real model.json of the shared data folder decodes with counts and shapes
// checked against its manifest and values against an independent reader (h5wasm on the original
// .keras file); every bad-file case of issue 8 item 7 built by editing a real model.json or shard;
// and @tensorflow/tfjs 4.22's own loadLayersModel reads what encodeTfjsModel writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import h5wasm from 'h5wasm/node';
import { unzipSync } from 'fflate';
import { DataError, ValueError } from '../../src/core/errors.js';
import type { Json, KerasObject, ModelArtifacts, NamedWeight } from '../../src/io/artifacts.js';
import { decodeTfjsModel, encodeTfjsModel, toTfjsTopology } from '../../src/io/tfjs_format.js';
import { readFileBounded, readTfjsModelFile } from '../../src/io/files.node.js';
import { MODELS, SKIP_MODELS, tfjsModelJsonPaths } from './real_models.js';

await tf.setBackend('cpu');

interface Manifest { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }
const readJson = (p: string): Record<string, unknown> => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;

test('every real TF.js model.json decodes: weight names, shapes and byte totals as its manifest says', { skip: SKIP_MODELS }, async () => {
  const paths = tfjsModelJsonPaths();
  assert.ok(paths.length >= 8, `found ${paths.length} model.json files`);
  for (const p of paths) {
    const a = await readTfjsModelFile(p);
    const manifest = (readJson(p).weightsManifest as Manifest[]).flatMap((g) => g.weights);
    assert.equal(a.weights.length, manifest.length, p);
    let bytes = 0;
    a.weights.forEach((w, i) => {
      assert.equal(w.name, manifest[i].name);
      assert.deepEqual(w.shape, manifest[i].shape);
      assert.equal(w.data.length, manifest[i].shape.reduce((x, y) => x * y, 1));
      assert.ok(w.data.every(Number.isFinite), `${p} ${w.name} finite`);
      bytes += w.data.length * 4;
    });
    const shardBytes = (readJson(p).weightsManifest as Manifest[]).flatMap((g) => g.paths).reduce((s, q) => s + readFileSync(join(dirname(p), q)).length, 0);
    assert.equal(bytes, shardBytes, p);
    assert.equal(typeof a.modelConfig.class_name, 'string', p);
  }
});

test('decoding details: prefixed names, layer/index, unwrapped topology, training config, no-.bin and ./ paths', { skip: SKIP_MODELS }, async () => {
  const titanic = await readTfjsModelFile(join(MODELS, 'tfjs-keras3.8-titanic-mlp', 'model.json'));
  assert.deepEqual(titanic.weights.map((w) => [w.name, w.layer, w.index]), [
    ['sequential/dense/kernel', 'dense', 0], ['sequential/dense/bias', 'dense', 1],
    ['sequential/dense_1/kernel', 'dense_1', 0], ['sequential/dense_1/bias', 'dense_1', 1],
    ['sequential/dense_2/kernel', 'dense_2', 0], ['sequential/dense_2/bias', 'dense_2', 1],
  ]);
  assert.equal(titanic.modelConfig.class_name, 'Sequential'); // unwrapped from model_config
  assert.equal((titanic.compileConfig as { loss: string }).loss, 'binary_crossentropy');
  assert.equal(titanic.metadata?.keras_version, '3.8.0');
  const ml5 = await readTfjsModelFile(join(MODELS, 'tfjs-layers1.7.4-ml5-color-mlp', 'model.json')); // './model.weights.bin'
  assert.deepEqual(ml5.weights.map((w) => w.shape), [[3, 16], [16], [16, 10], [10]]);
  const housing = await readTfjsModelFile(join(MODELS, 'tfjs-keras2.1.6-housing-mlp', 'model.json')); // shard without .bin
  assert.deepEqual(housing.weights.map((w) => w.shape), [[4, 64], [64], [64, 64], [64], [64, 64], [64], [64, 1], [1]]);
  assert.equal(housing.metadata?.format, undefined);
});

test('keras3.3.3 MNIST derived-tfjs-layout: shapes and every value equal the original .keras file read by h5wasm', { skip: SKIP_MODELS }, async () => {
  const root = join(MODELS, 'keras3.3.3-mnist-mlp-dotkeras');
  const a = await readTfjsModelFile(join(root, 'derived-tfjs-layout', 'model.json'));
  assert.deepEqual(a.weights.map((w) => w.shape), [[784, 32], [32], [32, 128], [128], [128, 10], [10]]);
  await h5wasm.ready;
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-h5-'));
  try {
    const h5 = join(dir, 'model.weights.h5');
    writeFileSync(h5, unzipSync(readFileSync(join(root, 'model.keras')))['model.weights.h5']);
    const f = new h5wasm.File(h5, 'r');
    const layers = ['dense', 'dense_1', 'dense_2'];
    a.weights.forEach((w, i) => {
      const d = f.get(`layers/${layers[i >> 1]}/vars/${i % 2}`) as { shape: number[]; value: Float32Array };
      assert.deepEqual(d.shape, w.shape);
      assert.deepEqual(d.value, w.data, w.name);
    });
    f.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('encode -> decode round trip: float32 bit-identical across many small shards; float64 rounded to float32', async () => {
  const weights: NamedWeight[] = [
    { name: 'dense/kernel', layer: 'dense', index: 0, shape: [3, 5], dtype: 'float32', data: Float32Array.from({ length: 15 }, (_, i) => Math.fround(Math.sin(i) * 1e3)), trainable: true },
    { name: 'dense/bias', layer: 'dense', index: 1, shape: [5], dtype: 'float32', data: new Float32Array([-0, NaN, 1e-45, -Infinity, 2]), trainable: true },
    { name: 'p/alpha', layer: 'p', index: 0, shape: [], dtype: 'float64', data: new Float64Array([0.1]), trainable: true },
  ];
  const files = encodeTfjsModel({ modelConfig: { class_name: 'Sequential', config: { layers: [] } }, weights }, { shardBytes: 24 });
  // 15 + 5 + 1 = 21 floats = 84 bytes -> ceil(84 / 24) = 4 shards of 24, 24, 24, 12 bytes.
  assert.deepEqual(Object.keys(files), ['model.json', 'group1-shard1of4.bin', 'group1-shard2of4.bin', 'group1-shard3of4.bin', 'group1-shard4of4.bin']);
  assert.deepEqual(Object.values(files).slice(1).map((b) => b.length), [24, 24, 24, 12]);
  const json = JSON.parse(new TextDecoder().decode(files['model.json'])) as Record<string, unknown>;
  assert.equal(json.format, 'layers-model');
  assert.equal(json.convertedBy, null);
  assert.match(String(json.generatedBy), /^deepwell /);
  assert.equal(json.trainingConfig, undefined);
  const b = await decodeTfjsModel(json, (p) => files[p], 'model.json');
  assert.deepEqual(new Uint32Array(b.weights[0].data.buffer), new Uint32Array(weights[0].data.buffer));
  assert.deepEqual(new Uint32Array(b.weights[1].data.buffer), new Uint32Array(weights[1].data.buffer));
  assert.deepEqual([...b.weights[2].data], [Math.fround(0.1)]);
  assert.deepEqual(b.weights.map((w) => [w.layer, w.index]), [['dense', 0], ['dense', 1], ['p', 0]]);
  assert.throws(() => encodeTfjsModel({ modelConfig: { class_name: 'Sequential', config: {} }, weights }, { shardBytes: 0 }), ValueError);
});

// ---- A hand-written Keras 3 model, exported and loaded by @tensorflow/tfjs 4.22 itself. ----

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const init = (name: string): Json => ({ module: 'keras.initializers', class_name: name, config: name === 'Zeros' ? {} : { seed: null }, registered_name: null });
const dense = (name: string, units: number, activation: string, inputShape: number): Json => ({
  module: 'keras.layers', class_name: 'Dense', registered_name: null, build_config: { input_shape: [null, inputShape] },
  config: { name, trainable: true, dtype: policy, units, activation, use_bias: true, kernel_initializer: init('GlorotUniform'), bias_initializer: init('Zeros'), kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null },
});
const KERAS3_MODEL: KerasObject = {
  module: 'keras', class_name: 'Sequential', registered_name: null, build_config: { input_shape: [null, 3] },
  config: {
    name: 'sequential', trainable: true, dtype: policy,
    layers: [
      { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, config: { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' } },
      dense('dense', 2, 'relu', 3),
      dense('dense_1', 1, 'sigmoid', 2),
    ],
    build_input_shape: [null, 3],
  },
};
const COMPILE_CONFIG = {
  optimizer: { module: 'keras.optimizers', class_name: 'Adam', config: { name: 'adam', learning_rate: 0.01, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }, registered_name: null },
  loss: { module: 'keras.losses', class_name: 'BinaryCrossentropy', config: { name: 'binary_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, label_smoothing: 0, axis: -1 }, registered_name: null },
  loss_weights: null, metrics: ['accuracy'], weighted_metrics: null, run_eagerly: false, steps_per_execution: 1, jit_compile: false,
};

/** An IOHandler that serves encodeTfjsModel's bytes to tf.loadLayersModel, shards concatenated in manifest order. */
function fromFiles(files: Record<string, Uint8Array>): tf.io.IOHandler {
  const json = JSON.parse(new TextDecoder().decode(files['model.json'])) as { modelTopology: object; weightsManifest: Manifest[]; trainingConfig?: tf.io.TrainingConfig; format: string; generatedBy: string; convertedBy: null };
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const total = paths.reduce((s, p) => s + files[p].length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const p of paths) { all.set(files[p], o); o += files[p].length; }
  return {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: all.buffer,
      trainingConfig: json.trainingConfig,
      format: json.format, generatedBy: json.generatedBy, convertedBy: json.convertedBy,
    }),
  };
}

test('tf.loadLayersModel (@tensorflow/tfjs 4.22, cpu) loads encodeTfjsModel output of a hand-written Keras 3 Dense model and predicts as computed by hand', async () => {
  const weights: NamedWeight[] = [
    { name: 'dense/kernel', layer: 'dense', index: 0, shape: [3, 2], dtype: 'float32', data: new Float32Array([0.5, -1, 0.25, 2, -0.5, 0.1]), trainable: true },
    { name: 'dense/bias', layer: 'dense', index: 1, shape: [2], dtype: 'float32', data: new Float32Array([0.1, -0.2]), trainable: true },
    { name: 'dense_1/kernel', layer: 'dense_1', index: 0, shape: [2, 1], dtype: 'float32', data: new Float32Array([1.5, -0.75]), trainable: true },
    { name: 'dense_1/bias', layer: 'dense_1', index: 1, shape: [1], dtype: 'float32', data: new Float32Array([0.05]), trainable: true },
  ];
  const artifacts: ModelArtifacts = { modelConfig: KERAS3_MODEL, compileConfig: COMPILE_CONFIG, weights };
  const files = encodeTfjsModel(artifacts, { shardBytes: 16 }); // 6 + 2 + 2 + 1 = 11 floats = 44 bytes -> 3 shards (16, 16, 12)
  assert.equal(Object.keys(files).length, 4);
  const model = await tf.loadLayersModel(fromFiles(files));
  assert.deepEqual(model.inputs[0].shape, [null, 3]);
  assert.equal(model.layers.length, 2);
  assert.equal((model.optimizer as unknown as { getClassName(): string }).getClassName(), 'Adam');
  // Hand computation, kernel rows are inputs: h = relu(x K + b), y = sigmoid(h k2 + b2).
  // x = [1, 2, 3]:  h0 = 1*0.5 + 2*0.25 + 3*(-0.5) + 0.1 = -0.4 -> 0;  h1 = 1*(-1) + 2*2 + 3*0.1 - 0.2 = 3.1
  //   z = 0*1.5 + 3.1*(-0.75) + 0.05 = -2.275, y = 1 / (1 + e^2.275) = 0.093217...
  // x = [-1, 0, 2]: h0 = -0.5 + 0 - 1 + 0.1 = -1.4 -> 0;  h1 = 1 + 0 + 0.2 - 0.2 = 1.0
  //   z = -0.75 + 0.05 = -0.7, y = 1 / (1 + e^0.7) = 0.331812...
  const expected = [1 / (1 + Math.exp(2.275)), 1 / (1 + Math.exp(0.7))];
  const y = model.predict(tf.tensor2d([[1, 2, 3], [-1, 0, 2]])) as tf.Tensor;
  const got = Array.from(await y.data());
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-5, `row ${i}: ${v} vs ${expected[i]}`));
  // TF.js names the loaded weights exactly as the manifest does.
  assert.deepEqual(model.weights.map((w) => w.originalName), ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
});

test('toTfjsTopology: Keras 3 forms become the Keras 2 form TF.js reads', () => {
  const t = toTfjsTopology(KERAS3_MODEL) as { class_name: string; config: { layers: { class_name: string; config: Record<string, unknown> }[]; dtype: unknown } };
  const s = JSON.stringify(t);
  assert.ok(!s.includes('"module"') && !s.includes('registered_name') && !s.includes('build_config') && !s.includes('DTypePolicy') && !s.includes('batch_shape"'));
  assert.deepEqual(t.config.layers.map((l) => l.class_name), ['Dense', 'Dense']);
  assert.deepEqual(t.config.layers[0].config.batch_input_shape, [null, 3]);
  assert.equal(t.config.layers[0].config.dtype, 'float32');
  assert.deepEqual(t.config.layers[0].config.kernel_initializer, { class_name: 'GlorotUniform', config: { seed: null } });
  assert.throws(() => toTfjsTopology({ class_name: 'Sequential', config: { layers: [KERAS3_MODEL.config && (KERAS3_MODEL.config as { layers: never[] }).layers[0]] } }), ValueError);
});

// ---- Bad files: each built from a real model.json / shard. ----

const REAL = 'tfjs-keras2.8-nonlinear-mlp';

async function expectFault(run: () => Promise<unknown>, file: string, fault: RegExp): Promise<void> {
  await assert.rejects(run, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.ok(e.message.includes(file), `message names ${file}: ${e.message}`);
    assert.match(e.message, fault);
    return true;
  });
}

test('bad TF.js models built from a real model.json and shard: each is a DataError naming the file and fault', { skip: SKIP_MODELS }, async () => {
  const src = join(MODELS, REAL, 'model.json');
  const realJson = readJson(src);
  const realShard = new Uint8Array(readFileSync(join(MODELS, REAL, 'group1-shard1of1.bin')));
  const FILE = 'nonlinear/model.json';
  const edited = (edit: (m: { weightsManifest: Manifest[] } & Record<string, unknown>) => void) => {
    const m = structuredClone(realJson) as { weightsManifest: Manifest[] } & Record<string, unknown>;
    edit(m);
    return m;
  };
  const decode = (m: unknown, shards: Record<string, Uint8Array> = { 'group1-shard1of1.bin': realShard }) => () =>
    decodeTfjsModel(m, (p) => { const b = shards[p]; if (b === undefined) throw new Error(`no shard ${p}`); return b; }, FILE);
  const w0 = (m: { weightsManifest: Manifest[] }) => m.weightsManifest[0].weights[0];

  await decode(realJson)(); // the unedited model decodes
  for (const [path, fault] of [
    ['../x.bin', /leaves the model folder/], ['sub/../../x.bin', /leaves the model folder/], ['..\\x.bin', /leaves the model folder/],
    ['/etc/passwd', /is absolute/], ['https://example.com/w.bin', /URL/], ['file:///etc/passwd', /URL/], ['C:\\w.bin', /URL or drive/], ['', /not a non-empty string/],
  ] as const) {
    await expectFault(decode(edited((m) => { m.weightsManifest[0].paths = [path]; })), FILE, fault);
  }
  // Byte counts: manifest says more than the shard holds / less / the shard is truncated.
  await expectFault(decode(edited((m) => { w0(m).shape = [2, 51]; })), FILE, /shards hold 31404 bytes in total, but the manifest's weights need 31412/);
  await expectFault(decode(edited((m) => { w0(m).shape = [2, 49]; })), FILE, /more bytes \(at least 31404\) than the 31396 bytes/);
  await expectFault(decode(realJson, { 'group1-shard1of1.bin': realShard.subarray(0, 30000) }), FILE, /shards hold 30000 bytes in total, but the manifest's weights need 31404\. The file is truncated/);
  // Per shard: the real shard cut in three, the middle one shorter than the first.
  const three = { a: realShard.subarray(0, 16000), b: realShard.subarray(16000, 31000), c: realShard.subarray(31000) };
  await expectFault(decode(edited((m) => { m.weightsManifest[0].paths = ['a', 'b', 'c']; }), three), FILE, /"b" \(shard 2 of 3\) has 15000 bytes, but shard 1 has 16000/);
  const two = { a: realShard.subarray(0, 1000), b: realShard.subarray(1000) };
  await expectFault(decode(edited((m) => { m.weightsManifest[0].paths = ['a', 'b']; }), two), FILE, /the last shard cannot be larger/);
  // Dimensions and dtypes.
  await expectFault(decode(edited((m) => { w0(m).shape = [-2, 50]; })), FILE, /invalid dimension -2/);
  await expectFault(decode(edited((m) => { w0(m).shape = [2.5, 50]; })), FILE, /invalid dimension 2.5/);
  await expectFault(decode(JSON.parse(JSON.stringify(edited((m) => { w0(m).shape = [2, 'INF' as unknown as number]; })).replace('"INF"', '1e999'))), FILE, /invalid dimension Infinity/);
  await expectFault(decode(edited((m) => { w0(m).dtype = 'int32'; })), FILE, /dtype "int32", which is not supported/);
  await expectFault(decode(edited((m) => { w0(m).dtype = 'float99'; })), FILE, /unknown dtype "float99"/);
  await expectFault(decode(edited((m) => { (w0(m) as Record<string, unknown>).quantization = { dtype: 'uint8', min: 0, scale: 1 }; })), FILE, /quantized weights are not supported/);
  await expectFault(decode(edited((m) => { delete m.modelTopology; })), FILE, /"modelTopology" is missing/);
  // A shape claiming 4e12 floats: rejected from the shard sizes, never allocated (that would be a RangeError).
  // Bytes needed: 31404 - 2*50*4 (the real first kernel) + 4e12 * 4 = 16000000031004.
  await expectFault(decode(edited((m) => { w0(m).shape = [2e6, 2e6]; })), FILE, /the manifest's weights need 16000000031004/);
});

test('disk layer: shards resolved inside the model folder (symlink escape, ../ path) and size-bounded reads', { skip: SKIP_MODELS }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-tfjs-'));
  try {
    const model = join(dir, 'model');
    cpSync(join(MODELS, REAL), model, { recursive: true });
    const modelJson = join(model, 'model.json');
    assert.equal((await readTfjsModelFile(modelJson)).weights.length, 10);
    const json = readJson(modelJson) as { weightsManifest: Manifest[] };
    // A symlink inside the folder pointing outside it.
    writeFileSync(join(dir, 'outside.bin'), readFileSync(join(model, 'group1-shard1of1.bin')));
    symlinkSync(join(dir, 'outside.bin'), join(model, 'link.bin'));
    json.weightsManifest[0].paths = ['link.bin'];
    writeFileSync(modelJson, JSON.stringify(json));
    await expectFault(() => readTfjsModelFile(modelJson), modelJson, /outside the model folder/);
    json.weightsManifest[0].paths = ['../outside.bin'];
    writeFileSync(modelJson, JSON.stringify(json));
    await expectFault(() => readTfjsModelFile(modelJson), modelJson, /leaves the model folder/);
    json.weightsManifest[0].paths = ['group1-shard1of2.bin'];
    writeFileSync(modelJson, JSON.stringify(json));
    await expectFault(() => readTfjsModelFile(modelJson), modelJson, /weight file "group1-shard1of2.bin" listed in the manifest is missing/);
    writeFileSync(modelJson, '{"modelTopology": ');
    await expectFault(() => readTfjsModelFile(modelJson), modelJson, /not valid UTF-8 JSON/);
    await expectFault(() => readFileBounded(join(model, 'group1-shard1of1.bin'), 1000), 'group1-shard1of1.bin', /has 31404 bytes, more than the limit of 1000/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('reads a model saved by @tensorflow/tfjs 4.22 itself (model.save with includeOptimizer), weights equal TF.js getWeights', async () => {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'relu', name: 'd1' }), tf.layers.dense({ units: 2, name: 'd2' })] });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  await model.fit(tf.ones([4, 3]), tf.zeros([4, 2]), { epochs: 2, batchSize: 2, verbose: 0 });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => { saved = a; return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }), { includeOptimizer: true });
  assert.ok(saved);
  // model.json as TF.js's browser/file handlers write it: one weights file, relative './' path.
  const modelJson = {
    modelTopology: saved.modelTopology, format: saved.format, generatedBy: saved.generatedBy, convertedBy: saved.convertedBy ?? null,
    trainingConfig: saved.trainingConfig, weightsManifest: [{ paths: ['./model.weights.bin'], weights: saved.weightSpecs }],
  };
  const bin = new Uint8Array(saved.weightData as ArrayBuffer);
  const a = await decodeTfjsModel(JSON.parse(JSON.stringify(modelJson)), (p) => { assert.equal(p, 'model.weights.bin'); return bin; }, 'tfjs-saved/model.json');
  const expected = model.getWeights();
  assert.deepEqual(a.weights.map((w) => [w.name, w.layer, w.index]), [['d1/kernel', 'd1', 0], ['d1/bias', 'd1', 1], ['d2/kernel', 'd2', 0], ['d2/bias', 'd2', 1]]);
  for (const [i, w] of a.weights.entries()) assert.deepEqual(w.data, await expected[i].data());
  // 2 epochs of 2 batches = 4 Adam steps; slots m and v for each of the 4 weights.
  assert.equal(a.optimizerState?.iterations, 4);
  assert.equal(a.optimizerState?.slots.length, 8);
  assert.ok(a.optimizerState?.slots.every((s) => /^d[12]\/(kernel|bias)\/[mv]$/.test(s.name) && s.layer === s.name.slice(0, 2)));
  assert.equal((a.compileConfig as { loss: string }).loss, 'mean_squared_error');
});

test('the real Keras 3.3.3 MNIST config.json + compile_config + weights, exported by encodeTfjsModel, loads in tfjs and predicts as a plain forward pass', { skip: SKIP_MODELS }, async () => {
  const root = join(MODELS, 'keras3.3.3-mnist-mlp-dotkeras');
  const config = readJson(join(root, 'config.json')) as unknown as KerasObject & { compile_config: { [key: string]: Json } };
  const weights = (await readTfjsModelFile(join(root, 'derived-tfjs-layout', 'model.json'))).weights;
  const files = encodeTfjsModel({ modelConfig: config, compileConfig: config.compile_config, weights }, { shardBytes: 50_000 });
  assert.equal(Object.keys(files).length, 1 + Math.ceil(122536 / 50_000));
  const model = await tf.loadLayersModel(fromFiles(files));
  assert.equal((model.optimizer as unknown as { getClassName(): string }).getClassName(), 'SGD');
  // Deterministic inputs in [0, 1): x[r][i] = ((r * 7919 + i * 104729) mod 1000) / 1000.
  const rows = 4;
  const x = Array.from({ length: rows }, (_, r) => Array.from({ length: 784 }, (_, i) => ((r * 7919 + i * 104729) % 1000) / 1000));
  // Plain float64 forward pass: relu(x W0 + b0) -> relu(. W1 + b1) -> softmax(. W2 + b2).
  const layer = (h: number[], w: NamedWeight, b: NamedWeight, act: 'relu' | 'softmax'): number[] => {
    const [k, n] = w.shape;
    const z = Array.from({ length: n }, (_, j) => { let s = b.data[j]; for (let i = 0; i < k; i++) s += h[i] * w.data[i * n + j]; return s; });
    if (act === 'relu') return z.map((v) => Math.max(0, v));
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((p, q) => p + q, 0);
    return e.map((v) => v / sum);
  };
  const got = await (model.predict(tf.tensor2d(x)) as tf.Tensor).array() as number[][];
  for (let r = 0; r < rows; r++) {
    const h1 = layer(x[r], weights[0], weights[1], 'relu');
    const h2 = layer(h1, weights[2], weights[3], 'relu');
    const y = layer(h2, weights[4], weights[5], 'softmax');
    y.forEach((v, j) => assert.ok(Math.abs(v - got[r][j]) < 1e-5, `row ${r} class ${j}: tfjs ${got[r][j]} vs ${v}`));
  }
});

test('Keras 3 Flatten, Dense, BatchNormalization, PReLU, Dropout, Activation: exported, loaded by tfjs, predicting as a plain forward pass', async () => {
  const ini = (n: string, c: { [key: string]: Json } = {}): Json => ({ module: 'keras.initializers', class_name: n, config: c, registered_name: null });
  const L = (cls: string, config: { [key: string]: Json }): Json => ({ module: 'keras.layers', class_name: cls, config: { trainable: true, dtype: policy, ...config }, registered_name: null, build_config: { input_shape: [null, 4] } });
  const modelConfig: KerasObject = { module: 'keras', class_name: 'Sequential', registered_name: null, config: { name: 'seq', trainable: true, dtype: policy, build_input_shape: [null, 2, 2], layers: [
    { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: [null, 2, 2], dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
    L('Flatten', { name: 'flatten', data_format: 'channels_last' }),
    L('Dense', { name: 'dense', units: 4, activation: 'linear', use_bias: true, kernel_initializer: ini('GlorotUniform', { seed: null }), bias_initializer: ini('Zeros'), kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null }),
    L('BatchNormalization', { name: 'batch_normalization', axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true, beta_initializer: ini('Zeros'), gamma_initializer: ini('Ones'), moving_mean_initializer: ini('Zeros'), moving_variance_initializer: ini('Ones'), beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null, synchronized: false }),
    L('PReLU', { name: 'p_re_lu', alpha_initializer: ini('Constant', { value: 0.25 }), alpha_regularizer: null, alpha_constraint: null, shared_axes: null }),
    L('Dropout', { name: 'dropout', rate: 0.5, seed: null, noise_shape: null }),
    L('Activation', { name: 'activation', activation: 'softmax' }),
  ] } };
  const w = (name: string, shape: number[], values: number[]): NamedWeight => ({ name, layer: name.split('/')[0], index: 0, shape, dtype: 'float32', data: new Float32Array(values), trainable: !name.includes('moving') });
  const K = Array.from({ length: 16 }, (_, i) => (i % 5) / 10 - 0.2);
  const b = [0.1, 0, -0.1, 0.2], gamma = [1, 2, 0.5, 1], beta = [0, 0.1, 0.2, 0.3], mean = [0.1, 0.2, 0.3, 0.4], variance = [1, 2, 3, 4], alpha = [0.1, 0.2, 0.3, 0.4];
  const weights = [w('dense/kernel', [4, 4], K), w('dense/bias', [4], b), w('batch_normalization/gamma', [4], gamma), w('batch_normalization/beta', [4], beta),
    w('batch_normalization/moving_mean', [4], mean), w('batch_normalization/moving_variance', [4], variance), w('p_re_lu/alpha', [4], alpha)];
  const model = await tf.loadLayersModel(fromFiles(encodeTfjsModel({ modelConfig, weights })));
  assert.deepEqual(model.layers.map((l) => l.getClassName()), ['Flatten', 'Dense', 'BatchNormalization', 'PReLU', 'Dropout', 'Activation']);
  // Forward pass at inference (float32 weights read back through Math.fround):
  // z = x K + b; n = gamma (z - mean) / sqrt(var + 0.001) + beta; p = max(0, n) + alpha min(0, n); dropout = identity; softmax.
  const f = (v: number[]) => v.map(Math.fround);
  const x = [1, 2, 3, 4];
  const z = [0, 1, 2, 3].map((j) => f(b)[j] + x.reduce((s, xi, i) => s + xi * f(K)[i * 4 + j], 0));
  const n = z.map((v, j) => f(gamma)[j] * (v - f(mean)[j]) / Math.sqrt(variance[j] + 0.001) + f(beta)[j]);
  const p = n.map((v, j) => Math.max(0, v) + f(alpha)[j] * Math.min(0, v));
  const e = p.map((v) => Math.exp(v - Math.max(...p)));
  const expected = e.map((v) => v / e.reduce((s, q) => s + q, 0));
  const got = Array.from(await (model.predict(tf.tensor3d([[[1, 2], [3, 4]]])) as tf.Tensor).data());
  got.forEach((v, j) => assert.ok(Math.abs(v - expected[j]) < 1e-5, `class ${j}: tfjs ${v} vs ${expected[j]}`));
});
