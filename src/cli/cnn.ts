/**
 * Builds the convolutional network `deepwell train --arch cnn` trains: the Keras example MNIST
 * convnet (keras.io/examples/vision/mnist_convnet) with 5x5 kernels by default (`kernelSize`, CLI
 * `--kernel-size`; 3 is the example exactly), for images of any size and channel count.
 *
 * Reshape (grey images [H, W] -> [H, W, 1]) -> Conv2D(32, k x k, activation, init) -> MaxPooling2D(2) ->
 * Conv2D(64, k x k, activation, init) -> MaxPooling2D(2) -> Flatten -> Dropout(0.5) -> Dense(classes, softmax),
 * all 'valid' padding. On 28x28x1 inputs: k = 5: 24 -> 12 -> 8 -> 4, 62,346 parameters (832 + 51,264 +
 * 10,250), 3.75M multiply-adds per image forward; k = 3 (the example): 26 -> 13 -> 11 -> 5, 34,826
 * parameters (320 + 18,496 + 16,010, as the example's summary), 2.44M multiply-adds.
 *
 * Why 5x5 (LeNet-5's and TensorFlow's MNIST tutorial's kernel size): `deepwell train --arch cnn --epochs
 * 3` should reach 0.99 test accuracy, and the 3x3 example does not reliably. The variants were compared
 * on the validation split `deepwell train` holds out (the last 10%, 6,000 images); 3 epochs, Adam 1e-3,
 * batch 32. First round (seeds 1-3, or seed 1), val_accuracy after epoch 3: the example 0.9894 (mean);
 * + Dense(128) + Dropout(0.5) head (PyTorch's MNIST example) 0.9897; 'same' padding 0.9901; 'same' + head
 * 0.9891; BatchNormalization after each convolution's activation 0.9887; 5x5 kernels 0.9913; 5x5 + head
 * 0.9915 (2 seeds); seed 1 only: exponential decay 0.9885, one-cycle 0.9880, batch 64 at lr 0.002 0.9903,
 * dropout 0.25 0.9907, twice the filters (3.7x the work) 0.9913, Conv2D -> BN -> ReLU 0.9892, Keras 2's
 * mnist_cnn (4.9x) 0.9893. That round ran with a fault since fixed (a convolution's output could be
 * overwritten by another layer's gradient during the backward pass: src/kernels/scratch.ts), so its
 * figures are indicative only. Measured again after the fix, the two finalists:
 *
 * | kernels              | val_accuracy, seeds 1, 2, 3 (mean)   | test accuracy, seeds 1, 2, 3 (mean)  | multiply-adds |
 * |----------------------|--------------------------------------|--------------------------------------|---------------|
 * | 3x3 (the example)    | 0.9897, 0.9900, 0.9893 (0.9897)      | 0.9896, 0.9896, 0.9863 (0.9885)      | 2.44M         |
 * | **5x5 (this one)**   | 0.9908, 0.9933, 0.9900 (0.9914)      | 0.9910, 0.9914, 0.9894 (0.9906)      | 3.75M (1.5x)  |
 *
 * (multiply-adds per image, forward; the test set was read once per finalist, after the choice.) One
 * validation run's standard error is sqrt(0.99 * 0.01 / 6000) = 0.0013, so single runs do not separate
 * the variants; 5x5 kernels are the cheapest change that moved the three-seed mean, keeping the
 * example's head. Seed 3 stays just under 0.99 on the test set (0.9894): 0.99 is this network's
 * typical figure after 3 epochs, not a floor.
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
  /** Side of the square kernels of both convolutions, >= 1. Default CNN_KERNEL_SIZE (5); 3 is the Keras example. */
  kernelSize?: number;
}

/** Kernel size of `--arch cnn` without --kernel-size (see the file comment for why 5, not the example's 3). */
export const CNN_KERNEL_SIZE = 5;

/** Side of the last feature map for an input side: 'valid' k x k convolution (side - k + 1), 2x2 pooling (floor(side / 2)), twice. */
export function cnnOutputSide(side: number, k: number): number {
  return Math.floor((Math.floor((side - k + 1) / 2) - k + 1) / 2);
}

/**
 * The Keras example convnet for `spec.inputShape`, with `spec.kernelSize` kernels.
 * @throws UsageError for samples that are not images ([H, W] or [H, W, C]), e.g. a CSV file's rows,
 * for a kernel size that is not a positive integer, and for one the images are too small for (each
 * side must keep at least 1 pixel after the two convolutions and poolings: `cnnOutputSide`; 28x28
 * images take up to 9).
 */
export function buildCnn(spec: CnnSpec): Sequential {
  const s = spec.inputShape;
  if (s.length !== 2 && s.length !== 3) {
    throw new UsageError(`--arch cnn needs images ([height, width] or [height, width, channels] per sample), got samples of shape [${s.join(', ')}]; use --arch mlp for tabular data.`);
  }
  const k = spec.kernelSize ?? CNN_KERNEL_SIZE;
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`--kernel-size must be a positive integer (for example ${CNN_KERNEL_SIZE}), received ${k}.`);
  if (Math.min(cnnOutputSide(s[0], k), cnnOutputSide(s[1], k)) < 1) {
    let fits = 0;
    while (Math.min(cnnOutputSide(s[0], fits + 1), cnnOutputSide(s[1], fits + 1)) >= 1) fits++;
    const fix = fits > 0 ? `use --kernel-size ${fits} or less` : 'the images are too small for --arch cnn (4x4 at least); use --arch mlp';
    throw new UsageError(`--kernel-size ${k} is too large for ${s[0]}x${s[1]} images: two 'valid' ${k}x${k} convolutions, each followed by 2x2 pooling, leave no pixel; ${fix}.`);
  }
  const conv = (filters: number): Layer[] => [
    new Conv2D(filters, k, { activation: spec.activation, kernelInitializer: spec.init }),
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
