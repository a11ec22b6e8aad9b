// What the model-file tests share (save_load, functional_formats, conv_models, real_files and
// models/multi_io): the formats a model is saved in, a float's bit pattern, a three-class data set,
// a TF.js folder read as tf.io.fromMemory wants it, the largest difference of two arrays, a model
// exported to TF.js and predicted by @tensorflow/tfjs itself, and the check that an optimizer state came back from a file bit for bit.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import type { LayersModel } from '../../src/models/layers_model.js';
import type { ModelArtifacts } from '../../src/io/artifacts.js';
import { readArtifacts } from '../../src/io/file_store.node.js';

/** [label, file name, format]: every format `model.save` writes, by the path that picks it. */
export const SAVE_FORMATS = [
  ['deepwell folder', 'm', 'deepwell'],
  ['deepwell file', 'm.safetensors', 'deepwell'],
  ['TF.js folder', 'tfjs', 'tfjs'],
  ['Keras 3 .keras', 'm.keras', 'keras'],
  ['Keras 2 .h5', 'm.h5', 'h5'],
] as const;

/** The float32 bit patterns of `a`: equal arrays of these mean bit-identical values (NaN and -0 included). */
export const bits = (a: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(a).buffer));

/**
 * n rows of `features` features in three classes (y = i mod 3): x[i, j] = (y - 1) (j mod 3) + N(0, 1)
 * drawn from `new Rng(seed)`. Shapes: x [n, features], y [n].
 */
export function threeClassData(n: number, features: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * features);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < features; j++) x[features * i + j] = (y[i] - 1) * (j % 3) + rng.nextNormal();
  }
  return { x: new Tensor(x, [n, features]), y: new Tensor(y, [n]) };
}

/** The model.json and the concatenated shards of a TF.js folder, as tf.io.fromMemory wants them (a file:// handler is in tfjs-node only). */
export function tfjsFiles(folder: string): tf.io.ModelArtifacts {
  const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
  const shards: Uint8Array[] = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths).map((p: string) => new Uint8Array(readFileSync(join(folder, p))));
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  let off = 0;
  for (const s of shards) {
    weightData.set(s, off);
    off += s.length;
  }
  return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights), weightData: weightData.buffer };
}

/** max |a[i] - b[i]|, after asserting that the lengths agree. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The loaded model's optimizer has the saved one's iteration count and, slot by slot, bit-identical values. */
export function assertSameOptimizerState(loaded: LayersModel, saved: LayersModel): void {
  assert.equal(loaded.optimizer?.iterations, saved.optimizer?.iterations);
  const a = saved.optimizer!.getState(saved.weights);
  const b = loaded.optimizer!.getState(loaded.weights);
  assert.deepEqual(b.weights.map((w) => Object.keys(w.slots)), a.weights.map((w) => Object.keys(w.slots)));
  a.weights.forEach((w, i) => {
    for (const k of Object.keys(w.slots)) assert.deepEqual(bits(b.weights[i].slots[k]), bits(w.slots[k]), `${w.name}/${k}`);
  });
}

/**
 * Exports `model` to a TF.js folder (in a temporary folder, removed afterwards), loads it in
 * @tensorflow/tfjs on its cpu backend and predicts `x` there. Returns the TF.js model, the largest
 * difference between its predictions and deepwell's, and the artifacts deepwell reads from the folder.
 */
export async function exportToTfjs(model: LayersModel, x: Tensor): Promise<{ tfModel: tf.LayersModel; worst: number; artifacts: ModelArtifacts }> {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-tfjs-'));
  try {
    await model.save(join(dir, 'web'), { format: 'tfjs' });
    await tf.setBackend('cpu');
    const tfModel = await tf.loadLayersModel(tf.io.fromMemory(tfjsFiles(join(dir, 'web'))));
    const theirs = (tfModel.predict(tf.tensor(Array.from(x.data), x.shape as number[])) as tf.Tensor).dataSync();
    return { tfModel, worst: maxDiff(theirs, model.predict(x).data), artifacts: await readArtifacts(join(dir, 'web')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
