/**
 * The layers in the one serialization registry (core/serialization.ts): Keras's built-ins under
 * module 'keras.layers', deepwell's own (MCDropout, MCAlphaDropout) under 'deepwell.layers' with
 * registered_name 'deepwell>Name'. `layerFromConfig`, `serializeLayer` and `registerLayer` are thin
 * uses of that registry, kept for existing callers.
 */
import { ValueError } from '../core/errors.js';
import { type SerializedObject, accepts, deserialize, registerSerializable, serialize } from '../core/serialization.js';
import { Activation } from './activation.js';
import { AlphaDropout } from './alpha_dropout.js';
import { BatchNormalization } from './batch_normalization.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';
import { ELU } from './elu.js';
import { Flatten } from './flatten.js';
import { InputLayer } from './input_layer.js';
import type { Layer } from './layer.js';
import { LeakyReLU } from './leaky_relu.js';
import { MCAlphaDropout } from './mc_alpha_dropout.js';
import { MCDropout } from './mc_dropout.js';
import { PReLU } from './prelu.js';
import { Add } from './add.js';
import { Average } from './average.js';
import { Concatenate } from './concatenate.js';
import { Multiply } from './multiply.js';
import { Subtract } from './subtract.js';
import { Maximum } from './maximum.js';
import { Minimum } from './minimum.js';
import { AveragePooling2D } from './average_pooling2d.js';
import { Conv1D } from './conv1d.js';
import { Conv2D } from './conv2d.js';
import { DepthwiseConv2D } from './depthwise_conv2d.js';
import { GlobalAveragePooling2D } from './global_average_pooling2d.js';
import { MaxPooling2D } from './max_pooling2d.js';
import { Reshape } from './reshape.js';
import { ZeroPadding2D } from './zero_padding2d.js';

registerSerializable(InputLayer, { package: 'keras', foreignKeys: { sparse: accepts.oneOf(false, null), ragged: accepts.oneOf(false, null), input_tensor: accepts.oneOf(null), optional: accepts.oneOf(false) } });
registerSerializable(Dense, { package: 'keras' });
registerSerializable(Flatten, { package: 'keras' });
registerSerializable(Activation, { package: 'keras' });
registerSerializable(LeakyReLU, { package: 'keras' });
registerSerializable(PReLU, { package: 'keras' });
registerSerializable(ELU, { package: 'keras' });
registerSerializable(BatchNormalization, { package: 'keras', foreignKeys: { renorm: accepts.oneOf(false), renorm_clipping: accepts.oneOf(null), renorm_momentum: accepts.any, fused: accepts.any, virtual_batch_size: accepts.oneOf(null), adjustment: accepts.oneOf(null) } });
registerSerializable(Dropout, { package: 'keras' });
registerSerializable(AlphaDropout, { package: 'keras' });
registerSerializable(Conv1D, { package: 'keras', aliases: ['Convolution1D'] });
registerSerializable(Conv2D, { package: 'keras', aliases: ['Convolution2D'] });
registerSerializable(DepthwiseConv2D, { package: 'keras' });
registerSerializable(MaxPooling2D, { package: 'keras', aliases: ['MaxPool2D'] });
registerSerializable(AveragePooling2D, { package: 'keras', aliases: ['AvgPool2D'] });
registerSerializable(GlobalAveragePooling2D, { package: 'keras', aliases: ['GlobalAvgPool2D'] });
registerSerializable(Reshape, { package: 'keras' });
registerSerializable(ZeroPadding2D, { package: 'keras' });
registerSerializable(MCDropout, { package: 'deepwell' });
registerSerializable(MCAlphaDropout, { package: 'deepwell' });
registerSerializable(Add, { package: 'keras' });
registerSerializable(Multiply, { package: 'keras' });
registerSerializable(Average, { package: 'keras' });
registerSerializable(Concatenate, { package: 'keras' });
registerSerializable(Subtract, { package: 'keras' });
registerSerializable(Maximum, { package: 'keras' });
registerSerializable(Minimum, { package: 'keras' });

/** A layer factory for `registerLayer` (the older API). */
type LayerFactory = (config: Record<string, unknown>) => Layer;

/**
 * Registers a custom layer under `className` (older API; prefer `registerSerializable(MyLayer)`).
 * @throws ValueError when the name is taken (as `registerSerializable`).
 */
export function registerLayer(className: string, factory: LayerFactory): void {
  const cls = { className, fromConfig: factory, prototype: {} };
  registerSerializable(cls, { kind: 'layers', override: true });
}

/** The Keras 3 form of a layer (same as `serialize(layer)`). */
export function serializeLayer(layer: Layer): SerializedObject {
  return serialize(layer);
}

/**
 * Rebuilds a layer from Keras 3 / Keras 2 `{ class_name, config }` or TF.js `{ className, config }`.
 * @throws ValueError for an unregistered class name (naming the known ones and how to register), Lambda, or a bad config.
 */
export function layerFromConfig(spec: unknown): Layer {
  const layer = deserialize<Layer>(spec, 'layers');
  if (layer === null || typeof layer !== 'object') throw new ValueError(`layerFromConfig: the factory for ${JSON.stringify((spec as { className?: string })?.className)} did not return a layer.`);
  return layer;
}
