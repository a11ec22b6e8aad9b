/**
 * BatchNormalization: y = (x - mean) / sqrt(var + epsilon) * gamma + beta, per feature along `axis`.
 *
 * - Training mode (`call(x, { training: true })`, which `fit` uses) on a trainable layer: mean and
 *   variance are the batch's own over every other axis (biased variance: sum((x - mean)^2) / n), and
 *   the moving statistics are updated: moving = momentum * moving + (1 - momentum) * batch. The
 *   moving variance takes the biased batch variance, as Keras 3 does (no n / (n - 1) correction).
 * - Inference mode (`training` false or omitted, as in `predict` and `evaluate`, which never
 *   update the moving statistics): mean and variance are the moving ones.
 * - Mode resolution: the explicit call argument decides (there is no global phase and no flag in
 *   the config). As in Keras 3, a frozen layer (`trainable = false`) always runs in inference mode
 *   and never updates its statistics, which is what fine-tuning a pretrained model needs.
 *
 * The normalization is one fused primitive (`batchNorm`) whose backward rule gives dx, dgamma and
 * dbeta at once, the gradient flowing through the batch statistics in training mode.
 *
 * Shapes: [batch, ..., features, ...] -> same (features at `axis`, default the last).
 * Weights: `<layer>/gamma` and `<layer>/beta` [features] (trainable, when `scale` / `center`),
 * `<layer>/moving_mean` and `<layer>/moving_variance` [features] (never trainable). 4 parameters per
 * feature, 2 of them non-trainable (the book's BN model: 271,346 in all, 2,368 non-trainable).
 * Options: `axis` integer, default -1; `momentum` in [0, 1], default 0.99 (the weight of the old
 * value); `epsilon` > 0, default 0.001; `center`, `scale` default true; initializers default
 * beta 'zeros', gamma 'ones', moving mean 'zeros', moving variance 'ones'.
 * @throws ValueError for momentum outside [0, 1] or epsilon <= 0; at build, for an axis outside the
 *   input's rank or an unknown feature dimension.
 * Reference: Ioffe & Szegedy 2015, arXiv:1502.03167; Keras 3
 * keras/src/layers/normalization/batch_normalization.py.
 * @example x = [[1], [2], [3], [4]], fresh layer, epsilon 1e-3: training output [-1.34110, -0.44703,
 *   0.44703, 1.34110], moving mean 0.025, moving variance 1.0025 (the case of tensorflow/tfjs#562).
 */
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { formatShape, normalizeAxes } from '../core/shape.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { batchNorm } from '../autodiff/primitives.js';
import type { Initializer } from '../initializers/index.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape, resolveInitializer, formatSymbolic } from './layer.js';

export interface BatchNormalizationOptions extends LayerOptions {
  /** The feature axis (negative counts from the end). Default -1. */
  axis?: number;
  /** Weight of the old value in the moving averages, in [0, 1]. Default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root, > 0. Default 0.001. */
  epsilon?: number;
  /** Add the learned offset beta. Default true. */
  center?: boolean;
  /** Multiply by the learned scale gamma. Default true. */
  scale?: boolean;
  betaInitializer?: unknown;
  gammaInitializer?: unknown;
  movingMeanInitializer?: unknown;
  movingVarianceInitializer?: unknown;
  /** Keras's beta regularizer: only null (none) is supported. */
  betaRegularizer?: null;
  /** Keras's gamma regularizer: only null (none) is supported. */
  gammaRegularizer?: null;
  /** Keras's beta constraint: only null (none) is supported. */
  betaConstraint?: null;
  /** Keras's gamma constraint: only null (none) is supported. */
  gammaConstraint?: null;
  /** Keras's cross-replica statistics flag: only false is supported (one device). */
  synchronized?: false;
}

export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  static override readonly optionKeys: readonly string[] = [
    ...LAYER_OPTION_KEYS,
    ...keysOf<Omit<BatchNormalizationOptions, keyof LayerOptions>>({
      axis: true, momentum: true, epsilon: true, center: true, scale: true,
      betaInitializer: true, gammaInitializer: true, movingMeanInitializer: true, movingVarianceInitializer: true,
      betaRegularizer: true, gammaRegularizer: true, betaConstraint: true, gammaConstraint: true, synchronized: true,
    }),
  ];
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;
  /** `axis` resolved against the input rank at build. */
  private featureAxis = -1;

  constructor(options: BatchNormalizationOptions = {}) {
    super(options);
    for (const key of ['betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint'] as const) {
      if (options[key] !== undefined && options[key] !== null) {
        throw new ValueError(`BatchNormalization "${this.name}": ${key} ${JSON.stringify(options[key])} is not supported; deepwell's batch normalization takes no regularizer or constraint on beta/gamma (use null).`);
      }
    }
    if (options.synchronized !== undefined && options.synchronized !== false) {
      throw new ValueError(`BatchNormalization "${this.name}": synchronized ${JSON.stringify(options.synchronized)} is not supported; deepwell trains on one device (use false).`);
    }
    const axis = options.axis ?? -1;
    if (!Number.isInteger(axis)) throw new ValueError(`BatchNormalization: axis must be an integer, received ${String(axis)}.`);
    const momentum = options.momentum ?? 0.99;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
      throw new ValueError(`BatchNormalization: momentum must be a number in [0, 1] (the weight of the old moving value), received ${String(momentum)}. Keras's default is 0.99; PyTorch's momentum 0.1 is Keras's 0.9.`);
    }
    const epsilon = options.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) {
      throw new ValueError(`BatchNormalization: epsilon must be a finite number > 0, received ${String(epsilon)}. Keras's default is 0.001.`);
    }
    this.axis = axis;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.center = options.center ?? true;
    this.scale = options.scale ?? true;
    for (const key of ['center', 'scale'] as const) {
      if (typeof this[key] !== 'boolean') throw new ValueError(`BatchNormalization: ${key} must be true or false, received ${String(options[key])}.`);
    }
    this.betaInitializer = resolveInitializer(options.betaInitializer ?? 'zeros');
    this.gammaInitializer = resolveInitializer(options.gammaInitializer ?? 'ones');
    this.movingMeanInitializer = resolveInitializer(options.movingMeanInitializer ?? 'zeros');
    this.movingVarianceInitializer = resolveInitializer(options.movingVarianceInitializer ?? 'ones');
  }

  /** `new BatchNormalization(config)`. */
  static fromConfig(config: Record<string, unknown>): BatchNormalization {
    return new BatchNormalization(config as BatchNormalizationOptions);
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    if (this.axis < -rank || this.axis >= rank) {
      throw new ValueError(`BatchNormalization "${this.name}": axis ${this.axis} is outside an input of rank ${rank} (${formatSymbolic(inputShape)}).`);
    }
    [this.featureAxis] = normalizeAxes(this.axis, rank);
    const features = inputShape[this.featureAxis];
    if (features === null || features === undefined) {
      throw new ValueError(`BatchNormalization "${this.name}": the feature dimension (axis ${this.axis}) of ${formatSymbolic(inputShape)} must be known.`);
    }
    const shape = [features];
    if (this.scale) this.gamma = this.addWeight('gamma', shape, this.gammaInitializer);
    if (this.center) this.beta = this.addWeight('beta', shape, this.betaInitializer);
    this.movingMean = this.addWeight('moving_mean', shape, this.movingMeanInitializer, false);
    this.movingVariance = this.addWeight('moving_variance', shape, this.movingVarianceInitializer, false);
    this.built = true;
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    const movingMean = this.movingMean as Variable;
    const movingVariance = this.movingVariance as Variable;
    if (x.rank <= this.featureAxis || x.shape[this.featureAxis] !== movingMean.size) {
      throw new ShapeError(`BatchNormalization "${this.name}": expected ${movingMean.size} features on axis ${this.axis}, got shape ${formatShape(x.shape)}.`);
    }
    const common = { axis: this.featureAxis, epsilon: this.epsilon };
    if (options.training === true && this.trainable) {
      const { y, mean, variance } = batchNorm(x, this.gamma, this.beta, common);
      const m = this.momentum;
      for (let c = 0; c < mean.length; c++) {
        movingMean.data[c] = movingMean.data[c] * m + mean[c] * (1 - m);
        movingVariance.data[c] = movingVariance.data[c] * m + variance[c] * (1 - m);
      }
      return y;
    }
    return batchNorm(x, this.gamma, this.beta, { ...common, mean: movingMean.data, variance: movingVariance.data }).y;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: this.betaInitializer.serialize(),
      gammaInitializer: this.gammaInitializer.serialize(),
      movingMeanInitializer: this.movingMeanInitializer.serialize(),
      movingVarianceInitializer: this.movingVarianceInitializer.serialize(),
      betaRegularizer: null,
      gammaRegularizer: null,
      betaConstraint: null,
      gammaConstraint: null,
      synchronized: false,
    };
  }
}
