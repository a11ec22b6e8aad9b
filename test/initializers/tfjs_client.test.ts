// TensorFlow.js 4.22 as a real client (issue 3): where TF.js agrees with Keras, the sample statistics of
// both libraries agree within 5 standard errors; where it does not, each test asserts TF.js's value
// beside deepwell's and names the public report in its title. Every TF.js behaviour asserted here was
// first checked on @tensorflow/tfjs 4.22.0 (cpu backend); each matches the TF.js source
// (tfjs-layers/src/initializers.ts), including two that are read there rather than documented
// (varianceScaling 'truncatedNormal' samples a uniform; identity rejects rectangular matrices).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  GlorotUniform,
  HeNormal,
  HeUniform,
  Identity,
  type Initializer,
  LecunUniform,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
} from '../../src/initializers/index.js';
import { EXCESS_KURTOSIS, type Moments, float32Ulp, moments, varianceStandardError } from './moments.js';

const Z = 5;
/** Var of N(0, 1) truncated to +-2 (scipy.stats.truncnorm(-2, 2).var()): TF.js's uncorrected 'normal' has 0.77374 v. */
const TRUNCATED_VARIANCE_FACTOR = 0.7737413035499232;

await tf.setBackend('cpu');

/** A TF.js initializer instance (tfjs-layers' Initializer class is not exported by name). */
type TfInitializer = ReturnType<typeof tf.initializers.zeros>;

/** TF.js draws of an initializer, as a Float32Array (the tensor is disposed). */
function tfjsSample(init: TfInitializer, shape: number[]): Float32Array {
  const t = init.apply(shape);
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

function deepwellSample(init: Initializer, shape: number[]): Float32Array {
  return init.apply(shape).data as Float32Array;
}

function product(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Asserts |m.variance - v| <= 5 SE for n draws of a distribution with the given excess kurtosis. */
function assertVariance(label: string, m: Moments, v: number, kurtosis: number): void {
  const tolerance = Z * varianceStandardError(v, kurtosis, m.n);
  assert.ok(Math.abs(m.variance - v) <= tolerance, `${label}: variance ${m.variance} vs ${v} (tolerance ${tolerance})`);
}

// --- Where TF.js agrees with Keras: uniform presets on ranks 2 to 5 -------------------------------

/** Keras/TF.js fans for ranks 2 to 5 (channels last): the rules coincide there. */
function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  const rf = product(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2] * rf, fanOut: shape[shape.length - 1] * rf };
}

const AGREEMENT_SHAPES = [[300, 200], [5, 40, 60], [3, 3, 16, 32], [2, 3, 3, 8, 16]];
const UNIFORM_PRESETS: [string, (seed: number) => Initializer, (seed: number) => TfInitializer, (f: { fanIn: number; fanOut: number }) => number][] = [
  ['glorotUniform', (seed) => new GlorotUniform({ seed }), (seed) => tf.initializers.glorotUniform({ seed }), (f) => 2 / (f.fanIn + f.fanOut)],
  ['heUniform', (seed) => new HeUniform({ seed }), (seed) => tf.initializers.heUniform({ seed }), (f) => 2 / f.fanIn],
  ['leCunUniform', (seed) => new LecunUniform({ seed }), (seed) => tf.initializers.leCunUniform({ seed }), (f) => 1 / f.fanIn],
];

test('agreement: glorotUniform, heUniform, leCunUniform on ranks 2-5 have the same variance and hard bounds in both libraries', () => {
  for (const shape of AGREEMENT_SHAPES) {
    const v = (variance: (f: { fanIn: number; fanOut: number }) => number): number => variance(fans(shape));
    for (const [name, ours, theirs, variance] of UNIFORM_PRESETS) {
      const label = `${name} ${JSON.stringify(shape)}`;
      const target = v(variance);
      const limit = Math.sqrt(3 * target);
      const a = moments(deepwellSample(ours(1), shape));
      const b = moments(tfjsSample(theirs(1), shape));
      // Each within 5 SE of Keras's variance, and the two within 5 SE of each other.
      assertVariance(`deepwell ${label}`, a, target, EXCESS_KURTOSIS.uniform);
      assertVariance(`tfjs ${label}`, b, target, EXCESS_KURTOSIS.uniform);
      const se = varianceStandardError(target, EXCESS_KURTOSIS.uniform, a.n);
      assert.ok(Math.abs(a.variance - b.variance) <= Z * Math.SQRT2 * se, `${label}: deepwell ${a.variance} vs tfjs ${b.variance}`);
      // Same hard bound L = sqrt(3 v): neither passes it, both come close (N >= 2304: P(max < 0.99 L) < 1e-10).
      for (const [who, m] of [['deepwell', a], ['tfjs', b]] as const) {
        assert.ok(m.maxAbs <= limit + float32Ulp(limit), `${who} ${label}: max |w| ${m.maxAbs} beyond L ${limit}`);
        assert.ok(m.maxAbs > 0.99 * limit, `${who} ${label}: max |w| ${m.maxAbs} far inside L ${limit}`);
      }
    }
  }
});

test('agreement: orthogonal gives W^T W = I in both libraries; a seeded call repeats in both', () => {
  const shape = [7, 3];
  for (const [who, w] of [['deepwell', deepwellSample(new Orthogonal({ seed: 2 }), shape)], ['tfjs', tfjsSample(tf.initializers.orthogonal({ gain: 1, seed: 2 }), shape)]] as const) {
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let s = 0;
        for (let i = 0; i < 7; i++) s += w[i * 3 + a] * w[i * 3 + b];
        assert.ok(Math.abs(s - (a === b ? 1 : 0)) < 1e-5, `${who}: (W^T W)[${a}][${b}] = ${s}`);
      }
    }
  }
  assert.deepEqual(tfjsSample(tf.initializers.glorotUniform({ seed: 5 }), [4, 4]), tfjsSample(tf.initializers.glorotUniform({ seed: 5 }), [4, 4]));
  assert.deepEqual(deepwellSample(new GlorotUniform({ seed: 5 }), [4, 4]), deepwellSample(new GlorotUniform({ seed: 5 }), [4, 4]));
});

// --- Where TF.js departs from Keras -----------------------------------------------------------

test('tensorflow/tfjs#8594: TF.js heNormal on (256, 128) has variance 0.77374 * 2/256 = 0.0060448539; deepwell has 2/256 = 0.0078125', () => {
  const shape = [256, 128];
  const keras = 2 / 256;
  const tfjsExpected = TRUNCATED_VARIANCE_FACTOR * keras;
  assert.ok(Math.abs(tfjsExpected - 0.0060448539) < 1e-10); // computed with NumPy
  const theirs = moments(tfjsSample(tf.initializers.heNormal({ seed: 3 }), shape));
  const ours = moments(deepwellSample(new HeNormal({ seed: 3 }), shape));
  assertVariance('tfjs heNormal', theirs, tfjsExpected, EXCESS_KURTOSIS.truncated_normal);
  assertVariance('deepwell he_normal', ours, keras, EXCESS_KURTOSIS.truncated_normal);
  // TF.js truncates at 2 sigma of the uncorrected sigma, deepwell at 2 sigma / 0.8796.
  assert.ok(theirs.maxAbs <= 2 * Math.sqrt(keras) * (1 + 1e-6));
  assert.ok(ours.maxAbs > 2 * Math.sqrt(keras), 'deepwell reaches beyond TF.js\'s bound');
});

test("TF.js varianceScaling({ distribution: 'truncatedNormal' }) samples a uniform (kurtosis -1.2); deepwell's is a corrected truncated normal", () => {
  // The spelling TF.js's own validation accepts, and what a Keras 'truncated_normal' config becomes after TF.js camel-cases it.
  const shape = [400, 500];
  const v = 1 / 400;
  const theirs = moments(tfjsSample(tf.initializers.varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: 4 }), shape));
  const ours = moments(deepwellSample(new VarianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', seed: 4 }), shape));
  const kurtosisTolerance = Z * Math.sqrt(24 / theirs.n);
  assert.ok(Math.abs(theirs.excessKurtosis - EXCESS_KURTOSIS.uniform) <= kurtosisTolerance, `tfjs kurtosis ${theirs.excessKurtosis}`);
  assert.ok(Math.abs(ours.excessKurtosis - EXCESS_KURTOSIS.truncated_normal) <= kurtosisTolerance, `deepwell kurtosis ${ours.excessKurtosis}`);
  assert.ok(theirs.maxAbs < Math.sqrt(3 * v) + 1e-6); // a uniform's bound sqrt(3 v) = 0.0866
  assertVariance('deepwell', ours, v, EXCESS_KURTOSIS.truncated_normal);
});

test('rank-1 fans (TF.js uses sqrt(prod(shape))): glorotUniform on [10] has limit 0.9740 in TF.js, 0.5477 in deepwell (Keras 3)', () => {
  // Keras 3: fans (10, 10), L = sqrt(3/10) = 0.5477225575; TF.js: fans sqrt(10), L = sqrt(3/sqrt(10)) = 0.9740037464.
  const kerasLimit = Math.sqrt(3 / 10);
  const tfjsLimit = Math.sqrt(3 / Math.sqrt(10));
  assert.ok(Math.abs(tfjsLimit - 0.9740037464) < 1e-10);
  assert.ok(Math.abs((new GlorotUniform().describe([10]).limit as number) - 0.5477225575) < 1e-10);
  const theirs = moments(tfjsSample(tf.initializers.glorotUniform({ seed: 1 }), [10]));
  assert.ok(theirs.maxAbs > kerasLimit && theirs.maxAbs <= tfjsLimit, `tfjs max |w| ${theirs.maxAbs}: beyond Keras's limit`);
  assert.ok(moments(deepwellSample(new GlorotUniform({ seed: 1 }), [10])).maxAbs < kerasLimit);
  // On [10000] the variances differ 100-fold: TF.js 1/sqrt(10000) = 0.01, Keras 1/10000.
  assertVariance('tfjs [10000]', moments(tfjsSample(tf.initializers.glorotUniform({ seed: 2 }), [10000])), 1 / 100, EXCESS_KURTOSIS.uniform);
  assertVariance('deepwell [10000]', moments(deepwellSample(new GlorotUniform({ seed: 2 }), [10000])), 1 / 10000, EXCESS_KURTOSIS.uniform);
});

test('rank-6 fans (TF.js sqrt(prod) vs Keras receptive field): glorotUniform on [2, 2, 2, 2, 30, 40]', () => {
  const shape = [2, 2, 2, 2, 30, 40];
  // Keras: rf 16 -> fans (480, 640), v = 2 / 1120. TF.js: fans sqrt(19200) = 138.56, v = 1 / 138.56.
  const kerasVariance = 2 / (480 + 640);
  const tfjsVariance = 1 / Math.sqrt(product(shape));
  const ours = new GlorotUniform().describe(shape);
  assert.deepEqual([ours.fanIn, ours.fanOut], [480, 640]);
  assertVariance('tfjs', moments(tfjsSample(tf.initializers.glorotUniform({ seed: 3 }), shape)), tfjsVariance, EXCESS_KURTOSIS.uniform);
  assertVariance('deepwell', moments(deepwellSample(new GlorotUniform({ seed: 3 }), shape)), kerasVariance, EXCESS_KURTOSIS.uniform);
});

test('explicit zeros (TF.js falsy defaults, tfjs-layers/src/initializers.ts): stddev 0, minval 0, maxval 0 are replaced in TF.js, kept in deepwell', () => {
  const n = [20000];
  // randomNormal({ mean: 0, stddev: 0 }): TF.js uses stddev 0.05 (variance 0.0025); deepwell all zeros.
  assertVariance('tfjs randomNormal stddev 0', moments(tfjsSample(tf.initializers.randomNormal({ mean: 0, stddev: 0, seed: 5 }), n)), 0.0025, EXCESS_KURTOSIS.untruncated_normal);
  assert.ok(deepwellSample(new RandomNormal({ mean: 0, stddev: 0, seed: 5 }), n).every((v) => v === 0));
  // truncatedNormal({ stddev: 0 }): TF.js 0.05 truncated (variance 0.77374 * 0.0025); deepwell all zeros.
  assertVariance('tfjs truncatedNormal stddev 0', moments(tfjsSample(tf.initializers.truncatedNormal({ mean: 0, stddev: 0, seed: 6 }), n)), TRUNCATED_VARIANCE_FACTOR * 0.0025, EXCESS_KURTOSIS.truncated_normal);
  assert.ok(deepwellSample(new TruncatedNormal({ mean: 0, stddev: 0, seed: 6 }), n).every((v) => v === 0));
  // randomUniform({ minval: 0, maxval: 1 }): TF.js draws from [-0.05, 1); deepwell from [0, 1).
  const theirs = moments(tfjsSample(tf.initializers.randomUniform({ minval: 0, maxval: 1, seed: 7 }), n));
  assert.ok(theirs.min < 0 && theirs.min >= -0.05, `tfjs min ${theirs.min}`);
  assert.ok(moments(deepwellSample(new RandomUniform({ minval: 0, maxval: 1, seed: 7 }), n)).min >= 0);
  // randomUniform({ minval: -1, maxval: 0 }): TF.js draws from [-1, 0.05); deepwell from [-1, 0).
  assert.ok(moments(tfjsSample(tf.initializers.randomUniform({ minval: -1, maxval: 0, seed: 8 }), n)).max > 0);
  assert.ok(moments(deepwellSample(new RandomUniform({ minval: -1, maxval: 0, seed: 8 }), n)).max < 0);
});

test('tensorflow/tfjs#8568 depthwise fans: leCunUniform on a [3, 3, 64, 1] depthwise kernel: TF.js fan_in 576, true fan_in 9', () => {
  // Each output of a depthwise conv sees k_h k_w = 9 inputs, but TF.js's computeFans reads 3*3*64.
  // A deepwell layer passes the true fans as axes: inputAxes [0, 1] (9), outputAxes [0, 1, 3] (9 * multiplier).
  const shape = [3, 3, 64, 1];
  const theirs = moments(tfjsSample(tf.initializers.leCunUniform({ seed: 9 }), shape));
  const depthwise = new VarianceScaling({ scale: 1, mode: 'fan_in', distribution: 'uniform', inputAxes: [0, 1], outputAxes: [0, 1, 3], seed: 9 });
  assert.deepEqual([depthwise.describe(shape).fanIn, depthwise.describe(shape).fanOut], [9, 9]);
  const ours = moments(deepwellSample(depthwise, shape));
  assert.ok(theirs.maxAbs <= Math.sqrt(3 / 576) + 1e-6, `tfjs max |w| ${theirs.maxAbs} vs sqrt(3/576) = 0.0722`);
  assertVariance('tfjs', theirs, 1 / 576, EXCESS_KURTOSIS.uniform);
  assertVariance('deepwell', ours, 1 / 9, EXCESS_KURTOSIS.uniform);
  // Without the axes deepwell reads the kernel as Keras does (fan_in 576), like TF.js.
  assert.equal(new LecunUniform().describe(shape).fanIn, 576);
});

test('identity on a rectangular matrix: TF.js throws ("2D square"), deepwell gives eye(3, 5) as Keras 3', () => {
  assert.throws(() => tfjsSample(tf.initializers.identity({ gain: 1 }), [3, 5]), /2D square/);
  assert.deepEqual([...deepwellSample(new Identity(), [3, 5])], [1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
});
