// Argument checks of the primitives: bad input never becomes a silent NaN or a crash deep inside; each ShapeError names what was received and what was expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../src/core/errors.js';
import { tensor } from '../../src/core/tensor.js';
import { binary, concat, dense, matmul, reshape, slice, sum, transpose, where } from '../../src/autodiff/primitives.js';

const a = tensor([[1, 2], [3, 4]]);

test('well-checked arguments: broadcast, axes, reshape, transpose, slice bounds, matmul, dense input', () => {
  assert.throws(() => binary('add', a, tensor([1, 2, 3])), (e: unknown) => e instanceof ShapeError && /\[2, 2\]/.test(e.message) && /\[3\]/.test(e.message));
  assert.throws(() => binary('add', a, tensor([[1, 2]], undefined, 'float64')), (e: unknown) => e instanceof Error && /dtypes differ/.test(e.message));
  assert.throws(() => where(tensor([1, 0, 1]), a, a), ShapeError);
  assert.throws(() => sum(a, 2), (e: unknown) => e instanceof ShapeError && /axis 2/i.test(e.message));
  assert.throws(() => reshape(a, [3, -1]), (e: unknown) => e instanceof ShapeError && /\[3, -1\]/.test(e.message));
  assert.throws(() => transpose(a, [0, 0]), ShapeError);
  assert.throws(() => slice(a, [1, 0], [2, 2]), (e: unknown) => e instanceof ShapeError && /outside shape \[2, 2\]/.test(e.message));
  assert.throws(() => slice(a, [0], [1]), ShapeError);
  assert.throws(() => matmul(a, tensor([[1, 2, 3]])), (e: unknown) => e instanceof ShapeError && /inner dimensions/.test(e.message));
  assert.throws(() => matmul(tensor([1, 2]), a), ShapeError);
  assert.throws(() => dense(tensor([[1, 2, 3]]), a, null), (e: unknown) => e instanceof ShapeError && /\[1, 3\]/.test(e.message));
  assert.throws(() => concat([a, tensor([[1, 2, 3]])], 0), (e: unknown) => e instanceof ShapeError && /\[2, 3\]|\[1, 3\]/.test(e.message));
  assert.throws(() => concat([]), ShapeError);
});

// concat([a, a], 2) on rank 2: shape[2] = NaN, and the error comes from the Tensor constructor:
// "Tensor data has 8 elements but shape [2, 2, NaN] needs NaN." (axis -3 gives "shape [2, 2] needs 4").
test('concat with an axis out of range throws a ShapeError naming the axis', () => {
  for (const axis of [2, -3]) {
    assert.throws(() => concat([a, a], axis), (e: unknown) => {
      assert.ok(e instanceof ShapeError, String(e));
      assert.ok(e.message.includes(`axis ${axis}`) && !/NaN/.test(e.message), `axis ${axis}: message "${e.message}"`);
      return true;
    });
  }
});

// slice(a, [0.5, 0], [1, 1]) returns [2] (offset 0.5 * stride 2 = 1): a silently wrong element.
test('slice rejects non-integer begin and size', () => {
  assert.throws(() => slice(a, [0.5, 0], [1, 1]), ShapeError);
  assert.throws(() => slice(a, [0, 0], [1.5, 1]), ShapeError);
});

// dense(x, kernel [2]) fails inside the Tensor constructor: "Tensor data has 0 elements but shape [2, ] needs NaN."
test('dense rejects a kernel that is not 2-D', () => {
  assert.throws(() => dense(a, tensor([1, 2]), null), (e: unknown) => e instanceof ShapeError && /kernel/.test(e.message) && !/NaN/.test(e.message));
});

// The bias is copied row by row with y.set(bias, r * units) and never checked: a bias [1] for 2 units
// is added to unit 0 only (x W = [[7, 10], [15, 22]] -> [[8, 10], [16, 22]]), and a bias [3] throws
// a RangeError ("offset is out of bounds") from the typed array.
test('dense rejects a bias that is not [units]', () => {
  for (const bias of [tensor([1]), tensor([1, 2, 3])]) {
    assert.throws(() => dense(a, a, bias), (e: unknown) => e instanceof ShapeError && /bias/.test(e.message), `bias of ${bias.size}`);
  }
});
