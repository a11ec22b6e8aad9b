import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  LecunNormal,
  LecunUniform,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
} from '../../src/initializers/index.js';
import { EXCESS_KURTOSIS, float32Ulp, moments, varianceStandardError } from './moments.js';

/**
 * Statistical checks on a [1000, 1000] kernel (N = 1e6 draws), with tolerances of 5 standard errors
 * (standard errors of a sample of N draws):
 * - variance: SE = v sqrt((kurtosis_excess + 2) / N);
 * - mean: SE = sqrt(v / N);
 * - excess kurtosis: SE ~ sqrt(24 / N) (the normal's; lighter-tailed distributions have less).
 * Every draw is seeded, so the test is deterministic; the tolerances say it is not tuned to the seed.
 */
const SHAPE = [1000, 1000];
const N = 1000 * 1000;
const Z = 5;
const KURTOSIS_SE = Math.sqrt(24 / N);
/** Bound of a corrected truncated normal in units of the target std: 2 / 0.87962566103423978 (section 1). */
const TRUNCATED_BOUND_IN_STDS = 2.273694468677113;

type Distribution = keyof typeof EXCESS_KURTOSIS;

function checkSample(label: string, data: Float32Array, variance: number, distribution: Distribution): void {
  const m = moments(data);
  const kurtosis = EXCESS_KURTOSIS[distribution];
  const varianceTolerance = Z * varianceStandardError(variance, kurtosis, N);
  assert.ok(
    Math.abs(m.variance - variance) <= varianceTolerance,
    `${label}: variance ${m.variance} vs ${variance} (tolerance ${varianceTolerance})`,
  );
  assert.ok(Math.abs(m.mean) <= Z * Math.sqrt(variance / N), `${label}: mean ${m.mean}`);
  assert.ok(
    Math.abs(m.excessKurtosis - kurtosis) <= Z * KURTOSIS_SE,
    `${label}: excess kurtosis ${m.excessKurtosis} vs ${kurtosis} (tolerance ${Z * KURTOSIS_SE})`,
  );
  if (distribution === 'uniform') {
    const limit = Math.sqrt(3 * variance);
    // [-L, L): the lower bound is rounded to float32 (it may be a half ulp below -L), the upper never reached.
    assert.ok(m.min >= Math.fround(-limit), `${label}: min ${m.min} below -L = ${-limit}`);
    assert.ok(m.max < limit, `${label}: max ${m.max} not below L = ${limit}`);
  } else if (distribution === 'truncated_normal') {
    const bound = TRUNCATED_BOUND_IN_STDS * Math.sqrt(variance);
    assert.ok(m.maxAbs <= bound + float32Ulp(bound), `${label}: max |w| ${m.maxAbs} beyond bound ${bound}`);
    // The bound is reached closely: a sampler truncating too early would fail here.
    assert.ok(m.maxAbs > 0.99 * bound, `${label}: max |w| ${m.maxAbs} far inside bound ${bound}`);
  }
}

test('presets on [1000, 1000]: variance scale/fan, mean 0, kurtosis and bounds of their distribution', () => {
  const fan = 1000; // fanIn = fanOut = fan_avg
  const cases = [
    ['glorot_uniform', new GlorotUniform({ seed: 1 }), 1 / fan, 'uniform'],
    ['glorot_normal', new GlorotNormal({ seed: 2 }), 1 / fan, 'truncated_normal'],
    ['he_uniform', new HeUniform({ seed: 3 }), 2 / fan, 'uniform'],
    ['he_normal', new HeNormal({ seed: 4 }), 2 / fan, 'truncated_normal'],
    ['lecun_uniform', new LecunUniform({ seed: 5 }), 1 / fan, 'uniform'],
    ['lecun_normal', new LecunNormal({ seed: 6 }), 1 / fan, 'truncated_normal'],
  ] as const;
  for (const [label, init, variance, distribution] of cases) {
    checkSample(label, init.apply(SHAPE).data as Float32Array, variance, distribution);
  }
});

test('VarianceScaling untruncated_normal is a plain N(0, scale/n): kurtosis 0, no bound', () => {
  const init = new VarianceScaling({ scale: 2, distribution: 'untruncated_normal', seed: 7 });
  const data = init.apply(SHAPE).data as Float32Array;
  checkSample('untruncated_normal', data, 2 / 1000, 'untruncated_normal');
  // With 1e6 draws, some exceed the truncated bound (P(|Z| > 2.27) = 2.3%).
  assert.ok(moments(data).maxAbs > TRUNCATED_BOUND_IN_STDS * Math.sqrt(2 / 1000));
});

test("'normal' is Keras's alias of truncated_normal (variance-corrected, unlike TF.js)", () => {
  const data = new VarianceScaling({ distribution: 'normal', mode: 'fan_avg', seed: 8 }).apply(SHAPE).data as Float32Array;
  checkSample('normal', data, 1 / 1000, 'truncated_normal');
});

test('on a non-square kernel the mode decides the variance (fan_in / fan_out / fan_avg are not swapped)', () => {
  // [200, 1000]: fanIn 200, fanOut 1000, fan_avg 600; N = 2e5.
  const shape = [200, 1000];
  const n = 200 * 1000;
  for (const [mode, fan] of [['fan_in', 200], ['fan_out', 1000], ['fan_avg', 600]] as const) {
    const data = new VarianceScaling({ scale: 2, mode, distribution: 'uniform', seed: 9 }).apply(shape).data;
    const v = 2 / fan;
    const m = moments(data);
    assert.ok(Math.abs(m.variance - v) <= Z * varianceStandardError(v, EXCESS_KURTOSIS.uniform, n), `${mode}: ${m.variance} vs ${v}`);
  }
});

test('float64 draws have the same statistics', () => {
  const data = new HeNormal({ seed: 10 }).apply([500, 400], 'float64').data;
  assert.ok(data instanceof Float64Array);
  const v = 2 / 500;
  const m = moments(data);
  assert.ok(Math.abs(m.variance - v) <= Z * varianceStandardError(v, EXCESS_KURTOSIS.truncated_normal, 2e5));
  assert.ok(m.maxAbs <= TRUNCATED_BOUND_IN_STDS * Math.sqrt(v) * (1 + 1e-12));
});

test('RandomUniform, RandomNormal and TruncatedNormal (not corrected, as Keras) on 2e5 draws', () => {
  const shape = [200, 1000];
  const n = 2e5;
  const uni = moments(new RandomUniform({ minval: -0.5, maxval: 1.5, seed: 11 }).apply(shape).data);
  const uniVar = 4 / 12; // (max - min)^2 / 12
  assert.ok(Math.abs(uni.mean - 0.5) <= Z * Math.sqrt(uniVar / n));
  assert.ok(Math.abs(uni.variance - uniVar) <= Z * varianceStandardError(uniVar, EXCESS_KURTOSIS.uniform, n));
  assert.ok(uni.min >= -0.5 && uni.max < 1.5);

  const normal = moments(new RandomNormal({ mean: 2, stddev: 0.3, seed: 12 }).apply(shape).data);
  assert.ok(Math.abs(normal.mean - 2) <= Z * Math.sqrt(0.09 / n));
  assert.ok(Math.abs(normal.variance - 0.09) <= Z * varianceStandardError(0.09, 0, n));

  // TruncatedNormal(stddev s): variance 0.77374 s^2 (scipy.stats.truncnorm(-2, 2).var()), |w - mean| <= 2 s.
  const s = 0.5;
  const truncated = moments(new TruncatedNormal({ mean: -1, stddev: s, seed: 13 }).apply(shape).data);
  const truncVar = 0.7737413035499232 * s * s;
  assert.ok(Math.abs(truncated.mean + 1) <= Z * Math.sqrt(truncVar / n));
  assert.ok(
    Math.abs(truncated.variance - truncVar) <= Z * varianceStandardError(truncVar, EXCESS_KURTOSIS.truncated_normal, n),
    `TruncatedNormal variance ${truncated.variance} vs ${truncVar}`,
  );
  assert.ok(truncated.min >= -1 - 2 * s - 1e-6 && truncated.max <= -1 + 2 * s + 1e-6);
  assert.equal(new TruncatedNormal({ stddev: s }).bound, 1);
});
