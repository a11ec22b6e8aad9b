import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import {
  GlorotUniform,
  HeNormal,
  HeUniform,
  KaimingNormal,
  KaimingUniform,
  type KaimingOptions,
  type Nonlinearity,
  XavierNormal,
  XavierUniform,
  type XavierOptions,
  calculateFanInAndFanOut,
  calculateGain,
  kaimingNormal,
  kaimingUniform,
  xavierNormal,
  xavierUniform,
} from '../../src/initializers/index.js';
import { EXCESS_KURTOSIS, float32Ulp, moments, varianceStandardError } from './moments.js';

/** 5 standard errors. */
const Z = 5;
/** Bound of Keras's corrected truncated normal in target stds (2 / 0.87962566): PyTorch's normals exceed it. */
const KERAS_TRUNCATED_BOUND_IN_STDS = 2.273694468677113;

function throwsValueError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

// PyTorch torch/nn/init.py, calculate_gain.
test("calculateGain: PyTorch's table", () => {
  for (const name of ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid'] as const) {
    assert.equal(calculateGain(name), 1, name);
  }
  assert.equal(calculateGain('tanh'), 5 / 3);
  assert.equal(calculateGain('relu'), Math.SQRT2);
  // leaky_relu: sqrt(2 / (1 + slope^2)), default slope 0.01 -> 1.4141428569978354 (section 4.9).
  assert.equal(calculateGain('leaky_relu'), Math.sqrt(2 / (1 + 0.01 ** 2)));
  assert.ok(Math.abs(calculateGain('leaky_relu') - 1.4141428569978354) < 1e-15);
  assert.equal(calculateGain('leaky_relu', null), calculateGain('leaky_relu'));
  assert.equal(calculateGain('leaky_relu', 0), Math.SQRT2); // an explicit 0 is a slope, not "default"
  assert.ok(Math.abs(calculateGain('leaky_relu', 0.2) - 1.3867504905630728) < 1e-15); // deepwell's leaky_relu slope
  // a = sqrt(5), PyTorch's default Linear/Conv init: gain sqrt(2 / 6) = sqrt(1/3) = 0.5773502691896257.
  assert.ok(Math.abs(calculateGain('leaky_relu', Math.sqrt(5)) - 0.5773502691896257) < 1e-15);
  assert.equal(calculateGain('selu'), 0.75);
  // param is read only for leaky_relu, as in PyTorch.
  assert.equal(calculateGain('relu', 0.3), Math.SQRT2);
  assert.equal(calculateGain('tanh', 7), 5 / 3);
});

test('calculateGain: unknown nonlinearities and bad slopes throw a ValueError with a useful suggestion', () => {
  const gain = (name: string, param?: unknown): number => calculateGain(name as Nonlinearity, param as number);
  // Edit distance would suggest 'selu' for 'gelu' and 'elu' (gain 3/4 instead of about sqrt(2)).
  throwsValueError(() => gain('gelu'), /received 'gelu'; expected one of 'linear', .*'selu'\. PyTorch's table has no entry for 'gelu'.*Did you mean 'relu'\?/);
  throwsValueError(() => gain('elu'), /Did you mean 'relu'\?/);
  throwsValueError(() => gain('swish'), /Did you mean 'relu'\?/);
  throwsValueError(() => gain('Relu'), /Did you mean 'relu'\?/); // case-sensitive, as PyTorch
  throwsValueError(() => gain('tanhh'), /Did you mean 'tanh'\?/);
  throwsValueError(() => gain('leakyRelu'), /Did you mean 'leaky_relu'\?/);
  throwsValueError(() => gain('identity'), /Did you mean 'linear'\?/);
  throwsValueError(() => gain(''), /Unsupported nonlinearity: received ''/);
  throwsValueError(() => gain(3 as unknown as string), /received number 3/);
  // leaky_relu's slope must be a finite number (PyTorch rejects bool and non-numbers).
  for (const bad of [true, '0.2', NaN, Infinity]) {
    throwsValueError(() => gain('leaky_relu', bad), /calculateGain\('leaky_relu'\): negative slope received .*expected a finite number/);
  }
});

test('calculateFanInAndFanOut: PyTorch [out, in, ...k] vs deepwell [in, out] / [...k, in, out] give the same fans', () => {
  // Linear(256 -> 128): PyTorch weight [128, 256], deepwell kernel [256, 128]; fan_in 256, fan_out 128.
  assert.deepEqual(calculateFanInAndFanOut([128, 256], 'pytorch'), { fanIn: 256, fanOut: 128 });
  assert.deepEqual(calculateFanInAndFanOut([256, 128], 'keras'), { fanIn: 256, fanOut: 128 });
  // Conv2d(16 -> 32, 3x3): [32, 16, 3, 3] vs [3, 3, 16, 32]; rf 9 -> (144, 288).
  assert.deepEqual(calculateFanInAndFanOut([32, 16, 3, 3], 'pytorch'), { fanIn: 144, fanOut: 288 });
  assert.deepEqual(calculateFanInAndFanOut([3, 3, 16, 32], 'keras'), { fanIn: 144, fanOut: 288 });
  // The wrong layout swaps the fans of a non-square matrix: the bug the option exists to prevent.
  assert.deepEqual(calculateFanInAndFanOut([256, 128], 'pytorch'), { fanIn: 128, fanOut: 256 });
  // Rank < 2: PyTorch's ValueError.
  for (const shape of [[], [10]]) {
    throwsValueError(() => calculateFanInAndFanOut(shape, 'pytorch'), /Fan in and fan out can not be computed for a weight of shape .* need rank >= 2/);
    throwsValueError(() => calculateFanInAndFanOut(shape, 'keras'), /rank >= 2/);
  }
  throwsValueError(() => calculateFanInAndFanOut([2, 3], 'torch' as 'pytorch'), /layout: received 'torch'; expected one of 'keras', 'pytorch'\. Did you mean 'pytorch'\?/);
});

test("worked example: PyTorch's default Linear(256 -> 128) init is kaiming_uniform(a = sqrt 5), bound 0.0625, variance 1/768", () => {
  const pytorch = new KaimingUniform({ a: Math.sqrt(5), layout: 'pytorch' }).describe([128, 256]);
  assert.equal(pytorch.fanIn, 256);
  assert.ok(Math.abs((pytorch.limit as number) - 0.0625) < 1e-15);
  assert.ok(Math.abs(pytorch.variance - 0.0013020833333333333) < 1e-15); // 1 / (3 * 256)
  // The same layer as a deepwell kernel [256, 128] with the default layout: the same numbers.
  const keras = new KaimingUniform({ a: Math.sqrt(5) }).describe([256, 128]);
  assert.deepEqual(keras, pytorch);
  // The PyTorch array read with the Keras layout would take fan_in = 128: bound 1/sqrt(128).
  assert.ok(Math.abs((new KaimingUniform({ a: Math.sqrt(5) }).describe([128, 256]).limit as number) - 1 / Math.sqrt(128)) < 1e-15);
});

test('kaiming_uniform(a = sqrt 5) on [128, 256] (pytorch layout): U(-0.0625, 0.0625), variance 1/768 within 5 SE', () => {
  const data = new KaimingUniform({ a: Math.sqrt(5), layout: 'pytorch', seed: 1 }).apply([128, 256]).data;
  const m = moments(data);
  const v = 1 / (3 * 256);
  assert.ok(Math.abs(m.variance - v) <= Z * varianceStandardError(v, EXCESS_KURTOSIS.uniform, data.length), `variance ${m.variance}`);
  assert.ok(m.min >= -0.0625 && m.max < 0.0625, `range [${m.min}, ${m.max}]`);
  assert.ok(m.maxAbs > 0.0625 * 0.999, 'the bound is reached closely');
  assert.ok(Math.abs(m.excessKurtosis - EXCESS_KURTOSIS.uniform) <= Z * Math.sqrt(24 / data.length));
});

test('Xavier and Kaiming sample statistics: variance, bounds and (untruncated) kurtosis within 5 SE', () => {
  // [400, 500]: keras fans (400, 500), pytorch fans (500, 400); N = 2e5.
  const shape = [400, 500];
  const n = 400 * 500;
  const kurtosisTolerance = Z * Math.sqrt(24 / n);
  const cases: [string, { apply(s: number[]): { data: Float32Array | Float64Array } }, number, 'uniform' | 'untruncated_normal'][] = [
    // xavier: std = gain sqrt(2 / (fanIn + fanOut)), layout-independent.
    ['xavier_uniform gain 5/3', new XavierUniform({ gain: 5 / 3, seed: 2 }), (25 / 9) * (2 / 900), 'uniform'],
    ['xavier_normal', new XavierNormal({ seed: 3 }), 2 / 900, 'untruncated_normal'],
    ['xavier_normal pytorch gain 2', new XavierNormal({ gain: 2, layout: 'pytorch', seed: 4 }), 4 * (2 / 900), 'untruncated_normal'],
    // kaiming: std = gain / sqrt(fan).
    ['kaiming_uniform relu fan_in keras', new KaimingUniform({ nonlinearity: 'relu', seed: 5 }), 2 / 400, 'uniform'],
    ['kaiming_uniform relu fan_in pytorch', new KaimingUniform({ nonlinearity: 'relu', layout: 'pytorch', seed: 6 }), 2 / 500, 'uniform'],
    ['kaiming_normal tanh fan_out keras', new KaimingNormal({ nonlinearity: 'tanh', mode: 'fan_out', seed: 7 }), (25 / 9) / 500, 'untruncated_normal'],
    ['kaiming_normal leaky 0.2 fan_out pytorch', new KaimingNormal({ a: 0.2, mode: 'fan_out', layout: 'pytorch', seed: 8 }), (2 / 1.04) / 400, 'untruncated_normal'],
    ['kaiming_normal linear (SELU advice)', new KaimingNormal({ nonlinearity: 'linear', seed: 9 }), 1 / 400, 'untruncated_normal'],
  ];
  for (const [label, init, v, distribution] of cases) {
    const m = moments(init.apply(shape).data);
    const kurtosis = EXCESS_KURTOSIS[distribution];
    assert.ok(Math.abs(m.variance - v) <= Z * varianceStandardError(v, kurtosis, n), `${label}: variance ${m.variance} vs ${v}`);
    assert.ok(Math.abs(m.mean) <= Z * Math.sqrt(v / n), `${label}: mean ${m.mean}`);
    assert.ok(Math.abs(m.excessKurtosis - kurtosis) <= kurtosisTolerance, `${label}: excess kurtosis ${m.excessKurtosis}`);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * v);
      assert.ok(m.min >= -limit - float32Ulp(limit) && m.max < limit, `${label}: range [${m.min}, ${m.max}] vs L ${limit}`);
    } else {
      // PyTorch's normal is not truncated: with 2e5 draws some pass Keras's truncation bound.
      assert.ok(m.maxAbs > KERAS_TRUNCATED_BOUND_IN_STDS * Math.sqrt(v), `${label}: max |w| ${m.maxAbs} looks truncated`);
    }
  }
});

test('equivalences: xavier_uniform(gain 1) = glorot_uniform and kaiming_uniform(relu) = he_uniform, value for value', () => {
  const shape = [30, 70];
  const pairs: [string, Float32Array, Float32Array][] = [
    ['xavier/glorot', new XavierUniform({ seed: 5 }).apply(shape).data as Float32Array, new GlorotUniform({ seed: 5 }).apply(shape).data as Float32Array],
    ['kaiming relu/he', new KaimingUniform({ nonlinearity: 'relu', seed: 5 }).apply(shape).data as Float32Array, new HeUniform({ seed: 5 }).apply(shape).data as Float32Array],
    // PyTorch's defaults (leaky_relu, a = 0) give gain sqrt(2) too.
    ['kaiming default/he', new KaimingUniform({ seed: 5 }).apply(shape).data as Float32Array, new HeUniform({ seed: 5 }).apply(shape).data as Float32Array],
  ];
  for (const [label, a, b] of pairs) {
    // The two limits are computed by different formulas and may differ in the last bit of a double.
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= float32Ulp(b[i] === 0 ? 1e-30 : b[i]), `${label}[${i}]: ${a[i]} vs ${b[i]}`);
  }
  // kaiming_normal has he_normal's variance but not its truncation.
  const kaiming = new KaimingNormal().describe([256, 128]);
  const he = new HeNormal().describe([256, 128]);
  assert.ok(Math.abs(kaiming.variance - he.variance) < 1e-17, `${kaiming.variance} vs ${he.variance}`); // (sqrt(2)/16)^2 vs 2/256
  assert.ok(he.bound !== undefined && kaiming.limit === undefined);
});

test('options are validated at construction: mode (no fan_avg), nonlinearity, a, gain, layout, seed', () => {
  const kaiming = (options: Record<string, unknown>): KaimingUniform => new KaimingUniform(options as KaimingOptions);
  const xavier = (options: Record<string, unknown>): XavierNormal => new XavierNormal(options as XavierOptions);
  throwsValueError(() => kaiming({ mode: 'fan_avg' }), /Invalid KaimingUniform mode: received 'fan_avg'.*PyTorch's kaiming has no 'fan_avg'.*xavierUniform/);
  throwsValueError(() => kaiming({ mode: 'fan_inn' }), /expected one of 'fan_in', 'fan_out'\. Did you mean 'fan_in'\?/);
  throwsValueError(() => kaiming({ mode: null }), /mode: received null/);
  // PyTorch lower-cases the mode; TF.js spellings are read too. Stored in snake_case.
  assert.equal(kaiming({ mode: 'FAN_OUT' }).mode, 'fan_out');
  assert.equal(kaiming({ mode: 'fanOut' }).mode, 'fan_out');
  throwsValueError(() => new KaimingNormal({ nonlinearity: 'gelu' as Nonlinearity }), /Unsupported nonlinearity: received 'gelu'.*Did you mean 'relu'\?/);
  throwsValueError(() => kaiming({ a: NaN }), /Invalid KaimingUniform a: received number NaN/);
  throwsValueError(() => kaiming({ a: '0.1' }), /Invalid KaimingUniform a/);
  throwsValueError(() => xavier({ gain: -1 }), /Invalid XavierNormal gain: received -1; expected a finite number >= 0/);
  throwsValueError(() => xavier({ gain: null }), /Invalid XavierNormal gain: received null/);
  throwsValueError(() => xavier({ layout: 'channels_last' }), /Invalid XavierNormal layout: received 'channels_last'; expected one of 'keras', 'pytorch'/);
  throwsValueError(() => kaiming({ layout: 'Pytorch' }), /Did you mean 'pytorch'\?/);
  throwsValueError(() => xavier({ seed: 0.5 }), /Invalid XavierNormal seed/);
  // Defaults, as PyTorch (a 0, fan_in, leaky_relu, gain 1) with deepwell's layout.
  assert.deepEqual(new KaimingNormal().getConfig(), { a: 0, mode: 'fan_in', nonlinearity: 'leaky_relu', layout: 'keras', seed: null });
  assert.deepEqual(new XavierUniform().getConfig(), { gain: 1, layout: 'keras', seed: null });
  // An explicit gain 0 is honoured: all zeros.
  assert.ok(new XavierUniform({ gain: 0, seed: 1 }).apply([4, 5]).data.every((v) => v === 0));
  assert.ok(new XavierNormal({ gain: 0, seed: 1 }).apply([4, 5]).data.every((v) => v === 0));
});

test('rank < 2 throws as in PyTorch; zero-size weights are left empty', () => {
  for (const init of [new XavierUniform(), new XavierNormal(), new KaimingUniform(), new KaimingNormal({ layout: 'pytorch' })]) {
    throwsValueError(() => init.apply([10]), /Fan in and fan out can not be computed for a weight of shape \[10\] \(rank 1\)/);
    throwsValueError(() => init.apply([]), /rank 0/);
    assert.equal(init.apply([0, 7]).data.length, 0);
    assert.equal(init.apply([3, 0, 2]).data.length, 0);
  }
});

test('the factories return instances with the given options', () => {
  assert.ok(xavierUniform({ gain: 2 }) instanceof XavierUniform);
  assert.equal(xavierUniform({ gain: 2 }).gain, 2);
  assert.ok(xavierNormal() instanceof XavierNormal);
  assert.equal(kaimingUniform({ a: Math.sqrt(5), layout: 'pytorch' }).layout, 'pytorch');
  assert.equal(kaimingNormal({ mode: 'fan_out', nonlinearity: 'relu' }).mode, 'fan_out');
  // TSDoc examples.
  assert.ok(Math.abs((new XavierUniform({ gain: calculateGain('tanh') }).describe([256, 128]).limit as number) - 0.2083333333) < 1e-10);
  assert.ok(Math.abs(new XavierNormal().describe([256, 128]).stddev - 0.0721687836) < 1e-10);
  assert.ok(Math.abs(new KaimingNormal({ nonlinearity: 'relu' }).describe([256, 128]).stddev - 0.0883883476) < 1e-10);
});
