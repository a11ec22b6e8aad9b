import type { TypedArray } from '../core/dtype.js';
import { Initializer, type InitializerConfig } from './initializer.js';

/**
 * Fills the tensor with 0. The usual bias initializer (Keras's default `bias_initializer`).
 *
 * Shapes: any shape -> the same shape, all zeros.
 *
 * Accepted names: `'zeros'`, `'zero'`, `'Zeros'`. Config: `{}`.
 *
 * Reference: Keras 3 `keras/src/initializers/constant_initializers.py` (`Zeros`); same in TF.js.
 * @example new Zeros().apply([2, 3]).data // Float32Array [0, 0, 0, 0, 0, 0]
 */
export class Zeros extends Initializer {
  static override readonly className = 'Zeros';
  static override readonly configKeys = [] as const;

  /** Takes no options (an empty options object is accepted, for `fromConfig({})`). */
  constructor(options: Readonly<Record<string, never>> = {}) {
    super(options);
  }

  protected fill(data: TypedArray): void {
    data.fill(0);
  }

  getConfig(): InitializerConfig {
    return {};
  }
}
