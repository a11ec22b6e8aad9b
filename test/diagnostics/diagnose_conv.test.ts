// diagnoseModel on convolution layers: a hand-computed 1x1 convolution, the channel count as units,
// dead channels, and the layers and merge layers of a residual convnet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/core/tensor.js';
import { setSeed } from '../../src/core/random.js';
import { diagnoseModel } from '../../src/diagnostics/diagnose.js';
import { Conv2D } from '../../src/layers/conv2d.js';
import { DepthwiseConv2D } from '../../src/layers/depthwise_conv2d.js';
import { Dense } from '../../src/layers/dense.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Sequential } from '../../src/models/sequential.js';
import { buildResnet } from '../../src/cli/resnet.js';

test('a 1x1 ReLU convolution with kernel 1: pre-activation and activation statistics by hand, one channel as units', () => {
  const model = new Sequential([
    new Conv2D(1, 1, { activation: 'relu', kernelInitializer: 'ones', useBias: false, inputShape: [2, 2, 1] }),
    new Flatten(),
    new Dense(2, { activation: 'softmax' }),
  ]);
  // One image [[1, -2], [3, -4]]: z = x (kernel 1, no bias) = 1, -2, 3, -4; relu(z) = 1, 0, 3, 0.
  const x = tensor([1, -2, 3, -4], [1, 2, 2, 1]);
  const d = diagnoseModel(model, x, tensor([0], [1]));
  const conv = d.layers[0];
  assert.equal(d.layers.length, 2);
  assert.equal(conv.units, 1);
  // mean z = -2 / 4 = -0.5; E[z^2] = (1 + 4 + 9 + 16) / 4 = 7.5; std = sqrt(7.5 - 0.25) = sqrt(7.25).
  assert.ok(Math.abs(conv.preActivationMean - -0.5) < 1e-6);
  assert.ok(Math.abs(conv.preActivationStd - Math.sqrt(7.25)) < 1e-5);
  // relu: mean (1 + 3) / 4 = 1; E[a^2] = 10 / 4 = 2.5, std = sqrt(2.5 - 1) = sqrt(1.5).
  assert.ok(Math.abs(conv.activationMean - 1) < 1e-6);
  assert.ok(Math.abs(conv.activationStd - Math.sqrt(1.5)) < 1e-5);
  // The channel outputs 1 and 3 somewhere: not dead. Measured ratio E[a^2] / E[x^2] = 2.5 / 7.5.
  assert.equal(conv.deadFraction, 0);
  assert.ok(Math.abs(conv.measuredVarianceRatio - 1 / 3) < 1e-6);
  assert.equal(conv.initializer, 'ones');
});

test('a channel that outputs 0 at every position of every image is dead; DepthwiseConv2D counts channels x multiplier', () => {
  setSeed(3);
  const conv = new Conv2D(2, 1, { activation: 'relu', useBias: false, inputShape: [2, 2, 1] });
  const model = new Sequential([conv, new DepthwiseConv2D(1, { depthMultiplier: 3 }), new Flatten(), new Dense(2, { activation: 'softmax' })]);
  model.build([null, 2, 2, 1]);
  // Kernel [1, 1, 1, 2] = [1, -1]: on positive inputs channel 0 passes them, channel 1 is always 0.
  conv.kernel?.data.set([1, -1]);
  const d = diagnoseModel(model, tensor([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2, 1]), tensor([0, 1], [2]));
  assert.equal(d.layers[0].deadFraction, 0.5);
  assert.equal(d.layers[1].units, 6);
});

test('a residual convnet: every convolution (stem, blocks, 1x1 projections) and the Dense layer diagnosed, one merge row per Add', () => {
  setSeed(1);
  const model = buildResnet({ inputShape: [12, 12], depth: 2, activation: 'relu', init: 'he_normal', classes: 3, width: 2 });
  const x = tensor(Array.from({ length: 4 * 144 }, (_, i) => (i % 7) / 7), [4, 12, 12]);
  const d = diagnoseModel(model, x, tensor([0, 1, 2, 0], [4]));
  // stem + 2 blocks x 2 convs + 1 projection (block 2 halves the map and doubles the filters) + Dense = 7.
  assert.equal(d.layers.length, 7);
  assert.deepEqual(d.layers[0].units, 2, 'the stem has width 2 filters');
  assert.equal(d.merges.length, 2);
  assert.ok(d.merges.every((m) => m.className === 'Add' && Number.isFinite(m.gradientStd) && m.gradientStd > 0));
  assert.equal(d.structure.skipConnections, true);
  assert.ok(d.layers.every((l) => Number.isFinite(l.gradientStd) && Number.isFinite(l.kernelGradientStd)));
  // he_normal suits every conv: the linear ones (each block's second conv, the projection) reach relu after the Add,
  // so none is told to use glorot_uniform; the softmax Dense has glorot_uniform. With --batch-norm every conv is linear -> BN.
  assert.deepEqual(d.layers.map((l) => l.recommendedInitializer), new Array(7).fill(null));
  setSeed(1);
  const bn = buildResnet({ inputShape: [12, 12], depth: 2, activation: 'relu', init: 'he_normal', classes: 3, width: 2, batchNorm: true });
  assert.deepEqual(diagnoseModel(bn, x, tensor([0, 1, 2, 0], [4])).layers.map((l) => l.recommendedInitializer), new Array(7).fill(null));
});
