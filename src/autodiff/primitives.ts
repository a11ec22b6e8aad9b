/**
 * Differentiable primitives: each computes its result with one kernel call and records a node.
 * Shape checks and broadcasting are resolved here, once, before dispatch.
 * Their backward rules are in `backward_rules.ts`.
 */
import { ShapeError } from '../core/errors.js';
import { type Shape, broadcastShapes, formatShape, normalizeAxes, sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { kernels } from '../kernels/index.js';
import type { BinaryOp, UnaryOp } from '../kernels/kernels.js';
import { allocate } from '../core/dtype.js';
import { record } from './node.js';

/** y = op(x) elementwise; `alpha` parameterizes elu and leaky_relu. Shapes: any -> same. */
export function unary(op: UnaryOp, x: Tensor, alpha = 0): Tensor {
  return record('unary', [x], { op, alpha }, kernels.unary(op, x.data, alpha), x.shape);
}

/** a op b with NumPy broadcasting. Shapes: [..a], [..b] -> broadcast shape. */
export function binary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
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
  const c = allocate(a.dtype, m * n);
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
  const rows = x.size / inFeatures;
  const y = allocate(x.dtype, rows * units);
  if (bias !== null) {
    for (let r = 0; r < rows; r++) y.set(bias.data, r * units);
  }
  kernels.gemm(false, false, rows, units, inFeatures, 1, x.data, kernel.data, bias !== null ? 1 : 0, y);
  if (activation !== 'linear') kernels.unary(activation, y, alpha, y);
  const inputs = bias !== null ? [x, kernel, bias] : [x, kernel];
  return record('dense', inputs, { activation, alpha, hasBias: bias !== null }, y, [...x.shape.slice(0, -1), units]);
}

/** The same values with no gradient flowing back (a new leaf). */
export function stopGradient(x: Tensor): Tensor {
  return new Tensor(x.data, x.shape);
}
