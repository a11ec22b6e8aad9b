/**
 * Shared by the callbacks that watch a logged quantity (EarlyStopping, ReduceLROnPlateau): which way
 * is better, and reading the value from the epoch logs.
 */
import { ValueError, checkOneOf } from '../core/errors.js';
import type { CallbackOptimizer, CallbackModel, Logs } from './callback.js';

export const MONITOR_MODES = ['auto', 'min', 'max'] as const;
export type MonitorMode = (typeof MONITOR_MODES)[number];

/** Quantities that improve upwards when `mode` is 'auto' (accuracy, AUC, precision, recall). */
const MAX_PATTERN = /acc|auc|precision|recall/;
/** Quantities that improve downwards when `mode` is 'auto' (losses and errors). */
const MIN_PATTERN = /loss$|error$|crossentropy$|^(val_)?(mse|mae|mape|msle|rmse)$/;

/**
 * 'min' or 'max' for a monitored quantity. 'auto' resolves from the name: 'max' for accuracy-like
 * names (containing acc, auc, precision, recall), 'min' for losses and errors (ending in loss, error,
 * crossentropy; mse, mae, ...). Keras 3's EarlyStopping asks the compiled metric for its direction and
 * raises when it cannot tell; its ReduceLROnPlateau picks 'max' when the name contains 'acc' and 'min'
 * otherwise. deepwell uses one rule for both and, when a name matches neither list, raises at
 * construction instead of guessing.
 * @throws ValueError for an unknown mode, or 'auto' with a name of unknown direction.
 */
export function resolveMode(owner: string, monitor: string, mode: unknown): 'min' | 'max' {
  const m = checkOneOf(`${owner} mode`, mode, MONITOR_MODES);
  if (m !== 'auto') return m;
  if (MAX_PATTERN.test(monitor)) return 'max';
  if (MIN_PATTERN.test(monitor)) return 'min';
  throw new ValueError(`${owner}: cannot tell whether '${monitor}' should go down or up; pass mode: 'min' or mode: 'max'.`);
}

/**
 * The monitored value from the epoch logs. Keras only warns when it is missing (so EarlyStopping on
 * 'val_loss' without validation data silently never stops); deepwell raises.
 * @throws ValueError naming the missing key, the keys present and the usual fix.
 */
export function monitorValue(owner: string, monitor: string, logs: Logs): number {
  const value = logs[monitor];
  if (typeof value === 'number') return value;
  const available = Object.keys(logs);
  const hint = monitor.startsWith('val_') ? ` Pass validationData or validationSplit to fit, or monitor '${monitor.slice(4)}'.` : '';
  throw new ValueError(
    `${owner}: monitor '${monitor}' is not in the epoch logs (available: ${available.length > 0 ? available.join(', ') : 'none'}).${hint}`,
  );
}

/**
 * The model's optimizer, checked to hold a number as its learning rate (a callback that sets the
 * rate must not silently replace a schedule; Keras raises a TypeError in that case too).
 * @throws ValueError when the model has no optimizer or the optimizer uses a schedule.
 */
export function settableOptimizer(owner: string, model: CallbackModel): CallbackOptimizer {
  const optimizer = model.optimizer;
  if (optimizer === undefined) {
    throw new ValueError(`${owner}: the model has no optimizer; compile the model before fit.`);
  }
  if (typeof optimizer.learningRate !== 'number') {
    throw new ValueError(
      `${owner}: the optimizer's learning rate is a schedule (${optimizer.learningRate.className}), which ${owner} would overwrite. ` +
        'Use a number as the learning rate, or the schedule alone.',
    );
  }
  return optimizer;
}

/**
 * A callback's `verbose` option: 0 (silent) or 1 (print what it does, as Keras does).
 * @throws ValueError for any other value.
 */
export function checkVerbose(owner: string, verbose: unknown): 0 | 1 {
  if (verbose === 0 || verbose === 1) return verbose;
  throw new ValueError(`${owner}: verbose must be 0 (silent) or 1 (print what it does), received ${typeof verbose === 'string' ? `'${verbose}'` : String(verbose)}.`);
}
