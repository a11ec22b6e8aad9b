/**
 * The data of a model with several inputs or outputs: one array per input (or output), given as a
 * list in the model's order or as an object keyed by input (output) name, as Keras's `fit(x, y)`
 * takes them. A one-input (one-output) model takes its array as before (any `TensorLike`).
 *
 * Reference: Keras 3 keras/src/trainers/data_adapters (lists and dicts of arrays; dict keys are the
 * names of the model's inputs and outputs).
 */
import { ShapeError, ValueError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { type TensorLike, toTensor } from '../core/tensor_like.js';
import { checkFiniteData } from './check_finite.js';

/** Data for a model: one `TensorLike`, a list of them (one per input/output) or an object keyed by name. */
export type ModelData = TensorLike | readonly TensorLike[] | Readonly<Record<string, TensorLike>>;

/**
 * One tensor per name (checked for NaN/Infinity when `checkFinite`).
 * @throws ValueError for a list of the wrong length, an object with missing or unknown names, or
 *   data of another kind; ShapeError when the tensors have different numbers of samples.
 */
export function toTensorList(owner: string, what: 'x' | 'y' | string, value: ModelData, names: readonly string[], checkFinite = true): Tensor[] {
  let list: TensorLike[];
  if (names.length === 1) {
    const single = Array.isArray(value) && value.length === 1 && value[0] instanceof Tensor ? value[0]
      : isNamed(value) && Object.keys(value).length === 1 && Object.hasOwn(value, names[0]) ? (value as Record<string, TensorLike>)[names[0]] : value;
    list = [single as TensorLike];
  } else if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new ValueError(`${owner}: ${what} is a list of ${value.length} arrays for the model's ${names.length} ${what === 'x' ? 'inputs' : 'outputs'} (${names.join(', ')}); pass one array per ${what === 'x' ? 'input' : 'output'}, in that order, or an object keyed by name.`);
    }
    list = [...(value as TensorLike[])];
  } else if (isNamed(value)) {
    const keys = Object.keys(value);
    const missing = names.filter((n) => !keys.includes(n));
    const unknown = keys.filter((k) => !names.includes(k));
    if (missing.length > 0 || unknown.length > 0) {
      throw new ValueError(`${owner}: ${what} is keyed by ${keys.map((k) => `'${k}'`).join(', ')}; expected exactly the names ${names.map((n) => `'${n}'`).join(', ')}${missing.length > 0 ? ` (missing ${missing.join(', ')})` : ''}${unknown.length > 0 ? ` (unknown ${unknown.join(', ')})` : ''}.`);
    }
    list = names.map((n) => (value as Record<string, TensorLike>)[n]);
  } else {
    throw new ValueError(`${owner}: the model has ${names.length} ${what === 'x' ? 'inputs' : 'outputs'} (${names.join(', ')}), so ${what} must be a list of ${names.length} arrays or an object keyed by those names; received ${value instanceof Tensor ? `one Tensor ${formatShape(value.shape)}` : typeof value}.`);
  }
  const tensors = list.map((v, i) => toTensor(owner, names.length === 1 ? what : `${what}['${names[i]}']`, v));
  tensors.forEach((t, i) => {
    if (names.length > 1 && (t.rank === 0 || t.shape[0] !== tensors[0].shape[0])) {
      throw new ShapeError(`${owner}: ${what}['${names[i]}'] ${formatShape(t.shape)} has ${t.rank === 0 ? 'no sample axis' : `${t.shape[0]} samples`}, ${what}['${names[0]}'] ${tensors[0].shape[0]}; every array needs the same number of samples (first dimension).`);
    }
    if (checkFinite) checkFiniteData(owner, names.length === 1 ? what : `${what}['${names[i]}']`, t);
  });
  return tensors;
}

/** Whether a value is an object keyed by names (not a Tensor, an array, a typed array or `{ data, shape }`). */
function isNamed(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Tensor) && !ArrayBuffer.isView(value) && !('data' in value && 'shape' in value);
}
