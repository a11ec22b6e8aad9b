/**
 * The kernel interface: pure functions on typed arrays and shapes (no Tensor, no tape).
 *
 * `kernels/ts` implements every kernel and is the oracle; `kernels/wasm` overrides the hot ones
 * (GEMM first). Shape checks and broadcasting are resolved once by the caller (`ops/`, `autodiff/`)
 * before dispatch, so kernels never validate. Every kernel that produces an array accepts an
 * optional preallocated `out` of the right size and dtype and returns it.
 *
 * Shapes are row-major. Arrays are float32 or float64; a kernel keeps the dtype of its first input
 * unless `out` is given.
 */
import type { TypedArray } from '../core/dtype.js';
import type { Shape } from '../core/shape.js';
import type { Conv2DGeometry } from '../core/conv_geometry.js';

/**
 * Elementwise unary primitives, each with a backward kernel (`unaryBackward`). The activations
 * among them run from `relu` on; those in `OUTPUT_DERIVATIVE_OPS` are also the ones a fused Dense
 * applies (their derivative needs only the output). `gelu` (exact, erf form), `gelu_tanh` (tanh
 * approximation), `silu` (x sigmoid(x), also called swish) and `mish` need their input x.
 */
export const UNARY_OPS = [
  'linear', 'neg', 'exp', 'log', 'sqrt', 'abs', 'square', 'reciprocal', 'sign', 'step',
  'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'leaky_relu', 'softplus',
  'gelu', 'gelu_tanh', 'silu', 'mish',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/**
 * Unary ops whose derivative `unaryBackward` computes from the output y alone (x may be null), so a
 * fused primitive that keeps only its output (Dense) can apply them. elu needs alpha >= 0 and
 * leaky_relu alpha > 0 for that (the sign of y then tells the branch).
 */
export const OUTPUT_DERIVATIVE_OPS: readonly UnaryOp[] = [
  'linear', 'neg', 'exp', 'sqrt', 'reciprocal', 'sign', 'step',
  'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'leaky_relu', 'softplus',
];

/** Elementwise binary primitives with NumPy broadcasting. `greater` and `equal` return 1 or 0. */
export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'greater', 'equal'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** Reductions over a set of axes. */
export const REDUCE_OPS = ['sum', 'max'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Pooling reductions over a window. */
export const POOL_OPS = ['max', 'avg'] as const;
export type PoolOp = (typeof POOL_OPS)[number];

export interface Kernels {
  /** y = op(x) elementwise; `alpha` parameterizes elu and leaky_relu. */
  unary(op: UnaryOp, x: TypedArray, alpha?: number, out?: TypedArray): TypedArray;
  /**
   * dx = dy * op'(x) elementwise, given the input `x` and the output `y = op(x)` (either may be
   * used; the ops of `OUTPUT_DERIVATIVE_OPS` accept x = null and use `y`, so a fused layer need not
   * keep its pre-activation; the others throw when x is null).
   * Kinks: relu'(0) = 0, step'(x) = 0, abs'(0) = 0, sign'(x) = 0, leaky_relu'(0) = alpha.
   */
  unaryBackward(op: UnaryOp, x: TypedArray | null, y: TypedArray, dy: TypedArray, alpha?: number, out?: TypedArray): TypedArray;
  /** out = a op b with broadcasting; `outShape` is the broadcast shape, computed by the caller. */
  binary(op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out?: TypedArray): TypedArray;
  /** out = cond != 0 ? a : b, all three broadcast to `outShape`. */
  where(cond: TypedArray, condShape: Shape, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out?: TypedArray): TypedArray;
  /** Reduces `x` over `axes` (sorted, unique, non-negative); the output has those dims removed. */
  reduce(op: ReduceOp, x: TypedArray, shape: Shape, axes: readonly number[], out?: TypedArray): TypedArray;
  /**
   * BLAS-shaped, row-major GEMM: C = alpha * op(A) op(B) + beta * C, with op(A) [m, k], op(B) [k, n],
   * C [m, n]. A is stored [m, k] (or [k, m] when transA); B is stored [k, n] (or [n, k] when transB).
   * When beta is 0, C's previous content is ignored (NaN in C does not propagate).
   */
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: TypedArray, b: TypedArray, beta: number, c: TypedArray): void;
  /** Permutes the axes of `x`: out.shape[i] = shape[perm[i]]. */
  transpose(x: TypedArray, shape: Shape, perm: readonly number[], out?: TypedArray): TypedArray;
  /** The block of `x` starting at `begin` with extent `size` along each axis. */
  slice(x: TypedArray, shape: Shape, begin: readonly number[], size: readonly number[], out?: TypedArray): TypedArray;
  /** Joins arrays along `axis`; all shapes agree except on `axis`. */
  concat(xs: readonly TypedArray[], shapes: readonly Shape[], axis: number, out?: TypedArray): TypedArray;
  /** One-hot rows: out[i, indices[i]] = 1 for `depth` classes; an index outside [0, depth) gives a zero row. */
  oneHot(indices: ArrayLike<number>, depth: number, out?: TypedArray): TypedArray;
  /**
   * Fused Dense forward: y = activation(x W + b) into `y`, one call (bias, GEMM, activation).
   * `activation` is one of OUTPUT_DERIVATIVE_OPS; `bias` may be null.
   * Shapes: x [rows, inFeatures], kernel [inFeatures, units], bias [units], y [rows, units].
   */
  denseForward(x: TypedArray, kernel: TypedArray, bias: TypedArray | null, rows: number, inFeatures: number,
    units: number, activation: UnaryOp, alpha: number, y: TypedArray): void;
  /**
   * Fused Dense backward from the output y and its gradient dy: dz = dy activation'(y),
   * dx = dz W^T [rows, inFeatures], dW = x^T dz [inFeatures, units], db = sum over rows of dz [units].
   * Each of dx, dW, db is written when not null.
   */
  denseBackward(x: TypedArray, kernel: TypedArray, y: TypedArray, dy: TypedArray, rows: number, inFeatures: number,
    units: number, activation: UnaryOp, alpha: number, dx: TypedArray | null, dW: TypedArray | null, db: TypedArray | null): void;
  /**
   * The patches of a channels-last x [batch, inH, inW, inC] as the rows of a matrix
   * [batch outH outW, kH kW inC] (column (i kW + j) inC + c; zero in the padding), so a convolution
   * is one GEMM with the kernel [kH kW inC, outC].
   */
  im2col(x: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray;
  /** The adjoint of `im2col`: sums the rows back into [batch, inH, inW, inC] (out is overwritten). */
  col2im(cols: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray;
  /** Depthwise convolution: kernel [kH, kW, inC, multiplier] -> out [batch, outH, outW, inC multiplier] (channel c multiplier + m). */
  depthwiseConv2d(x: TypedArray, kernel: TypedArray, g: Conv2DGeometry, multiplier: number, out?: TypedArray): TypedArray;
  /** The gradient of `depthwiseConv2d` with respect to x, from dy [batch, outH, outW, inC multiplier]. */
  depthwiseConv2dBackwardInput(dy: TypedArray, kernel: TypedArray, g: Conv2DGeometry, multiplier: number, out?: TypedArray): TypedArray;
  /** The gradient of `depthwiseConv2d` with respect to the kernel [kH, kW, inC, multiplier]. */
  depthwiseConv2dBackwardFilter(x: TypedArray, dy: TypedArray, g: Conv2DGeometry, multiplier: number, out?: TypedArray): TypedArray;
  /** Max or average pooling per channel; padding taps are skipped (never a max, not counted in an average). */
  pool2d(op: PoolOp, x: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray;
  /**
   * The gradient of `pool2d` with respect to x. Max: all of a window's dy goes to the FIRST maximum
   * in row-major window order (ties: one element, as TensorFlow); average: dy / count to each tap.
   */
  pool2dBackward(op: PoolOp, x: TypedArray, dy: TypedArray, g: Conv2DGeometry, out?: TypedArray): TypedArray;
  /**
   * The epilogue of a convolution's GEMM: out[r, c] = activation(x[r, c] + bias[c]) over x
   * [rows, channels] (bias [channels] or null; `out` may be x). `activation` is one of
   * OUTPUT_DERIVATIVE_OPS.
   */
  biasActivation(x: TypedArray, bias: TypedArray | null, rows: number, channels: number,
    activation: UnaryOp, alpha: number, out?: TypedArray): TypedArray;
  /**
   * Its backward from the output y and dy [rows, channels]: returns dz = dy activation'(y) (into
   * `dz`, which may be dy; omitted: a new array, or dy itself for 'linear') and writes
   * db[c] = sum over rows of dz[r, c] when `db` is not null (summed in float64, rounded once).
   */
  biasActivationBackward(y: TypedArray, dy: TypedArray, rows: number, channels: number,
    activation: UnaryOp, alpha: number, db: TypedArray | null, dz?: TypedArray): TypedArray;
  /**
   * Fused batch normalization forward, x viewed as [outer, features, inner] (the feature axis in the
   * middle). Training: writes the batch's mean and biased variance per feature to `mean` and
   * `variance` (float64 sums, mean first then squared deviations); inference: reads them. Writes
   * invStd = 1 / sqrt(variance + epsilon) and y = (x - mean) gamma invStd + beta (gamma, beta may be null).
   * Shapes: x and y [outer features inner], gamma, beta, mean, variance, invStd [features].
   */
  batchNormForward(x: TypedArray, outer: number, features: number, inner: number, gamma: TypedArray | null,
    beta: TypedArray | null, epsilon: number, training: boolean, mean: Float64Array, variance: Float64Array,
    invStd: Float64Array, y: TypedArray): void;
  /**
   * Fused batch normalization backward from x, dy and the forward's mean and invStd: writes
   * sumDy = sum dy (beta's gradient) and sumDyXhat = sum dy (x - mean) invStd (gamma's) per feature,
   * and dx (when not null) = gamma invStd (dy - sumDy / n - xhat sumDyXhat / n) in training
   * (n = outer inner: the statistics depend on x), gamma invStd dy in inference.
   */
  batchNormBackward(x: TypedArray, dy: TypedArray, outer: number, features: number, inner: number,
    gamma: TypedArray | null, mean: Float64Array, invStd: Float64Array, training: boolean,
    dx: TypedArray | null, sumDy: Float64Array, sumDyXhat: Float64Array): void;
  /**
   * Fused softmax + crossentropy over the last axis, one pass per row of logits z and targets t
   * [rows, classes]: loss[r] = -sum_c t_c log_softmax(z)_c (stable: z - max first); logSumExp[r] =
   * log sum exp z; dLogits (when not null) = softmax(z) sum_c t_c - t, the gradient of loss[r] with
   * respect to z. Float64 arithmetic, each stored value rounded once.
   */
  softmaxCrossentropy(logits: TypedArray, targets: TypedArray, rows: number, classes: number, loss: TypedArray,
    dLogits: TypedArray | null, logSumExp: Float64Array): void;
  /**
   * Index of the first NaN or infinite element of x, or -1 when every element is finite (the
   * non-finite monitor scans every activation and gradient of a step with it).
   */
  firstNonFinite(x: TypedArray): number;
  /**
   * Fused Adam step on one weight, in place, one pass over w, g, m, v (all the same length):
   * m <- m + (g - m)(1 - beta1); v <- v + (g^2 - v)(1 - beta2); w <- w - alpha m / (sqrt(v) + epsilon),
   * where the caller folds the bias corrections into alpha = lr sqrt(1 - beta2^t) / (1 - beta1^t).
   * Arithmetic in float64 with each stored value rounded once, so every backend gives the same bits.
   */
  adamUpdate(w: TypedArray, g: TypedArray, m: TypedArray, v: TypedArray, alpha: number,
    beta1: number, beta2: number, epsilon: number): void;
  /**
   * Fused SGD step on one weight, in place: velocity null: w <- w - lr g; else v <- momentum v - lr g
   * and w <- w + v, or w <- w + momentum v - lr g when `nesterov` (Keras's form). Float64
   * arithmetic, each stored value rounded once (same bits on every backend).
   */
  sgdUpdate(w: TypedArray, g: TypedArray, velocity: TypedArray | null, lr: number, momentum: number, nesterov: boolean): void;
}
