/**
 * Differentiable primitives: each computes its result with one kernel call and records a node.
 * Shape checks and broadcasting are resolved here, once, before dispatch.
 * Their backward rules are in `backward_rules.ts`.
 */
import { ShapeError, ValueError, checkOptionKeys, invalidNameMessage, keysOf } from '../core/errors.js';
import { type Shape, broadcastShapes, formatShape, normalizeAxes, sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { kernels } from '../kernels/index.js';
import { BINARY_OPS, type BinaryOp, OUTPUT_DERIVATIVE_OPS, UNARY_OPS, type UnaryOp } from '../kernels/kernels.js';
import { allocate, allocateUninitialized } from '../core/dtype.js';
import { isRecording, record } from './node.js';

/**
 * y = op(x) elementwise; `alpha` parameterizes elu and leaky_relu. Shapes: any -> same.
 * @throws ValueError for an op that is not in `UNARY_OPS` (with the nearest one): a kernel would return zeros.
 */
export function unary(op: UnaryOp, x: Tensor, alpha = 0): Tensor {
  if (!(UNARY_OPS as readonly string[]).includes(op)) throw new ValueError(invalidNameMessage('unary op', op, UNARY_OPS));
  return record('unary', [x], { op, alpha }, kernels.unary(op, x.data, alpha), x.shape);
}

/**
 * a op b with NumPy broadcasting. Shapes: [..a], [..b] -> broadcast shape.
 * @throws ValueError for an op that is not in `BINARY_OPS` (with the nearest one); ShapeError for mixed dtypes or shapes that do not broadcast.
 */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  if (!(BINARY_OPS as readonly string[]).includes(op)) throw new ValueError(invalidNameMessage('binary op', op, BINARY_OPS));
  if (a.dtype !== b.dtype) {
    throw new ShapeError(`${op}: dtypes differ (${a.dtype} vs ${b.dtype}); convert one input first.`);
  }
  const shape = broadcastShapes(a.shape, b.shape);
  return record('binary', [a, b], { op }, kernels.binary(op, a.data, a.shape, b.data, b.shape, shape), shape);
}

/** cond != 0 ? a : b, broadcast together; no gradient flows to `cond`. */
export function where(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  const shape = broadcastShapes(broadcastShapes(cond.shape, a.shape), b.shape);
  const data = kernels.where(cond.data, cond.shape, a.data, a.shape, b.data, b.shape, shape);
  return record('where', [cond, a, b], {}, data, shape);
}

function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Sum over `axes` (all when omitted). Shapes: [...] -> reduced dims removed (or kept as 1). */
export function sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const ax = normalizeAxes(axes, x.rank);
  const shape = reducedShape(x.shape, ax, keepDims);
  return record('sum', [x], { axes: ax }, kernels.reduce('sum', x.data, x.shape, ax), shape);
}

/** Maximum over `axes` (all when omitted); the gradient goes to every maximal element. */
export function max(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const ax = normalizeAxes(axes, x.rank);
  const shape = reducedShape(x.shape, ax, keepDims);
  return record('max', [x], { axes: ax }, kernels.reduce('max', x.data, x.shape, ax), shape);
}

/** Same elements, new shape (one dimension may be -1 and is inferred). Shares data with `x`. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const known = shape.filter((d) => d !== -1);
  const inferIdx = shape.indexOf(-1);
  const resolved = [...shape];
  if (inferIdx >= 0) {
    const rest = sizeOf(known);
    resolved[inferIdx] = rest === 0 ? 0 : x.size / rest;
  }
  if (sizeOf(resolved) !== x.size || !resolved.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ShapeError(`Cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}.`);
  }
  return record('reshape', [x], {}, x.data, resolved);
}

/** Permutes axes (reverses them when `perm` is omitted). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.length !== x.rank || [...p].sort((a, b) => a - b).some((v, i) => v !== i)) {
    throw new ShapeError(`transpose: perm [${p.join(', ')}] is not a permutation of the ${x.rank} axes of ${formatShape(x.shape)}.`);
  }
  const shape = p.map((i) => x.shape[i]);
  return record('transpose', [x], { perm: p }, kernels.transpose(x.data, x.shape, p), shape);
}

/** The block starting at `begin` with extent `size` (-1 means "to the end"). */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  const sz = size.map((s, i) => (s === -1 ? x.shape[i] - begin[i] : s));
  const bad = (v: number): boolean => !Number.isInteger(v) || v < 0;
  if (begin.length !== x.rank || sz.length !== x.rank || sz.some((s, i) => bad(begin[i]) || bad(s) || begin[i] + s > x.shape[i])) {
    throw new ShapeError(`slice: begin [${begin.join(', ')}] size [${size.join(', ')}] is outside shape ${formatShape(x.shape)}.`);
  }
  return record('slice', [x], { begin, size: sz }, kernels.slice(x.data, x.shape, begin, sz), sz);
}

/** Joins tensors along `axis`; their shapes agree elsewhere. */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError('concat: needs at least one tensor.');
  const rank = xs[0].rank;
  const [ax] = normalizeAxes(axis, rank);
  for (const t of xs) {
    if (t.rank !== rank || t.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) {
      throw new ShapeError(`concat along axis ${axis}: shapes ${xs.map((s) => formatShape(s.shape)).join(', ')} differ outside that axis.`);
    }
  }
  const shape = [...xs[0].shape];
  shape[ax] = xs.reduce((p, t) => p + t.shape[ax], 0);
  const data = kernels.concat(xs.map((t) => t.data), xs.map((t) => t.shape), ax);
  return record('concat', xs, { axis: ax }, data, shape);
}

/** Matrix product of 2-D tensors. Shapes: op(a) [m, k], op(b) [k, n] -> [m, n]. */
export function matmul(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  if (a.rank !== 2 || b.rank !== 2) {
    throw new ShapeError(`matmul needs 2-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}.`);
  }
  const [m, ka] = transA ? [a.shape[1], a.shape[0]] : [a.shape[0], a.shape[1]];
  const [kb, n] = transB ? [b.shape[1], b.shape[0]] : [b.shape[0], b.shape[1]];
  if (ka !== kb) {
    throw new ShapeError(`matmul: inner dimensions differ: ${formatShape(a.shape)}${transA ? '^T' : ''} x ${formatShape(b.shape)}${transB ? '^T' : ''} (${ka} vs ${kb}).`);
  }
  const c = allocateUninitialized(a.dtype, m * n);
  kernels.gemm(transA, transB, m, n, ka, 1, a.data, b.data, 0, c);
  return record('matmul', [a, b], { transA, transB }, c, [m, n]);
}

/**
 * Fused dense layer: y = activation(x W + b), one primitive with one backward rule.
 * Shapes: x [...batch, inFeatures], kernel [inFeatures, units], bias [units] -> [...batch, units].
 */
export function dense(x: Tensor, kernel: Tensor, bias: Tensor | null, activation: UnaryOp = 'linear', alpha = 0): Tensor {
  if (kernel.rank !== 2) {
    throw new ShapeError(`dense: the kernel must be 2-D [inFeatures, units], got shape ${formatShape(kernel.shape)}.`);
  }
  const inFeatures = kernel.shape[0];
  const units = kernel.shape[1];
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== units)) {
    throw new ShapeError(`dense: the bias must have shape [${units}] (one value per unit), got ${formatShape(bias.shape)}.`);
  }
  if (x.rank < 1 || x.shape[x.rank - 1] !== inFeatures) {
    throw new ShapeError(`dense: expected last input dim ${inFeatures}, got shape ${formatShape(x.shape)}. Check the previous layer's units.`);
  }
  if (!OUTPUT_DERIVATIVE_OPS.includes(activation)) {
    throw new ValueError(`dense: activation '${activation}' needs its input for the gradient, which the fused primitive does not keep; apply it after a linear dense: unary('${activation}', dense(x, kernel, bias)).`);
  }
  const rows = x.size / inFeatures;
  const y = allocateUninitialized(x.dtype, rows * units);
  kernels.denseForward(x.data, kernel.data, bias?.data ?? null, rows, inFeatures, units, activation, alpha, y);
  const inputs = bias !== null ? [x, kernel, bias] : [x, kernel];
  return record('dense', inputs, { activation, alpha, hasBias: bias !== null }, y, [...x.shape.slice(0, -1), units]);
}

/** The same values with no gradient flowing back (a new leaf). */
export function stopGradient(x: Tensor): Tensor {
  return new Tensor(x.data, x.shape);
}

/** Options of `batchNorm`. */
export interface BatchNormOptions {
  /** The feature axis, normalized separately (negative counts from the end). Default -1. */
  axis?: number;
  /** Added to the variance before the square root, >= 0. Default 0.001 (Keras). */
  epsilon?: number;
  /**
   * Per-feature mean and variance to normalize with (inference mode: the layer's moving
   * statistics). When omitted, the batch's own biased statistics are used (training mode).
   */
  mean?: ArrayLike<number>;
  variance?: ArrayLike<number>;
}

/** The keys of `BatchNormOptions`. */
const BATCH_NORM_OPTION_KEYS = keysOf<BatchNormOptions>({ axis: true, epsilon: true, mean: true, variance: true });

/** What `batchNorm` returns: the output and the per-feature statistics it normalized with. */
export interface BatchNormResult {
  y: Tensor;
  /** Mean per feature (the batch mean in training mode). */
  mean: Float64Array;
  /** Biased variance per feature, sum((x - mean)^2) / n (the batch variance in training mode). */
  variance: Float64Array;
}

/** The view [outer, features, inner] of a shape around `axis` (rows of features, each feature strided by inner). */
export function featureLayout(shape: Shape, axis: number): { outer: number; features: number; inner: number } {
  return { outer: sizeOf(shape.slice(0, axis)), features: shape[axis], inner: sizeOf(shape.slice(axis + 1)) };
}

/**
 * Fused batch normalization, one primitive with one backward rule:
 * y = (x - mean) / sqrt(var + epsilon) * gamma + beta, per feature along `axis`.
 * Training mode (no `mean`/`variance` given): mean and biased variance over every other axis of
 * this batch, and the gradient flows through them. Inference mode: the given statistics are
 * constants and the op is affine in x.
 *
 * Shapes: x [..., features, ...] (features at `axis`), gamma and beta [features] or null -> x's shape.
 * @throws ShapeError when gamma, beta or the statistics do not have one value per feature.
 * @throws ValueError in training mode on an empty batch (its statistics are undefined), or for an
 *   unknown option key.
 * Reference: Ioffe & Szegedy 2015, arXiv:1502.03167, Algorithm 1; Keras 3 ops.batch_normalization.
 */
export function batchNorm(x: Tensor, gamma: Tensor | null, beta: Tensor | null, options: BatchNormOptions = {}): BatchNormResult {
  checkOptionKeys('batchNorm', options, BATCH_NORM_OPTION_KEYS);
  if (x.rank < 1) throw new ShapeError(`batchNorm: x must have at least one dimension (the features), got shape ${formatShape(x.shape)}.`);
  const [axis] = normalizeAxes(options.axis ?? -1, x.rank);
  const epsilon = options.epsilon ?? 1e-3;
  const { outer, features, inner } = featureLayout(x.shape, axis);
  const perFeature = (what: string, n: number): void => {
    if (n !== features) throw new ShapeError(`batchNorm: ${what} must have ${features} values (one per feature on axis ${axis} of ${formatShape(x.shape)}), got ${n}.`);
  };
  if (gamma !== null) perFeature('gamma', gamma.size);
  if (beta !== null) perFeature('beta', beta.size);
  const training = options.mean === undefined && options.variance === undefined;
  const mean = new Float64Array(features);
  const variance = new Float64Array(features);
  if (training) {
    if (outer * inner === 0) throw new ValueError(`batchNorm: the batch statistics of an empty batch (shape ${formatShape(x.shape)}) are undefined; pass at least one sample in training mode.`);
  } else {
    if (options.mean === undefined || options.variance === undefined) {
      throw new ValueError('batchNorm: give both mean and variance (inference mode) or neither (training mode).');
    }
    perFeature('mean', options.mean.length);
    perFeature('variance', options.variance.length);
    mean.set(options.mean);
    variance.set(options.variance);
  }
  const invStd = new Float64Array(features);
  const y = allocateUninitialized(x.dtype, x.size);
  kernels.batchNormForward(x.data, outer, features, inner, gamma?.data ?? null, beta?.data ?? null, epsilon, training, mean, variance, invStd, y);
  const inputs = [x, ...(gamma !== null ? [gamma] : []), ...(beta !== null ? [beta] : [])];
  const attrs = { axis, training, mean, invStd, hasGamma: gamma !== null, hasBeta: beta !== null };
  return { y: record('batch_norm', inputs, attrs, y, x.shape), mean, variance };
}

/**
 * Fused softmax + crossentropy over the last axis, one primitive with one backward rule:
 * loss = -sum_c targets_c log_softmax(logits)_c per sample, computed stably (logits - max first) in
 * one pass that also keeps the gradient softmax(logits) sum(targets) - targets for backward.
 * Shapes: logits [..., classes], targets [..., classes] (same shape) -> [...] (one value per sample).
 * @throws ShapeError when the shapes differ or the logits are a scalar; ValueError for mixed dtypes.
 * Reference: TF `softmax_cross_entropy_with_logits`; Keras 3 categorical_crossentropy(from_logits=True).
 * @example softmaxCrossentropy(tensor([[1000, 0, -1000]]), tensor([[0, 1, 0]])) // [1000]
 */
export function softmaxCrossentropy(logits: Tensor, targets: Tensor): Tensor {
  if (logits.rank < 1 || logits.shape.length !== targets.shape.length || logits.shape.some((d, i) => d !== targets.shape[i])) {
    throw new ShapeError(`softmaxCrossentropy: targets ${formatShape(targets.shape)} and logits ${formatShape(logits.shape)} must have the same shape [..., classes].`);
  }
  if (logits.dtype !== targets.dtype) throw new ValueError(`softmaxCrossentropy: dtypes differ (logits ${logits.dtype}, targets ${targets.dtype}); convert one first.`);
  const classes = logits.shape[logits.rank - 1];
  const rows = classes === 0 ? sizeOf(logits.shape.slice(0, -1)) : logits.size / classes;
  const loss = allocate(logits.dtype, rows);
  const dLogits = logits.requiresGrad && isRecording() ? allocateUninitialized(logits.dtype, logits.size) : null;
  const logSumExp = new Float64Array(rows);
  kernels.softmaxCrossentropy(logits.data, targets.data, rows, classes, loss, dLogits, logSumExp);
  return record('softmax_crossentropy', [logits, targets], { dLogits, logSumExp, classes }, loss, logits.shape.slice(0, -1));
}
