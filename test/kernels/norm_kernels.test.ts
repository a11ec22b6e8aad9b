// Conformance of the fused normalization kernels (batchNormForward, batchNormBackward,
// softmaxCrossentropy, and the firstNonFinite scan) of every registered backend with the TypeScript oracle, on odd shapes
// ([outer, features, inner] = 1x1x1, 7x13x5, 3x17x1, 2x1x9, an empty batch in inference), with and
// without gamma/beta, dx or dLogits null, and outputs pre-filled with NaN (a kernel must overwrite
// every element: the training step hands it recycled arrays). Batch normalization promises the
// oracle's bits (same float64 order); softmax + crossentropy uses the C library's exp and log,
// so it is allowed 1e-6 relative.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/kernels/native/register.node.js';
import { backendInfo, kernels, resetBackend, setBackend, tsKernels } from '../../src/kernels/index.js';
import { nan64, nanArray, randomArray } from './kernel_data.js';

function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    assert.ok(Math.abs(got[i] - want[i]) <= rel * Math.max(1, Math.abs(want[i])), `${what}[${i}]: expected ${want[i]}, got ${got[i]}`);
  }
}

const BN_SHAPES = [[1, 1, 1], [7, 13, 5], [3, 17, 1], [2, 1, 9]] as const;
const BACKENDS = backendInfo().backends.filter((b) => b.available).map((b) => b.name);

for (const backend of BACKENDS) {
  describe(`${backend} normalization kernels`, () => {
    const use = (): typeof kernels => {
      setBackend(backend);
      return { ...kernels };
    };

    it('batchNormForward and batchNormBackward give the oracle bits, training and inference, with and without gamma/beta', () => {
      const k = use();
      resetBackend();
      for (const [outer, features, inner] of BN_SHAPES) {
        const n = outer * features * inner;
        const x = randomArray(n, 1, 3);
        const dy = randomArray(n, 2);
        for (const training of [true, false]) {
          for (const affine of [true, false]) {
            const gamma = affine ? randomArray(features, 3) : null;
            const beta = affine ? randomArray(features, 4) : null;
            const run = (kk: typeof kernels, withDx: boolean) => {
              const mean = training ? nan64(features) : Float64Array.from(randomArray(features, 5));
              const variance = training ? nan64(features) : Float64Array.from(randomArray(features, 6), (v) => v * v + 0.1);
              const invStd = nan64(features);
              const y = nanArray(n);
              kk.batchNormForward(x, outer, features, inner, gamma, beta, 1e-3, training, mean, variance, invStd, y);
              const dx = withDx ? nanArray(n) : null;
              const sumDy = nan64(features);
              const sumDyXhat = nan64(features);
              kk.batchNormBackward(x, dy, outer, features, inner, gamma, mean, invStd, training, dx, sumDy, sumDyXhat);
              return { mean, variance, invStd, y, dx, sumDy, sumDyXhat };
            };
            for (const withDx of [true, false]) {
              const what = `${backend} [${outer}, ${features}, ${inner}] training=${training} affine=${affine} dx=${withDx}`;
              assert.deepEqual(run(k, withDx), run(tsKernels, withDx), what);
            }
          }
        }
      }
      // An empty batch in inference mode: nothing to write, statistics untouched.
      const mean = Float64Array.of(0.5);
      k.batchNormForward(new Float32Array(0), 0, 1, 3, null, null, 1e-3, false, mean, Float64Array.of(1), new Float64Array(1), new Float32Array(0));
      assert.deepEqual([...mean], [0.5]);
    });

    it('batchNormForward by hand: x = [1, 2, 3, 4] (one feature), eps 1e-3 (tfjs#562)', () => {
      const k = use();
      resetBackend();
      // mean 2.5, biased variance 1.25, y = (x - 2.5) / sqrt(1.251)
      const mean = new Float64Array(1);
      const variance = new Float64Array(1);
      const invStd = new Float64Array(1);
      const y = nanArray(4);
      k.batchNormForward(Float32Array.of(1, 2, 3, 4), 4, 1, 1, null, null, 1e-3, true, mean, variance, invStd, y);
      assert.deepEqual([[...mean], [...variance]], [[2.5], [1.25]]);
      assertClose(y, [-1.5, -0.5, 0.5, 1.5].map((v) => v / Math.sqrt(1.251)), 1e-7, 'y');
    });

    it('softmaxCrossentropy matches the oracle on odd shapes, soft and one-hot targets, with and without dLogits', () => {
      const k = use();
      resetBackend();
      for (const [rows, classes] of [[1, 1], [7, 13], [3, 17], [32, 10], [0, 5]] as const) {
        const z = randomArray(rows * classes, 7, 20);
        const soft = randomArray(rows * classes, 8).map(Math.abs);
        const hot = new Float32Array(rows * classes);
        for (let r = 0; r < rows; r++) hot[r * classes + (r % classes)] = 1;
        for (const t of [soft, hot]) {
          for (const withGrad of [true, false]) {
            const run = (kk: typeof kernels) => {
              const loss = nanArray(rows);
              const d = withGrad ? nanArray(rows * classes) : null;
              const lse = nan64(rows);
              kk.softmaxCrossentropy(z, t, rows, classes, loss, d, lse);
              return { loss, d, lse };
            };
            const got = run(k);
            const want = run(tsKernels);
            const what = `${backend} [${rows}, ${classes}] grad=${withGrad}`;
            assertClose(got.loss, want.loss, 1e-6, `${what} loss`);
            assertClose(got.lse, want.lse, 1e-12, `${what} logSumExp`);
            if (withGrad) assertClose(got.d as Float32Array, want.d as Float32Array, 1e-6, `${what} dLogits`);
            else assert.equal(got.d, null);
          }
        }
      }
    });

    it('firstNonFinite finds the first NaN or infinity at any position of odd lengths, -1 when all are finite', () => {
      const k = use();
      resetBackend();
      for (const n of [0, 1, 7, 1023, 1024, 1025, 3000]) {
        const x = randomArray(n, 9, 1e30);
        assert.equal(k.firstNonFinite(x), -1, `all finite, n=${n}`);
        for (const bad of [NaN, Infinity, -Infinity]) {
          for (const at of [0, n >> 1, n - 1]) {
            if (n === 0) continue;
            const y = x.slice();
            y[at] = bad;
            if (at + 1 < n) y[n - 1] = NaN; // a later bad value is not the first
            assert.equal(k.firstNonFinite(y), at, `${bad} at ${at} of ${n}`);
          }
        }
      }
      assert.equal(k.firstNonFinite(Float32Array.of(3.4e38, -3.4e38, 1e-45)), -1, 'the largest floats and a denormal are finite');
      assert.equal(k.firstNonFinite(Float64Array.of(1, 2, NaN)), 2, 'float64 (the oracle serves it)');
    });

    it('softmaxCrossentropy by hand: logits [1000, 0, -1000], class 1 gives 1000; [0, ln 3] with [0.5, 0.5]', () => {
      const k = use();
      resetBackend();
      const loss = nanArray(2);
      const d = nanArray(6);
      const lse = nan64(2);
      // Row 0: log_softmax_1 = -1000 - log(1 + e^-1000 + e^-2000) = -1000 exactly in float64.
      // Row 1 (logits [0, ln 3, -inf-like -1e30]): softmax [1/4, 3/4, 0]; loss = 0.5 (ln 4 + ln 4/3);
      // dLogits = softmax sum(t) - t: row 0 [1, e^-1000, e^-2000] - [0, 1, 0] = [1, -1, 0]; row 1 [-0.25, 0.25, 0].
      k.softmaxCrossentropy(Float32Array.of(1000, 0, -1000, 0, Math.log(3), -1e30), Float32Array.of(0, 1, 0, 0.5, 0.5, 0), 2, 3, loss, d, lse);
      assert.equal(loss[0], 1000);
      assertClose([loss[1]], [0.5 * (Math.log(4) + Math.log(4 / 3))], 1e-7, 'loss[1]');
      assertClose(d, [1, -1, 0, -0.25, 0.25, 0], 1e-7, 'dLogits');
    });
  });
}
