/**
 * The remedies of HML ch. 11 as `deepwell train` flags: batch normalization, dropout, L2, gradient
 * clipping, momentum, learning-rate schedules and early stopping. Each flag is validated with the
 * same clear errors as the rest of the CLI (exit code 2).
 */
import type { Callback } from '../callbacks/callback.js';
import { EarlyStopping } from '../callbacks/early_stopping.js';
import { ReduceLROnPlateau } from '../callbacks/reduce_lr_on_plateau.js';
import { type OptimizerName, getOptimizer } from '../optimizers/get.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import { CosineDecay } from '../optimizers/schedules/cosine_decay.js';
import { ExponentialDecay } from '../optimizers/schedules/exponential_decay.js';
import { OneCycle } from '../optimizers/schedules/one_cycle.js';
import { UsageError, parseChoice, parseNumber, parsePositiveInt } from './usage_error.js';
import { parseArchitectureFlags } from './mlp.js';

/** Learning-rate schedules the CLI offers (see `buildOptimizer`). */
export const CLI_SCHEDULES = ['constant', 'exponential', 'cosine', 'onecycle', 'plateau'] as const;
export type CliSchedule = (typeof CLI_SCHEDULES)[number];

export interface ToolkitFlags {
  batchNorm?: boolean;
  dropout?: string;
  l2?: string;
  clipNorm?: string;
  clipValue?: string;
  globalClipNorm?: string;
  momentum?: string;
  nesterov?: boolean;
  schedule: string;
  earlyStopping?: string;
}

export interface ToolkitSettings {
  batchNorm: boolean;
  dropout: number;
  l2: number;
  clipNorm?: number;
  clipValue?: number;
  globalClipNorm?: number;
  momentum?: number;
  nesterov: boolean;
  schedule: CliSchedule;
  earlyStopping?: number;
}

const optionalNumber = (flag: string, v: string | undefined, lo: number, hi: number, loInclusive = false): number | undefined =>
  v === undefined ? undefined : parseNumber(flag, v, lo, hi, loInclusive);

/** Validates the remedy flags. @throws UsageError naming the flag and the valid values or range. */
export function parseToolkitFlags(flags: ToolkitFlags, optimizer: OptimizerName): ToolkitSettings {
  const architecture = parseArchitectureFlags(flags);
  const s: ToolkitSettings = {
    batchNorm: architecture.batchNorm,
    dropout: architecture.dropout,
    l2: architecture.l2,
    clipNorm: optionalNumber('--clip-norm', flags.clipNorm, 0, Infinity),
    clipValue: optionalNumber('--clip-value', flags.clipValue, 0, Infinity),
    globalClipNorm: optionalNumber('--global-clip-norm', flags.globalClipNorm, 0, Infinity),
    momentum: optionalNumber('--momentum', flags.momentum, 0, 1, true),
    nesterov: flags.nesterov ?? false,
    schedule: parseChoice('--schedule', flags.schedule, CLI_SCHEDULES),
    earlyStopping: flags.earlyStopping === undefined ? undefined : parsePositiveInt('--early-stopping', flags.earlyStopping, 5),
  };
  const clips = [['--clip-norm', s.clipNorm], ['--clip-value', s.clipValue], ['--global-clip-norm', s.globalClipNorm]].filter(([, v]) => v !== undefined);
  if (clips.length > 1) {
    throw new UsageError(`Give at most one of --clip-norm, --clip-value and --global-clip-norm (received ${clips.map(([f]) => f).join(' and ')}): each clips the gradients its own way.`);
  }
  if ((s.momentum !== undefined || s.nesterov) && optimizer !== 'sgd') {
    throw new UsageError(`--momentum and --nesterov apply to --optimizer sgd (received --optimizer ${optimizer}); Adam-family optimizers have their own moment estimates.`);
  }
  if (s.nesterov && (s.momentum ?? 0) === 0) {
    throw new UsageError('--nesterov needs a momentum above 0 (e.g. --momentum 0.9).');
  }
  return s;
}

/**
 * The optimizer with its clipping and schedule. Schedules over the whole run of `totalSteps` steps
 * from the learning rate `lr`: exponential decays it by 10x over the run (ExponentialDecay, decay
 * rate 0.1), cosine anneals it to 0 (CosineDecay), onecycle peaks at lr (the book's 1cycle), and
 * plateau halves it when val_loss stalls for 2 epochs (ReduceLROnPlateau, a callback).
 */
export function buildOptimizer(name: OptimizerName, lr: number | undefined, s: ToolkitSettings, totalSteps: number): { optimizer: Optimizer; callbacks: Callback[] } {
  const base = lr ?? getOptimizer(name).currentLearningRate();
  const learningRate = s.schedule === 'exponential' ? new ExponentialDecay({ initialLearningRate: base, decaySteps: totalSteps, decayRate: 0.1 })
    : s.schedule === 'cosine' ? new CosineDecay({ initialLearningRate: base, decaySteps: totalSteps })
    : s.schedule === 'onecycle' ? new OneCycle({ maxLearningRate: base, totalSteps })
    : base;
  const options = {
    learningRate,
    ...(s.clipNorm !== undefined ? { clipNorm: s.clipNorm } : {}),
    ...(s.clipValue !== undefined ? { clipValue: s.clipValue } : {}),
    ...(s.globalClipNorm !== undefined ? { globalClipNorm: s.globalClipNorm } : {}),
    ...(s.momentum !== undefined ? { momentum: s.momentum, nesterov: s.nesterov } : {}),
  };
  const callbacks: Callback[] = [];
  if (s.schedule === 'plateau') callbacks.push(new ReduceLROnPlateau({ monitor: 'val_loss', factor: 0.5, patience: 2, verbose: 1 }));
  if (s.earlyStopping !== undefined) callbacks.push(new EarlyStopping({ monitor: 'val_loss', patience: s.earlyStopping, restoreBestWeights: true, verbose: 1 }));
  return { optimizer: getOptimizer(name, options), callbacks };
}
