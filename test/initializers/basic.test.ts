import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import type { DType } from '../../src/core/dtype.js';
import { Tensor } from '../../src/core/tensor.js';
import { Constant, HeNormal, Ones, RandomNormal, RandomUniform, TruncatedNormal, Zeros } from '../../src/initializers/index.js';

test('Zeros, Ones and Constant fill exact values in either dtype', () => {
  const z = new Zeros().apply([2, 3]);
  assert.ok(z instanceof Tensor);
  assert.deepEqual(z.shape, [2, 3]);
  assert.deepEqual(z.data, new Float32Array(6));
  assert.deepEqual(new Ones().apply([4], 'float64').data, new Float64Array([1, 1, 1, 1]));
  assert.deepEqual(new Constant({ value: 0.25 }).apply([3]).data, new Float32Array([0.25, 0.25, 0.25]));
  assert.deepEqual(new Constant({ value: -3 }).apply([]).data, new Float32Array([-3])); // rank 0: one element
  assert.deepEqual(new Constant().apply([2]).data, new Float32Array([0, 0])); // Keras 3 default value 0
  assert.deepEqual(new Constant({ value: 0 }).getConfig(), { value: 0 });
});

test('explicit zeros are honoured (no falsy defaults, unlike TF.js)', () => {
  // stddev 0 with mean 0: every value is exactly 0 (TF.js would use stddev 0.05).
  assert.ok(new RandomNormal({ mean: 0, stddev: 0, seed: 1 }).apply([100]).data.every((v) => v === 0));
  assert.ok(new TruncatedNormal({ mean: 0, stddev: 0, seed: 1 }).apply([100]).data.every((v) => v === 0));
  assert.ok(new RandomNormal({ mean: 3, stddev: 0 }).apply([10]).data.every((v) => v === 3));
  // minval 0 stays 0 (TF.js would use -0.05): values in [0, 1).
  const u = new RandomUniform({ minval: 0, maxval: 1, seed: 2 }).apply([10000]).data;
  assert.ok(u.every((v) => v >= 0 && v < 1));
  // maxval 0 stays 0: values in [-1, 0).
  assert.ok(new RandomUniform({ minval: -1, maxval: 0, seed: 3 }).apply([10000]).data.every((v) => v >= -1 && v < 0));
  // minval = maxval: a constant.
  assert.ok(new RandomUniform({ minval: 0.5, maxval: 0.5 }).apply([10]).data.every((v) => v === 0.5));
  // The configs keep the zeros.
  assert.deepEqual(new RandomNormal({ mean: 0, stddev: 0 }).getConfig(), { mean: 0, stddev: 0, seed: null });
  assert.deepEqual(new RandomUniform({ minval: 0, maxval: 1 }).getConfig(), { minval: 0, maxval: 1, seed: null });
});

test('defaults are Keras 3: U[-0.05, 0.05), N(0, 0.05^2), truncated N(0, 0.05^2)', () => {
  assert.deepEqual(new RandomUniform().getConfig(), { minval: -0.05, maxval: 0.05, seed: null });
  assert.deepEqual(new RandomNormal().getConfig(), { mean: 0, stddev: 0.05, seed: null });
  assert.deepEqual(new TruncatedNormal().getConfig(), { mean: 0, stddev: 0.05, seed: null });
});

test('invalid options throw a ValueError naming the class, the option and the received value', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => new RandomNormal({ stddev: -0.1 }), /Invalid RandomNormal stddev: received -0\.1; expected a finite number >= 0/],
    [() => new TruncatedNormal({ stddev: NaN }), /Invalid TruncatedNormal stddev: received number NaN/],
    [() => new RandomNormal({ mean: Infinity }), /Invalid RandomNormal mean: received number Infinity/],
    [() => new RandomUniform({ minval: 1, maxval: 0 }), /minval 1 > maxval 0/],
    [() => new RandomUniform({ maxval: '1' as unknown as number }), /Invalid RandomUniform maxval: received '1'/],
    [() => new RandomUniform({ minval: null as unknown as number }), /Invalid RandomUniform minval: received null/],
    [() => new Constant({ value: NaN }), /Invalid Constant value: received number NaN/],
    [() => new RandomUniform({ seed: 0.5 }), /Invalid RandomUniform seed: received 0\.5; expected an integer/],
  ];
  for (const [fn, pattern] of cases) {
    assert.throws(fn, (e: unknown) => e instanceof ValueError && pattern.test(e.message), String(pattern));
  }
});

test('apply validates the shape (ShapeError) and the dtype (ValueError)', () => {
  const init = new HeNormal({ seed: 1 });
  assert.throws(() => init.apply([2, -1]), ShapeError);
  assert.throws(() => init.apply([2.5]), ShapeError);
  assert.throws(() => init.apply('2, 3' as unknown as number[]), ShapeError);
  assert.throws(() => init.apply([2, 3], 'int32' as DType), (e: unknown) => e instanceof ValueError && /dtype/.test(e.message));
  const t = init.apply([2, 3], 'float64');
  assert.equal(t.dtype, 'float64');
  assert.ok(t.data instanceof Float64Array);
  assert.equal(init.apply([2, 3]).dtype, 'float32');
});
