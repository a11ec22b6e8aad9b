/**
 * `deepwell train`: builds an MLP from the flags, trains it on MNIST (or an IDX folder), reports
 * progress and per-layer gradient statistics on stderr, and the results on stdout (`--json`: one
 * JSON object with Keras's metric names).
 */
import { setSeed } from '../core/random.js';
import { ACTIVATION_NAMES } from '../activations/activations.js';
import { INITIALIZER_NAMES } from '../initializers/index.js';
import { GradientStats } from '../diagnostics/gradient_stats.js';
import { Adam } from '../optimizers/adam.js';
import { OPTIMIZER_NAMES, type OptimizerName } from '../optimizers/get.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { SGD } from '../optimizers/sgd.js';
import { inferClasses, loadData } from './load_data.js';
import { buildMlp } from './mlp.js';
import { ProgressReporter } from './progress.js';
import { UsageError, parseChoice, parseIntList, parseInteger, parseNumber, parsePositiveInt } from './usage_error.js';

/** Hidden-layer activations the CLI offers (softmax is the output layer's). */
export const HIDDEN_ACTIVATIONS = ACTIVATION_NAMES.filter((a) => a !== 'softmax');

/** Default learning rate of each optimizer (Keras's defaults). */
export const DEFAULT_LEARNING_RATE: Record<OptimizerName, number> = { adam: 0.001, sgd: 0.01 };

export interface TrainFlags {
  data: string;
  hidden?: string;
  depth?: string;
  units?: string;
  activation: string;
  init: string;
  optimizer: string;
  lr?: string;
  epochs: string;
  batchSize: string;
  seed: string;
  validationSplit: string;
  json?: boolean;
  /** false with --no-init-advice. */
  initAdvice?: boolean;
}

/** The validated settings of a training run. */
export interface TrainSettings {
  data: string;
  hidden: number[];
  activation: string;
  init: string;
  optimizer: OptimizerName;
  learningRate: number;
  epochs: number;
  batchSize: number;
  seed: number;
  validationSplit: number;
  json: boolean;
  initAdvice: boolean;
}

/** Resolves `--hidden` or `--depth`/`--units` to the hidden layer sizes. */
export function resolveHidden(flags: Pick<TrainFlags, 'hidden' | 'depth' | 'units'>, fallback: number[]): number[] {
  if (flags.hidden !== undefined && (flags.depth !== undefined || flags.units !== undefined)) {
    throw new UsageError('Give either --hidden (e.g. 300,100) or --depth with --units (e.g. --depth 30 --units 100), not both.');
  }
  if (flags.hidden !== undefined) return parseIntList('--hidden', flags.hidden);
  if (flags.units !== undefined && flags.depth === undefined) {
    throw new UsageError('--units needs --depth (e.g. --depth 30 --units 100); for layers of different sizes use --hidden 300,100.');
  }
  if (flags.depth !== undefined) {
    const depth = parsePositiveInt('--depth', flags.depth, 30);
    const units = parsePositiveInt('--units', flags.units ?? '100', 100);
    return new Array<number>(depth).fill(units);
  }
  return fallback;
}

/** Validates every flag; a bad value throws a UsageError naming the flag and the valid values. */
export function parseTrainFlags(flags: TrainFlags): TrainSettings {
  const optimizer = parseChoice('--optimizer', flags.optimizer.toLowerCase(), OPTIMIZER_NAMES);
  return {
    data: flags.data,
    hidden: resolveHidden(flags, [300, 100]),
    activation: parseChoice('--activation', flags.activation, HIDDEN_ACTIVATIONS),
    init: parseChoice('--init', flags.init, INITIALIZER_NAMES),
    optimizer,
    learningRate: flags.lr === undefined ? DEFAULT_LEARNING_RATE[optimizer] : parseNumber('--lr', flags.lr, 0, Infinity),
    epochs: parsePositiveInt('--epochs', flags.epochs, 5),
    batchSize: parsePositiveInt('--batch-size', flags.batchSize, 32),
    seed: parseInteger('--seed', flags.seed),
    validationSplit: parseNumber('--validation-split', flags.validationSplit, 0, 1, true),
    json: flags.json ?? false,
    initAdvice: flags.initAdvice ?? true,
  };
}

function makeOptimizer(name: OptimizerName, learningRate: number): Optimizer {
  return name === 'adam' ? new Adam({ learningRate }) : new SGD({ learningRate });
}

/** Runs `deepwell train` and returns the JSON result (also printed). */
export async function runTrain(flags: TrainFlags): Promise<Record<string, unknown>> {
  const s = parseTrainFlags(flags);
  const started = performance.now();
  const data = await loadData(s.data);
  const classes = inferClasses(data);
  setSeed(s.seed);
  const model = buildMlp({ inputShape: data.train.x.shape.slice(1), hidden: s.hidden, activation: s.activation, init: s.init, classes });
  model.compile({
    loss: 'sparse_categorical_crossentropy', optimizer: makeOptimizer(s.optimizer, s.learningRate), metrics: ['accuracy'],
    initializerAdvice: s.initAdvice ? (m) => process.stderr.write(`deepwell: warning: ${m.replace(/ \(Silence with .*\)$/, ' (Silence with --no-init-advice.)')}\n`) : false,
  });
  const err = process.stderr;
  err.write(`deepwell train: ${data.name}, ${data.train.x.shape[0]} training images, hidden ${s.hidden.join(',')} ${s.activation} ${s.init}, ${s.optimizer} lr ${s.learningRate}, batch size ${s.batchSize}, seed ${s.seed}\n`);
  if (!s.json) err.write(`${model.summary()}\n`);
  const stats = new GradientStats();
  const history = await model.fit(data.train.x, data.train.y, {
    epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, validationSplit: s.validationSplit,
    callbacks: [stats, new ProgressReporter(stats)],
  });
  const test = model.evaluate(data.test.x, data.test.y, { batchSize: 256 });
  const result = {
    history: history.history,
    test,
    layers: stats.last,
    seconds: (performance.now() - started) / 1000,
  };
  if (s.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`Test: loss ${test.loss.toFixed(4)} - accuracy ${(test.accuracy ?? NaN).toFixed(4)} (${data.test.x.shape[0]} images); ${result.seconds.toFixed(1)}s in all (loading, training, test)\n`);
  return result;
}
