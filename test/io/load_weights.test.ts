/**
 * `model.loadWeights(path)` (Keras `load_weights`): weights into a model built in code, layers with
 * weights matched in order, from a Keras 2 weights-only `.h5` (the real fraud model of
 * ../shared/data/models, written by Keras 2.0.5 `save_weights`) and from every format deepwell writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/io/file_store.node.js';
import { DataError, ValueError } from '../../src/core/errors.js';
import { setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Sequential } from '../../src/models/sequential.js';
import { loadModel } from '../../src/models/model_store.js';
import { MODELS, SKIP_MODELS, bits } from './real_models.js';

/** The fraud model's architecture (its to_json config): 30-16-18-(dropout 0.25)-20-24-1, relu, sigmoid. */
function fraudArchitecture(seed: number): Sequential {
  setSeed(seed);
  return new Sequential([
    new Dense(16, { inputShape: [30], activation: 'relu' }),
    new Dense(18, { activation: 'relu' }),
    new Dropout(0.25),
    new Dense(20, { activation: 'relu' }),
    new Dense(24, { activation: 'relu' }),
    new Dense(1, { activation: 'sigmoid' }),
  ]);
}

const x = new Tensor(Float32Array.from({ length: 5 * 30 }, (_, i) => Math.sin(i)), [5, 30]);

test('loadWeights: a Keras 2 weights-only .h5 into the same architecture built in code (other layer names) predicts as the file', { skip: SKIP_MODELS }, async () => {
  const dir = join(MODELS, 'keras2.0.5-to_json-fraud-mlp');
  const model = fraudArchitecture(7);
  // Names differ from the file's dense_1..dense_5 (auto names of this process), so a by-name load could not work.
  const before = bits(model.predict(x).data);
  await model.loadWeights(join(dir, 'model.h5'));
  const reference = await loadModel(join(dir, 'derived-tfjs-layout')); // the same weights, written by h5py
  const after = bits(model.predict(x).data);
  assert.notDeepEqual(after, before);
  assert.deepEqual(after, bits(reference.predict(x).data));
});

test('loadWeights: from every format deepwell writes, by order; another architecture is refused naming the first difference', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-loadweights-'));
  try {
    const source = fraudArchitecture(1);
    for (const path of ['dw', 'm.safetensors', 'm.keras', 'm.h5', 'tfjs/model.json']) {
      await source.save(join(dir, path));
      const target = fraudArchitecture(100);
      assert.notDeepEqual(bits(target.predict(x).data), bits(source.predict(x).data));
      await target.loadWeights(join(dir, path));
      assert.deepEqual(bits(target.predict(x).data), bits(source.predict(x).data), path);
    }
    const narrower = new Sequential([new Dense(16, { inputShape: [30] }), new Dense(17), new Dense(20), new Dense(24), new Dense(1)]);
    await assert.rejects(narrower.loadWeights(join(dir, 'dw')), (e: Error) => e instanceof ValueError && /weight "dense_\d+\/kernel" has shape \[16, 17\]; .*dw.* holds \[16, 18\]/.test(e.message));
    const shallower = new Sequential([new Dense(16, { inputShape: [30] }), new Dense(1)]);
    await assert.rejects(shallower.loadWeights(join(dir, 'm.keras')), (e: Error) => e instanceof ValueError && /m\.keras holds weights for 5 layers .*has 2 layers with weights/.test(e.message));
    // .h5 is decoded against the model's own config, which finds the mismatch first (a DataError of the file).
    await assert.rejects(shallower.loadWeights(join(dir, 'm.h5')), (e: Error) => e instanceof DataError && /holds weights for 5 layers .*2 layers with weights/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
