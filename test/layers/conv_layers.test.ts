// The convolution, pooling and reshaping layers: output shapes against Keras's rules for each
// padding / stride / dilation, hand-computed cases, and TensorFlow.js 4.22 (cpu backend) as a real
// client: on identical weights and inputs, the same outputs and the same gradients (input and every
// trainable weight, through tf.grad and tf.variableGrads) to 1e-5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { backward } from '../../src/autodiff/backward.js';
import { binary, sum } from '../../src/autodiff/primitives.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { conv2d } from '../../src/autodiff/conv.js';
import {
  AveragePooling2D, BatchNormalization, Conv1D, Conv2D, DepthwiseConv2D, GlobalAveragePooling2D, type Layer,
  MaxPooling2D, Reshape, ZeroPadding2D,
} from '../../src/layers/index.js';

await tf.setBackend('cpu');
const rng = new Rng(31);

function randomData(n: number): Float32Array {
  const d = new Float32Array(n);
  rng.fillUniform(d, -1, 1);
  return d;
}

/** |ours - theirs| <= 1e-5 max(1, |theirs|) element by element. */
function close(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  assert.equal(ours.length, theirs.length, `${what}: lengths`);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < ours.length; i++) {
    const e = Math.abs(ours[i] - theirs[i]) / Math.max(1, Math.abs(theirs[i]));
    if (!(e <= worst)) { worst = e; at = i; }
  }
  assert.ok(worst <= 1e-5, `${what}: largest relative difference ${worst} at ${at} (ours ${ours[at]}, TF.js ${theirs[at]})`);
}

/** TF.js's computation as a function of the input and the weights (when a TF.js layer cannot serve as the reference). */
type Reference = (x: tf.Tensor, weights: tf.Tensor[]) => tf.Tensor;

/**
 * Runs our layer and TF.js's (a layer, or a function of TF.js ops) on the same input and weights
 * (ours, copied into TF.js): compares the output shape with computeOutputShape and TF.js's, the
 * outputs, and the gradients of sum(y * w) (w random) with respect to the input and each trainable weight.
 */
function compareWithTfjs(ours: Layer, theirs: tf.layers.Layer | Reference, inputShape: number[], what: string, training = false): void {
  const x = new Tensor(randomData(inputShape.reduce((p, d) => p * d, 1)), inputShape, true);
  const y = ours.apply(x, { training });
  assert.deepEqual(ours.computeOutputShape([null, ...inputShape.slice(1)]), [null, ...y.shape.slice(1)], `${what}: computeOutputShape`);
  const xt = tf.tensor(Array.from(x.data), inputShape);
  const weights = ours.trainableWeights;
  const wts = ours.weights.map((w) => tf.tensor(Array.from(w.data), [...w.shape]));
  let apply: (a: tf.Tensor) => tf.Tensor;
  if (typeof theirs === 'function') {
    apply = (a) => theirs(a, wts);
  } else {
    theirs.apply(xt); // builds TF.js's weights
    theirs.setWeights(wts);
    apply = (a) => theirs.apply(a, { training }) as tf.Tensor;
  }
  const yt = apply(xt);
  assert.deepEqual(yt.shape, y.shape, `${what}: output shape vs TF.js`);
  close(y.data, yt.dataSync(), `${what}: output`);
  const w = new Tensor(randomData(y.size), [...y.shape]);
  const wt = tf.tensor(Array.from(w.data), [...y.shape]);
  const grads = backward(sum(binary('mul', y, w)), [x, ...weights]);
  if (typeof theirs === 'function') {
    const tg = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(theirs(args[0], args.slice(1)), wt)))([xt, ...wts]);
    tg.forEach((g, i) => close(grads[i] as Float32Array, g.dataSync(), `${what}: d/d${i === 0 ? 'x' : weights[i - 1].name}`));
    return;
  }
  const dxt = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(apply(a), wt)))(xt);
  close(grads[0] as Float32Array, dxt.dataSync(), `${what}: d/dx`);
  if (weights.length > 0) {
    const vars = theirs.trainableWeights.map((v) => v.read() as tf.Variable);
    const { grads: tg } = tf.variableGrads(() => tf.sum(tf.mul(apply(xt), wt)) as tf.Scalar, vars);
    vars.forEach((v, i) => close(grads[i + 1] as Float32Array, tg[v.name].dataSync(), `${what}: d/d${weights[i].name}`));
  }
}

/**
 * A dilated kernel as the ordinary kernel it is: (d - 1) zeros between taps along `axis`, built
 * from differentiable TF.js ops. TF.js 4.22's conv2d gradient refuses dilation > 1 and
 * tf.layers.depthwiseConv2d ignores dilationRate, so dilated cases are checked against the
 * undilated TF.js op on this kernel (equal by the definition of dilation).
 */
function dilate(k: tf.Tensor, axis: number, d: number): tf.Tensor {
  if (d === 1) return k;
  const taps = tf.split(k, k.shape[axis], axis);
  const zeroShape = [...k.shape];
  zeroShape[axis] = d - 1;
  const parts: tf.Tensor[] = [];
  taps.forEach((t, i) => { if (i > 0) parts.push(tf.zeros(zeroShape)); parts.push(t); });
  return tf.concat(parts, axis);
}

type Act = 'relu' | 'linear' | 'tanh';
const activate = (y: tf.Tensor, a: Act): tf.Tensor => (a === 'relu' ? tf.relu(y) : a === 'tanh' ? tf.tanh(y) : y);

const WINDOWS = [
  ...(['valid', 'same'] as const).flatMap((padding) => [
    { padding, strides: [1, 1], dilationRate: [1, 1] },
    { padding, strides: [2, 2], dilationRate: [1, 1] },
    { padding, strides: [2, 1], dilationRate: [1, 1] },
    { padding, strides: [1, 1], dilationRate: [2, 2] },
    { padding, strides: [1, 1], dilationRate: [1, 2] },
  ]),
];

test('Conv2D: shapes follow Keras for every padding, stride and dilation, and match TF.js outputs and gradients', () => {
  for (const [i, win] of WINDOWS.entries()) {
    const activation = i % 3 === 0 ? 'relu' : i % 3 === 1 ? 'linear' : 'tanh';
    const useBias = i !== 4;
    const ours = new Conv2D(4, [3, 2], { ...win, activation, useBias });
    const [dh, dw] = win.dilationRate;
    const theirs: tf.layers.Layer | Reference = dh === 1 && dw === 1
      ? tf.layers.conv2d({ filters: 4, kernelSize: [3, 2], strides: win.strides as [number, number], padding: win.padding, activation, useBias })
      : (a, [k, b]) => activate(tf.add(tf.conv2d(a as tf.Tensor4D, dilate(dilate(k, 0, dh), 1, dw) as tf.Tensor4D, win.strides as [number, number], win.padding), b ?? tf.scalar(0)), activation);
    compareWithTfjs(ours, theirs, [2, 7, 6, 3], `Conv2D ${JSON.stringify(win)} ${activation}`);
    if (dh > 1 || dw > 1) {
      // The forward of tf.layers.conv2d does support dilation: same outputs.
      const layer = tf.layers.conv2d({ filters: 4, kernelSize: [3, 2], padding: win.padding, dilationRate: [dh, dw], activation, useBias });
      const x = tf.tensor(Array.from(randomData(2 * 7 * 6 * 3)), [2, 7, 6, 3]);
      layer.apply(x);
      layer.setWeights(ours.weights.map((v) => tf.tensor(Array.from(v.data), [...v.shape])));
      close(ours.apply(new Tensor(Float32Array.from(x.dataSync()), [2, 7, 6, 3])).data, (layer.apply(x) as tf.Tensor).dataSync(), `Conv2D dilated forward vs tf.layers.conv2d`);
    }
  }
  // The example's shape rule: 28x28 'valid' 3x3 -> 26x26; 'same' stride 2 -> 14x14; dilation 2 'valid' -> 24x24.
  assert.deepEqual(new Conv2D(32, 3).computeOutputShape([null, 28, 28, 1]), [null, 26, 26, 32]);
  assert.deepEqual(new Conv2D(8, 3, { padding: 'same', strides: 2 }).computeOutputShape([null, 28, 28, 1]), [null, 14, 14, 8]);
  assert.deepEqual(new Conv2D(8, 3, { dilationRate: 2 }).computeOutputShape([null, 28, 28, 1]), [null, 24, 24, 8]);
});

test('Conv2D by hand: a 2x2 difference kernel, its weight layout [kH, kW, in, out] and parameter count', () => {
  const layer = new Conv2D(1, 2, { useBias: true });
  const x = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  layer.apply(x);
  assert.deepEqual(layer.kernel?.shape, [2, 2, 1, 1]);
  assert.equal(layer.countParams(), 5); // 2 * 2 * 1 * 1 + 1
  // kernel [[1, 0], [0, -1]], bias 0.5: y[i, j] = x[i, j] - x[i+1, j+1] + 0.5 = -3.5 everywhere.
  layer.setWeights([[1, 0, 0, -1], [0.5]]);
  assert.deepEqual([...layer.apply(x).data], [-3.5, -3.5, -3.5, -3.5]);
  // The Keras example's first layer: 3 * 3 * 1 * 32 + 32 = 320 parameters.
  const c = new Conv2D(32, 3);
  c.build([null, 28, 28, 1]);
  assert.equal(c.countParams(), 320);
  // Keras's refusals: strides > 1 with dilation > 1; groups != 1; a channels_first data format.
  assert.throws(() => new Conv2D(2, 3, { strides: 2, dilationRate: 2 }), (e: unknown) => e instanceof ValueError && /strides \[2, 2\] > 1 together with dilationRate/.test(e.message));
  assert.throws(() => new Conv2D(2, 3, { groups: 2 }), /groups 2 is not supported/);
  assert.throws(() => new Conv2D(2, 3, { dataFormat: 'channels_first' as 'channels_last' }), /channels-last/);
  assert.throws(() => new Conv2D(0, 3), /filters must be a positive integer, received 0/);
  assert.throws(() => new Conv2D(2, [3, 0]), /kernelSize must be an integer >= 1/);
  assert.throws(() => new Conv2D(2, 3, { padding: 'causal' as 'same' }), /padding must be one of 'valid', 'same', received "causal"/);
  assert.throws(() => layer.apply(tensor(new Float32Array(18), [1, 3, 3, 2])), (e: unknown) => e instanceof ShapeError && /1 channels last, got shape \[1, 3, 3, 2\]/.test(e.message));
});

test('Conv2D float64 gradcheck through the layer (kernel, bias, input), same padding and stride 2', () => {
  const layer = new Conv2D(3, 3, { padding: 'same', strides: 2, activation: 'tanh' });
  layer.build([null, 5, 5, 2]);
  const w = new Tensor(Float64Array.from(randomData(3 * 3 * 3 * 2)), [2, 3, 3, 3]);
  const x = new Tensor(Float64Array.from(randomData(2 * 5 * 5 * 2)), [2, 5, 5, 2]);
  const k = new Tensor(Float64Array.from(layer.kernel!.data), [...layer.kernel!.shape]);
  const b = new Tensor(Float64Array.from(randomData(3)), [3]);
  const r = gradcheck((a, kk, bb) => sum(binary('mul', conv2d(a, kk, bb, { padding: 'same', strides: [2, 2], activation: 'tanh' }), w)), [x, k, b]);
  assert.ok(r.maxError < 1e-6, JSON.stringify(r));
});

test('Conv1D: valid, same and causal padding, stride and dilation match TF.js', () => {
  const cases = [
    { padding: 'valid', strides: 1, dilationRate: 1 }, { padding: 'same', strides: 2, dilationRate: 1 },
    { padding: 'causal', strides: 1, dilationRate: 2 }, { padding: 'valid', strides: 1, dilationRate: 3 },
  ] as const;
  for (const c of cases) {
    const ours = new Conv1D(3, 3, { ...c, activation: 'relu' });
    // tf.layers.conv1d has no causal padding and TF.js cannot differentiate dilated convolutions:
    // the reference is tf.conv1d on the left-padded input (causal) and the zero-stuffed kernel (dilation).
    const theirs: tf.layers.Layer | Reference = c.padding !== 'causal' && c.dilationRate === 1
      ? tf.layers.conv1d({ filters: 3, kernelSize: 3, strides: c.strides, padding: c.padding as 'valid' | 'same', activation: 'relu' })
      : (a, [k, b]) => {
        const padded = c.padding === 'causal' ? tf.pad(a, [[0, 0], [2 * c.dilationRate, 0], [0, 0]]) : a;
        return tf.relu(tf.add(tf.conv1d(padded as tf.Tensor3D, dilate(k, 0, c.dilationRate) as tf.Tensor3D, c.strides, 'valid'), b));
      };
    compareWithTfjs(ours, theirs, [2, 9, 2], `Conv1D ${JSON.stringify(c)}`);
  }
  // Causal by hand: kernel [1, 1] (two taps), one channel, x = [1, 2, 3]: y[t] = x[t-1] + x[t] = [1, 3, 5].
  const causal = new Conv1D(1, 2, { padding: 'causal', useBias: false });
  causal.build([null, 3, 1]);
  causal.setWeights([[1, 1]]);
  assert.deepEqual([...causal.apply(tensor([1, 2, 3], [1, 3, 1])).data], [1, 3, 5]);
});

test('DepthwiseConv2D matches TF.js for every padding, stride and dilation (depth multiplier 2)', () => {
  for (const [i, win] of WINDOWS.entries()) {
    const activation: Act = i % 2 === 0 ? 'relu' : 'linear';
    const ours = new DepthwiseConv2D([3, 2], { ...win, depthMultiplier: 2, activation });
    const [dh, dw] = win.dilationRate;
    const theirs: tf.layers.Layer | Reference = dh === 1 && dw === 1
      ? tf.layers.depthwiseConv2d({ kernelSize: [3, 2], depthMultiplier: 2, strides: win.strides as [number, number], padding: win.padding, activation })
      : (a, [k, b]) => activate(tf.add(tf.depthwiseConv2d(a as tf.Tensor4D, dilate(dilate(k, 0, dh), 1, dw) as tf.Tensor4D, win.strides as [number, number], win.padding), b), activation);
    compareWithTfjs(ours, theirs, [2, 6, 7, 3], `DepthwiseConv2D ${JSON.stringify(win)}`);
  }
  const d = new DepthwiseConv2D(3, { depthMultiplier: 2 });
  d.build([null, 8, 8, 3]);
  assert.deepEqual(d.weights.map((w) => [w.name.split('/')[1], w.shape]), [['depthwise_kernel', [3, 3, 3, 2]], ['bias', [6]]]);
});

test('MaxPooling2D and AveragePooling2D match TF.js for each padding and stride, gradients included', () => {
  for (const padding of ['valid', 'same'] as const) {
    for (const [poolSize, strides] of [[[2, 2], null], [[3, 3], [2, 2]], [[3, 2], [1, 2]], [[2, 2], [1, 1]]] as [[number, number], [number, number] | null][]) {
      const opts = { poolSize, padding, ...(strides !== null ? { strides } : {}) };
      compareWithTfjs(new MaxPooling2D(opts), tf.layers.maxPooling2d(opts), [2, 7, 6, 3], `MaxPooling2D ${JSON.stringify(opts)}`);
      // TF.js 4.22's average-pool gradient divides by the full window even where 'same' padding
      // shortens it (its forward does not: it averages the taps inside), so for 'same' the reference
      // is the average built from TF.js ops: window sums (a depthwise conv with ones) / tap counts.
      const st = (strides ?? poolSize) as [number, number];
      const avgRef: Reference = (a) => {
        const ones = tf.ones([...poolSize, 3, 1]) as tf.Tensor4D;
        const sums = tf.depthwiseConv2d(a as tf.Tensor4D, ones, st, padding);
        const counts = tf.depthwiseConv2d(tf.onesLike(a) as tf.Tensor4D, ones, st, padding);
        return tf.div(sums, counts);
      };
      compareWithTfjs(new AveragePooling2D(opts), padding === 'same' ? avgRef : tf.layers.averagePooling2d(opts), [2, 7, 6, 3], `AveragePooling2D ${JSON.stringify(opts)}`);
      if (padding === 'same') {
        const x = tf.tensor(Array.from(randomData(2 * 7 * 6 * 3)), [2, 7, 6, 3]);
        close(new AveragePooling2D(opts).apply(new Tensor(Float32Array.from(x.dataSync()), [2, 7, 6, 3])).data, (tf.layers.averagePooling2d(opts).apply(x) as tf.Tensor).dataSync(), 'AveragePooling2D same forward vs tf.layers');
      }
    }
  }
  // Keras's defaults: pool 2, strides = pool size, 'valid': 7x6 -> 3x3.
  assert.deepEqual(new MaxPooling2D().computeOutputShape([null, 7, 6, 4]), [null, 3, 3, 4]);
  assert.deepEqual(new AveragePooling2D({ padding: 'same' }).computeOutputShape([null, 7, 6, 4]), [null, 4, 3, 4]);
});

test('max pooling ties: one element gets the gradient (the first maximum), as in TF.js', () => {
  // A 4x4 map of 2x2 blocks of equal values: every window is a tie.
  const x = tensor([1, 1, 5, 5, 1, 1, 5, 5, 3, 3, 0, 0, 3, 3, 0, 0], [1, 4, 4, 1], undefined);
  const xg = new Tensor(x.data, x.shape, true);
  const layer = new MaxPooling2D();
  const y = layer.apply(xg);
  assert.deepEqual([...y.data], [1, 5, 3, 0]);
  const [g] = backward(sum(y), [xg]);
  // The top-left element of each 2x2 block gets 1.
  const expected = [1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0];
  assert.deepEqual([...(g as Float32Array)], expected);
  const theirs = tf.grad((a: tf.Tensor) => tf.sum(tf.layers.maxPooling2d({ poolSize: 2 }).apply(a) as tf.Tensor))(tf.tensor(Array.from(x.data), [1, 4, 4, 1]));
  assert.deepEqual(Array.from(theirs.dataSync()), expected);
});

test('GlobalAveragePooling2D, ZeroPadding2D and Reshape: by hand, shapes, and TF.js outputs and gradients', () => {
  // Mean of [[1, 2], [3, 4]] = 2.5; keepdims gives [1, 1, 1, 1].
  assert.deepEqual([...new GlobalAveragePooling2D().apply(tensor([1, 2, 3, 4], [1, 2, 2, 1])).data], [2.5]);
  assert.deepEqual(new GlobalAveragePooling2D({ keepdims: true }).apply(tensor([1, 2, 3, 4], [1, 2, 2, 1])).shape, [1, 1, 1, 1]);
  compareWithTfjs(new GlobalAveragePooling2D(), tf.layers.globalAveragePooling2d({}), [3, 5, 4, 6], 'GlobalAveragePooling2D');
  // ZeroPadding2D 1 on [[5]]: a 3x3 map with 5 in the middle.
  assert.deepEqual([...new ZeroPadding2D().apply(tensor([5], [1, 1, 1, 1])).data], [0, 0, 0, 0, 5, 0, 0, 0, 0]);
  for (const padding of [1, [2, 1], [[1, 2], [0, 3]]] as const) {
    const theirs = tf.layers.zeroPadding2d({ padding: padding as never });
    compareWithTfjs(new ZeroPadding2D({ padding: padding as never }), theirs, [2, 3, 4, 2], `ZeroPadding2D ${JSON.stringify(padding)}`);
  }
  assert.deepEqual(new ZeroPadding2D({ padding: [[1, 2], [0, 3]] }).computeOutputShape([null, 3, 4, 2]), [null, 6, 7, 2]);
  assert.throws(() => new ZeroPadding2D({ padding: -1 }), /padding must be an integer >= 0/);
  // Reshape [784] -> [28, 28, 1]; -1 is inferred.
  assert.deepEqual(new Reshape([28, 28, 1]).computeOutputShape([null, 784]), [null, 28, 28, 1]);
  assert.deepEqual(new Reshape([-1, 4]).computeOutputShape([null, 2, 6]), [null, 3, 4]);
  compareWithTfjs(new Reshape([3, -1]), tf.layers.reshape({ targetShape: [3, -1] }), [2, 6, 2], 'Reshape');
  assert.throws(() => new Reshape([-1, -1]), /at most one -1/);
  assert.throws(() => new Reshape([5]).apply(tensor(new Float32Array(12), [2, 6])), (e: unknown) => e instanceof ShapeError && /\(6 values\) to \[5\]/.test(e.message));
});

test('BatchNormalization over the channel axis of feature maps matches TF.js in training and inference', () => {
  // [batch, H, W, C]: statistics per channel over batch, H and W (axis -1, as Keras for channels-last).
  const bnOpts = { momentum: 0.9, epsilon: 1e-3 };
  const ours = new BatchNormalization(bnOpts);
  const theirs = tf.layers.batchNormalization(bnOpts);
  compareWithTfjs(ours, theirs, [3, 4, 5, 2], 'BatchNormalization training', true);
  assert.deepEqual(ours.movingMean?.shape, [2]);
  compareWithTfjs(new BatchNormalization(bnOpts), tf.layers.batchNormalization(bnOpts), [3, 4, 5, 2], 'BatchNormalization inference', false);
});

test("default names are Keras's: conv2d, conv2d_1, max_pooling2d, depthwise_conv2d, global_average_pooling2d", async () => {
  const { resetLayerNames } = await import('../../src/layers/index.js');
  resetLayerNames();
  // Keras's to_snake_case('Conv2D') = 'conv2d' (a digit does not start a word); TF.js gives the same.
  assert.deepEqual([new Conv2D(1, 1).name, new Conv2D(1, 1).name, new MaxPooling2D().name, new DepthwiseConv2D(1).name,
    new GlobalAveragePooling2D().name, new ZeroPadding2D().name, new Conv1D(1, 1).name, new BatchNormalization().name],
  ['conv2d', 'conv2d_1', 'max_pooling2d', 'depthwise_conv2d', 'global_average_pooling2d', 'zero_padding2d', 'conv1d', 'batch_normalization']);
});

test('a valid window larger than the input: ShapeError naming the layer (Keras 3 raises "output size would be negative"); an output of 0 is allowed as in Keras', () => {
  // 2 - 5 + 1 = -2 < 0: refused; 4 - 5 + 1 = 0: Keras allows an empty output, so do we.
  assert.throws(() => new Conv2D(8, 5, { name: 'c5' }).computeOutputShape([null, 2, 2, 1]), (e: Error) => e instanceof ShapeError && /c5: the window \(size 5\) is larger than the input \(2\).*'valid'/.test(e.message));
  assert.deepEqual(new Conv2D(8, 5).computeOutputShape([null, 4, 4, 1]), [null, 0, 0, 8]);
  assert.throws(() => new MaxPooling2D({ poolSize: 3, name: 'p3' }).computeOutputShape([null, 1, 1, 2]), (e: Error) => e instanceof ShapeError && /p3: the window \(size 3\)/.test(e.message));
  assert.throws(() => new DepthwiseConv2D(3, { dilationRate: 2, name: 'dw' }).computeOutputShape([null, 3, 3, 2]), (e: Error) => e instanceof ShapeError && /dw: the window \(size 3, dilation 2, so 5 wide\) is larger than the input \(3\)/.test(e.message));
  assert.deepEqual(new Conv2D(8, 5, { padding: 'same' }).computeOutputShape([null, 2, 2, 1]), [null, 2, 2, 8]);
});
