/**
 * The theory of signal propagation at initialization (Glorot & Bengio 2010; He et al. 2015,
 * arXiv:1502.01852, section 2.2; Klambauer et al. 2017, arXiv:1706.02515), as the diagnosis compares
 * it with measurements.
 *
 * Which variance: the **second moment** q = E[a^2] (mean of the squares over batch and units) of a
 * layer's input a_{l-1} and of its output a_l = f(z), z = a_{l-1} W + b. With weights drawn
 * independently of the inputs, with mean 0 and second moment E[W^2] = v:
 *
 * ```
 * Var(z)  = fanIn * v * q_{l-1} + E[b^2]                          // exact in expectation, any input
 * q_l     = E[f(z)^2], z ~ N(0, Var(z))                            // z is a sum of fanIn terms: Gaussian
 * theoryVarianceRatio = q_l / q_{l-1} = fanIn * v * g(f, Var(z))    // (+ the bias term; 0 at init)
 * g(f, s2) = E[f(z)^2] / s2, z ~ N(0, s2)
 * ```
 *
 * For a VarianceScaling initializer v = scale / n_mode, so the ratio is scale * fanIn / n_mode * g.
 * g is exactly 1 for linear, 1/2 for ReLU and (1 + alpha^2) / 2 for leaky ReLU at every variance
 * (they are positively homogeneous and z is symmetric); for SELU it is 1 at Var(z) = 1 (the
 * self-normalizing fixed point); for tanh it is 1 - 2 s2 + O(s2^2) near 0; sigmoid's is dominated by
 * its mean 1/2 (E[f^2] >= 1/4). These are computed by numerical integration with the library's own
 * activation kernels, so the same formula covers every activation. Square layers:
 * ReLU + glorot_uniform gives 1 * 1 * 1/2 = 0.5 (the variance halves), ReLU + he_normal gives
 * 2 * 1/2 = 1, linear + lecun_normal gives 1.
 *
 * The second moment, not the centred variance, is what the recursion carries (He et al. 2015, eq. 7
 * uses E[x^2]); for zero-mean activations (linear, tanh, SELU at its fixed point) the two coincide, and
 * for ReLU layers after the first the centred variance is a constant fraction (1 - 1/pi) of it, so
 * ratios of standard deviations between ReLU layers are the square roots of these ratios.
 *
 * For the softmax output layer the ratio is that of its logits (its pre-activation): g = 1.
 */
import { activationSpec, getActivation } from '../activations/activations.js';
import { computeFans } from '../initializers/compute_fans.js';
import type { Initializer } from '../initializers/initializer.js';
import { Constant } from '../initializers/constant.js';
import { Identity } from '../initializers/identity.js';
import { Ones } from '../initializers/ones.js';
import { Orthogonal } from '../initializers/orthogonal.js';
import { RandomNormal } from '../initializers/random_normal.js';
import { RandomUniform } from '../initializers/random_uniform.js';
import { TruncatedNormal } from '../initializers/truncated_normal.js';
import { VarianceScaling, TRUNCATED_NORMAL_STDDEV_FACTOR } from '../initializers/variance_scaling.js';
import { Zeros } from '../initializers/zeros.js';
import { tsKernels } from '../kernels/index.js';
import { Tensor } from '../core/tensor.js';
import { noGrad } from '../autodiff/node.js';

/** Half-width, in standard deviations, of the integration interval of E[f(z)^2] (the tail beyond 10 sigma weighs < 1e-22). */
const INTEGRATION_HALF_WIDTH = 10;
/** Number of Simpson intervals (even): a step of 0.005 sigma, so a kink (ReLU at 0) costs < 1e-6 relative. */
const INTEGRATION_INTERVALS = 4000;

/**
 * The second moment E[W^2] of the weights an initializer draws for a kernel shape, from its
 * configuration (not from a sample), or null for an initializer it does not know (a custom one):
 * the caller then uses the kernel's measured second moment.
 *
 * VarianceScaling (and Glorot, He, LeCun): scale / n; RandomNormal: stddev^2 + mean^2;
 * TruncatedNormal (truncated at 2 stddev, not corrected, as Keras): (0.8796 stddev)^2 + mean^2;
 * RandomUniform [a, b): (b - a)^2 / 12 + ((a + b) / 2)^2; Orthogonal: gain^2 / max(rows, cols);
 * Identity: gain^2 min(rows, cols) / (rows cols); Zeros 0; Ones 1; Constant c^2.
 */
export function weightSecondMoment(init: Initializer, shape: readonly number[]): number | null {
  if (init instanceof VarianceScaling) return init.describe(shape).variance;
  if (init instanceof RandomNormal) return init.stddev ** 2 + init.mean ** 2;
  if (init instanceof TruncatedNormal) return (TRUNCATED_NORMAL_STDDEV_FACTOR * init.stddev) ** 2 + init.mean ** 2;
  if (init instanceof RandomUniform) return (init.maxval - init.minval) ** 2 / 12 + ((init.maxval + init.minval) / 2) ** 2;
  const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const cols = shape[shape.length - 1] ?? 1;
  if (init instanceof Orthogonal) return init.gain ** 2 / Math.max(rows, cols, 1);
  if (init instanceof Identity) return (init.gain ** 2 * Math.min(rows, cols)) / Math.max(rows * cols, 1);
  if (init instanceof Zeros) return 0;
  if (init instanceof Ones) return 1;
  if (init instanceof Constant) return init.value ** 2;
  return null;
}

/**
 * E[f(z)^2] for z ~ N(0, variance), f the named activation (softmax: its logits, i.e. linear).
 * Closed forms for linear (variance) and ReLU (variance / 2); composite Simpson integration over
 * +-10 sigma with the library's activation kernel otherwise.
 */
export function activationSecondMoment(activation: string, variance: number): number {
  const name = getActivation(activation);
  if (name === 'linear' || name === 'softmax') return variance;
  if (name === 'relu') return variance / 2;
  const spec = activationSpec(name);
  if (spec.kind === 'softmax') return variance;
  const sigma = Math.sqrt(Math.max(variance, 0));
  const n = INTEGRATION_INTERVALS;
  const h = (2 * INTEGRATION_HALF_WIDTH) / n;
  const z = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) z[i] = sigma * (-INTEGRATION_HALF_WIDTH + i * h);
  const y = spec.kind === 'elementwise' ? tsKernels.unary(spec.op, z, spec.alpha) : noGrad(() => spec.fn(new Tensor(z, [n + 1]))).data;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    const u = -INTEGRATION_HALF_WIDTH + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    s += w * y[i] * y[i] * Math.exp(-0.5 * u * u);
  }
  return (s * h) / 3 / Math.sqrt(2 * Math.PI);
}

/** What the theory needs about one layer. */
export interface LayerTheoryInput {
  /** Activation name (softmax: the ratio is that of the logits). */
  activation: string;
  /** Kernel shape [fanIn, units]. */
  kernelShape: readonly number[];
  /** E[W^2] of the kernel (from `weightSecondMoment`, or measured). */
  weightSecondMoment: number;
  /** E[b^2] of the bias (0 at initialization, 0 without a bias). */
  biasSecondMoment: number;
  /** Measured E[a^2] of the layer's input. */
  inputSecondMoment: number;
}

/**
 * The theoretical ratio q_l / q_{l-1} of the second moments of a layer's output and input (see the
 * module comment), or NaN when the input's second moment is 0.
 * @example theoryVarianceRatio({ activation: 'relu', kernelShape: [100, 100], weightSecondMoment: 0.01, biasSecondMoment: 0, inputSecondMoment: 1 }) // 0.5
 */
export function theoryVarianceRatio(t: LayerTheoryInput): number {
  if (!(t.inputSecondMoment > 0)) return NaN;
  const { fanIn } = computeFans(t.kernelShape);
  const preVariance = fanIn * t.weightSecondMoment * t.inputSecondMoment + t.biasSecondMoment;
  return activationSecondMoment(t.activation, preVariance) / t.inputSecondMoment;
}
