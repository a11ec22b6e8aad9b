/**
 * What the CLI adds around the diagnostics report: the snapshots `deepwell train --report` takes during
 * training, and the error that ends a run whose failure was already explained (exit code 1).
 */
import type { Tensor } from '../core/tensor.js';
import { Callback } from '../callbacks/callback.js';
import { diagnoseModel } from '../diagnostics/diagnose.js';
import type { Snapshot } from '../diagnostics/report.js';
import type { Verdict } from '../diagnostics/verdict.js';
import type { LayersModel } from '../models/layers_model.js';

/**
 * A run that failed while running for a reason its output already explains (training diverged):
 * main prints the message and exits with code 1, without a stack trace.
 */
export class RunFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunFailure';
  }
}

/**
 * Diagnoses a fixed batch at the start of training and after each epoch, in inference mode
 * (`training: false`: no dropout, batch normalization on its moving statistics), so taking the
 * snapshots changes neither the weights, nor layer state, nor any random stream: a run with
 * `--report` trains exactly as one without.
 */
export class SnapshotRecorder extends Callback {
  readonly snapshots: Snapshot[] = [];
  /** The verdict of the first snapshot (at initialization). */
  verdict: Verdict | null = null;

  constructor(private readonly target: LayersModel, private readonly x: Tensor, private readonly y: Tensor) {
    super();
  }

  private take(label: string): void {
    const d = diagnoseModel(this.target, this.x, this.y, { training: false });
    this.snapshots.push({ label, layers: d.layers });
    this.verdict ??= d.verdict;
  }

  override onTrainBegin(): void {
    this.take('initialization');
  }

  override onEpochEnd(epoch: number): void {
    this.take(`epoch ${epoch + 1}`);
  }
}
