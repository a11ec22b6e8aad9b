/** History: the per-epoch logs of a `fit` call, keyed by metric name (Keras `History`). */
import { Callback, type Logs } from './callback.js';

export class History extends Callback {
  /** Epoch indices (0-based) that completed. */
  epoch: number[] = [];
  /** `history.loss[e]` is the loss of epoch e, and so on for every metric. */
  history: Record<string, number[]> = {};

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
