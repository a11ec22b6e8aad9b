/**
 * ReduceLROnPlateau: multiplies the learning rate by `factor` when the monitored quantity has not
 * improved for `patience` epochs (Keras 3 semantics). At each epoch's end:
 *
 *   logs.learning_rate = the rate used during the epoch
 *   in cooldown:          cooldownCounter -= 1; wait = 0
 *   improved (min mode: current < best - minDelta; max: current > best + minDelta):  best = current; wait = 0
 *   otherwise, out of cooldown: wait += 1; when wait >= patience and lr > minLr:
 *                         lr = max(lr * factor, minLr); cooldownCounter = cooldown; wait = 0
 *
 * Example (Keras 3 keras/src/callbacks/reduce_lr_on_plateau.py semantics): factor 0.5, patience 2, minDelta 0 and val_loss
 * 1.0, 0.9, 0.95, 0.96: best 1.0, then 0.9; 0.95 and 0.96 do not improve (wait 1, 2), so the rate
 * halves at the end of the 4th epoch.
 *
 * deepwell's departures from Keras: a missing monitor raises instead of warning, 'auto' mode uses the
 * rule of `resolveMode`, factor must lie in (0, 1), and an optimizer whose rate is a schedule is refused
 * at the start of fit (Keras raises a TypeError when it tries to set the rate).
 *
 * Reference: Keras 3 keras/src/callbacks/reduce_lr_on_plateau.py.
 */
import { ValueError, keysOf } from '../core/errors.js';
import { checkConfigKeys, checkInteger, checkNonNegative } from '../optimizers/checks.js';
import { Callback, type Logs } from './callback.js';
import { type MonitorMode, checkVerbose, monitorValue, resolveMode, settableOptimizer } from './monitor.js';
import { printMessage } from './progress_output.js';

export interface ReduceLROnPlateauOptions {
  /** Logged quantity to watch. Default 'val_loss'. */
  monitor?: string;
  /** Multiplier of the learning rate, in (0, 1). Default 0.1. */
  factor?: number;
  /** Epochs without improvement before reducing, an integer >= 0. Default 10. */
  patience?: number;
  /** 'min', 'max', or 'auto' (from the monitor's name). Default 'auto'. */
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement, >= 0. Default 1e-4. */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again, an integer >= 0. Default 0. */
  cooldown?: number;
  /** Lower bound of the learning rate, >= 0. Default 0. */
  minLr?: number;
  /** 1: print "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0001." at each reduction (Keras); 0: silent. Default 0. */
  verbose?: 0 | 1;
}

const KEYS = keysOf<ReduceLROnPlateauOptions>({ monitor: true, factor: true, patience: true, mode: true, minDelta: true, cooldown: true, minLr: true, verbose: true });

export class ReduceLROnPlateau extends Callback {
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly mode: MonitorMode;
  readonly minDelta: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly verbose: 0 | 1;
  /** Resolved direction of improvement. */
  readonly direction: 'min' | 'max';
  /** Best value seen since training began. */
  best = Infinity;
  /** Epochs without improvement (reset by a reduction). */
  wait = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;

  /** @throws ValueError for an option out of range or a monitor whose direction 'auto' cannot tell. */
  constructor(options: ReduceLROnPlateauOptions = {}) {
    super(options);
    const owner = 'ReduceLROnPlateau';
    this.monitor = options.monitor ?? 'val_loss';
    const factor = options.factor ?? 0.1;
    if (typeof factor !== 'number' || !(factor > 0 && factor < 1)) {
      throw new ValueError(`${owner}: factor must be a number in (0, 1) (new lr = lr * factor), received ${String(factor)}.`);
    }
    this.factor = factor;
    this.patience = checkInteger(owner, 'patience', options.patience ?? 10, 0);
    this.mode = options.mode ?? 'auto';
    this.direction = resolveMode(owner, this.monitor, this.mode);
    this.minDelta = checkNonNegative(owner, 'minDelta', options.minDelta ?? 1e-4);
    this.cooldown = checkInteger(owner, 'cooldown', options.cooldown ?? 0, 0);
    this.minLr = checkNonNegative(owner, 'minLr', options.minLr ?? 0);
    this.verbose = checkVerbose(owner, options.verbose ?? 0);
    this.reset();
  }

  /** `new ReduceLROnPlateau(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): ReduceLROnPlateau {
    return new ReduceLROnPlateau(checkConfigKeys('ReduceLROnPlateau', config, KEYS) as ReduceLROnPlateauOptions);
  }

  private reset(): void {
    this.best = this.direction === 'min' ? Infinity : -Infinity;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  override onTrainBegin(): void {
    settableOptimizer('ReduceLROnPlateau', this.requireModel());
    this.reset();
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    const optimizer = settableOptimizer('ReduceLROnPlateau', this.requireModel());
    logs.learning_rate = optimizer.currentLearningRate();
    const current = monitorValue('ReduceLROnPlateau', this.monitor, logs);
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    const improved = this.direction === 'min' ? current < this.best - this.minDelta : current > this.best + this.minDelta;
    if (improved) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait++;
      if (this.wait >= this.patience) {
        const old = optimizer.currentLearningRate();
        if (old > this.minLr) {
          const lr = Math.max(old * this.factor, this.minLr);
          optimizer.learningRate = lr;
          if (this.verbose > 0) printMessage(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${lr}.`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }

  getConfig(): Record<string, unknown> {
    return {
      monitor: this.monitor,
      factor: this.factor,
      patience: this.patience,
      mode: this.mode,
      minDelta: this.minDelta,
      cooldown: this.cooldown,
      minLr: this.minLr,
      verbose: this.verbose,
    };
  }
}
