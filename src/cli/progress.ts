/**
 * Training progress on stderr: a progress bar per epoch (cli-progress, only on a terminal), then
 * one line per epoch with Keras's metric names and the table of per-layer gradient statistics.
 */
import cliProgress from 'cli-progress';
import { Callback, type Logs } from '../callbacks/callback.js';
import { DEAD_FRACTION_LIMIT, SATURATION_LIMIT, describeLayers } from '../diagnostics/verdict.js';
import type { LayerGradientStats } from '../diagnostics/gradient_stats.js';
import type { LayerMonitorStats } from '../diagnostics/gradient_monitor.js';

/** Per-layer rows: GradientStats's, or the GradientMonitor's with saturation and update ratio. */
type Rows = readonly (LayerGradientStats | LayerMonitorStats)[];

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? v.toFixed(4) : v.toExponential(2);
}

/**
 * The per-layer gradient statistics as an aligned text table; with the GradientMonitor's rows, also
 * the saturated share (`sat`) and the update-to-weight ratio (`update`).
 */
export function gradientTable(rows: Rows): string {
  const monitor = rows.length > 0 && rows.every((r) => 'updateRatio' in r);
  const header = ['layer', 'grad norm', 'grad std', 'act mean', 'act std', 'dead', ...(monitor ? ['sat', 'update'] : [])];
  const body = rows.map((r) => [r.name, fmt(r.kernelGradNorm), fmt(r.kernelGradStd), fmt(r.activationMean), fmt(r.activationStd), `${(r.deadFraction * 100).toFixed(1)}%`,
    ...('updateRatio' in r ? [`${(r.saturatedFraction * 100).toFixed(1)}%`, fmt(r.updateRatio)] : [])]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

/**
 * A one-line warning when the epoch's statistics show a problem the table alone would leave to the
 * reader: hidden layers that are mostly dead (the verdict's DEAD_FRACTION_LIMIT, averaged over the
 * epoch's batches) or saturated (SATURATION_LIMIT). Null when nothing stands out.
 */
export function epochWarning(rows: Rows): string | null {
  const hidden = rows.slice(0, -1);
  const dead = hidden.filter((r) => r.deadFraction >= DEAD_FRACTION_LIMIT).map((r) => r.name);
  const saturated = hidden.filter((r) => ('saturatedFraction' in r ? r.saturatedFraction : 0) >= SATURATION_LIMIT).map((r) => r.name);
  const parts = [
    dead.length > 0 ? `${describeLayers(dead)} ${dead.length === 1 ? 'has' : 'have'} at least ${DEAD_FRACTION_LIMIT * 100}% dead units (no gradient flows through them)` : '',
    saturated.length > 0 ? `${describeLayers(saturated)} ${saturated.length === 1 ? 'is' : 'are'} at least ${SATURATION_LIMIT * 100}% saturated` : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? null : `${parts.join('; ')}. Run deepwell diagnose with the same flags for the cause and the fix.`;
}

export class ProgressReporter extends Callback {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;

  /** `stats` gives the per-layer rows printed after each epoch (GradientStats or GradientMonitor), or null for none. */
  constructor(private readonly stats: { readonly last: Rows } | null, private readonly stream: NodeJS.WriteStream = process.stderr) {
    super();
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
    this.bar?.update(batch + 1, { loss: fmt(logs.loss ?? NaN), accuracy: fmt(logs.accuracy ?? NaN) });
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
  }
}
