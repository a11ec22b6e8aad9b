// Gradient clipping: keras-team/keras#13575, tensorflow/tensorflow#29108 (values recomputed in float64), the
// validation rules, and deepwell's documented behaviour for non-finite gradients.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Variable } from '../../src/core/tensor.js';
import type { TypedArray } from '../../src/core/dtype.js';
import { clipByGlobalNorm, clipByNorm, clipByValue, clipGradients, globalNorm } from '../../src/optimizers/clipping.js';
import { Adam } from '../../src/optimizers/adam.js';
import { Adagrad } from '../../src/optimizers/adagrad.js';
import { AdamW } from '../../src/optimizers/adamw.js';
import { Adamax } from '../../src/optimizers/adamax.js';
import { Nadam } from '../../src/optimizers/nadam.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { optimizerFromConfig } from '../../src/optimizers/registry.js';

const f64 = (...v: number[]): Float64Array => new Float64Array(v);
const values = (g: TypedArray | null): number[] => (g === null ? [] : Array.from(g));
function near(got: TypedArray | null, expected: number[], tol = 1e-6): void {
  const v = values(got);
  assert.equal(v.length, expected.length);
  v.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) <= tol, `[${i}] ${x} vs ${expected[i]}`));
}

// g1 = [3, 4] (norm 5), g2 = [12] (norm 12); global norm sqrt(25 + 144) = 13.
const g1 = f64(3, 4);
const g2 = f64(12);

test('case 16, clipNorm 1: each tensor separately, g * c / max(||g||, c)', () => {
  const [c1, c2] = clipGradients([g1, g2], { clipNorm: 1 });
  // [3, 4] * 1/5 = [0.6, 0.8]; [12] * 1/12 = [1]. (g * c) / norm, as Keras computes it, is exact here.
  assert.deepEqual(values(c1), [0.6, 0.8]);
  assert.deepEqual(values(c2), [1]);
  // Below the threshold: unchanged (the same array is returned, nothing is copied).
  const small = f64(0.3, 0.4);
  assert.equal(clipGradients([small], { clipNorm: 1 })[0], small);
  assert.equal(clipByNorm(small, 1), small);
});

test('case 16, globalClipNorm 1: all scaled by 1/13', () => {
  const [c1, c2] = clipGradients([g1, g2], { globalClipNorm: 1 });
  near(c1, [0.230769, 0.307692]);
  near(c2, [0.923077]);
  near(c1, [3 / 13, 4 / 13], 1e-15);
  assert.equal(globalNorm([g1, null, g2]), 13);
  // The direction of the whole update is kept: c1 / c2 = g1 / g2.
  assert.ok(Math.abs(c1![0] / c2![0] - 3 / 12) < 1e-15);
});

test('case 16, clipValue 0.5: elementwise, the direction changes', () => {
  const [c1, c2] = clipGradients([g1, g2], { clipValue: 0.5 });
  assert.deepEqual(values(c1), [0.5, 0.5]);
  assert.deepEqual(values(c2), [0.5]);
  assert.deepEqual(values(clipByValue(f64(-3, 0.25, -0.5), 0.5)), [-0.5, 0.25, -0.5]);
});

test('clipping never modifies its inputs; null gradients stay null; no option means no change', () => {
  const a = f64(3, 4);
  const b = f64(12);
  for (const options of [{ clipNorm: 1 }, { globalClipNorm: 1 }, { clipValue: 0.5 }]) {
    const out = clipGradients([a, null, b], options);
    assert.equal(out[1], null);
    assert.deepEqual(values(a), [3, 4]);
    assert.deepEqual(values(b), [12]);
  }
  const out = clipGradients([a, b], {});
  assert.equal(out[0], a);
  assert.equal(out[1], b);
});

test('float32 gradients are clipped into float32 arrays within float32 rounding', () => {
  const [c1, c2] = clipGradients([new Float32Array([3, 4]), new Float32Array([12])], { globalClipNorm: 1 });
  assert.ok(c1 instanceof Float32Array && c2 instanceof Float32Array);
  near(c1, [3 / 13, 4 / 13], 1e-7);
  near(c2, [12 / 13], 1e-7);
});

test('non-finite gradients (documented decision): norm clipping leaves them unchanged, clipValue clips Infinity and keeps NaN', () => {
  const withNaN = f64(Number.NaN, 1);
  const finite = f64(30, 40);
  // Global norm NaN: nothing is rescaled, so the finite gradient is not turned into NaN (Keras/TF would).
  const [a, b] = clipGradients([withNaN, finite], { globalClipNorm: 1 });
  assert.ok(Number.isNaN(a![0]));
  assert.equal(a![1], 1);
  assert.deepEqual(values(b), [30, 40]);
  const [c, d] = clipGradients([f64(Infinity, 1), finite], { globalClipNorm: 1 });
  assert.deepEqual(values(c), [Infinity, 1]);
  assert.deepEqual(values(d), [30, 40]);
  // Per tensor: only the tensor with a non-finite norm is left alone; the other is clipped.
  const [e, f] = clipGradients([withNaN, finite], { clipNorm: 1 });
  assert.ok(Number.isNaN(e![0]));
  near(f, [0.6, 0.8], 1e-15);
  // clipValue: +-Infinity -> +-v (as in every framework), NaN stays NaN.
  const [h] = clipGradients([f64(Infinity, -Infinity, Number.NaN)], { clipValue: 2 });
  assert.deepEqual(values(h).slice(0, 2), [2, -2]);
  assert.ok(Number.isNaN(h![2]));
  assert.ok(Number.isNaN(globalNorm([withNaN])));
  assert.equal(globalNorm([f64(1, Infinity)]), Infinity);
});

test('the global norm of huge finite float64 gradients is finite (rescaled when squares overflow)', () => {
  const g = f64(3e200, 4e200);
  assert.ok(Math.abs(globalNorm([g]) / 5e200 - 1) < 1e-15);
  near(clipByGlobalNorm([g], 1)[0], [0.6, 0.8], 1e-15);
});

const OPTIMIZERS = [SGD, Adagrad, RMSprop, Adam, AdamW, Adamax, Nadam] as const;

test('every optimizer validates clipping: finite > 0, and at most one option', () => {
  for (const Cls of OPTIMIZERS) {
    for (const key of ['clipValue', 'clipNorm', 'globalClipNorm'] as const) {
      for (const bad of [0, -1, Number.NaN, Infinity]) {
        assert.throws(() => new Cls({ [key]: bad }), (e: unknown) => e instanceof ValueError && e.message.includes(key) && e.message.includes(String(bad)), `${Cls.className} ${key} ${bad}`);
      }
      assert.equal(new Cls({ [key]: 2 })[key], 2);
    }
    // Any two at once: Keras 3 rejects them too; the message names both and what to do.
    for (const pair of [{ clipNorm: 1, globalClipNorm: 1 }, { clipNorm: 1, clipValue: 1 }, { clipValue: 1, globalClipNorm: 1 }]) {
      assert.throws(() => new Cls(pair), (e: unknown) => e instanceof ValueError && /only one of clipValue, clipNorm and globalClipNorm/.test(e.message), `${Cls.className} ${JSON.stringify(pair)}`);
    }
    // null (as a Keras config writes it) means not set.
    assert.equal(new Cls({ clipNorm: null as unknown as number, clipValue: 0.5 }).clipValue, 0.5);
  }
  assert.throws(() => clipGradients([g1], { clipNorm: 1, clipValue: 1 }), ValueError);
});

test('conflicting clipping is rejected on load too', () => {
  assert.throws(
    () => optimizerFromConfig({ className: 'Adam', config: { learningRate: 0.001, clipNorm: 1, globalClipNorm: 1 } }),
    (e: unknown) => e instanceof ValueError && /only one of/.test(e.message),
  );
  assert.throws(() => optimizerFromConfig({ className: 'SGD', config: { clipNorm: -1 } }), ValueError);
});

test('the optimizer clips before updating (globalClipNorm through SGD)', () => {
  // lr 1, globalClipNorm 1: the update is exactly -(g / 13).
  const w1 = new Variable(f64(0, 0), [2], 'w1');
  const w2 = new Variable(f64(0), [1], 'w2');
  new SGD({ learningRate: 1, globalClipNorm: 1 }).applyGradients([f64(3, 4), f64(12)], [w1, w2]);
  near(w1.data, [-3 / 13, -4 / 13], 1e-15);
  near(w2.data, [-12 / 13], 1e-15);
  // The frozen weight's gradient neither moves it nor counts in the global norm.
  const w3 = new Variable(f64(0, 0), [2], 'w3');
  const frozen = new Variable(f64(0), [1], 'frozen', false);
  new SGD({ learningRate: 1, globalClipNorm: 1 }).applyGradients([f64(3, 4), f64(12)], [w3, frozen]);
  near(w3.data, [-0.6, -0.8], 1e-15);
  assert.equal(frozen.data[0], 0);
});
