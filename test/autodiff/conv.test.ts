// Convolution and pooling primitives: output sizes against Keras's rule, hand-computed cases,
// float64 central-difference gradient checks for every padding, stride and dilation, and the
// pooling tie rule (the gradient goes to ONE element: the first maximum in row-major window order).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { convOutputLength, conv2dGeometry } from '../../src/core/conv_geometry.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { grad } from '../../src/autodiff/grad.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { binary, sum } from '../../src/autodiff/primitives.js';
import { conv2d, depthwiseConv2d, pool2d } from '../../src/autodiff/conv.js';
import { tsKernels } from '../../src/kernels/index.js';

const TOL = 1e-6;
const rng = new Rng(77);

function rand(shape: number[], lo = -1, hi = 1): Tensor {
  const d = new Float64Array(shape.reduce((p, v) => p * v, 1));
  rng.fillUniform(d, lo, hi);
  return new Tensor(d, shape);
}

/** sum(f(x) * w) for a fixed random w, so every output element gets its own seed gradient. */
function weighted(f: (...xs: Tensor[]) => Tensor, outShape: number[]): (...xs: Tensor[]) => Tensor {
  const w = rand(outShape);
  return (...xs) => sum(binary('mul', f(...xs), w));
}

/** Keras 2's conv_utils.conv_output_length, written out independently of the library. */
function kerasLength(n: number, k: number, padding: 'valid' | 'same', stride: number, dilation: number): number {
  const dilated = k + (k - 1) * (dilation - 1);
  const len = padding === 'same' ? n : n - dilated + 1;
  return Math.floor((len + stride - 1) / stride);
}

/** Every window setting the checks cover: both paddings x (stride 1, 2, [2, 1]) and dilation 2 (Keras refuses stride > 1 with dilation > 1). */
const WINDOWS: { padding: 'valid' | 'same'; strides: [number, number]; dilations: [number, number] }[] = [];
for (const padding of ['valid', 'same'] as const) {
  for (const [strides, dilations] of [[[1, 1], [1, 1]], [[2, 2], [1, 1]], [[2, 1], [1, 1]], [[1, 1], [2, 2]], [[1, 1], [1, 2]]] as [[number, number], [number, number]][]) {
    WINDOWS.push({ padding, strides, dilations });
  }
}

test('output lengths follow Keras conv_output_length for every padding, stride and dilation', () => {
  // Hand values: 28 - 3 + 1 = 26; ceil(28 / 2) = 14; floor((7 - 3) / 2) + 1 = 3; dilated 3 -> 5: 7 - 5 + 1 = 3; ceil(5 / 2) = 3.
  assert.equal(convOutputLength(28, 3, 'valid', 1), 26);
  assert.equal(convOutputLength(28, 3, 'same', 2), 14);
  assert.equal(convOutputLength(7, 3, 'valid', 2), 3);
  assert.equal(convOutputLength(7, 3, 'valid', 1, 2), 3);
  assert.equal(convOutputLength(5, 3, 'same', 2), 3);
  for (const n of [1, 4, 5, 8, 9]) for (const k of [1, 2, 3]) for (const padding of ['valid', 'same'] as const) {
    for (const stride of [1, 2, 3]) for (const dilation of [1, 2]) {
      assert.equal(convOutputLength(n, k, padding, stride, dilation), Math.max(0, kerasLength(n, k, padding, stride, dilation)), `n ${n} k ${k} ${padding} s ${stride} d ${dilation}`);
    }
  }
  // 'same' splits the padding as TensorFlow: total = (out - 1) stride + k - in; top = floor(total / 2).
  // in 5, k 4, stride 1: total 3 -> top 1 (bottom 2). in 6, k 3, stride 2: out 3, total (2)2 + 3 - 6 = 1 -> top 0.
  assert.equal(conv2dGeometry([1, 5, 6, 1], [4, 3], [1, 2], [1, 1], 'same', 't').padTop, 1);
  assert.equal(conv2dGeometry([1, 5, 6, 1], [4, 3], [1, 2], [1, 1], 'same', 't').padLeft, 0);
});

test('conv2d by hand: valid and same padding, bias and a fused relu', () => {
  // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], one channel; kernel 2x2 [[1, 0], [0, -1]]: y[i, j] = x[i, j] - x[i+1, j+1] = -4.
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const k = tensor([1, 0, 0, -1], [2, 2, 1, 1]);
  const valid = conv2d(x, k, tensor([0.5]));
  assert.deepEqual(valid.shape, [1, 2, 2, 1]);
  assert.deepEqual([...valid.data], [-3.5, -3.5, -3.5, -3.5]);
  // 'same' with a 2x2 kernel: total padding 1 per axis, all of it after (bottom/right): the last
  // row and column see zeros at [i+1, j+1]: y = [[-4, -4, 3], [-4, -4, 6], [7, 8, 9]].
  const same = conv2d(x, k, null, { padding: 'same' });
  assert.deepEqual([...same.data], [-4, -4, 3, -4, -4, 6, 7, 8, 9]);
  // A fused relu keeps only the positive ones.
  assert.deepEqual([...conv2d(x, k, null, { padding: 'same', activation: 'relu' }).data], [0, 0, 3, 0, 0, 6, 7, 8, 9]);
  // Two filters, two channels, stride 2 on a 3x3 map of ones: each output = sum of the 2x2x2 window of the kernel.
  const ones = tensor(new Float32Array(18).fill(1), [1, 3, 3, 2]);
  const k2 = tensor([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60, 7, 70, 8, 80], [2, 2, 2, 2]); // filter 0 sums 1..8 = 36, filter 1 = 360
  const s2 = conv2d(ones, k2, null, { strides: [2, 2] });
  assert.deepEqual(s2.shape, [1, 1, 1, 2]);
  assert.deepEqual([...s2.data], [36, 360]);
  // Dilation 2: a 2x2 kernel sees the corners of the 3x3 map: 1*1 + 0*3 + 0*7 - 1*9 = -8.
  assert.deepEqual([...conv2d(x, k, null, { dilations: [2, 2] }).data], [-8]);
});

test('conv2d gradients match float64 central differences for every padding, stride and dilation', () => {
  for (const w of WINDOWS) {
    const x = rand([2, 6, 5, 3]);
    const k = rand([3, 2, 3, 4]);
    const b = rand([4]);
    const out = conv2d(x, k, b, w).shape as number[];
    const r = gradcheck(weighted((a, kk, bb) => conv2d(a, kk, bb, w), out), [x, k, b]);
    assert.ok(r.maxError < TOL, `${JSON.stringify(w)}: ${JSON.stringify(r)}`);
  }
  // A fused activation (tanh) and a 1x1 kernel (no im2col) too.
  const x = rand([2, 4, 4, 3]);
  const r1 = gradcheck(weighted((a, kk, bb) => conv2d(a, kk, bb, { activation: 'tanh', padding: 'same', strides: [2, 2] }), [2, 2, 2, 5]), [x, rand([3, 3, 3, 5]), rand([5])]);
  assert.ok(r1.maxError < TOL, JSON.stringify(r1));
  const r2 = gradcheck(weighted((a, kk) => conv2d(a, kk, null), [2, 4, 4, 2]), [x, rand([1, 1, 3, 2])]);
  assert.ok(r2.maxError < TOL, JSON.stringify(r2));
});

test('depthwiseConv2d: by hand and float64 gradients for every padding, stride and dilation', () => {
  // Two channels, multiplier 2, 1x1 kernel [[a0 a1], [b0 b1]] = [[1, 2], [3, 4]]: y = [x0, 2 x0, 3 x1, 4 x1].
  const y = depthwiseConv2d(tensor([5, 7], [1, 1, 1, 2]), tensor([1, 2, 3, 4], [1, 1, 2, 2]));
  assert.deepEqual([...y.data], [5, 10, 21, 28]);
  for (const w of WINDOWS) {
    const x = rand([2, 5, 6, 2]);
    const k = rand([2, 3, 2, 3]);
    const out = depthwiseConv2d(x, k, w).shape as number[];
    assert.equal(out[3], 6);
    const r = gradcheck(weighted((a, kk) => depthwiseConv2d(a, kk, w), out), [x, k]);
    assert.ok(r.maxError < TOL, `${JSON.stringify(w)}: ${JSON.stringify(r)}`);
  }
});

test('pool2d: max and average by hand, float64 gradients for every padding and stride', () => {
  // 4x4 map 1..16, pool 2: max = [[6, 8], [14, 16]], avg = [[3.5, 5.5], [11.5, 13.5]].
  const x = tensor(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
  assert.deepEqual([...pool2d('max', x, [2, 2]).data], [6, 8, 14, 16]);
  assert.deepEqual([...pool2d('avg', x, [2, 2]).data], [3.5, 5.5, 11.5, 13.5]);
  // 'same' 3x3 windows stride 2 on 4x4: out 2x2, total padding (2 - 1)2 + 3 - 4 = 1, after the map.
  // Window (0, 0) covers rows/cols 0..2: avg of {1,2,3,5,6,7,9,10,11} = 6; window (1, 1) covers rows/cols 2..3 (the rest is padding, not counted): avg {11, 12, 15, 16} = 13.5.
  assert.deepEqual([...pool2d('avg', x, [3, 3], { strides: [2, 2], padding: 'same' }).data], [6, 7.5, 12, 13.5]);
  assert.deepEqual([...pool2d('max', x, [3, 3], { strides: [2, 2], padding: 'same' }).data], [11, 12, 15, 16]);
  // Negative values with 'same' padding: the padding never wins the max.
  const neg = tensor([-1, -2, -3, -4], [1, 2, 2, 1]);
  assert.deepEqual([...pool2d('max', neg, [2, 2], { strides: [1, 1], padding: 'same' }).data], [-1, -2, -3, -4]);
  for (const op of ['max', 'avg'] as const) {
    for (const padding of ['valid', 'same'] as const) {
      for (const [pool, strides] of [[[2, 2], [2, 2]], [[3, 3], [1, 1]], [[3, 2], [2, 1]], [[2, 2], [1, 1]]] as [[number, number], [number, number]][]) {
        const xr = rand([2, 5, 7, 3]);
        const out = pool2d(op, xr, pool, { strides, padding }).shape as number[];
        const r = gradcheck(weighted((a) => pool2d(op, a, pool, { strides, padding }), out), [xr]);
        assert.ok(r.maxError < TOL, `${op} ${padding} pool ${pool} strides ${strides}: ${JSON.stringify(r)}`);
      }
    }
  }
});

test('max pooling ties: the whole gradient goes to ONE element, the first maximum in row-major window order', () => {
  // A 2x2 window of equal values: d max / dx = [1, 0, 0, 0] (top-left), not [0.25, ...] nor [1, 1, 1, 1].
  const [g] = grad((t) => sum(pool2d('max', t, [2, 2])))(tensor([3, 3, 3, 3], [1, 2, 2, 1]));
  assert.deepEqual([...g.data], [1, 0, 0, 0]);
  // Max 5 at positions 1 and 2 (row-major): position 1 (top-right) gets it.
  const [g2] = grad((t) => sum(pool2d('max', t, [2, 2])))(tensor([1, 5, 5, 2], [1, 2, 2, 1]));
  assert.deepEqual([...g2.data], [0, 1, 0, 0]);
  // Overlapping windows (3x3 map of 7s, pool 2, stride 1): each of the 4 windows gives 1 to its top-left
  // element, so the gradient is 1 at (0,0), (0,1), (1,0), (1,1) and 0 elsewhere.
  const [g3] = grad((t) => sum(pool2d('max', t, [2, 2], { strides: [1, 1] })))(tensor(new Float32Array(9).fill(7), [1, 3, 3, 1]));
  assert.deepEqual([...g3.data], [1, 1, 0, 1, 1, 0, 0, 0, 0]);
});

test('im2col and col2im are adjoint: <im2col(x), c> = <x, col2im(c)>', () => {
  for (const w of WINDOWS) {
    const g = conv2dGeometry([2, 5, 6, 3], [3, 2], w.strides, w.dilations, w.padding, 't');
    const x = rand([2, 5, 6, 3]).data;
    const cols = tsKernels.im2col(x, g);
    const c = rand([cols.length]).data;
    const back = tsKernels.col2im(c, g);
    let lhs = 0;
    let rhs = 0;
    for (let i = 0; i < cols.length; i++) lhs += cols[i] * c[i];
    for (let i = 0; i < x.length; i++) rhs += x[i] * back[i];
    assert.ok(Math.abs(lhs - rhs) < 1e-10 * Math.max(1, Math.abs(lhs)), JSON.stringify(w));
  }
});

test('bad shapes and options are refused with what was received', () => {
  const x = tensor(new Float32Array(16), [1, 4, 4, 1]);
  assert.throws(() => conv2d(x, tensor(new Float32Array(8), [2, 2, 2, 1]), null), (e: unknown) => e instanceof ShapeError && /1 channels|\[batch, height, width, 2\]/.test(e.message));
  assert.throws(() => conv2d(tensor(new Float32Array(4), [4, 1]), tensor(new Float32Array(1), [1, 1, 1, 1]), null), ShapeError);
  assert.throws(() => conv2d(x, tensor(new Float32Array(25), [5, 5, 1, 1]), null), (e: unknown) => e instanceof ShapeError && /larger than the input 4x4/.test(e.message));
  assert.throws(() => conv2d(x, tensor(new Float32Array(1), [1, 1, 1, 1]), null, { strides: [0, 1] }), ValueError);
  assert.throws(() => conv2d(x, tensor(new Float32Array(1), [1, 1, 1, 1]), tensor([1, 2]), {}), /bias must have shape \[1\]/);
  assert.throws(() => pool2d('max', x, [2, 2], { padding: 'full' as 'same' }), /'valid' or 'same'/);
});
