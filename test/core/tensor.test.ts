import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor, Variable, fill, tensor, zeros } from '../../src/core/tensor.js';

test('tensor() from nested arrays infers the shape, row-major data, float32 by default', () => {
  const t = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(t.shape, [2, 3]);
  assert.equal(t.dtype, 'float32');
  assert.ok(t.data instanceof Float32Array);
  assert.deepEqual([...t.data], [1, 2, 3, 4, 5, 6]);
  assert.equal(t.size, 6);
  assert.equal(t.rank, 2);
  assert.equal(t.requiresGrad, false);
  const t3 = tensor([[[1], [2]], [[3], [4]]]);
  assert.deepEqual(t3.shape, [2, 2, 1]);
  assert.deepEqual([...t3.data], [1, 2, 3, 4]);
  // A number is a scalar, a flat array 1-D.
  assert.deepEqual(tensor(5).shape, []);
  assert.equal(tensor(5).item(), 5);
  assert.deepEqual(tensor([1, 2, 3]).shape, [3]);
  // Float32 rounding is applied: 0.1 is stored as the nearest float32.
  assert.equal(tensor([0.1]).data[0], Math.fround(0.1));
});

test('tensor() with an explicit shape reshapes flat values; empty shapes work', () => {
  const t = tensor([1, 2, 3, 4, 5, 6], [3, 2]);
  assert.deepEqual(t.shape, [3, 2]);
  assert.deepEqual(t.toArray(), [[1, 2], [3, 4], [5, 6]]);
  const e = tensor([], [0, 4]);
  assert.deepEqual(e.shape, [0, 4]);
  assert.equal(e.size, 0);
  assert.deepEqual(e.toArray(), []);
});

test('tensor() from typed arrays copies the values', () => {
  const src = new Float64Array([1.5, 2.5, 3.5, 4.5]);
  const t = tensor(src, [2, 2]);
  assert.deepEqual(t.shape, [2, 2]);
  assert.equal(t.dtype, 'float32');
  assert.deepEqual([...t.data], [1.5, 2.5, 3.5, 4.5]);
  src[0] = 100;
  assert.equal(t.data[0], 1.5); // a copy, not a view
  const u = tensor(new Int32Array([7, 8, 9]));
  assert.deepEqual(u.shape, [3]);
  assert.deepEqual([...u.data], [7, 8, 9]);
});

test('float64 dtype keeps full precision', () => {
  const t = tensor([[0.1, 0.2]], undefined, 'float64');
  assert.equal(t.dtype, 'float64');
  assert.ok(t.data instanceof Float64Array);
  assert.equal(t.data[0], 0.1);
  assert.notEqual(Math.fround(0.1), 0.1);
  assert.equal(zeros([2], 'float64').dtype, 'float64');
  assert.deepEqual([...fill([3], 2.5, 'float64').data], [2.5, 2.5, 2.5]);
  assert.throws(() => tensor([1], [1], 'int32' as never), ValueError);
});

test('a shape that the values do not fill throws ShapeError showing the shapes', () => {
  assert.throws(() => tensor([1, 2, 3, 4, 5], [2, 3]), (e: unknown) => {
    assert.ok(e instanceof ShapeError);
    assert.match(e.message, /\[2, 3\]/);
    assert.match(e.message, /5 values/);
    return true;
  });
  assert.throws(() => tensor([[1, 2], [3, 4]], [3]), (e: unknown) => e instanceof ShapeError && /\[3\]/.test(e.message));
  assert.throws(() => new Tensor(new Float32Array(3), [2, 2]), (e: unknown) => e instanceof ShapeError && /\[2, 2\]/.test(e.message));
  assert.throws(() => tensor([1, 2], [-1, -2]), ShapeError);
  assert.throws(() => tensor([1, 2], [2.5]), ShapeError);
});

test('ragged nested arrays throw ShapeError', () => {
  // Inferred shape [2, 2] from the first elements, but 3 values.
  assert.throws(() => tensor([[1, 2], [3]]), (e: unknown) => e instanceof ShapeError && /ragged/.test(e.message));
  assert.throws(() => tensor([[1], [2, 3]]), ShapeError);
  assert.throws(() => tensor([1, [2, 3]] as never), ShapeError);
});

// Rows of lengths 2, 1, 3: inferred shape [3, 2] from the first row, 6 values in total, so the
// count check alone passes and the rows are silently re-cut as [[1, 2], [3, 4], [5, 6]].
test('ragged nested arrays whose total happens to fit the inferred shape still throw', () => {
  assert.throws(() => tensor([[1, 2], [3], [4, 5, 6]]), ShapeError);
  assert.throws(() => tensor([[1, 2], [3, [4]]] as never), ShapeError);
});

test('toArray and item', () => {
  const t = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  assert.deepEqual(t.toArray(), [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  assert.equal(tensor(3).toArray(), 3);
  assert.equal(tensor([[42]]).item(), 42);
  assert.throws(() => tensor([1, 2]).item(), (e: unknown) => e instanceof ShapeError && /\[2\]/.test(e.message));
  assert.equal(String(tensor([[1, 2]], undefined, 'float64')), 'Tensor(shape=[1, 2], dtype=float64)');
});

test('Variable: name, assign in place, trainable toggles requiresGrad', () => {
  const data = new Float32Array([1, 2, 3, 4]);
  const v = new Variable(data, [2, 2], 'dense/kernel');
  assert.equal(v.name, 'dense/kernel');
  assert.equal(v.trainable, true);
  assert.equal(v.requiresGrad, true);
  v.assign([5, 6, 7, 8]);
  assert.equal(v.data, data); // same buffer, updated in place
  assert.deepEqual([...v.data], [5, 6, 7, 8]);
  v.assign(tensor([[9, 10], [11, 12]]));
  assert.deepEqual([...v.data], [9, 10, 11, 12]);
  v.assign(new Float64Array([0.5, 0, 0, 0]));
  assert.equal(v.data[0], 0.5);
  assert.throws(() => v.assign([1, 2, 3]), (e: unknown) => {
    assert.ok(e instanceof ShapeError);
    assert.match(e.message, /dense\/kernel/);
    assert.match(e.message, /\[2, 2\]/);
    return true;
  });
  v.trainable = false;
  assert.equal(v.requiresGrad, false);
  v.trainable = true;
  assert.equal(v.requiresGrad, true);
  const frozen = new Variable(new Float64Array(1), [1], 'w', false);
  assert.equal(frozen.trainable, false);
  assert.equal(frozen.dtype, 'float64');
});
