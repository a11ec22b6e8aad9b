/** Optimizer lookup by name ('sgd', 'adam'; Keras class names accepted). */
import { ValueError, invalidNameMessage } from '../core/errors.js';
import { Adam } from './adam.js';
import type { Optimizer } from './optimizer.js';
import { SGD } from './sgd.js';

export const OPTIMIZER_NAMES = ['sgd', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/**
 * An optimizer from a name (with an optional learning rate) or an instance.
 * @throws ValueError for an unknown name, with the valid names and the nearest one.
 */
export function getOptimizer(identifier: string | Optimizer, learningRate?: number): Optimizer {
  if (typeof identifier !== 'string') return identifier;
  switch (identifier.toLowerCase()) {
    case 'sgd': return new SGD({ learningRate });
    case 'adam': return new Adam({ learningRate });
    default: throw new ValueError(invalidNameMessage('optimizer', identifier, OPTIMIZER_NAMES));
  }
}
