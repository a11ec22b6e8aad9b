// Keras 3 activations composed from primitives: relu6, hard_sigmoid, softsign, log_sigmoid, celu and
// relu(x, { negativeSlope, maxValue, threshold }), against hand-derived values (Keras 3
// keras/src/activations/activations.py and keras/src/backend/tensorflow/nn.py), float64 gradchecks
// away from the kinks, and the gradient stated at each kink.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { grad } from '../../src/autodiff/grad.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { sum } from '../../src/autodiff/primitives.js';
import { activate, getActivation } from '../../src/activations/activations.js';
import { celu, hardSigmoid, logSigmoid, relu, relu6, softsign } from '../../src/activations/composed.js';
import { Dense } from '../../src/layers/dense.js';
import { Activation } from '../../src/layers/activation.js';
import { softmax, logSoftmax } from '../../src/ops/softmax.js';
import { mul } from '../../src/ops/arithmetic.js';

const f64 = (v: number[], shape?: number[]): Tensor => tensor(v, shape ?? [v.length], 'float64');
const close = (got: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void => {
  assert.equal(got.length, expected.length, what);
  expected.forEach((e, i) => assert.ok(Math.abs(got[i] - e) <= tol, `${what}[${i}]: ${got[i]} vs ${e}`));
};
/** d/dx sum(f(x)) at each point: the elementwise derivative. */
const derivative = (f: (x: Tensor) => Tensor, xs: number[]): number[] => Array.from(grad((x: Tensor) => sum(f(x)))(f64(xs))[0].data);
/** gradcheck of sum(f(x) * w) with a non-uniform w. */
const check = (name: string, f: (x: Tensor) => Tensor, xs: number[]): void => {
  const w = f64(xs.map((_, i) => 0.5 + 0.37 * i));
  const r = gradcheck((x) => sum(mul(f(x), w)), [f64(xs)]);
  assert.ok(r.maxError < 1e-7, `${name}: gradcheck maxError ${r.maxError}`);
};

test('relu6: min(max(x, 0), 6); gradient 1 on (0, 6), 0 at the kinks 0 and 6 (TF Relu6Grad)', () => {
  close(relu6(f64([-1, 0, 3, 6, 7])).data, [0, 0, 3, 6, 6], 0, 'relu6');
  close(derivative(relu6, [-1, 0, 3, 6, 7]), [0, 0, 1, 0, 0], 0, "relu6'");
  check('relu6', relu6, [-2.5, -0.3, 0.4, 2.2, 5.5, 6.4, 9]);
  // By name: the spelling of Keras, through activate and the Activation layer.
  close(activate('relu6', f64([-1, 3, 7])).data, [0, 3, 6], 0, "activate('relu6')");
  close(new Activation('relu6').call(f64([8])).data, [6], 0, 'Activation relu6');
});

test('hard_sigmoid is Keras 3 relu6(x + 3) / 6: 0 below -3, 1 above 3, x / 6 + 0.5 between', () => {
  // -1.5 / 6 + 0.5 = 0.25; 1.5 / 6 + 0.5 = 0.75 (Keras 2 would give 0.2 * 1.5 + 0.5 = 0.8).
  close(hardSigmoid(f64([-4, -3, -1.5, 0, 1.5, 3, 4])).data, [0, 0, 0.25, 0.5, 0.75, 1, 1], 1e-15, 'hard_sigmoid');
  close(derivative(hardSigmoid, [-4, -3, 0, 3, 4]), [0, 0, 1 / 6, 0, 0], 1e-15, "hard_sigmoid'");
  check('hard_sigmoid', hardSigmoid, [-5, -2.9, -1, 0.3, 2.7, 3.5]);
  assert.equal(getActivation('hardSigmoid'), 'hard_sigmoid');
});

test('softsign: x / (1 + |x|), gradient 1 / (1 + |x|)^2 (1 at 0)', () => {
  close(softsign(f64([-3, 0, 1])).data, [-0.75, 0, 0.5], 1e-15, 'softsign');
  // 1 / (1 + 0)^2 = 1; 1 / (1 + 1)^2 = 0.25; 1 / 16 = 0.0625.
  close(derivative(softsign, [0, 1, -3]), [1, 0.25, 0.0625], 1e-15, "softsign'");
  check('softsign', softsign, [-2, -0.4, 0.7, 3]);
});

test('log_sigmoid: -softplus(-x), finite at +-1000, gradient sigmoid(-x)', () => {
  // log(1/2) = -0.6931471805599453; log(1/(1+e^-1)) = -log(1 + e^-1) = -0.31326168751822286;
  // at -1000: -softplus(1000) = -1000 exactly; at 1000: -log1p(e^-1000) = -0.
  close(logSigmoid(f64([0, 1, -1000, 1000])).data, [-0.6931471805599453, -0.31326168751822286, -1000, 0], 1e-15, 'log_sigmoid');
  // sigmoid(-0) = 0.5; sigmoid(-1) = 0.2689414213699951.
  close(derivative(logSigmoid, [0, 1]), [0.5, 0.2689414213699951], 1e-15, "log_sigmoid'");
  check('log_sigmoid', logSigmoid, [-3, -0.5, 0.1, 2]);
});

test('celu: x for x > 0, alpha (e^(x/alpha) - 1) otherwise; C1 with gradient 1 at 0', () => {
  // alpha 1: celu(-1) = e^-1 - 1 = -0.6321205588285577. alpha 2: 2 (e^-0.5 - 1) = -0.7869386805747332.
  close(celu(f64([-1, 0, 2])).data, [-0.6321205588285577, 0, 2], 1e-15, 'celu');
  close(celu(f64([-1, 0, 2]), { alpha: 2 }).data, [-0.7869386805747332, 0, 2], 1e-15, 'celu alpha 2');
  // d/dx alpha (e^(x/alpha) - 1) = e^(x/alpha): 1 at 0 from both sides, e^-0.5 = 0.6065306597126334 at -1 (alpha 2).
  close(derivative((x) => celu(x, { alpha: 2 }), [0, -1, 3]), [1, 0.6065306597126334, 1], 1e-15, "celu'");
  check('celu', (x) => celu(x, { alpha: 0.7 }), [-2, -0.3, 0.4, 1.5]);
  assert.throws(() => celu(f64([1]), { alpha: 0 }), (e: unknown) => e instanceof ValueError && /alpha must be a finite number > 0/.test(e.message));
  assert.throws(() => celu(f64([1]), { alhpa: 2 } as never), (e: unknown) => e instanceof ValueError && /Did you mean 'alpha'/.test(e.message));
});

test("relu(x, options) follows Keras 3's ReLU.static_call: the docstring values and the kinks", () => {
  const x = f64([-10, -5, 0, 5, 10]);
  // keras.activations.relu docstring values.
  close(relu(x).data, [0, 0, 0, 5, 10], 0, 'relu');
  close(relu(x, { negativeSlope: 0.5 }).data, [-5, -2.5, 0, 5, 10], 0, 'negative_slope 0.5');
  close(relu(x, { maxValue: 5 }).data, [0, 0, 0, 5, 5], 0, 'max_value 5');
  close(relu(x, { threshold: 5 }).data, [0, 0, 0, 0, 10], 0, 'threshold 5');
  // All three: below the threshold 2: 0.1 (x - 2): -1.2 at -10, -0.7 at -5, -0.2 at 0; at 5 the
  // threshold passes x = 5, clipped to maxValue 4; 10 -> 4.
  close(relu(x, { negativeSlope: 0.1, maxValue: 4, threshold: 2 }).data, [-1.2, -0.7, -0.2, 4, 4], 1e-15, 'all options');
  // Gradients: slope 0.1 below the threshold, 0 at the threshold (2) and at maxValue (4), 1 between, 0 above.
  close(derivative((t) => relu(t, { negativeSlope: 0.1, maxValue: 4, threshold: 2 }), [1, 2, 3, 4, 5]), [0.1, 0, 1, 0, 0], 1e-15, "relu'");
  check('relu options', (t) => relu(t, { negativeSlope: 0.3, maxValue: 4, threshold: 1 }), [-2, 0.5, 1.7, 3.2, 5]);
  assert.throws(() => relu(x, { max_value: 6 } as never), (e: unknown) => e instanceof ValueError && /Did you mean 'maxValue'/.test(e.message));
  assert.throws(() => relu(x, { maxValue: -1 }), (e: unknown) => e instanceof ValueError && /maxValue must be >= 0/.test(e.message));
});

test('a Dense layer applies a composed activation after its linear primitive', () => {
  const layer = new Dense(2, { activation: 'relu6', kernelInitializer: 'ones', biasInitializer: 'zeros' });
  layer.build([null, 2]);
  // x = [2, 5]: pre-activation 7 per unit -> relu6 = 6; x = [-1, 2] -> 1.
  close(layer.call(tensor([2, 5, -1, 2], [2, 2])).data, [6, 6, 1, 1], 0, 'Dense relu6');
});

test('unknown activation names throw for JavaScript callers of activate (they used to give zeros)', () => {
  assert.throws(() => activate('relu_6' as never, f64([1])), (e: unknown) => e instanceof ValueError && /Did you mean 'relu6'/.test(e.message));
});

test('softmax and log_softmax over any axis; a bad axis throws', () => {
  const x = f64([0, 0, 1, 1], [2, 2]);
  // Over axis 0, each column is softmax([0, 1]) = [1/(1+e), e/(1+e)] = [0.2689414213699951, 0.7310585786300049].
  close(softmax(x, 0).data, [0.2689414213699951, 0.2689414213699951, 0.7310585786300049, 0.7310585786300049], 1e-15, 'softmax axis 0');
  // Over the last axis each row is uniform.
  close(softmax(x).data, [0.5, 0.5, 0.5, 0.5], 1e-15, 'softmax axis -1');
  close(logSoftmax(x, 0).data, [-1.3132616875182228, -1.3132616875182228, -0.31326168751822286, -0.31326168751822286], 1e-15, 'log_softmax axis 0');
  const w = f64([0.3, -1.2, 0.8, 2], [2, 2]);
  const r = gradcheck((t) => sum(mul(softmax(t, 0), w)), [f64([0.1, -0.4, 1.3, 0.2], [2, 2])]);
  assert.ok(r.maxError < 1e-8, `softmax axis 0 gradcheck ${r.maxError}`);
  assert.throws(() => softmax(x, 2), (e: unknown) => e instanceof ShapeError && /expected an integer in \[-2, 1\]/.test(e.message));
  assert.throws(() => softmax(x, '1' as never), ShapeError);
});
