/**
 * Data preparation shared by `train`, `diagnose`, `experiment` and the model commands: per-feature
 * standardization of a dataset, and a seeded batch of training samples.
 */
import { Rng } from '../core/random.js';
import type { Tensor } from '../core/tensor.js';
import { fitStandardizer } from '../data/standardize.js';
import { gatherRows } from '../models/batches.js';
import type { Dataset } from './load_data.js';

/** The dataset with its images standardized per pixel by the training set's statistics. */
export function standardizeDataset(data: Dataset): Dataset {
  const s = fitStandardizer(data.train.x);
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
