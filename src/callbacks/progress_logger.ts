/**
 * ProgressLogger: what `fit({ verbose })` prints, in Keras's format.
 *
 *   Epoch 1/5                                              (when epochs > 1)
 *   1688/1688 ━━━━━━━━━━━━━━━━━━━━ 3s 2ms/step - loss: 0.3000 - accuracy: 0.9000    (verbose 1 on a terminal: a bar redrawn per batch)
 *   1688/1688 - 3s - 2ms/step - loss: 0.3000 - accuracy: 0.9000 - val_loss: ...     (verbose 2, or verbose 1 elsewhere: one line per epoch)
 *
 * Values print as Keras's Progbar prints them: 4 decimals, or 4 significant digits in exponent
 * notation below 1e-3. The metrics keep the order of the logs (loss, accuracy, val_loss, ...).
 *
 * Reference: Keras 3 keras/src/callbacks/progbar_logger.py and keras/src/utils/progbar.py.
 */
import { ValueError, keysOf } from '../core/errors.js';
import { Callback, type Logs } from './callback.js';
import { type ProgressBar, type ProgressOutput, getProgressOutput } from './progress_output.js';

/** A logged value as Keras's Progbar formats it: `0.3000`, `1.0000e-04`. */
export function formatLogValue(v: number): string {
  if (!Number.isFinite(v)) return String(v).toLowerCase() === 'nan' ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (Math.abs(v) > 1e-3 || v === 0) return v.toFixed(4);
  // Python's '%.4e' writes the exponent with at least two digits.
  return v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
}

/** ` - loss: 0.3000 - accuracy: 0.9000` */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs).map(([k, v]) => ` - ${k}: ${formatLogValue(v)}`).join('');
}

/** `2ms/step` (Keras: s, ms or us per step, rounded). */
function perStep(seconds: number, steps: number): string {
  const t = seconds / Math.max(steps, 1);
  return t >= 1 ? `${t.toFixed(0)}s/step` : t >= 1e-3 ? `${(t * 1e3).toFixed(0)}ms/step` : `${(t * 1e6).toFixed(0)}us/step`;
}

export interface ProgressLoggerOptions {
  /** 1: a bar per epoch on an interactive output (plain lines elsewhere); 2: one line per epoch. Default 1. */
  verbose?: 1 | 2;
  /** Where to write; default the output set with `setProgressOutput`, read when training begins. */
  output?: ProgressOutput;
}

export class ProgressLogger extends Callback {
  static override readonly optionKeys: readonly string[] = keysOf<ProgressLoggerOptions>({ verbose: true, output: true });
  /** 1: a bar per epoch (on an interactive output; plain lines elsewhere); 2: one line per epoch. */
  readonly verbose: 1 | 2;
  private readonly explicitOutput: ProgressOutput | undefined;
  private output: ProgressOutput = getProgressOutput();
  private bar: ProgressBar | null = null;
  private started = 0;
  /** Batches done in the current epoch (fewer than params.steps when training stopped early). */
  private seen = 0;

  /** @throws ValueError for an unknown option key or a verbose other than 1 or 2. */
  constructor(options: ProgressLoggerOptions = {}) {
    super(options);
    const verbose = options.verbose ?? 1;
    if (verbose !== 1 && verbose !== 2) throw new ValueError(`ProgressLogger: verbose must be 1 (progress bar) or 2 (one line per epoch), received ${String(verbose)}.`);
    this.verbose = verbose;
    this.explicitOutput = options.output;
  }

  override onTrainBegin(): void {
    this.output = this.explicitOutput ?? getProgressOutput();
  }

  override onEpochBegin(epoch: number): void {
    if (this.params.epochs > 1) this.output.line(`Epoch ${epoch + 1}/${this.params.epochs}`);
    this.started = Date.now();
    this.seen = 0;
    this.bar = this.verbose === 1 && this.output.interactive && this.output.startBar !== undefined ? this.output.startBar(this.params.steps) : null;
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    this.seen = batch + 1;
    if (this.bar === null) return;
    const seconds = (Date.now() - this.started) / 1000;
    this.bar.update(batch + 1, `${seconds.toFixed(0)}s ${perStep(seconds, batch + 1)}${formatLogs(logs)}`);
  }

  override onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const seconds = (Date.now() - this.started) / 1000;
    const steps = this.params.steps;
    const seen = this.seen;
    if (this.bar !== null) {
      this.bar.update(seen, `${seconds.toFixed(0)}s ${perStep(seconds, seen)}${formatLogs(logs)}`);
      this.bar.stop();
      this.bar = null;
    } else {
      this.output.line(`${seen}/${steps} - ${seconds.toFixed(0)}s - ${perStep(seconds, seen)}${formatLogs(logs)}`);
    }
  }
}
