/**
 * The training loop behind `Sequential.fit`: shuffled mini-batches, forward in training mode, loss,
 * one backward pass, callbacks' gradient hook, optimizer update; validation at each epoch's end.
 */
import { ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { BufferPool, withPool } from '../core/buffer_pool.js';
import { Rng, getGlobalRng, setSeed } from '../core/random.js';
import { captureTrainingState } from './training_state.js';
import type { Tensor } from '../core/tensor.js';
import type { TensorLike } from '../core/tensor_like.js';
import { backward } from '../autodiff/backward.js';
import { add } from '../ops/arithmetic.js';
import { LearningRateSchedule } from '../optimizers/schedules/learning_rate_schedule.js';
import type { Logs } from '../callbacks/callback.js';
import { History } from '../callbacks/history.js';
import { type CallbackLike, toCallback } from '../callbacks/lambda_callback.js';
import { NonFiniteMonitor } from '../callbacks/non_finite_monitor.js';
import { ProgressLogger } from '../callbacks/progress_logger.js';
import { printMessage } from '../callbacks/progress_output.js';
import { checkFiniteData } from './check_finite.js';
import { gatherRows, rowRange } from './batches.js';
import { OutputTotals, checkOutputLabels, outputLosses } from './model_outputs.js';
import { type ModelData, toTensorList } from './tensor_lists.js';
import type { LayersModel } from './layers_model.js';
import { checkBatchSize, checkSamples } from './input_checks.js';
import { type ClassWeight, fitSampleWeights, toSampleWeights } from './sample_weights.js';

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
  /**
   * Explicit validation data `[x, y]` or `[x, y, sampleWeight]` (each a Tensor or any `TensorLike`;
   * x and y of a multi-input/output model as `fit` takes them); takes precedence over validationSplit.
   */
  validationData?: readonly [ModelData, ModelData] | readonly [ModelData, ModelData, TensorLike];
  /**
   * One loss weight per sample ([n]), Keras's `sample_weight`: each batch's loss is
   * sum(loss_i * w_i) / batch size ('sum_over_batch_size', not divided by the sum of the weights).
   * With validationSplit, the held-out samples keep their weights for val_loss. Accuracy is not weighted.
   */
  sampleWeight?: TensorLike;
  /**
   * Keras's `class_weight`: `{ [classIndex]: weight }`, turned into one weight per sample (the
   * weight of its class, 1 for a class not listed; the class is the label, or the argmax of one-hot
   * targets). Applies to the training samples only (Keras). Not together with sampleWeight.
   */
  classWeight?: ClassWeight;
  /**
   * Callbacks called during training: `Callback` instances or plain objects with some hooks
   * (`{ onEpochEnd: async (epoch, logs) => ... }`, as TF.js). A History is always added and returned.
   */
  callbacks?: readonly CallbackLike[];
  /**
   * What `fit` prints (Keras's `verbose`): 0 silent; 1 a progress bar per epoch on a terminal
   * (plain lines where the output is not one, e.g. a log file); 2 one line per epoch
   * (`1688/1688 - 3s - 2ms/step - loss: 0.3000 - accuracy: 0.9000 - val_loss: ...`); 'auto' is 1,
   * as in Keras 3. Output goes where `callbacks.setProgressOutput` says: stderr in Node (the
   * package's Node entry point installs it), `console.log` elsewhere. Default 'auto'.
   */
  verbose?: Verbosity;
  /**
   * Watch every step for the first NaN or infinite value (layer outputs, loss, gradients) and stop
   * training there, saying where it started (`callbacks.NonFiniteMonitor`, the same search as the
   * CLI's GradientMonitor). On by default; false turns it off. Not added when the callbacks already
   * hold such a monitor.
   */
  monitor?: boolean;
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
  verbose: true, monitor: true, sampleWeight: true, classWeight: true,
});

export const VERBOSITIES = [0, 1, 2, 'auto'] as const;
export type Verbosity = (typeof VERBOSITIES)[number];

/** @throws ValueError unless verbose is 0, 1, 2 or 'auto'. */
export function resolveVerbose(verbose: unknown): 0 | 1 | 2 {
  if (verbose === 'auto') return 1;
  if (verbose === 0 || verbose === 1 || verbose === 2) return verbose;
  throw new ValueError(`fit: verbose must be 0 (silent), 1 (progress bar), 2 (one line per epoch) or 'auto' (1), received ${typeof verbose === 'string' ? `'${verbose}'` : String(verbose)}.`);
}

function checkEpochs(epochs: unknown, what = 'epochs'): number {
  if (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 0) {
    throw new ValueError(`${what} must be a non-negative integer, received ${String(epochs)}.`);
  }
  return epochs;
}

/** Yields to the event loop so progress output and signals are handled between epochs (setTimeout: browser and Node). */
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Validation samples: x and y (one tensor per input, per output) and their optional weights. */
type Validation = [Tensor[], Tensor[], Tensor | undefined];

/** The fit's validation data, converted and checked for non-finite values. */
function validationTensors(model: LayersModel, data: FitOptions['validationData'] & object): Validation {
  if (!Array.isArray(data) || (data.length !== 2 && data.length !== 3)) {
    throw new ValueError(`Sequential.fit: validationData must be [x, y] or [x, y, sampleWeight], received ${Array.isArray(data) ? `an array of ${data.length}` : typeof data}.`);
  }
  const vx = toTensorList('Sequential.fit', 'validationData[0]', data[0], model.inputNames, false);
  const vy = toTensorList('Sequential.fit', 'validationData[1]', data[1], model.outputNames, false);
  checkSamples(vx[0], vy[0]);
  checkAllFinite('Sequential.fit', 'validationData[0]', vx, model.inputNames);
  checkAllFinite('Sequential.fit', 'validationData[1]', vy, model.outputNames);
  return [vx, vy, toSampleWeights('Sequential.fit validationData', data[2], vx[0].shape[0])];
}

/** `checkFiniteData` on each tensor of a list, named `what` (one) or `what['name']`. */
function checkAllFinite(owner: string, what: string, ts: readonly Tensor[], names: readonly string[]): void {
  ts.forEach((t, i) => checkFiniteData(owner, ts.length === 1 ? what : `${what}['${names[i]}']`, t));
}

export async function fitLoop(model: LayersModel, xLike: ModelData, yLike: ModelData, options: FitOptions): Promise<History> {
  checkOptionKeys('Sequential.fit', options, FIT_OPTION_KEYS);
  const xs = toTensorList('Sequential.fit', 'x', xLike, model.inputNames, false);
  const ys = toTensorList('Sequential.fit', 'y', yLike, model.outputNames, false);
  checkSamples(xs[0], ys[0]);
  const verbose = resolveVerbose(options.verbose ?? 'auto');
  if (options.monitor !== undefined && typeof options.monitor !== 'boolean') {
    throw new ValueError(`Sequential.fit: monitor must be true or false, received ${String(options.monitor)}.`);
  }
  const userCallbacks = (options.callbacks ?? []).map((cb, i) => toCallback(cb, i));
  const epochs = checkEpochs(options.epochs ?? 1);
  const batchSize = checkBatchSize(options.batchSize ?? 32);
  const split = options.validationSplit ?? 0;
  if (typeof split !== 'number' || !(split >= 0 && split < 1)) {
    throw new ValueError(`validationSplit must be a number in [0, 1), received ${String(split)}.`);
  }
  const initialEpoch = checkEpochs(options.initialEpoch ?? 0, 'initialEpoch');
  if (options.shuffle !== undefined && typeof options.shuffle !== 'boolean') {
    throw new ValueError(`Sequential.fit: shuffle must be true or false, received ${String(options.shuffle)}.`);
  }
  if (initialEpoch > epochs) {
    throw new ValueError(`initialEpoch ${initialEpoch} is beyond epochs ${epochs}; epochs is the total number of epochs (Keras), so resume with epochs > initialEpoch.`);
  }
  // Every value is checked once, before the first step (and before anything changes): a NaN in the data is named by sample and feature.
  checkAllFinite('Sequential.fit', 'x', xs, model.inputNames);
  checkAllFinite('Sequential.fit', 'y', ys, model.outputNames);
  if (ys.length > 1 && options.classWeight !== undefined) {
    throw new ValueError(`Sequential.fit: classWeight is only supported for models with a single output (Keras 3), and this one has ${ys.length} (${model.outputNames.join(', ')}); pass sampleWeight instead.`);
  }
  const weights = fitSampleWeights('Sequential.fit', ys[0], options.sampleWeight, options.classWeight);
  let validation = options.validationData !== undefined ? validationTensors(model, options.validationData) : undefined;
  if (options.seed !== undefined) setSeed(options.seed);

  const total = xs[0].shape[0];
  let xTrain = xs;
  let yTrain = ys;
  let wTrain = weights;
  if (validation === undefined && split > 0) {
    const nTrain = Math.floor(total * (1 - split));
    xTrain = xs.map((x) => rowRange(x, 0, nTrain));
    yTrain = ys.map((y) => rowRange(y, 0, nTrain));
    if (weights !== undefined) wTrain = rowRange(weights, 0, nTrain);
    // Keras splits (x, y, sample_weight) before class weights are applied: only sampleWeight reaches val_loss.
    const vw = weights !== undefined && options.sampleWeight !== undefined ? rowRange(weights, nTrain, total) : undefined;
    validation = [xs.map((x) => rowRange(x, nTrain, total)), ys.map((y) => rowRange(y, nTrain, total)), vw];
  }
  if (!model.built) model.build([null, ...xs[0].shape.slice(1)]);
  model.checkInputShapes(`${model.typeName}.fit`, xs);
  const compiled = model.requireCompiled();
  const n = xTrain[0].shape[0];
  if (n === 0) {
    throw new ValueError(`fit: no training samples${split > 0 ? `: validationSplit ${split} of ${total} samples leaves none` : ''}. Pass more samples or a smaller validationSplit.`);
  }
  // Labels are checked once against the dataset, so a bad one is named by its sample index.
  checkOutputLabels(compiled.resolvedOutputs, ys);
  const steps = Math.ceil(n / batchSize);
  if (batchSize > n) {
    printMessage(`deepwell: warning: batchSize ${batchSize} is larger than the ${n} training samples, so each epoch is a single step of ${n} samples. Pass a smaller batchSize (Keras's default is 32) for more updates per epoch.`);
  }
  const history = new History();
  // The default monitor stops at the first NaN/Infinity and says where (fit({ monitor: false }) turns it off).
  const monitor = options.monitor !== false && !userCallbacks.some((cb) => cb instanceof NonFiniteMonitor)
    ? [new NonFiniteMonitor({ onNonFinite: (e) => printMessage(`deepwell: ${e.message} Training stopped; the weights are those of the last finite step. Lower the learning rate, clip gradients (clipNorm), or check the data.`) })]
    : [];
  // History, then the progress logger, last, as Keras: they see what the other callbacks added to the epoch logs (learning_rate).
  const callbacks = model.withCallbacks([...monitor, ...userCallbacks, history, ...(verbose > 0 ? [new ProgressLogger({ verbose: verbose === 2 ? 2 : 1 })] : [])]);
  for (const cb of callbacks) cb.params = { epochs, steps, samples: n };
  model.stopTraining = false;

  /**
   * Every array of a step's forward pass, loss and backward pass comes from this pool and is reused
   * by the next step (see core/buffer_pool.ts): the arrays a callback receives in onGradients (and
   * the layers' lastOutput) are valid until the next step begins; copy them to keep them.
   */
  const pool = new BufferPool();
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
    const totals = new OutputTotals(compiled.resolvedOutputs);
    const xBuf: (Tensor | undefined)[] = xTrain.map(() => undefined);
    const yBuf: (Tensor | undefined)[] = yTrain.map(() => undefined);
    for (let batch = 0; batch < steps; batch++) {
      const start = batch * batchSize;
      const end = Math.min(n, start + batchSize);
      for (const cb of callbacks) {
        const r = cb.onBatchBegin(batch);
        if (r instanceof Promise) await r;
      }
      const xb = xTrain.map((x, i) => gatherRows(x, order, start, end, xBuf[i]));
      const yb = yTrain.map((y, i) => gatherRows(y, order, start, end, yBuf[i]));
      if (end - start === batchSize) {
        xb.forEach((t, i) => { xBuf[i] = t; });
        yb.forEach((t, i) => { yBuf[i] = t; });
      }
      const weights = model.trainableWeights;
      // The previous step's tape is done with: its arrays serve this step (allocation-free steps).
      pool.recycle();
      const { preds, loss, values, penalties, grads } = withPool(pool, () => {
        const p = model.callAll(xb, { training: true });
        const wb = wTrain === undefined ? undefined : gatherRows(wTrain, order, start, end);
        const { total: dataLoss, values: v } = outputLosses(compiled.resolvedOutputs, yb, p, wb);
        const pens = model.layers.flatMap((l) => l.regularizationLosses());
        const total = pens.length === 0 ? dataLoss : pens.reduce((acc, t) => add(acc, t), dataLoss);
        return { preds: p, loss: total, values: v, penalties: pens, grads: backward(total, weights) };
      });
      const lossValue = loss.data[0];
      for (const cb of callbacks) cb.onGradients({ epoch, batch, layers: model.layers, weights, grads, loss: lossValue });
      // A callback that stops training here (a non-finite value) keeps the last finite weights.
      if (!model.stopTraining) {
        compiled.optimizer.applyGradients(grads, weights);
        for (const l of model.layers) l.applyConstraints();
      }
      // Summed from the penalties themselves (not loss - data loss, which loses digits when the data loss is large).
      const penaltySum = penalties.length > 0 ? penalties.reduce((acc, p) => acc + p.data[0], 0) : null;
      totals.add(end - start, lossValue, values, penaltySum, yb, preds);
      const logs = totals.logs();
      for (const cb of callbacks) {
        const r = cb.onBatchEnd(batch, logs);
        if (r instanceof Promise) await r;
      }
      if (model.stopTraining) break;
    }
    const logs = totals.logs();
    // With a schedule, the rate the next epoch starts from (Keras 3 logs `learning_rate` the same way).
    if (compiled.optimizer.learningRate instanceof LearningRateSchedule) logs.learning_rate = compiled.optimizer.currentLearningRate();
    if (validation !== undefined) {
      const v = model.evaluateChecked(validation[0], validation[1], batchSize, validation[2]);
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
