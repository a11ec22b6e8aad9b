// The callbacks inside the real training loop (Sequential.fit): EarlyStopping stops and restores,
// TerminateOnNaN stops after the NaN batch, and the learning-rate callbacks change the optimizer's
// rate between epochs. Small data, a few milliseconds each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Callback, type Logs } from '../../src/callbacks/callback.js';
import { EarlyStopping } from '../../src/callbacks/early_stopping.js';
import { LearningRateScheduler } from '../../src/callbacks/learning_rate_scheduler.js';
import { ReduceLROnPlateau } from '../../src/callbacks/reduce_lr_on_plateau.js';
import { TerminateOnNaN } from '../../src/callbacks/terminate_on_nan.js';
import { Rng } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { Dense } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    x[2 * i] = (c === 0 ? -1 : 1) + 0.5 * rng.nextNormal();
    x[2 * i + 1] = 0.5 * rng.nextNormal();
    y[i] = c;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}

function model(lr = 0.1): Sequential {
  const m = new Sequential([new Dense(4, { activation: 'relu' }), new Dense(2, { activation: 'softmax' })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: lr }), metrics: ['accuracy'], initializerAdvice: false });
  assert.equal(m.optimizer, m.compiled?.optimizer, 'Sequential exposes its compiled optimizer');
  return m;
}

/** Records the weights at the end of each epoch and the number of batches run. */
class Recorder extends Callback {
  weights: number[][] = [];
  batches = 0;
  lrs: number[] = [];
  override onBatchEnd(): void {
    this.batches++;
  }
  override onEpochEnd(_epoch: number, _logs: Logs = {}): void {
    this.weights.push(this.model!.layers.flatMap((l) => l.weights).flatMap((w) => Array.from(w.data)));
    const opt = (this.model as { optimizer?: { currentLearningRate(): number } }).optimizer;
    if (opt !== undefined) this.lrs.push(opt.currentLearningRate());
  }
}

test('fit + EarlyStopping: stops after patience epochs without improvement and restores the best epoch', async () => {
  const { x, y } = data(64, 1);
  const m = model();
  const rec = new Recorder();
  // minDelta 1e9: only the first epoch counts as an improvement (inf), so with patience 1 training
  // stops at epoch 1 (the second), whatever the losses; the weights of epoch 0 come back.
  const es = new EarlyStopping({ monitor: 'loss', minDelta: 1e9, patience: 1, restoreBestWeights: true });
  const h = await m.fit(x, y, { epochs: 10, batchSize: 16, seed: 3, callbacks: [rec, es] });
  assert.equal(h.history.loss.length, 2);
  assert.equal(es.stoppedEpoch, 1);
  const now = m.layers.flatMap((l) => l.weights).flatMap((w) => Array.from(w.data));
  assert.deepEqual(now, rec.weights[0]);
  assert.notDeepEqual(now, rec.weights[1]);
});

test('fit + TerminateOnNaN: a NaN weight makes the loss NaN and training stops after that batch', async () => {
  const { x, y } = data(64, 2);
  // fit refuses NaN inputs up front, so the NaN comes from a weight: every loss is NaN from the first batch.
  const m = model();
  m.build([null, 2]);
  m.layers[0].weights[0].data[0] = Number.NaN;
  const rec = new Recorder();
  const stop = new TerminateOnNaN({ verbose: 0 });
  // monitor: false, so TerminateOnNaN alone watches the loss.
  const h = await m.fit(x, y, { epochs: 5, batchSize: 16, shuffle: false, callbacks: [stop, rec], monitor: false, verbose: 0 });
  assert.equal(rec.batches, 1);
  assert.equal(h.history.loss.length, 1);
  assert.deepEqual(stop.terminated?.batch, 0);
  assert.ok(Number.isNaN(stop.terminated!.loss));
});

test('fit + LearningRateScheduler and ReduceLROnPlateau change the rate between epochs', async () => {
  const { x, y } = data(64, 3);
  const m = model(0.1);
  const rec = new Recorder();
  await m.fit(x, y, { epochs: 3, batchSize: 32, seed: 1, callbacks: [new LearningRateScheduler((epoch) => 0.1 / (epoch + 1)), rec] });
  assert.deepEqual(rec.lrs, [0.1, 0.05, 0.1 / 3]);

  const m2 = model(0.1);
  const rec2 = new Recorder();
  // Monitoring 'loss' in max mode: a decreasing loss never improves, so with patience 1 the rate halves each epoch after the first.
  const plateau = new ReduceLROnPlateau({ monitor: 'loss', mode: 'max', factor: 0.5, patience: 1, minDelta: 0 });
  await m2.fit(x, y, { epochs: 3, batchSize: 32, seed: 1, callbacks: [plateau, rec2] });
  assert.equal(rec2.lrs[0], 0.1);
  assert.ok(rec2.lrs[2] < rec2.lrs[0]);
});
