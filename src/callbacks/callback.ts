/**
 * Callback: hooks into `fit` (Keras's callback protocol). Logs use Keras's metric names
 * (`loss`, `accuracy`, `val_loss`, `val_accuracy`).
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
  /** Fit parameters: epochs, steps per epoch, samples. */
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
  /** At the start of `fit`. The epoch hooks and these two may return a Promise, which `fit` awaits (as TF.js). */
  onTrainBegin(_logs: Logs = {}): void | Promise<void> {}
  onTrainEnd(_logs: Logs = {}): void | Promise<void> {}
  onEpochBegin(_epoch: number, _logs: Logs = {}): void | Promise<void> {}
  onEpochEnd(_epoch: number, _logs: Logs = {}): void | Promise<void> {}
  onBatchBegin(_batch: number, _logs: Logs = {}): void {}
  onBatchEnd(_batch: number, _logs: Logs = {}): void {}
  /** After gradients are computed and before the optimizer applies them. */
  onGradients(_step: StepInfo): void {}
}
