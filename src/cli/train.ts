/**
 * `deepwell train`: builds an MLP from the flags, trains it on MNIST (or an IDX folder), reports
 * progress and per-layer gradient statistics on stderr, and the results on stdout (`--json`: one
 * JSON object with Keras's metric names).
 */
import { setSeed } from '../core/random.js';
import { GradientMonitor } from '../diagnostics/gradient_monitor.js';
import { buildDiagnosisReport } from '../diagnostics/report.js';
import { writeFileAtomic } from '../diagnostics/report.node.js';
import { architectureOf } from '../diagnostics/architecture.js';
import { SpikeTracker } from '../diagnostics/spike_tracker.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../optimizers/get.js';
import { type InitializerName, adviseInitializer, get as getInitializer } from '../initializers/index.js';
import { describeLayers } from '../diagnostics/verdict.js';
import { type ToolkitFlags, type ToolkitSettings, buildOptimizer, parseToolkitFlags } from './toolkit_flags.js';
import { rowRange } from '../models/batches.js';
import { inferClasses, loadData } from './load_data.js';
import { type NetworkFlags, resolveStandardize } from './mlp.js';
import { defaultStdFloor, sampleBatch, standardizeDataset } from './dataset_prep.js';
import { HIDDEN_ACTIVATIONS, resolveHidden } from './hidden_layers.js';
import { CLI_ARCHITECTURES, type CliArchitecture } from './cnn.js';
import { blocksFor, buildNetwork, describeNetwork, kernelSizeFor } from './network.js';
import { RESNET_DEPTH } from './resnet.js';
import { ProgressReporter, epochProblems } from './progress.js';
import { useNodeProgressOutput } from '../callbacks/progress_output.node.js';
import { RunFailure, SnapshotRecorder } from './report.js';
import { UsageError, parseChoice, parseInteger, parseNumber, parsePositiveInt, parseOutputPath } from './usage_error.js';
import { parseInitializer } from './parse_initializer.js';
import { loadModelArgument } from './model_commands.js';
import { formatOfPath } from '../io/file_store.node.js';
import type { LayersModel } from '../models/layers_model.js';

/** `deepwell train` takes the per-layer statistics on every 10th batch (GradientMonitor's statsEvery). */
const CLI_STATS_EVERY = 10;

export interface TrainFlags extends ToolkitFlags, NetworkFlags {
  optimizer: string;
  lr?: string;
  epochs: string;
  validationSplit: string;
  /** false with --no-init-advice. */
  initAdvice?: boolean;
  standardize?: boolean;
  /** false with --no-monitor. */
  monitor?: boolean;
  /** Save the trained model (with optimizer state and training position) to this path. */
  save?: string;
  /** Continue the run saved at this path to --epochs in total. */
  resume?: string;
}

/** The validated settings of a training run. */
export interface TrainSettings {
  /** Remedy flags (batch norm, dropout, L2, clipping, momentum, schedule, early stopping). */
  toolkit: ToolkitSettings;
  data: string;
  /** 'mlp' (default), 'cnn' or 'resnet'. */
  arch: CliArchitecture;
  hidden: number[];
  /** --arch resnet: residual blocks (--depth). */
  blocks: number;
  /** --arch cnn: kernel size of both convolutions (--kernel-size; CNN_KERNEL_SIZE without it). */
  kernelSize: number;
  activation: string;
  init: InitializerName;
  optimizer: OptimizerName;
  /** Undefined: the optimizer's own default (Keras's: 0.001 for adam, 0.01 for sgd). */
  learningRate: number | undefined;
  epochs: number;
  batchSize: number;
  seed: number;
  validationSplit: number;
  json: boolean;
  initAdvice: boolean;
  /** --standardize / --no-standardize; undefined: the data's default (`resolveStandardize`). */
  standardize: boolean | undefined;
  /** --std-floor; undefined: the data's default (`defaultStdFloor`); resolved before the run is saved. */
  stdFloor: number | undefined;
  /** `--label`: the column to predict of a CSV file. */
  label: string | undefined;
  report: string | null;
  monitor: boolean;
  /** Where to save the trained model, or null. */
  save: string | null;
}

/** Images in the batch that `--report` diagnoses at initialization and after each epoch. */
export const REPORT_BATCH_SIZE = 256;

/**
 * Prints the initializer advice once per distinct message, naming the layers it concerns
 * (a 30-layer network gets one line, not 30), phrased with the CLI's flags.
 */
function writeGroupedAdvice(messages: readonly string[]): void {
  const groups = new Map<string, string[]>();
  for (const m of messages) {
    const match = /^\w+ "([^"]+)": (.*?)(?: \(Silence with .*\))?$/.exec(m);
    const [layer, text] = match !== null ? [match[1], match[2]] : ['', m];
    const cli = text.replace(/Use kernelInitializer: '(\w+)'/, 'Use --init $1');
    groups.set(cli, [...(groups.get(cli) ?? []), layer]);
  }
  for (const [text, layers] of groups) {
    process.stderr.write(`deepwell: warning: ${describeLayers(layers)}: ${text} (Silence with --no-init-advice.)\n`);
  }
}

/** The remedies in use, for the header line (', cosine schedule, clip norm 1, batch norm, ...'). */
function describeRemedies(t: ToolkitSettings): string {
  const parts = [
    t.momentum !== undefined ? `momentum ${t.momentum}${t.nesterov ? ' (nesterov)' : ''}` : '',
    t.schedule !== 'constant' ? `${t.schedule} schedule` : '',
    t.clipNorm !== undefined ? `clip norm ${t.clipNorm}` : '',
    t.clipValue !== undefined ? `clip value ${t.clipValue}` : '',
    t.globalClipNorm !== undefined ? `global clip norm ${t.globalClipNorm}` : '',
    t.batchNorm ? 'batch norm' : '',
    t.dropout > 0 ? `dropout ${t.dropout}` : '',
    t.l2 > 0 ? `l2 ${t.l2}` : '',
    t.earlyStopping !== undefined ? `early stopping (patience ${t.earlyStopping})` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

/** Validates every flag; a bad value throws a UsageError naming the flag and the valid values. */
export function parseTrainFlags(flags: TrainFlags): TrainSettings {
  const optimizer = parseChoice('--optimizer', flags.optimizer.toLowerCase(), OPTIMIZER_NAMES);
  const toolkit = parseToolkitFlags(flags, optimizer);
  const validationSplit = parseNumber('--validation-split', flags.validationSplit, 0, 1, true);
  const arch = parseChoice('--arch', flags.arch ?? 'mlp', CLI_ARCHITECTURES);
  // The architecture's refusals (--units or --depth with cnn, --hidden with resnet) come before the MLP's pairing rules.
  const blocks = blocksFor(arch, flags);
  if (validationSplit === 0 && (toolkit.schedule === 'plateau' || toolkit.earlyStopping !== undefined)) {
    throw new UsageError('--schedule plateau and --early-stopping watch val_loss: keep a --validation-split above 0.');
  }
  return {
    data: flags.data,
    arch,
    hidden: arch === 'resnet' ? [] : resolveHidden(flags, [300, 100]),
    blocks,
    kernelSize: kernelSizeFor(arch, flags.kernelSize),
    activation: parseChoice('--activation', flags.activation, HIDDEN_ACTIVATIONS),
    init: parseInitializer(flags.init),
    optimizer,
    learningRate: flags.lr === undefined ? undefined : parseNumber('--lr', flags.lr, 0, Infinity),
    epochs: parsePositiveInt('--epochs', flags.epochs, 5),
    batchSize: parsePositiveInt('--batch-size', flags.batchSize, 32),
    seed: parseInteger('--seed', flags.seed),
    validationSplit,
    json: flags.json ?? false,
    initAdvice: flags.initAdvice ?? true,
    standardize: flags.standardize,
    stdFloor: flags.stdFloor === undefined ? undefined : parseNumber('--std-floor', flags.stdFloor, 0, 1, true),
    label: flags.label,
    report: parseOutputPath('--report', flags.report),
    monitor: flags.monitor ?? true,
    save: parseOutputPath('--save', flags.save),
    toolkit,
  };
}


/**
 * The settings of a resumed run: those saved by `deepwell train --save` in the checkpoint, with the
 * total --epochs, --save, --json, --report and --no-monitor of this command.
 * @throws UsageError when the file was not saved by `deepwell train` or has no epochs left to run.
 */
function resumeSettings(model: LayersModel, path: string, now: TrainSettings): TrainSettings {
  const saved = model.metadata.deepwell_train as TrainSettings | undefined;
  if (saved === undefined || typeof saved !== 'object') {
    throw new UsageError(`--resume ${path}: the model holds no deepwell train settings (it was not saved by deepwell train --save); resume it from code with model.fit(x, y, { initialEpoch }).`);
  }
  const done = model.trainingState?.epoch;
  if (done === undefined) throw new UsageError(`--resume ${path}: the file holds no training position (saved without it); train it again or continue from code.`);
  if (now.epochs <= done) {
    throw new UsageError(`--epochs ${now.epochs}: ${path} has already completed ${done} epoch(s); --epochs is the total, as Keras's epochs with initial_epoch, so pass more than ${done}.`);
  }
  if (saved.toolkit?.schedule !== undefined && saved.toolkit.schedule !== 'constant') {
    process.stderr.write(`deepwell train: warning: the ${saved.toolkit.schedule} learning-rate schedule keeps the length of the run that created it (${saved.epochs} epochs); the resumed run continues it, so it differs from a run started with --epochs ${now.epochs}.\n`);
  }
  // Runs saved before --kernel-size existed trained the 3x3 example (only the header line reads this: the model is the file's).
  const kernelSize = saved.kernelSize ?? 3;
  return { ...saved, kernelSize, epochs: now.epochs, json: now.json, report: now.report, save: now.save, monitor: now.monitor };
}

/** What `--resume` takes from this command; every other setting comes from the checkpoint. */
export const RESUME_FLAGS = ['--resume', '--epochs', '--json', '--report', '--save', '--no-monitor', '--no-init-advice'] as const;

/**
 * Refuses settings given beside `--resume`: the checkpoint's settings win, so a `--lr 0.1` or an
 * `--arch cnn` typed with it would otherwise be ignored without a word.
 * @param given - the long names of the options given on the command line (not defaults).
 * @throws UsageError naming them and what to do instead.
 */
export function refuseSettingsWithResume(given: readonly string[]): void {
  const extra = given.filter((f) => !(RESUME_FLAGS as readonly string[]).includes(f));
  if (extra.length > 0) {
    throw new UsageError(`--resume continues the saved run with its own settings, so ${extra.join(', ')} cannot be changed here (given: ${extra.join(' ')}). With --resume, pass only ${RESUME_FLAGS.slice(1).join(', ')}; to change a setting, start a new run without --resume.`);
  }
}

/** Runs `deepwell train` and returns the JSON result (also printed). */
export async function runTrain(flags: TrainFlags): Promise<Record<string, unknown>> {
  const parsed = parseTrainFlags(flags);
  // Messages of fit and of the callbacks (early stopping, learning-rate reductions) go to stderr.
  useNodeProgressOutput();
  const started = performance.now();
  // --resume: the model, its optimizer state and training position, and the run's settings come from
  // the checkpoint; --epochs (the total), --save, --json, --report and --no-monitor from this command.
  const resumed = flags.resume !== undefined ? await loadModelArgument(flags.resume, true) : null;
  const s = resumed !== null ? resumeSettings(resumed, flags.resume ?? '', parsed) : parsed;
  const initialEpoch = resumed?.trainingState?.epoch ?? 0;
  const raw = await loadData(s.data, { label: s.label, seed: s.seed });
  const regression = raw.task === 'regression';
  if (regression && s.report !== null) throw new UsageError('--report is not available for regression yet (a CSV file with numeric labels); leave it out.');
  const classes = regression ? 1 : inferClasses(raw);
  // A resumed run's settings hold the floor it resolved; only a --std-floor typed now can be one that would be ignored.
  const standardized = resolveStandardize(s.standardize, raw, resumed === null ? s.stdFloor : undefined);
  const stdFloor = s.stdFloor ?? defaultStdFloor(raw);
  const data = standardized ? standardizeDataset(raw, stdFloor) : raw;
  setSeed(s.seed);
  const nTrain = Math.floor(data.train.x.shape[0] * (1 - s.validationSplit));
  const { optimizer, callbacks: remedyCallbacks } = buildOptimizer(s.optimizer, s.learningRate, s.toolkit, Math.ceil(nTrain / s.batchSize) * s.epochs);
  const adviceMessages: string[] = [];
  const network = { arch: s.arch ?? 'mlp', hidden: s.hidden, blocks: s.blocks ?? RESNET_DEPTH, kernelSize: s.kernelSize };
  const model = resumed ?? buildNetwork({
    ...network, inputShape: data.train.x.shape.slice(1), activation: s.activation, init: s.init, classes, task: raw.task,
    batchNorm: s.toolkit.batchNorm, dropout: s.toolkit.dropout, l2: s.toolkit.l2,
  });
  if (resumed === null) {
    model.compile({
      loss: regression ? 'mean_squared_error' : 'sparse_categorical_crossentropy', optimizer, metrics: regression ? [] : ['accuracy'],
      initializerAdvice: s.initAdvice ? (m) => adviceMessages.push(m) : false,
    });
  }
  writeGroupedAdvice(adviceMessages);
  if (resumed !== null) process.stderr.write(`deepwell train: resuming ${flags.resume} after epoch ${initialEpoch} of ${s.epochs}\n`);
  const err = process.stderr;
  const what = raw.task === undefined ? 'images' : `rows of ${raw.featureNames?.length ?? 0} features, ${regression ? `regression of '${s.label}' (mean squared error)` : `${classes} classes of '${s.label}'`}`;
  err.write(`deepwell train: ${data.name}, ${data.train.x.shape[0]} training ${what}, ${describeNetwork(network)} ${s.activation} ${s.init}, ${s.optimizer} lr ${s.learningRate ?? optimizer.currentLearningRate()}${describeRemedies(s.toolkit)}, batch size ${s.batchSize}, seed ${s.seed}\n`);
  if (!s.json) err.write(`${model.summary()}\n`);
  // The monitor stops training at the first NaN or infinite value and says where it came from.
  const monitor = s.monitor ? new GradientMonitor({ statsEvery: CLI_STATS_EVERY, onNonFinite: (e) => err.write(`deepwell train: exploding values: ${e.message} Stopping.\n`) }) : null;
  // --report: a fixed batch of training images, drawn outside the validation split (fit takes that from the end).
  const reportBatch = s.report !== null ? sampleBatch(rowRange(data.train.x, 0, nTrain), rowRange(data.train.y, 0, nTrain), REPORT_BATCH_SIZE, s.seed) : null;
  const recorder = reportBatch !== null ? new SnapshotRecorder(model, reportBatch.x, reportBatch.y) : null;
  // A setback between epochs (the loss jumps, val_accuracy falls) is explained: what moved first, the likely cause, the fix.
  // A resumed model is not untrained: its first loss is no "before training" baseline.
  const spikes = new SpikeTracker({ untrained: resumed === null });
  const reporter = new ProgressReporter(monitor, process.stderr, {
    spikes: monitor !== null ? spikes : undefined,
    standardization: !standardized ? 'none' : stdFloor > 0 ? 'floored' : 'per-feature',
  });
  const history = await model.fit(data.train.x, data.train.y, {
    epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, validationSplit: s.validationSplit, initialEpoch,
    // The CLI's own ProgressReporter prints the epochs with the per-layer table; fit's logger stays off.
    verbose: 0, monitor: s.monitor,
    callbacks: [...remedyCallbacks, ...(monitor !== null ? [monitor, spikes] : []), reporter, ...(recorder !== null ? [recorder] : [])],
  });
  const test = model.evaluate(data.test.x, data.test.y, { batchSize: 256 });
  const stopped = monitor?.stopped ?? null;
  const result = {
    history: history.history,
    test,
    layers: monitor?.last ?? [],
    seconds: (performance.now() - started) / 1000,
    stopped,
    setbacks: reporter.setbacks,
  };
  if (recorder !== null && s.report !== null) {
    const html = await buildDiagnosisReport({
      title: `deepwell train: ${describeNetwork(network)} ${s.activation}, ${s.init}, ${s.optimizer} lr ${optimizer.currentLearningRate()}`,
      description: `${data.name}; ${s.epochs} epoch(s) of batch size ${s.batchSize}, seed ${s.seed}; test loss ${test.loss.toFixed(4)}, test accuracy ${(test.accuracy ?? NaN).toFixed(4)}.`,
      snapshots: recorder.snapshots,
      architecture: architectureOf(model),
      verdict: recorder.verdict,
      history: history.history,
      stopped,
      snapshotNote: `A fixed batch of ${reportBatch?.x.shape[0] ?? 0} training images passed forward (in inference mode) and backward through the loss at initialization and after each epoch.`,
    });
    writeFileAtomic(s.report, html);
    err.write(`deepwell train: report written to ${s.report}\n`);
  }
  if (s.save !== null) {
    model.metadata.deepwell_train = { ...s, stdFloor, save: null, report: null } as unknown as Record<string, unknown>;
    await model.save(s.save);
    const keepsPosition = formatOfPath(s.save) !== 'tfjs';
    err.write(`deepwell train: model saved to ${s.save} ${keepsPosition ? `(resume with --resume ${s.save} --epochs N)` : '(TF.js files keep no optimizer state or training position: save to a folder to resume)'}\n`);
  }
  if (s.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    const metrics = test.accuracy !== undefined ? `loss ${test.loss.toFixed(4)} - accuracy ${test.accuracy.toFixed(4)}` : `loss (mean squared error) ${test.loss.toFixed(4)}`;
    process.stdout.write(`Test: ${metrics} (${data.test.x.shape[0]} ${raw.task === undefined ? 'images' : 'rows'}); ${result.seconds.toFixed(1)}s in all (loading, training, test)\n`);
  }
  if (stopped !== null) {
    const advice = adviseInitializer(s.activation, getInitializer(s.init));
    const initFix = advice !== null ? `, use --init ${advice.recommended} (the chapter's initializer for ${s.activation})` : '';
    // The epoch's per-layer figures (averaged over its steps so far) show how the values grew.
    const problems = epochProblems(monitor?.last ?? []);
    const figures = problems.length > 0 ? ` In that epoch: ${problems.join('; ')}.` : '';
    throw new RunFailure(`training diverged (exploding values) and was stopped: ${stopped.message}${figures} The history up to that step is kept. Lower the learning rate (--lr)${initFix}, or clip gradients (--clip-norm 1).`);
  }
  return result;
}
