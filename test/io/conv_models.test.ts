/**
 * A Sequential convnet (Conv2D, MaxPooling2D, DepthwiseConv2D, BatchNormalization, ZeroPadding2D,
 * AveragePooling2D, GlobalAveragePooling2D, Reshape, Conv1D, Flatten, Dense) saves and loads in
 * every format with bit-identical predictions, and its TF.js export loads in @tensorflow/tfjs 4.22
 * and predicts the same to 1e-5.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import {
  AveragePooling2D, BatchNormalization, Conv1D, Conv2D, Dense, DepthwiseConv2D, Dropout, Flatten, GlobalAveragePooling2D,
  MaxPooling2D, Reshape, ZeroPadding2D, resetLayerNames,
} from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/model_store.js';
import { Adam } from '../../src/optimizers/adam.js';
import '../../src/io/file_store.node.js';
import { SAVE_FORMATS, bits, exportToTfjs } from './model_file_helpers.js';

function data(n: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(5);
  const x = new Float32Array(n * 8 * 8);
  rng.fillUniform(x, 0, 1);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = x[i * 64 + 27] > 0.5 ? 1 : 0;
  return { x: new Tensor(x, [n, 64]), y: new Tensor(y, [n]) };
}

/** A small convnet over 8x8 maps using every new layer, trained one epoch so BN statistics and weights move. */
async function trained(): Promise<{ model: Sequential; x: Tensor }> {
  setSeed(4);
  resetLayerNames();
  const model = new Sequential([
    new Reshape([8, 8, 1], { inputShape: [64] }),
    new Conv2D(4, 3, { padding: 'same', activation: 'relu' }),
    new BatchNormalization(),
    new MaxPooling2D({ poolSize: 2 }),
    new DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' }),
    new ZeroPadding2D({ padding: 1 }),
    new AveragePooling2D({ poolSize: 2, strides: 1 }),
    new Conv2D(6, 2, { strides: 2, useBias: false }),
    new Reshape([4, 6]),
    new Conv1D(5, 2, { activation: 'tanh' }),
    new Reshape([3, 1, 5]),
    new GlobalAveragePooling2D(),
    new Dropout(0.2),
    new Dense(2, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'], initializerAdvice: false });
  const { x, y } = data(40);
  await model.fit(x, y, { epochs: 1, batchSize: 8, seed: 1 });
  return { model, x };
}

/** Every format but the single deepwell file (the folder covers deepwell's format). */
const FORMATS = SAVE_FORMATS.filter(([, file]) => file !== 'm.safetensors');

for (const [label, file, format] of FORMATS) {
  test(`convnet, ${label}: predictions after loadModel are bit-identical`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deepwell-conv-'));
    try {
      const { model, x } = await trained();
      const before = model.predict(x);
      await model.save(join(dir, file), format === 'tfjs' ? { format: 'tfjs' } : {});
      const loaded = await loadModel(join(dir, file));
      assert.deepEqual(loaded.layers.map((l) => l.className), model.layers.map((l) => l.className));
      assert.deepEqual(loaded.weights.map((w) => [w.name, w.shape]), model.weights.map((w) => [w.name, w.shape]));
      assert.deepEqual(bits(loaded.predict(x).data), bits(before.data));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('the convnet exported to TF.js loads in @tensorflow/tfjs and predicts the same to 1e-5', async () => {
  const { model, x } = await trained();
  const { tfModel, worst } = await exportToTfjs(model, x);
  assert.deepEqual(tfModel.layers.map((l) => l.getClassName()), model.layers.map((l) => l.className));
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});
