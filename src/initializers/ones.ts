import type { TypedArray } from '../core/dtype.js';
import { Initializer, type InitializerConfig } from './initializer.js';

/**
 * Fills the tensor with 1 (e.g. the scale `gamma` of batch normalization).
 *
 * Shapes: any shape -> the same shape, all ones.
 *
 * Accepted names: `'ones'`, `'one'`, `'Ones'`. Config: `{}`.
 *
 * Reference: Keras 3 `keras/src/initializers/constant_initializers.py` (`Ones`); same in TF.js.
 * @example new Ones().apply([2]).data // Float32Array [1, 1]
 */
export class Ones extends Initializer {
  static override readonly className = 'Ones';
  static override readonly configKeys = [] as const;

  /** Takes no options (an empty options object is accepted, for `fromConfig({})`). */
  constructor(options: Readonly<Record<string, never>> = {}) {
    super(options);
  }

  protected fill(data: TypedArray): void {
    data.fill(1);
  }

  getConfig(): InitializerConfig {
    return {};
  }
}
