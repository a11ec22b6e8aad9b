/**
 * Gradient clipping, as the optimizer base class applies it before every update (Keras 3 names and
 * formulas, camelCase keys):
 *
 *   clipValue v:       g <- min(max(g, -v), v)                  elementwise (the direction may change)
 *   clipNorm c:        g <- g * c / max(||g||, c)               each weight's gradient on its own
 *   globalClipNorm c:  g_i <- g_i * c / max(N, c)               N = sqrt(sum_i ||g_i||^2) over all gradients
 *
 * Values (keras-team/keras#13575, tensorflow/tensorflow#29108; recomputed in float64): g1 = [3, 4], g2 = [12]; clipNorm 1 gives [0.6, 0.8]
 * and [1]; globalClipNorm 1 (N = 13) gives [0.230769, 0.307692] and [0.923077]; clipValue 0.5 gives
 * [0.5, 0.5] and [0.5]; [0.3, 0.4] with clipNorm 1 is unchanged.
 *
 * deepwell's decisions:
 * - At most one of the three may be set. Keras 3 now rejects any two ("Only one of `clipnorm`,
 *   `clipvalue` and `global_clipnorm` can be set"); earlier Keras 3 releases rejected only clipnorm
 *   with global_clipnorm and silently ignored clipvalue when clipnorm was set. Combining them has no
 *   single meaning (which runs first?), so deepwell rejects it, at construction and on load.
 * - Non-finite gradients. Norm clipping leaves every gradient unchanged when the norm it would divide
 *   by is NaN or infinite (per tensor for clipNorm, all tensors for globalClipNorm), so the NaN or
 *   infinity stays visible to diagnostics and to `TerminateOnNaN` instead of being smeared over every
 *   weight (TF and Keras turn all gradients into NaN; PyTorch's `clip_grad_norm_` does too unless
 *   `error_if_nonfinite`). clipValue clips +-Infinity to +-v like every framework, and keeps NaN.
 * - Norms are accumulated in float64 and rescaled if the sum of squares overflows, so finite float64
 *   gradients above 1e154 still get a finite norm.
 * - The functions never modify their inputs: a clipped gradient is a new array, an unchanged one is
 *   returned as is.
 *
 * Reference: Keras 3 keras/src/optimizers/base_optimizer.py (`_clip_gradients`, `_clip_by_norm`,
 * `clip_by_global_norm`); Pascanu et al. 2013, arXiv:1211.5063 (clipping exploding gradients).
 */
import type { TypedArray } from '../core/dtype.js';
import { ValueError, checkOptionKeys } from '../core/errors.js';
import { checkPositive } from './checks.js';

/** Clipping options of every optimizer. null (as Keras configs write it) means not set. */
export interface ClipOptions {
  /** Clip each gradient element to [-clipValue, clipValue], > 0. */
  clipValue?: number;
  /** Rescale each weight's gradient so its L2 norm is at most clipNorm, > 0. */
  clipNorm?: number;
  /** Rescale all gradients together so their global L2 norm is at most globalClipNorm, > 0. */
  globalClipNorm?: number;
}

export const CLIP_OPTION_KEYS = ['clipValue', 'clipNorm', 'globalClipNorm'] as const;

/**
 * Validates clipping options: each set value a finite number > 0, and at most one set.
 * @throws ValueError naming the option (or the conflicting pair) and the fix.
 */
export function checkClipOptions(owner: string, options: ClipOptions): ClipOptions {
  const out: ClipOptions = {};
  for (const key of CLIP_OPTION_KEYS) {
    const value = options[key] as number | null | undefined;
    if (value != null) out[key] = checkPositive(owner, key, value);
  }
  const set = CLIP_OPTION_KEYS.filter((k) => out[k] !== undefined);
  if (set.length > 1) {
    throw new ValueError(
      `${owner}: only one of clipValue, clipNorm and globalClipNorm can be set, received ${set.map((k) => `${k} ${out[k]}`).join(', ')}. ` +
        'Keep one (globalClipNorm keeps the direction of the whole update; clipNorm clips each weight; clipValue each element).',
    );
  }
  return out;
}

/** Sum of squares of `g`, accumulated in float64. */
function sumOfSquares(g: TypedArray): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return s;
}

/**
 * L2 norm of all the gradients together (null ones skipped). NaN when an element is NaN, Infinity
 * when one is infinite; finite values are rescaled if their squares overflow.
 */
export function globalNorm(grads: readonly (TypedArray | null)[]): number {
  let s = 0;
  for (const g of grads) if (g !== null) s += sumOfSquares(g);
  if (Number.isFinite(s)) return Math.sqrt(s);
  // NaN or infinite: either a non-finite element, or finite elements whose squares overflow.
  let maxAbs = 0;
  for (const g of grads) {
    if (g === null) continue;
    for (let i = 0; i < g.length; i++) {
      const a = Math.abs(g[i]);
      if (!(a <= Number.MAX_VALUE)) return a; // NaN or Infinity
      if (a > maxAbs) maxAbs = a;
    }
  }
  let scaled = 0;
  for (const g of grads) {
    if (g === null) continue;
    for (let i = 0; i < g.length; i++) {
      const r = g[i] / maxAbs;
      scaled += r * r;
    }
  }
  return maxAbs * Math.sqrt(scaled);
}

/** g * c / norm in a new array of the same type. */
function rescale(g: TypedArray, c: number, norm: number): TypedArray {
  const out = new (g.constructor as { new (n: number): TypedArray })(g.length);
  for (let i = 0; i < g.length; i++) out[i] = (g[i] * c) / norm;
  return out;
}

/** Elementwise clip to [-v, v]; NaN stays NaN. Returns `g` itself when nothing changes. */
export function clipByValue(g: TypedArray, v: number): TypedArray {
  let out: TypedArray | null = null;
  for (let i = 0; i < g.length; i++) {
    const x = g[i];
    const c = x > v ? v : x < -v ? -v : x;
    if (c !== x) {
      out ??= g.slice();
      out[i] = c;
    }
  }
  return out ?? g;
}

/** g * c / max(||g||, c); `g` itself when ||g|| <= c or ||g|| is not finite. */
export function clipByNorm(g: TypedArray, c: number): TypedArray {
  const norm = globalNorm([g]);
  return norm > c && Number.isFinite(norm) ? rescale(g, c, norm) : g;
}

/** Every g_i * c / max(N, c) with N the global norm; the inputs themselves when N <= c or N is not finite. */
export function clipByGlobalNorm(grads: readonly (TypedArray | null)[], c: number): (TypedArray | null)[] {
  const norm = globalNorm(grads);
  if (!(norm > c && Number.isFinite(norm))) return [...grads];
  return grads.map((g) => (g === null ? null : rescale(g, c, norm)));
}

/**
 * Applies the clipping that `options` asks for (none when no option is set) to a list of gradients,
 * without modifying them; null gradients stay null. `options` is a plain object, whose keys are
 * checked (`{ clipnorm: 1 }` must not silently clip nothing), or an object that carries the three
 * fields among others, such as an Optimizer, of which only those are read.
 * @throws ValueError for an unknown key of a plain options object, invalid or conflicting options.
 * @example clipGradients([new Float64Array([3, 4]), new Float64Array([12])], { globalClipNorm: 1 })
 *   // [Float64Array [0.2307..., 0.3076...], Float64Array [0.9230...]]
 */
export function clipGradients(grads: readonly (TypedArray | null)[], options: ClipOptions): (TypedArray | null)[] {
  if (options !== null && typeof options === 'object' && Object.getPrototypeOf(options) === Object.prototype) {
    checkOptionKeys('clipGradients', options, CLIP_OPTION_KEYS);
  }
  const { clipValue, clipNorm, globalClipNorm } = checkClipOptions('clipGradients', options);
  if (clipNorm !== undefined) return grads.map((g) => (g === null ? null : clipByNorm(g, clipNorm)));
  if (globalClipNorm !== undefined) return clipByGlobalNorm(grads, globalClipNorm);
  if (clipValue !== undefined) return grads.map((g) => (g === null ? null : clipByValue(g, clipValue)));
  return [...grads];
}
