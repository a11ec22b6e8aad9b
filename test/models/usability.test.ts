// Small usability faults a user trial found in the toolkit, each with the value that shows it fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { tensor } from '../../src/core/tensor.js';
import { BatchNormalization } from '../../src/layers/batch_normalization.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { Flatten } from '../../src/layers/flatten.js';
import { Sequential } from '../../src/models/sequential.js';
import { optimizerFromConfig } from '../../src/optimizers/registry.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { CosineDecay } from '../../src/optimizers/schedules/cosine_decay.js';
import * as regularizers from '../../src/regularizers/index.js';

test('summary columns stay aligned when a layer name is longer than Keras\'s column', () => {
  const m = new Sequential([new Flatten({ inputShape: [28, 28] }), new BatchNormalization(), new Dense(10)]);
  const rows = m.summary().split('\n').filter((l) => /\((Flatten|BatchNormalization|Dense)\)/.test(l));
  const shapeColumn = rows.map((r) => r.indexOf('(None'));
  assert.equal(new Set(shapeColumn).size, 1, rows.join('\n'));
});

test('Dropout given a string rate names what it received', () => {
  assert.throws(() => new Dropout('0.5' as unknown as number), (e: unknown) => e instanceof ValueError && /received string "0.5"/.test(e.message));
});

test('regularizers.l2(0.01) works as in Keras (the book\'s form)', () => {
  const r = regularizers.l2(0.01);
  assert.equal(r.getConfig().l2, 0.01);
  assert.equal(regularizers.l1L2().getConfig().l1, 0.01);
});

test('a Keras-format optimizer config loads (snake_case keys, Keras 3 neutral keys)', () => {
  const opt = optimizerFromConfig({ class_name: 'SGD', config: { name: 'SGD', learning_rate: 0.1, momentum: 0.5, clipnorm: null, use_ema: false } });
  assert.deepEqual(opt.getConfig(), { learningRate: 0.1, momentum: 0.5, nesterov: false });
  // A Keras option deepwell cannot honour is refused, naming the key and value.
  assert.throws(() => optimizerFromConfig({ class_name: 'SGD', config: { learning_rate: 0.1, use_ema: true } }), /SGD: config key 'use_ema' = true is not supported/);
});

test('with a schedule, fit logs the learning rate of each epoch', async () => {
  const m = new Sequential([new Dense(2, { activation: 'softmax', inputShape: [2] })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: new CosineDecay({ initialLearningRate: 0.1, decaySteps: 4 }) }) });
  const h = await m.fit(tensor([[0, 1], [1, 0]]), tensor([0, 1]), { epochs: 2, batchSize: 1, shuffle: false });
  // After 2 and 4 steps of cosine decay over 4 steps: 0.1 * (1 + cos(pi/2)) / 2 = 0.05, then 0.
  assert.ok(Math.abs(h.history.learning_rate[0] - 0.05) < 1e-12);
  assert.ok(Math.abs(h.history.learning_rate[1]) < 1e-12);
});
