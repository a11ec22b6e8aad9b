/**
 * The HTML report of `--report FILE.html`: one self-contained file (inline CSS and SVG, no script, no
 * network) with the verdict, activation std and gradient std by layer depth on a log scale at
 * initialization and after each epoch, the measured and theoretical variance ratios, the loss and
 * accuracy curves, and the per-layer numbers. Browser-clean: the CLI writes it with
 * `writeFileAtomic` (report.node.ts: temporary file, then rename).
 *
 * Every plot is a `<figure class="plot" data-plot=ID data-points=N data-series=S data-layers=L>`
 * around an inline `<svg>`, each point a `path[aria-roledescription="point"]` (Vega's SVG), so a
 * test or a script can count what was drawn.
 */
import type { LayerDiagnosis } from './diagnose.js';
import type { NonFiniteEvent } from './gradient_monitor.js';
import { type CurvePoint, type DepthPoint, type RenderedPlot, curvePlot, depthPlot } from './plots.js';
import type { Verdict } from './verdict.js';
import { type ArchitectureGraph, architectureHtml } from './architecture.js';

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** A figure: a rendered plot with its title and caption. */
export interface Figure {
  /** Identifier used in `data-plot` (e.g. 'activation-std'). */
  id: string;
  title: string;
  caption: string;
  plot: RenderedPlot;
  /** Layers per series, for by-depth plots. */
  layers?: number;
}

/** The HTML of a figure. */
export function figureHtml(f: Figure): string {
  const omitted = f.plot.omitted > 0 ? ` ${f.plot.omitted} value(s) equal to 0 or not finite cannot be drawn on a log scale and are left out.` : '';
  const layers = f.layers !== undefined ? ` data-layers="${f.layers}"` : '';
  return `<figure class="plot" id="${escapeHtml(f.id)}" data-plot="${escapeHtml(f.id)}" data-points="${f.plot.points}" data-series="${f.plot.series.length}"${layers}>
<h3>${escapeHtml(f.title)}</h3>
${f.plot.svg}
<figcaption>${escapeHtml(f.caption + omitted)}</figcaption>
</figure>`;
}

/** A section of the report. */
export interface ReportSection {
  title: string;
  /** HTML content (already escaped where needed). */
  html: string;
}

const STYLE = `
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; } h3 { font-size: 1rem; margin: 0.5rem 0; }
figure.plot { margin: 1rem 0; } figure.plot svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #555; max-width: 760px; }
table { border-collapse: collapse; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: right; } td.text, th.text { text-align: left; } th { background: #f4f4f4; } td:first-child, th:first-child { text-align: left; }
.verdict { padding: 0.75rem 1rem; border-left: 6px solid #888; background: #f7f7f7; }
.verdict.healthy { border-color: #2a9d4b; } .verdict.vanishing, .verdict.exploding { border-color: #d62728; } .verdict.saturation, .verdict.dead_units { border-color: #e6a100; }
.kind { font-weight: bold; text-transform: uppercase; letter-spacing: 0.05em; }
.stopped { padding: 0.75rem 1rem; border-left: 6px solid #d62728; background: #fdf0f0; }
.meta { color: #555; font-size: 0.9rem; }
`;

/** A complete, self-contained HTML page. */
export function reportPage(title: string, intro: string, sections: readonly ReportSection[]): string {
  const body = sections.map((s) => `<section>\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(intro)}</p>
${body}
</body>
</html>
`;
}

/** Formats a number for tables: 4 significant digits, exponent when very small or large. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

/** The verdict as an HTML block. */
export function verdictHtml(v: Verdict): string {
  const layers = v.layers.length > 0 ? `<p>Layers: ${escapeHtml(v.layers.join(', '))}</p>` : '';
  return `<div class="verdict ${v.kind}"><p><span class="kind">${escapeHtml(v.kind.replace('_', ' '))}</span> &mdash; ${escapeHtml(v.cause)}</p>${layers}<p><b>Fix:</b> ${escapeHtml(v.fix)}</p>
<p class="meta">Gradient std ratio first/last hidden layer: ${formatNumber(v.gradientRatio)}; activation std ratio last/first hidden layer: ${formatNumber(v.signalRatio)}.</p></div>`;
}

/** A table of per-layer diagnoses. */
export function layerTableHtml(layers: readonly LayerDiagnosis[]): string {
  const cols: [string, (l: LayerDiagnosis) => string][] = [
    ['layer', (l) => l.name], ['activation', (l) => l.activation], ['initializer', (l) => l.initializer],
    ['pre-act mean', (l) => formatNumber(l.preActivationMean)], ['pre-act std', (l) => formatNumber(l.preActivationStd)],
    ['act mean', (l) => formatNumber(l.activationMean)], ['act std', (l) => formatNumber(l.activationStd)],
    ['grad std', (l) => formatNumber(l.gradientStd)], ['kernel grad std', (l) => formatNumber(l.kernelGradientStd)],
    ['saturated', (l) => `${(l.saturatedFraction * 100).toFixed(1)}%`], ['dead', (l) => `${(l.deadFraction * 100).toFixed(1)}%`],
    ['variance ratio (theory)', (l) => formatNumber(l.theoryVarianceRatio)], ['variance ratio (measured)', (l) => formatNumber(l.measuredVarianceRatio)],
  ];
  const head = `<tr>${cols.map(([h]) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = layers.map((l) => `<tr>${cols.map(([, f]) => `<td>${escapeHtml(f(l))}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${head}\n${rows}\n</table>`;
}

/** A snapshot of the per-layer diagnosis, labelled ('initialization', 'epoch 1', ...). */
export interface Snapshot {
  label: string;
  layers: LayerDiagnosis[];
}

export interface DiagnosisReportInput {
  title: string;
  /** One line describing the run (data, network, settings). */
  description: string;
  /** At least one snapshot; the first is the initialization. */
  snapshots: readonly Snapshot[];
  /** The verdict at initialization (shown first when given). */
  verdict?: Verdict | null;
  /** Per-epoch logs with Keras's names (loss, accuracy, val_loss, val_accuracy), when the model was trained. */
  history?: Record<string, readonly (number | null)[]>;
  /** How the snapshots were taken (one sentence). */
  snapshotNote?: string;
  /** The first non-finite value, when training stopped on one. */
  stopped?: NonFiniteEvent | null;
  /** More sections to append (the experiment's table). */
  extraSections?: readonly ReportSection[];
  /** The model's layers and connections (`architectureOf(model)`): drawn with its residual paths when given. */
  architecture?: ArchitectureGraph;
}

function depthPoints(snapshots: readonly Snapshot[], value: (l: LayerDiagnosis) => number): DepthPoint[] {
  return snapshots.flatMap((s) => s.layers.map((l) => ({ series: s.label, depth: l.depth, layer: l.name, value: value(l) })));
}

/** Builds the report of a diagnosis (and of the training that followed it, when given). */
export async function buildDiagnosisReport(input: DiagnosisReportInput): Promise<string> {
  const layers = input.snapshots[0]?.layers.length ?? 0;
  const note = input.snapshotNote ?? 'One batch passed forward and backward through the loss.';
  const sections: ReportSection[] = [];
  if (input.verdict !== undefined && input.verdict !== null) sections.push({ title: 'Verdict at initialization', html: verdictHtml(input.verdict) });
  if (input.stopped !== undefined && input.stopped !== null) {
    sections.push({ title: 'Training stopped', html: `<div class="stopped"><p>${escapeHtml(input.stopped.message)}</p><p>The history below keeps every epoch up to that step.</p></div>` });
  }
  if (input.architecture !== undefined) sections.push({ title: 'Architecture', html: architectureHtml(input.architecture) });
  const figures: Figure[] = [
    {
      id: 'activation-std', title: 'Activation std by layer', layers,
      caption: `Standard deviation of each layer's outputs over the batch and its units. ${note} A line that falls (or rises) steadily with depth shows the signal vanishing (or exploding) on its way forward.`,
      plot: await depthPlot(depthPoints(input.snapshots, (l) => l.activationStd), 'activation std'),
    },
    {
      id: 'gradient-std', title: 'Gradient std by layer', layers,
      caption: `Standard deviation of the gradient of the loss with respect to each layer's outputs (for the softmax output layer, its logits). ${note} Gradients flow from the right (output) to the left (input): a line that rises from left to right shows vanishing gradients.`,
      plot: await depthPlot(depthPoints(input.snapshots, (l) => l.gradientStd), 'gradient std'),
    },
    {
      id: 'variance-ratio', title: 'Variance ratio per layer at initialization: theory and measurement', layers,
      caption: "E[a_l^2] / E[a_(l-1)^2], the second moment of a layer's outputs over that of its inputs: predicted from the initializer's weight variance, the fan-in and the activation (fanIn * Var(W) * E[f(z)^2] / Var(z)), and measured on the batch. 1 keeps the signal's scale; ReLU with glorot_uniform halves it (0.5).",
      plot: await depthPlot((input.snapshots[0]?.layers ?? []).flatMap((l) => [
        { series: 'theory', depth: l.depth, layer: l.name, value: l.theoryVarianceRatio },
        { series: 'measured', depth: l.depth, layer: l.name, value: l.measuredVarianceRatio },
      ]), 'variance ratio'),
    },
  ];
  sections.push({ title: 'Signal and gradient flow', html: figures.map(figureHtml).join('\n') });
  const history = input.history ?? {};
  const epochs = Math.max(0, ...Object.values(history).map((v) => v.length));
  if (epochs > 0) {
    const curve = (keys: string[]): CurvePoint[] => keys.flatMap((k) => (history[k] ?? []).map((v, e) => ({ series: k, epoch: e + 1, value: v ?? NaN })));
    const curves: Figure[] = [
      { id: 'loss', title: 'Loss by epoch', caption: 'Training loss (running mean over the epoch) and validation loss (at the end of the epoch).', plot: await curvePlot(curve(['loss', 'val_loss']), 'loss') },
      { id: 'accuracy', title: 'Accuracy by epoch', caption: 'Training accuracy (running mean over the epoch) and validation accuracy (at the end of the epoch).', plot: await curvePlot(curve(['accuracy', 'val_accuracy']), 'accuracy') },
    ];
    sections.push({ title: 'Training curves', html: curves.map(figureHtml).join('\n') });
  }
  const tables = input.snapshots.map((s, i) => `<details${i === 0 ? ' open' : ''}><summary>${escapeHtml(s.label)}</summary>\n${layerTableHtml(s.layers)}\n</details>`).join('\n');
  sections.push({ title: 'Per-layer numbers', html: tables });
  sections.push(...(input.extraSections ?? []));
  return reportPage(input.title, input.description, sections);
}
