// Conformance of the fused optimizer kernels (adamUpdate, sgdUpdate) of every registered backend
// with the TypeScript oracle: the contract is float64 arithmetic in the oracle's order, each
// stored value rounded once, so the results must be the same bits (on lengths that stay on one
// thread and lengths the native backend splits over threads).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/kernels/native/register.node.js';
import { backendInfo, kernels, resetBackend, setBackend, type Kernels } from '../../src/kernels/index.js';
import { adamUpdate as tsAdam, sgdUpdate as tsSgd } from '../../src/kernels/ts/optimizers.js';

/** Uniform floats in [lo, hi) from a fixed-seed LCG (Numerical Recipes constants). */
function randomArray(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = lo + (hi - lo) * (s / 2 ** 32);
  }
  return x;
}

/** 0, 1, odd sizes around the vector widths, and 100,003 (above the native threading grain). */
const LENGTHS = [0, 1, 7, 17, 1000, 100_003];

function bits(x: Float32Array): Uint32Array {
  return new Uint32Array(x.buffer, x.byteOffset, x.length);
}

const BACKENDS = backendInfo().backends.filter((b) => b.available && b.kernels.includes('adamUpdate')).map((b) => b.name);

it('the native backend implements the fused optimizer kernels when its addon is built', () => {
  const native = backendInfo().backends.find((b) => b.name === 'native');
  assert.ok(BACKENDS.includes('ts'));
  if (native?.available === true) assert.ok(BACKENDS.includes('native'), `backends: ${BACKENDS}`);
});

for (const backend of BACKENDS) {
  describe(`${backend} optimizer kernels`, () => {
    let k: Pick<Kernels, 'adamUpdate' | 'sgdUpdate'> = { adamUpdate: tsAdam, sgdUpdate: tsSgd };
    it('are served by the backend when it is set', () => {
      setBackend(backend);
      assert.equal(backendInfo().servedBy.adamUpdate, backend);
      k = { adamUpdate: kernels.adamUpdate, sgdUpdate: kernels.sgdUpdate };
      resetBackend();
    });

    it('adamUpdate gives the oracle\'s bits over three steps', () => {
      for (const n of LENGTHS) {
        const w = [randomArray(n, 1), randomArray(n, 1)];
        const m = [new Float32Array(n), new Float32Array(n)];
        const v = [new Float32Array(n), new Float32Array(n)];
        for (let t = 1; t <= 3; t++) {
          const g = randomArray(n, 10 + t, -3, 3);
          // alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t) with lr 0.01, beta1 0.9, beta2 0.999.
          const alpha = (0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t);
          k.adamUpdate(w[0], g, m[0], v[0], alpha, 0.9, 0.999, 1e-7);
          tsAdam(w[1], g, m[1], v[1], alpha, 0.9, 0.999, 1e-7);
        }
        assert.deepEqual(bits(w[0]), bits(w[1]), `w, n = ${n}`);
        assert.deepEqual(bits(m[0]), bits(m[1]), `m, n = ${n}`);
        assert.deepEqual(bits(v[0]), bits(v[1]), `v, n = ${n}`);
        if (n > 0) assert.notDeepEqual(bits(w[0]), bits(randomArray(n, 1)), 'the weights moved');
      }
    });

    it('adamUpdate, first step by hand: m = 0.1 g, v = 0.001 g^2, w moves by lr sign(g) (almost)', () => {
      // t = 1: alpha = lr sqrt(0.001) / 0.1; m / sqrt(v) = 0.1 g / (sqrt(0.001) |g|), so
      // w <- w - lr sign(g) (1 - eps / (sqrt(v) + eps)) ~ w - 0.01 sign(g).
      const w = new Float32Array([1, 1]);
      const m = new Float32Array(2);
      const v = new Float32Array(2);
      k.adamUpdate(w, new Float32Array([2, -0.5]), m, v, (0.01 * Math.sqrt(0.001)) / 0.1, 0.9, 0.999, 1e-7);
      assert.deepEqual([...m], [Math.fround(0.2), Math.fround(-0.05)]);
      assert.ok(Math.abs(w[0] - 0.99) < 1e-6 && Math.abs(w[1] - 1.01) < 1e-6, `w = ${w}`);
    });

    it('sgdUpdate (plain, momentum, Nesterov) gives the oracle\'s bits; plain SGD by hand', () => {
      for (const n of LENGTHS) {
        for (const [mu, nesterov] of [[0, false], [0.9, false], [0.9, true]] as const) {
          const w = [randomArray(n, 2), randomArray(n, 2)];
          const vel = [new Float32Array(n), new Float32Array(n)];
          for (let t = 1; t <= 3; t++) {
            const g = randomArray(n, 20 + t);
            k.sgdUpdate(w[0], g, mu === 0 ? null : vel[0], 0.05, mu, nesterov);
            tsSgd(w[1], g, mu === 0 ? null : vel[1], 0.05, mu, nesterov);
          }
          assert.deepEqual(bits(w[0]), bits(w[1]), `w, n = ${n}, momentum ${mu}, nesterov ${nesterov}`);
          assert.deepEqual(bits(vel[0]), bits(vel[1]), `velocity, n = ${n}`);
        }
      }
      // w = 1 - 0.5 * 0.2 = 0.9.
      const w = new Float32Array([1]);
      k.sgdUpdate(w, new Float32Array([0.2]), null, 0.5, 0, false);
      assert.equal(w[0], Math.fround(0.9));
    });

    it('float64 weights (gradient checks) go to the oracle', () => {
      const w = [Float64Array.from([1, 2, 3]), Float64Array.from([1, 2, 3])];
      const g = Float64Array.from([0.5, -1, 2]);
      k.sgdUpdate(w[0], g, null, 0.1, 0, false);
      tsSgd(w[1], g, null, 0.1, 0, false);
      assert.deepEqual(w[0], w[1]);
      assert.deepEqual([...w[0]], [1 - 0.1 * 0.5, 2 + 0.1, 3 - 0.1 * 2]);
    });
  });
}
