/**
 * GradientStats: per-layer gradient and activation statistics during `fit`, averaged over the
 * steps of each epoch. For every layer with a kernel (Dense):
 *
 * - `kernelGradNorm`: L2 norm of the kernel gradient, sqrt(sum g^2);
 * - `kernelGradStd`: standard deviation of the kernel gradient's elements;
 * - `activationMean`, `activationStd`: mean and std of the layer's outputs over the batch;
 * - `deadFraction`: fraction of units whose output is 0 for every sample of the batch (a dead
 *   ReLU unit passes no gradient; for other activations this is almost always 0).
 *
 * Each statistic is computed on the step's arrays in one pass (no copies) and averaged over steps.
 */
import type { TypedArray } from '../core/dtype.js';
import { Callback, type StepInfo } from '../callbacks/callback.js';
import type { Layer } from '../layers/layer.js';

export interface LayerGradientStats {
  name: string;
  kernelGradNorm: number;
  kernelGradStd: number;
  activationMean: number;
  activationStd: number;
  deadFraction: number;
}

type Sums = Omit<LayerGradientStats, 'name'> & { steps: number };
const STAT_KEYS = ['kernelGradNorm', 'kernelGradStd', 'activationMean', 'activationStd', 'deadFraction'] as const;

/** Mean and standard deviation (population) of an array, in one pass. */
export function meanStd(a: TypedArray): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    s += a[i];
    s2 += a[i] * a[i];
  }
  const n = Math.max(a.length, 1);
  const mean = s / n;
  return { mean, std: Math.sqrt(Math.max(s2 / n - mean * mean, 0)) };
}

/** Fraction of the columns of a [rows, units] array that are 0 in every row. */
export function deadFraction(y: TypedArray, units: number): number {
  if (units === 0 || y.length === 0) return 0;
  const rows = y.length / units;
  let dead = 0;
  for (let u = 0; u < units; u++) {
    let allZero = true;
    for (let r = 0; r < rows && allZero; r++) if (y[r * units + u] !== 0) allZero = false;
    if (allZero) dead++;
  }
  return dead / units;
}

/** Layers that own a kernel weight, with that weight. */
function kernelLayers(layers: readonly Layer[]): { layer: Layer; kernelName: string }[] {
  return layers.flatMap((layer) => {
    const k = layer.weights.find((w) => w.name === `${layer.name}/kernel`);
    return k !== undefined ? [{ layer, kernelName: k.name }] : [];
  });
}

export class GradientStats extends Callback {
  /** `epochs[e]` holds one entry per Dense layer, in order, for epoch e. */
  readonly epochs: LayerGradientStats[][] = [];
  private sums = new Map<string, Sums>();

  override onEpochBegin(): void {
    this.sums = new Map();
  }

  override onGradients(step: StepInfo): void {
    for (const { layer, kernelName } of kernelLayers(step.layers)) {
      const idx = step.weights.findIndex((w) => w.name === kernelName);
      const g = idx >= 0 ? step.grads[idx] : null;
      const out = layer.lastOutput;
      let acc = this.sums.get(layer.name);
      if (acc === undefined) {
        acc = { kernelGradNorm: 0, kernelGradStd: 0, activationMean: 0, activationStd: 0, deadFraction: 0, steps: 0 };
        this.sums.set(layer.name, acc);
      }
      if (g !== null) {
        const { mean, std } = meanStd(g);
        acc.kernelGradNorm += Math.sqrt((std * std + mean * mean) * g.length);
        acc.kernelGradStd += std;
      }
      if (out !== null) {
        const { mean, std } = meanStd(out.data);
        acc.activationMean += mean;
        acc.activationStd += std;
        acc.deadFraction += deadFraction(out.data, out.shape[out.rank - 1]);
      }
      acc.steps++;
    }
  }

  override onEpochEnd(): void {
    const rows: LayerGradientStats[] = [];
    for (const [name, acc] of this.sums) {
      const row: LayerGradientStats = { name, kernelGradNorm: 0, kernelGradStd: 0, activationMean: 0, activationStd: 0, deadFraction: 0 };
      for (const k of STAT_KEYS) row[k] = acc[k] / Math.max(acc.steps, 1);
      rows.push(row);
    }
    this.epochs.push(rows);
  }

  /** The statistics of the last completed epoch (empty before the first). */
  get last(): LayerGradientStats[] {
    return this.epochs[this.epochs.length - 1] ?? [];
  }
}
