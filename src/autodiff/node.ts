/**
 * The record of one primitive operation on the tape: its kind, inputs, attributes and output.
 * `OpAttrs` lists every primitive; `backward_rules.ts` must give each one a rule (the table's type
 * makes a missing rule a compile error).
 */
import type { TypedArray } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';
import { type GradNode, Tensor } from '../core/tensor.js';
import type { BinaryOp, PoolOp, UnaryOp } from '../kernels/kernels.js';
import type { Conv2DGeometry } from '../core/conv_geometry.js';

/** Attributes of each primitive, keyed by its kind. */
export interface OpAttrs {
  unary: { op: UnaryOp; alpha: number };
  binary: { op: BinaryOp };
  where: Record<string, never>;
  sum: { axes: readonly number[] };
  max: { axes: readonly number[] };
  reshape: Record<string, never>;
  transpose: { perm: readonly number[] };
  slice: { begin: readonly number[]; size: readonly number[] };
  concat: { axis: number };
  matmul: { transA: boolean; transB: boolean };
  dense: { activation: UnaryOp; alpha: number; hasBias: boolean };
  /**
   * Batch normalization over every axis but `axis`; `mean` and `invStd` = 1/sqrt(var + epsilon)
   * per feature are the statistics used (the batch's when `training`, else given constants).
   */
  batch_norm: { axis: number; training: boolean; mean: Float64Array; invStd: Float64Array; hasGamma: boolean; hasBeta: boolean };
  /** Fused 2-D convolution (im2col + GEMM) + bias + an output-derivative activation. */
  conv2d: { geometry: Conv2DGeometry; activation: UnaryOp; alpha: number; hasBias: boolean };
  /** Depthwise 2-D convolution with `multiplier` filters per input channel. */
  depthwise_conv2d: { geometry: Conv2DGeometry; multiplier: number };
  /** Max or average pooling. */
  pool2d: { op: PoolOp; geometry: Conv2DGeometry };
  /**
   * Fused softmax + crossentropy over the last axis: `dLogits` = softmax(z) sum(t) - t from the
   * forward pass (null when no gradient was needed), `logSumExp` per row.
   */
  softmax_crossentropy: { dLogits: TypedArray | null; logSumExp: Float64Array; classes: number };
}
export type OpKind = keyof OpAttrs;

export class Node<K extends OpKind = OpKind> implements GradNode {
  constructor(
    readonly kind: K,
    readonly inputs: readonly Tensor[],
    readonly attrs: OpAttrs[K],
    /** The output's data and shape (kept instead of the output tensor to avoid a cycle). */
    readonly outData: TypedArray,
    readonly outShape: Shape,
  ) {}
}

/** Whether operations record nodes; turned off inside `noGrad`. */
let recording = true;

/** Whether operations record nodes now (false inside `noGrad`). */
export function isRecording(): boolean {
  return recording;
}

/** Runs `fn` without recording operations (inference, metrics). */
export function noGrad<T>(fn: () => T): T {
  const prev = recording;
  recording = false;
  try {
    return fn();
  } finally {
    recording = prev;
  }
}

/**
 * Wraps a primitive's output: when recording and any input requires gradients, the output
 * requires gradients too and carries the node that made it.
 */
export function record<K extends OpKind>(kind: K, inputs: readonly Tensor[], attrs: OpAttrs[K], data: TypedArray, shape: Shape): Tensor {
  const out = new Tensor(data, shape);
  if (recording && inputs.some((t) => t.requiresGrad)) {
    out.requiresGrad = true;
    out.node = new Node(kind, inputs, attrs, data, shape);
  }
  return out;
}
