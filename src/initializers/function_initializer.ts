import { type DType, type TypedArray, dtypeOf } from '../core/dtype.js';
import { ShapeError, ValueError } from '../core/errors.js';
import { type Shape, formatShape, shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { Initializer, type InitializerConfig } from './initializer.js';

/** A user function that makes initial values: it must return a Tensor of the requested shape. */
export type InitializerFunction = (shape: Shape, dtype: DType) => Tensor;

/**
 * Wraps an `InitializerFunction` as an `Initializer`, so layers can call `apply` on anything `get`
 * returns. The result is checked: a tensor of another shape throws at once.
 *
 * Not serializable (a function cannot be written as JSON): `getConfig` throws.
 *
 * Follows Keras 3, where `initializers.get(callable)` returns the callable.
 */
export class FunctionInitializer extends Initializer {
  static override readonly className = 'FunctionInitializer';

  constructor(readonly fn: InitializerFunction) {
    super();
    if (typeof fn !== 'function') {
      throw new ValueError(`FunctionInitializer: received ${typeof fn}; expected a function (shape, dtype) => Tensor.`);
    }
  }

  protected fill(data: TypedArray, shape: Shape): void {
    const result = this.fn(shape, dtypeOf(data));
    if (!(result instanceof Tensor) || !shapesEqual(result.shape, shape)) {
      const got = result instanceof Tensor ? `a Tensor of shape ${formatShape(result.shape)}` : String(result);
      throw new ShapeError(`Initializer function ${this.fn.name || '(anonymous)'}: expected a Tensor of shape ${formatShape(shape)}, got ${got}.`);
    }
    data.set(result.data);
  }

  getConfig(): InitializerConfig {
    throw new ValueError(
      `Initializer function ${this.fn.name || '(anonymous)'} cannot be serialized. Use a named initializer (e.g. 'he_normal') ` +
        'or a subclass of Initializer with a registered className.',
    );
  }
}
