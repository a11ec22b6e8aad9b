/**
 * Builds the residual convnet `deepwell train --arch resnet` trains, and its plain twin (the same
 * layers without the shortcuts) that `deepwell experiment plain-vs-residual` compares it with, with
 * the functional API (`Input`, layers applied to symbolic tensors, `Add`, `Model`).
 *
 * The CIFAR networks of He et al. 2016 (arXiv:1512.03385, section 4.2), sized for MNIST:
 *
 * ```
 * Reshape ([H, W] -> [H, W, 1]) -> stem Conv2D(w, 3x3, same, stride stemStrides) [BN] act
 * -> `depth` blocks in up to 3 stages of w, 2w, 4w filters (the first block of stages 2 and 3 halves H and W)
 *    block: Conv2D(3x3, stride s) [BN] act -> Conv2D(3x3) [BN] -> Add(shortcut) -> act
 *    shortcut: the block's input (identity), or Conv2D(1x1, stride s) [BN] where the shape changes (He et al.'s option B)
 * -> GlobalAveragePooling2D -> Dense(classes, softmax)
 * ```
 *
 * With `residual: false` each block has no shortcut and no Add: `2 depth + 2` weighted layers in a
 * plain chain (8, 20, 32 layers for depth 3, 9, 15: He et al.'s plain-20 and plain-32). Blocks split
 * over the stages as evenly as possible, the earlier stages taking the remainder (depth 4: 2, 1, 1).
 */
import type { Layer } from '../layers/layer.js';
import type { SymbolicTensor } from '../layers/symbolic_tensor.js';
import { Activation } from '../layers/activation.js';
import { Add } from '../layers/add.js';
import { BatchNormalization } from '../layers/batch_normalization.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dense } from '../layers/dense.js';
import { GlobalAveragePooling2D } from '../layers/global_average_pooling2d.js';
import { Input } from '../layers/input_layer.js';
import { Reshape } from '../layers/reshape.js';
import { Model } from '../models/model.js';
import { UsageError } from './usage_error.js';

/** Filters of the stem and the first stage (He et al.'s CIFAR networks: 16). */
export const RESNET_WIDTH = 16;
/** Residual blocks of `deepwell train --arch resnet` without --depth: one per stage (8 weighted layers). */
export const RESNET_DEPTH = 3;
/** Stages at most (filters w, 2w, 4w). */
export const RESNET_STAGES = 3;

export interface ResnetSpec {
  /** Sample shape without the batch dimension: [H, W] (grey) or [H, W, C]. */
  inputShape: readonly number[];
  /** Number of blocks (two 3x3 convolutions each). */
  depth: number;
  /** Activation after each convolution and each Add. */
  activation: string;
  /** Kernel initializer of the convolutions. */
  init: string;
  classes: number;
  /** BatchNormalization after each convolution (before the activation, as He et al.). Default false. */
  batchNorm?: boolean;
  /** false: the plain twin, without shortcuts. Default true. */
  residual?: boolean;
  /** Filters of the stem and the first stage. Default RESNET_WIDTH. */
  width?: number;
  /** Strides of the stem convolution (2 halves H and W before the blocks, a quarter of the work). Default 1. */
  stemStrides?: number;
}

/** Blocks per stage: `depth` over min(depth, 3) stages, earlier stages taking the remainder. */
export function stageBlocks(depth: number): number[] {
  const stages = Math.min(depth, RESNET_STAGES);
  return Array.from({ length: stages }, (_, i) => Math.floor(depth / stages) + (i < depth % stages ? 1 : 0));
}

/**
 * The residual (or plain) convnet of `spec`.
 * @throws UsageError for samples that are not images or a depth below 1.
 */
export function buildResnet(spec: ResnetSpec): Model {
  const s = spec.inputShape;
  if (s.length !== 2 && s.length !== 3) {
    throw new UsageError(`--arch resnet needs images ([height, width] or [height, width, channels] per sample), got samples of shape [${s.join(', ')}]; use --arch mlp for tabular data.`);
  }
  if (!Number.isInteger(spec.depth) || spec.depth < 1) throw new UsageError(`--depth: --arch resnet needs at least 1 residual block, received ${spec.depth}.`);
  const width = spec.width ?? RESNET_WIDTH;
  const bn = spec.batchNorm ?? false;
  const residual = spec.residual ?? true;
  // Without BN the activation is fused into the convolution; with it, BN sits between them.
  const conv = (x: SymbolicTensor, filters: number, size: number, strides: number, act: boolean): SymbolicTensor => {
    const layers: Layer[] = [new Conv2D(filters, size, { strides, padding: 'same', activation: act && !bn ? spec.activation : 'linear', kernelInitializer: spec.init })];
    if (bn) layers.push(new BatchNormalization());
    if (act && bn) layers.push(new Activation(spec.activation));
    return layers.reduce((t, l) => l.apply(t), x);
  };
  const input = Input({ shape: [...s] });
  let x = new Reshape(s.length === 2 ? [s[0], s[1], 1] : [...s]).apply(input);
  x = conv(x, width, 3, spec.stemStrides ?? 1, true);
  stageBlocks(spec.depth).forEach((blocks, stage) => {
    const filters = width * 2 ** stage;
    for (let b = 0; b < blocks; b++) {
      const strides = stage > 0 && b === 0 ? 2 : 1;
      const branch = conv(conv(x, filters, 3, strides, true), filters, 3, 1, false);
      const identity = strides === 1 && x.shape[3] === filters;
      const merged = !residual ? branch : new Add().apply([branch, identity ? x : conv(x, filters, 1, strides, false)]);
      x = new Activation(spec.activation).apply(merged);
    }
  });
  const output = new Dense(spec.classes, { activation: 'softmax' }).apply(new GlobalAveragePooling2D().apply(x));
  return new Model({ inputs: input, outputs: output });
}
