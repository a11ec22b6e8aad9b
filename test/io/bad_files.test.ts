/**
 * Bad files through `loadModel` (issue 8 item 7): each is a real file of ../shared/data/models copied
 * into a temp folder and corrupted in one way; loading it is a DataError (a ValueError for a class
 * deepwell refuses or lacks) naming the file and the fault. The codec-level tests of the same faults
 * (safetensors, keras_files, tfjs_format tests) share the byte-editing helpers of ./corrupt.ts.
 * Skips, saying so, when ../shared/data is absent (a clone outside this workspace).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import '../../src/io/file_store.node.js';
import { DataError, ValueError } from '../../src/core/errors.js';
import { loadModel } from '../../src/models/model_store.js';
import { copyReal, setStatedSize, tensorEntry, withSafetensorsHeader } from './corrupt.js';
import { SKIP_MODELS } from './real_models.js';

const skip = SKIP_MODELS;
const MNIST_KERAS = 'keras3.3.3-mnist-mlp-dotkeras/model.keras';
const NONLINEAR = 'tfjs-keras2.8-nonlinear-mlp';

/** Asserts that loading `path` rejects with `kind`, a message naming `named` (default: the path) and matching `fault`. */
async function refuses(path: string, fault: RegExp, kind: typeof DataError | typeof ValueError = DataError, named = path): Promise<void> {
  await assert.rejects(loadModel(path), (e: Error) => {
    assert.ok(e instanceof kind, `expected ${kind.name}, got ${e.constructor.name}: ${e.message}`);
    assert.ok(e.message.includes(named), `the message names ${named}: ${e.message}`);
    assert.match(e.message, fault);
    return true;
  });
}

const readJson = (p: string): Record<string, any> => JSON.parse(readFileSync(p, 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const writeJson = (p: string, v: unknown): void => writeFileSync(p, JSON.stringify(v));

/** The real Keras 3.3.3 MNIST model saved by deepwell (a derived deepwell folder); returns the model.safetensors path. */
async function realDeepwellFile(): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), 'deepwell-bad-')), 'mnist');
  await (await loadModel(copyReal(MNIST_KERAS))).save(dir, { format: 'deepwell' });
  return join(dir, 'model.safetensors');
}

/** Rewrites the deepwell file at `file` with `edit` applied to its safetensors header. */
function editDeepwell(file: string, edit: Parameters<typeof withSafetensorsHeader>[1]): string {
  writeFileSync(file, withSafetensorsHeader(new Uint8Array(readFileSync(file)), edit));
  return dirname(file);
}

test('the uncorrupted copies load (the faults below are the only change)', { skip }, async () => {
  assert.equal((await loadModel(copyReal(MNIST_KERAS))).countParams(), 30634);
  assert.equal((await loadModel(copyReal(NONLINEAR))).countParams(), 7851);
  assert.equal((await loadModel(dirname(await realDeepwellFile()))).countParams(), 30634);
});

test('model.json: a weight path leaving the model folder is refused, and the file outside is not read', { skip }, async () => {
  const dir = copyReal(NONLINEAR);
  writeFileSync(join(dir, '..', 'outside.bin'), readFileSync(join(dir, 'group1-shard1of1.bin')));
  const json = readJson(join(dir, 'model.json'));
  json.weightsManifest[0].paths = ['../outside.bin'];
  writeJson(join(dir, 'model.json'), json);
  await refuses(dir, /"\.\.\/outside\.bin".*leaves the model folder/, DataError, join(dir, 'model.json'));
});

test('model.json: shard bytes disagreeing with the manifest (the shard cut short on disk)', { skip }, async () => {
  const dir = copyReal(NONLINEAR);
  writeFileSync(join(dir, 'group1-shard1of1.bin'), readFileSync(join(dir, 'group1-shard1of1.bin')).subarray(0, 30000));
  await refuses(dir, /shards hold 30000 bytes in total, but the manifest's weights need 31404/, DataError, join(dir, 'model.json'));
});

test('deepwell file: a safetensors header length beyond the file', { skip }, async () => {
  const file = await realDeepwellFile();
  const bytes = new Uint8Array(readFileSync(file));
  new DataView(bytes.buffer).setUint32(0, bytes.length, true);
  writeFileSync(file, bytes);
  await refuses(dirname(file), /header length \d+ bytes goes beyond the end of the file/, DataError, file);
});

test('deepwell file: a negative dimension', { skip }, async () => {
  const file = await realDeepwellFile();
  await refuses(editDeepwell(file, (h) => { tensorEntry(h, 'dense/bias').shape = [-32]; }), /tensor "dense\/bias".*invalid dimension -32/, DataError, file);
});

test('deepwell file: overlapping safetensors offsets', { skip }, async () => {
  const file = await realDeepwellFile();
  await refuses(editDeepwell(file, (h) => { const e = tensorEntry(h, 'dense_1/kernel'); e.data_offsets = e.data_offsets.map((o) => o - 4); }), /overlap/, DataError, file);
});

test('deepwell file: truncated', { skip }, async () => {
  const file = await realDeepwellFile();
  writeFileSync(file, readFileSync(file).subarray(0, 100_000));
  await refuses(dirname(file), /truncated/, DataError, file);
});

test('.keras: a zip entry whose stated size lies', { skip }, async () => {
  const path = copyReal(MNIST_KERAS);
  writeFileSync(path, setStatedSize(new Uint8Array(readFileSync(path)), 'config.json', 100));
  await refuses(path, /zip entry config\.json .*states 100 bytes uncompressed and 3054 stored/);
});

test('.keras: a zip bomb (the real entries, model.weights.h5 declaring 3 GB) refused before inflating', { skip }, async () => {
  const path = copyReal(MNIST_KERAS);
  const e = unzipSync(readFileSync(path));
  const zip = zipSync({ 'config.json': [e['config.json'], { level: 9 }], 'metadata.json': e['metadata.json'], 'model.weights.h5': [e['model.weights.h5'], { level: 9 }] });
  writeFileSync(path, setStatedSize(zip, 'model.weights.h5', 3_000_000_000));
  await refuses(path, /zip entries declare \d+ bytes uncompressed.*zip bomb/);
});

test('.keras and .h5: truncated files', { skip }, async () => {
  const keras = copyReal(MNIST_KERAS);
  writeFileSync(keras, readFileSync(keras).subarray(0, 100_000));
  await refuses(keras, /not a readable zip archive.*truncated/);
  const h5 = copyReal('keras2.10-h5-hml2-ch11-model_A/my_model_A.h5');
  writeFileSync(h5, readFileSync(h5).subarray(0, 500_000));
  await refuses(h5, /HDF5 file is truncated: its superblock states 1136680 bytes, got 500000/);
});

test('a Lambda layer is refused (safe mode), in a .keras config and in a model.json', { skip }, async () => {
  const keras = copyReal(MNIST_KERAS);
  const e = unzipSync(readFileSync(keras));
  const config = JSON.parse(new TextDecoder().decode(e['config.json']));
  // Keras 3 serializes a Lambda's function as base64 Python bytecode ("__lambda__").
  const lambda = { module: 'keras.layers', class_name: 'Lambda', config: { name: 'lambda', function: { class_name: '__lambda__', config: { code: 'YmFk', defaults: null, closure: null } } }, registered_name: null };
  config.config.layers.splice(2, 0, lambda);
  writeFileSync(keras, zipSync({ ...e, 'config.json': strToU8(JSON.stringify(config)) }));
  await refuses(keras, /layer "lambda" is a Lambda layer: it holds code .*never runs code from a file.*registerSerializable\(MyLayer\)/);

  const dir = copyReal(NONLINEAR);
  const json = readJson(join(dir, 'model.json'));
  json.modelTopology.model_config.config.layers.splice(2, 0, { class_name: 'Lambda', config: { name: 'lambda', function: ['4wEAAAA=', null, null], function_type: 'lambda' } });
  writeJson(join(dir, 'model.json'), json);
  await refuses(dir, /Refusing to load a 'Lambda' object.*CVE-2024-3660.*registerSerializable\(MyLayer\)/, ValueError);
});

test('an unregistered layer class: named, with how to register a custom layer', { skip }, async () => {
  const dir = copyReal(NONLINEAR);
  const json = readJson(join(dir, 'model.json'));
  json.modelTopology.model_config.config.layers[1].class_name = 'MyDense';
  writeJson(join(dir, 'model.json'), json);
  await refuses(dir, /Unknown layer class 'MyDense'.*Did you mean 'Dense'\?.*registerSerializable\(MyLayer\)/, ValueError);
  const keras = copyReal(MNIST_KERAS);
  const e = unzipSync(readFileSync(keras));
  const config = JSON.parse(new TextDecoder().decode(e['config.json']));
  config.config.layers[1].class_name = 'MyDense';
  writeFileSync(keras, zipSync({ ...e, 'config.json': strToU8(JSON.stringify(config)) }));
  await refuses(keras, /layer "dense" is of class MyDense, and deepwell has no MyDense layer.*registerSerializable\(MyLayer\)/);
});
