/**
 * Explains a sudden setback between two epochs (the loss jumps or the validation accuracy falls):
 * what moved first and by how much, the likely cause, and the fix.
 *
 * The evidence, in the order a reader needs it:
 * 1. the setback itself (the metrics of the two epochs);
 * 2. the step of the epoch whose batch loss jumped most above its running average (SpikeTracker),
 *    and at that step the layers whose kernel gradient norm jumped most against their own running
 *    average, first layer first: a jump that is largest in the first hidden layer and fades with
 *    depth starts at the input (dLoss/dW1 = x^T delta grows with x);
 * 3. the per-layer statistics of the two epochs (GradientMonitor): the first layer, in forward
 *    order, whose activation std or kernel gradient std changed by more than MOVE_FACTOR;
 * 4. the inputs: values beyond INPUT_OUTLIER_LIMIT (standard deviations, after standardization).
 *
 * Causes, checked in this order: inputs beyond INPUT_OUTLIER_LIMIT std in the spike's batch or in
 * more than a tiny share of the batches (per-feature standardization of near-constant features, e.g.
 * MNIST's border pixels, whose std of 1e-4 turns one lit pixel into hundreds of std); otherwise a
 * step too large for the curvature (learning rate; gradients that explode with depth).
 */
import type { LayerMonitorStats } from './gradient_monitor.js';
import { INPUT_OUTLIER_LIMIT, type EpochInputStats, type LossSpike } from './spike_tracker.js';

/** The training loss rising by this factor from one epoch to the next is a setback. */
export const LOSS_JUMP_FACTOR = 1.2;
/** The validation accuracy falling by this much (absolute) from one epoch to the next is a setback. */
export const ACCURACY_DROP = 0.05;
/** A per-layer statistic changing by this factor (up or down) between epochs has moved. */
export const MOVE_FACTOR = 2;
/** A batch loss this many times its running average is a spike worth naming. */
export const SPIKE_FACTOR = 3;
/** The training loss falling by less than this share over an epoch, with outlier inputs, is a stall. */
export const STALL_DECREASE = 0.1;
/** Share of an epoch's batches with inputs beyond INPUT_OUTLIER_LIMIT that makes a stall worth explaining. */
export const STALL_OUTLIER_BATCHES = 0.01;

export interface CollapseEvidence {
  /** 0-based index of the epoch that went wrong (printed 1-based). */
  epoch: number;
  /** The logs of the epoch before and of this epoch (Keras names: loss, val_accuracy, ...). */
  previous: Readonly<Record<string, number>>;
  current: Readonly<Record<string, number>>;
  /** GradientMonitor rows of the epoch before and of this one (optional). */
  before?: readonly LayerMonitorStats[];
  after?: readonly LayerMonitorStats[];
  /** SpikeTracker's record of this epoch (optional). */
  spike?: LossSpike | null;
  /** SpikeTracker's input statistics of this epoch (optional). */
  input?: EpochInputStats;
  /**
   * How the inputs were standardized, for the fix: 'per-feature' (without a floor on the std),
   * 'floored' (with one), or 'none'. Default 'per-feature' when inputs are outliers.
   */
  standardization?: 'per-feature' | 'floored' | 'none';
}

function n2(v: number): string {
  const a = Math.abs(v);
  if (!Number.isFinite(v)) return String(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

function times(r: number): string {
  return r >= 1 ? `${n2(r)}x` : `1/${n2(1 / r)}`;
}

/**
 * A collapse inside the epoch that the epoch's averages can hide: one batch's loss SPIKE_FACTOR times
 * its running average and above the loss of the untrained network (the first step's), i.e. that batch
 * undid all the training so far. Null when the spike is smaller or unknown.
 */
export function describeSpikeSetback(spike: LossSpike | null | undefined): string | null {
  if (spike === null || spike === undefined) return null;
  const start = spike.startLoss ?? NaN;
  if (!(spike.loss > SPIKE_FACTOR * spike.baseline) || !Number.isFinite(start) || !(spike.loss > start)) return null;
  return `within the epoch a batch loss jumped to ${n2(spike.loss)}, above the untrained network's ${n2(start)} (step 1 of training)`;
}

/**
 * A stall the inputs explain: the training loss fell by less than STALL_DECREASE over the epoch while
 * more than STALL_OUTLIER_BATCHES of its batches held inputs beyond INPUT_OUTLIER_LIMIT std (each such
 * batch drags the first layer's weights around instead of teaching it). Null otherwise; without input
 * evidence a slow epoch is not called a setback (late epochs are slow by nature).
 */
export function describeStall(previous: Readonly<Record<string, number>>, current: Readonly<Record<string, number>>, input?: EpochInputStats, spike?: LossSpike | null): string | null {
  const pl = previous.loss;
  const cl = current.loss;
  if (pl === undefined || cl === undefined || !Number.isFinite(pl) || !Number.isFinite(cl) || pl <= 0) return null;
  if (input === undefined || !(input.batchShare > STALL_OUTLIER_BATCHES)) return null;
  const decrease = (pl - cl) / pl;
  if (!(decrease < STALL_DECREASE)) return null;
  const start = spike?.startLoss;
  const where = start !== undefined && Number.isFinite(start) && start > 0 ? `, ${((100 * cl) / start).toFixed(0)}% of the untrained network's ${n2(start)}` : '';
  return `training stalled: the loss ${decrease >= 0 ? `fell only ${(100 * decrease).toFixed(1)}%` : 'rose'} (${n2(pl)} to ${n2(cl)}${where}) while ${(100 * input.batchShare).toFixed(1)}% of the epoch's batches held inputs beyond ${INPUT_OUTLIER_LIMIT} std`;
}

/**
 * The setback between the two epochs in words, or null when there is none: val_accuracy falling by
 * more than ACCURACY_DROP, the training loss rising by LOSS_JUMP_FACTOR, (with `spike`) a batch
 * inside the epoch whose loss rose above the untrained network's (`describeSpikeSetback`), or (with
 * `input`) a stall with outlier inputs (`describeStall`).
 */
export function describeSetback(previous: Readonly<Record<string, number>>, current: Readonly<Record<string, number>>, spike?: LossSpike | null, input?: EpochInputStats): string | null {
  const parts: string[] = [];
  const pa = previous.val_accuracy;
  const ca = current.val_accuracy;
  if (pa !== undefined && ca !== undefined && pa - ca > ACCURACY_DROP) parts.push(`val_accuracy fell from ${pa.toFixed(4)} to ${ca.toFixed(4)}`);
  const pl = previous.loss;
  const cl = current.loss;
  if (pl !== undefined && cl !== undefined && (cl > pl * LOSS_JUMP_FACTOR || !Number.isFinite(cl))) parts.push(`the training loss rose from ${n2(pl)} to ${n2(cl)}`);
  const inside = describeSpikeSetback(spike);
  if (inside !== null) parts.push(inside);
  if (parts.length === 0) {
    const stall = describeStall(previous, current, input, spike);
    if (stall !== null) parts.push(stall);
  }
  return parts.length > 0 ? parts.join(' and ') : null;
}

/** The first layer (forward order) whose activation or kernel gradient std moved by MOVE_FACTOR, with the figures. */
function firstMoved(before: readonly LayerMonitorStats[], after: readonly LayerMonitorStats[]): string | null {
  for (let i = 0; i < Math.min(before.length, after.length); i++) {
    const b = before[i];
    const a = after[i];
    const moves: string[] = [];
    const g = a.kernelGradStd / b.kernelGradStd;
    const s = a.activationStd / b.activationStd;
    if (Number.isFinite(g) && (g > MOVE_FACTOR || g < 1 / MOVE_FACTOR)) moves.push(`kernel gradient std ${n2(b.kernelGradStd)} -> ${n2(a.kernelGradStd)} (${times(g)})`);
    if (Number.isFinite(s) && (s > MOVE_FACTOR || s < 1 / MOVE_FACTOR)) moves.push(`activation std ${n2(b.activationStd)} -> ${n2(a.activationStd)} (${times(s)})`);
    if (moves.length > 0) return `the first layer whose epoch statistics moved by more than ${MOVE_FACTOR}x is ${a.name} (layer ${i + 1} of ${after.length}): ${moves.join(', ')}`;
  }
  return null;
}

/**
 * One paragraph explaining the setback of `evidence.epoch`, or null when the metrics show none.
 * @example
 * explainCollapse({ epoch: 1, previous: { loss: 0.6, val_accuracy: 0.8 }, current: { loss: 1.9, val_accuracy: 0.45 } })
 * // 'Epoch 2: val_accuracy fell from 0.8000 to 0.4500 and the training loss rose from 0.6 to 1.9. ...'
 */
export function explainCollapse(evidence: CollapseEvidence): string | null {
  const setback = describeSetback(evidence.previous, evidence.current, evidence.spike, evidence.input);
  if (setback === null) return null;
  const lines: string[] = [`Epoch ${evidence.epoch + 1}: ${setback}.`];
  const spike = evidence.spike ?? null;
  let inputLed = false;
  if (spike !== null && spike.loss > SPIKE_FACTOR * spike.baseline) {
    const ranked = spike.layers.filter((l) => Number.isFinite(l.ratio)).sort((a, b) => b.ratio - a.ratio);
    const top = ranked.slice(0, 3).map((l) => `${l.name} (layer ${l.depth}) ${times(l.ratio)}`).join(', ');
    const first = spike.layers[0];
    const last = spike.layers[spike.layers.length - 1];
    inputLed = first !== undefined && ranked[0] === first && last !== undefined && first.ratio > last.ratio * MOVE_FACTOR;
    lines.push(`What moved first: at step ${spike.batch + 1} of the epoch the batch loss jumped to ${n2(spike.loss)}, ${n2(spike.loss / spike.baseline)}x its running average ${n2(spike.baseline)}; at that step the kernel gradient norms jumped most in ${top} (against each layer's running average)` +
      (inputLed ? `, largest in the first hidden layer and fading with depth: the jump entered at the input (dLoss/dW1 = x^T delta grows with x).` : '.'));
    if (Number.isFinite(spike.inputMaxAbs)) {
      lines.push(`That batch's inputs reach |x| = ${n2(spike.inputMaxAbs)}${spike.inputOutliers > 0 ? ` (${spike.inputOutliers} value(s) beyond ${INPUT_OUTLIER_LIMIT} std)` : ''}.`);
    }
  }
  if (evidence.before !== undefined && evidence.after !== undefined) {
    const moved = firstMoved(evidence.before, evidence.after);
    if (moved !== null) lines.push(`Over the epoch, ${moved}.`);
  }
  const input = evidence.input;
  const outliersInSpike = spike !== null && spike.inputOutliers > 0;
  const outlierInputs = input !== undefined && Number.isFinite(input.maxAbs) && input.maxAbs > INPUT_OUTLIER_LIMIT;
  if (outlierInputs) {
    lines.push(`Inputs: ${(input.batchShare * 100).toFixed(1)}% of this epoch's batches hold values beyond ${INPUT_OUTLIER_LIMIT} std (${(input.outlierShare * 100).toFixed(3)}% of all values), up to |x| = ${n2(input.maxAbs)}.`);
  }
  if (outlierInputs || outliersInSpike) {
    const how = evidence.standardization ?? 'per-feature';
    const cause = how === 'per-feature'
      ? 'per-feature standardization of near-constant features (e.g. MNIST border pixels with a std of 1e-4 on the training set: one lit pixel becomes hundreds of std)'
      : 'inputs far outside the range the network was initialized for';
    const fix = how === 'per-feature'
      ? "standardize with a floor on each feature's std (deepwell's --standardize floors it at a tenth of the pixel range, keeping inputs within 10 std; in code: fitStandardizer(x, { minStd })), or feed pixel / 255 (--no-standardize); clipping gradients (--clip-norm 1) limits the damage of one batch"
      : 'rescale or clip the inputs to a few std, or clip gradients (--clip-norm 1)';
    lines.push(`Likely cause: ${cause}; such a batch sends a huge gradient into the first layer and the SGD step wrecks what the network had learned. Fix: ${fix}.`);
  } else {
    lines.push(`Likely cause: steps too large for the loss surface (no input outliers seen): a gradient spike through the depth of the network. Fix: lower the learning rate (--lr), clip gradients (--clip-norm 1), or add batch normalization (--batch-norm).`);
  }
  return lines.join(' ');
}
