/**
 * Optimizer registry: `{ className, config }` <-> optimizer, by each class's static `fromConfig`.
 * A schedule used as the learning rate is nested in the config as `{ className, config }`.
 * Loading rejects unknown keys and conflicting clipping options as construction does.
 */
import { ValueError, nearestName } from '../core/errors.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Nadam } from './nadam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export type OptimizerFactory = (config: Record<string, unknown>) => Optimizer;

/** The serialized form of an optimizer: its class name and constructor options (no state). */
export interface SerializedOptimizer {
  className: string;
  config: Record<string, unknown>;
}

const registry = new Map<string, OptimizerFactory>([
  [SGD.className, (c) => SGD.fromConfig(c)],
  [Adagrad.className, (c) => Adagrad.fromConfig(c)],
  [RMSprop.className, (c) => RMSprop.fromConfig(c)],
  [Adam.className, (c) => Adam.fromConfig(c)],
  [AdamW.className, (c) => AdamW.fromConfig(c)],
  [Adamax.className, (c) => Adamax.fromConfig(c)],
  [Nadam.className, (c) => Nadam.fromConfig(c)],
]);

/** Registers a custom optimizer class so `optimizerFromConfig` can build it. */
export function registerOptimizer(className: string, factory: OptimizerFactory): void {
  registry.set(className, factory);
}

/** `{ className, config }` of an optimizer (hyperparameters only; slots and iterations are state). */
export function serializeOptimizer(optimizer: Optimizer): SerializedOptimizer {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/**
 * Rebuilds an optimizer from `{ className, config }`.
 * @throws ValueError for an unregistered class (with the nearest name), an unknown option or an
 *   invalid value, including two clipping options at once.
 */
export function optimizerFromConfig(spec: SerializedOptimizer): Optimizer {
  const factory = typeof spec?.className === 'string' ? registry.get(spec.className) : undefined;
  if (factory === undefined) {
    const known = [...registry.keys()];
    const keras = spec as unknown as { class_name?: unknown };
    if (spec?.className === undefined && typeof keras?.class_name === 'string') {
      throw new ValueError(`optimizerFromConfig: received a Keras-format config (class_name '${keras.class_name}'); deepwell reads { className, config } with camelCase keys (as optimizer.getConfig() and serializeOptimizer write). Rename class_name to className and the config keys to camelCase (learning_rate -> learningRate).`);
    }
    const name = String(spec?.className);
    const near = nearestName(name, known);
    throw new ValueError(
      `Unknown optimizer class '${name}'; known: ${known.join(', ')}.${near !== undefined ? ` Did you mean '${near}'?` : ''} ` +
        'Register a custom optimizer with registerOptimizer(className, factory).',
    );
  }
  return factory(spec.config ?? {});
}
