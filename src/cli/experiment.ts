/**
 * `deepwell experiment init-grid`: the experiments of Glorot & Bengio (2010) and He et al. (2015,
 * arXiv:1502.01852) on real data. For every activation in {sigmoid, tanh, relu, selu} and kernel
 * initializer in {random_normal with stddev 1, glorot_uniform, he_normal, lecun_normal}, a deep MLP
 * (default 30 hidden layers of 100 units) is diagnosed at initialization on one batch, then trained
 * for a few epochs; the result is a table (gradient std ratio first/last hidden layer, verdict,
 * validation accuracy) and, with `--report`, an HTML report.
 *
 * Data: the training images standardized per pixel with the training set's statistics (as the book
 * does for its deep networks); validation is the last 5,000 training images (the book's 3rd edition
 * split; a tenth of the set when it is smaller), training the first `--train-size` of the rest.
 */
import { setSeed } from '../core/random.js';
import { GradientMonitor } from '../diagnostics/gradient_monitor.js';
import { type Diagnosis, diagnoseModel } from '../diagnostics/diagnose.js';
import { facetedDepthPlot } from '../diagnostics/plots.js';
import { type ReportSection, escapeHtml, figureHtml, formatNumber, reportPage } from '../diagnostics/report.js';
import { writeFileAtomic } from '../diagnostics/report.node.js';
import { Dense } from '../layers/dense.js';
import { Flatten } from '../layers/flatten.js';
import { resetLayerNames } from '../layers/layer.js';
import { rowRange } from '../models/batches.js';
import { Sequential } from '../models/sequential.js';
import { OPTIMIZER_NAMES, getOptimizer } from '../optimizers/get.js';
import { inferClasses, loadData } from './load_data.js';
import { sampleBatch, standardizeDataset } from './dataset_prep.js';
import { UsageError, parseChoice, parseInteger, parseNumber, parsePositiveInt, parseOutputPath } from './usage_error.js';

export const GRID_ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'selu'] as const;

/**
 * The grid's kernel initializers. `random_normal` is N(0, 1) (stddev 1, not Keras's default 0.05):
 * the "standard" initialization Glorot & Bengio compare against, which ignores the layer's fan.
 */
export const GRID_INITIALIZERS = {
  random_normal: { class_name: 'RandomNormal', config: { stddev: 1 } },
  glorot_uniform: 'glorot_uniform',
  he_normal: 'he_normal',
  lecun_normal: 'lecun_normal',
} as const;
export type GridInitializer = keyof typeof GRID_INITIALIZERS;
const GRID_INIT_NAMES = Object.keys(GRID_INITIALIZERS) as GridInitializer[];

/** Validation images held out at the end of the training set (hml3's split). */
export const VALIDATION_SIZE = 5000;
/** Images of the batch diagnosed at initialization. */
export const DIAGNOSIS_BATCH_SIZE = 256;

export interface ExperimentFlags {
  data: string;
  depth: string;
  units: string;
  epochs: string;
  trainSize: string;
  batchSize: string;
  optimizer: string;
  lr: string;
  activations: string;
  inits: string;
  seed: string;
  report?: string;
  json?: boolean;
}

export interface ExperimentSettings {
  data: string;
  depth: number;
  units: number;
  epochs: number;
  trainSize: number;
  batchSize: number;
  optimizer: string;
  learningRate: number;
  activations: string[];
  inits: GridInitializer[];
  seed: number;
  report: string | null;
  json: boolean;
}

/** One cell of the grid. */
export interface GridRow {
  activation: string;
  initializer: GridInitializer;
  /** gradientStd(first hidden layer) / gradientStd(last hidden layer) at initialization. */
  gradientRatio: number;
  verdict: string;
  /** Validation accuracy and loss after the last epoch (NaN when training diverged at once). */
  valAccuracy: number;
  valLoss: number;
  /** The first non-finite value when training diverged, else null. */
  stopped: string | null;
  seconds: number;
}

function parseList<T extends string>(option: string, value: string, valid: readonly T[]): T[] {
  const items = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (items.length === 0) throw new UsageError(`Invalid value for ${option}: received '${value}'; expected a comma-separated list of ${valid.join(', ')}.`);
  return items.map((v) => parseChoice(option, v, valid));
}

export function parseExperimentFlags(flags: ExperimentFlags): ExperimentSettings {
  return {
    data: flags.data,
    depth: parsePositiveInt('--depth', flags.depth, 30),
    units: parsePositiveInt('--units', flags.units, 100),
    epochs: parsePositiveInt('--epochs', flags.epochs, 2),
    trainSize: parsePositiveInt('--train-size', flags.trainSize, 10000),
    batchSize: parsePositiveInt('--batch-size', flags.batchSize, 32),
    optimizer: parseChoice('--optimizer', flags.optimizer.toLowerCase(), OPTIMIZER_NAMES),
    learningRate: parseNumber('--lr', flags.lr, 0, Infinity),
    activations: parseList('--activations', flags.activations, GRID_ACTIVATIONS),
    inits: parseList('--inits', flags.inits, GRID_INIT_NAMES),
    seed: parseInteger('--seed', flags.seed),
    report: parseOutputPath('--report', flags.report),
    json: flags.json ?? false,
  };
}

/** The deep MLP of one grid cell: Flatten, depth x Dense(units, activation, init), Dense(classes, softmax). */
export function buildGridModel(inputShape: readonly number[], depth: number, units: number, activation: string, init: GridInitializer, classes: number): Sequential {
  return new Sequential([
    new Flatten({ inputShape }),
    ...Array.from({ length: depth }, () => new Dense(units, { activation, kernelInitializer: GRID_INITIALIZERS[init] })),
    new Dense(classes, { activation: 'softmax' }),
  ]);
}

function gridTable(rows: readonly GridRow[]): string {
  const header = ['activation', 'initializer', 'grad ratio first/last', 'verdict', 'val accuracy', 'val loss'];
  const body = rows.map((r) => [r.activation, r.initializer === 'random_normal' ? 'random_normal(1)' : r.initializer, formatNumber(r.gradientRatio), r.verdict,
    Number.isFinite(r.valAccuracy) ? r.valAccuracy.toFixed(4) : 'n/a', r.stopped !== null ? 'diverged' : formatNumber(r.valLoss)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 || i === 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

function gridTableHtml(rows: readonly GridRow[]): string {
  const head = '<tr><th class="text">activation</th><th class="text">initializer</th><th>gradient std ratio first/last hidden layer</th><th class="text">verdict</th><th>validation accuracy</th><th>validation loss</th></tr>';
  const body = rows.map((r) => `<tr><td class="text">${escapeHtml(r.activation)}</td><td class="text">${escapeHtml(r.initializer === 'random_normal' ? 'random_normal (stddev 1)' : r.initializer)}</td><td>${escapeHtml(formatNumber(r.gradientRatio))}</td><td class="text">${escapeHtml(r.verdict)}</td><td>${Number.isFinite(r.valAccuracy) ? r.valAccuracy.toFixed(4) : 'n/a'}</td><td${r.stopped !== null ? ' class="text"' : ''}>${r.stopped !== null ? `diverged: ${escapeHtml(r.stopped)}` : escapeHtml(formatNumber(r.valLoss))}</td></tr>`).join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

/** Runs the grid and returns the JSON result (also printed). */
export async function runInitGrid(flags: ExperimentFlags): Promise<Record<string, unknown>> {
  const s = parseExperimentFlags(flags);
  const started = performance.now();
  const raw = await loadData(s.data, { images: true });
  const classes = inferClasses(raw);
  const data = standardizeDataset(raw);
  const n = data.train.x.shape[0];
  const validation = Math.min(VALIDATION_SIZE, Math.floor(n / 10));
  if (s.trainSize > n - validation) {
    throw new UsageError(`Invalid value for --train-size: received ${s.trainSize}; ${data.name} has ${n - validation} training images besides the ${validation} held out for validation.`);
  }
  const xTrain = rowRange(data.train.x, 0, s.trainSize);
  const yTrain = rowRange(data.train.y, 0, s.trainSize);
  const xVal = rowRange(data.train.x, n - validation, n);
  const yVal = rowRange(data.train.y, n - validation, n);
  const batch = sampleBatch(xTrain, yTrain, DIAGNOSIS_BATCH_SIZE, s.seed);
  const err = process.stderr;
  err.write(`deepwell experiment init-grid: ${data.name}, ${s.depth} x ${s.units} hidden layers, ${s.trainSize} training / ${validation} validation images, ${s.epochs} epoch(s), ${s.optimizer} lr ${s.learningRate}, batch size ${s.batchSize}, seed ${s.seed}\n`);
  const rows: GridRow[] = [];
  const diagnoses: { activation: string; initializer: GridInitializer; diagnosis: Diagnosis }[] = [];
  for (const activation of s.activations) {
    for (const initializer of s.inits) {
      const t0 = performance.now();
      setSeed(s.seed);
      resetLayerNames(); // each cell's layers are named dense, dense_1, ... as in a fresh Keras session
      const model = buildGridModel(data.train.x.shape.slice(1), s.depth, s.units, activation, initializer, classes);
      model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: getOptimizer(s.optimizer, s.learningRate), metrics: ['accuracy'], initializerAdvice: false });
      const diagnosis = diagnoseModel(model, batch.x, batch.y);
      const monitor = new GradientMonitor();
      const history = await model.fit(xTrain, yTrain, { epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, validationData: [xVal, yVal], callbacks: [monitor], verbose: 0 });
      const valAcc = history.history.val_accuracy ?? [];
      const valLoss = history.history.val_loss ?? [];
      const row: GridRow = {
        activation, initializer,
        gradientRatio: diagnosis.verdict.gradientRatio,
        verdict: diagnosis.verdict.kind,
        valAccuracy: monitor.stopped !== null ? NaN : valAcc[valAcc.length - 1] ?? NaN,
        valLoss: monitor.stopped !== null ? NaN : valLoss[valLoss.length - 1] ?? NaN,
        stopped: monitor.stopped?.message ?? null,
        seconds: (performance.now() - t0) / 1000,
      };
      rows.push(row);
      diagnoses.push({ activation, initializer, diagnosis });
      err.write(`  ${activation.padEnd(7)} ${initializer.padEnd(14)} verdict ${row.verdict.padEnd(10)} grad ratio ${formatNumber(row.gradientRatio).padStart(9)}  val accuracy ${Number.isFinite(row.valAccuracy) ? row.valAccuracy.toFixed(4) : 'n/a (diverged)'}  ${row.seconds.toFixed(1)}s\n`);
    }
  }
  if (s.report !== null) {
    const points = (value: (l: Diagnosis['layers'][number]) => number): Parameters<typeof facetedDepthPlot>[0] =>
      diagnoses.flatMap(({ activation, initializer, diagnosis }) => diagnosis.layers.map((l) => ({ facet: activation, series: initializer, depth: l.depth, layer: l.name, value: value(l) })));
    const layers = s.depth + 1;
    const sections: ReportSection[] = [
      { title: 'Results', html: gridTableHtml(rows) },
      {
        title: 'At initialization, by layer',
        html: [
          figureHtml({ id: 'activation-std', title: 'Activation std by layer at initialization', layers, plot: await facetedDepthPlot(points((l) => l.activationStd), 'activation std'),
            caption: 'One panel per activation, one line per initializer; one batch of standardized training images.' }),
          figureHtml({ id: 'gradient-std', title: 'Gradient std by layer at initialization', layers, plot: await facetedDepthPlot(points((l) => l.gradientStd), 'gradient std'),
            caption: "Std of the gradient of the loss with respect to each layer's outputs (the output layer: its logits). A line rising from left to right: vanishing gradients; falling: exploding." }),
        ].join('\n'),
      },
    ];
    const html = reportPage(`deepwell experiment init-grid: ${s.depth} x ${s.units}`,
      `${data.name}; ${s.trainSize} training and ${validation} validation images; ${s.epochs} epoch(s) of ${s.optimizer} (learning rate ${s.learningRate}, batch size ${s.batchSize}); seed ${s.seed}.`, sections);
    writeFileAtomic(s.report, html);
    err.write(`deepwell experiment init-grid: report written to ${s.report}\n`);
  }
  const result = {
    rows,
    diagnoses: diagnoses.map(({ activation, initializer, diagnosis }) => ({ activation, initializer, layers: diagnosis.layers, verdict: diagnosis.verdict })),
    seconds: (performance.now() - started) / 1000,
  };
  if (s.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${gridTable(rows)}\n`);
  return result;
}
