import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Rng, TRUNCATION_BOUND, getGlobalRng, philox4x32, setSeed } from '../../src/core/random.js';

const hex = (a: Uint32Array): string[] => [...a].map((v) => v.toString(16).padStart(8, '0'));

/** Mean and population variance, accumulated in float64. */
function meanVar(a: ArrayLike<number>): { mean: number; variance: number } {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  const mean = s / a.length;
  let q = 0;
  for (let i = 0; i < a.length; i++) q += (a[i] - mean) ** 2;
  return { mean, variance: q / a.length };
}

// Known-answer vectors of Random123 (kat_vectors, "philox4x32 10" lines): counter, key -> output.
test('philox4x32-10 matches the Random123 known-answer vectors', () => {
  const out = new Uint32Array(4);
  philox4x32(0, 0, 0, 0, 0, 0, out);
  assert.deepEqual(hex(out), ['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
  philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
  assert.deepEqual(hex(out), ['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
  // Counter and key are digits of pi.
  philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
  assert.deepEqual(hex(out), ['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
});

test('equal seeds give equal streams, different seeds different ones', () => {
  const draw = (r: Rng, n = 64): number[] => Array.from({ length: n }, () => r.nextUint32());
  const a = draw(new Rng(42));
  assert.deepEqual(draw(new Rng(42)), a);
  assert.notDeepEqual(draw(new Rng(43)), a);
  // Seeds that differ only above bit 32 (the second key word) or only in sign must differ too.
  assert.notDeepEqual(draw(new Rng(2 ** 32)), draw(new Rng(0)));
  assert.notDeepEqual(draw(new Rng(-1)), draw(new Rng(2 ** 32 - 1)));
  // Every value is a uint32.
  for (const v of a) assert.ok(Number.isInteger(v) && v >= 0 && v < 2 ** 32, String(v));
});

test('a seed must be an integer', () => {
  assert.throws(() => new Rng(1.5), ValueError);
  assert.throws(() => new Rng(Number.NaN), ValueError);
  assert.throws(() => setSeed(0.5), (e: unknown) => e instanceof ValueError && /0\.5/.test(e.message));
});

test('derive(id) gives independent, reproducible streams and leaves the parent untouched', () => {
  const parent = new Rng(7);
  const a1 = parent.derive('a');
  const a2 = parent.derive('a');
  const b = parent.derive('b');
  const s = (r: Rng): number[] => Array.from({ length: 16 }, () => r.nextUint32());
  const sa = s(a1);
  assert.deepEqual(s(a2), sa);
  assert.notDeepEqual(s(b), sa);
  assert.notDeepEqual(s(parent.derive(1)), s(parent.derive(2)));
  // The same id under another parent is another stream.
  assert.notDeepEqual(s(new Rng(8).derive('a')), sa);
  // Deriving costs the parent no draws: its stream equals a fresh generator's.
  assert.deepEqual(s(parent), s(new Rng(7)));
});

test('setSeed makes getGlobalRng() reproduce its stream', () => {
  setSeed(123);
  const first = Array.from({ length: 20 }, () => getGlobalRng().nextDouble());
  setSeed(123);
  const second = Array.from({ length: 20 }, () => getGlobalRng().nextDouble());
  assert.deepEqual(second, first);
  setSeed(124);
  assert.notDeepEqual(Array.from({ length: 20 }, () => getGlobalRng().nextDouble()), first);
});

test('fillUniform float32 stays in [minval, maxval), even for tiny ranges and after rounding', () => {
  const r = new Rng(1);
  const out = new Float32Array(100_000);
  // [0, 1e-30]: a range far below float32's epsilon; 1e-30 itself is not a float32 value.
  r.fillUniform(out, 0, 1e-30);
  for (const v of out) assert.ok(v >= 0 && v < 1e-30, `value ${v} outside [0, 1e-30)`);
  // [1, 1 + 2^-20] holds 8 float32 values (ulp 2^-23), so about 1 draw in 16 rounds up to maxval
  // and must be moved below it.
  const hi = 1 + 2 ** -20;
  r.fillUniform(out, 1, hi);
  const seen = new Set<number>();
  for (const v of out) {
    assert.ok(v >= 1 && v < hi, `value ${v} outside [1, ${hi})`);
    seen.add(v);
  }
  assert.equal(seen.size, 8); // every float32 in [1, 1 + 2^-20) occurs
  // Negative range ending at 0: 0 is excluded.
  r.fillUniform(out, -1e-3, 0);
  for (const v of out) assert.ok(v >= -1e-3 && v < 0, `value ${v} outside [-1e-3, 0)`);
});

test('fillUniform moments: mean (a+b)/2 and variance (b-a)^2/12 within 5 standard errors', () => {
  const n = 100_000;
  const out = new Float64Array(n);
  new Rng(3).fillUniform(out, -2, 4);
  const { mean, variance } = meanVar(out);
  const v = 36 / 12; // (4 - (-2))^2 / 12 = 3
  assert.ok(Math.abs(mean - 1) < 5 * Math.sqrt(v / n), `mean ${mean}`);
  // Uniform excess kurtosis is -1.2: SE(var) = v sqrt((k + 2) / n) = v sqrt(0.8 / n).
  assert.ok(Math.abs(variance - v) < 5 * v * Math.sqrt(0.8 / n), `variance ${variance}`);
  for (const x of out) assert.ok(x >= -2 && x < 4);
});

// Float64 output: minval + range * u can round up to maxval when the range is small next to minval.
// [1, 1 + 2^-50] holds the doubles 1, 1 + 2^-52, 1 + 2^-51, 1 + 3 * 2^-52, so [minval, maxval) is
// satisfiable; the docstring promises the upper bound is never reached.
test('fillUniform float64 never reaches maxval either', () => {
  const out = new Float64Array(10_000);
  const hi = 1 + 2 ** -50;
  new Rng(1).fillUniform(out, 1, hi);
  let reached = 0;
  for (const v of out) if (!(v >= 1 && v < hi)) reached++;
  assert.equal(reached, 0, `${reached} of ${out.length} values equal maxval ${hi}`);
});

test('fillNormal: mean and variance within 5 standard errors over 1e5 samples', () => {
  const n = 100_000;
  const out = new Float64Array(n);
  new Rng(11).fillNormal(out, 2, 3);
  const { mean, variance } = meanVar(out);
  // SE(mean) = std / sqrt(n); normal excess kurtosis 0 -> SE(var) = var sqrt(2 / n).
  assert.ok(Math.abs(mean - 2) < 5 * 3 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 9) < 5 * 9 * Math.sqrt(2 / n), `variance ${variance}`);
  for (const x of out) assert.ok(Number.isFinite(x));
});

test('fillTruncatedNormal: within +-2 std, variance 0.7737413 std^2 within 5 standard errors', () => {
  const n = 100_000;
  const std = 2;
  const mean0 = -1;
  const out = new Float64Array(n);
  new Rng(5).fillTruncatedNormal(out, mean0, std);
  assert.equal(TRUNCATION_BOUND, 2);
  for (const x of out) assert.ok(x >= mean0 - 2 * std && x <= mean0 + 2 * std, `value ${x}`);
  // Var of N(0,1) truncated to [-2, 2] = 1 - 2 * 2 phi(2) / (2 Phi(2) - 1) = 0.7737413035499232;
  // its excess kurtosis is -0.6345, so SE(var) = v sqrt((k + 2) / n).
  const v = 0.7737413035499232 * std * std;
  const { mean, variance } = meanVar(out);
  assert.ok(Math.abs(mean - mean0) < 5 * Math.sqrt(v / n), `mean ${mean}`);
  assert.ok(Math.abs(variance - v) < 5 * v * Math.sqrt((2 - 0.6345) / n), `variance ${variance}, expected ${v}`);
});

test('nextInt is in range and roughly uniform (chi-square, generous bound)', () => {
  const r = new Rng(9);
  for (const k of [3, 10]) {
    const n = 100_000;
    const counts = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      const v = r.nextInt(k);
      assert.ok(Number.isInteger(v) && v >= 0 && v < k, `nextInt(${k}) gave ${v}`);
      counts[v]++;
    }
    const e = n / k;
    const chi2 = counts.reduce((p, c) => p + (c - e) ** 2 / e, 0);
    // chi2 with k-1 dof has mean k-1 and sd sqrt(2(k-1)); 10 sd above the mean is a generous bound.
    assert.ok(chi2 < k - 1 + 10 * Math.sqrt(2 * (k - 1)), `chi2 ${chi2} for k=${k}: ${counts.join(',')}`);
  }
  assert.equal(r.nextInt(1), 0);
  // Above 2^32 the double path is used.
  for (let i = 0; i < 100; i++) {
    const v = r.nextInt(2 ** 40);
    assert.ok(Number.isInteger(v) && v >= 0 && v < 2 ** 40);
  }
});

test('shuffle is a permutation, reproducible by seed, and moves things', () => {
  const make = (): Uint32Array => Uint32Array.from({ length: 1000 }, (_, i) => i);
  const a = make();
  new Rng(17).shuffle(a);
  assert.deepEqual([...a].sort((x, y) => x - y), [...make()]);
  let fixed = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === i) fixed++;
  assert.ok(fixed < 10, `${fixed} fixed points (a random permutation has about 1)`);
  const b = make();
  new Rng(17).shuffle(b);
  assert.deepEqual(b, a);
  const arr = [1, 2, 3, 4, 5];
  new Rng(1).shuffle(arr);
  assert.deepEqual([...arr].sort(), [1, 2, 3, 4, 5]);
});
