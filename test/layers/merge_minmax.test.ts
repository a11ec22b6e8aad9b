// Subtract, Maximum, Minimum: hand-computed values, Keras's shape rules, ties (which input gets the
// gradient), float64 gradchecks, config round trips, and TF.js 4.22 on identical inputs (tf.layers.maximum /
// minimum; TF.js 4.22 has no tf.layers.subtract, so Subtract is checked against tf.sub): outputs and
// input gradients to 1e-5.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { backward } from '../../src/autodiff/backward.js';
import { sum } from '../../src/autodiff/primitives.js';
import { mul } from '../../src/ops/arithmetic.js';
import { Input, Maximum, Minimum, Subtract, type Merge } from '../../src/layers/index.js';
import { deserialize, serialize } from '../../src/core/serialization.js';
import { GRADCHECK_INPUTS, checkMergeGradients } from './merge_gradcheck.js';

await tf.setBackend('cpu');

const A = tensor([[1, 5, -3], [4, 0, 6]]);
const B = tensor([[2, 5, -4], [1, 7, 6]]);
const C = tensor([[0, 9, -5], [4, -1, 8]]);

test('Subtract, Maximum, Minimum: values computed by hand', () => {
  // A - B = [1-2, 5-5, -3+4], [4-1, 0-7, 6-6] = [-1, 0, 1], [3, -7, 0].
  assert.deepEqual(Array.from(new Subtract().apply([A, B]).data), [-1, 0, 1, 3, -7, 0]);
  // max(A, B, C) column by column: [2, 9, -3], [4, 7, 8].
  assert.deepEqual(Array.from(new Maximum().apply([A, B, C]).data), [2, 9, -3, 4, 7, 8]);
  // min(A, B, C): [0, 5, -5], [1, -1, 6].
  assert.deepEqual(Array.from(new Minimum().apply([A, B, C]).data), [0, 5, -5, 1, -1, 6]);
  // Broadcast: [[10], [20]] - B = [8, 5, 14], [19, 13, 14].
  assert.deepEqual(Array.from(new Subtract().apply([tensor([[10], [20]]), B]).data), [8, 5, 14, 19, 13, 14]);
});

test("Keras's shape rules: Subtract takes exactly 2 inputs; Maximum/Minimum any number >= 2; sizes equal or 1", () => {
  assert.deepEqual(new Subtract().mergeShape([[null, 1, 4], [null, 3, 4]]), [null, 3, 4]);
  assert.deepEqual(new Maximum().mergeShape([[null, 4], [null, 4], [null, 1]]), [null, 4]);
  assert.deepEqual(new Minimum().apply([Input({ shape: [2, 3] }), Input({ shape: [1, 3] })]).shape, [null, 2, 3]);
  assert.throws(() => new Subtract().apply([A, B, C]), (e: Error) => e instanceof ValueError && /exactly 2 inputs .* received 3/.test(e.message));
  assert.throws(() => new Subtract().apply([Input({ shape: [3] }), Input({ shape: [3] }), Input({ shape: [3] })]), ValueError);
  assert.throws(() => new Maximum().apply([A]), (e: Error) => e instanceof ValueError && /at least 2 tensors/.test(e.message));
  assert.throws(() => new Minimum().apply(A), (e: Error) => e instanceof ValueError && /received one tensor/.test(e.message));
  assert.throws(() => new Maximum().mergeShape([[null, 3], [null, 4]]), (e: Error) => e instanceof ShapeError && /differ at axis 1 \(3 vs 4\)/.test(e.message));
});

test('ties: the gradient goes to the earliest input holding the maximum/minimum (TF: x gets dy where x >= y)', () => {
  // Column 0: A and B tie at 5, C = 5 too; column 1: B alone is largest; column 2: A and C tie at 2 (A first).
  const a = new Tensor(Float32Array.from([5, 1, 2]), [1, 3], true);
  const b = new Tensor(Float32Array.from([5, 3, 0]), [1, 3], true);
  const c = new Tensor(Float32Array.from([5, 0, 2]), [1, 3], true);
  for (const Layer of [Maximum, Minimum]) {
    const y = new Layer().apply([a, b, c]);
    const [ga, gb, gc] = backward(sum(y), [a, b, c]);
    // Maximum: col 0 tie of three -> a; col 1 -> b; col 2 tie a/c -> a.
    // Minimum: col 0 tie -> a; col 1 -> c (0); col 2 -> b (0).
    const expected = Layer === Maximum ? [[1, 0, 1], [0, 1, 0], [0, 0, 0]] : [[1, 0, 0], [0, 0, 1], [0, 1, 0]];
    assert.deepEqual([ga, gb, gc].map((g) => Array.from(g ?? [])), expected, Layer.className);
  }
});

test('float64 gradchecks of Subtract, Maximum, Minimum (no ties: central differences need distinct values)', () => {
  const { a, b, c, narrow } = GRADCHECK_INPUTS;
  checkMergeGradients([
    [new Subtract(), [a, b]], [new Subtract({ name: 'broadcast_sub' }), [narrow, b]],
    [new Maximum(), [a, b, c]], [new Minimum(), [a, b, c]], [new Maximum({ name: 'broadcast_max' }), [a, narrow]],
  ]);
});

test('configs: Keras 3 form and round trips (TF.js className form reads too)', () => {
  for (const [Layer, name] of [[Subtract, 'subtract'], [Maximum, 'maximum'], [Minimum, 'minimum']] as const) {
    const s = serialize(new Layer({ name: `${name}_x` }));
    assert.deepEqual(s, { module: 'keras.layers', class_name: Layer.className, config: { name: `${name}_x`, trainable: true, dtype: 'float32' }, registered_name: null });
    const back = deserialize<Merge>(s);
    assert.ok(back instanceof Layer);
    assert.equal(back.name, `${name}_x`);
    const fromTfjs = deserialize<Merge>({ className: Layer.className, config: { name: `${name}_t`, trainable: true } });
    assert.ok(fromTfjs instanceof Layer);
  }
});

test('TF.js 4.22 tf.sub / tf.layers.maximum / tf.layers.minimum: same outputs and input gradients to 1e-5 (ties included)', () => {
  // Values on a grid of 0.5 so that ties happen often and both sides must route them the same way.
  const values = (seed: number, n: number): number[] => Array.from({ length: n }, (_, i) => (((i * (seed + 2) + seed) % 5) - 2) * 0.5);
  const shapes = [[4, 3], [4, 3], [4, 3]];
  const cases = [
    // TF.js 4.22 exports no subtract layer (tf.layers has add, average, concatenate, dot, maximum, minimum, multiply).
    { ours: () => new Subtract(), theirs: () => ({ apply: (xs: tf.Tensor[]) => tf.sub(xs[0], xs[1]) }), k: 2 },
    { ours: () => new Maximum(), theirs: () => tf.layers.maximum({}), k: 3 },
    { ours: () => new Minimum(), theirs: () => tf.layers.minimum({}), k: 3 },
  ];
  let ties = 0;
  for (const c of cases) {
    const data = shapes.slice(0, c.k).map((s, i) => values(i + 1, s[0] * s[1]));
    const xs = data.map((d, i) => new Tensor(Float32Array.from(d), shapes[i], true));
    const txs = data.map((d, i) => tf.tensor(d, shapes[i]));
    const w = Array.from({ length: 12 }, (_, i) => 1 + 0.25 * i);
    const y = c.ours().apply(xs);
    const ty = c.theirs().apply(txs as never) as tf.Tensor;
    closeTo(y.data, ty.dataSync(), `${c.ours().className} forward`);
    const grads = backward(sum(mul(y, new Tensor(Float32Array.from(w), [4, 3]))), xs);
    const layer = c.theirs();
    const tgrads = tf.grads((...args: tf.Tensor[]) => tf.sum(tf.mul(layer.apply(args as never) as tf.Tensor, tf.tensor(w, [4, 3]))))(txs);
    grads.forEach((g, i) => closeTo(g ?? [], tgrads[i].dataSync(), `${c.ours().className} d/dx${i + 1}`));
    for (let j = 0; j < 12; j++) if (data[0][j] === data[1][j]) ties++;
  }
  assert.ok(ties > 0, 'the inputs contain ties');
});

function closeTo(ours: ArrayLike<number>, theirs: ArrayLike<number>, what: string): void {
  assert.equal(ours.length, theirs.length, `${what}: lengths`);
  for (let i = 0; i < ours.length; i++) assert.ok(Math.abs(ours[i] - theirs[i]) <= 1e-5, `${what}[${i}]: ours ${ours[i]} vs TF.js ${theirs[i]}`);
}
