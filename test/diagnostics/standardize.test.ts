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

test('minStd floors the std a nearly constant feature is divided by (the MNIST border-pixel case)', () => {
  // Feature 0: [0, 0, 0, 1] -> mean 0.25, std sqrt((3 * 0.25^2 + 0.75^2) / 4) = sqrt(0.1875) = 0.4330;
  // the lit sample standardizes to 0.75 / 0.4330 = 1.732 without a floor, 0.75 / 1 with minStd 1.
  // Feature 1: [0, 2, 0, 2] -> mean 1, std 1 (above the floor 0.5 -> unchanged: the lit sample gives 1).
  const x = tensor([[0, 0], [0, 2], [0, 0], [1, 2]]);
  const plain = fitStandardizer(x);
  assert.equal(plain.minStd, 0);
  assert.ok(Math.abs(plain.apply(x).data[6] - 0.75 / Math.sqrt(0.1875)) < 1e-6);
  const floored = fitStandardizer(x, { minStd: 1 });
  assert.deepEqual([...floored.apply(x).data], [-0.25, -1, -0.25, 1, -0.25, -1, 0.75, 1]);
  const half = fitStandardizer(x, { minStd: 0.5 });
  assert.equal(half.apply(x).data[7], 1);
  assert.throws(() => fitStandardizer(x, { minStd: -1 }), /minStd must be a finite number >= 0, received -1/);
});
