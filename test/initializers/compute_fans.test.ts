import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError } from '../../src/core/errors.js';
import { computeFans } from '../../src/initializers/index.js';

// Keras 3 compute_fans (keras/src/initializers/random_initializers.py).
test('computeFans follows Keras 3 for every rank', () => {
  assert.deepEqual(computeFans([]), { fanIn: 1, fanOut: 1 }); // rank 0 -> (1, 1)
  assert.deepEqual(computeFans([10]), { fanIn: 10, fanOut: 10 }); // rank 1 -> (n, n); TF.js would give sqrt(10)
  assert.deepEqual(computeFans([256, 128]), { fanIn: 256, fanOut: 128 }); // Dense [in, out]
  assert.deepEqual(computeFans([5, 16, 32]), { fanIn: 80, fanOut: 160 }); // Conv1D: rf 5
  assert.deepEqual(computeFans([3, 3, 16, 32]), { fanIn: 144, fanOut: 288 }); // Conv2D: rf 9
  assert.deepEqual(computeFans([2, 3, 3, 16, 32]), { fanIn: 288, fanOut: 576 }); // Conv3D: rf 18
  // Rank 6: rf = 2*2*2*2 = 16 -> (3*16, 4*16); TF.js falls back to sqrt(prod) = sqrt(192) here.
  assert.deepEqual(computeFans([2, 2, 2, 2, 3, 4]), { fanIn: 48, fanOut: 64 });
});

test('computeFans keeps zero-size dimensions as 0 (VarianceScaling guards with max(1, n))', () => {
  assert.deepEqual(computeFans([0, 10]), { fanIn: 0, fanOut: 10 });
  assert.deepEqual(computeFans([3, 3, 0, 8]), { fanIn: 0, fanOut: 72 });
});

test('computeFans uses inputAxes and outputAxes only when both are given (Keras 3.15)', () => {
  // Examples worked by Keras 3's rules.
  assert.deepEqual(computeFans([512, 8, 64], { inputAxes: [0], outputAxes: [1, 2] }), { fanIn: 512, fanOut: 512 });
  assert.deepEqual(computeFans([512, 8, 64], { inputAxes: [0, 1], outputAxes: [2] }), { fanIn: 4096, fanOut: 64 });
  // Negative axes count from the end.
  assert.deepEqual(computeFans([512, 8, 64], { inputAxes: [-3], outputAxes: [-2, -1] }), { fanIn: 512, fanOut: 512 });
  // Only one given: both ignored, the rank rule applies (rf 512: (8*512, 64*512)).
  const byRank = { fanIn: 4096, fanOut: 32768 };
  assert.deepEqual(computeFans([512, 8, 64]), byRank);
  assert.deepEqual(computeFans([512, 8, 64], { inputAxes: [0] }), byRank);
  assert.deepEqual(computeFans([512, 8, 64], { outputAxes: [2] }), byRank);
  assert.deepEqual(computeFans([512, 8, 64], { inputAxes: [0], outputAxes: null }), byRank);
});

test('computeFans rejects bad shapes and axes with a ShapeError', () => {
  assert.throws(() => computeFans([2, -1]), ShapeError);
  assert.throws(() => computeFans([2.5, 3]), ShapeError);
  assert.throws(() => computeFans(7 as unknown as number[]), ShapeError);
  assert.throws(() => computeFans([4, 5], { inputAxes: [0], outputAxes: [2] }), (e: unknown) => {
    assert.ok(e instanceof ShapeError);
    assert.match(e.message, /outputAxes \[2\] do not fit kernel shape \[4, 5\]/);
    return true;
  });
});
