// Conformance of the convolution kernels (im2col, col2im, pool2d, pool2dBackward, biasActivation,
// biasActivationBackward, and unary/unaryBackward, which the native backend serves with the same
// epilogue loops) of every registered backend with the TypeScript oracle, on odd window
// geometries: both paddings and explicit padding, strides, dilations, 1x1, a window larger than
// the input with 'same' padding, batch 1 and an empty batch, channels 1, 3 and 5. im2col, col2im
// and pooling must give the oracle's bits (same loops, same float roundings); the activation
// epilogue is allowed 1e-6 relative (the C library's exp/tanh against V8's), the bias gradient
// 1e-6 of the sum of magnitudes (partial sums in another order). The native kernels must give the
// same bits for any thread count.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/kernels/native/register.node.js';
import { backendInfo, kernels, resetBackend, setBackend, tsKernels, type Kernels } from '../../src/kernels/index.js';
import { type Conv2DGeometry, type ExplicitPadding, type PaddingMode, conv2dGeometry } from '../../src/core/conv_geometry.js';
import { OUTPUT_DERIVATIVE_OPS, type UnaryOp } from '../../src/kernels/kernels.js';
import { nativeThreads, setNativeThreads } from '../../src/kernels/native/index.node.js';

type ConvKernels = Pick<Kernels, 'im2col' | 'col2im' | 'pool2d' | 'pool2dBackward' | 'biasActivation' | 'biasActivationBackward' | 'unary' | 'unaryBackward'>;
const NAMES = ['im2col', 'col2im', 'pool2d', 'pool2dBackward', 'biasActivation', 'biasActivationBackward', 'unary', 'unaryBackward'] as const;

/** Uniform values in [-1, 1), quantized to multiples of 1/4 when `ties` (so pooling windows hold ties). */
function randomArray(n: number, seed: number, ties = false): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = s / 2 ** 31 - 1;
    x[i] = ties ? Math.round(v * 4) / 4 : v;
  }
  return x;
}

interface Case { x: [number, number, number, number]; k: [number, number]; s: [number, number]; d: [number, number]; p: PaddingMode | ExplicitPadding }
const CASES: Case[] = [];
for (const p of ['valid', 'same', [1, 0, 2, 1]] as const) {
  for (const [s, d] of [[[1, 1], [1, 1]], [[2, 2], [1, 1]], [[2, 3], [1, 1]], [[1, 1], [2, 2]], [[1, 2], [2, 1]]] as [[number, number], [number, number]][]) {
    CASES.push({ x: [2, 7, 6, 3], k: [3, 2], s, d, p });
  }
}
CASES.push(
  { x: [1, 5, 5, 1], k: [1, 1], s: [1, 1], d: [1, 1], p: 'valid' },   // 1x1, batch 1, one channel
  { x: [3, 4, 4, 5], k: [1, 1], s: [2, 2], d: [1, 1], p: 'same' },    // 1x1 strided
  { x: [2, 2, 3, 3], k: [5, 4], s: [1, 1], d: [1, 1], p: 'same' },    // window larger than the input
  { x: [2, 3, 2, 2], k: [3, 3], s: [2, 2], d: [2, 2], p: 'same' },    // dilated window past the input
  { x: [0, 6, 6, 3], k: [3, 3], s: [1, 1], d: [1, 1], p: 'valid' },   // empty batch
  { x: [4, 28, 28, 1], k: [3, 3], s: [1, 1], d: [1, 1], p: 'valid' }, // the convnet's first layer
);

function geometry(c: Case): Conv2DGeometry {
  return conv2dGeometry(c.x, c.k, c.s, c.d, c.p, 'test');
}

function describeCase(c: Case): string {
  return `x [${c.x}] k ${c.k.join('x')} s ${c.s.join('x')} d ${c.d.join('x')} p ${JSON.stringify(c.p)}`;
}

/** Runs every kernel on every case; returns the outputs by name (NaN-filled outputs, so unwritten entries show). */
function runAll(k: ConvKernels): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  CASES.forEach((c, ci) => {
    const g = geometry(c);
    const inSize = g.batch * g.inH * g.inW * g.inC;
    const colSize = g.batch * g.outH * g.outW * g.kH * g.kW * g.inC;
    const poolSize = g.batch * g.outH * g.outW * g.inC;
    const x = randomArray(inSize, 1 + ci, true);
    const tag = describeCase(c);
    out.set(`im2col ${tag}`, k.im2col(x, g, new Float32Array(colSize).fill(NaN)) as Float32Array);
    out.set(`col2im ${tag}`, k.col2im(randomArray(colSize, 50 + ci), g, new Float32Array(inSize).fill(NaN)) as Float32Array);
    for (const op of ['max', 'avg'] as const) {
      out.set(`pool2d ${op} ${tag}`, k.pool2d(op, x, g, new Float32Array(poolSize).fill(NaN)) as Float32Array);
      out.set(`pool2dBackward ${op} ${tag}`, k.pool2dBackward(op, x, randomArray(poolSize, 90 + ci), g, new Float32Array(inSize).fill(NaN)) as Float32Array);
    }
  });
  return out;
}

/** [rows, channels]: one row, odd widths, a block boundary of the native bias sum (256 rows), empty. */
const EPILOGUE_SHAPES = [[1, 1], [7, 5], [300, 33], [1000, 64], [0, 4]] as const;
const ALPHA: Partial<Record<UnaryOp, number>> = { elu: 1, leaky_relu: 0.2 };
const ACTIVATIONS: readonly UnaryOp[] = OUTPUT_DERIVATIVE_OPS.filter((op) => op !== 'sqrt' && op !== 'reciprocal');

function assertClose(got: Float32Array, want: Float32Array, tol: (i: number) => number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    if (Number.isNaN(want[i])) { assert.ok(Number.isNaN(got[i]), `${what}[${i}]: expected NaN, got ${got[i]}`); continue; }
    assert.ok(Math.abs(got[i] - want[i]) <= tol(i), `${what}[${i}]: expected ${want[i]}, got ${got[i]}`);
  }
}

function checkEpilogue(k: ConvKernels, backend: string): void {
  for (const [rows, channels] of EPILOGUE_SHAPES) {
    const x = randomArray(rows * channels, 3);
    const bias = randomArray(channels, 4);
    const dy = randomArray(rows * channels, 5);
    for (const act of ACTIVATIONS) {
      const alpha = ALPHA[act] ?? 0;
      for (const b of [bias, null]) {
        const what = `${backend} ${act} [${rows}, ${channels}] bias=${b !== null}`;
        const y = k.biasActivation(x, b, rows, channels, act, alpha, new Float32Array(rows * channels).fill(NaN)) as Float32Array;
        const yRef = tsKernels.biasActivation(x, b, rows, channels, act, alpha) as Float32Array;
        assertClose(y, yRef, (i) => 1e-6 * Math.max(1, Math.abs(yRef[i])), `${what} y`);
        const db = new Float32Array(channels).fill(NaN);
        const dbRef = new Float32Array(channels);
        const dz = k.biasActivationBackward(yRef, dy, rows, channels, act, alpha, db, new Float32Array(rows * channels).fill(NaN)) as Float32Array;
        const dzRef = tsKernels.biasActivationBackward(yRef, dy, rows, channels, act, alpha, dbRef) as Float32Array;
        assertClose(dz, dzRef, (i) => 1e-6 * Math.max(1, Math.abs(dzRef[i])), `${what} dz`);
        // |dz| <= 2 |dy| <= 2 here, so a sum over rows has magnitude at most 2 rows.
        assertClose(db, dbRef, () => 1e-6 * (2 * rows + 1), `${what} db`);
      }
    }
  }
}

/**
 * Element counts for unary/unaryBackward: 1, 91 = 7 x 13 (no power-of-two factor: rows of 1),
 * 12,288 = 3 x 4096, 100,000 = 3125 x 32 (above the native threading grain) and 0.
 */
const UNARY_SIZES = [1, 91, 12288, 100000, 0] as const;
/** alpha values per op: the Keras defaults, and ones whose derivative needs x (elu alpha < 0, leaky_relu alpha 0). */
const UNARY_ALPHAS: Partial<Record<UnaryOp, readonly number[]>> = { elu: [1, -0.5], leaky_relu: [0.2, 0] };

function checkUnary(k: ConvKernels, backend: string): void {
  for (const n of UNARY_SIZES) {
    const x = Float32Array.from(randomArray(n, 6), (v) => 3 * v);
    const dy = randomArray(n, 7);
    for (const op of [...ACTIVATIONS, 'gelu', 'silu'] as const) {
      for (const alpha of UNARY_ALPHAS[op] ?? [0]) {
        const what = `${backend} unary ${op} alpha=${alpha} n=${n}`;
        const yRef = tsKernels.unary(op, x, alpha) as Float32Array;
        assertClose(k.unary(op, x, alpha, new Float32Array(n).fill(NaN)) as Float32Array, yRef, (i) => 1e-6 * Math.max(1, Math.abs(yRef[i])), `${what} y`);
        const inPlace = Float32Array.from(x);
        assert.equal(k.unary(op, inPlace, alpha, inPlace), inPlace, `${what}: in place returns out`);
        assertClose(inPlace, yRef, (i) => 1e-6 * Math.max(1, Math.abs(yRef[i])), `${what} y in place`);
        const dxRef = tsKernels.unaryBackward(op, x, yRef, dy, alpha) as Float32Array;
        const dx = k.unaryBackward(op, x, yRef, dy, alpha, new Float32Array(n).fill(NaN)) as Float32Array;
        assertClose(dx, dxRef, (i) => 1e-6 * Math.max(1, Math.abs(dxRef[i])), `${what} dx`);
      }
    }
  }
}

/** Every backend that runs here; one that lacks a kernel is served by the next below it (checked too). */
const BACKENDS = backendInfo().backends.filter((b) => b.available);
const reference = runAll(tsKernels);

it('the oracle by hand: im2col of a 3x3 one-channel map with a 2x2 window, same padding', () => {
  // x = 1..9 row-major; 'same' with k 2, stride 1: total pad 1, top/left 0, bottom/right 1. The
  // window at (2, 2) holds x[2,2] = 9 and three padding zeros; at (0, 1): [2, 3, 5, 6].
  const g = conv2dGeometry([1, 3, 3, 1], [2, 2], [1, 1], [1, 1], 'same', 't');
  const cols = tsKernels.im2col(Float32Array.from({ length: 9 }, (_, i) => i + 1), g);
  assert.deepEqual([...cols.subarray(4, 8)], [2, 3, 5, 6]);
  assert.deepEqual([...cols.subarray(32, 36)], [9, 0, 0, 0]);
  // col2im of all ones counts the windows covering each pixel: corners (0,0) 1, center 4, (2,2) 4.
  const counts = tsKernels.col2im(new Float32Array(36).fill(1), g);
  assert.deepEqual([...counts], [1, 2, 2, 2, 4, 4, 2, 4, 4]);
  // y = relu(x + b) with b = [1, -3]; db sums the relu-masked dy over the rows.
  const y = tsKernels.biasActivation(new Float32Array([1, 1, -3, 4]), new Float32Array([1, -3]), 2, 2, 'relu', 0);
  assert.deepEqual([...y], [2, 0, 0, 1]);
  const db = new Float32Array(2);
  tsKernels.biasActivationBackward(y, new Float32Array([1, 2, 3, 4]), 2, 2, 'relu', 0, db);
  assert.deepEqual([...db], [1, 4]);
});

for (const { name: backend, kernels: own } of BACKENDS) {
  describe(`${backend} convolution kernels`, () => {
    let k: ConvKernels = tsKernels;
    it('are served by the backend when it is set', () => {
      setBackend(backend);
      for (const name of NAMES) if (own.includes(name)) assert.equal(backendInfo().servedBy[name], backend, name);
      k = Object.fromEntries(NAMES.map((n) => [n, kernels[n]])) as unknown as ConvKernels;
      resetBackend();
    });

    it('im2col, col2im, pool2d and pool2dBackward give the oracle bits on every geometry', () => {
      for (const [what, got] of runAll(k)) assert.deepEqual(got, reference.get(what), `${backend} ${what}`);
    });

    it('biasActivation and its backward match the oracle for every activation, with and without bias', () => {
      checkEpilogue(k, backend);
    });

    it('unary and unaryBackward match the oracle for the activations, in place too, and fall back for the others', () => {
      checkUnary(k, backend);
    });

    if (backend === 'native') {
      it('give the same bits for 1, 2 and 3 threads', () => {
        const threads = nativeThreads();
        try {
          const results = [1, 2, 3].map((t) => {
            setNativeThreads(t);
            const all = runAll(k);
            const y = randomArray(5000 * 32, 8);
            const db = new Float32Array(32);
            all.set('dz', k.biasActivationBackward(y, randomArray(5000 * 32, 9), 5000, 32, 'relu', 0, db, new Float32Array(5000 * 32)) as Float32Array);
            all.set('db', db);
            return all;
          });
          for (const [what, got] of results[0]) {
            assert.deepEqual(results[1].get(what), got, `2 threads ${what}`);
            assert.deepEqual(results[2].get(what), got, `3 threads ${what}`);
          }
        } finally {
          setNativeThreads(threads);
        }
      });
    }
  });
}

describe('ts depthwiseConv2dBackwardFilter against float64', () => {
  it('each filter gradient (a sum of batch outH outW = 200 terms) is within 1e-6 relative + 1e-12 S of float64', () => {
    // x [2, 12, 12, 3], 3x3 valid, multiplier 2: outH = outW = 10; dk[i, j, c, m] = sum_{b, oy, ox}
    // x[b, oy + i, ox + j, c] dy[b, oy, ox, 2c + m]. A float32 running sum of 200 terms errs by ~1e-6 S
    // (S = sum of |terms|, ~50 here), far more than the 1e-12 S a float64 sum (one rounding) may.
    const [batch, h, w, c, m] = [2, 12, 12, 3, 2];
    const g = conv2dGeometry([batch, h, w, c], [3, 3], [1, 1], [1, 1], 'valid', 'test');
    const x = randomArray(batch * h * w * c, 41);
    const dy = randomArray(batch * 10 * 10 * c * m, 42);
    const got = tsKernels.depthwiseConv2dBackwardFilter(x, dy, g, m);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let ch = 0; ch < c; ch++) for (let k = 0; k < m; k++) {
      let want = 0;
      let mag = 0;
      for (let b = 0; b < batch; b++) for (let oy = 0; oy < 10; oy++) for (let ox = 0; ox < 10; ox++) {
        const t = x[((b * h + oy + i) * w + ox + j) * c + ch] * dy[((b * 10 + oy) * 10 + ox) * c * m + ch * m + k];
        want += t;
        mag += Math.abs(t);
      }
      const at = ((i * 3 + j) * c + ch) * m + k;
      assert.ok(Math.abs(got[at] - want) <= 1e-6 * Math.abs(want) + 1e-12 * mag, `dk[${i}, ${j}, ${ch}, ${k}]: float64 gives ${want}, got ${got[at]}`);
    }
  });
});
