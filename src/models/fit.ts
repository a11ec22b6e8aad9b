/**
 * The training loop behind `Sequential.fit`: shuffled mini-batches, forward in training mode, loss,
 * one backward pass, callbacks' gradient hook, optimizer update; validation at each epoch's end.
 */
import { ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { Rng, getGlobalRng, setSeed } from '../core/random.js';
import { captureTrainingState } from './training_state.js';
import type { Tensor } from '../core/tensor.js';
import { backward } from '../autodiff/backward.js';
import { add } from '../ops/arithmetic.js';
import { LearningRateSchedule } from '../optimizers/schedules/learning_rate_schedule.js';
import type { Callback, Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { countCorrect } from '../metrics/accuracy.js';
import { checkSparseLabels } from '../losses/losses.js';
import { gatherRows, rowRange } from './batches.js';
import { type Sequential, checkBatchSize, checkSamples } from './sequential.js';

export interface FitOptions {
  /** Number of passes over the training data, a positive integer. Default 1. */
  epochs?: number;
  /** Samples per gradient step, a positive integer. Default 32. */
  batchSize?: number;
  /** Reshuffle the training samples before each epoch. Default true. */
  shuffle?: boolean;
  /**
   * Seed of the run. When given, the global generator is reseeded with it first (so weights not
   * yet built are reproducible too), and shuffling draws from its own stream derived from it.
   */
  seed?: number;
  /** Fraction in [0, 1) of the samples, taken from the end before shuffling, held out for validation (Keras). */
  validationSplit?: number;
  /** Explicit validation data; takes precedence over validationSplit. */
  validationData?: readonly [Tensor, Tensor];
  /** Callbacks called during training (a History is always added and returned). */
  callbacks?: readonly Callback[];
  /**
   * Epoch at which to start (Keras `initial_epoch`): training runs epochs `initialEpoch` to
   * `epochs - 1`, so `epochs` is the total. The shuffler is first moved on by `initialEpoch`
   * shuffles, from the model's restored `trainingState` when it has one for that epoch (a loaded
   * checkpoint), else from `seed`; with the weights and optimizer state of the checkpoint, the run
   * continues bit for bit as the uninterrupted one. Default 0.
   */
  initialEpoch?: number;
}

/** The keys of `FitOptions`. */
export const FIT_OPTION_KEYS = keysOf<FitOptions>({
  epochs: true, batchSize: true, shuffle: true, seed: true, validationSplit: true, validationData: true, callbacks: true, initialEpoch: true,
});

function checkEpochs(epochs: unknown, what = 'epochs'): number {
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) {
    throw new ValueError(`${what} must be a non-negative integer, received ${String(epochs)}.`);
  }
  return epochs;
}

/**
 * Running means over the samples seen: `loss` (including penalties, as Keras reports it),
 * `regularization_loss` (the penalties alone, when there are any) and `accuracy`.
 */
function epochLogs(lossSum: number, regularizationSum: number | null, correct: number, seen: number, withAccuracy: boolean): Logs {
  const n = Math.max(seen, 1);
  const logs: Logs = { loss: lossSum / n };
  if (regularizationSum !== null) logs.regularization_loss = regularizationSum / n;
  if (withAccuracy) logs.accuracy = correct / n;
  return logs;
}

/** Yields to the event loop so progress output and signals are handled between epochs. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function fitLoop(model: Sequential, x: Tensor, y: Tensor, options: FitOptions): Promise<History> {
  checkOptionKeys('Sequential.fit', options, FIT_OPTION_KEYS);
  checkSamples(x, y);
  const epochs = checkEpochs(options.epochs ?? 1);
  const batchSize = checkBatchSize(options.batchSize ?? 32);
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new ValueError(`validationSplit must be a number in [0, 1), received ${String(split)}.`);
  }
  const initialEpoch = checkEpochs(options.initialEpoch ?? 0, 'initialEpoch');
  if (initialEpoch > epochs) {
    throw new ValueError(`initialEpoch ${initialEpoch} is beyond epochs ${epochs}; epochs is the total number of epochs (Keras), so resume with epochs > initialEpoch.`);
  }
  if (options.seed !== undefined) setSeed(options.seed);

  let xTrain = x;
  let yTrain = y;
  let validation = options.validationData;
  if (validation === undefined && split > 0) {
    const nTrain = Math.floor(x.shape[0] * (1 - split));
    xTrain = rowRange(x, 0, nTrain);
    yTrain = rowRange(y, 0, nTrain);
    validation = [rowRange(x, nTrain, x.shape[0]), rowRange(y, nTrain, y.shape[0])];
  }
  if (!model.built) model.build([null, ...x.shape.slice(1)]);
  const compiled = model.requireCompiled(model.outputUnits());
  const n = xTrain.shape[0];
  if (n === 0) {
    throw new ValueError(`fit: no training samples${split > 0 ? `: validationSplit ${split} of ${x.shape[0]} samples leaves none` : ''}. Pass more samples or a smaller validationSplit.`);
  }
  // Labels are checked once against the dataset, so a bad one is named by its sample index.
  if (compiled.lossName === 'sparse_categorical_crossentropy') checkSparseLabels(y.data, model.outputUnits());
  const steps = Math.ceil(n / batchSize);
  const history = new History();
  // History last, as Keras: it records what the other callbacks added to the epoch logs (learning_rate).
  const callbacks = model.withCallbacks([...(options.callbacks ?? []), history]);
  for (const cb of callbacks) cb.params = { epochs, steps, samples: n };
  model.stopTraining = false;

  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  model.resumeEpoch = null;
  for (const cb of callbacks) await cb.onTrainBegin();
  // A callback (BackupAndRestore) may have restored a checkpoint and asked to start later.
  const startEpoch = Math.max(initialEpoch, model.resumeEpoch ?? 0);
  model.resumeEpoch = null;
  const restored = startEpoch > 0 && model.trainingState?.epoch === startEpoch ? model.trainingState : null;
  const rng = restored !== null ? Rng.fromState(restored.shuffler)
    : options.seed !== undefined ? new Rng(options.seed).derive('fit/shuffle') : getGlobalRng().derive('fit/shuffle');
  const shufflerStart = rng.getState();
  // Replays the shuffles of the epochs already done, so epoch `startEpoch` sees the same order.
  if (options.shuffle ?? true) for (let e = 0; e < startEpoch; e++) rng.shuffle(order);
  for (let epoch = startEpoch; epoch < epochs && !model.stopTraining; epoch++) {
    for (const cb of callbacks) await cb.onEpochBegin(epoch);
    if (options.shuffle ?? true) rng.shuffle(order);
    let lossSum = 0;
    let regularizationSum = 0;
    let hasPenalties = false;
    let correct = 0;
    let seen = 0;
    let xBuf: Tensor | undefined;
    let yBuf: Tensor | undefined;
    for (let batch = 0; batch < steps; batch++) {
      const start = batch * batchSize;
      const end = Math.min(n, start + batchSize);
      for (const cb of callbacks) cb.onBatchBegin(batch);
      const xb = gatherRows(xTrain, order, start, end, xBuf);
      const yb = gatherRows(yTrain, order, start, end, yBuf);
      if (end - start === batchSize) {
        xBuf = xb;
        yBuf = yb;
      }
      const pred = model.call(xb, { training: true });
      const dataLoss = compiled.loss(yb, pred);
      const penalties = model.layers.flatMap((l) => l.regularizationLosses());
      const loss = penalties.length === 0 ? dataLoss : penalties.reduce((acc, p) => add(acc, p), dataLoss);
      const weights = model.trainableWeights;
      const grads = backward(loss, weights);
      const lossValue = loss.data[0];
      for (const cb of callbacks) cb.onGradients({ epoch, batch, layers: model.layers, weights, grads, loss: lossValue });
      // A callback that stops training here (a non-finite value) keeps the last finite weights.
      if (!model.stopTraining) {
        compiled.optimizer.applyGradients(grads, weights);
        for (const l of model.layers) l.applyConstraints();
      }
      if (penalties.length > 0) {
        hasPenalties = true;
        // Summed from the penalties themselves (not loss - data loss, which loses digits when the data loss is large).
        regularizationSum += penalties.reduce((acc, p) => acc + p.data[0], 0) * (end - start);
      }
      lossSum += lossValue * (end - start);
      seen += end - start;
      if (compiled.accuracy !== null) correct += countCorrect(compiled.accuracy, yb, pred);
      const logs = epochLogs(lossSum, hasPenalties ? regularizationSum : null, correct, seen, compiled.accuracy !== null);
      for (const cb of callbacks) cb.onBatchEnd(batch, logs);
      if (model.stopTraining) break;
    }
    const logs = epochLogs(lossSum, hasPenalties ? regularizationSum : null, correct, seen, compiled.accuracy !== null);
    // With a schedule, the rate the next epoch starts from (Keras 3 logs `learning_rate` the same way).
    if (compiled.optimizer.learningRate instanceof LearningRateSchedule) logs.learning_rate = compiled.optimizer.currentLearningRate();
    if (validation !== undefined) {
      const v = model.evaluate(validation[0], validation[1], { batchSize });
      for (const [k, val] of Object.entries(v)) logs[`val_${k}`] = val;
    }
    // Before the callbacks, so a checkpoint saved in onEpochEnd resumes after this epoch.
    model.trainingState = captureTrainingState(model.layers, epoch + 1, shufflerStart);
    for (const cb of callbacks) await cb.onEpochEnd(epoch, logs);
    await tick();
  }
  for (const cb of callbacks) await cb.onTrainEnd();
  return history;
}
