/**
 * PReLU: y = x for x > 0, alpha * x otherwise, with alpha learned: one value per unit (per
 * element of a sample), or shared along `sharedAxes`. Composed from primitives as
 * where(x > 0, x, alpha * x), so gradients reach both x (1 or alpha) and alpha (x where x <= 0).
 * At x = 0 the derivative takes the negative side (alpha), as leaky_relu's.
 *
 * Shapes: [batch, ...features] -> same. Weight `<layer>/alpha`: the input shape without the batch
 * dimension, with a 1 on each shared axis ([batch, h, w, c] with sharedAxes [1, 2] -> alpha [1, 1, c]).
 * Options: `alphaInitializer`, default 'zeros' (so PReLU starts as ReLU); `sharedAxes`, integers
 * >= 1 counting the batch axis as 0, default none.
 * @throws ValueError for a shared axis outside [1, rank - 1]; at build, for unknown feature dims.
 * Reference: He et al. 2015, arXiv:1502.01852; Keras 3 keras/src/layers/activations/prelu.py.
 * @example PReLU with alpha 0.25 on [[-4, 2]] -> [[-1, 2]]
 */
import { ShapeError, ValueError, keysOf } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import type { Tensor, Variable } from '../core/tensor.js';
import { binary, where } from '../autodiff/primitives.js';
import { mul, scalarLike } from '../ops/arithmetic.js';
import type { Initializer } from '../initializers/index.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape, resolveInitializer, formatSymbolic } from './layer.js';

export interface PReLUOptions extends LayerOptions {
  /** Initializer of alpha: a name, config object or instance. Default 'zeros'. */
  alphaInitializer?: unknown;
  /** Keras's regularizer of alpha: only null (none) is supported. */
  alphaRegularizer?: null;
  /** Keras's constraint of alpha: only null (none) is supported. */
  alphaConstraint?: null;
  /** Axes (>= 1; 0 is the batch) along which one alpha is shared. Default none. */
  sharedAxes?: number | readonly number[] | null;
}

export class PReLU extends Layer {
  static override readonly className = 'PReLU';
  static override readonly optionKeys: readonly string[] = [
    ...LAYER_OPTION_KEYS,
    ...keysOf<Omit<PReLUOptions, keyof LayerOptions>>({ alphaInitializer: true, alphaRegularizer: true, alphaConstraint: true, sharedAxes: true }),
  ];
  readonly alphaInitializer: Initializer;
  readonly sharedAxes: number[] | null;
  alpha: Variable | null = null;

  constructor(options: PReLUOptions = {}) {
    super(options);
    for (const key of ['alphaRegularizer', 'alphaConstraint'] as const) {
      if (options[key] !== undefined && options[key] !== null) {
        throw new ValueError(`PReLU "${this.name}": ${key} ${JSON.stringify(options[key])} is not supported; deepwell's PReLU takes no regularizer or constraint on alpha (use null).`);
      }
    }
    this.alphaInitializer = resolveInitializer(options.alphaInitializer ?? 'zeros');
    const shared = options.sharedAxes ?? null;
    const list = shared === null ? null : typeof shared === 'number' ? [shared] : [...shared];
    if (list !== null && !list.every((a) => Number.isInteger(a) && a >= 1)) {
      throw new ValueError(`PReLU: sharedAxes must be integers >= 1 (axis 0 is the batch), received ${JSON.stringify(shared)}.`);
    }
    this.sharedAxes = list;
  }

  /** `new PReLU(config)`. */
  static fromConfig(config: Record<string, unknown>): PReLU {
    return new PReLU(config as PReLUOptions);
  }

  override build(inputShape: SymbolicShape): void {
    const rank = inputShape.length;
    for (const a of this.sharedAxes ?? []) {
      if (a >= rank) throw new ValueError(`PReLU "${this.name}": shared axis ${a} is outside an input of rank ${rank} (${formatSymbolic(inputShape)}); use axes 1 to ${rank - 1}.`);
    }
    const shape = inputShape.slice(1).map((d, i) => {
      if (this.sharedAxes?.includes(i + 1) === true) return 1;
      if (d === null) throw new ValueError(`PReLU "${this.name}": dimension ${i + 1} of the input ${formatSymbolic(inputShape)} must be known to size alpha (or list it in sharedAxes).`);
      return d;
    });
    this.alpha = this.addWeight('alpha', shape, this.alphaInitializer);
    this.built = true;
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    const alpha = this.alpha as Variable;
    const expected = alpha.shape;
    const features = x.shape.slice(1);
    if (features.length !== expected.length || features.some((d, i) => expected[i] !== 1 && d !== expected[i])) {
      throw new ShapeError(`PReLU "${this.name}": input ${formatShape(x.shape)} does not fit alpha ${formatShape(expected)} (built for samples of that shape).`);
    }
    const positive = binary('greater', x, scalarLike(x, 0));
    return where(positive, x, mul(alpha, x));
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alphaInitializer: this.alphaInitializer.serialize(), alphaRegularizer: null, alphaConstraint: null, sharedAxes: this.sharedAxes === null ? null : [...this.sharedAxes] };
  }
}
