// Conformance of the fused Dense kernels (denseForward, denseBackward) of every registered backend
// with the TypeScript oracle, for each activation a fused Dense applies, with and without bias,
// odd shapes (1x1x1, 7x13x5, sizes off the vector widths, empty batch), and null outputs.
// GEMMs sum in another order and the C library's expm1/tanh may differ from V8's in the last bit,
// so each value is allowed 1e-5 of the sum of the magnitudes of its terms (relative above 1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/kernels/native/register.node.js';
import { backendInfo, kernels, resetBackend, setBackend, type Kernels } from '../../src/kernels/index.js';
import { OUTPUT_DERIVATIVE_OPS, type UnaryOp } from '../../src/kernels/kernels.js';
import { denseBackward as tsBackward, denseForward as tsForward } from '../../src/kernels/ts/dense.js';

function randomArray(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

/**
 * |got - want| <= (1e-5 * scale + 1e-6) * max(1, |want|) elementwise, scale = the magnitude of the
 * terms (k + 1 here); relative for large values, since exp multiplies the rounding of its input.
 */
function assertClose(got: Float32Array, want: Float32Array, scale: number, what: string): void {
  assert.equal(got.length, want.length, what);
  for (let i = 0; i < got.length; i++) {
    if (Number.isNaN(want[i])) {
      assert.ok(Number.isNaN(got[i]), `${what}[${i}]: expected NaN, got ${got[i]}`);
      continue;
    }
    assert.ok(Math.abs(got[i] - want[i]) <= (1e-5 * scale + 1e-6) * Math.max(1, Math.abs(want[i])), `${what}[${i}]: expected ${want[i]}, got ${got[i]}`);
  }
}

const SHAPES = [[1, 1, 1], [7, 13, 5], [32, 100, 100], [3, 17, 33], [0, 4, 3]] as const; // [rows, in, units]
/** alpha per activation: elu 1, leaky_relu 0.2, the rest unused. */
const ALPHA: Partial<Record<UnaryOp, number>> = { elu: 1, leaky_relu: 0.2 };
const ACTIVATIONS: readonly UnaryOp[] = OUTPUT_DERIVATIVE_OPS.filter((op) => op !== 'sqrt' && op !== 'reciprocal');

const BACKENDS = backendInfo().backends.filter((b) => b.available && b.kernels.includes('denseForward')).map((b) => b.name);

for (const backend of BACKENDS) {
  describe(`${backend} dense kernels`, () => {
    let k: Pick<Kernels, 'denseForward' | 'denseBackward'> = { denseForward: tsForward, denseBackward: tsBackward };
    it('are served by the backend when it is set', () => {
      setBackend(backend);
      assert.equal(backendInfo().servedBy.denseForward, backend);
      k = { denseForward: kernels.denseForward, denseBackward: kernels.denseBackward };
      resetBackend();
    });

    it('denseForward and denseBackward match the oracle for every activation, with and without bias', () => {
      for (const [rows, inF, units] of SHAPES) {
        const x = randomArray(rows * inF, 1);
        const w = randomArray(inF * units, 2);
        const b = randomArray(units, 3);
        const dy = randomArray(rows * units, 4);
        for (const act of ACTIVATIONS) {
          const alpha = ALPHA[act] ?? 0;
          for (const bias of [b, null]) {
            const what = `${backend} ${act} ${rows}x${inF}x${units} bias=${bias !== null}`;
            const y = new Float32Array(rows * units).fill(NaN);
            const yRef = new Float32Array(rows * units);
            k.denseForward(x, w, bias, rows, inF, units, act, alpha, y);
            tsForward(x, w, bias, rows, inF, units, act, alpha, yRef);
            assertClose(y, yRef, inF + 1, `${what} y`);
            const dx = new Float32Array(rows * inF).fill(NaN);
            const dW = new Float32Array(inF * units).fill(NaN);
            const db = new Float32Array(units).fill(NaN);
            const ref = [new Float32Array(rows * inF), new Float32Array(inF * units), new Float32Array(units)];
            k.denseBackward(x, w, yRef, dy, rows, inF, units, act, alpha, dx, dW, db);
            tsBackward(x, w, yRef, dy, rows, inF, units, act, alpha, ref[0], ref[1], ref[2]);
            // |dz| <= 2 |dy| for these activations on outputs in (-2, 2); sums of units, rows terms.
            assertClose(dx, ref[0], 2 * units + 1, `${what} dx`);
            assertClose(dW, ref[1], 2 * rows + 1, `${what} dW`);
            assertClose(db, ref[2], 2 * rows + 1, `${what} db`);
          }
        }
      }
    });

    it('relu by hand: y = relu(x W + b), dW = x^T (dy where y > 0), db = column sums, null outputs skipped', () => {
      // x = [[1, 2]], W = [[1, -1], [1, -1]], b = [0.5, 0.5]: x W + b = [3.5, -2.5], relu -> [3.5, 0].
      const x = new Float32Array([1, 2]);
      const w = new Float32Array([1, -1, 1, -1]);
      const y = new Float32Array(2);
      k.denseForward(x, w, new Float32Array([0.5, 0.5]), 1, 2, 2, 'relu', 0, y);
      assert.deepEqual([...y], [3.5, 0]);
      // dy = [1, 1]: dz = [1, 0]; dW = x^T dz = [[1, 0], [2, 0]]; db = [1, 0]; dx not wanted.
      const dW = new Float32Array(4);
      const db = new Float32Array(2);
      k.denseBackward(x, w, y, new Float32Array([1, 1]), 1, 2, 2, 'relu', 0, null, dW, db);
      assert.deepEqual([...dW], [1, 0, 2, 0]);
      assert.deepEqual([...db], [1, 0]);
    });
  });
}
