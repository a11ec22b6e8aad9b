import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  TRUNCATED_NORMAL_STDDEV_FACTOR,
  VarianceScaling,
  type VarianceScalingOptions,
  type VarianceScalingStats,
} from '../../src/initializers/index.js';

/** The tables' digits are rounded to 10 decimals; 1e-9 is well above that rounding. */
const TABLE_TOLERANCE = 1e-9;

function near(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined, `${what} is missing`);
  assert.ok(Math.abs(actual - expected) <= TABLE_TOLERANCE, `${what}: got ${actual}, expected ${expected}`);
}

function check(stats: VarianceScalingStats, expected: Partial<Record<keyof VarianceScalingStats, number>>): void {
  for (const [key, value] of Object.entries(expected)) near(stats[key as keyof VarianceScalingStats], value, key);
}

test('the truncation constant is scipy.stats.truncnorm.std(-2, 2) and bounds are 2.2736944686771130 target stds', () => {
  assert.equal(TRUNCATED_NORMAL_STDDEV_FACTOR, 0.8796256610342398); // section 1
  assert.ok(Math.abs(2 / TRUNCATED_NORMAL_STDDEV_FACTOR - 2.273694468677113) < 1e-15);
});

// Worked values (Keras 3 convention, computed with SciPy/NumPy).
test('worked values, (256, 128), all six presets', () => {
  const shape = [256, 128];
  // glorot_uniform: n = (256+128)/2 = 192, v = 1/192, L = sqrt(3/192) = 0.125.
  check(new GlorotUniform().describe(shape), { fanIn: 256, fanOut: 128, n: 192, limit: 0.125, variance: 0.0052083333 });
  // glorot_normal: SD sqrt(1/192), sigma_pre = SD / 0.8796..., bound 2 sigma_pre.
  check(new GlorotNormal().describe(shape), { stddev: 0.0721687836, samplingStddev: 0.0820448821, bound: 0.1640897642 });
  // he_normal: n = 256, v = 2/256.
  check(new HeNormal().describe(shape), { n: 256, variance: 0.0078125, stddev: 0.0883883476, samplingStddev: 0.1004840486, bound: 0.2009680971 });
  // he_uniform: L = sqrt(6/256).
  check(new HeUniform().describe(shape), { limit: 0.1530931089, variance: 0.0078125 });
  // lecun_normal: SD sqrt(1/256) = 0.0625.
  check(new LecunNormal().describe(shape), { stddev: 0.0625, samplingStddev: 0.0710529521, bound: 0.1421059043 });
  // lecun_uniform: L = sqrt(3/256).
  check(new LecunUniform().describe(shape), { limit: 0.1082531755 });
});

test('worked values, conv kernel (3, 3, 16, 32) and the rank 1 and rank 0 shapes', () => {
  // fans (144, 288); he_normal SD sqrt(2/144), bound 2.2737 SD.
  check(new HeNormal().describe([3, 3, 16, 32]), { fanIn: 144, fanOut: 288, stddev: 0.1178511302, bound: 0.2679574629 });
  // glorot_uniform: n = 216, L = sqrt(3/216).
  check(new GlorotUniform().describe([3, 3, 16, 32]), { fanIn: 144, fanOut: 288, limit: 0.1178511302 });
  // (10,): fans (10, 10), L = sqrt(3/10) (TF.js: 0.9740037464 from sqrt(10) fans).
  check(new GlorotUniform().describe([10]), { fanIn: 10, fanOut: 10, limit: 0.5477225575 });
  // (): fans (1, 1), L = sqrt(3).
  check(new GlorotUniform().describe([]), { fanIn: 1, fanOut: 1, limit: 1.7320508076 });
});

test('VarianceScaling: each mode picks its fan, distributions report their parameters, zero fans act as 1', () => {
  const shape = [256, 128];
  check(new VarianceScaling({ mode: 'fan_in' }).describe(shape), { n: 256, variance: 1 / 256 });
  check(new VarianceScaling({ mode: 'fan_out' }).describe(shape), { n: 128, variance: 1 / 128 });
  check(new VarianceScaling({ mode: 'fan_avg', scale: 2 }).describe(shape), { n: 192, variance: 2 / 192 });
  const plain = new VarianceScaling({ scale: 2, distribution: 'untruncated_normal' }).describe(shape);
  check(plain, { stddev: 0.0883883476, samplingStddev: 0.0883883476 });
  assert.equal(plain.bound, undefined);
  assert.equal(plain.limit, undefined);
  // The seed's example: scale 2, fan_avg, uniform -> L = sqrt(3 * 2 / 192).
  check(new VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform' }).describe(shape), { limit: Math.sqrt(6 / 192) });
  // Keras divides by max(1, n): a [0, 10] kernel has fanIn 0 and variance scale / 1.
  check(new VarianceScaling({ scale: 3 }).describe([0, 10]), { fanIn: 0, n: 0, variance: 3 });
  assert.deepEqual([...new HeUniform().apply([0, 10]).data], []);
  // Explicit axes (Keras 3.15): [512, 8, 64] with inputAxes [0], outputAxes [1, 2] -> (512, 512).
  check(new VarianceScaling({ mode: 'fan_out', inputAxes: [0], outputAxes: [1, 2] }).describe([512, 8, 64]), { fanOut: 512, variance: 1 / 512 });
  assert.throws(() => new VarianceScaling({ inputAxes: [0], outputAxes: [5] }).apply([2, 3]), ShapeError);
});

test('VarianceScaling defaults are Keras 3: scale 1, fan_in, truncated_normal, unseeded', () => {
  const init = new VarianceScaling();
  assert.deepEqual(init.getConfig(), { scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: null });
});

test('aliases: TF.js camelCase modes and distributions, and normal = truncated_normal, are stored in Keras spelling', () => {
  const cases: [VarianceScalingOptions, string, string][] = [
    [{ mode: 'fanIn' }, 'fan_in', 'truncated_normal'],
    [{ mode: 'fanOut', distribution: 'uniform' }, 'fan_out', 'uniform'],
    [{ mode: 'fanAvg', distribution: 'normal' }, 'fan_avg', 'truncated_normal'],
    [{ distribution: 'truncatedNormal' }, 'fan_in', 'truncated_normal'],
    [{ distribution: 'untruncatedNormal' }, 'fan_in', 'untruncated_normal'],
  ];
  for (const [options, mode, distribution] of cases) {
    const init = new VarianceScaling(options);
    assert.equal(init.mode, mode, JSON.stringify(options));
    assert.equal(init.distribution, distribution, JSON.stringify(options));
  }
  // Keras 3 lower-cases the distribution (not the mode).
  assert.equal(new VarianceScaling({ distribution: 'Uniform' as 'uniform' }).distribution, 'uniform');
  assert.equal(new VarianceScaling({ distribution: 'NORMAL' as 'normal' }).distribution, 'truncated_normal');
});

/** Constructs from untyped options, as a JavaScript caller or a JSON config would. */
function make(options: Record<string, unknown>): VarianceScaling {
  return new VarianceScaling(options as VarianceScalingOptions);
}

function throwsValueError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test("the seed's typo 'fav_avg' fails at construction with did-you-mean 'fan_avg'", () => {
  throwsValueError(() => make({ scale: 2, mode: 'fav_avg', distribution: 'uniform' }), /did you mean 'fan_avg'\?/i);
  throwsValueError(
    () => make({ scale: 2, mode: 'fav_avg', distribution: 'uniform' }),
    /received 'fav_avg'; expected one of 'fan_in', 'fan_out', 'fan_avg'/,
  );
});

test('modes are case-sensitive as in Keras 3: FAN_IN is rejected with did-you-mean fan_in', () => {
  throwsValueError(() => make({ mode: 'FAN_IN' }), /received 'FAN_IN'.*did you mean 'fan_in'\?/i);
  throwsValueError(() => make({ mode: 'Fan_Avg' }), /did you mean 'fan_avg'\?/i);
});

test('null, numbers and unrelated strings are not modes; mode is checked before distribution (Keras order)', () => {
  throwsValueError(() => make({ mode: null }), /Invalid VarianceScaling mode: received null/);
  throwsValueError(() => make({ mode: 3 }), /received number 3/);
  throwsValueError(() => make({ mode: 'sideways' }), /expected one of 'fan_in', 'fan_out', 'fan_avg'\.$/);
  throwsValueError(() => make({ mode: 'fan', distribution: 'bad' }), /mode/);
});

test('distribution typos are rejected with the valid names and the nearest one', () => {
  throwsValueError(() => make({ distribution: 'unifrom' }), /received 'unifrom'.*did you mean 'uniform'\?/i);
  throwsValueError(() => make({ distribution: 'truncated_norml' }), /did you mean 'truncated_normal'\?/i);
  throwsValueError(() => make({ distribution: 'gaussian' }), /expected one of 'truncated_normal', 'untruncated_normal', 'uniform', 'normal'/);
  throwsValueError(() => make({ distribution: null }), /distribution: received null/);
});

test('scale must be a finite number > 0; the message says what was received', () => {
  for (const [scale, shown] of [
    [0, 'number 0'],
    [-1, 'number -1'],
    [NaN, 'number NaN'],
    [Infinity, 'number Infinity'],
    ['2', "'2'"],
    [null, 'null'],
  ] as const) {
    throwsValueError(() => make({ scale }), new RegExp(`Invalid VarianceScaling scale: received ${shown}; expected a finite number > 0`));
  }
  assert.equal(new VarianceScaling({ scale: 1e-6 }).scale, 1e-6);
});

test('seed must be an integer, undefined or null; axes must be integer arrays', () => {
  throwsValueError(() => make({ seed: 1.5 }), /seed: received 1\.5; expected an integer/);
  throwsValueError(() => make({ seed: '42' }), /seed/);
  throwsValueError(() => new HeNormal({ seed: NaN }), /Invalid HeNormal seed/);
  assert.equal(make({ seed: null }).seed, null);
  assert.equal(make({ seed: 0 }).seed, 0);
  throwsValueError(() => make({ inputAxes: ['a'], outputAxes: [1] }), /Invalid VarianceScaling inputAxes/);
  throwsValueError(() => make({ outputAxes: [0.5] }), /outputAxes/);
});

test('presets take only seed and axes: an untyped scale or mode is rejected, not ignored (it cannot change the recipe)', () => {
  // Before the option-key checks this was silently ignored (scale 2 kept): a user trial's fault.
  throwsValueError(() => new HeNormal({ seed: 1, scale: 7, mode: 'fan_out' } as never), /HeNormal: unknown option 'scale'.*'seed', 'inputAxes', 'outputAxes'.*VarianceScaling/);
  assert.equal(new HeNormal({ seed: 1 }).scale, 2);
  assert.equal(new HeNormal({ seed: 1 }).mode, 'fan_in');
  assert.equal(new HeNormal({ seed: 1 }).distribution, 'truncated_normal');
});
