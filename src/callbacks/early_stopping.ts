/**
 * EarlyStopping: stops training when the monitored quantity has stopped improving (Keras 3
 * semantics). At each epoch's end, from epoch `startFromEpoch` on:
 *
 *   wait += 1
 *   improved (min mode: current + minDelta < best; max: current - minDelta > best):
 *       best = current; remember the weights (restoreBestWeights);
 *       wait = 0 unless a `baseline` is set and not beaten
 *   otherwise, when wait >= patience and epoch > 0: model.stopTraining = true
 *
 * So training stops after `patience` epochs in a row without improvement (patience 0 and 1 both stop
 * at the first epoch that does not improve, as in Keras 3). With `restoreBestWeights`, the weights of
 * the best epoch (or of the first monitored epoch, if none improved) are copied back at the end of
 * training, whether or not it stopped early (Keras 3; Keras 2 restored only on an early stop). All
 * weights are saved and restored, non-trainable ones (batch-norm statistics) included.
 *
 * deepwell's departures from Keras: a missing monitor raises (Keras warns and never stops), and
 * 'auto' mode uses the rule of `resolveMode` and raises at construction when it cannot tell.
 *
 * Reference: Keras 3 keras/src/callbacks/early_stopping.py.
 */
import type { TypedArray } from '../core/dtype.js';
import { ShapeError, keysOf } from '../core/errors.js';
import { checkConfigKeys, checkFinite, checkInteger, checkBoolean } from '../optimizers/checks.js';
import { Callback, type CallbackModel, type Logs } from './callback.js';
import { type MonitorMode, checkVerbose, monitorValue, resolveMode } from './monitor.js';
import { printMessage } from './progress_output.js';

export interface EarlyStoppingOptions {
  /** Logged quantity to watch. Default 'val_loss'. */
  monitor?: string;
  /** Smallest change that counts as an improvement (its absolute value is used). Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping, an integer >= 0. Default 0. */
  patience?: number;
  /** 'min', 'max', or 'auto' (from the monitor's name). Default 'auto'. */
  mode?: MonitorMode;
  /** A value the quantity must beat for the patience counter to reset. Default none. */
  baseline?: number;
  /** Copy the best epoch's weights back at the end of training. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to train before monitoring starts (a warm-up), an integer >= 0. Default 0. */
  startFromEpoch?: number;
  /**
   * 1: say what it did at the end of training, as Keras prints it ("Epoch 3: early stopping",
   * "Restoring model weights from the end of the best epoch: 2."); 0: silent. Default 0 (Keras).
   */
  verbose?: 0 | 1;
}

const KEYS = keysOf<EarlyStoppingOptions>({ monitor: true, minDelta: true, patience: true, mode: true, baseline: true, restoreBestWeights: true, startFromEpoch: true, verbose: true });

function allWeights(model: CallbackModel): TypedArray[] {
  return model.layers.flatMap((l) => l.weights).map((w) => w.data);
}

export class EarlyStopping extends Callback {
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: MonitorMode;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  readonly verbose: 0 | 1;
  /** Resolved direction of improvement. */
  readonly direction: 'min' | 'max';
  /** Best value seen. */
  best = Infinity;
  /** Epoch of the best value (0-based). */
  bestEpoch = 0;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch at which training was stopped, 0 if it was not. */
  stoppedEpoch = 0;
  /** Copies of the best epoch's weights (with restoreBestWeights). */
  private bestWeights: TypedArray[] | null = null;

  /** @throws ValueError for an option out of range or a monitor whose direction 'auto' cannot tell. */
  constructor(options: EarlyStoppingOptions = {}) {
    super(options);
    const owner = 'EarlyStopping';
    this.monitor = options.monitor ?? 'val_loss';
    this.minDelta = Math.abs(checkFinite(owner, 'minDelta', options.minDelta ?? 0));
    this.patience = checkInteger(owner, 'patience', options.patience ?? 0, 0);
    this.mode = options.mode ?? 'auto';
    this.direction = resolveMode(owner, this.monitor, this.mode);
    this.baseline = options.baseline == null ? undefined : checkFinite(owner, 'baseline', options.baseline);
    this.restoreBestWeights = checkBoolean(owner, 'restoreBestWeights', options.restoreBestWeights ?? false);
    this.startFromEpoch = checkInteger(owner, 'startFromEpoch', options.startFromEpoch ?? 0, 0);
    this.verbose = checkVerbose(owner, options.verbose ?? 0);
    this.best = this.direction === 'min' ? Infinity : -Infinity;
  }

  /** `new EarlyStopping(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): EarlyStopping {
    return new EarlyStopping(checkConfigKeys('EarlyStopping', config, KEYS) as EarlyStoppingOptions);
  }

  private isImprovement(value: number, reference: number): boolean {
    return this.direction === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  override onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = null;
    this.bestEpoch = 0;
    this.best = this.direction === 'min' ? Infinity : -Infinity;
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const model = this.requireModel();
    const current = monitorValue('EarlyStopping', this.monitor, logs);
    if (epoch < this.startFromEpoch) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.bestWeights = allWeights(model).map((d) => d.slice());
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.isImprovement(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = allWeights(model).map((d) => d.slice());
      if (this.baseline === undefined || this.isImprovement(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  /** Copies the best weights back (restoreBestWeights). @throws ShapeError if the model's weights changed shape. */
  override onTrainEnd(): void {
    // Keras 3's messages, 1-based epochs.
    if (this.stoppedEpoch > 0 && this.verbose > 0) printMessage(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (!this.restoreBestWeights || this.bestWeights === null) return;
    if (this.verbose > 0) printMessage(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
    const current = allWeights(this.requireModel());
    const saved = this.bestWeights;
    if (current.length !== saved.length || current.some((d, i) => d.length !== saved[i].length)) {
      throw new ShapeError(`EarlyStopping: the model's weights changed during training (${saved.length} saved, ${current.length} now); cannot restore the best weights.`);
    }
    current.forEach((d, i) => d.set(saved[i]));
  }

  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = {
      monitor: this.monitor,
      minDelta: this.minDelta,
      patience: this.patience,
      mode: this.mode,
      restoreBestWeights: this.restoreBestWeights,
      startFromEpoch: this.startFromEpoch,
      verbose: this.verbose,
    };
    if (this.baseline !== undefined) config.baseline = this.baseline;
    return config;
  }
}
