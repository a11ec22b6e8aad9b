/**
 * GradientMonitor: per-layer statistics of every training step, averaged per epoch, and the first
 * non-finite value, which stops training (Keras's TerminateOnNaN, but saying where it started).
 *
 * For every layer with a kernel (Dense), each step:
 *
 * - `kernelGradNorm`, `kernelGradStd`: L2 norm and std of dLoss/dkernel (as GradientStats);
 * - `activationMean`, `activationStd`, `deadFraction`: of the layer's outputs (as GradientStats);
 * - `saturatedFraction`: share of sigmoid / tanh outputs in the flat tails (layer_statistics.ts);
 * - `updateRatio`: ||W_after - W_before|| / ||W_before|| for the kernel over the optimizer step. It is
 *   measured, not predicted from lr * ||g||, so it is right for every optimizer (Adam's step is not
 *   lr * g). The kernel is copied into a buffer kept per layer in `onGradients` and compared in
 *   `onBatchEnd`, on every `updateRatioEvery`-th batch of each epoch (default 10; batches 1, 11, 21, ...),
 *   averaged over those steps. About 1e-3 is the usual healthy order of magnitude (Karpathy, CS231n notes,
 *   "ratio of weights:updates"); much larger means the learning rate is too high, much smaller too low.
 *
 * Non-finite values are looked for in this order, and the first found is the origin:
 * 1. forward: each layer's output in order, then the loss (`layer: 'loss'`);
 * 2. backward: each weight's gradient, from the output layer back to the first (the order of backprop);
 * 3. update: each kernel after the optimizer step (a finite gradient times a huge learning rate), on
 *    the steps that measure the update ratio.
 * Each array is read once per step: its sum of squares gives the statistics and is non-finite exactly
 * when an element is.
 * The monitor then records `stopped` and sets `model.stopTraining`: fit ends after the current batch,
 * the epoch's logs so far are still recorded, and the history keeps every epoch up to it.
 *
 * `fit` skips the optimizer step of the batch on which a forward or backward non-finite value was
 * found (the monitor stops training before the update), so the weights stay those of the last finite step.
 * The non-finite search itself is `callbacks.NonFiniteMonitor`'s, which this class extends (fit's
 * default monitor is that base class, so the API and the CLI name the same origin).
 */
import type { TypedArray } from '../core/dtype.js';
import { ValueError, keysOf } from '../core/errors.js';
import type { Variable } from '../core/tensor.js';
import type { Logs, StepInfo } from '../callbacks/callback.js';
import { NON_FINITE_DIRECTIONS, NonFiniteMonitor, type NonFiniteDirection, type NonFiniteEvent, type NonFiniteMonitorOptions } from '../callbacks/non_finite_monitor.js';
import type { Layer } from '../layers/layer.js';
import { Merge } from '../layers/merge.js';
import { type LayerGradientStats, deadFraction } from './gradient_stats.js';
import { firstNonFinite, saturatedFraction, sums, updateSums } from './layer_statistics.js';

export { NON_FINITE_DIRECTIONS, type NonFiniteDirection, type NonFiniteEvent };

/** The per-layer statistics of one epoch (the GradientStats fields, then the monitor's own). */
export interface LayerMonitorStats extends LayerGradientStats {
  saturatedFraction: number;
  updateRatio: number;
  /** The layer's class ('Dense', or a merge layer's: 'Add', 'Concatenate', ...). */
  className: string;
  /** False for a layer without a kernel (a merge layer): its kernel gradient figures are NaN and its update ratio 0, meaning "none" (absent: true). */
  hasKernel?: boolean;
}

export interface GradientMonitorOptions extends NonFiniteMonitorOptions {
  /**
   * Measure the update-to-weight ratio on every n-th batch of each epoch (the first, then 1 + n, ...), a positive integer.
   * Default 10: copying and comparing every kernel costs a pass over all weights, and a tenth of the
   * steps gives the epoch's average well. Weights that an update made non-finite are looked for on
   * those steps; on the others the next step's forward pass finds them. Only steps that `statsEvery`
   * samples are measured, so the ratio is taken on the batches whose 0-based index is a multiple of
   * both (with the defaults, and in `deepwell train`, every 10th).
   */
  updateRatioEvery?: number;
  /**
   * Take the per-layer statistics on every n-th batch of each epoch (the first, then 1 + n, ...), a
   * positive integer; the epoch's rows average those steps. Default 1 (every step). Each sampled step
   * reads every activation and every gradient once more; on the other steps only the non-finite scan
   * of the base class runs (a native kernel), so a non-finite value is still found on the step it
   * appears. `deepwell train` samples every 10th batch: the statistics of a tenth of the steps
   * describe the epoch as well, and the monitor then costs ~1% of a step instead of ~13%.
   */
  statsEvery?: number;
}

/** Default of `updateRatioEvery`. */
export const UPDATE_RATIO_EVERY = 10;

interface Sums {
  layer: Layer;
  kernel: Variable | null;
  /** Kernel values before the step (a buffer reused across steps). */
  before: Float32Array | Float64Array | null;
  /** Whether `before` holds this step's kernel, to compare after the update. */
  pending: boolean;
  kernelGradNorm: number;
  kernelGradStd: number;
  activationMean: number;
  activationStd: number;
  deadFraction: number;
  saturatedFraction: number;
  updateRatio: number;
  steps: number;
  updates: number;
}

/** A step's sums per layer output and per gradient. */
interface Measured {
  outputs: Map<Layer, { sum: number; sumSq: number }>;
  grads: Map<Variable, { sum: number; sumSq: number; data: TypedArray }>;
}

const SUM_KEYS = ['kernelGradNorm', 'kernelGradStd', 'activationMean', 'activationStd', 'deadFraction', 'saturatedFraction'] as const;

function kernelOf(layer: Layer): Variable | null {
  return layer.weights.find((w) => w.name === `${layer.name}/kernel`) ?? null;
}

function activationOf(layer: Layer): string {
  const a = (layer as Layer & { activation?: unknown }).activation;
  return typeof a === 'string' ? a : 'linear';
}

/** A sampling cadence option (every n-th batch), or its default. @throws ValueError when it is not a positive integer. */
function cadence(options: GradientMonitorOptions, key: 'updateRatioEvery' | 'statsEvery', fallback: number): number {
  const every = options[key] ?? fallback;
  if (!Number.isInteger(every) || every < 1) throw new ValueError(`GradientMonitor: ${key} must be a positive integer, received ${String(options[key])}.`);
  return every;
}

export class GradientMonitor extends NonFiniteMonitor {
  static override readonly optionKeys: readonly string[] = keysOf<GradientMonitorOptions>({ stopOnNonFinite: true, onNonFinite: true, updateRatioEvery: true, statsEvery: true });
  /** `epochs[e]` holds one entry per layer with a kernel or merge layer, in model order, for epoch e. */
  readonly epochs: LayerMonitorStats[][] = [];
  private sums: Sums[] = [];
  private readonly updateRatioEvery: number;
  private readonly statsEvery: number;

  /** @throws ValueError for an unknown option key, or when updateRatioEvery or statsEvery is not a positive integer. */
  constructor(options: GradientMonitorOptions = {}) {
    super(options);
    this.updateRatioEvery = cadence(options, 'updateRatioEvery', UPDATE_RATIO_EVERY);
    this.statsEvery = cadence(options, 'statsEvery', 1);
  }

  override onEpochBegin(epoch: number): void {
    super.onEpochBegin(epoch);
    this.sums = [];
  }

  /** Every layer with a kernel, and every merge layer of a functional model (activation statistics; NaN for the kernel's). */
  private sumsFor(layers: readonly Layer[]): Sums[] {
    if (this.sums.length === 0) {
      this.sums = layers.flatMap((layer) => {
        const kernel = kernelOf(layer);
        return kernel === null && !(layer instanceof Merge) ? [] : [{
          layer, kernel, before: null, pending: false, kernelGradNorm: 0, kernelGradStd: 0, activationMean: 0, activationStd: 0,
          deadFraction: 0, saturatedFraction: 0, updateRatio: 0, steps: 0, updates: 0,
        }];
      });
    }
    return this.sums;
  }

  override onGradients(info: StepInfo): void {
    if (info.batch % this.statsEvery !== 0) {
      // Not a sampled step: the base class's non-finite scan only; no update ratio either. A step that
      // stops training is measured all the same: its statistics explain the divergence.
      const running = this.stopped === null;
      super.onGradients(info);
      if (running && this.stopped !== null) this.accumulate(info, this.measure(info), false);
      return;
    }
    this.step++;
    this.batch = info.batch;
    const measured = this.measure(info);
    if (this.stopped === null) {
      this.findNonFinite(info, (l) => Number.isFinite(measured.outputs.get(l)?.sumSq ?? 0), (i) => Number.isFinite(measured.grads.get(info.weights[i])?.sumSq ?? 0));
    }
    this.accumulate(info, measured, true);
  }

  /** One pass over each output and gradient: its sums, which give the statistics and tell whether it holds a non-finite value. */
  private measure(info: StepInfo): Measured {
    const outputs = new Map<Layer, { sum: number; sumSq: number }>();
    for (const layer of info.layers) if (layer.lastOutput !== null) outputs.set(layer, sums(layer.lastOutput.data));
    const grads = new Map<Variable, { sum: number; sumSq: number; data: TypedArray }>();
    info.weights.forEach((w, i) => {
      const g = info.grads[i];
      if (g !== null) grads.set(w, { ...sums(g), data: g });
    });
    return { outputs, grads };
  }

  /** Adds a measured step to the epoch's sums; `updateRatio`: also copy the kernels to measure the update on this step. */
  private accumulate(info: StepInfo, { outputs, grads }: Measured, updateRatio: boolean): void {
    for (const acc of this.sumsFor(info.layers)) {
      const out = acc.layer.lastOutput;
      const g = acc.kernel !== null ? grads.get(acc.kernel) : undefined;
      if (g !== undefined) {
        const n = Math.max(g.data.length, 1);
        const mean = g.sum / n;
        acc.kernelGradNorm += Math.sqrt(g.sumSq);
        acc.kernelGradStd += Math.sqrt(Math.max(g.sumSq / n - mean * mean, 0));
      }
      const o = outputs.get(acc.layer);
      if (out !== null && o !== undefined) {
        const n = Math.max(out.size, 1);
        const mean = o.sum / n;
        const activation = activationOf(acc.layer);
        acc.activationMean += mean;
        acc.activationStd += Math.sqrt(Math.max(o.sumSq / n - mean * mean, 0));
        acc.deadFraction += activation === 'softmax' ? 0 : deadFraction(out.data, out.shape[out.rank - 1]);
        acc.saturatedFraction += saturatedFraction(out.data, activation);
      }
      acc.steps++;
      acc.pending = false;
      if (updateRatio && acc.kernel !== null && acc.kernel.trainable && info.batch % this.updateRatioEvery === 0) {
        const data = acc.kernel.data;
        if (acc.before === null || acc.before.length !== data.length) acc.before = data instanceof Float64Array ? new Float64Array(data.length) : new Float32Array(data.length);
        acc.before.set(data);
        acc.pending = true;
      }
    }
  }

  override onBatchEnd(_batch: number, _logs: Logs = {}): void {
    for (const acc of this.sums) {
      if (acc.kernel === null || acc.before === null || !acc.pending) continue;
      acc.pending = false;
      const after = acc.kernel.data;
      const { weightSq, deltaSq } = updateSums(acc.before, after);
      if (!Number.isFinite(deltaSq)) {
        if (this.stopped === null) {
          const bad = firstNonFinite(after);
          if (bad >= 0) this.report({ layer: acc.layer.name, direction: 'update', tensor: 'weight', weight: acc.kernel.name, value: after[bad] });
        }
      } else if (weightSq > 0) {
        acc.updateRatio += Math.sqrt(deltaSq / weightSq);
        acc.updates++;
      }
    }
  }

  override onEpochEnd(): void {
    const rows = this.sums.map((acc): LayerMonitorStats => {
      const row: LayerMonitorStats = {
        name: acc.layer.name, className: acc.layer.className, hasKernel: acc.kernel !== null, kernelGradNorm: 0, kernelGradStd: 0, activationMean: 0, activationStd: 0, deadFraction: 0,
        saturatedFraction: 0, updateRatio: acc.updates > 0 ? acc.updateRatio / acc.updates : 0,
      };
      for (const k of SUM_KEYS) row[k] = acc[k] / Math.max(acc.steps, 1);
      if (acc.kernel === null) {
        row.kernelGradNorm = NaN;
        row.kernelGradStd = NaN;
      }
      return row;
    });
    this.epochs.push(rows);
  }

  /** The statistics of the last completed epoch (empty before the first). */
  get last(): LayerMonitorStats[] {
    return this.epochs[this.epochs.length - 1] ?? [];
  }
}
