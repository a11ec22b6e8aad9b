// The theory of diagnostics/theory.ts on values that can be derived by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationSecondMoment, theoryVarianceRatio, weightSecondMoment } from '../../src/diagnostics/theory.js';
import { get } from '../../src/initializers/get.js';

const close = (a: number, b: number, tol: number, what: string): void => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('E[f(z)^2] for z ~ N(0, v): closed forms and the SELU fixed point', () => {
  close(activationSecondMoment('linear', 2.5), 2.5, 0, 'linear');
  close(activationSecondMoment('relu', 3), 1.5, 0, 'relu');
  // leaky_relu (alpha 0.2): (1 + 0.04) / 2 * v, integrated numerically.
  close(activationSecondMoment('leaky_relu', 2), 1.04, 1e-6, 'leaky_relu');
  // SELU's constants make E[selu(z)^2] = 1 for z ~ N(0, 1) (Klambauer et al. 2017, eq. 5 fixed point).
  close(activationSecondMoment('selu', 1), 1, 1e-5, 'selu');
  // tanh near 0: E[tanh(z)^2] = v - 2 v^2 + O(v^3); at v = 0.01: 0.0098 (+ 17/3 v^3 ~ 6e-6).
  close(activationSecondMoment('tanh', 0.01), 0.0098, 1e-5, 'tanh');
  // sigmoid: E[s(z)^2] = 1/4 + E[(s - 1/2)^2] and s - 1/2 ~ z/4 near 0: 0.25 + v/16 at small v.
  close(activationSecondMoment('sigmoid', 0.01), 0.25 + 0.01 / 16, 1e-5, 'sigmoid');
  // A known value: E[tanh(z)^2] for z ~ N(0, 1) = 0.394294 (numerical, e.g. scipy.integrate.quad).
  close(activationSecondMoment('tanh', 1), 0.394294, 1e-5, 'tanh(1)');
});

test('weight second moments from the initializer configuration', () => {
  close(weightSecondMoment(get('he_normal'), [100, 100]) as number, 0.02, 1e-15, 'he_normal');
  close(weightSecondMoment(get('glorot_uniform'), [784, 100]) as number, 2 / 884, 1e-15, 'glorot_uniform');
  close(weightSecondMoment(get('lecun_normal'), [100, 100]) as number, 0.01, 1e-15, 'lecun_normal');
  close(weightSecondMoment(get({ class_name: 'RandomNormal', config: { stddev: 1 } }), [100, 100]) as number, 1, 0, 'random_normal(1)');
  // U[-0.05, 0.05): 0.1^2 / 12.
  close(weightSecondMoment(get('random_uniform'), [10, 10]) as number, 0.01 / 12, 1e-15, 'random_uniform');
  // Keras's TruncatedNormal(0.05) is not corrected: std 0.8796 * 0.05.
  close(weightSecondMoment(get('truncated_normal'), [10, 10]) as number, (0.87962566103423978 * 0.05) ** 2, 1e-15, 'truncated_normal');
  close(weightSecondMoment(get('orthogonal'), [100, 50]) as number, 1 / 100, 1e-15, 'orthogonal');
  close(weightSecondMoment(get('zeros'), [3, 3]) as number, 0, 0, 'zeros');
});

test("theoryVarianceRatio: the issue's three square layers", () => {
  const square = { kernelShape: [100, 100], biasSecondMoment: 0, inputSecondMoment: 0.7 };
  // ReLU + glorot_uniform: 100 * (1/100) * 1/2 = 0.5, whatever the input's scale.
  close(theoryVarianceRatio({ ...square, activation: 'relu', weightSecondMoment: 0.01 }), 0.5, 1e-12, 'relu glorot');
  // ReLU + he_normal: 100 * (2/100) * 1/2 = 1.
  close(theoryVarianceRatio({ ...square, activation: 'relu', weightSecondMoment: 0.02 }), 1, 1e-12, 'relu he');
  // linear + lecun_normal: 100 * (1/100) = 1.
  close(theoryVarianceRatio({ ...square, activation: 'linear', weightSecondMoment: 0.01 }), 1, 1e-12, 'linear lecun');
  // A bias adds E[b^2] to Var(z): linear, 100 * 0.01 * 0.5 + 0.5 = 1 over an input of 0.5 -> 2.
  close(theoryVarianceRatio({ activation: 'linear', kernelShape: [100, 100], weightSecondMoment: 0.01, biasSecondMoment: 0.5, inputSecondMoment: 0.5 }), 2, 1e-12, 'bias');
  assert.ok(Number.isNaN(theoryVarianceRatio({ ...square, inputSecondMoment: 0, activation: 'relu', weightSecondMoment: 0.01 })));
});
