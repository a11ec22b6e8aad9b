/**
 * model.save / loadModel through the file-system store, in every format: predictions after loading
 * are bit-identical to those before saving, for models with Dense, BatchNormalization, Dropout and
 * PReLU layers; the optimizer state and the training position come back (deepwell format, .keras,
 * .h5), and a model trained here and exported to TF.js loads in @tensorflow/tfjs and predicts the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { BatchNormalization, Dense, Dropout, PReLU, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/model_store.js';
import { Adam } from '../../src/optimizers/adam.js';
import { formatOfPath, readArtifacts } from '../../src/io/file_store.node.js';
import { SAVE_FORMATS, assertSameOptimizerState, bits, exportToTfjs, threeClassData } from './model_file_helpers.js';

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
  const { x, y } = threeClassData(90, 6, 9);
  await model.fit(x, y, { epochs: 2, batchSize: 16, seed: 1 });
  return { model, x, y };
}

for (const [label, file, format] of SAVE_FORMATS) {
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
      // TF.js files hold no optimizer state when written by deepwell (tf.loadLayersModel ignores it).
      if (format !== 'tfjs') assertSameOptimizerState(loaded, model);
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
  const { model, x } = await trained();
  const { worst, artifacts } = await exportToTfjs(model, x);
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
  assert.equal(artifacts.weights.length, model.weights.length);
});

