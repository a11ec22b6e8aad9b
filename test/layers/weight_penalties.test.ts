// Layer's one mechanism for weight regularizers and constraints: a regularizer or constraint given to
// addWeight is applied by regularizationLosses / applyConstraints, for Dense, Conv1D/Conv2D and
// DepthwiseConv2D alike (kernel first, then bias) and for a custom layer that declares its own weight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Tensor, Variable } from '../../src/core/tensor.js';
import { Constant, Ones } from '../../src/initializers/index.js';
import { L1, L2 } from '../../src/regularizers/index.js';
import { NonNeg } from '../../src/constraints/index.js';
import { Conv1D, Conv2D, Dense, DepthwiseConv2D, Layer, type SymbolicShape } from '../../src/layers/index.js';

const values = (ts: Tensor[]): number[] => ts.map((t) => +t.item().toFixed(6));

test('Conv2D, Conv1D and DepthwiseConv2D: kernel then bias penalties, each by its own regularizer', () => {
  // Conv2D: kernel [1, 1, 3, 2] of ones, L2(0.5): 0.5 * 6 = 3; bias [2] of 2s, L1(0.25): 0.25 * 4 = 1.
  const conv = new Conv2D(2, 1, { kernelInitializer: 'ones', biasInitializer: new Constant({ value: 2 }), kernelRegularizer: new L2({ l2: 0.5 }), biasRegularizer: new L1({ l1: 0.25 }) });
  conv.build([null, 4, 4, 3]);
  assert.deepEqual(values(conv.regularizationLosses()), [3, 1]);
  // Conv1D with only a bias regularizer: bias [3] of ones, L2(0.1): 0.1 * 3 = 0.3.
  const conv1 = new Conv1D(3, 2, { biasInitializer: 'ones', biasRegularizer: new L2({ l2: 0.1 }) });
  conv1.build([null, 5, 2]);
  assert.deepEqual(values(conv1.regularizationLosses()), [0.3]);
  // DepthwiseConv2D: depthwise_kernel [2, 2, 2, 1] of ones, L1(1): 8; bias [2] of 3s, L2(0.1): 0.1 * 18 = 1.8.
  const dw = new DepthwiseConv2D(2, { depthwiseInitializer: 'ones', depthwiseRegularizer: new L1({ l1: 1 }), biasInitializer: new Constant({ value: 3 }), biasRegularizer: new L2({ l2: 0.1 }) });
  dw.build([null, 3, 3, 2]);
  assert.deepEqual(values(dw.regularizationLosses()), [8, 1.8]);
  // Without regularizers, no penalties.
  const plain = new Dense(2);
  plain.build([null, 3]);
  assert.deepEqual(plain.regularizationLosses(), []);
});

test('applyConstraints projects the kernel and bias of a trainable layer, and leaves a frozen one as it is', () => {
  // NonNeg clips -1 to 0 in every kernel and bias entry.
  const make = (): DepthwiseConv2D => {
    const dw = new DepthwiseConv2D(1, { depthwiseInitializer: new Constant({ value: -1 }), depthwiseConstraint: new NonNeg(), biasInitializer: new Constant({ value: -1 }), biasConstraint: 'non_neg' });
    dw.build([null, 2, 2, 2]);
    return dw;
  };
  const dw = make();
  dw.applyConstraints();
  assert.deepEqual([...(dw.kernel as Tensor).data, ...(dw.bias as Tensor).data], [0, 0, 0, 0]);
  const frozen = make();
  frozen.trainable = false;
  frozen.applyConstraints();
  assert.deepEqual([...(frozen.kernel as Tensor).data, ...(frozen.bias as Tensor).data], [-1, -1, -1, -1]);
});

/** A custom layer y = x * scale with one weight that carries its own regularizer and constraint. */
class Scale extends Layer {
  static override readonly className = 'TestScale';
  scale: Variable | null = null;
  override build(inputShape: SymbolicShape): void {
    this.scale = this.addWeight('scale', [inputShape[inputShape.length - 1] as number], new Ones(), true, { regularizer: new L2({ l2: 2 }), constraint: new NonNeg() });
    this.built = true;
  }
  call(x: Tensor): Tensor {
    return x;
  }
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}

test('a custom layer gets penalties and projections from addWeight alone', () => {
  const layer = new Scale();
  layer.build([null, 3]);
  // 2 * (1 + 1 + 1) = 6.
  assert.deepEqual(values(layer.regularizationLosses()), [6]);
  (layer.scale as Variable).assign(new Constant({ value: -5 }).apply([3]));
  layer.applyConstraints();
  assert.deepEqual([...(layer.scale as Tensor).data], [0, 0, 0]);
});
