import type { TypedArray } from '../../core/dtype.js';
import type { Kernels, UnaryOp } from '../kernels.js';
import { gemm as tsGemm } from './gemm.js';
import { reduce } from './reduce.js';
import { unary, unaryBackward } from './unary.js';

/**
 * The fused Dense kernels built on a given GEMM: the TS oracle uses the TS GEMM; the wasm backend
 * passes its SIMD GEMM, so its Dense layers run their three GEMMs in WebAssembly while bias,
 * activation and bias gradient stay in these TS loops (same results as the oracle up to GEMM rounding).
 */
export function denseKernelsWith(gemm: Kernels['gemm']): Pick<Kernels, 'denseForward' | 'denseBackward'> {
  return {
    /**
     * Fused Dense forward (see `Kernels.denseForward`): y = activation(x W + b), the bias copied into
     * each row of y, then GEMM with beta = 1, then the activation in place.
     * Shapes: x [rows, inFeatures], kernel [inFeatures, units], bias [units] -> y [rows, units].
     */
    denseForward(x: TypedArray, kernel: TypedArray, bias: TypedArray | null, rows: number,
      inFeatures: number, units: number, activation: UnaryOp, alpha: number, y: TypedArray): void {
      if (bias !== null) {
        for (let r = 0; r < rows; r++) y.set(bias.subarray(0, units), r * units);
      }
      gemm(false, false, rows, units, inFeatures, 1, x, kernel, bias !== null ? 1 : 0, y);
      if (activation !== 'linear') unary(activation, y, alpha, y);
    },
    /**
     * Fused Dense backward (see `Kernels.denseBackward`): dz = dy activation'(y); dx = dz W^T;
     * dW = x^T dz; db = sum over rows of dz. Outputs that are null are not computed.
     */
    denseBackward(x: TypedArray, kernel: TypedArray, y: TypedArray, dy: TypedArray, rows: number,
      inFeatures: number, units: number, activation: UnaryOp, alpha: number,
      dx: TypedArray | null, dW: TypedArray | null, db: TypedArray | null): void {
      const dz = activation === 'linear' ? dy : unaryBackward(activation, null, y, dy, alpha);
      if (dx !== null) gemm(false, true, rows, inFeatures, units, 1, dz, kernel, 0, dx);
      if (dW !== null) gemm(true, false, inFeatures, units, rows, 1, x, dz, 0, dW);
      if (db !== null) reduce('sum', dz, [rows, units], [0], db);
    },
  };
}

/** The oracle's fused Dense kernels (TS GEMM). */
export const { denseForward, denseBackward } = denseKernelsWith(tsGemm);
