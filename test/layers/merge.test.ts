/** Merge layers: hand-computed values, Keras's shape rules, errors, float64 gradchecks, config round trips. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { Add, Average, Concatenate, Input, Multiply } from '../../src/layers/index.js';
import { deserialize, serialize } from '../../src/core/serialization.js';
import { GRADCHECK_INPUTS, checkMergeGradients } from './merge_gradcheck.js';

const A = tensor([[1, 2, 3], [4, 5, 6]]);
const B = tensor([[10, 20, 30], [40, 50, 60]]);
const C = tensor([[-1, 0.5, 2], [0, 1, -2]]);

test('Add, Multiply, Average: elementwise values computed by hand', () => {
  // Add: [1+10-1, 2+20+0.5, 3+30+2] = [10, 22.5, 35]; row 2: [44, 56, 64].
  assert.deepEqual(Array.from(new Add().apply([A, B, C]).data), [10, 22.5, 35, 44, 56, 64]);
  // Multiply: [1*10*-1, 2*20*0.5, 3*30*2] = [-10, 20, 180]; row 2: [0, 250, -720].
  assert.deepEqual(Array.from(new Multiply().apply([A, B, C]).data), [-10, 20, 180, 0, 250, -720]);
  // Average of A and B: [5.5, 11, 16.5], [22, 27.5, 33].
  assert.deepEqual(Array.from(new Average().apply([A, B]).data), [5.5, 11, 16.5, 22, 27.5, 33]);
});

test('Concatenate joins along the axis (default -1); shapes add up on that axis only', () => {
  const y = new Concatenate().apply([A, tensor([[7], [8]])]);
  assert.deepEqual(y.shape, [2, 4]);
  assert.deepEqual(Array.from(y.data), [1, 2, 3, 7, 4, 5, 6, 8]);
  // axis 1 of [2, 1, 2] and [2, 2, 2] -> [2, 3, 2].
  const p = new Tensor(new Float32Array([1, 2, 3, 4]), [2, 1, 2]);
  const q = new Tensor(new Float32Array([5, 6, 7, 8, 9, 10, 11, 12]), [2, 2, 2]);
  const z = new Concatenate({ axis: 1 }).apply([p, q]);
  assert.deepEqual(z.shape, [2, 3, 2]);
  assert.deepEqual(Array.from(z.data), [1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12]);
  assert.deepEqual(new Concatenate({ axis: 1 }).apply([Input({ shape: [1, 2] }), Input({ shape: [2, 2] })]).shape, [null, 3, 2]);
});

test("Keras's elementwise shape rule: equal sizes or 1 (broadcast); anything else a ShapeError naming the shapes", () => {
  const add = new Add();
  assert.deepEqual(add.mergeShape([[null, 1, 4], [null, 3, 4]]), [null, 3, 4]);
  assert.deepEqual(add.mergeShape([[null, 4], [null, 4]]), [null, 4]);
  // [2, 1] + [2, 3] broadcasts: [[1], [2]] + [[10, 20, 30], [40, 50, 60]] = [[11, 21, 31], [42, 52, 62]].
  assert.deepEqual(Array.from(new Add().apply([tensor([[1], [2]]), B]).data), [11, 21, 31, 42, 52, 62]);
  assert.throws(() => add.mergeShape([[null, 3], [null, 4]]), (e: Error) => e instanceof ShapeError && /\(None, 3\), \(None, 4\) differ at axis 1 \(3 vs 4\)/.test(e.message));
  assert.throws(() => add.mergeShape([[null, 3], [null, 3, 1]]), (e: Error) => e instanceof ShapeError && /different ranks/.test(e.message));
  // The fix fits the axis: units of a Dense output, channels (filters) of a conv output with a 1x1 projection, spatial sizes.
  assert.throws(() => add.mergeShape([[null, 3], [null, 4]]), (e: Error) => /same number of units, e\.g\. a Dense\(4\) projection/.test(e.message));
  assert.throws(() => add.mergeShape([[null, 8, 8, 16], [null, 8, 8, 32]]), (e: Error) => e instanceof ShapeError && /differ at axis 3 \(16 vs 32\).*The channels differ: .*same number of filters, e\.g\. a 1x1 projection Conv2D\(32, 1\) on the shortcut/.test(e.message) && !/units/.test(e.message));
  assert.throws(() => add.mergeShape([[null, 10, 16], [null, 10, 8]]), (e: Error) => /Conv1D\(16, 1\)/.test(e.message));
  assert.throws(() => add.mergeShape([[null, 8, 8, 16], [null, 4, 4, 16]]), (e: Error) => /differ at axis 1 .*spatial sizes differ: .*strides/.test(e.message));
  assert.throws(() => new Concatenate().mergeShape([[null, 3, 2], [null, 4, 5]]), (e: Error) => e instanceof ShapeError && /must agree except on the concatenation axis -1/.test(e.message));
  assert.throws(() => new Concatenate({ axis: 3 }).apply([A, B]), (e: Error) => e instanceof ValueError && /outside inputs of rank 2/.test(e.message));
  assert.throws(() => new Multiply().apply([A]), (e: Error) => e instanceof ValueError && /at least 2 tensors, received a list of 1/.test(e.message));
  assert.throws(() => new Average().apply(A), (e: Error) => e instanceof ValueError && /received one tensor/.test(e.message));
  assert.throws(() => new Concatenate({ axis: 1.5 }), /axis must be an integer/);
});

test('float64 gradchecks of every merge layer (loss sum(w * merge(...)^2) so every gradient differs)', () => {
  const { a, b, c, narrow } = GRADCHECK_INPUTS;
  checkMergeGradients([
    [new Add(), [a, b, c]], [new Multiply(), [a, b, c]], [new Average(), [a, b]], [new Concatenate(), [a, narrow]],
    [new Add({ name: 'broadcast_add' }), [narrow, b]],
  ]);
});

test('configs: Keras 3 keys (Concatenate keeps axis) and round trips', () => {
  assert.deepEqual(serialize(new Concatenate({ axis: 1, name: 'cat' })).config, { name: 'cat', trainable: true, dtype: 'float32', axis: 1 });
  assert.deepEqual(serialize(new Add({ name: 'add' })), { module: 'keras.layers', class_name: 'Add', config: { name: 'add', trainable: true, dtype: 'float32' }, registered_name: null });
  // TF.js form (className, camelCase) reads too.
  const cat = deserialize<Concatenate>({ className: 'Concatenate', config: { axis: -1, name: 'c2' } });
  assert.equal(cat.axis, -1);
  assert.equal(cat.name, 'c2');
});
