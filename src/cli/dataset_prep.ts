/**
 * Data preparation shared by `train`, `diagnose`, `experiment` and the model commands: per-feature
 * standardization of a dataset, and a seeded batch of training samples.
 */
import { Rng } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { IMAGE_MIN_STD_FRACTION, fitStandardizer } from '../data/standardize.js';
import { gatherRows } from '../models/batches.js';
import type { Dataset } from './load_data.js';

/**
 * The floor on each feature's std that `--standardize` applies by default, as a fraction of the
 * range of the training values: IMAGE_MIN_STD_FRACTION for images (pixels share one scale; see
 * data/standardize.ts for the evidence), 0 for a CSV file (its features have unrelated units).
 */
export function defaultStdFloor(data: { task?: string }): number {
  return data.task === undefined ? IMAGE_MIN_STD_FRACTION : 0;
}

/** max - min of all values of x (0 for an empty tensor). */
function valueRange(x: Tensor): number {
  let lo = Infinity;
  let hi = -Infinity;
  const d = x.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < lo) lo = d[i];
    if (d[i] > hi) hi = d[i];
  }
  return d.length > 0 ? hi - lo : 0;
}

/**
 * The dataset standardized per feature with the training set's statistics, each feature's std
 * floored at `stdFloor` times the range of the training values (default `defaultStdFloor(data)`).
 */
export function standardizeDataset(data: Dataset, stdFloor: number = defaultStdFloor(data)): Dataset {
  const s = fitStandardizer(data.train.x, { minStd: stdFloor * valueRange(data.train.x) });
  return { ...data, name: `${data.name} (standardized)`, train: { x: s.apply(data.train.x), y: data.train.y }, test: { x: s.apply(data.test.x), y: data.test.y } };
}

/** A batch of `size` training samples drawn without replacement with a stream of the seed. */
export function sampleBatch(x: Tensor, y: Tensor, size: number, seed: number): { x: Tensor; y: Tensor } {
  const n = x.shape[0];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new Rng(seed).derive('diagnose/batch').shuffle(order);
  const count = Math.min(size, n);
  return { x: gatherRows(x, order, 0, count), y: gatherRows(y, order, 0, count) };
}
