/** Optimizer lookup by name (Keras's `keras.optimizers.get` strings; class names accepted in any case). */
import { ValueError, invalidNameMessage } from '../core/errors.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Nadam } from './nadam.js';
import type { Optimizer, OptimizerOptions } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
import { SGD } from './sgd.js';

/** Every optimizer name, Keras's lowercase spelling. */
export const OPTIMIZER_NAMES = ['sgd', 'adam', 'adamw', 'adamax', 'nadam', 'rmsprop', 'adagrad'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** The constructor of each name; its type makes a name without a class a compile error. */
const FACTORIES: { readonly [K in OptimizerName]: (options: OptimizerOptions) => Optimizer } = {
  sgd: (o) => new SGD(o),
  adagrad: (o) => new Adagrad(o),
  rmsprop: (o) => new RMSprop(o),
  adam: (o) => new Adam(o),
  adamw: (o) => new AdamW(o),
  adamax: (o) => new Adamax(o),
  nadam: (o) => new Nadam(o),
};

/**
 * An optimizer from a name, or the instance itself. The second argument is the learning rate (a
 * number or a schedule; omitted, each optimizer's Keras default: 0.01 for SGD, 0.001 for the others)
 * or the options common to every optimizer (learningRate, clipValue, clipNorm, globalClipNorm,
 * weightDecay).
 * @throws ValueError for an unknown name, with the valid names and the nearest one, or an invalid option.
 * @example getOptimizer('RMSprop', 0.01).getConfig() // { learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }
 * @example getOptimizer('adam', { learningRate: 0.01, clipNorm: 1 })
 */
export function getOptimizer(identifier: string | Optimizer, options?: number | LearningRateSchedule | OptimizerOptions): Optimizer {
  if (typeof identifier !== 'string') return identifier;
  const name = identifier.toLowerCase();
  if (!Object.hasOwn(FACTORIES, name)) throw new ValueError(invalidNameMessage('optimizer', identifier, OPTIMIZER_NAMES));
  const resolved = typeof options === 'number' || options instanceof LearningRateSchedule ? { learningRate: options } : { ...options };
  return FACTORIES[name as OptimizerName](resolved);
}
