// Activation names (Keras 3 spellings), the Keras gelu function, the recommended initializer of
// every activation, and Dense's two paths: the fused primitive for activations whose derivative
// needs only the output, linear primitive + unary for gelu, gelu_tanh, silu/swish and mish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { grad } from '../../src/autodiff/grad.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { dense, sum, unary } from '../../src/autodiff/primitives.js';
import {
  ACTIVATION_NAMES, activate, activationSpec, gelu, getActivation, recommendedInitializer,
} from '../../src/activations/activations.js';
import { INITIALIZER_ADVICE } from '../../src/initializers/advisor.js';
import { Dense } from '../../src/layers/dense.js';
import { mul } from '../../src/ops/arithmetic.js';

const close = (got: ArrayLike<number>, expected: readonly number[], tol: number, what: string): void => {
  assert.equal(got.length, expected.length, what);
  expected.forEach((e, i) => assert.ok(Math.abs(got[i] - e) <= tol, `${what}[${i}]: ${got[i]} vs ${e}`));
};

test('the Keras 3 names resolve: gelu, swish and silu, softplus, mish; unknown names suggest the nearest', () => {
  for (const name of ['gelu', 'gelu_tanh', 'swish', 'silu', 'softplus', 'mish']) assert.ok((ACTIVATION_NAMES as readonly string[]).includes(name), name);
  assert.equal(getActivation('swish'), 'swish');
  // swish and silu are one function (Keras 3 registers silu with the alias swish).
  assert.deepEqual(activationSpec('swish'), activationSpec('silu'));
  assert.deepEqual(activationSpec('gelu'), { kind: 'elementwise', op: 'gelu', alpha: 0 });
  assert.equal(getActivation('geluTanh'), 'gelu_tanh');
  assert.throws(() => getActivation('gelo'), (e: unknown) => e instanceof ValueError && /Did you mean 'gelu'/.test(e.message));
  assert.throws(() => getActivation('mihs'), (e: unknown) => e instanceof ValueError && /Did you mean 'mish'/.test(e.message));
});

test("gelu follows Keras 3: exact (erf) by default, tanh form with approximate: true; Keras's docstring values", () => {
  const x = tensor([-1, 0, 1], undefined, 'float64');
  // keras.ops.gelu docstring: [-0.15865525, 0., 0.84134475] (erf form: x Phi(x)).
  close(gelu(x).data, [-0.15865525, 0, 0.84134475], 5e-9, 'gelu');
  // tanh form at 1: 0.5 (1 + tanh(sqrt(2/pi) * 1.044715)) = 0.8411919906082768 (mpmath).
  close(gelu(x, { approximate: true }).data, [-0.1588080093917233, 0, 0.8411919906082767], 1e-15, 'gelu approximate');
  // silu(1) = 1/(1 + e^-1) = 0.7310585786300049; mish(1) = tanh(log(1 + e)) = 0.8650983882673103;
  // softplus(0) = log 2.
  close(activate('silu', x).data, [-0.2689414213699951, 0, 0.7310585786300049], 1e-15, 'silu');
  close(activate('mish', x).data, [-0.30340146137410895, 0, 0.8650983882673103], 1e-15, 'mish');
  close(activate('softplus', tensor([0], undefined, 'float64')).data, [Math.LN2], 1e-16, 'softplus');
});

test('every activation knows its recommended initializer, read from the advisor table', () => {
  const expected: Record<string, string | undefined> = {
    linear: 'glorot_uniform', sigmoid: 'glorot_uniform', tanh: 'glorot_uniform', softmax: 'glorot_uniform',
    relu: 'he_normal', leaky_relu: 'he_normal', elu: 'he_normal', gelu: 'he_normal', gelu_tanh: 'he_normal',
    silu: 'he_normal', swish: 'he_normal', mish: 'he_normal', selu: 'lecun_normal', softplus: undefined,
    relu6: 'he_normal', celu: 'he_normal', hard_sigmoid: 'glorot_uniform', softsign: 'glorot_uniform', log_sigmoid: undefined,
  };
  for (const name of ACTIVATION_NAMES) assert.equal(recommendedInitializer(name), expected[name], name);
  assert.deepEqual(Object.keys(expected).sort(), [...ACTIVATION_NAMES].sort());
  // Layer kinds of the table and aliases resolve too; unknown names are errors.
  assert.equal(recommendedInitializer('prelu'), 'he_normal');
  assert.equal(recommendedInitializer('leakyRelu'), 'he_normal');
  assert.throws(() => recommendedInitializer('relux'), ValueError);
  // It is the table's own answer, not a copy of it.
  const he = INITIALIZER_ADVICE.find((f) => f.family === 'he');
  assert.equal(recommendedInitializer('gelu'), he?.recommended);
});

test('Dense with gelu, gelu_tanh, swish or mish equals unary(op, linear dense) and backpropagates to x, W and b', () => {
  const x = tensor([[0.5, -1, 2], [1.5, 0.25, -0.75]]);
  for (const act of ['gelu', 'gelu_tanh', 'swish', 'mish', 'softplus', 'elu'] as const) {
    const layer = new Dense(2, { activation: act, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 3 } }, biasInitializer: { class_name: 'Constant', config: { value: 0.1 } } });
    const y = layer.apply(x);
    const spec = activationSpec(act);
    assert.ok(spec.kind === 'elementwise');
    const ref = unary(spec.op, dense(x, layer.kernel as Tensor, layer.bias, 'linear'), spec.alpha);
    assert.deepEqual([...y.data], [...ref.data], act);
  }
  // float64 gradcheck of the same composition (what Dense runs for gelu), against central differences.
  const w = tensor([[0.3, -0.8], [0.5, 0.1], [-0.4, 0.9]], undefined, 'float64');
  const b = tensor([0.1, -0.2], undefined, 'float64');
  const xs = tensor([[0.5, -1, 2], [1.5, 0.25, -0.75]], undefined, 'float64');
  const r = tensor([[1, -2], [0.5, 3]], undefined, 'float64');
  for (const op of ['gelu', 'gelu_tanh', 'silu', 'mish'] as const) {
    const res = gradcheck((p, q, c) => sum(mul(unary(op, dense(p, q, c)), r)), [xs, w, b]);
    assert.ok(res.maxError < 1e-7, `${op}: ${res.maxError}`);
  }
  // By hand: d/dx gelu(x) at 0 is Phi(0) = 1/2.
  const [g] = grad((t) => sum(gelu(t)))(tensor([0], undefined, 'float64'));
  assert.equal(g.item(), 0.5);
});
