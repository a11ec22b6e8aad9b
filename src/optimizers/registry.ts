/**
 * The optimizers in the one serialization registry (core/serialization.ts), module 'keras.optimizers'.
 * `optimizerFromConfig`, `serializeOptimizer` and `registerOptimizer` are thin uses of that registry.
 * A schedule used as the learning rate is nested in the config in its own serialized form.
 */
import { type SerializedObject, deserialize, registerSerializable, serialize } from '../core/serialization.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { Adamax } from './adamax.js';
import { AdamW } from './adamw.js';
import { Nadam } from './nadam.js';
import type { Optimizer } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';
import './schedules/registry.js';

for (const cls of [SGD, Adagrad, RMSprop, Adam, AdamW, Adamax, Nadam]) registerSerializable(cls, { package: 'keras' });

export type OptimizerFactory = (config: Record<string, unknown>) => Optimizer;

/** The serialized form of an optimizer (Keras 3's; hyperparameters only, no state). */
export type SerializedOptimizer = SerializedObject;

/** Registers a custom optimizer under `className` (older API; prefer `registerSerializable(MyOptimizer)`). */
export function registerOptimizer(className: string, factory: OptimizerFactory): void {
  registerSerializable({ className, fromConfig: factory, prototype: {} }, { kind: 'optimizers', override: true });
}

/** The Keras 3 form of an optimizer (same as `serialize(optimizer)`; slots and iterations are state). */
export function serializeOptimizer(optimizer: Optimizer): SerializedOptimizer {
  return serialize(optimizer);
}

/**
 * Rebuilds an optimizer from Keras 3 / Keras 2 `{ class_name, config }` (snake_case keys, Keras's
 * neutral keys such as `name`, `use_ema: false` accepted) or TF.js / deepwell `{ className, config }`.
 * @throws ValueError for an unregistered class (with the nearest name), an unknown option or an
 *   invalid value, including two clipping options at once.
 */
export function optimizerFromConfig(spec: unknown): Optimizer {
  return deserialize<Optimizer>(spec, 'optimizers');
}
