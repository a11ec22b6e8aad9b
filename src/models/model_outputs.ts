/**
 * The losses, loss weights and metrics of a model's outputs (Keras 3 `CompileLoss` / `CompileMetrics`),
 * and the running totals that become the logs of `fit` and `evaluate`.
 *
 * - loss: one loss for every output, a list (one per output, `null` for an output without a loss) or
 *   an object keyed by output name (an output not named has no loss).
 * - lossWeights: a list or an object keyed by output name; default 1. The total loss is
 *   sum_i(lossWeight_i * loss_i) (+ the layers' penalties while training).
 * - metrics: for one output, a list of names (`['accuracy']`); for several, a list of lists (one per
 *   output) or an object `{ outputName: 'accuracy' | ['accuracy'] }`. A flat list for a
 *   multi-output model is an error, as in Keras 3.
 *
 * Logs of a multi-output model: `loss`, then `<output>_loss` (that output's loss times its weight,
 * as Keras 3 records it) and `<output>_accuracy`; `val_` forms for validation. A one-output model
 * keeps `loss` and `accuracy`.
 * Reference: Keras 3 keras/src/trainers/compile_utils.py (`CompileLoss.call`: "Record individual
 * losses", the weighted value; metric names prefixed with the output name); keras-team/keras#20023
 * (per-output losses in the logs since Keras 3.5).
 */
import { ValueError } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { type SerializedObject, serialize } from '../core/serialization.js';
import { add, mul } from '../ops/arithmetic.js';
import { getLoss, type LossConfig, type LossFn, type LossName } from '../losses/get.js';
import type { Loss } from '../losses/loss.js';
import { type AccuracyKind, countCorrect, resolveAccuracy } from '../metrics/accuracy.js';
import { checkSparseLabels } from '../losses/losses.js';
import type { Logs } from '../callbacks/callback.js';

/** One loss as `compile` takes it. */
export type LossSpec = string | LossConfig | Loss | { class_name: string; config?: unknown };

/** What `compile` resolved for one output. */
export interface CompiledOutput {
  /** The output's name (`model.outputNames[i]`). */
  name: string;
  /** The output's loss, or null for an output that is not trained. */
  lossName: LossName | null;
  loss: LossFn | null;
  /** The loss in Keras 3's compile_config form (a name or a serialized loss), or null. */
  lossSpec: string | SerializedObject | null;
  /** The factor of this output's loss in the total. */
  weight: number;
  /** The metric names given for this output. */
  metrics: string[];
}

function isLossSpec(x: unknown): boolean {
  return typeof x === 'string' || (typeof x === 'object' && x !== null && !Array.isArray(x) && ('class_name' in x || 'className' in x || 'name' in x || typeof (x as { call?: unknown }).call === 'function'));
}

/** Reads a per-output value given as a list (by position) or an object (by output name). */
function perOutput<T>(owner: string, what: string, value: unknown, names: readonly string[], single: (v: unknown) => boolean): (T | undefined)[] {
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new ValueError(`${owner}: ${what} is a list of ${value.length} for the model's ${names.length} outputs (${names.join(', ')}); give one entry per output, in that order, or an object keyed by output name.`);
    }
    return value as T[];
  }
  if (typeof value === 'object' && value !== null && !single(value)) {
    const unknown = Object.keys(value).filter((k) => !names.includes(k));
    if (unknown.length > 0) throw new ValueError(`${owner}: ${what} names ${unknown.map((k) => `'${k}'`).join(', ')}, which ${unknown.length > 1 ? 'are not outputs' : 'is not an output'} of the model; its outputs are ${names.map((k) => `'${k}'`).join(', ')}.`);
    return names.map((n) => (value as Record<string, T>)[n]);
  }
  return names.map(() => value as T);
}

function checkMetricNames(owner: string, metrics: unknown, where: string): string[] {
  const list = typeof metrics === 'string' ? [metrics] : metrics ?? [];
  if (!Array.isArray(list)) {
    throw new ValueError(`${owner}: metrics${where} must be an array of metric names (['accuracy']), received ${String(metrics)}.`);
  }
  for (const m of list) {
    if (m !== 'accuracy' && m !== 'acc') throw new ValueError(`Unknown metric '${String(m)}'${where}; expected 'accuracy'.`);
  }
  return [...(list as string[])];
}

/**
 * Resolves compile's loss, lossWeights and metrics for the outputs named `names`.
 * @throws ValueError for a list of the wrong length, an unknown output name, a flat metric list for
 *   several outputs, no loss at all, a weight that is not a finite number, or an unknown loss or metric.
 */
export function resolveOutputs(owner: string, names: readonly string[], loss: unknown, lossWeights: unknown, metrics: unknown): CompiledOutput[] {
  const losses = names.length === 1 && !Array.isArray(loss) && (isLossSpec(loss) || typeof loss !== 'object' || loss === null || !Object.hasOwn(loss, names[0]))
    ? [loss] : perOutput<unknown>(owner, 'loss', loss, names, isLossSpec);
  const weights = lossWeights === undefined || lossWeights === null ? names.map(() => 1) : perOutput<unknown>(owner, 'lossWeights', lossWeights, names, () => false);
  let metricLists: unknown[];
  if (names.length === 1) {
    metricLists = [Array.isArray(metrics) && metrics.length === 1 && Array.isArray(metrics[0]) ? metrics[0]
      : typeof metrics === 'object' && metrics !== null && !Array.isArray(metrics) ? (metrics as Record<string, unknown>)[names[0]] : metrics];
  } else {
    if (Array.isArray(metrics) && metrics.some((m) => typeof m === 'string')) {
      throw new ValueError(`${owner}: metrics ${JSON.stringify(metrics)} is a flat list, but the model has ${names.length} outputs (${names.join(', ')}); as in Keras 3, give one list per output ([['accuracy'], []]) or an object keyed by output name ({ ${names[0]}: ['accuracy'] }).`);
    }
    metricLists = metrics === undefined || metrics === null || (Array.isArray(metrics) && metrics.length === 0) ? names.map(() => []) : perOutput<unknown>(owner, 'metrics', metrics, names, () => false);
  }
  const out = names.map((name, i): CompiledOutput => {
    const where = names.length > 1 ? ` (output '${name}')` : '';
    const w = weights[i] ?? 1;
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new ValueError(`${owner}: lossWeights${where} is ${String(w)}; expected a finite number.`);
    const spec = losses[i];
    const ms = checkMetricNames(owner, metricLists[i], where);
    if (spec === undefined || spec === null) return { name, lossName: null, loss: null, lossSpec: null, weight: w, metrics: ms };
    const r = getLoss(spec as LossSpec);
    return { name, lossName: r.name, loss: r.fn, lossSpec: typeof spec === 'string' ? r.name : serialize(r.loss), weight: w, metrics: ms };
  });
  if (out.every((o) => o.loss === null)) throw new ValueError(`${owner}: no output has a loss (loss ${JSON.stringify(loss)}); give a loss for at least one of ${names.join(', ')}.`);
  return out;
}

/** An output with its accuracy kind resolved for its units (null without the metric). */
export interface ResolvedOutput extends CompiledOutput {
  accuracy: AccuracyKind | null;
  units: number;
}

/** Resolves each output's accuracy kind from its loss and units (as Keras's 'accuracy'). */
export function resolveOutputAccuracy(outputs: readonly CompiledOutput[], units: readonly number[]): ResolvedOutput[] {
  return outputs.map((o, i) => ({ ...o, units: units[i], accuracy: o.metrics.length > 0 ? resolveAccuracy(o.lossName ?? '', units[i]) : null }));
}

/** Checks the integer labels of each output trained with sparse categorical crossentropy. */
export function checkOutputLabels(outputs: readonly ResolvedOutput[], ys: readonly Tensor[]): void {
  outputs.forEach((o, i) => { if (o.lossName === 'sparse_categorical_crossentropy') checkSparseLabels(ys[i].data, o.units); });
}

/**
 * The weighted loss of each output on a batch and their sum: loss_i(y_i, p_i, w) * weight_i (the
 * product skipped for weight 1, so a one-output model computes exactly what it always did).
 */
export function outputLosses(outputs: readonly ResolvedOutput[], ys: readonly Tensor[], preds: readonly Tensor[], sampleWeight?: Tensor): { total: Tensor; values: (Tensor | null)[] } {
  const values = outputs.map((o, i) => {
    if (o.loss === null) return null;
    const l = o.loss(ys[i], preds[i], sampleWeight);
    return o.weight === 1 ? l : mul(l, o.weight);
  });
  const present = values.filter((v): v is Tensor => v !== null);
  return { total: present.slice(1).reduce((acc, v) => add(acc, v), present[0]), values };
}

/** Running sums over an epoch (or an evaluation) that give Keras's logs. */
export class OutputTotals {
  private lossSum = 0;
  private regularizationSum: number | null = null;
  private readonly outputLossSums: number[];
  private readonly correct: number[];
  private seen = 0;

  constructor(private readonly outputs: readonly ResolvedOutput[]) {
    this.outputLossSums = outputs.map(() => 0);
    this.correct = outputs.map(() => 0);
  }

  /**
   * Adds one batch of `count` samples: its total loss (penalties included while training), each
   * output's weighted loss, the penalties (null when the layers have none) and the predictions.
   */
  add(count: number, loss: number, values: readonly (Tensor | null)[], penalties: number | null, ys: readonly Tensor[], preds: readonly Tensor[]): void {
    this.lossSum += loss * count;
    if (penalties !== null) this.regularizationSum = (this.regularizationSum ?? 0) + penalties * count;
    values.forEach((v, i) => { if (v !== null) this.outputLossSums[i] += v.data[0] * count; });
    this.outputs.forEach((o, i) => { if (o.accuracy !== null) this.correct[i] += countCorrect(o.accuracy, ys[i], preds[i]); });
    this.seen += count;
  }

  /** Means over the samples seen, keyed by Keras names. */
  logs(): Logs {
    const n = Math.max(this.seen, 1);
    const logs: Logs = { loss: this.lossSum / n };
    if (this.regularizationSum !== null) logs.regularization_loss = this.regularizationSum / n;
    if (this.outputs.length === 1) {
      if (this.outputs[0].accuracy !== null) logs.accuracy = this.correct[0] / n;
      return logs;
    }
    this.outputs.forEach((o, i) => { if (o.loss !== null) logs[`${o.name}_loss`] = this.outputLossSums[i] / n; });
    this.outputs.forEach((o, i) => { if (o.accuracy !== null) logs[`${o.name}_accuracy`] = this.correct[i] / n; });
    return logs;
  }
}
