// LearningRateScheduler, ReduceLROnPlateau, EarlyStopping and TerminateOnNaN driven directly (a fake
// model with a real optimizer and real Dense weights), with Keras 3's semantics; case 18's
// ReduceLROnPlateau sequence; each remedy changes training the way it should.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFiniteError, ShapeError, ValueError } from '../../src/core/errors.js';
import type { Callback, CallbackModel, Logs } from '../../src/callbacks/callback.js';
import { EarlyStopping } from '../../src/callbacks/early_stopping.js';
import { LearningRateScheduler } from '../../src/callbacks/learning_rate_scheduler.js';
import { ReduceLROnPlateau } from '../../src/callbacks/reduce_lr_on_plateau.js';
import { TerminateOnNaN } from '../../src/callbacks/terminate_on_nan.js';
import { Dense } from '../../src/layers/dense.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { ExponentialDecay } from '../../src/optimizers/schedules/exponential_decay.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';

/** A model as callbacks see it: real layers with built weights, a real optimizer. */
function fakeModel(optimizer: Optimizer | null = new SGD({ learningRate: 0.1 })): CallbackModel & { optimizer?: Optimizer } {
  const dense = new Dense(2);
  dense.build([null, 3]);
  return { stopTraining: false, layers: [dense], optimizer: optimizer ?? undefined };
}

const weightsOf = (model: CallbackModel): number[][] => model.layers.flatMap((l) => l.weights).map((w) => Array.from(w.data));
const setAllWeights = (model: CallbackModel, value: number): void => {
  for (const w of model.layers.flatMap((l) => l.weights)) w.data.fill(value);
};

/**
 * Drives callbacks as fit does over epochs with the given val_loss values; `beforeEpochEnd(e)` runs
 * "training" of epoch e. Returns the number of epochs run.
 */
function drive(callbacks: Callback[], model: CallbackModel, valLosses: number[], beforeEpochEnd: (epoch: number) => void = () => {}): number {
  for (const cb of callbacks) cb.setModel(model);
  model.stopTraining = false;
  for (const cb of callbacks) cb.onTrainBegin();
  let epochs = 0;
  for (let epoch = 0; epoch < valLosses.length && !model.stopTraining; epoch++) {
    for (const cb of callbacks) cb.onEpochBegin(epoch);
    beforeEpochEnd(epoch);
    const logs: Logs = { loss: 1, val_loss: valLosses[epoch] };
    for (const cb of callbacks) cb.onEpochEnd(epoch, logs);
    epochs++;
  }
  for (const cb of callbacks) cb.onTrainEnd();
  return epochs;
}

test('case 18: ReduceLROnPlateau(factor 0.5, patience 2, minDelta 0) with val_loss 1.0, 0.9, 0.95, 0.96 halves the lr at the end of epoch 4', () => {
  const model = fakeModel(new SGD({ learningRate: 0.1 }));
  const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 2, minDelta: 0 });
  cb.setModel(model);
  cb.onTrainBegin();
  const seen: number[] = [];
  const logged: number[] = [];
  for (const [epoch, v] of [1.0, 0.9, 0.95, 0.96].entries()) {
    const logs: Logs = { val_loss: v };
    cb.onEpochEnd(epoch, logs);
    seen.push(model.optimizer!.currentLearningRate());
    logged.push(logs.learning_rate);
  }
  // best 1.0 -> 0.9 (wait 0), 0.95 (wait 1), 0.96 (wait 2 >= patience): reduce to 0.05.
  assert.deepEqual(seen, [0.1, 0.1, 0.1, 0.05]);
  // learning_rate in the logs is the rate used during the epoch (Keras logs it before reducing).
  assert.deepEqual(logged, [0.1, 0.1, 0.1, 0.1]);
  assert.equal(cb.wait, 0);
});

test('ReduceLROnPlateau: minDelta, cooldown, minLr and max mode (Keras semantics)', () => {
  // Default minDelta 1e-4: 0.99995 is not an improvement on 1.0 (needs < 1.0 - 1e-4).
  const model = fakeModel(new SGD({ learningRate: 1 }));
  const cb = new ReduceLROnPlateau({ factor: 0.5, patience: 1, cooldown: 2, minLr: 0.2 });
  drive([cb], model, [1.0, 0.99995, 2, 2, 2, 2, 2, 2]);
  // e0 best 1; e1 wait 1 -> lr 0.5, cooldown 2; e2 cooldown 2 -> 1 (no counting); e3 cooldown 1 -> 0,
  // then counting resumes in the same epoch (Keras): wait 1 -> 0.25, cooldown 2; e4 -> 1; e5 -> 0,
  // wait 1 -> max(0.125, 0.2) = 0.2; e6 -> 1; e7 -> 0, wait 1 but lr 0.2 is not above minLr.
  assert.equal(model.optimizer!.currentLearningRate(), 0.2);
  // At minLr it stays there.
  drive([cb], model, [1, 2, 2, 2]);
  assert.equal(model.optimizer!.currentLearningRate(), 0.2);
  // 'auto' on an accuracy watches for increases.
  const accModel = fakeModel(new SGD({ learningRate: 1 }));
  const acc = new ReduceLROnPlateau({ monitor: 'val_accuracy', patience: 1, factor: 0.5 });
  assert.equal(acc.direction, 'max');
  acc.setModel(accModel);
  acc.onTrainBegin();
  for (const [e, v] of [0.5, 0.6, 0.55].entries()) acc.onEpochEnd(e, { val_accuracy: v });
  assert.equal(accModel.optimizer!.currentLearningRate(), 0.5);
});

test('ReduceLROnPlateau and LearningRateScheduler refuse a schedule-driven optimizer, a missing optimizer and bad options', () => {
  const scheduled = fakeModel(new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) }));
  for (const cb of [new ReduceLROnPlateau(), new LearningRateScheduler((_e, lr) => lr)]) {
    cb.setModel(scheduled);
    assert.throws(() => cb.onTrainBegin(), (e: unknown) => e instanceof ValueError && /is a schedule \(ExponentialDecay\)/.test(e.message));
    cb.setModel(fakeModel(null));
    assert.throws(() => cb.onTrainBegin(), (e: unknown) => e instanceof ValueError && /no optimizer/.test(e.message));
  }
  for (const factor of [1, 0, 1.5, -0.5, Number.NaN]) assert.throws(() => new ReduceLROnPlateau({ factor }), (e: unknown) => e instanceof ValueError && /factor/.test(e.message));
  assert.throws(() => new ReduceLROnPlateau({ patience: 1.5 }), /patience/);
  assert.throws(() => new ReduceLROnPlateau({ monitor: 'val_foo' }), (e: unknown) => e instanceof ValueError && /mode: 'min' or mode: 'max'/.test(e.message));
  assert.equal(new ReduceLROnPlateau({ monitor: 'val_foo', mode: 'max' }).direction, 'max');
  assert.throws(() => new ReduceLROnPlateau({ mode: 'minn' as never }), (e: unknown) => e instanceof ValueError && /Did you mean 'min'\?/.test(e.message));
  assert.throws(() => new LearningRateScheduler(0.1 as never), ValueError);
});

test("LearningRateScheduler sets the rate at each epoch's start from (epoch, lr) and logs learning_rate", () => {
  // The book's exponential schedule per epoch: 0.01 * 0.1^(epoch / 20): 0.01, 0.0089, 0.0079, ...
  const model = fakeModel(new SGD({ learningRate: 0.5 }));
  const calls: [number, number][] = [];
  const cb = new LearningRateScheduler((epoch, lr) => {
    calls.push([epoch, lr]);
    return 0.01 * 0.1 ** (epoch / 20);
  });
  const logged: number[] = [];
  const spy = new (class extends LearningRateScheduler {
    override onEpochEnd(_epoch: number, logs: Logs = {}): void {
      logged.push(logs.learning_rate);
    }
  })((_e, lr) => lr);
  drive([cb, spy], model, [1, 1, 1]);
  assert.deepEqual(calls.map(([e]) => e), [0, 1, 2]);
  assert.equal(calls[0][1], 0.5); // the current rate is passed in
  assert.equal(calls[1][1], 0.01);
  assert.deepEqual(logged.map((x) => Number(x.toFixed(4))), [0.01, 0.0089, 0.0079]);
  assert.equal(model.optimizer!.learningRate, 0.01 * 0.1 ** 0.1);
  // A bad return value is named with the epoch.
  const bad = new LearningRateScheduler(() => Number.NaN);
  bad.setModel(fakeModel());
  assert.throws(() => bad.onEpochBegin(3), (e: unknown) => e instanceof ValueError && /schedule\(3, 0\.1\) returned NaN/.test(e.message));
});

test('EarlyStopping stops after `patience` epochs without improvement and restores the best weights', () => {
  const model = fakeModel();
  const cb = new EarlyStopping({ patience: 2, restoreBestWeights: true });
  // Epoch e's "training" sets every weight to e; val_loss is best at epoch 1.
  const epochs = drive([cb], model, [1.0, 0.5, 0.6, 0.7, 0.8, 0.9], (e) => setAllWeights(model, e));
  // Epoch 2: wait 1; epoch 3: wait 2 >= 2 -> stop. Four epochs ran.
  assert.equal(epochs, 4);
  assert.equal(cb.stoppedEpoch, 3);
  assert.equal(cb.bestEpoch, 1);
  assert.equal(cb.best, 0.5);
  // Restored at the end of training: every weight (kernel and bias) equals its value after epoch 1.
  for (const w of weightsOf(model)) assert.ok(w.every((x) => x === 1));
});

test('EarlyStopping without restoreBestWeights keeps the last weights; patience 0 stops at the first non-improving epoch', () => {
  const model = fakeModel();
  const cb = new EarlyStopping({ patience: 0 });
  const epochs = drive([cb], model, [1.0, 0.9, 0.95, 0.5], (e) => setAllWeights(model, e));
  assert.equal(epochs, 3);
  for (const w of weightsOf(model)) assert.ok(w.every((x) => x === 2));
});

test('EarlyStopping: minDelta, baseline, startFromEpoch, max mode, and restoring from the first epoch when none improves', () => {
  // minDelta 0.1: 0.95 and 0.92 are not improvements on 1.0 (need < 0.9).
  let cb = new EarlyStopping({ minDelta: -0.1, patience: 1 }); // its absolute value is used (Keras)
  assert.equal(cb.minDelta, 0.1);
  assert.equal(drive([cb], fakeModel(), [1.0, 0.95, 0.92, 0.5]), 2);
  // startFromEpoch 2: epochs 0 and 1 are not monitored.
  cb = new EarlyStopping({ patience: 0, startFromEpoch: 2 });
  assert.equal(drive([cb], fakeModel(), [1, 2, 3, 4, 5]), 4);
  // max mode: accuracy dropping stops training.
  cb = new EarlyStopping({ monitor: 'val_accuracy', patience: 0 });
  assert.equal(cb.direction, 'max');
  cb.setModel(fakeModel());
  cb.onTrainBegin();
  cb.onEpochEnd(0, { val_accuracy: 0.8 });
  cb.onEpochEnd(1, { val_accuracy: 0.7 });
  assert.equal(cb.model!.stopTraining, true);
  // baseline 0.5 never beaten: improvements do not reset wait (Keras), so it stops one epoch sooner.
  const losses = [1.0, 0.9, 0.95, 0.97, 0.99];
  assert.equal(drive([new EarlyStopping({ patience: 2 })], fakeModel(), losses), 4);
  assert.equal(drive([new EarlyStopping({ patience: 2, baseline: 0.5 })], fakeModel(), losses), 3);
  // A run that never improves (NaN compares false): the first monitored epoch's weights are restored.
  const model = fakeModel();
  cb = new EarlyStopping({ patience: 1, restoreBestWeights: true, mode: 'max', monitor: 'val_loss' });
  drive([cb], model, [Number.NaN, Number.NaN, Number.NaN], (e) => setAllWeights(model, e + 10));
  for (const w of weightsOf(model)) assert.ok(w.every((x) => x === 10));
});

test('EarlyStopping: a missing monitor raises with the available keys and the fix; bad options', () => {
  const cb = new EarlyStopping();
  cb.setModel(fakeModel());
  cb.onTrainBegin();
  assert.throws(
    () => cb.onEpochEnd(0, { loss: 0.5, accuracy: 0.9 }),
    (e: unknown) => e instanceof ValueError && /monitor 'val_loss' is not in the epoch logs \(available: loss, accuracy\)/.test(e.message) && /validationSplit/.test(e.message),
  );
  assert.throws(() => new EarlyStopping({ patience: -1 }), /patience/);
  assert.throws(() => new EarlyStopping({ monitor: 'lr' }), /cannot tell whether 'lr'/);
  assert.throws(() => new EarlyStopping({ restoreBestWeights: 1 as never }), /restoreBestWeights/);
  assert.throws(() => new TerminateOnNaN().onBatchEnd(0, { loss: Number.NaN }), (e: unknown) => e instanceof ValueError && /no model/.test(e.message));
  // Restoring into a model whose weights changed shape fails loudly.
  const model = fakeModel();
  const es = new EarlyStopping({ restoreBestWeights: true, monitor: 'loss' });
  es.setModel(model);
  es.onTrainBegin();
  es.onEpochEnd(0, { loss: 1 });
  const other = new Dense(4);
  other.build([null, 3]);
  (model as { layers: unknown }).layers = [other];
  assert.throws(() => es.onTrainEnd(), ShapeError);
});

test('TerminateOnNaN stops at the end of the batch whose loss is NaN or infinite', () => {
  for (const bad of [Number.NaN, Infinity, -Infinity]) {
    const model = fakeModel();
    const cb = new TerminateOnNaN();
    cb.setModel(model);
    cb.onTrainBegin();
    cb.onEpochBegin(2);
    let batches = 0;
    for (const [batch, loss] of [0.7, 0.6, bad, 0.5].entries()) {
      cb.onBatchEnd(batch, { loss });
      batches++;
      if (model.stopTraining) break;
    }
    assert.equal(batches, 3);
    assert.deepEqual(cb.terminated, { epoch: 2, batch: 2, loss: bad });
  }
  const strict = new TerminateOnNaN({ raiseError: true });
  strict.setModel(fakeModel());
  assert.throws(() => strict.onBatchEnd(4, { loss: Number.NaN }), (e: unknown) => e instanceof NotFiniteError && /batch 4/.test(e.message));
  // Logs without a loss are ignored.
  const quiet = new TerminateOnNaN();
  quiet.setModel(fakeModel());
  quiet.onBatchEnd(0, { accuracy: Number.NaN });
  assert.equal(quiet.model!.stopTraining, false);
});

test('callback configs round-trip (the data-only callbacks)', () => {
  const es = new EarlyStopping({ monitor: 'val_accuracy', minDelta: 0.01, patience: 3, baseline: 0.5, restoreBestWeights: true, startFromEpoch: 2 });
  assert.deepEqual(EarlyStopping.fromConfig(JSON.parse(JSON.stringify(es.getConfig()))).getConfig(), es.getConfig());
  const rl = new ReduceLROnPlateau({ monitor: 'loss', factor: 0.2, patience: 5, mode: 'min', minDelta: 0, cooldown: 1, minLr: 1e-5 });
  assert.deepEqual(ReduceLROnPlateau.fromConfig(JSON.parse(JSON.stringify(rl.getConfig()))).getConfig(), rl.getConfig());
  const tn = new TerminateOnNaN({ raiseError: true });
  assert.deepEqual(TerminateOnNaN.fromConfig(tn.getConfig()).getConfig(), { raiseError: true, verbose: 1 });
  assert.throws(() => EarlyStopping.fromConfig({ patients: 3 }), /Did you mean 'patience'\?/);
});
