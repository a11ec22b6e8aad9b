// getConfig / layerFromConfig round trip of every layer class of the toolkit: the copy has an equal
// config and computes the same outputs (training and inference), so no option is stored but unused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/core/tensor.js';
import {
  AlphaDropout, BatchNormalization, Dense, Dropout, ELU, LeakyReLU, MCAlphaDropout, MCDropout, PReLU,
} from '../../src/layers/index.js';
import type { Layer } from '../../src/layers/layer.js';
import { roundTrip } from './round_trip.js';

const x = tensor([[0.5, -1, 2, 0.25], [1, 0, -0.5, 3], [-2, 1.5, 0.75, -0.25]]);

function sameOutputs(layer: Layer, training: boolean): void {
  const copy = roundTrip(layer);
  assert.deepEqual([...copy.apply(x, { training }).data], [...layer.apply(x, { training }).data], `${layer.className} training=${training}`);
}

test('LeakyReLU, ELU and PReLU round-trip', () => {
  sameOutputs(new LeakyReLU({ negativeSlope: 0.1 }), false);
  sameOutputs(new ELU({ alpha: 0.7 }), false);
  sameOutputs(new PReLU({ alphaInitializer: { class_name: 'RandomUniform', config: { minval: 0, maxval: 0.5, seed: 4 } } }), false);
  const shared = roundTrip(new PReLU({ sharedAxes: [1] }));
  assert.deepEqual(shared.getConfig().sharedAxes, [1]);
  assert.equal(roundTrip(new LeakyReLU({ alpha: 0.05 })).getConfig().negativeSlope, 0.05);
});

test('BatchNormalization round-trips every option, in training and inference', () => {
  const options = {
    axis: -1, momentum: 0.9, epsilon: 1e-2, center: true, scale: true,
    gammaInitializer: { class_name: 'Constant', config: { value: 2 } }, betaInitializer: { class_name: 'Constant', config: { value: 0.5 } },
    movingMeanInitializer: { class_name: 'Constant', config: { value: 0.1 } }, movingVarianceInitializer: { class_name: 'Constant', config: { value: 3 } },
  };
  sameOutputs(new BatchNormalization(options), true);
  sameOutputs(new BatchNormalization(options), false);
  const plain = roundTrip(new BatchNormalization({ center: false, scale: false, trainable: false }));
  assert.equal(plain.trainable, false);
  plain.apply(x);
  assert.equal(plain.weights.length, 2);
});

test('Dropout, AlphaDropout, MCDropout and MCAlphaDropout round-trip; a seeded copy repeats the masks', () => {
  for (const make of [
    () => new Dropout({ rate: 0.3, seed: 11, noiseShape: [null, 4] }),
    () => new AlphaDropout({ rate: 0.2, seed: 12 }),
    () => new MCDropout({ rate: 0.4, seed: 13 }),
    () => new MCAlphaDropout({ rate: 0.1, seed: 14 }),
  ]) {
    sameOutputs(make(), true);
    sameOutputs(make(), false);
  }
  assert.deepEqual(new Dropout(0.5).getConfig().seed, null);
});

test('Dense round-trips its regularizers and constraints (Keras 3 JSON forms)', () => {
  const layer = new Dense(3, {
    activation: 'gelu',
    kernelInitializer: { class_name: 'HeNormal', config: { seed: 5 } },
    kernelRegularizer: 'l2', biasRegularizer: { class_name: 'L1L2', config: { l1: 0.001, l2: 0.002 } },
    kernelConstraint: { class_name: 'MaxNorm', config: { max_value: 1.5, axis: 0 } }, biasConstraint: 'non_neg',
  });
  sameOutputs(layer, false);
  const config = layer.getConfig();
  assert.deepEqual(config.kernelRegularizer, { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null });
  assert.deepEqual(config.kernelConstraint, { module: 'keras.constraints', class_name: 'MaxNorm', config: { max_value: 1.5, axis: 0 }, registered_name: null });
  assert.deepEqual(config.biasConstraint, { module: 'keras.constraints', class_name: 'NonNeg', config: {}, registered_name: null });
  assert.equal(new Dense(2).getConfig().kernelRegularizer, null);
  const copy = roundTrip(layer) as Dense;
  assert.equal(copy.kernelRegularizer?.getClassName(), 'L2');
  assert.equal(copy.kernelConstraint?.getClassName(), 'MaxNorm');
});
