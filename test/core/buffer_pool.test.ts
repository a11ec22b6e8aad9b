// BufferPool (src/core/buffer_pool.ts): arrays handed out by allocate() inside a pool come back
// after recycle(), zero-filled (allocateUninitialized keeps them as they were); outside a pool, or
// inside withPool(null), allocate() returns fresh arrays; a weight created inside an active pool
// (a layer built lazily in a step) never shares an array with the pool, nor does a kernel scratch
// slot or an optimizer's state made inside one; and a whole training step (forward, loss, backward)
// creates no array after its first run.
import { test } from 'node:test';
// The native backend when its addon built (the fault below showed with its kernels), else wasm/ts.
import '../../src/kernels/native/register.node.js';
import assert from 'node:assert/strict';
import { BufferPool, POOL_MIN_LENGTH, activePool, withPool } from '../../src/core/buffer_pool.js';
import { allocate, allocateUninitialized } from '../../src/core/dtype.js';
import { SCRATCH_SLOTS, releaseScratch, scratch } from '../../src/kernels/scratch.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Adam } from '../../src/optimizers/adam.js';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor, Variable } from '../../src/core/tensor.js';
import { backward } from '../../src/autodiff/backward.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { sparseCategoricalCrossentropy } from '../../src/losses/losses.js';

test('allocate inside a pool reuses the arrays of the previous step, zero-filled', () => {
  const pool = new BufferPool();
  const a = withPool(pool, () => allocate('float32', 100));
  a.fill(7);
  const b = withPool(pool, () => allocate('float32', 100));
  assert.notEqual(a, b, 'an array handed out is not handed out again before recycle()');
  pool.recycle();
  const [c, d] = withPool(pool, () => [allocate('float32', 100), allocateUninitialized('float32', 100)]);
  assert.ok((c === a || c === b) && (d === a || d === b) && c !== d);
  assert.ok(c.every((v) => v === 0), 'allocate zero-fills a reused array');
  assert.deepEqual([pool.created, pool.bytes], [2, 2 * 100 * 4]);
  // float64 is a separate list.
  const e = withPool(pool, () => allocate('float64', 100));
  assert.ok(e instanceof Float64Array);
  assert.deepEqual([pool.created, pool.bytes], [3, 2 * 100 * 4 + 100 * 8]);
});

test('allocateUninitialized leaves a reused array as the previous step wrote it', () => {
  const pool = new BufferPool();
  const a = withPool(pool, () => allocateUninitialized('float32', 64));
  a.fill(3);
  pool.recycle();
  const b = withPool(pool, () => allocateUninitialized('float32', 64));
  assert.equal(b, a);
  assert.equal(b[63], 3);
});

test('outside a pool, under withPool(null) and below POOL_MIN_LENGTH, allocate returns fresh arrays', () => {
  const pool = new BufferPool();
  withPool(pool, () => {
    assert.equal(activePool(), pool);
    withPool(null, () => assert.equal(activePool(), null));
    allocate('float32', POOL_MIN_LENGTH - 1);
  });
  assert.equal(activePool(), null);
  assert.equal(pool.created, 0);
  allocate('float32', 1000);
  assert.equal(pool.created, 0);
  // restored after a throw
  assert.throws(() => withPool(pool, () => { throw new Error('boom'); }), /boom/);
  assert.equal(activePool(), null);
});

test('a layer built inside an active pool keeps weights that recycle() does not hand out', () => {
  const pool = new BufferPool();
  const layer = new Dense(100);
  const y = withPool(pool, () => layer.apply(new Tensor(new Float32Array(200).fill(1), [2, 100])));
  const kernel = layer.kernel!.data.slice();
  pool.recycle();
  // Every array the pool owns is now free; take as many as it has and scribble on them.
  withPool(pool, () => { for (let i = 0; i < 10; i++) allocate('float32', 100 * 100).fill(9); });
  assert.deepEqual(layer.kernel!.data, kernel);
  assert.equal(y.shape[1], 100);
});

test('scratch slots and optimizer state made inside a pool are not the pool\'s: recycle() never hands them out', () => {
  const pool = new BufferPool();
  const slot = withPool(pool, () => scratch('float32', 1000, SCRATCH_SLOTS.dz));
  const w = new Variable(new Float32Array(500).fill(1), [500], 'w');
  const adam = new Adam();
  withPool(pool, () => adam.applyGradients([new Float32Array(500).fill(0.5)], [w]));
  pool.recycle();
  const taken = withPool(pool, () => [allocate('float32', 1000), allocate('float32', 500), allocate('float32', 500)]);
  assert.ok(!taken.includes(slot as Float32Array), 'the scratch slot came back from the pool');
  const state = adam.getState([w]).weights.flatMap((s) => Object.values(s.slots));
  assert.ok(state.length >= 2);
  taken.forEach((a) => a.fill(9));
  assert.ok(state.every((values) => !values.some((v) => v === 9)), 'the optimizer state shares an array with the pool');
});

test('a convolution\'s output survives the backward pass of the layers after it, step after step (two owners of one array before)', () => {
  // The fault: the scratch slot of a conv backward (dz, grown to conv2d's output size in step 1) was
  // a pool array, so in step 2 the pool handed it to conv2d's forward output, and conv2d_1's backward
  // wrote its dz over it: a wrong ReLU mask in conv2d's own backward and wrong monitor statistics.
  setSeed(5);
  releaseScratch(); // the slots are made again, inside the pool's first step
  const model = new Sequential([
    new Conv2D(4, 3, { activation: 'relu', inputShape: [8, 8, 1] }), new Conv2D(4, 3, { activation: 'relu' }), new Flatten(), new Dense(3, { activation: 'softmax' }),
  ]);
  model.build([null, 8, 8, 1]);
  const x = new Float32Array(4 * 64);
  new Rng(2).fillUniform(x, 0, 1);
  const xb = new Tensor(x, [4, 8, 8, 1]);
  const yb = new Tensor(Float32Array.of(0, 1, 2, 0), [4]);
  const first = model.layers[0];
  const expected = first.call(xb).data.slice(); // outside any pool
  const pool = new BufferPool();
  for (let step = 0; step < 4; step++) {
    pool.recycle();
    withPool(pool, () => backward(sparseCategoricalCrossentropy(yb, model.call(xb, { training: true })), model.trainableWeights));
    assert.deepEqual(first.lastOutput?.data, expected, `step ${step}: conv2d's output after the backward pass`);
  }
});

test('a training step (forward, loss, backward) creates no array after its first run', () => {
  setSeed(3);
  const model = new Sequential([new Dense(64, { activation: 'selu', inputShape: [20] }), new Dense(64, { activation: 'relu' }), new Dense(5, { activation: 'softmax' })]);
  model.build([null, 20]);
  const rng = new Rng(1);
  const x = new Float32Array(16 * 20);
  rng.fillUniform(x, -1, 1);
  const xb = new Tensor(x, [16, 20]);
  const yb = new Tensor(Float32Array.from({ length: 16 }, (_, i) => i % 5), [16]);
  const pool = new BufferPool();
  const step = (): void => {
    pool.recycle();
    withPool(pool, () => backward(sparseCategoricalCrossentropy(yb, model.call(xb, { training: true })), model.trainableWeights));
  };
  step();
  const created = pool.created;
  const bytes = pool.bytes;
  // The step asks for arrays of the layers' sizes (64 x 20 kernel gradient, 16 x 64 activations...).
  assert.ok(bytes >= 4 * (20 * 64 + 64 * 64 + 2 * 16 * 64), `pool holds ${bytes} bytes`);
  for (let i = 0; i < 20; i++) step();
  assert.equal(pool.created, created, 'no array created after the first step');
  assert.equal(pool.bytes, bytes);
});
