/**
 * Resuming `fit` from a checkpoint taken in memory (weights, optimizer state, training state, all
 * through JSON) continues bit for bit as the uninterrupted run: same history for the remaining
 * epochs and the same final weights. The model has dropout (random masks), batch normalization
 * (moving statistics) and Adam (moments, iterations), the state that a resume can lose.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { BatchNormalization, Dense, Dropout, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { Adam } from '../../src/optimizers/adam.js';
import type { TrainingState } from '../../src/models/training_state.js';

function data(n: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(7);
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    for (let j = 0; j < 4; j++) x[4 * i + j] = c - 1 + 0.8 * rng.nextNormal() * (j + 1) / 4;
    y[i] = c;
  }
  return { x: new Tensor(x, [n, 4]), y: new Tensor(y, [n]) };
}

function model(initSeed: number): Sequential {
  setSeed(initSeed);
  resetLayerNames();
  const m = new Sequential([
    new Dense(16, { activation: 'relu', inputShape: [4] }),
    new BatchNormalization(),
    new Dropout(0.3),
    new Dense(3, { activation: 'softmax' }),
  ]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.01 }), metrics: ['accuracy'], initializerAdvice: false });
  return m;
}

const bits = (a: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(a).buffer));

test('fit resumed from an in-memory checkpoint after epoch 2 equals the uninterrupted 4-epoch run bit for bit', async () => {
  const { x, y } = data(200);
  const opts = { batchSize: 16, seed: 5, validationSplit: 0.2 };

  const full = model(1);
  const fullHistory = await full.fit(x, y, { ...opts, epochs: 4 });

  const first = model(1);
  await first.fit(x, y, { ...opts, epochs: 2 });
  // The checkpoint, through JSON as a file would hold it.
  const saved = JSON.parse(JSON.stringify({
    weights: first.getWeights(),
    optimizer: first.optimizer!.getState(first.weights),
    training: first.trainingState,
  })) as { weights: number[][]; optimizer: ReturnType<Adam['getState']>; training: TrainingState };
  assert.equal(saved.training.epoch, 2);
  assert.deepEqual(Object.keys(saved.training.layerRngs), ['dropout']);

  // A new process: other initial weights, a fresh optimizer, then the checkpoint restored.
  const resumed = model(99);
  resumed.setWeights(saved.weights);
  resumed.optimizer!.setState(saved.optimizer, resumed.weights);
  resumed.setTrainingState(saved.training);
  const rest = await resumed.fit(x, y, { ...opts, epochs: 4, initialEpoch: 2 });

  assert.deepEqual(rest.epoch, [2, 3]);
  for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
    assert.deepEqual(bits(rest.history[key]), bits(fullHistory.history[key].slice(2)), key);
  }
  full.weights.forEach((w, i) => assert.deepEqual(bits(resumed.weights[i].data), bits(w.data), w.name));
});

test('without the training state the resumed run differs (the dropout stream is part of the checkpoint)', async () => {
  const { x, y } = data(200);
  const opts = { batchSize: 16, seed: 5 };
  const full = model(1);
  const fullHistory = await full.fit(x, y, { ...opts, epochs: 3 });
  const first = model(1);
  await first.fit(x, y, { ...opts, epochs: 2 });
  const resumed = model(99);
  resumed.setWeights(first.getWeights());
  resumed.optimizer!.setState(first.optimizer!.getState(first.weights), resumed.weights);
  const rest = await resumed.fit(x, y, { ...opts, epochs: 3, initialEpoch: 2 });
  assert.notDeepEqual(bits(rest.history.loss), bits(fullHistory.history.loss.slice(2)));
});

test('initialEpoch beyond epochs and malformed training states are rejected with the field named', async () => {
  const { x, y } = data(30);
  const m = model(1);
  await assert.rejects(m.fit(x, y, { epochs: 2, initialEpoch: 3 }), (e: Error) => e instanceof ValueError && /initialEpoch 3 is beyond epochs 2/.test(e.message));
  await assert.rejects(m.fit(x, y, { epochs: 2, initialEpoch: -1 }), /initialEpoch must be a non-negative integer/);
  await m.fit(x, y, { epochs: 1, seed: 1 });
  const good = m.trainingState!;
  assert.throws(() => m.setTrainingState({ ...good, epoch: 1.5 }), /'epoch' must be a non-negative integer/);
  assert.throws(() => m.setTrainingState({ ...good, layerRngs: { dense_9: good.layerRngs.dropout } }), /layer "dense_9", which the model does not have/);
  assert.throws(() => m.setTrainingState({ ...good, layerRngs: {} }), /no random stream saved for layer "dropout"/);
  assert.throws(() => m.setTrainingState({ ...good, shuffler: { ...good.shuffler, used: 7 } }), /'used' must be an integer in 0..4/);
});

test('Rng.fromState continues the stream exactly, including the spare normal', () => {
  const a = new Rng(42);
  a.nextUint32();
  a.nextNormal(); // leaves a spare
  const b = Rng.fromState(JSON.parse(JSON.stringify(a.getState())));
  const fromA = [a.nextNormal(), a.nextUint32(), a.nextDouble(), a.nextNormal()];
  const fromB = [b.nextNormal(), b.nextUint32(), b.nextDouble(), b.nextNormal()];
  assert.deepEqual(fromB, fromA);
  assert.throws(() => Rng.fromState({ ...a.getState(), key: [1, -1] }), /'key' must be an array of 2 uint32 words/);
});
