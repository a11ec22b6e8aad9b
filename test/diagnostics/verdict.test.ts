// The verdict's rules and thresholds (diagnostics/verdict.ts) on hand-made layer summaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEAD_FRACTION_LIMIT, EXPLODING_RATIO, SATURATION_LIMIT, VANISHING_RATIO, type VerdictLayer, judge } from '../../src/diagnostics/verdict.js';

/** n hidden layers with the given gradient stds, then a softmax output layer. */
function net(gradients: number[], over: Partial<VerdictLayer> = {}, at = -1): VerdictLayer[] {
  const hidden = gradients.map((g, i): VerdictLayer => ({
    name: `dense_${i}`, activation: 'relu', initializer: 'he_normal', activationStd: 1, gradientStd: g,
    saturatedFraction: 0, deadFraction: 0, recommendedInitializer: null, nonFinite: { forward: false, backward: false },
    ...(i === at ? over : {}),
  }));
  return [...hidden, { name: 'out', activation: 'softmax', initializer: 'glorot_uniform', activationStd: 0.3, gradientStd: 1e-3,
    saturatedFraction: 0, deadFraction: 0, recommendedInitializer: null, nonFinite: { forward: false, backward: false } }];
}

test('healthy within the thresholds, vanishing and exploding beyond them (ratio of first to last hidden layer)', () => {
  assert.equal(judge(net([1, 1, 1])).kind, 'healthy');
  // Just inside and just outside VANISHING_RATIO = 1/100.
  assert.equal(judge(net([VANISHING_RATIO * 1.01, 0.1, 1])).kind, 'healthy');
  const v = judge(net([VANISHING_RATIO * 0.99, 0.1, 1]));
  assert.equal(v.kind, 'vanishing');
  assert.deepEqual(v.layers, ['dense_0']);
  assert.ok(Math.abs(v.gradientRatio - VANISHING_RATIO * 0.99) < 1e-15);
  const e = judge(net([EXPLODING_RATIO * 2, 1, 1]));
  assert.equal(e.kind, 'exploding');
  assert.match(e.fix, /clip/);
  assert.equal(judge(net([EXPLODING_RATIO * 0.99, 1, 1])).kind, 'healthy');
});

test('the fix names the initializer of the chapter\'s table when the layers depart from it', () => {
  const layers = net([1e-6, 1e-3, 1]).map((l) => (l.activation === 'relu' ? { ...l, initializer: 'glorot_uniform', recommendedInitializer: 'he_normal' } : l));
  const v = judge(layers);
  assert.equal(v.kind, 'vanishing');
  assert.match(v.fix, /he_normal instead of glorot_uniform \(variance 2 \/ fan_in\)/);
  assert.match(v.fix, /batch normalization/);
});

test('dead units and saturation come before vanishing, non-finite values before everything', () => {
  const dead = judge(net([1e-9, 1, 1], { deadFraction: DEAD_FRACTION_LIMIT }, 1));
  assert.equal(dead.kind, 'dead_units');
  assert.deepEqual(dead.layers, ['dense_1']);
  assert.equal(judge(net([1, 1, 1], { deadFraction: DEAD_FRACTION_LIMIT - 0.01 }, 1)).kind, 'healthy');
  const sat = judge(net([1e-9, 1, 1], { activation: 'sigmoid', saturatedFraction: SATURATION_LIMIT }, 2));
  assert.equal(sat.kind, 'saturation');
  assert.match(sat.cause, /sigmoid outputs of dense_2/);
  // Saturation is only counted for sigmoid and tanh.
  assert.equal(judge(net([1, 1, 1], { saturatedFraction: 0.9 }, 2)).kind, 'healthy');
  const nan = judge(net([1, 1, 1], { nonFinite: { forward: true, backward: true }, deadFraction: 1 }, 1));
  assert.equal(nan.kind, 'exploding');
  assert.match(nan.cause, /dense_1 are not finite/);
});

test('one hidden layer: ratios are 1 and the verdict is healthy', () => {
  const v = judge(net([5]));
  assert.equal(v.gradientRatio, 1);
  assert.equal(v.kind, 'healthy');
});

test('dead units under an activation that cannot die point at the constant kernel, not at the activation', async () => {
  const { judge: j } = await import('../../src/diagnostics/verdict.js');
  const layer = (name: string, activation: string) => ({
    name, activation, initializer: 'zeros', recommendedInitializer: 'he_normal', activationMean: 0, activationStd: 0,
    gradientStd: 0, kernelGradientStd: 0, saturatedFraction: 0, deadFraction: 1, nonFinite: { forward: false, backward: false },
  });
  const v = j([layer('dense', 'leaky_relu'), layer('dense_1', 'leaky_relu'), { ...layer('dense_2', 'softmax'), deadFraction: 0, recommendedInitializer: null }] as never);
  assert.equal(v.kind, 'dead_units');
  assert.doesNotMatch(v.fix, /never dies/);
  assert.match(v.fix, /pre-activations are exactly 0.*he_normal/);
});
