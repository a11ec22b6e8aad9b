/**
 * Training progress on stderr: a progress bar per epoch (cli-progress, only on a terminal), then
 * one line per epoch with Keras's metric names and the table of per-layer gradient statistics.
 */
import cliProgress from 'cli-progress';
import { Callback, type Logs } from '../callbacks/callback.js';
import { DEAD_FRACTION_LIMIT, EXPLODING_RATIO, SATURATION_LIMIT, VANISHING_RATIO } from '../diagnostics/verdict.js';
import type { LayerGradientStats } from '../diagnostics/gradient_stats.js';
import type { LayerMonitorStats } from '../diagnostics/gradient_monitor.js';
import { type CollapseEvidence, explainCollapse } from '../diagnostics/collapse.js';
import type { SpikeTracker } from '../diagnostics/spike_tracker.js';

/** What ProgressReporter needs to explain a setback between epochs (see diagnostics/collapse.ts). */
export interface SetbackOptions {
  /** The run's SpikeTracker (among fit's callbacks, before the reporter). */
  spikes?: SpikeTracker;
  /** How the inputs were standardized, for the fix the explanation gives. */
  standardization?: CollapseEvidence['standardization'];
}

/** Per-layer rows: GradientStats's, or the GradientMonitor's with saturation and update ratio. */
type Rows = readonly (LayerGradientStats | LayerMonitorStats)[];

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? v.toFixed(4) : v.toExponential(2);
}

/**
 * The per-layer gradient statistics as an aligned text table; with the GradientMonitor's rows, also
 * the saturated share (`sat`) and the update-to-weight ratio (`update`); '-' in the kernel columns of a
 * layer without weights (a merge layer).
 */
export function gradientTable(rows: Rows): string {
  const monitor = rows.length > 0 && rows.every((r) => 'updateRatio' in r);
  const header = ['layer', 'grad norm', 'grad std', 'act mean', 'act std', 'dead', ...(monitor ? ['sat', 'update'] : [])];
  // A layer without weights (a merge layer such as Add) has no kernel gradient or update: '-' there, not NaN.
  const body = rows.map((r) => {
    const kernel = !('hasKernel' in r) || r.hasKernel !== false;
    const k = (v: number): string => (kernel ? fmt(v) : '-');
    return [r.name, k(r.kernelGradNorm), k(r.kernelGradStd), fmt(r.activationMean), fmt(r.activationStd), `${(r.deadFraction * 100).toFixed(1)}%`,
      ...('updateRatio' in r ? [`${(r.saturatedFraction * 100).toFixed(1)}%`, k(r.updateRatio)] : [])];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

/** `4.1e-6` or `0.0071`: two significant digits, in exponent notation outside [1e-3, 1e4). */
function short(v: number): string {
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(1) : String(Number(v.toPrecision(2)));
}

/** "dense_2 82%, dense_3 91%" (at most 4 layers, then "and N more"). */
function percents(rows: Rows, value: (r: Rows[number]) => number): string {
  const shown = rows.slice(0, 4).map((r) => `${r.name} ${Math.round(value(r) * 100)}%`).join(', ');
  return rows.length > 4 ? `${shown} and ${rows.length - 4} more` : shown;
}

/**
 * The problems an epoch's per-layer statistics show, each named as the chapter names it and with
 * the figures that show it (hidden layers only; the ratios need two of them):
 *
 * - dead units: a layer with at least DEAD_FRACTION_LIMIT of its units at 0 for every sample;
 * - saturation: at least SATURATION_LIMIT of a layer's sigmoid/tanh outputs in the flat tails;
 * - exploding / vanishing gradients: the kernel gradient std of the first hidden layer over the
 *   last's above EXPLODING_RATIO / below VANISHING_RATIO (the verdict's thresholds);
 * - exploding / vanishing activations: the activation std of the last hidden layer over the first's.
 */
export function epochProblems(rows: Rows): string[] {
  const hidden = rows.slice(0, -1);
  const problems: string[] = [];
  const dead = hidden.filter((r) => r.deadFraction >= DEAD_FRACTION_LIMIT);
  if (dead.length > 0) problems.push(`dead units: ${percents(dead, (r) => r.deadFraction)} of the units output 0 for every sample (at least ${DEAD_FRACTION_LIMIT * 100}%), so no gradient flows through them`);
  const saturated = hidden.filter((r) => ('saturatedFraction' in r ? r.saturatedFraction : 0) >= SATURATION_LIMIT);
  if (saturated.length > 0) problems.push(`saturation: ${percents(saturated, (r) => ('saturatedFraction' in r ? r.saturatedFraction : 0))} of the outputs sit in the flat tails of the activation (at least ${SATURATION_LIMIT * 100}%), where its derivative is nearly 0`);
  if (hidden.length >= 2) {
    const first = hidden[0];
    const last = hidden[hidden.length - 1];
    const gradientRatio = first.kernelGradStd / last.kernelGradStd;
    const signalRatio = last.activationStd / first.activationStd;
    const grad = `the kernel gradient std goes from ${short(last.kernelGradStd)} (${last.name}) to ${short(first.kernelGradStd)} (${first.name}) on the way back`;
    const signal = `the activation std goes from ${short(first.activationStd)} (${first.name}) to ${short(last.activationStd)} (${last.name}) on the way forward`;
    if (Number.isFinite(gradientRatio) && gradientRatio > EXPLODING_RATIO) problems.push(`exploding gradients: ${grad}, ${short(gradientRatio)}-fold (above ${EXPLODING_RATIO})`);
    if (Number.isFinite(signalRatio) && signalRatio > EXPLODING_RATIO) problems.push(`exploding activations: ${signal}, ${short(signalRatio)}-fold (above ${EXPLODING_RATIO})`);
    if (gradientRatio < VANISHING_RATIO) problems.push(`vanishing gradients: ${grad}, a ratio of ${short(gradientRatio)} (below ${VANISHING_RATIO}), so the first layers barely learn`);
    if (signalRatio < VANISHING_RATIO) problems.push(`vanishing activations: ${signal}, a ratio of ${short(signalRatio)} (below ${VANISHING_RATIO})`);
  }
  return problems;
}

/**
 * A warning when the epoch's statistics show a problem the table alone would leave to the reader
 * (see `epochProblems`), naming each with its figures. Null when nothing stands out.
 */
export function epochWarning(rows: Rows): string | null {
  const problems = epochProblems(rows);
  return problems.length === 0 ? null : `${problems.join('; ')}. Run deepwell diagnose with the same flags for the cause and the fix.`;
}

export class ProgressReporter extends Callback {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;
  private previousLogs: Logs | null = null;
  private previousRows: Rows = [];
  /** The explanations printed so far, one per setback (`deepwell: setback: ...`). */
  readonly setbacks: string[] = [];

  /**
   * `stats` gives the per-layer rows printed after each epoch (GradientStats or GradientMonitor), or null for none.
   * When the loss jumps or val_accuracy falls between two epochs, the reporter prints what moved first
   * and the likely cause (`explainCollapse`), using `setback.spikes` when given.
   */
  constructor(private readonly stats: { readonly last: Rows } | null, private readonly stream: NodeJS.WriteStream = process.stderr, private readonly setback: SetbackOptions = {}) {
    super();
  }

  override onTrainBegin(): void {
    this.previousLogs = null;
    this.previousRows = [];
  }

  override onEpochBegin(epoch: number): void {
    this.started = performance.now();
    if (this.stream.isTTY) {
      this.bar = new cliProgress.SingleBar({
        stream: this.stream,
        format: `Epoch ${epoch + 1}/${this.params.epochs} [{bar}] {value}/{total} | loss {loss} | accuracy {accuracy} | ETA {eta}s`,
        hideCursor: true,
        clearOnComplete: true,
      }, cliProgress.Presets.shades_classic);
      this.bar.start(this.params.steps, 0, { loss: '-', accuracy: '-' });
    }
  }

  override onBatchEnd(batch: number, logs: Logs = {}): void {
    this.bar?.update(batch + 1, { loss: fmt(logs.loss ?? NaN), accuracy: logs.accuracy === undefined ? '-' : fmt(logs.accuracy) });
  }

  override onEpochEnd(epoch: number, logs: Logs = {}): void {
    this.bar?.stop();
    this.bar = null;
    const seconds = ((performance.now() - this.started) / 1000).toFixed(1);
    const metrics = Object.entries(logs).map(([k, v]) => `${k} ${fmt(v)}`).join(' - ');
    this.stream.write(`Epoch ${epoch + 1}/${this.params.epochs} - ${seconds}s - ${metrics}\n`);
    if (this.stats !== null && this.stats.last.length > 0) {
      this.stream.write(`${gradientTable(this.stats.last)}\n`);
      const warning = epochWarning(this.stats.last);
      if (warning !== null) this.stream.write(`deepwell: warning: ${warning}\n`);
    }
    const rows = this.stats?.last ?? [];
    // From the first epoch on: a batch whose loss rose above the untrained network's is a setback even without a previous epoch.
    {
      const spikes = this.setback.spikes;
      const monitorRows = (r: Rows): readonly LayerMonitorStats[] | undefined => (r.length > 0 && r.every((x) => 'updateRatio' in x) ? (r as readonly LayerMonitorStats[]) : undefined);
      const text = explainCollapse({
        epoch, previous: this.previousLogs ?? {}, current: logs, before: this.previousLogs !== null ? monitorRows(this.previousRows) : undefined, after: monitorRows(rows),
        spike: spikes?.spikes[spikes.spikes.length - 1] ?? null, input: spikes?.inputs[spikes.inputs.length - 1], standardization: this.setback.standardization,
      });
      if (text !== null) {
        this.setbacks.push(text);
        this.stream.write(`deepwell: setback: ${text}\n`);
      }
    }
    this.previousLogs = { ...logs };
    this.previousRows = rows;
  }
}
