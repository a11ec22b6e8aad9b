/**
 * What every chapter experiment shares: the flags (`--data`, `--quick`, `--seeds`, `--seed`,
 * `--train-size`, `--epochs`, `--json`, `--report`), the data split, one training run per
 * (configuration, seed), mean and std over seeds, the text table beside the book's figures, the
 * claim line, the JSON object and the HTML report.
 *
 * Data: `--data mnist` (bundled) or a folder of IDX files (Fashion-MNIST, the book's data set). The
 * validation set is the last 5,000 training images (hml3's split; a tenth when the set is smaller),
 * training the first `trainSize` of the rest; the test set is the t10k split (its first
 * QUICK_TEST_SIZE images with --quick).
 */
import { setSeed } from '../../core/random.js';
import type { Tensor } from '../../core/tensor.js';
import { GradientMonitor, type LayerMonitorStats } from '../../diagnostics/gradient_monitor.js';
import { curvePlot, depthPlot } from '../../diagnostics/plots.js';
import { type ReportSection, escapeHtml, figureHtml, reportPage } from '../../diagnostics/report.js';
import { writeFileAtomic } from '../../diagnostics/report.node.js';
import { resetLayerNames } from '../../layers/layer.js';
import { rowRange } from '../../models/batches.js';
import type { Sequential } from '../../models/sequential.js';
import type { Callback } from '../../callbacks/callback.js';
import { explainCollapse } from '../../diagnostics/collapse.js';
import { SpikeTracker } from '../../diagnostics/spike_tracker.js';
import { type Dataset, inferClasses, loadData } from '../load_data.js';
import { standardizeDataset } from '../dataset_prep.js';
import { UsageError, parseInteger, parseOutputPath, parsePositiveInt } from '../usage_error.js';

/** Validation images held out at the end of the training set (hml3's split). */
export const VALIDATION_SIZE = 5000;
/** Test images used with --quick. */
export const QUICK_TEST_SIZE = 2000;

export interface CommonFlags {
  data: string;
  quick?: boolean;
  seeds: string;
  seed: string;
  trainSize?: string;
  epochs?: string;
  json?: boolean;
  report?: string;
}

export interface CommonSettings {
  data: string;
  quick: boolean;
  /** The seeds run: --seed, --seed + 1, ... (--seeds of them). */
  seeds: number[];
  /** --train-size, or the experiment's default (quick or full). */
  trainSize: number;
  /** --epochs, or the experiment's default (quick or full). */
  epochs: number;
  json: boolean;
  report: string | null;
}

/** An experiment's default sizes, full and --quick. */
export interface Sizes {
  trainSize: number;
  epochs: number;
  quickTrainSize: number;
  quickEpochs: number;
}

export function parseCommonFlags(flags: CommonFlags, sizes: Sizes): CommonSettings {
  const quick = flags.quick ?? false;
  const count = parsePositiveInt('--seeds', flags.seeds, 3);
  const first = parseInteger('--seed', flags.seed);
  return {
    data: flags.data,
    quick,
    seeds: Array.from({ length: count }, (_, i) => first + i),
    trainSize: flags.trainSize === undefined ? (quick ? sizes.quickTrainSize : sizes.trainSize) : parsePositiveInt('--train-size', flags.trainSize, sizes.trainSize),
    epochs: flags.epochs === undefined ? (quick ? sizes.quickEpochs : sizes.epochs) : parsePositiveInt('--epochs', flags.epochs, sizes.epochs),
    json: flags.json ?? false,
    report: parseOutputPath('--report', flags.report),
  };
}

/** The splits an experiment trains, validates and tests on. */
export interface Splits {
  /** 'mnist' or the folder given, with ' (standardized)' when standardized. */
  name: string;
  /** The data set's kind for the reader: 'MNIST' or 'Fashion-MNIST' or 'IDX folder'. */
  kind: string;
  train: { x: Tensor; y: Tensor };
  val: { x: Tensor; y: Tensor };
  test: { x: Tensor; y: Tensor };
  classes: number;
  inputShape: number[];
}

/** 'Fashion-MNIST' when the folder's name says so, 'MNIST' for the bundled set, else 'IDX folder'. */
export function dataKind(data: string): string {
  if (data === 'mnist') return 'MNIST';
  return /fashion/i.test(data) ? 'Fashion-MNIST' : `IDX folder ${data}`;
}

/** Loads `--data` and splits it; `standardize` uses the CLI's standardization (per pixel, std floored). */
export async function loadSplits(s: CommonSettings, standardize: boolean): Promise<Splits> {
  const raw: Dataset = await loadData(s.data, { images: true });
  const classes = inferClasses(raw);
  const data = standardize ? standardizeDataset(raw) : raw;
  const n = data.train.x.shape[0];
  const validation = Math.min(VALIDATION_SIZE, Math.floor(n / 10));
  if (s.trainSize > n - validation) {
    throw new UsageError(`Invalid value for --train-size: received ${s.trainSize}; ${raw.name} has ${n - validation} training images besides the ${validation} held out for validation.`);
  }
  const nTest = s.quick ? Math.min(QUICK_TEST_SIZE, data.test.x.shape[0]) : data.test.x.shape[0];
  return {
    name: data.name, kind: dataKind(s.data), classes, inputShape: data.train.x.shape.slice(1),
    train: { x: rowRange(data.train.x, 0, s.trainSize), y: rowRange(data.train.y, 0, s.trainSize) },
    val: { x: rowRange(data.train.x, n - validation, n), y: rowRange(data.train.y, n - validation, n) },
    test: { x: rowRange(data.test.x, 0, nTest), y: rowRange(data.test.y, 0, nTest) },
  };
}

/** One training run of the JSON output. */
export interface Run {
  config: string;
  seed: number;
  /** Keras's metric names per epoch (loss, accuracy, val_loss, val_accuracy). */
  history: Record<string, number[]>;
  /** Test-set metrics after training (loss, accuracy, and any extra figure of the experiment). */
  test: Record<string, number>;
  seconds: number;
  /** The first non-finite value when the run diverged, else null. */
  stopped: string | null;
  /** Per-layer statistics of the last epoch (GradientMonitor), for the report's gradient picture. */
  layers?: LayerMonitorStats[];
  /** Explanations of the setbacks between epochs (explainCollapse), printed on stderr too. */
  setbacks?: string[];
}

/** What `trainRun` needs: a fresh model for the seed, how to compile it, and the fit options. */
export interface RunSpec {
  config: string;
  seed: number;
  build: () => Sequential;
  compile: (model: Sequential) => void;
  splits: Splits;
  epochs: number;
  batchSize?: number;
  callbacks?: () => Callback[];
}

/**
 * Trains one (configuration, seed): the global seed and layer names are reset first, so a run is
 * the same whatever ran before it. Diverged runs (a NaN or infinite value) stop and keep their history.
 */
export async function trainRun(spec: RunSpec, log: (line: string) => void): Promise<Run & { model: Sequential }> {
  const t0 = performance.now();
  setSeed(spec.seed);
  resetLayerNames();
  const model = spec.build();
  spec.compile(model);
  const monitor = new GradientMonitor();
  const spikes = new SpikeTracker();
  const history = await model.fit(spec.splits.train.x, spec.splits.train.y, {
    epochs: spec.epochs, batchSize: spec.batchSize ?? 32, seed: spec.seed, validationData: [spec.splits.val.x, spec.splits.val.y],
    callbacks: [monitor, spikes, ...(spec.callbacks?.() ?? [])], verbose: 0,
  });
  // A setback (loss jump or val_accuracy drop between epochs, a batch loss above the untrained network's within one) is explained as deepwell train does.
  const setbacks: string[] = [];
  const epochLogs = (e: number): Record<string, number> => Object.fromEntries(Object.entries(history.history).map(([k, v]) => [k, v[e]]).filter(([, v]) => v !== undefined));
  for (let e = 0; e < (history.history.loss?.length ?? 0); e++) {
    const text = explainCollapse({ epoch: e, previous: e > 0 ? epochLogs(e - 1) : {}, current: epochLogs(e), before: monitor.epochs[e - 1], after: monitor.epochs[e], spike: spikes.spikes[e] ?? null, input: spikes.inputs[e], standardization: 'floored' });
    if (text !== null) {
      setbacks.push(text);
      log(`  ${spec.config} seed ${spec.seed}: setback: ${text}`);
    }
  }
  const stopped = monitor.stopped?.message ?? null;
  const test = stopped === null ? model.evaluate(spec.splits.test.x, spec.splits.test.y, { batchSize: 256 }) : { loss: NaN, accuracy: NaN };
  const seconds = (performance.now() - t0) / 1000;
  const h = history.history;
  const last = (k: string): string => {
    const v = h[k]?.[h[k].length - 1];
    return v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(4);
  };
  log(`  ${spec.config} seed ${spec.seed}: val_accuracy ${last('val_accuracy')}, test accuracy ${Number.isFinite(test.accuracy ?? NaN) ? (test.accuracy ?? NaN).toFixed(4) : 'n/a'}${stopped !== null ? ' (diverged)' : ''}, ${seconds.toFixed(1)}s`);
  return { config: spec.config, seed: spec.seed, history: h, test, seconds, stopped, layers: monitor.last, setbacks, model };
}

/** Mean and population std of the finite values (NaN when none). */
export function meanStd(values: readonly number[]): { mean: number; std: number; n: number } {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length), n: v.length };
}

/** "0.8123 ± 0.0100" (or "n/a"). */
export function pm(values: readonly number[], digits = 4): string {
  const { mean, std, n } = meanStd(values);
  if (n === 0) return 'n/a';
  return n === 1 ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}

/** The value of metric `key` at (1-based) `epoch` of a run (the last epoch when absent), NaN when missing. */
export function at(run: Run, key: string, epoch?: number): number {
  const h = run.history[key] ?? [];
  const v = h[(epoch ?? h.length) - 1];
  return run.stopped !== null && key.includes('accuracy') ? NaN : (v ?? NaN);
}

/** The chapter's claim for this run. */
export interface Claim {
  statement: string;
  criterion: string;
  held: boolean;
  /** Seeds in which the per-seed criterion held, of `seeds`. */
  heldSeeds: number;
  seeds: number;
}

/** The claim line: "Claim: ... Criterion: ...: held in 3 of 3 seeds -> HELD." */
export function claimLine(c: Claim): string {
  return `Claim: ${c.statement} Criterion: ${c.criterion}: held in ${c.heldSeeds} of ${c.seeds} seed${c.seeds === 1 ? '' : 's'} -> ${c.held ? 'HELD' : 'NOT HELD'}.`;
}

/** Per-seed test `ok(seed runs)` over the seeds; held when it holds in at least ceil(2/3 of the seeds) and `overall` (default true). */
export function claimOverSeeds(runs: readonly Run[], seeds: readonly number[], ok: (bySeed: Run[]) => boolean, statement: string, criterion: string, overall = true): Claim {
  const heldSeeds = seeds.filter((seed) => ok(runs.filter((r) => r.seed === seed))).length;
  return { statement, criterion, held: overall && heldSeeds >= Math.ceil((2 * seeds.length) / 3), heldSeeds, seeds: seeds.length };
}

/** An aligned text table (first column left, the others right). */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** The same table as HTML. */
export function htmlTable(header: string[], rows: string[][]): string {
  const head = `<tr>${header.map((h, i) => `<th${i === 0 ? ' class="text"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${i === 0 ? ' class="text"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

/** What an experiment hands to `finish`. */
export interface Outcome {
  experiment: string;
  settings: CommonSettings;
  /** The data line: which data set it ran on, and how much of it. */
  dataLine: string;
  claim: Claim;
  runs: Run[];
  /** The text printed before the claim line: our figures beside the book's. */
  table: { header: string[]; rows: string[][] };
  /** Notes printed under the table (settings that differ from the book's, caveats). */
  notes: string[];
  /** Extra JSON fields (e.g. selu-simulation's per-layer arrays). */
  extra?: Record<string, unknown>;
  /** Extra report sections. */
  sections?: ReportSection[];
  started: number;
}

/** Curves of val_accuracy (mean over seeds per config) and the per-layer gradient picture of the first seed. */
async function standardSections(runs: readonly Run[]): Promise<ReportSection[]> {
  const configs = [...new Set(runs.map((r) => r.config))];
  const curve = (key: string): { series: string; epoch: number; value: number }[] => configs.flatMap((config) => {
    const rs = runs.filter((r) => r.config === config);
    const epochs = Math.max(0, ...rs.map((r) => r.history[key]?.length ?? 0));
    return Array.from({ length: epochs }, (_, e) => ({ series: config, epoch: e + 1, value: meanStd(rs.map((r) => r.history[key]?.[e] ?? NaN)).mean }));
  });
  const sections: ReportSection[] = [];
  const figures: string[] = [];
  for (const key of ['val_accuracy', 'loss']) {
    const points = curve(key);
    if (points.length === 0) continue;
    figures.push(figureHtml({ id: key, title: `${key} by epoch (mean over seeds)`, plot: await curvePlot(points, key), caption: `One line per configuration; each point the mean over the seeds.` }));
  }
  if (figures.length > 0) sections.push({ title: 'Training curves', html: figures.join('\n') });
  const depth = configs.flatMap((config) => {
    const r = runs.find((x) => x.config === config && (x.layers?.length ?? 0) > 0);
    return (r?.layers ?? []).map((l, i) => ({ series: config, depth: i + 1, layer: l.name, value: l.kernelGradStd }));
  });
  if (depth.length > 0) {
    sections.push({
      title: 'Gradients by layer',
      html: figureHtml({ id: 'gradient-std', title: 'Kernel gradient std by layer, last epoch (first seed)', layers: Math.max(...depth.map((d) => d.depth)), plot: await depthPlot(depth, 'kernel gradient std'),
        caption: 'Std of dLoss/dkernel per layer, averaged over the last epoch\'s steps (GradientMonitor). A line rising from left to right: vanishing gradients; falling: exploding.' }),
    });
  }
  return sections;
}

/** Prints the outcome (text or --json), writes the report, and returns the JSON object. */
export async function finish(o: Outcome): Promise<Record<string, unknown>> {
  const seconds = (performance.now() - o.started) / 1000;
  const result = {
    experiment: o.experiment,
    data: o.dataLine,
    claim: { statement: o.claim.statement, criterion: o.claim.criterion, held: o.claim.held, heldSeeds: o.claim.heldSeeds, seeds: o.claim.seeds },
    settings: { quick: o.settings.quick, seeds: o.settings.seeds, trainSize: o.settings.trainSize, epochs: o.settings.epochs },
    runs: o.runs.map(({ config, seed, history, test, seconds: s, stopped, setbacks }) => ({ config, seed, history, test, seconds: s, stopped, setbacks: setbacks ?? [] })),
    ...o.extra,
    seconds,
  };
  if (o.settings.report !== null) {
    const sections: ReportSection[] = [
      { title: 'Results beside the book', html: `${htmlTable(o.table.header, o.table.rows)}\n${o.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('\n')}\n<p><strong>${escapeHtml(claimLine(o.claim))}</strong></p>` },
      ...(o.sections ?? []),
      ...(await standardSections(o.runs)),
    ];
    writeFileAtomic(o.settings.report, reportPage(`deepwell experiment ${o.experiment}`, o.dataLine, sections));
    process.stderr.write(`deepwell experiment ${o.experiment}: report written to ${o.settings.report}\n`);
  }
  if (o.settings.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const lines = [`deepwell experiment ${o.experiment}: ${o.dataLine}`, '', textTable(o.table.header, o.table.rows), '', ...o.notes, claimLine(o.claim), `${seconds.toFixed(1)}s in all.`];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return result;
}

/** "MNIST (bundled), 10000 training / 5000 validation / 10000 test images, 5 epochs, seeds 42, 43, 44". */
export function describeRun(s: CommonSettings, splits: Splits): string {
  const book = splits.kind === 'Fashion-MNIST' ? ' (the book\'s data set)' : ' (the book uses Fashion-MNIST: compare trends, not digits)';
  return `${splits.kind}${book}; ${splits.train.x.shape[0]} training / ${splits.val.x.shape[0]} validation / ${splits.test.x.shape[0]} test images; ${s.epochs} epoch(s); seed${s.seeds.length > 1 ? 's' : ''} ${s.seeds.join(', ')}${s.quick ? '; --quick' : ''}`;
}
