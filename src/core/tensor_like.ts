/**
 * TensorLike: data in the shapes people have it, as `fit`, `evaluate` and `predict` accept it:
 *
 * - a `Tensor` (used as is);
 * - nested JS arrays of numbers (`[[0.1, 2], [0.3, 4]]`), converted with `tensor()`;
 * - a typed array or array of numbers with its shape, `{ data, shape }` (`{ data: pixels, shape: [n, 28, 28] }`);
 * - a flat typed array alone, read as 1-D (`y` labels as an `Int32Array` or `Uint8Array`).
 *
 * Everything that is not already a Tensor becomes float32 (the dtype of the weights).
 */
import type { TypedArray } from './dtype.js';
import { ShapeError, ValueError } from './errors.js';
import { type Shape, checkShape, formatShape, sizeOf } from './shape.js';
import { type NestedArray, Tensor, tensor } from './tensor.js';

/** A typed array (or plain array) of numbers with its row-major shape. */
export interface DataWithShape {
  data: TypedArray | Int32Array | Uint8Array | Uint16Array | Int16Array | Int8Array | Uint32Array | readonly number[];
  shape: Shape;
}

export type TensorLike = Tensor | NestedArray | DataWithShape | TypedArray | Int32Array | Uint8Array | Uint16Array | Int16Array | Int8Array | Uint32Array;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object with keys ${Object.keys(value).map((k) => `'${k}'`).join(', ') || '(none)'}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * The Tensor for a TensorLike value.
 * @param owner - the caller as the message names it (`'Sequential.fit'`).
 * @param what - the argument (`'x'`, `'y'`, `'validationData[0]'`).
 * @throws ValueError for a value of another kind (a string, null, an object without `data` and
 *   `shape`); ShapeError for ragged nested arrays or data whose length does not fill its shape.
 */
export function toTensor(owner: string, what: string, value: TensorLike): Tensor {
  if (value instanceof Tensor) return value;
  if (Array.isArray(value)) {
    if (value.length === 0) throw new ShapeError(`${owner}: ${what} is an empty array; expected at least one sample.`);
    try {
      return tensor(value as NestedArray);
    } catch (e) {
      if (e instanceof ShapeError) throw new ShapeError(`${owner}: ${what}: ${e.message} Every sample must have the same number of features, all numbers.`);
      throw e;
    }
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return tensor(value as unknown as ArrayLike<number>);
  }
  if (value !== null && typeof value === 'object' && 'data' in value && 'shape' in value) {
    const { data, shape } = value as DataWithShape;
    if (!Array.isArray(shape)) throw new ShapeError(`${owner}: ${what}.shape must be an array of dimensions (e.g. [60000, 28, 28]), received ${describe(shape)}.`);
    checkShape(shape, `${what}.shape`);
    if (!(Array.isArray(data) || (ArrayBuffer.isView(data) && !(data instanceof DataView)))) {
      throw new ValueError(`${owner}: ${what}.data must be a typed array or an array of numbers, received ${describe(data)}.`);
    }
    if (data.length !== sizeOf(shape)) {
      throw new ShapeError(`${owner}: ${what}.data has ${data.length} values but ${what}.shape ${formatShape(shape)} needs ${sizeOf(shape)}.`);
    }
    return tensor(data as ArrayLike<number>, shape);
  }
  throw new ValueError(`${owner}: ${what} must be a Tensor, nested arrays of numbers, a typed array, or { data, shape }; received ${describe(value)}.`);
}
