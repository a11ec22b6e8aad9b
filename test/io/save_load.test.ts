/**
 * model.save / loadModel through the file-system store, in every format: predictions after loading
 * are bit-identical to those before saving, for models with Dense, BatchNormalization, Dropout and
 * PReLU layers; the optimizer state and the training position come back (deepwell format, .keras,
 * .h5), and a model trained here and exported to TF.js loads in @tensorflow/tfjs and predicts the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { BatchNormalization, Dense, Dropout, PReLU, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/model_store.js';
import { Adam } from '../../src/optimizers/adam.js';
import { formatOfPath, readArtifacts } from '../../src/io/file_store.node.js';

const bits = (a: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(a).buffer));

function data(n: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(9);
  const x = new Float32Array(n * 6);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < 6; j++) x[6 * i + j] = (y[i] - 1) * (j % 3) + rng.nextNormal();
  }
  return { x: new Tensor(x, [n, 6]), y: new Tensor(y, [n]) };
}

async function trained(): Promise<{ model: Sequential; x: Tensor; y: Tensor }> {
  setSeed(3);
  resetLayerNames();
  const model = new Sequential([
    new Dense(12, { inputShape: [6] }),
    new PReLU(),
    new BatchNormalization(),
    new Dropout(0.25),
    new Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'], initializerAdvice: false });
  const { x, y } = data(90);
  await model.fit(x, y, { epochs: 2, batchSize: 16, seed: 1 });
  return { model, x, y };
}

const FORMATS = [
  ['deepwell folder', 'm', 'deepwell'],
  ['deepwell file', 'm.safetensors', 'deepwell'],
  ['TF.js folder', 'tfjs', 'tfjs'],
  ['Keras 3 .keras', 'm.keras', 'keras'],
  ['Keras 2 .h5', 'm.h5', 'h5'],
] as const;

for (const [label, file, format] of FORMATS) {
  test(`${label}: predictions after loadModel are bit-identical; compile config and optimizer state come back`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deepwell-save-'));
    try {
      const { model, x } = await trained();
      const before = model.predict(x);
      const path = join(dir, file);
      await model.save(path, format === 'tfjs' ? { format: 'tfjs' } : {});
      assert.equal(formatOfPath(path), format);
      const loaded = await loadModel(path);
      assert.deepEqual(loaded.layers.map((l) => l.name), model.layers.map((l) => l.name));
      assert.deepEqual(bits(loaded.predict(x).data), bits(before.data));
      assert.equal(loaded.compiled?.lossName, 'sparse_categorical_crossentropy');
      if (format !== 'tfjs') {
        // TF.js files hold no optimizer state when written by deepwell (tf.loadLayersModel ignores it).
        assert.equal(loaded.optimizer?.iterations, model.optimizer?.iterations);
        const a = model.optimizer!.getState(model.weights);
        const b = loaded.optimizer!.getState(loaded.weights);
        assert.deepEqual(b.weights.map((w) => Object.keys(w.slots)), a.weights.map((w) => Object.keys(w.slots)));
        a.weights.forEach((w, i) => {
          for (const k of Object.keys(w.slots)) assert.deepEqual(bits(b.weights[i].slots[k]), bits(w.slots[k]), `${w.name}/${k}`);
        });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('deepwell format keeps the training position and model.metadata; a second save replaces the first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-save-'));
  try {
    const { model } = await trained();
    model.metadata.note = 'first';
    await model.save(join(dir, 'ckpt'));
    model.metadata.note = 'second';
    await model.save(join(dir, 'ckpt'));
    assert.deepEqual(readdirSync(join(dir, 'ckpt')), ['model.safetensors'], 'no temporary file is left behind');
    const loaded = await loadModel(join(dir, 'ckpt'));
    assert.equal(loaded.metadata.note, 'second');
    assert.equal(loaded.trainingState?.epoch, 2);
    assert.deepEqual(loaded.trainingState, JSON.parse(JSON.stringify(model.trainingState)));
    const artifacts = await readArtifacts(join(dir, 'ckpt'));
    assert.equal(artifacts.metadata?.format, 'deepwell');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

for (const file of ['m.keras', 'm.h5']) {
  test(`${file}: model.metadata and the training position travel under Keras's ignored 'deepwell' key, so a checkpoint resumes from it`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deepwell-save-'));
    try {
      const { model } = await trained();
      model.metadata.settings = { standardize: true, data: 'mnist' };
      await model.save(join(dir, file));
      const loaded = await loadModel(join(dir, file));
      assert.deepEqual(loaded.metadata, { settings: { standardize: true, data: 'mnist' } });
      assert.deepEqual(loaded.trainingState, JSON.parse(JSON.stringify(model.trainingState)));
      const artifacts = await readArtifacts(join(dir, file));
      assert.equal(artifacts.metadata?.deepwell, undefined, 'the extras are read back into their places, not left in the Keras metadata');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a model trained by deepwell, exported to TF.js, loads in @tensorflow/tfjs and predicts the same to 1e-5', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-tfjs-'));
  try {
    const { model, x } = await trained();
    await model.save(join(dir, 'web'), { format: 'tfjs' });
    await tf.setBackend('cpu');
    // A file:// handler is in tfjs-node only; feed tf.loadLayersModel the files through tf.io.fromMemory.
    const artifacts = await readArtifacts(join(dir, 'web'));
    const json = JSON.parse(readFileSync(join(dir, 'web', 'model.json'), 'utf8'));
    const shards: Uint8Array[] = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths).map((p: string) => new Uint8Array(readFileSync(join(dir, 'web', p))));
    const total = shards.reduce((n, s) => n + s.length, 0);
    const weightData = new Uint8Array(total);
    let off = 0;
    for (const s of shards) {
      weightData.set(s, off);
      off += s.length;
    }
    const tfModel = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights), weightData: weightData.buffer,
    }));
    const theirs = (tfModel.predict(tf.tensor(Array.from(x.data), x.shape as number[])) as tf.Tensor).dataSync();
    const ours = model.predict(x).data;
    assert.equal(theirs.length, ours.length);
    let worst = 0;
    for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(theirs[i] - ours[i]));
    assert.ok(worst < 1e-5, `largest difference ${worst}`);
    assert.equal(artifacts.weights.length, model.weights.length);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

