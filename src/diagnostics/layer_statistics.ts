/**
 * One-pass summaries of a layer's arrays (activations, gradients, kernels) used by the diagnosis
 * and the GradientMonitor: second moment, saturation, non-finite values, L2 norm.
 * Each reads the array once and allocates nothing.
 */
import type { TypedArray } from '../core/dtype.js';
import { firstNonFiniteIndex } from '../core/finite.js';

/**
 * Saturation thresholds (the definition, after Glorot & Bengio 2010, section 3.1): a sigmoid
 * output below 0.02 or above 0.98, or a tanh output with |y| above 0.98, is saturated. Its derivative
 * is then below 0.0196 (sigmoid: y (1 - y) at y = 0.98) or 0.0396 (tanh: 1 - y^2), so almost no
 * gradient passes through it.
 */
export const SIGMOID_SATURATION_LOW = 0.02;
export const SIGMOID_SATURATION_HIGH = 0.98;
export const TANH_SATURATION = 0.98;

/**
 * Sum and sum of squares in one pass. Either is NaN or infinite exactly when some element is (the
 * squares of float32 values stay far below float64's range), so this pass also detects non-finite values.
 */
export function sums(a: TypedArray): { sum: number; sumSq: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    s += v;
    s2 += v * v;
  }
  return { sum: s, sumSq: s2 };
}

/**
 * ||before||^2 and ||after - before||^2 in one pass (the update-to-weight ratio's two norms); the
 * second is NaN or infinite when `after` holds a non-finite value and `before` does not.
 */
export function updateSums(before: TypedArray, after: TypedArray): { weightSq: number; deltaSq: number } {
  let w = 0;
  let d = 0;
  for (let i = 0; i < before.length; i++) {
    const b = before[i];
    const diff = after[i] - b;
    w += b * b;
    d += diff * diff;
  }
  return { weightSq: w, deltaSq: d };
}

/** Mean of the squares, sum(a^2) / n (0 for an empty array). */
export function secondMoment(a: TypedArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return a.length === 0 ? 0 : s / a.length;
}

/** L2 norm, sqrt(sum a^2). */
export function l2Norm(a: TypedArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/**
 * Fraction of the elements of an activation's output that are saturated (see the thresholds
 * above); 0 for activations that do not saturate (ReLU family, SELU, linear, softmax).
 */
export function saturatedFraction(y: TypedArray, activation: string): number {
  if (y.length === 0) return 0;
  let count = 0;
  if (activation === 'sigmoid') {
    for (let i = 0; i < y.length; i++) if (y[i] < SIGMOID_SATURATION_LOW || y[i] > SIGMOID_SATURATION_HIGH) count++;
  } else if (activation === 'tanh') {
    for (let i = 0; i < y.length; i++) if (Math.abs(y[i]) > TANH_SATURATION) count++;
  } else {
    return 0;
  }
  return count / y.length;
}

/** Index of the first NaN or infinite element, or -1 when every element is finite (see core/finite.ts). */
export const firstNonFinite: (a: TypedArray) => number = firstNonFiniteIndex;
