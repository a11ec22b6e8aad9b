/**
 * What an initializer should produce for a shape, from its formula alone (no sampling): the fans,
 * the distribution, the mean and standard deviation of the elements, and the hard bound if any.
 * Used by `deepwell initializers` to print theory beside a measured sample, and by tests.
 */
import type { Shape } from '../core/shape.js';
import { computeFans } from './compute_fans.js';
import { Constant } from './constant.js';
import { Identity } from './identity.js';
import type { Initializer } from './initializer.js';
import { Ones } from './ones.js';
import { Orthogonal } from './orthogonal.js';
import { RandomNormal } from './random_normal.js';
import { RandomUniform } from './random_uniform.js';
import { TRUNCATED_NORMAL_STDDEV_FACTOR, VarianceScaling } from './variance_scaling.js';
import { TruncatedNormal } from './truncated_normal.js';
import { Zeros } from './zeros.js';

export interface InitializerTheory {
  fanIn: number;
  fanOut: number;
  /** 'uniform', 'truncated_normal', 'normal', 'orthogonal', 'constant', ... */
  distribution: string;
  /** Mean of the elements. */
  mean: number;
  /** Standard deviation of the elements (over the whole tensor for orthogonal and identity). */
  stddev: number;
  /** Largest |w - mean| a sample can reach, or null when unbounded. */
  bound: number | null;
}

/** Std of U[a, b): (b - a) / sqrt(12). */
const uniformStd = (a: number, b: number): number => (b - a) / Math.sqrt(12);

/**
 * The theoretical moments of `init` for `shape`, or null for an initializer it does not know
 * (a user function or a custom class).
 */
export function initializerTheory(init: Initializer, shape: Shape): InitializerTheory | null {
  const { fanIn, fanOut } = computeFans(shape);
  const base = { fanIn, fanOut };
  if (init instanceof VarianceScaling) {
    const d = init.describe(shape);
    return { ...base, distribution: init.distribution, mean: 0, stddev: d.stddev, bound: d.limit ?? d.bound ?? null };
  }
  if (init instanceof Orthogonal) {
    // Root mean square |gain|/sqrt(max(r, c)); the mean of the elements is ~0, so that is the std.
    return { ...base, distribution: 'orthogonal', mean: 0, stddev: init.describe(shape).stddev, bound: Math.abs(init.gain) };
  }
  if (init instanceof Identity) {
    // 2-D only (Identity rejects other ranks): min(r, c) ones among r*c elements, times gain.
    const [r, c] = [shape[0] ?? 0, shape[1] ?? 0];
    const frac = r * c === 0 ? 0 : Math.min(r, c) / (r * c);
    const mean = init.gain * frac;
    return { ...base, distribution: 'identity', mean, stddev: Math.sqrt(init.gain * init.gain * frac - mean * mean), bound: Math.abs(init.gain) };
  }
  if (init instanceof RandomUniform) {
    const mid = (init.minval + init.maxval) / 2;
    return { ...base, distribution: 'uniform', mean: mid, stddev: uniformStd(init.minval, init.maxval), bound: (init.maxval - init.minval) / 2 };
  }
  if (init instanceof RandomNormal) return { ...base, distribution: 'normal', mean: init.mean, stddev: init.stddev, bound: null };
  if (init instanceof TruncatedNormal) {
    // Not corrected (Keras): the std is 0.8796 of the pre-truncation stddev, the bound 2 stddev.
    return { ...base, distribution: 'truncated_normal', mean: init.mean, stddev: init.stddev * TRUNCATED_NORMAL_STDDEV_FACTOR, bound: 2 * init.stddev };
  }
  const constant = init instanceof Zeros ? 0 : init instanceof Ones ? 1 : init instanceof Constant ? init.value : undefined;
  if (constant !== undefined) return { ...base, distribution: 'constant', mean: constant, stddev: 0, bound: 0 };
  return null;
}
