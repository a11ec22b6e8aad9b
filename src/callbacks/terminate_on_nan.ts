/**
 * TerminateOnNaN: stops training when a batch's loss is NaN or infinite (Keras 3 semantics). It
 * reads `loss` in the batch logs (the epoch's running mean, which stays NaN once a batch loss is NaN)
 * at the end of each batch and sets `model.stopTraining`, so `fit` stops after that batch (its update
 * has been applied, as in Keras) and still runs the epoch-end and train-end callbacks. With
 * `raiseError` it throws a `NotFiniteError` instead, skipping the remaining callbacks (Keras's
 * `raise_error=True`).
 *
 * Reference: Keras 3 keras/src/callbacks/terminate_on_nan.py.
 */
import { NotFiniteError, keysOf } from '../core/errors.js';
import { checkBoolean, checkConfigKeys } from '../optimizers/checks.js';
import { Callback, type Logs } from './callback.js';
import { checkVerbose } from './monitor.js';
import { printMessage } from './progress_output.js';

export interface TerminateOnNaNOptions {
  /** Throw a NotFiniteError instead of stopping gracefully. Default false. */
  raiseError?: boolean;
  /**
   * 1: print "Batch 3: Invalid loss, terminating training" when it stops (Keras 3 always prints it);
   * 0: silent. Default 1.
   */
  verbose?: 0 | 1;
}

export class TerminateOnNaN extends Callback {
  static override readonly optionKeys: readonly string[] = keysOf<TerminateOnNaNOptions>({ raiseError: true, verbose: true });
  readonly raiseError: boolean;
  readonly verbose: 0 | 1;
  /** Where training was stopped (0-based epoch and batch) and the loss seen, or null. */
  terminated: { epoch: number; batch: number; loss: number } | null = null;
  private epoch = 0;

  constructor(options: TerminateOnNaNOptions = {}) {
    super(options);
    this.raiseError = checkBoolean('TerminateOnNaN', 'raiseError', options.raiseError ?? false);
    this.verbose = checkVerbose('TerminateOnNaN', options.verbose ?? 1);
  }

  /** `new TerminateOnNaN(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): TerminateOnNaN {
    return new TerminateOnNaN(checkConfigKeys('TerminateOnNaN', config, TerminateOnNaN.optionKeys) as TerminateOnNaNOptions);
  }

  override onTrainBegin(): void {
    this.terminated = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  /** @throws NotFiniteError with raiseError, when the loss is NaN or infinite. */
  override onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss === undefined || Number.isFinite(loss)) return;
    this.terminated = { epoch: this.epoch, batch, loss };
    if (this.raiseError) {
      throw new NotFiniteError(`TerminateOnNaN: loss ${loss} at epoch ${this.epoch}, batch ${batch}. Lower the learning rate, clip gradients (clipNorm) or check the inputs for NaN.`);
    }
    if (this.verbose > 0) printMessage(`Batch ${batch}: Invalid loss, terminating training`);
    this.requireModel().stopTraining = true;
  }

  getConfig(): Record<string, unknown> {
    return { raiseError: this.raiseError, verbose: this.verbose };
  }
}
