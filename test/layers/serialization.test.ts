// Round trip of every layer class through getConfig / layerFromConfig: the rebuilt layer has an
// equal config and, with seeded initializers, computes the same outputs (an option that is stored
// but not applied would show up as a different output).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Activation } from '../../src/layers/activation.js';
import { Dense } from '../../src/layers/dense.js';
import { Flatten } from '../../src/layers/flatten.js';
import { layerFromConfig } from '../../src/layers/registry.js';
import { roundTrip } from './round_trip.js';
import { tensor } from '../../src/core/tensor.js';
import { ValueError } from '../../src/core/errors.js';

const x = tensor([[0.5, -1, 2, 0.25], [1, 0, -0.5, 3]]);

test('Dense round-trips every option, and the copy computes the same outputs', () => {
  const variants = [
    new Dense(3, { activation: 'tanh', kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 7 } }, biasInitializer: { class_name: 'Constant', config: { value: 0.5 } } }),
    new Dense(2, { activation: 'relu', useBias: false, kernelInitializer: { class_name: 'HeNormal', config: { seed: 3 } } }),
    new Dense(5, { activation: 'softmax', kernelInitializer: { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_avg', distribution: 'uniform', seed: 1 } } }),
    new Dense(4, { activation: 'selu', trainable: false, kernelInitializer: { class_name: 'LecunNormal', config: { seed: 11 } } }),
  ];
  for (const layer of variants) {
    const copy = roundTrip(layer);
    assert.deepEqual(Array.from(copy.apply(x).data), Array.from(layer.apply(x).data));
    assert.equal(copy.trainable, layer.trainable);
  }
});

test('Dense without bias has no bias weight after the round trip', () => {
  const copy = roundTrip(new Dense(2, { useBias: false }));
  copy.apply(x);
  assert.deepEqual(copy.weights.map((w) => w.name.split('/')[1]), ['kernel']);
});

test('Flatten and Activation round-trip', () => {
  const f = roundTrip(new Flatten({ inputShape: [2, 2] }));
  assert.deepEqual(f.apply(tensor([[[1, 2], [3, 4]]])).shape, [1, 4]);
  const a = roundTrip(new Activation('elu'));
  assert.deepEqual(Array.from(a.apply(x).data), Array.from(new Activation('elu').apply(x).data));
});

test('an unknown layer class names the known ones, the nearest, and how to register', () => {
  assert.throws(() => layerFromConfig({ className: 'Dence', config: {} }), (e: unknown) =>
    e instanceof ValueError && /Dence/.test(e.message) && /Did you mean 'Dense'/.test(e.message) && /registerSerializable\(MyLayer\)/.test(e.message));
});
