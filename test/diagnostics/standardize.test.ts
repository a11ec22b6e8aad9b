// Per-pixel standardization with the training set's statistics (data/standardize.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitStandardizer } from '../../src/data/standardize.js';
import { tensor } from '../../src/core/tensor.js';
import { ValueError } from '../../src/core/errors.js';

test('each feature gets mean 0 and std 1; a constant feature becomes 0, not NaN', () => {
  // Feature 0: [0, 2] -> mean 1, std 1 -> [-1, 1]. Feature 1: constant 5 -> std 0 -> scale 1 -> [0, 0].
  const s = fitStandardizer(tensor([[0, 5], [2, 5]]));
  assert.deepEqual([...s.mean], [1, 5]);
  assert.deepEqual([...s.std], [1, 0]);
  assert.deepEqual([...s.apply(tensor([[0, 5], [2, 5], [4, 6]])).data], [-1, 0, 1, 0, 3, 1]);
  // Rank-3 images [n, rows, cols] standardize per pixel too, keeping their shape.
  const images = fitStandardizer(tensor([[[0, 5]], [[2, 5]]]));
  const out = images.apply(tensor([[[0, 5]], [[2, 5]]]));
  assert.deepEqual(out.shape, [2, 1, 2]);
  assert.deepEqual([...out.data], [-1, 0, 1, 0]);
});

test('bad inputs are refused with the shapes', () => {
  assert.throws(() => fitStandardizer(tensor([], [0, 3])), ValueError);
  const s = fitStandardizer(tensor([[1, 2, 3]]));
  assert.throws(() => s.apply(tensor([[1, 2]])), /3 features per sample/);
});
