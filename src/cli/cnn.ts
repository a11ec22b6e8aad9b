/**
 * Builds the convolutional network `deepwell train --arch cnn` trains: the Keras example MNIST
 * convnet (keras.io/examples/vision/mnist_convnet), for images of any size and channel count.
 *
 * Reshape (grey images [H, W] -> [H, W, 1]) -> Conv2D(32, 3x3, activation, init) -> MaxPooling2D(2) ->
 * Conv2D(64, 3x3, activation, init) -> MaxPooling2D(2) -> Flatten -> Dropout(0.5) -> Dense(classes, softmax).
 * On 28x28x1 inputs: 34,826 parameters (320 + 18,496 + 16,010), as the example's summary.
 */
import type { Layer } from '../layers/layer.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { MaxPooling2D } from '../layers/max_pooling2d.js';
import { Reshape } from '../layers/reshape.js';
import { BatchNormalization } from '../layers/batch_normalization.js';
import { Sequential } from '../models/sequential.js';
import { UsageError } from './usage_error.js';

/** The architectures `deepwell train --arch` and `deepwell diagnose --arch` build (resnet: src/cli/resnet.ts). */
export const CLI_ARCHITECTURES = ['mlp', 'cnn', 'resnet'] as const;
export type CliArchitecture = (typeof CLI_ARCHITECTURES)[number];

export interface CnnSpec {
  /** Sample shape without the batch dimension: [H, W] (grey) or [H, W, C]. */
  inputShape: readonly number[];
  /** Activation of the convolutions. */
  activation: string;
  /** Kernel initializer of the convolutions. */
  init: string;
  /** Number of classes of the softmax output. */
  classes: number;
  /** BatchNormalization after each convolution. Default false. */
  batchNorm?: boolean;
}

/**
 * The Keras example convnet for `spec.inputShape`.
 * @throws UsageError for samples that are not images ([H, W] or [H, W, C]), e.g. a CSV file's rows.
 */
export function buildCnn(spec: CnnSpec): Sequential {
  const s = spec.inputShape;
  if (s.length !== 2 && s.length !== 3) {
    throw new UsageError(`--arch cnn needs images ([height, width] or [height, width, channels] per sample), got samples of shape [${s.join(', ')}]; use --arch mlp for tabular data.`);
  }
  const conv = (filters: number): Layer[] => [
    new Conv2D(filters, 3, { activation: spec.activation, kernelInitializer: spec.init }),
    ...(spec.batchNorm === true ? [new BatchNormalization()] : []),
    new MaxPooling2D({ poolSize: 2 }),
  ];
  const shape = s.length === 2 ? [s[0], s[1], 1] : [...s];
  return new Sequential([
    new Reshape(shape, { inputShape: [...s] }),
    ...conv(32),
    ...conv(64),
    new Flatten(),
    new Dropout(0.5),
    new Dense(spec.classes, { activation: 'softmax' }),
  ]);
}
