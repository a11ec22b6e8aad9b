// Tensor.slice / gather / reshape / rows: hand-checked values, the same calls on TensorFlow.js
// (a real client) for odd shapes, and every bad input with its message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor, tensor } from '../../src/core/tensor.js';

/** 0, 1, 2, ... in a tensor of `shape` (so each value is its own flat index). */
function iota(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float32Array.from({ length: n }, (_, i) => i), shape);
}

test('reshape infers one -1 and shares the data', () => {
  const t = tensor([1, 2, 3, 4, 5, 6]);
  const r = t.reshape([-1, 2]);
  assert.deepEqual(r.shape, [3, 2]);
  assert.deepEqual(r.toArray(), [[1, 2], [3, 4], [5, 6]]);
  assert.equal(r.data, t.data);
  assert.deepEqual(iota([2, 3, 4]).reshape([6, -1]).shape, [6, 4]);
});

test('reshape rejects sizes that differ, two -1 and bad dimensions, with the shapes', () => {
  assert.throws(() => tensor([1, 2, 3, 4, 5, 6]).reshape([4, -1]), (e: unknown) => e instanceof ShapeError && /cannot reshape shape \[6\] \(6 elements\) to \[4, -1\] \(the other dimensions hold 4 elements, which does not divide 6\)/.test(e.message));
  assert.throws(() => tensor([1, 2, 3, 4]).reshape([3]), /cannot reshape shape \[4\] \(4 elements\) to \[3\] \(3 elements\)/);
  assert.throws(() => tensor([1, 2, 3, 4]).reshape([-1, -1]), /at most one may be -1/);
  assert.throws(() => tensor([1, 2, 3, 4]).reshape([2.5, 2]), /each dimension must be an integer >= 0/);
});

test('slice: TF.js begin/size with -1 to the end, a single number for the first dimension, negative begin from the end', () => {
  const t = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
  assert.deepEqual(t.slice([0, 1], [-1, 2]).toArray(), [[2, 3], [5, 6], [8, 9]]);
  assert.deepEqual(t.slice(1).toArray(), [[4, 5, 6], [7, 8, 9]]); // rows 1.. (size -1 by default)
  assert.deepEqual(t.slice(1, 1).toArray(), [[4, 5, 6]]);
  assert.deepEqual(t.slice(-1).toArray(), [[7, 8, 9]]); // the last row
  assert.deepEqual(t.slice([1, -2], [2, 1]).toArray(), [[5], [8]]); // column -2 = column 1
  assert.deepEqual(t.slice([3, 0], [0, 3]).shape, [0, 3]);
  // A copy: changing the slice leaves the source alone.
  const s = t.slice(0, 1);
  s.data[0] = 100;
  assert.equal(t.data[0], 1);
});

test('slice and gather agree with TensorFlow.js on a 3-D tensor', () => {
  const shape = [4, 5, 3];
  const ours = iota(shape);
  const theirs = tf.tensor(Array.from(ours.data), shape);
  const cases: [number[], number[]][] = [[[1, 0, 0], [2, -1, -1]], [[0, 2, 1], [-1, 3, 2]], [[3, 4, 2], [1, 1, 1]], [[0, 0, 0], [4, 5, 3]]];
  for (const [begin, size] of cases) {
    const a = ours.slice(begin, size);
    const b = tf.slice(theirs, begin, size);
    assert.deepEqual(a.shape, b.shape, `slice(${begin}, ${size})`);
    assert.deepEqual(Array.from(a.data), Array.from(b.dataSync()), `slice(${begin}, ${size})`);
  }
  for (const axis of [0, 1, 2]) {
    const indices = axis === 2 ? [2, 0, 2] : [3, 1, 0, 1];
    const a = ours.gather(indices, axis);
    const b = tf.gather(theirs, indices, axis);
    assert.deepEqual(a.shape, b.shape, `gather axis ${axis}`);
    assert.deepEqual(Array.from(a.data), Array.from(b.dataSync()), `gather axis ${axis}`);
  }
});

test('gather picks rows (axis 0) or columns (axis 1), indices from an array, typed array or Tensor', () => {
  const t = tensor([[1, 2], [3, 4], [5, 6]]);
  assert.deepEqual(t.gather([2, 0]).toArray(), [[5, 6], [1, 2]]);
  assert.deepEqual(t.gather(Int32Array.from([1, 1])).toArray(), [[3, 4], [3, 4]]);
  assert.deepEqual(t.gather(tensor([1]), 1).toArray(), [[2], [4], [6]]);
  assert.deepEqual(t.gather([0], -1).toArray(), [[1], [3], [5]]);
});

test('gather rejects an index out of range (naming its position) and an axis outside the rank', () => {
  const t = tensor([[1, 2], [3, 4], [5, 6]]);
  assert.throws(() => t.gather([0, 3]), (e: unknown) => e instanceof ValueError && e.message === 'gather: index 3 at position 1 is outside axis 0 of shape [3, 2]; indices must be integers in [0, 3).');
  assert.throws(() => t.gather([0.5]), /index 0.5 at position 0/);
  assert.throws(() => t.gather([0], 2), /gather: axis 2 is outside a tensor of rank 2 \(shape \[3, 2\]\); valid axes are -2 to 1/);
});

test('slice rejects a begin or size outside the shape, naming the dimension', () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.throws(() => t.slice([0, 4]), (e: unknown) => e instanceof ShapeError && /begin 4 is outside dimension 1 of shape \[2, 3\] \(valid: -3 to 3; negative counts from the end\)/.test(e.message));
  assert.throws(() => t.slice([1, 0], [2, 3]), /size 2 from begin 1 runs past dimension 0 of shape \[2, 3\] \(at most 1; -1 means to the end\)/);
  assert.throws(() => t.slice([0, 0, 0]), /begin must be a number or an array of at most 2 numbers/);
});

test('rows: the book\'s X_train[:-5000] and X_train[-5000:] with Python\'s negative indices, as views', () => {
  const x = iota([10, 2]);
  const train = x.rows(0, -3); // x[:-3]
  const valid = x.rows(-3); // x[-3:]
  assert.deepEqual(train.shape, [7, 2]);
  assert.deepEqual(valid.toArray(), [[14, 15], [16, 17], [18, 19]]);
  assert.deepEqual(x.rows(2, 4).toArray(), [[4, 5], [6, 7]]);
  assert.deepEqual(x.rows(5, 5).shape, [0, 2]);
  assert.equal(train.data.buffer, x.data.buffer, 'a view on the same data, no copy');
});

test('rows rejects bounds outside [-n, n], end before start, and a scalar', () => {
  const x = iota([10, 2]);
  assert.throws(() => x.rows(0, -11), (e: unknown) => e instanceof ValueError && e.message === "rows: end -11 is outside the 10 rows; expected an integer from -10 to 10 (negative counts from the end, as in Python's x[:-5000]).");
  assert.throws(() => x.rows(6, 2), /rows: end 2 \(row 2\) comes before start 6 \(row 6\); expected start <= end/);
  assert.throws(() => tensor(3).rows(0), /a scalar tensor has no rows/);
});
