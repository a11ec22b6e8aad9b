/**
 * `deepwell diagnose`: builds the MLP of the flags, initializes it, passes one batch of real data
 * forward and backward through the loss, and reports per layer the signal and gradient statistics,
 * the variance ratio beside its theoretical value, and a verdict with the fix (text on stdout, or
 * `--json`: one JSON object, as the README's section "Diagnosing gradient flow" shows).
 *
 * It accepts every flag of `deepwell train` that shapes the network or its data (`--data`, `--label`,
 * `--hidden`/`--depth`/`--units`, `--activation`, `--init`, `--batch-norm`, `--dropout`, `--l2`,
 * `--standardize`), with the same defaults, so "run diagnose with the same flags" diagnoses the
 * network that train trains. `--standardize` standardizes the inputs per feature with the training
 * set's mean and std (as the book does for its deep-network experiments, and as the theory assumes:
 * zero-mean, unit-variance inputs); the default is train's: on for a CSV file, off for images
 * (pixel / 255).
 */
import { setSeed } from '../core/random.js';
import { type Diagnosis, diagnoseModel } from '../diagnostics/diagnose.js';
import { buildDiagnosisReport, formatNumber } from '../diagnostics/report.js';
import { writeFileAtomic } from '../diagnostics/report.node.js';
import { architectureOf } from '../diagnostics/architecture.js';
import { inferClasses, loadData } from './load_data.js';
import { type ArchitectureSettings, type NetworkFlags, parseArchitectureFlags, resolveStandardize } from './mlp.js';
import { HIDDEN_ACTIVATIONS, resolveHidden } from './hidden_layers.js';
import { CLI_ARCHITECTURES, type CliArchitecture } from './cnn.js';
import { blocksFor, buildNetwork, describeNetwork, kernelSizeFor } from './network.js';
import { RESNET_DEPTH } from './resnet.js';
import { defaultStdFloor, sampleBatch, standardizeDataset } from './dataset_prep.js';
import { parseChoice, parseInteger, parsePositiveInt, parseOutputPath } from './usage_error.js';
import { parseInitializer } from './parse_initializer.js';

export type DiagnoseFlags = NetworkFlags;

/** Validated settings of `deepwell diagnose`. */
export interface DiagnoseSettings {
  data: string;
  /** 'mlp' (default), 'cnn' or 'resnet'. */
  arch: CliArchitecture;
  hidden: number[];
  /** --arch resnet: residual blocks (--depth, default RESNET_DEPTH as train). */
  blocks: number;
  /** --arch cnn: kernel size of both convolutions (--kernel-size, default CNN_KERNEL_SIZE as train). */
  kernelSize: number;
  activation: string;
  init: string;
  batchSize: number;
  seed: number;
  /** --standardize / --no-standardize; undefined: the data's default (`resolveStandardize`, as train). */
  standardize: boolean | undefined;
  /** Batch norm, dropout and L2 as train builds them. */
  architecture: ArchitectureSettings;
  label: string | undefined;
  report: string | null;
  json: boolean;
}

/** Default network of `deepwell diagnose`: 30 hidden layers of 100 units (the book's deep MLP). */
export const DIAGNOSE_DEPTH = 30;
export const DIAGNOSE_UNITS = 100;

/** Validates the flags; a bad value throws a UsageError naming the flag and the valid values. */
export function parseDiagnoseFlags(flags: DiagnoseFlags): DiagnoseSettings {
  const architecture = parseArchitectureFlags(flags);
  const arch = parseChoice('--arch', flags.arch ?? 'mlp', CLI_ARCHITECTURES);
  // The architecture's refusals (--units or --depth with cnn, --hidden with resnet) come before the MLP's pairing rules.
  const blocks = blocksFor(arch, flags);
  return {
    arch,
    blocks,
    kernelSize: kernelSizeFor(arch, flags.kernelSize),
    architecture,
    label: flags.label,
    data: flags.data,
    hidden: arch === 'resnet' ? [] : resolveHidden(flags, new Array<number>(DIAGNOSE_DEPTH).fill(DIAGNOSE_UNITS)),
    activation: parseChoice('--activation', flags.activation, HIDDEN_ACTIVATIONS),
    init: parseInitializer(flags.init),
    batchSize: parsePositiveInt('--batch-size', flags.batchSize, 256),
    seed: parseInteger('--seed', flags.seed),
    standardize: architecture.standardize,
    report: parseOutputPath('--report', flags.report),
    json: flags.json ?? false,
  };
}

/** Per-layer text table and verdict, for the terminal. */
export function diagnosisText(d: Diagnosis): string {
  const header = ['layer', 'act', 'init', 'act mean', 'act std', 'grad std', 'kgrad std', 'sat', 'dead', 'ratio theory', 'ratio meas.'];
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  // A ratio without a theory (or without a previous layer) is undefined, not a numerical failure.
  const ratio = (v: number): string => (Number.isNaN(v) ? 'n/a' : formatNumber(v));
  const body = d.layers.map((l) => [l.name, l.activation, l.initializer, formatNumber(l.activationMean), formatNumber(l.activationStd),
    formatNumber(l.gradientStd), formatNumber(l.kernelGradientStd), pct(l.saturatedFraction), pct(l.deadFraction),
    ratio(l.theoryVarianceRatio), ratio(l.measuredVarianceRatio)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const v = d.verdict;
  // Merge layers (a functional model's Add, Concatenate, ...): the signal and the gradient where paths join.
  const mergeHeader = ['merge layer', 'class', 'act mean', 'act std', 'grad std', 'dead'];
  const mergeBody = d.merges.map((m) => [m.name, m.className, formatNumber(m.activationMean), formatNumber(m.activationStd), formatNumber(m.gradientStd), pct(m.deadFraction)]);
  const mergeWidths = mergeHeader.map((h, i) => Math.max(h.length, ...mergeBody.map((b) => b[i].length)));
  const mergeLine = (cells: string[]): string => cells.map((c, i) => (i < 2 ? c.padEnd(mergeWidths[i]) : c.padStart(mergeWidths[i]))).join('  ');
  const merges = mergeBody.length > 0 ? ['', mergeLine(mergeHeader), ...mergeBody.map(mergeLine)] : [];
  return [
    line(header), ...body.map(line), ...merges, '',
    `Verdict: ${v.kind}${v.layers.length > 0 ? ` (${v.layers.join(', ')})` : ''}`,
    `Cause: ${v.cause}`,
    `Fix: ${v.fix}`,
  ].join('\n');
}

/** Runs `deepwell diagnose` and returns the JSON result (also printed). */
export async function runDiagnose(flags: DiagnoseFlags): Promise<Record<string, unknown>> {
  const s = parseDiagnoseFlags(flags);
  const raw = await loadData(s.data, { label: s.label, seed: s.seed });
  const regression = raw.task === 'regression';
  const classes = regression ? 1 : inferClasses(raw);
  const standardized = resolveStandardize(s.standardize, raw, s.architecture.stdFloor);
  const data = standardized ? standardizeDataset(raw, s.architecture.stdFloor ?? defaultStdFloor(raw)) : raw;
  const batch = sampleBatch(data.train.x, data.train.y, s.batchSize, s.seed);
  setSeed(s.seed);
  const network = { arch: s.arch, hidden: s.hidden, blocks: s.blocks, kernelSize: s.kernelSize };
  const model = buildNetwork({
    ...network, inputShape: data.train.x.shape.slice(1), activation: s.activation, init: s.init, classes, task: raw.task,
    batchNorm: s.architecture.batchNorm, dropout: s.architecture.dropout, l2: s.architecture.l2,
  });
  const err = process.stderr;
  const extras = [s.architecture.batchNorm ? 'batch norm' : '', s.architecture.dropout > 0 ? `dropout ${s.architecture.dropout}` : '', s.architecture.l2 > 0 ? `l2 ${s.architecture.l2}` : ''].filter((p) => p !== '');
  err.write(`deepwell diagnose: ${data.name}, batch of ${batch.x.shape[0]}, ${describeNetwork(network)} ${s.activation} ${s.init}${extras.length > 0 ? `, ${extras.join(', ')}` : ''}, seed ${s.seed}\n`);
  const diagnosis = diagnoseModel(model, batch.x, batch.y, regression ? { loss: 'mean_squared_error' } : {});
  if (s.report !== null) {
    const html = await buildDiagnosisReport({
      title: `deepwell diagnose: ${describeNetwork(network)} ${s.activation}, ${s.init}`,
      description: `${data.name}; one batch of ${batch.x.shape[0]} training images; seed ${s.seed}; loss ${diagnosis.loss.toFixed(4)} at initialization.`,
      snapshots: [{ label: 'initialization', layers: diagnosis.layers }],
      architecture: architectureOf(model),
      verdict: diagnosis.verdict,
      snapshotNote: `One batch of ${batch.x.shape[0]} training images passed forward and backward through the loss at initialization.`,
    });
    writeFileAtomic(s.report, html);
    err.write(`deepwell diagnose: report written to ${s.report}\n`);
  }
  const result = { layers: diagnosis.layers, merges: diagnosis.merges, verdict: diagnosis.verdict, loss: diagnosis.loss, batchSize: diagnosis.batchSize, standardized };
  if (s.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${diagnosisText(diagnosis)}\n`);
  return result;
}
