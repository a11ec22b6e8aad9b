// The TypeScript kernels (the oracle) against naive reference implementations written here:
// every output element computed from its multi-index, with no fast paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TypedArray } from '../../src/core/dtype.js';
import { BINARY_OPS, type BinaryOp, UNARY_OPS, type UnaryOp } from '../../src/kernels/kernels.js';
import { tsKernels as K } from '../../src/kernels/ts/index.js';
import { OUTPUT_DERIVATIVE_OPS } from '../../src/kernels/kernels.js';
import { GELU_TANH_C, GELU_TANH_K, SELU_ALPHA, SELU_SCALE, erf, erfc } from '../../src/kernels/ts/unary.js';

type Shape = readonly number[];

const size = (s: Shape): number => s.reduce((p, d) => p * d, 1);
const strides = (s: Shape): number[] => {
  const r = new Array<number>(s.length);
  let k = 1;
  for (let i = s.length - 1; i >= 0; i--) {
    r[i] = k;
    k *= s[i];
  }
  return r;
};
/** The multi-index of flat position `k` in shape `s`. */
const unravel = (k: number, s: Shape): number[] => {
  const st = strides(s);
  return s.map((d, i) => Math.floor(k / st[i]) % d);
};
const ravel = (idx: readonly number[], s: Shape): number => {
  const st = strides(s);
  return idx.reduce((p, v, i) => p + v * st[i], 0);
};

/** Element equality that treats NaN as equal to NaN (and 0 as equal to -0). */
function assertSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!(a === e || (Number.isNaN(a) && Number.isNaN(e)))) assert.fail(`${what}: element ${i} is ${a}, expected ${e}`);
  }
}

/** Deterministic test data: distinct non-zero values in about [-3, 3], in the given dtype. */
function data(n: number, seed: number, f64 = true): TypedArray {
  const a = f64 ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.sin(seed * 7.31 + i * 1.618) * 3 + (i % 2 === 0 ? 0.05 : -0.05);
  return a;
}

const REF_BINARY: { [K in BinaryOp]: (a: number, b: number) => number } = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  pow: (a, b) => Math.pow(a, b),
  greater: (a, b) => (a > b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
};

function refBroadcastShape(a: Shape, b: Shape): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, i) => {
    const da = a[i - (r - a.length)] ?? 1;
    const db = b[i - (r - b.length)] ?? 1;
    return da === 1 ? db : da;
  });
}

/** The flat index into `inShape` for output multi-index `idx` (broadcast dims read index 0). */
function broadcastFlat(idx: readonly number[], inShape: Shape): number {
  const off = idx.length - inShape.length;
  return ravel(inShape.map((d, i) => (d === 1 ? 0 : idx[off + i])), inShape);
}

function refBinary(op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, f32: boolean): { out: number[]; shape: number[] } {
  const shape = refBroadcastShape(aShape, bShape);
  const out = Array.from({ length: size(shape) }, (_, k) => {
    const idx = unravel(k, shape);
    const v = REF_BINARY[op](a[broadcastFlat(idx, aShape)], b[broadcastFlat(idx, bShape)]);
    return f32 ? Math.fround(v) : v;
  });
  return { out, shape };
}

const BINARY_SHAPES: [Shape, Shape][] = [
  [[2, 3], [3]], // bias-like suffix
  [[3], [2, 3]], // the same, swapped
  [[2, 1, 4], [3, 1]], // both broadcast
  [[3, 1], [2, 1, 4]],
  [[1], [5]], // scalar-like a
  [[5], [1]], // scalar-like b
  [[], [2, 2]], // rank-0 a
  [[0, 3], [3]], // empty output
  [[2, 3], [2, 3]], // same shape (hot loops of add, sub, mul)
  [[2, 1], [1, 4]],
];

test('binary: every op and broadcast pattern equals the naive reference (float64 and float32)', () => {
  for (const op of BINARY_OPS) {
    for (const [sa, sb] of BINARY_SHAPES) {
      for (const f64 of [true, false]) {
        let a = data(size(sa), 1, f64);
        const b = data(size(sb), 2, f64);
        // pow: positive bases so results are real; equal: make some elements equal.
        if (op === 'pow') a = a.map((v) => Math.abs(v) + 0.1);
        if (op === 'equal' || op === 'greater') for (let i = 0; i < Math.min(a.length, b.length); i += 2) a[i] = b[i];
        const ref = refBinary(op, a, sa, b, sb, !f64);
        const got = K.binary(op, a, sa, b, sb, ref.shape);
        assert.equal(got instanceof Float64Array, f64, `${op} keeps the dtype of a`);
        assertSame(got, ref.out, `${op} ${JSON.stringify(sa)} ${JSON.stringify(sb)} ${f64 ? 'f64' : 'f32'}`);
      }
    }
  }
});

test('binary: maximum and minimum propagate NaN from either side', () => {
  const a = new Float64Array([Number.NaN, 1, Number.NaN]);
  const b = new Float64Array([2, Number.NaN, Number.NaN]);
  for (const op of ['maximum', 'minimum'] as const) {
    const got = K.binary(op, a, [3], b, [3], [3]);
    assert.ok([...got].every(Number.isNaN), `${op}: ${[...got]}`);
  }
  // greater and equal with NaN are 0 (IEEE comparisons are false).
  assertSame(K.binary('greater', a, [3], b, [3], [3]), [0, 0, 0], 'greater NaN');
  assertSame(K.binary('equal', a, [3], a, [3], [3]), [0, 1, 0], 'equal NaN');
});

test('binary writes into a preallocated out', () => {
  const out = new Float64Array(6);
  const r = K.binary('add', data(6, 1), [2, 3], data(3, 2), [3], [2, 3], out);
  assert.equal(r, out);
  assertSame(out, refBinary('add', data(6, 1), [2, 3], data(3, 2), [3], false).out, 'add into out');
});

test('where: broadcast condition and branches equal the reference', () => {
  const cond = new Float64Array([1, 0]); // [2, 1]
  const a = data(3, 3); // [3]
  const b = data(1, 4); // [] scalar
  const got = K.where(cond, [2, 1], a, [3], b, [], [2, 3]);
  // Row 0 takes a, row 1 takes the scalar b.
  assertSame(got, [a[0], a[1], a[2], b[0], b[0], b[0]], 'where');
  assertSame(K.where(new Float64Array([Number.NaN]), [1], a, [3], b, [], [3]), [...a], 'NaN condition is != 0');
});

// -- reductions -----------------------------------------------------------------------------

function refReduce(op: 'sum' | 'max', x: ArrayLike<number>, shape: Shape, axes: readonly number[]): number[] {
  const outShape = shape.filter((_, i) => !axes.includes(i));
  const out = new Array<number>(size(outShape)).fill(op === 'sum' ? 0 : -Infinity);
  for (let k = 0; k < x.length; k++) {
    const idx = unravel(k, shape);
    const o = ravel(idx.filter((_, i) => !axes.includes(i)), outShape);
    out[o] = op === 'sum' ? out[o] + x[k] : Number.isNaN(out[o]) || Number.isNaN(x[k]) ? Number.NaN : Math.max(out[o], x[k]);
  }
  return out;
}

const subsets = (n: number): number[][] =>
  Array.from({ length: 2 ** n }, (_, m) => Array.from({ length: n }, (_, i) => i).filter((i) => (m >> i) & 1));

test('reduce sum/max over every subset of axes of [2, 3, 4] equals the reference', () => {
  const shape = [2, 3, 4];
  // Integer values (exact sums in any order), with ties and negatives.
  const x = Float64Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5);
  for (const axes of subsets(3)) {
    for (const op of ['sum', 'max'] as const) {
      assertSame(K.reduce(op, x, shape, axes), refReduce(op, x, shape, axes), `${op} over [${axes}]`);
    }
  }
  // float32 input keeps its dtype.
  const y = K.reduce('sum', Float32Array.from(x), shape, [0, 2]);
  assert.ok(y instanceof Float32Array);
  assertSame(y, refReduce('sum', x, shape, [0, 2]), 'sum f32');
});

test('reduce over empty dimensions: sum 0, max -Infinity', () => {
  const e = new Float64Array(0);
  assertSame(K.reduce('sum', e, [2, 0, 3], [1]), new Array(6).fill(0), 'sum middle empty');
  assertSame(K.reduce('max', e, [2, 0, 3], [1]), new Array(6).fill(-Infinity), 'max middle empty');
  assertSame(K.reduce('sum', e, [0, 3], [0]), [0, 0, 0], 'sum leading empty');
  assertSame(K.reduce('max', e, [3, 0], [1]), [-Infinity, -Infinity, -Infinity], 'max trailing empty');
  assertSame(K.reduce('sum', e, [0], [0]), [0], 'sum all of [0]');
  assertSame(K.reduce('max', e, [0], [0]), [-Infinity], 'max all of [0]');
  // Output empty: nothing to write.
  assert.equal(K.reduce('sum', e, [0, 3], [1]).length, 0);
});

test('reduce max propagates NaN on every path (general, leading, trailing), wherever it sits', () => {
  const shape = [2, 3, 4];
  for (const pos of [0, 5, 23]) {
    const x = Float64Array.from({ length: 24 }, (_, i) => i);
    x[pos] = Number.NaN;
    for (const axes of [[0], [2], [1], [0, 2], [1, 2], [0, 1], [0, 1, 2]]) {
      const got = K.reduce('max', x, shape, axes);
      const ref = refReduce('max', x, shape, axes);
      assertSame(got, ref, `max over [${axes}] with NaN at ${pos}`);
      assert.ok([...got].some(Number.isNaN), `NaN lost over [${axes}]`);
    }
  }
});

// -- layout ---------------------------------------------------------------------------------

test('transpose: all 6 permutations of [2, 3, 4] equal the reference', () => {
  const shape = [2, 3, 4];
  const x = Float64Array.from({ length: 24 }, (_, i) => i);
  const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  for (const perm of perms) {
    const outShape = perm.map((p) => shape[p]);
    const ref = Array.from({ length: 24 }, (_, k) => {
      const o = unravel(k, outShape); // out[o] = x[i] with i[perm[d]] = o[d]
      const i = new Array<number>(3);
      perm.forEach((p, d) => (i[p] = o[d]));
      return x[ravel(i, shape)];
    });
    assertSame(K.transpose(x, shape, perm), ref, `perm [${perm}]`);
  }
  // The rank-2 fast path.
  assertSame(K.transpose(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3], [1, 0]), [1, 4, 2, 5, 3, 6], '2-D');
});

test('slice: blocks of [2, 3, 4] equal the reference', () => {
  const shape = [2, 3, 4];
  const x = Float64Array.from({ length: 24 }, (_, i) => i);
  const cases: [number[], number[]][] = [
    [[0, 0, 0], [2, 3, 4]],
    [[1, 1, 1], [1, 2, 3]],
    [[0, 2, 0], [2, 1, 4]],
    [[0, 0, 3], [2, 3, 1]],
    [[1, 0, 2], [1, 3, 2]],
    [[0, 1, 0], [2, 0, 4]], // empty
  ];
  for (const [begin, sz] of cases) {
    const ref = Array.from({ length: size(sz) }, (_, k) => x[ravel(unravel(k, sz).map((v, d) => v + begin[d]), shape)]);
    assertSame(K.slice(x, shape, begin, sz), ref, `slice ${begin} ${sz}`);
  }
  assertSame(K.slice(Float64Array.from([5, 6, 7]), [3], [1], [2]), [6, 7], '1-D');
});

test('concat along each axis equals the reference', () => {
  const base = [2, 3, 4];
  for (let axis = 0; axis < 3; axis++) {
    const shapes = [1, 2, 3].map((extent) => base.map((d, i) => (i === axis ? extent : d)));
    const xs = shapes.map((s, j) => Float64Array.from({ length: size(s) }, (_, i) => 100 * j + i));
    const outShape = base.map((d, i) => (i === axis ? 6 : d));
    const ref = Array.from({ length: size(outShape) }, (_, k) => {
      const idx = unravel(k, outShape);
      let j = 0;
      let pos = idx[axis];
      while (pos >= shapes[j][axis]) pos -= shapes[j++][axis];
      const local = idx.map((v, d) => (d === axis ? pos : v));
      return xs[j][ravel(local, shapes[j])];
    });
    assertSame(K.concat(xs, shapes, axis), ref, `concat axis ${axis}`);
  }
  // An empty part contributes nothing.
  const got = K.concat([Float64Array.from([1, 2]), new Float64Array(0)], [[1, 2], [0, 2]], 0);
  assertSame(got, [1, 2], 'concat with an empty part');
});

test('oneHot: rows for valid indices, zero rows for out-of-range or non-integer ones', () => {
  const got = K.oneHot([0, 2, 3, -1, 1.5, 1], 3);
  assertSame(got, [
    1, 0, 0,
    0, 0, 1,
    0, 0, 0, // 3 >= depth
    0, 0, 0, // -1
    0, 0, 0, // 1.5
    0, 1, 0,
  ], 'oneHot');
  // A reused out buffer is cleared first.
  const out = new Float64Array(6).fill(7);
  assertSame(K.oneHot([1, 5], 3, out), [0, 1, 0, 0, 0, 0], 'oneHot into dirty out');
});

// -- unary ----------------------------------------------------------------------------------

const ALPHA = 0.3;
const REF_UNARY: { [K in UnaryOp]: (x: number) => number } = {
  linear: (x) => x,
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  square: (x) => x * x,
  reciprocal: (x) => 1 / x,
  sign: Math.sign,
  step: (x) => (x > 0 ? 1 : 0),
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  elu: (x) => (x > 0 ? x : ALPHA * (Math.exp(x) - 1)),
  selu: (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)),
  leaky_relu: (x) => (x > 0 ? x : ALPHA * x),
  softplus: (x) => Math.log(1 + Math.exp(x)),
  // No closed form in Math: values from mpmath at 50 digits (mp.dps = 50), at the inputs below.
  gelu: (x) => MPMATH[`gelu(${x})`],
  // 0.5 x (1 + tanh u) = x sigmoid(2u) (the kernel's form, free of cancellation; mpmath values agree below).
  gelu_tanh: (x) => x / (1 + Math.exp(-2 * GELU_TANH_C * (x + GELU_TANH_K * x ** 3))),
  silu: (x) => x / (1 + Math.exp(-x)),
  mish: (x) => x * Math.tanh(Math.log1p(Math.exp(x))),
};

/**
 * Reference values from mpmath 1.3 with mp.dps = 50, rounded to float64:
 * gelu(x) = x/2 erfc(-x/sqrt 2); gelu_tanh(x) = x/2 (1 + tanh(sqrt(2/pi)(x + 0.044715 x^3)));
 * silu(x) = x/(1 + e^-x); mish(x) = x tanh(log(1 + e^x)); gelu'(x) = ncdf(x) + x npdf(x).
 */
const MPMATH: Record<string, number> = {
  'gelu(-2.5)': -0.015524163314440337, 'gelu(-0.7)': -0.1693745565561511, 'gelu(-0.1)': -0.0460172162722971,
  'gelu(0.2)': 0.11585194188782061, 'gelu(0.9)': 0.7343458871879165, 'gelu(3.1)': 3.097000430039023,
  'gelu(-1)': -0.15865525393145705, 'gelu(1)': 0.8413447460685429, 'gelu(-5)': -1.4332578593959695e-06,
  'gelu(-10)': -7.619853024160526e-23, 'gelu(-20)': -5.507248237212468e-88, 'gelu(20)': 20, 'gelu(-37)': -2.1184613523340935e-298,
  "gelu'(-1)": -0.0833154705876863, "gelu'(0)": 0.5, "gelu'(0.5)": 0.8674951246561629, "gelu'(-5)": -7.146946001792295e-06, "gelu'(3)": 1.011945647204184,
  'gelu_tanh(-2.5)': -0.015084266089998582, 'gelu_tanh(-0.7)': -0.16942986529488324, 'gelu_tanh(-0.1)': -0.046017248954564834,
  'gelu_tanh(0.2)': 0.11585142978210627, 'gelu_tanh(0.9)': 0.7342284887097206, 'gelu_tanh(3.1)': 3.09737338976945,
  'gelu_tanh(-1)': -0.1588080093917233, 'gelu_tanh(1)': 0.8411919906082767,
  'silu(-2.5)': -0.18964545005310887, 'silu(-0.7)': -0.23226855948228373, 'silu(-0.1)': -0.047502081252106004,
  'silu(0.2)': 0.10996679946249559, 'silu(0.9)': 0.6398545523625035, 'silu(3.1)': 2.966367509682633, 'silu(-30)': -2.8072868906517896e-12,
  'mish(-2.5)': -0.19681620390653334, 'mish(-0.7)': -0.267870234795501, 'mish(-0.1)': -0.056788575212844736,
  'mish(0.2)': 0.13259900186215923, 'mish(0.9)': 0.7612059289525153, 'mish(3.1)': 3.0885003094753043,
  'mish(-30)': -2.807286890651921e-12, 'mish(1)': 0.8650983882673103,
};

test('unary: every op equals its textbook formula on moderate inputs', () => {
  const xs = Float64Array.from([-2.5, -0.7, -0.1, 0.2, 0.9, 3.1]);
  const pos = Float64Array.from([0.1, 0.5, 1, 2.5, 7]);
  for (const op of UNARY_OPS) {
    const x = op === 'log' || op === 'sqrt' ? pos : xs;
    const got = K.unary(op, x, ALPHA);
    for (let i = 0; i < x.length; i++) {
      const e = REF_UNARY[op](x[i]);
      assert.ok(Math.abs(got[i] - e) <= 1e-14 * Math.max(1, Math.abs(e)), `${op}(${x[i]}) = ${got[i]}, expected ${e}`);
    }
  }
  // SELU constants (Klambauer et al. 2017).
  assert.ok(Math.abs(SELU_ALPHA - 1.6732632423543772) < 1e-15);
  assert.ok(Math.abs(SELU_SCALE - 1.0507009873554805) < 1e-15);
});

test('unary relu and step keep NaN; relu(0) = 0, step(0) = 0', () => {
  const x = Float64Array.from([Number.NaN, 0, -0, 2, -3]);
  assertSame(K.unary('relu', x), [Number.NaN, 0, 0, 2, 0], 'relu');
  assertSame(K.unary('step', x), [Number.NaN, 0, 0, 1, 0], 'step');
});

test('unaryBackward: relu\'(0) = 0, and the stated kinks', () => {
  const x = Float64Array.from([-1, 0, 2]);
  const dy = Float64Array.from([5, 5, 5]);
  assertSame(K.unaryBackward('relu', x, K.unary('relu', x), dy), [0, 0, 5], "relu'");
  assertSame(K.unaryBackward('abs', x, K.unary('abs', x), dy), [-5, 0, 5], "abs'");
  assertSame(K.unaryBackward('step', x, K.unary('step', x), dy), [0, 0, 0], "step'");
  assertSame(K.unaryBackward('sign', x, K.unary('sign', x), dy), [0, 0, 0], "sign'");
  // leaky_relu'(0) takes the negative-side slope (y = 0 is not > 0).
  assertSame(K.unaryBackward('leaky_relu', x, K.unary('leaky_relu', x, 0.2), dy, 0.2), [1, 1, 5], "leaky_relu'");
});

test('sigmoid is stable at +-1000: finite, exactly 0 and 1; its gradient there is 0', () => {
  const x = Float64Array.from([-1000, 1000, -50, 0]);
  const y = K.unary('sigmoid', x);
  assertSame([y[0], y[1], y[3]], [0, 1, 0.5], 'sigmoid');
  // sigmoid(-50) = e^-50 / (1 + e^-50) = 1.9287498479639178e-22, no underflow to 0.
  assert.ok(Math.abs(y[2] / 1.9287498479639178e-22 - 1) < 1e-15, String(y[2]));
  const f32 = K.unary('sigmoid', Float32Array.from([-1000, 1000]));
  assertSame(f32, [0, 1], 'sigmoid f32');
  assertSame(K.unaryBackward('sigmoid', x, y, Float64Array.from([1, 1, 1, 1])).subarray(0, 2), [0, 0], "sigmoid'(+-1000)");
});

test('softplus does not overflow: softplus(1000) = 1000, softplus(-1000) = 0, finite', () => {
  const y = K.unary('softplus', Float64Array.from([1000, -1000, 0]));
  assert.equal(y[0], 1000);
  assert.ok(Number.isFinite(y[1]) && y[1] >= 0 && y[1] < 1e-300, String(y[1]));
  assert.ok(Math.abs(y[2] - Math.LN2) < 1e-16);
  // softplus'(x) = sigmoid(x): 1 at 1000, 0 at -1000, 1/2 at 0.
  const g = K.unaryBackward('softplus', null, y, Float64Array.from([1, 1, 1]));
  assert.equal(g[0], 1);
  assert.ok(Math.abs(g[1]) < 1e-300);
  assert.ok(Math.abs(g[2] - 0.5) < 1e-15);
  assertSame(K.unary('softplus', Float32Array.from([1000])), [1000], 'softplus f32');
});

// -- erf and the smooth activations -------------------------------------------------------

const relErr = (got: number, want: number): number => (want === 0 ? Math.abs(got) : Math.abs(got / want - 1));

test('erf and erfc (Cody 1969) match mpmath to a few ulps, tails included', () => {
  // mpmath 1.3, mp.dps = 50, rounded to float64.
  const ERF: [number, number][] = [
    [1e-10, 1.1283791670955126e-10], [0.1, 0.1124629160182849], [0.3, 0.32862675945912745], [0.46875, 0.49261347321793797],
    [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527], [3.5, 0.9999992569016276],
    [4, 0.9999999845827421], [5, 0.9999999999984626], [-0.7, -0.6778011938374184], [6, 1],
  ];
  const ERFC: [number, number][] = [
    [0.2, 0.7772974107895215], [0.5, 0.4795001221869535], [1, 0.15729920705028513], [2, 0.004677734981047266],
    [4, 1.541725790028002e-08], [5, 1.537459794428035e-12], [10, 2.088487583762545e-45], [20, 5.395865611607901e-176],
    [26, 5.663192408856143e-296], [-1, 1.8427007929497148], [-3, 1.9999779095030015],
  ];
  for (const [x, want] of ERF) assert.ok(relErr(erf(x), want) <= 4e-16, `erf(${x}) = ${erf(x)}, mpmath ${want}`);
  for (const [x, want] of ERFC) assert.ok(relErr(erfc(x), want) <= 1e-15, `erfc(${x}) = ${erfc(x)}, mpmath ${want}`);
  // Symmetry, limits, NaN.
  assert.equal(erf(-2), -erf(2));
  assert.equal(erf(Infinity), 1);
  assert.equal(erf(-Infinity), -1);
  assert.equal(erfc(30), 0);
  assert.equal(erfc(-30), 2);
  assert.ok(Number.isNaN(erf(Number.NaN)) && Number.isNaN(erfc(Number.NaN)));
  // Abramowitz & Stegun 7.1.26 errs by up to 1.5e-7; this must be far better than that everywhere on a grid.
  let worst = 0;
  for (let x = -6; x <= 6; x += 0.01) worst = Math.max(worst, Math.abs(erf(x) + erfc(x) - 1));
  assert.ok(worst < 3e-16, `erf + erfc - 1 up to ${worst}`);
});

test('gelu (exact) matches mpmath in the tails and at +-1 (Keras docs: [-0.15865525, 0, 0.84134475])', () => {
  const xs = [-37, -20, -10, -5, -1, 1, 20];
  const y = K.unary('gelu', Float64Array.from(xs));
  xs.forEach((x, i) => assert.ok(relErr(y[i], MPMATH[`gelu(${x})`]) <= 2e-15, `gelu(${x}) = ${y[i]}, mpmath ${MPMATH[`gelu(${x})`]}`));
  assertSame(K.unary('gelu', Float64Array.from([0, -1000, 1000])), [0, -0, 1000], 'gelu at 0 and +-1000');
  // gelu'(x) = Phi(x) + x phi(x).
  const dxs = [-1, 0, 0.5, -5, 3];
  const g = K.unaryBackward('gelu', Float64Array.from(dxs), K.unary('gelu', Float64Array.from(dxs)), new Float64Array(5).fill(1));
  dxs.forEach((x, i) => assert.ok(relErr(g[i], MPMATH[`gelu'(${x})`]) <= 1e-14, `gelu'(${x}) = ${g[i]}`));
  const far = K.unaryBackward('gelu', Float64Array.from([-Infinity, Infinity]), Float64Array.from([0, Infinity]), Float64Array.from([1, 1]));
  assertSame(far, [0, 1], "gelu'(+-inf)");
});

test('gelu_tanh, silu and mish match mpmath; none overflows or gives NaN at +-1000', () => {
  for (const op of ['gelu_tanh', 'silu', 'mish'] as const) {
    const keys = Object.keys(MPMATH).filter((k) => k.startsWith(`${op}(`));
    const xs = keys.map((k) => Number(k.slice(op.length + 1, -1)));
    const y = K.unary(op, Float64Array.from(xs));
    xs.forEach((x, i) => assert.ok(relErr(y[i], MPMATH[keys[i]]) <= 1e-14, `${op}(${x}) = ${y[i]}, mpmath ${MPMATH[keys[i]]}`));
    const big = Float64Array.from([-1000, 1000]);
    const yb = K.unary(op, big);
    assert.ok(Math.abs(yb[0]) < 1e-300 && yb[1] === 1000, `${op}(+-1000) = ${Array.from(yb)}`);
    const gb = K.unaryBackward(op, big, yb, Float64Array.from([1, 1]));
    assert.ok(Math.abs(gb[0]) < 1e-300 && gb[1] === 1, `${op}'(+-1000) = ${Array.from(gb)}`);
  }
  // The textbook tanh form agrees to rounding on moderate inputs.
  for (const x of [-2.5, -0.7, 0.2, 3.1]) {
    const textbook = 0.5 * x * (1 + Math.tanh(GELU_TANH_C * (x + GELU_TANH_K * x ** 3)));
    assert.ok(Math.abs(K.unary('gelu_tanh', Float64Array.from([x]))[0] - textbook) < 1e-15, String(x));
  }
});

test('unaryBackward: the ops outside OUTPUT_DERIVATIVE_OPS need x, the others accept x = null', () => {
  const x = Float64Array.from([-0.5, 0.7]);
  for (const op of UNARY_OPS) {
    const y = K.unary(op, op === 'log' || op === 'sqrt' ? Float64Array.from([0.5, 0.7]) : x, 0.3);
    if (OUTPUT_DERIVATIVE_OPS.includes(op)) {
      const withX = K.unaryBackward(op, op === 'log' || op === 'sqrt' ? Float64Array.from([0.5, 0.7]) : x, y, Float64Array.from([1, 1]), 0.3);
      assertSame(K.unaryBackward(op, null, y, Float64Array.from([1, 1]), 0.3), withX, `${op}' from y`);
    } else {
      assert.throws(() => K.unaryBackward(op, null, y, Float64Array.from([1, 1])), /needs the input x/, op);
    }
  }
  // With x given, elu and leaky_relu take the branch from x, right even for a negative alpha.
  assertSame(K.unaryBackward('leaky_relu', Float64Array.from([-2]), Float64Array.from([1]), Float64Array.from([1]), -0.5), [-0.5], 'leaky_relu, alpha < 0');
});
