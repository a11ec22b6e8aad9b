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
 * Note: `fit` applies the optimizer step of the batch on which a forward or backward non-finite value
 * was found (callbacks cannot veto it), so the weights are not finite after such a stop.
 */
import type { TypedArray } from '../core/dtype.js';
import { ValueError, keysOf } from '../core/errors.js';
import type { Variable } from '../core/tensor.js';
import { Callback, type Logs, type StepInfo } from '../callbacks/callback.js';
import type { Layer } from '../layers/layer.js';
import { type LayerGradientStats, deadFraction } from './gradient_stats.js';
import { firstNonFinite, saturatedFraction, sums, updateSums } from './layer_statistics.js';

/** The per-layer statistics of one epoch (the GradientStats fields, then the monitor's own). */
export interface LayerMonitorStats extends LayerGradientStats {
  saturatedFraction: number;
  updateRatio: number;
}

export const NON_FINITE_DIRECTIONS = ['forward', 'backward', 'update'] as const;
export type NonFiniteDirection = (typeof NON_FINITE_DIRECTIONS)[number];

/** Where the first non-finite value appeared. Counts are 1-based, as the progress lines show them. */
export interface NonFiniteEvent {
  /** Optimizer step since the start of training (1 = the first batch of the first epoch). */
  step: number;
  epoch: number;
  /** Batch within the epoch. */
  batch: number;
  /** The layer whose output or gradient was not finite, or 'loss'. */
  layer: string;
  direction: NonFiniteDirection;
  /** What held the value: the layer's activations, the loss, a weight's gradient, or a weight after the update. */
  tensor: 'activation' | 'loss' | 'gradient' | 'weight';
  /** The weight's name for a gradient or an update (`dense_3/kernel`). */
  weight?: string;
  /** The offending value as text ('NaN', 'Infinity' or '-Infinity': JSON has no such numbers). */
  value: string;
  /** One sentence for people. */
  message: string;
}

export interface GradientMonitorOptions {
  /** Stop training at the first non-finite value (default true). */
  stopOnNonFinite?: boolean;
  /** Called once with the event when a non-finite value is found (the CLI prints it). */
  onNonFinite?: (event: NonFiniteEvent) => void;
  /**
   * Measure the update-to-weight ratio on every n-th batch of each epoch (the first, then 1 + n, ...), a positive integer.
   * Default 10: copying and comparing every kernel costs a pass over all weights, and a tenth of the
   * steps gives the epoch's average well. Weights that an update made non-finite are looked for on
   * those steps; on the others the next step's forward pass finds them.
   */
  updateRatioEvery?: number;
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

const SUM_KEYS = ['kernelGradNorm', 'kernelGradStd', 'activationMean', 'activationStd', 'deadFraction', 'saturatedFraction'] as const;

function kernelOf(layer: Layer): Variable | null {
  return layer.weights.find((w) => w.name === `${layer.name}/kernel`) ?? null;
}

function activationOf(layer: Layer): string {
  const a = (layer as Layer & { activation?: unknown }).activation;
  return typeof a === 'string' ? a : 'linear';
}

export class GradientMonitor extends Callback {
  static override readonly optionKeys: readonly string[] = keysOf<GradientMonitorOptions>({ stopOnNonFinite: true, onNonFinite: true, updateRatioEvery: true });
  /** `epochs[e]` holds one entry per layer with a kernel, in order, for epoch e. */
  readonly epochs: LayerMonitorStats[][] = [];
  /** The first non-finite value, or null. */
  stopped: NonFiniteEvent | null = null;
  /** Optimizer steps seen since training began. */
  step = 0;
  private sums: Sums[] = [];
  private epoch = 0;
  private batch = 0;
  private readonly stopOnNonFinite: boolean;
  private readonly onNonFinite: ((event: NonFiniteEvent) => void) | undefined;
  private readonly updateRatioEvery: number;

  /** @throws ValueError for an unknown option key, or when updateRatioEvery is not a positive integer. */
  constructor(options: GradientMonitorOptions = {}) {
    super(options);
    this.stopOnNonFinite = options.stopOnNonFinite ?? true;
    this.onNonFinite = options.onNonFinite;
    this.updateRatioEvery = options.updateRatioEvery ?? UPDATE_RATIO_EVERY;
    if (!Number.isInteger(this.updateRatioEvery) || this.updateRatioEvery < 1) {
      throw new ValueError(`GradientMonitor: updateRatioEvery must be a positive integer, received ${String(options.updateRatioEvery)}.`);
    }
  }

  override onTrainBegin(): void {
    this.step = 0;
    this.stopped = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
    this.sums = [];
  }

  private sumsFor(layers: readonly Layer[]): Sums[] {
    if (this.sums.length === 0) {
      this.sums = layers.flatMap((layer) => {
        const kernel = kernelOf(layer);
        return kernel === null ? [] : [{
          layer, kernel, before: null, pending: false, kernelGradNorm: 0, kernelGradStd: 0, activationMean: 0, activationStd: 0,
          deadFraction: 0, saturatedFraction: 0, updateRatio: 0, steps: 0, updates: 0,
        }];
      });
    }
    return this.sums;
  }

  override onGradients(info: StepInfo): void {
    this.step++;
    this.batch = info.batch;
    // One pass over each array gives its statistics and tells whether it holds a non-finite value.
    const outputs = new Map<Layer, { sum: number; sumSq: number }>();
    for (const layer of info.layers) if (layer.lastOutput !== null) outputs.set(layer, sums(layer.lastOutput.data));
    const grads = new Map<Variable, { sum: number; sumSq: number; data: TypedArray }>();
    info.weights.forEach((w, i) => {
      const g = info.grads[i];
      if (g !== null) grads.set(w, { ...sums(g), data: g });
    });
    if (this.stopped === null) this.findNonFinite(info, outputs, grads);
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
      if (acc.kernel !== null && acc.kernel.trainable && info.batch % this.updateRatioEvery === 0) {
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
        name: acc.layer.name, kernelGradNorm: 0, kernelGradStd: 0, activationMean: 0, activationStd: 0, deadFraction: 0,
        saturatedFraction: 0, updateRatio: acc.updates > 0 ? acc.updateRatio / acc.updates : 0,
      };
      for (const k of SUM_KEYS) row[k] = acc[k] / Math.max(acc.steps, 1);
      return row;
    });
    this.epochs.push(rows);
  }

  /** The statistics of the last completed epoch (empty before the first). */
  get last(): LayerMonitorStats[] {
    return this.epochs[this.epochs.length - 1] ?? [];
  }

  /** Looks for the first non-finite value of a step: forward (outputs in order, then loss), then backward. */
  private findNonFinite(info: StepInfo, outputs: Map<Layer, { sumSq: number }>, grads: Map<Variable, { sumSq: number; data: TypedArray }>): void {
    for (const layer of info.layers) {
      const o = outputs.get(layer);
      if (o === undefined || Number.isFinite(o.sumSq) || layer.lastOutput === null) continue;
      const data = layer.lastOutput.data;
      this.report({ layer: layer.name, direction: 'forward', tensor: 'activation', value: data[Math.max(firstNonFinite(data), 0)] });
      return;
    }
    if (!Number.isFinite(info.loss)) {
      this.report({ layer: 'loss', direction: 'forward', tensor: 'loss', value: info.loss });
      return;
    }
    for (let i = info.weights.length - 1; i >= 0; i--) {
      const w = info.weights[i];
      const g = grads.get(w);
      if (g === undefined || Number.isFinite(g.sumSq)) continue;
      const owner = info.layers.find((l) => l.weights.includes(w));
      this.report({ layer: owner?.name ?? w.name, direction: 'backward', tensor: 'gradient', weight: w.name, value: g.data[Math.max(firstNonFinite(g.data), 0)] });
      return;
    }
  }

  private report(found: Pick<NonFiniteEvent, 'layer' | 'direction' | 'tensor' | 'weight'> & { value: number }): void {
    const where = { step: this.step, epoch: this.epoch + 1, batch: this.batch + 1 };
    const what = found.tensor === 'activation' ? `the outputs of layer '${found.layer}' became ${found.value} in the forward pass`
      : found.tensor === 'loss' ? `the loss became ${found.value} (every layer's outputs were finite)`
      : found.tensor === 'gradient' ? `the gradient of '${found.weight}' became ${found.value} in the backward pass`
      : `the optimizer step made '${found.weight}' ${found.value}`;
    const event: NonFiniteEvent = {
      ...where, ...found, value: String(found.value),
      message: `Non-finite value at step ${where.step} (epoch ${where.epoch}, batch ${where.batch}): ${what}.`,
    };
    this.stopped = event;
    if (this.stopOnNonFinite && this.model !== null) this.model.stopTraining = true;
    this.onNonFinite?.(event);
  }
}
