/**
 * ELU: y = x for x > 0, alpha (e^x - 1) otherwise.
 *
 * Shapes: any -> same.
 * Options: `alpha`, a finite number, default 1 (the value the negative side saturates to is -alpha).
 * @throws ValueError for a non-finite alpha.
 * Reference: Clevert et al. 2015, arXiv:1511.07289; Keras 3 keras/src/layers/activations/elu.py
 * (`alpha=1.0`; deepwell also serializes alpha, which Keras 3's get_config omits).
 * @example new ELU().apply(tensor([-1, 2])) // [e^-1 - 1, 2] = [-0.632121, 2]
 */
import { ValueError, keysOf } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { unary } from '../autodiff/primitives.js';
import { ELU_ALPHA } from '../activations/activations.js';
import { type CallOptions, LAYER_OPTION_KEYS, Layer, type LayerOptions, type SymbolicShape } from './layer.js';

export interface ELUOptions extends LayerOptions {
  /** Scale of the negative side, a finite number. Default 1. */
  alpha?: number;
}

export class ELU extends Layer {
  static override readonly className = 'ELU';
  static override readonly optionKeys: readonly string[] = [...LAYER_OPTION_KEYS, ...keysOf<Omit<ELUOptions, keyof LayerOptions>>({ alpha: true })];
  readonly alpha: number;

  constructor(options: ELUOptions = {}) {
    super(options);
    const alpha = options.alpha ?? ELU_ALPHA;
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
      throw new ValueError(`ELU: alpha must be a finite number, received ${String(alpha)}. The usual value is 1.`);
    }
    this.alpha = alpha;
  }

  /** `new ELU(config)`. */
  static fromConfig(config: Record<string, unknown>): ELU {
    return new ELU(config as ELUOptions);
  }

  call(x: Tensor, _options: CallOptions = {}): Tensor {
    return unary('elu', x, this.alpha);
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
