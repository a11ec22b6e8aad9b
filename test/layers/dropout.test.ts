// Dropout, AlphaDropout and MCDropout: the MC-dropout case of keras-team/keras#9412 (Dropout(0.5) on
// ones([1, 1000])), seeds, noise shapes, the rate checks, and AlphaDropout's mean and variance.
// (That case's leak check - 100 MC passes in a tidy scope leave the live-tensor count unchanged -
// is moot here: tensors are garbage-collected, there is no dispose/tidy and no count to leak.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor, fill, tensor } from '../../src/core/tensor.js';
import { grad } from '../../src/autodiff/grad.js';
import { sum } from '../../src/autodiff/primitives.js';
import { mul } from '../../src/ops/arithmetic.js';
import { ALPHA_PRIME, AlphaDropout, Dropout, MCAlphaDropout, MCDropout } from '../../src/layers/index.js';

const ones = (shape: number[]): Tensor => fill(shape, 1);

test('case 23: Dropout(0.5) on ones([1, 1000]) - inference returns exactly the input (the same tensor)', () => {
  const x = ones([1, 1000]);
  const d = new Dropout(0.5);
  assert.equal(d.apply(x, { training: false }), x);
  assert.equal(d.apply(x), x);
});

test('case 23: training - every element is 0 or 2, the mean is within 5 standard errors of 1', () => {
  const x = ones([1, 1000]);
  const y = new Dropout({ rate: 0.5, seed: 42 }).apply(x, { training: true });
  assert.ok(y.data.every((v) => v === 0 || v === 2), 'elements must be exactly 0 or 2');
  const mean = [...y.data].reduce((p, v) => p + v, 0) / 1000;
  // Each element is 0 or 2 with probability 1/2: std 1, so the SE of the mean of 1000 is 1/sqrt(1000).
  assert.ok(Math.abs(mean - 1) < 5 / Math.sqrt(1000), `mean ${mean}`);
  // Dropped fraction near the rate as well.
  const dropped = y.data.filter((v) => v === 0).length / 1000;
  assert.ok(Math.abs(dropped - 0.5) < 5 * Math.sqrt(0.25 / 1000), `dropped ${dropped}`);
});

test('case 23: a seed makes the mask sequence repeat; successive calls draw new masks', () => {
  const x = ones([1, 1000]);
  const a = new Dropout({ rate: 0.5, seed: 7 });
  const b = new Dropout({ rate: 0.5, seed: 7 });
  const seqA = [0, 1, 2].map(() => [...a.apply(x, { training: true }).data]);
  const seqB = [0, 1, 2].map(() => [...b.apply(x, { training: true }).data]);
  assert.deepEqual(seqA, seqB);
  assert.notDeepEqual(seqA[0], seqA[1]);
  assert.notDeepEqual([...new Dropout({ rate: 0.5, seed: 8 }).apply(x, { training: true }).data], seqA[0]);
  // Unseeded layers take their stream from the global generator at construction: setSeed reproduces them.
  setSeed(123);
  const u1 = new Dropout(0.5);
  const u2 = new Dropout(0.5);
  const m1 = [...u1.apply(x, { training: true }).data];
  const m2 = [...u2.apply(x, { training: true }).data];
  assert.notDeepEqual(m1, m2, 'two unseeded layers draw from different streams');
  setSeed(123);
  assert.deepEqual([...new Dropout(0.5).apply(x, { training: true }).data], m1);
});

test('case 23: rate 0 is the identity; rate 1 is rejected with a clear ValueError (never NaN)', () => {
  const x = ones([1, 1000]);
  const y0 = new Dropout(0).apply(x, { training: true });
  assert.equal(y0, x);
  for (const bad of [1, 1.5, -0.1, Number.NaN]) {
    assert.throws(() => new Dropout(bad), (e: unknown) => e instanceof ValueError && /rate must be a number in \[0, 1\)/.test(e.message), String(bad));
    assert.throws(() => new AlphaDropout(bad), ValueError, String(bad));
  }
  assert.throws(() => new Dropout({ rate: 0.5, seed: 1.5 }), ValueError);
});

test('the gradient of dropout is the same mask (0 or 1/(1 - rate)); rate 0.2 scales survivors by 1.25', () => {
  const d = new Dropout({ rate: 0.2, seed: 3 });
  const x = ones([4, 50]);
  let mask: number[] = [];
  const [g] = grad((t) => {
    const y = d.apply(t, { training: true });
    mask = [...y.data];
    return sum(y);
  })(x);
  assert.ok(mask.every((v) => v === 0 || v === 1.25));
  assert.deepEqual([...g.data], mask);
});

test('noiseShape shares one mask value along axes of size 1; a noise shape that does not fit is rejected', () => {
  const d = new Dropout({ rate: 0.5, noiseShape: [1, null], seed: 5 });
  const y = d.apply(ones([4, 100]), { training: true });
  for (let r = 1; r < 4; r++) assert.deepEqual([...y.data.subarray(r * 100, (r + 1) * 100)], [...y.data.subarray(0, 100)]);
  assert.throws(() => new Dropout({ rate: 0.5, noiseShape: [2, 3] }).apply(ones([4, 100]), { training: true }), ShapeError);
  assert.throws(() => new Dropout({ rate: 0.5, noiseShape: [0, 3] as number[] }), ValueError);
});

test('AlphaDropout keeps mean 0 and variance 1 of standardized inputs (within 5 standard errors); inference is the identity', () => {
  const rng = new Rng(17);
  const n = 20000;
  const x = new Tensor(Float32Array.from({ length: n }, () => rng.nextNormal()), [1, n]);
  const d = new AlphaDropout({ rate: 0.2, seed: 9 });
  assert.equal(d.apply(x), x);
  const y = d.apply(x, { training: true });
  let s = 0;
  let ss = 0;
  for (const v of y.data) { s += v; ss += v * v; }
  const mean = s / n;
  const variance = ss / n - mean * mean;
  // SE of the mean 1/sqrt(n); relative SE of a variance sqrt((kurtosis_excess + 2)/n), kurtosis excess < 3 here.
  assert.ok(Math.abs(mean) < 5 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 1) < 5 * Math.sqrt(5 / n), `variance ${variance}`);
  // Dropped elements all take the value a alpha' + b.
  const { a, b } = d.affine();
  const droppedValue = a * ALPHA_PRIME + b;
  const dropped = y.data.filter((v) => Math.abs(v - droppedValue) < 1e-6).length / n;
  assert.ok(Math.abs(dropped - 0.2) < 5 * Math.sqrt(0.16 / n), `dropped fraction ${dropped}`);
  // Keras's constants: alpha' = -1.7580993408473766; rate 0.2: a = ((0.8)(1 + 0.2 alpha'^2))^-1/2.
  assert.ok(Math.abs(ALPHA_PRIME + 1.7580993408473766) < 1e-15);
  assert.ok(Math.abs(a - 1 / Math.sqrt(0.8 * (1 + 0.2 * 1.7580993408473766 ** 2))) < 1e-15);
  // The gradient reaches x scaled by a where kept, 0 where dropped.
  const [g] = grad((t) => sum(mul(new AlphaDropout({ rate: 0.2, seed: 9 }).apply(t, { training: true }), 1)))(tensor([[0.5, -1, 2, 0]]));
  assert.ok([...g.data].every((v) => v === 0 || Math.abs(v - a) < 1e-6));
});

test('MCDropout and MCAlphaDropout drop in inference too (Monte Carlo predictions)', () => {
  const x = ones([1, 1000]);
  const d = new MCDropout({ rate: 0.5, seed: 2 });
  const y = d.apply(x, { training: false });
  assert.ok(y.data.some((v) => v === 0) && y.data.every((v) => v === 0 || v === 2));
  assert.equal(d.className, 'MCDropout');
  const a = new MCAlphaDropout({ rate: 0.1, seed: 2 });
  assert.notEqual(a.apply(x), x);
});
