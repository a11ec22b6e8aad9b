import { type TypedArray, allocate, dtypeOf } from '../../core/dtype.js';
import type { UnaryOp } from '../kernels.js';

/** SELU constants (Klambauer et al. 2017, arXiv:1706.02515, eq. 14), as in Keras and PyTorch. */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/** sqrt(2 / pi), the slope of the tanh-form GELU's inner polynomial (Hendrycks & Gimpel 2016). */
export const GELU_TANH_C = 0.7978845608028654;
/** The cubic coefficient of the tanh-form GELU, 0.044715 (Hendrycks & Gimpel 2016, arXiv:1606.08415). */
export const GELU_TANH_K = 0.044715;
/** 1 / sqrt(2 pi), the standard normal density at 0. */
const INV_SQRT_2PI = 0.3989422804014327;
/** 1 / sqrt(pi). */
const INV_SQRT_PI = 0.5641895835477563;

/*
 * erf and erfc to float64 accuracy by W. J. Cody's rational Chebyshev approximations:
 * W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969),
 * 631-638, as in his public-domain SPECFUN routine CALERF (netlib.org/specfun/erf, Argonne, 1990),
 * which approximates erf and erfc to at least 18 significant digits. Three intervals of |x|:
 *   [0, 0.46875]:  erf(x) = x A(x^2) / B(x^2)
 *   (0.46875, 4]:  erfc(x) = e^(-x^2) C(x) / D(x)
 *   (4, 26.543):   erfc(x) = e^(-x^2) (1/sqrt(pi) - z P(z) / Q(z)) / x, z = 1/x^2
 * and erfc(x) = 0 beyond 26.543 (it underflows). e^(-x^2) is formed as e^(-s^2) e^(-(x-s)(x+s))
 * with s = x rounded down to a multiple of 1/16, so the rounding of x^2 does not cost accuracy.
 * (Abramowitz & Stegun 7.1.26, accurate to only 1.5e-7, is not used.)
 */
const ERF_A = [3.16112374387056560e0, 1.13864154151050156e2, 3.77485237685302021e2, 3.20937758913846947e3, 1.85777706184603153e-1];
const ERF_B = [2.36012909523441209e1, 2.44024637934444173e2, 1.28261652607737228e3, 2.84423683343917062e3];
const ERFC_C = [
  5.64188496988670089e-1, 8.88314979438837594e0, 6.61191906371416295e1, 2.98635138197400131e2, 8.81952221241769090e2,
  1.71204761263407058e3, 2.05107837782607147e3, 1.23033935479799725e3, 2.15311535474403846e-8,
];
const ERFC_D = [
  1.57449261107098347e1, 1.17693950891312499e2, 5.37181101862009858e2, 1.62138957456669019e3, 3.29079923573345963e3,
  4.36261909014324716e3, 3.43936767414372164e3, 1.23033935480374942e3,
];
const ERFC_P = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const ERFC_Q = [2.56852019228982242e0, 1.87295284992346047e0, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
/** Below this |x|, erf uses the small-argument formula. */
const ERF_THRESHOLD = 0.46875;
/** Beyond this |x|, erfc(|x|) underflows to 0 in float64 (Cody's XBIG). */
const ERFC_XBIG = 26.543;

/** erf(x) for |x| <= ERF_THRESHOLD: x A(x^2) / B(x^2). */
function erfSmall(x: number): number {
  const z = x * x;
  let num = ERF_A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + ERF_A[i]) * z;
    den = (den + ERF_B[i]) * z;
  }
  return (x * (num + ERF_A[3])) / (den + ERF_B[3]);
}

/** erfcx(y) = e^(y^2) erfc(y), for y > ERF_THRESHOLD (or NaN): the rational part of Cody's erfc. */
function erfcxLarge(y: number): number {
  if (y <= 4) {
    let num = ERFC_C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + ERFC_C[i]) * y;
      den = (den + ERFC_D[i]) * y;
    }
    return (num + ERFC_C[7]) / (den + ERFC_D[7]);
  }
  const z = 1 / (y * y);
  let num = ERFC_P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + ERFC_P[i]) * z;
    den = (den + ERFC_Q[i]) * z;
  }
  return (INV_SQRT_PI - (z * (num + ERFC_P[4])) / (den + ERFC_Q[4])) / y;
}

/**
 * e^(-c x^2) as e^(-c s^2) e^(-c (x - s)(x + s)), s = x truncated to a multiple of 1/16: s^2 is
 * exact, so the rounding of x^2 (relative error eps, i.e. an error of eps c x^2 in the result) is
 * avoided (Cody's device). 0 for infinite x.
 */
function expNegSquare(x: number, c: number): number {
  if (x === Infinity || x === -Infinity) return 0;
  const s = Math.trunc(x * 16) / 16;
  return Math.exp(-c * s * s) * Math.exp(-c * (x - s) * (x + s));
}

/** erfc(y) for y > ERF_THRESHOLD (or NaN). */
function erfcLarge(y: number): number {
  return y >= ERFC_XBIG ? 0 : expNegSquare(y, 1) * erfcxLarge(y);
}

/** The error function erf(x) = 2/sqrt(pi) * integral_0^x e^(-t^2) dt, to about 1e-16 relative (Cody 1969). */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= ERF_THRESHOLD) return erfSmall(x);
  const r = 0.5 - erfcLarge(y) + 0.5;
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 - erf(x), accurate in its tail (erfc(10) = 2.088e-45). */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= ERF_THRESHOLD) return 1 - erfSmall(x);
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}

/**
 * The standard normal CDF Phi(x) = 0.5 erfc(-x / sqrt 2), accurate to about 1e-15 relative even
 * deep in the lower tail: the Gaussian factor is e^(-x^2/2) formed from x itself, so the rounding
 * of x / sqrt 2 only enters the slowly varying rational part.
 */
export function normalCdf(x: number): number {
  const t = -x * Math.SQRT1_2;
  const y = Math.abs(t);
  if (y <= ERF_THRESHOLD) return 0.5 - 0.5 * erfSmall(t);
  const tail = 0.5 * erfcxLarge(y) * expNegSquare(x, 0.5);
  return t > 0 ? tail : 1 - tail;
}

/** Exact GELU: x Phi(x) = 0.5 x (1 + erf(x / sqrt 2)), without the cancellation of 1 + erf for x << 0. */
function gelu(v: number): number {
  return v * normalCdf(v);
}

/** tanh-form GELU: 0.5 x (1 + tanh(u)) = x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3). */
function geluTanh(v: number): number {
  return v * sigmoid(2 * GELU_TANH_C * (v + GELU_TANH_K * v * v * v));
}

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
    case 'gelu': for (let i = 0; i < n; i++) y[i] = gelu(x[i]); break;
    case 'gelu_tanh': for (let i = 0; i < n; i++) y[i] = geluTanh(x[i]); break;
    case 'silu': for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v * sigmoid(v); } break;
    case 'mish': for (let i = 0; i < n; i++) { const v = x[i]; y[i] = v * Math.tanh(softplus(v)); } break;
    default: op satisfies never;
  }
  return y;
}

/**
 * dx = dy * op'(x) (see `Kernels.unaryBackward`). The activations of `OUTPUT_DERIVATIVE_OPS` read
 * their output y: relu' = [y > 0]; sigmoid' = y(1 - y); tanh' = 1 - y^2; elu' = 1 for y > 0 else
 * y + alpha; selu' = scale for y > 0 else y + scale*alpha; leaky_relu' = 1 for y > 0 else alpha;
 * softplus' = sigmoid(x) = 1 - e^-y. elu, selu and leaky_relu take the branch from x when it is
 * given (right for any alpha). The smooth activations read x:
 * gelu' = Phi(x) + x phi(x); gelu_tanh' = s + x s(1 - s) 2u' with s = sigmoid(2u), u' = sqrt(2/pi)(1 + 3k x^2);
 * silu' = s(1 + x(1 - s)) with s = sigmoid(x); mish' = t + x (1 - t^2) sigmoid(x) with t = tanh(softplus(x)).
 * Elementary ops read x or y as stated beside each case.
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
    case 'elu': { const s = x ?? y; for (let i = 0; i < n; i++) dx[i] = s[i] > 0 ? dy[i] : dy[i] * (y[i] + alpha); break; }
    case 'selu': { const s = x ?? y; for (let i = 0; i < n; i++) dx[i] = s[i] > 0 ? dy[i] * SELU_SCALE : dy[i] * (y[i] + SELU_SCALE * SELU_ALPHA); break; }
    case 'leaky_relu': { const s = x ?? y; for (let i = 0; i < n; i++) dx[i] = s[i] > 0 ? dy[i] : dy[i] * alpha; break; }
    case 'softplus': for (let i = 0; i < n; i++) dx[i] = dy[i] * -Math.expm1(-y[i]); break;
    case 'gelu': { // Phi(x) + x phi(x)
      const xv = needX();
      for (let i = 0; i < n; i++) {
        const v = xv[i];
        const density = INV_SQRT_2PI * expNegSquare(v, 0.5);
        dx[i] = dy[i] * (normalCdf(v) + (density === 0 ? 0 : v * density));
      }
      break;
    }
    case 'gelu_tanh': { // s + x s(1 - s) 2 sqrt(2/pi) (1 + 3k x^2), s = sigmoid(2u)
      const xv = needX();
      for (let i = 0; i < n; i++) {
        const v = xv[i];
        const s = sigmoid(2 * GELU_TANH_C * (v + GELU_TANH_K * v * v * v));
        const ds = s * (1 - s);
        // ds underflows to 0 long before v^2 overflows; skip the product so 0 * Infinity never makes NaN.
        dx[i] = dy[i] * (ds === 0 ? s : s + v * ds * 2 * GELU_TANH_C * (1 + 3 * GELU_TANH_K * v * v));
      }
      break;
    }
    case 'silu': { // s (1 + x (1 - s)), s = sigmoid(x)
      const xv = needX();
      for (let i = 0; i < n; i++) { const v = xv[i]; const s = sigmoid(v); dx[i] = dy[i] * s * (1 + v * (1 - s)); }
      break;
    }
    case 'mish': { // t + x (1 - t^2) sigmoid(x), t = tanh(softplus(x))
      const xv = needX();
      for (let i = 0; i < n; i++) {
        const v = xv[i];
        const t = Math.tanh(softplus(v));
        const s = sigmoid(v);
        dx[i] = dy[i] * (s === 0 ? t : t + v * (1 - t * t) * s);
      }
      break;
    }
    default: op satisfies never;
  }
  return dx;
}
