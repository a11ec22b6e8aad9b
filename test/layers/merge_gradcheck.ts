// What the merge-layer tests share: the float64 inputs of their gradient checks and the check itself.
import assert from 'node:assert/strict';
import { Tensor } from '../../src/core/tensor.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { mul, square } from '../../src/ops/arithmetic.js';
import { sum } from '../../src/autodiff/primitives.js';
import type { Merge } from '../../src/layers/index.js';

/** Three [2, 3] float64 inputs with distinct values (no ties: central differences need them) and a [2, 1] one to broadcast. */
export const GRADCHECK_INPUTS = {
  a: new Tensor(new Float64Array([0.3, -1.2, 0.7, 2.1, -0.4, 0.9]), [2, 3]),
  b: new Tensor(new Float64Array([1.1, 0.2, -0.6, 0.8, 1.5, -1.3]), [2, 3]),
  c: new Tensor(new Float64Array([-0.5, 0.4, 1.7, -0.9, 0.1, 0.6]), [2, 3]),
  narrow: new Tensor(new Float64Array([0.25, -0.75]), [2, 1]),
};

/**
 * Float64 central-difference check of each layer on its inputs, through the loss
 * sum(w * merge(...)^2) with w = 1, 1.1, 1.2, ... so that every gradient differs; max relative error < 1e-7.
 */
export function checkMergeGradients(cases: readonly (readonly [Merge, Tensor[]])[]): void {
  for (const [layer, inputs] of cases) {
    const f = (...xs: Tensor[]): Tensor => {
      const y = layer.apply(xs);
      const w = new Tensor(Float64Array.from({ length: y.size }, (_, i) => 1 + 0.1 * i), y.shape);
      return sum(mul(square(y), w));
    };
    const r = gradcheck(f, inputs);
    assert.ok(r.maxError < 1e-7, `${layer.name}: max relative error ${r.maxError} (${JSON.stringify(r.worst)})`);
  }
}
