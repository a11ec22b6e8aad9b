/** Elementwise arithmetic on tensors (thin, named wrappers over the primitives). */
import { allocate } from '../core/dtype.js';
import { Tensor } from '../core/tensor.js';
import { binary, unary } from '../autodiff/primitives.js';

/** A scalar tensor of `x`'s dtype (for mixing numbers into expressions). */
export function scalarLike(x: Tensor, value: number): Tensor {
  const d = allocate(x.dtype, 1);
  d[0] = value;
  return new Tensor(d, []);
}

const asTensor = (like: Tensor, v: Tensor | number): Tensor => (typeof v === 'number' ? scalarLike(like, v) : v);

/** a + b with broadcasting. */
export const add = (a: Tensor, b: Tensor | number): Tensor => binary('add', a, asTensor(a, b));
/** a - b with broadcasting. */
export const sub = (a: Tensor, b: Tensor | number): Tensor => binary('sub', a, asTensor(a, b));
/** a * b with broadcasting. */
export const mul = (a: Tensor, b: Tensor | number): Tensor => binary('mul', a, asTensor(a, b));
/** a / b with broadcasting. */
export const div = (a: Tensor, b: Tensor | number): Tensor => binary('div', a, asTensor(a, b));
/** max(a, b) elementwise. */
export const maximum = (a: Tensor, b: Tensor | number): Tensor => binary('maximum', a, asTensor(a, b));
/** min(a, b) elementwise. */
export const minimum = (a: Tensor, b: Tensor | number): Tensor => binary('minimum', a, asTensor(a, b));
/** a ^ b elementwise. */
export const pow = (a: Tensor, b: Tensor | number): Tensor => binary('pow', a, asTensor(a, b));
/** -x. */
export const neg = (x: Tensor): Tensor => unary('neg', x);
/** e^x. */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x);
/** Square root. */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** |x|. */
export const abs = (x: Tensor): Tensor => unary('abs', x);
/** x^2. */
export const square = (x: Tensor): Tensor => unary('square', x);
/** Clips x to [lo, hi]. */
export const clip = (x: Tensor, lo: number, hi: number): Tensor => minimum(maximum(x, lo), hi);
