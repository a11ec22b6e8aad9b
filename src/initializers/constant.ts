import type { TypedArray } from '../core/dtype.js';
import { Initializer, type InitializerConfig } from './initializer.js';
import { readFiniteNumber } from './options.js';

/** Default fill value of `Constant` (Keras 3 `Constant(value=0.0)`; TF.js requires the value). */
const DEFAULT_CONSTANT_VALUE = 0;

/** Options of {@link Constant}. */
export interface ConstantOptions {
  /** The fill value: a finite number. Default 0 (Keras 3). */
  value?: number;
}

/**
 * Fills the tensor with one value: w = value.
 *
 * Shapes: any shape -> the same shape, every element `value` (rounded to the dtype).
 *
 * Accepted names: `'constant'`, `'Constant'`. Config: `{ value }`.
 *
 * Follows Keras 3 for the default (0); only a scalar value is accepted (Keras also takes a full-shape
 * array).
 *
 * @throws ValueError when `value` is not a finite number (a NaN weight would poison training silently).
 *
 * Reference: Keras 3 `keras/src/initializers/constant_initializers.py` (`Constant`).
 * @example new Constant({ value: 0.1 }).apply([2]).data // Float32Array [0.1, 0.1] (as float32)
 */
export class Constant extends Initializer {
  static override readonly className = 'Constant';
  static override readonly configKeys = ['value'] as const;

  readonly value: number;

  constructor(options: ConstantOptions = {}) {
    super(options);
    this.value = readFiniteNumber(Constant.className, 'value', options.value, DEFAULT_CONSTANT_VALUE);
  }

  protected fill(data: TypedArray): void {
    data.fill(this.value);
  }

  getConfig(): InitializerConfig {
    return { value: this.value };
  }
}
