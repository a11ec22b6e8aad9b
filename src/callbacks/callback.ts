/**
 * Callback: hooks into `fit` (Keras's callback protocol). Logs use Keras's metric names
 * (`loss`, `accuracy`, `val_loss`, `val_accuracy`).
 *
 * The order of the hooks in one `fit`:
 *
 *   onTrainBegin()
 *   for each epoch:  onEpochBegin(epoch)
 *     for each batch:  onBatchBegin(batch) -> forward, loss, backward -> onGradients(step)
 *                      -> optimizer update (skipped when a callback stopped training) -> onBatchEnd(batch, logs)
 *     validation -> onEpochEnd(epoch, logs)
 *   onTrainEnd()
 *
 * Epochs and batches count from 0, as in Keras. Every hook may return a Promise, which `fit`
 * awaits (as TF.js does), except `onGradients`. A callback stops training by setting
 * `this.model.stopTraining = true`; `fit` then ends after the current batch and still calls
 * `onEpochEnd` and `onTrainEnd`.
 *
 * Subclass it and override the hooks you need, or pass a plain object with only some hooks, as in
 * TF.js: `fit(x, y, { callbacks: [{ onEpochEnd: async (epoch, logs) => console.log(epoch, logs.loss) }] })`
 * (see `LambdaCallback`).
 *
 * Reference: Keras 3 keras/src/callbacks/callback.py; TF.js `CustomCallbackArgs`.
 */
import type { TypedArray } from '../core/dtype.js';
import type { Variable } from '../core/tensor.js';
import { ValueError, checkOptionKeys } from '../core/errors.js';
import type { Layer } from '../layers/layer.js';
import type { LearningRateSchedule } from '../optimizers/schedules/learning_rate_schedule.js';

export type Logs = Record<string, number>;

/** What a training step exposes to callbacks after backpropagation, before the update. */
export interface StepInfo {
  epoch: number;
  /** Batch index within the epoch. */
  batch: number;
  /** The model's layers in order (their `lastOutput` holds this step's activations). */
  layers: readonly Layer[];
  /** Trainable weights and their gradients, aligned. */
  weights: readonly Variable[];
  grads: readonly (TypedArray | null)[];
  /** This batch's loss. */
  loss: number;
}

/** The part of an optimizer that callbacks use: its learning rate (`Optimizer` satisfies it). */
export interface CallbackOptimizer {
  /** A number, or a schedule (which the learning-rate callbacks refuse to overwrite). */
  learningRate: number | LearningRateSchedule;
  /** The rate the next update will use. */
  currentLearningRate(): number;
}

/** The part of a model that callbacks may use. */
export interface CallbackModel {
  /** Set to true to stop `fit` after the current batch. */
  stopTraining: boolean;
  /** The layers; `layers.flatMap((l) => l.weights)` are all the weights (Keras `get_weights` order). */
  readonly layers: readonly Layer[];
  /** The compiled optimizer (undefined before `compile`), for callbacks that change the learning rate. */
  readonly optimizer?: CallbackOptimizer;
}

export abstract class Callback {
  /**
   * Every key the constructor's options object may hold; the base constructor rejects any other
   * (so `new EarlyStopping({ patients: 3 })` is an error, not a callback with patience 0).
   */
  static readonly optionKeys: readonly string[] = [];
  model: CallbackModel | null = null;
  /** Fit parameters: epochs (the total, as `fit({ epochs })`), steps (batches) per epoch, training samples. */
  params: { epochs: number; steps: number; samples: number } = { epochs: 0, steps: 0, samples: 0 };

  /**
   * @param options - the subclass's options object, checked for keys not in its `optionKeys`
   *   (omitted by a subclass that takes none: `super()`).
   * @throws ValueError for an unknown option key (with the nearest valid one).
   */
  constructor(options?: object) {
    checkOptionKeys(new.target.name, options, new.target.optionKeys);
  }

  setModel(model: CallbackModel): void {
    this.model = model;
  }

  /** The model, or a ValueError saying how to attach the callback. */
  protected requireModel(): CallbackModel {
    if (this.model === null) {
      throw new ValueError(`${this.constructor.name}: no model; pass the callback to fit({ callbacks: [...] }) (or call setModel first).`);
    }
    return this.model;
  }
  /** Once, at the start of `fit`, after `params` and the model are set (reset per-run state here). */
  onTrainBegin(_logs: Logs = {}): void | Promise<void> {}
  /** Once, at the end of `fit`, also after an early stop (EarlyStopping restores weights here). */
  onTrainEnd(_logs: Logs = {}): void | Promise<void> {}
  /** At the start of each epoch (0-based), before its shuffle. */
  onEpochBegin(_epoch: number, _logs: Logs = {}): void | Promise<void> {}
  /**
   * At the end of each epoch (0-based) with its logs: the means over the epoch's samples (`loss`,
   * `accuracy`, `regularization_loss` when there are penalties, `learning_rate` with a schedule) and
   * the validation figures (`val_loss`, `val_accuracy`). A callback may add entries (learning_rate),
   * which the History (called last) records.
   */
  onEpochEnd(_epoch: number, _logs: Logs = {}): void | Promise<void> {}
  /** Before each batch (0-based within the epoch). */
  onBatchBegin(_batch: number, _logs: Logs = {}): void | Promise<void> {}
  /** After each batch's update, with the epoch's running means so far (`loss`, `accuracy`). */
  onBatchEnd(_batch: number, _logs: Logs = {}): void | Promise<void> {}
  /**
   * After the gradients of a batch are computed and before the optimizer applies them (deepwell's
   * hook, not in Keras): the step's layers, weights, gradients and loss. Synchronous. The gradient
   * and activation arrays are reused by the next step (fit's buffer pool): copy what you keep.
   */
  onGradients(_step: StepInfo): void {}
}
