import { type TypedArray, allocate, dtypeOf } from '../../core/dtype.js';
import type { UnaryOp } from '../kernels.js';

/** SELU constants (Klambauer et al. 2017, arXiv:1706.02515, eq. 14), as in Keras and PyTorch. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

function outFor(x: TypedArray, out?: TypedArray): TypedArray {
  return out ?? allocate(dtypeOf(x), x.length);
}

/** Stable softplus: log(1 + e^x) = max(x, 0) + log1p(e^-|x|), never overflows. */
function softplus(v: number): number {
  return Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
}

/** Stable logistic sigmoid: 1 / (1 + e^-x) without overflow for large |x|. */
function sigmoid(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** y = op(x) elementwise (see `Kernels.unary`). */
export function unary(op: UnaryOp, x: TypedArray, alpha = 0, out?: TypedArray): TypedArray {
  const y = outFor(x, out);
  const n = x.length;
  switch (op) {
    case 'linear': if (y !== x) y.set(x); break;
    case 'neg': for (let i = 0; i < n; i++) y[i] = -x[i]; break;
    case 'exp': for (let i = 0; i < n; i++) y[i] = Math.exp(x[i]); break;
    case 'log': for (let i = 0; i < n; i++) y[i] = Math.log(x[i]); break;
    case 'sqrt': for (let i = 0; i < n; i++) y[i] = Math.sqrt(x[i]); break;
    case 'abs': for (let i = 0; i < n; i++) y[i] = Math.abs(x[i]); break;
    case 'square': for (let i = 0; i < n; i++) y[i] = x[i] * x[i]; break;
    case 'reciprocal': for (let i = 0; i < n; i++) y[i] = 1 / x[i]; break;
    case 'sign': for (let i = 0; i < n; i++) y[i] = Math.sign(x[i]); break;
    case 'step': for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? 1 : x[i] <= 0 ? 0 : x[i]; break; // NaN stays NaN
    case 'relu': for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v : v <= 0 ? 0 : v; } break;
    case 'sigmoid': for (let i = 0; i < n; i++) y[i] = sigmoid(x[i]); break;
    case 'tanh': for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]); break;
    case 'elu': for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v : alpha * Math.expm1(v); } break;
    case 'selu': for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? SELU_SCALE * v : SELU_SCALE * SELU_ALPHA * Math.expm1(v); } break;
    case 'leaky_relu': for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v > 0 ? v : alpha * v; } break;
    case 'softplus': for (let i = 0; i < n; i++) y[i] = softplus(x[i]); break;
    default: op satisfies never;
  }
  return y;
}

/**
 * dx = dy * op'(x) (see `Kernels.unaryBackward`). Activations read their output y:
 * relu' = [y > 0]; sigmoid' = y(1 - y); tanh' = 1 - y^2; elu' = 1 for y > 0 else y + alpha;
 * selu' = scale for y > 0 else y + scale*alpha; leaky_relu' = 1 for y > 0 else alpha (alpha > 0);
 * softplus' = sigmoid(x) = 1 - e^-y. Elementary ops read x or y as stated beside each case.
 */
export function unaryBackward(op: UnaryOp, x: TypedArray | null, y: TypedArray, dy: TypedArray, alpha = 0, out?: TypedArray): TypedArray {
  const dx = outFor(dy, out);
  const n = dy.length;
  const needX = (): TypedArray => {
    if (x === null) throw new Error(`unaryBackward('${op}') needs the input x`);
    return x;
  };
  switch (op) {
    case 'linear': if (dx !== dy) dx.set(dy); break;
    case 'neg': for (let i = 0; i < n; i++) dx[i] = -dy[i]; break;
    case 'exp': for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i]; break; // d e^x = e^x
    case 'log': { const xv = needX(); for (let i = 0; i < n; i++) dx[i] = dy[i] / xv[i]; break; } // d log x = 1/x
    case 'sqrt': for (let i = 0; i < n; i++) dx[i] = dy[i] / (2 * y[i]); break; // d sqrt x = 1/(2 sqrt x)
    case 'abs': { const xv = needX(); for (let i = 0; i < n; i++) dx[i] = dy[i] * Math.sign(xv[i]); break; }
    case 'square': { const xv = needX(); for (let i = 0; i < n; i++) dx[i] = 2 * xv[i] * dy[i]; break; }
    case 'reciprocal': for (let i = 0; i < n; i++) dx[i] = -dy[i] * y[i] * y[i]; break; // d 1/x = -1/x^2
    case 'sign': case 'step': dx.fill(0, 0, n); break;
    case 'relu': for (let i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0; break;
    case 'sigmoid': for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]); break;
    case 'tanh': for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]); break;
    case 'elu': for (let i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : dy[i] * (y[i] + alpha); break;
    case 'selu': for (let i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] * SELU_SCALE : dy[i] * (y[i] + SELU_SCALE * SELU_ALPHA); break;
    case 'leaky_relu': for (let i = 0; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : dy[i] * alpha; break;
    case 'softplus': for (let i = 0; i < n; i++) dx[i] = dy[i] * -Math.expm1(-y[i]); break;
    default: op satisfies never;
  }
  return dx;
}
