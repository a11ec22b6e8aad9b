// deepwell's single-file format: round trip of everything ModelArtifacts holds, built from the real
// Keras 3.3.3 MNIST model (config.json + weights), and the deepwell-level faults of corrupted files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../src/core/errors.js';
import type { KerasObject, ModelArtifacts, NamedWeight } from '../../src/io/artifacts.js';
import { decodeDeepwellModel, encodeDeepwellModel } from '../../src/io/deepwell_format.js';
import { DEEPWELL_VERSION } from '../../src/io/deepwell_version.js';
import { decodeSafetensors, encodeSafetensors } from '../../src/io/safetensors.js';
import { MODELS, SKIP_MODELS } from './real_models.js';

const FILE = 'model.deepwell';

/** The real MNIST model as artifacts: config.json from the .keras file, weights from the derived shard. */
function realArtifacts(): ModelArtifacts {
  const root = join(MODELS, 'keras3.3.3-mnist-mlp-dotkeras');
  const config = JSON.parse(readFileSync(join(root, 'config.json'), 'utf8')) as KerasObject & { compile_config: Record<string, never> };
  const manifest = (JSON.parse(readFileSync(join(root, 'derived-tfjs-layout', 'model.json'), 'utf8')) as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] }).weightsManifest[0];
  const shard = readFileSync(join(root, 'derived-tfjs-layout', 'group1-shard1of1.bin'));
  let offset = 0;
  const weights: NamedWeight[] = manifest.weights.map((w, i) => {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(shard.buffer.slice(shard.byteOffset + offset, shard.byteOffset + offset + n * 4));
    offset += n * 4;
    return { name: w.name, layer: w.name.split('/')[0], index: i % 2, shape: w.shape, dtype: 'float32', data, trainable: true };
  });
  // Optimizer slots: SGD-with-momentum style velocity, deterministic values.
  const slots = weights.map((w) => ({ ...w, name: `${w.name}/momentum`, data: w.data.map((v) => v * 0.5) }));
  return {
    modelConfig: config,
    compileConfig: config.compile_config,
    weights,
    optimizerState: { iterations: 1875, slots },
    trainingState: { epoch: 3, rng: [1, 2, 3, 4] },
    metadata: { keras_version: '3.3.3' },
  };
}

const sameWeights = (a: NamedWeight[], b: NamedWeight[]): void => {
  assert.equal(a.length, b.length);
  a.forEach((w, i) => {
    const v = b[i];
    assert.deepEqual({ ...v, data: undefined }, { ...w, data: undefined }, w.name);
    assert.equal(v.data.constructor, w.data.constructor);
    assert.deepEqual(new Uint8Array(v.data.buffer, v.data.byteOffset, v.data.byteLength), new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength));
  });
};

test('round trip of the real MNIST model with optimizer slots, training state and metadata (bit-identical)', { skip: SKIP_MODELS }, () => {
  const a = realArtifacts();
  const bytes = encodeDeepwellModel(a);
  const b = decodeDeepwellModel(bytes, FILE);
  assert.deepEqual(b.modelConfig, a.modelConfig);
  assert.deepEqual(b.compileConfig, a.compileConfig);
  assert.deepEqual(b.trainingState, a.trainingState);
  sameWeights(a.weights, b.weights);
  assert.equal(b.optimizerState?.iterations, 1875);
  sameWeights(a.optimizerState!.slots, b.optimizerState!.slots);
  assert.deepEqual(b.metadata, { keras_version: '3.3.3', format: 'deepwell', format_version: '1', deepwell_version: DEEPWELL_VERSION });
  // Decoded arrays own their memory (not views into the file bytes).
  assert.notEqual(b.weights[0].data.buffer, bytes.buffer);
  // The file is plain safetensors: tensor names and metadata as documented.
  const raw = decodeSafetensors(bytes, FILE);
  assert.deepEqual(raw.tensors.map((t) => t.name).sort(), [...a.weights.map((w) => w.name), ...a.weights.map((w) => `optimizer/${w.name}/momentum`)].sort());
  assert.equal(raw.metadata.format, 'deepwell');
  assert.equal(raw.metadata.format_version, '1');
  assert.deepEqual(JSON.parse(raw.metadata.config), a.modelConfig);
  assert.deepEqual(JSON.parse(raw.metadata.optimizer), { iterations: 1875, slots: a.optimizerState!.slots.map((s) => ({ name: s.name, layer: s.layer, index: s.index, trainable: true })) });
});

test('round trip: float64 weights, non-trainable weights, empty and scalar weights, no optimizer, no compile config', () => {
  const w = (name: string, layer: string, index: number, shape: number[], data: Float32Array | Float64Array, trainable = true): NamedWeight =>
    ({ name, layer, index, shape, dtype: data instanceof Float64Array ? 'float64' : 'float32', data, trainable });
  const a: ModelArtifacts = {
    modelConfig: { class_name: 'Sequential', config: { name: 's', layers: [] } },
    weights: [
      w('batch_normalization/gamma', 'batch_normalization', 0, [2], new Float64Array([1 / 3, -0])),
      w('batch_normalization/moving_mean', 'batch_normalization', 2, [2], new Float64Array([NaN, 1e-310]), false),
      w('odd name/ü', 'odd name', 0, [0, 3], new Float32Array(0)),
      w('p_re_lu/alpha', 'p_re_lu', 0, [], new Float32Array([0.25])),
    ],
  };
  const b = decodeDeepwellModel(encodeDeepwellModel(a, { deepwellVersion: '9.9.9' }), FILE);
  sameWeights(a.weights, b.weights);
  assert.equal(b.compileConfig, null);
  assert.equal(b.optimizerState, null);
  assert.equal(b.trainingState, null);
  assert.equal(b.metadata?.deepwell_version, '9.9.9');
});

function expectFault(bytes: Uint8Array, fault: RegExp): void {
  assert.throws(
    () => decodeDeepwellModel(bytes, FILE),
    (e: unknown) => {
      assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
      assert.match(e.message, new RegExp(`"${FILE}"`));
      assert.match(e.message, fault);
      return true;
    },
  );
}

test('bad deepwell files built from the real model: each is a DataError naming the file and fault', { skip: SKIP_MODELS }, () => {
  const real = encodeDeepwellModel(realArtifacts());
  const file = decodeSafetensors(real, FILE);
  const rebuild = (edit: (meta: Record<string, string>, tensors: typeof file.tensors) => typeof file.tensors | void): Uint8Array => {
    const meta = { ...file.metadata };
    const tensors = [...file.tensors];
    return encodeSafetensors(edit(meta, tensors) ?? tensors, meta);
  };
  expectFault(real.subarray(0, real.length - 1), /truncated/);
  expectFault(rebuild((m) => { delete m.format; }), /"format" is null, expected "deepwell"/);
  expectFault(rebuild((m) => { m.format_version = '2'; }), /format_version "2" is not supported/);
  expectFault(rebuild((m) => { m.config = m.config.slice(0, -2); }), /metadata "config" is not valid JSON/);
  expectFault(rebuild((m) => { delete m.weights; }), /metadata "weights" is missing/);
  expectFault(rebuild((m) => { m.weights = JSON.stringify(JSON.parse(m.weights).map((e: { index: number }) => ({ ...e, index: -1 }))); }), /index: integer >= 0/);
  expectFault(rebuild((_m, t) => t.filter((x) => x.name !== 'dense_1/bias')), /"dense_1\/bias" has no tensor "dense_1\/bias"/);
  expectFault(rebuild((_m, t) => [...t, { name: 'stowaway', shape: [1], dtype: 'float32', data: new Float32Array(1) }]), /tensor "stowaway" is not listed/);
  expectFault(rebuild((m) => { m.optimizer = '{"iterations":-3,"slots":[]}'; }), /"optimizer" must be null or/);
});
