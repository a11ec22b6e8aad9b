/**
 * Layer registry: `{ className, config }` -> layer, by each class's static `fromConfig`.
 * Unknown class names fail with the registered names and the nearest one.
 */
import { ValueError, nearestName } from '../core/errors.js';
import { Activation } from './activation.js';
import { AlphaDropout } from './alpha_dropout.js';
import { BatchNormalization } from './batch_normalization.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { ELU } from './elu.js';
import { Flatten } from './flatten.js';
import type { Layer } from './layer.js';
import { LeakyReLU } from './leaky_relu.js';
import { MCAlphaDropout } from './mc_alpha_dropout.js';
import { MCDropout } from './mc_dropout.js';
import { PReLU } from './prelu.js';

type LayerFactory = (config: Record<string, unknown>) => Layer;

const registry = new Map<string, LayerFactory>([
  [Dense.className, (c) => Dense.fromConfig(c)],
  [Flatten.className, (c) => Flatten.fromConfig(c)],
  [Activation.className, (c) => Activation.fromConfig(c)],
  [LeakyReLU.className, (c) => LeakyReLU.fromConfig(c)],
  [PReLU.className, (c) => PReLU.fromConfig(c)],
  [ELU.className, (c) => ELU.fromConfig(c)],
  [BatchNormalization.className, (c) => BatchNormalization.fromConfig(c)],
  [Dropout.className, (c) => Dropout.fromConfig(c)],
  [AlphaDropout.className, (c) => AlphaDropout.fromConfig(c)],
  [MCDropout.className, (c) => MCDropout.fromConfig(c)],
  [MCAlphaDropout.className, (c) => MCAlphaDropout.fromConfig(c)],
]);

/** Registers a custom layer class so `layerFromConfig` can build it. */
export function registerLayer(className: string, factory: LayerFactory): void {
  registry.set(className, factory);
}

/** The serialized form of a layer: its class name and its constructor options. */
export function serializeLayer(layer: Layer): { className: string; config: Record<string, unknown> } {
  return { className: layer.className, config: layer.getConfig() };
}

/**
 * Rebuilds a layer from `{ className, config }`.
 * @throws ValueError for an unregistered class name, naming the known ones and how to register.
 */
export function layerFromConfig(spec: { className: string; config: Record<string, unknown> }): Layer {
  const factory = registry.get(spec.className);
  if (factory === undefined) {
    const known = [...registry.keys()];
    const near = nearestName(spec.className, known);
    throw new ValueError(`Unknown layer class '${spec.className}'; known: ${known.join(', ')}.${near !== undefined ? ` Did you mean '${near}'?` : ''} Register a custom layer with registerLayer(className, factory).`);
  }
  return factory(spec.config);
}
