// The verdict's rules and thresholds (diagnostics/verdict.ts) on hand-made layer summaries.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLI_PHRASING, DEAD_FRACTION_LIMIT, EXPLODING_RATIO, type FixPhrasing, SATURATION_LIMIT, VANISHING_RATIO, type VerdictLayer, judge } from '../../src/diagnostics/verdict.js';

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

test('the fix in two audiences\' words: CLI flags by default, a page\'s controls with a FixPhrasing; the same verdict otherwise', () => {
  const page: FixPhrasing = {
    initializer: (name) => `set Initializer to ${name}`, clipping: 'set Gradient clipping to global_clip_norm', standardize: 'already done',
    batchNorm: 'tick Batch normalization', skipConnections: 'not in the page',
  };
  // ReLU with glorot_uniform, vanishing: the initializer advice and batch normalization.
  const vanishing = net([1e-6, 1e-3, 1]).map((l) => (l.activation === 'relu' ? { ...l, initializer: 'glorot_uniform', recommendedInitializer: 'he_normal' } : l));
  const cli = judge(vanishing);
  assert.equal(cli.fix, judge(vanishing, undefined, CLI_PHRASING).fix);
  assert.equal(cli.fix, 'Initialize the relu layers with he_normal instead of glorot_uniform (variance 2 / fan_in): --init he_normal, or kernelInitializer: \'he_normal\'; or add batch normalization after each hidden layer.');
  const inPage = judge(vanishing, undefined, page);
  assert.equal(inPage.fix, 'Initialize the relu layers with he_normal instead of glorot_uniform (variance 2 / fan_in): set Initializer to he_normal; or add batch normalization after each hidden layer (tick Batch normalization).');
  assert.deepEqual({ ...inPage, fix: '' }, { ...cli, fix: '' }, 'only the fix\'s words differ');
  // Exploding with the table's initializers: clipping and standardization, in each audience's words.
  const exploding = net([EXPLODING_RATIO * 2, 1, 1]);
  assert.match(judge(exploding).fix, /^The initializers already follow the chapter's table, so standardize the inputs \(mean 0 and variance 1 per feature: --standardize\); clip gradients \(optimizer clipnorm: 1\.0\)/);
  assert.match(judge(exploding, undefined, page).fix, /^The initializers already follow the chapter's table, so standardize the inputs \(mean 0 and variance 1 per feature: already done\); clip gradients \(set Gradient clipping to global_clip_norm\) and lower the learning rate; or add batch normalization after each hidden layer \(tick Batch normalization\)\.$/);
  // A plain deep network (10 hidden layers): skip connections, in each audience's words.
  const deep = net([1e-6, ...Array<number>(9).fill(1)]);
  const structure = { skipConnections: false, batchNormalization: false };
  assert.match(judge(deep, structure).fix, /^Add skip connections: residual blocks y = x \+ F\(x\) \(layers\.Add on a functional Model; He et al\. 2016, arXiv:1512\.03385\), or batch normalization after each hidden layer\.$/);
  assert.match(judge(deep, structure, page).fix, /^Add skip connections: residual blocks y = x \+ F\(x\) \(not in the page; He et al\. 2016, arXiv:1512\.03385\), or batch normalization after each hidden layer \(tick Batch normalization\)\.$/);
});
