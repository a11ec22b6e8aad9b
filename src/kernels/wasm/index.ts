/**
 * WebAssembly SIMD kernels that override the TypeScript reference kernels (`kernels/ts`).
 * Only the hot kernels are here: GEMM, and the fused Dense kernels on that GEMM (bias, activation and
 * bias gradient in TS around it); a caller merges the result over the TS kernel set.
 */
import type { Kernels } from '../kernels.js';
import { gemm, wasmGemmAvailable } from './gemm.js';
import { denseKernelsWith } from '../ts/dense.js';

export { gemm, wasmGemmAvailable, wasmGemmUnavailableReason } from './gemm.js';

/**
 * The WebAssembly kernels this runtime can run, or undefined when none can (no SIMD, or the
 * compiled module cannot be instantiated). Instantiates the embedded module synchronously on first call.
 *
 * @example
 * registerBackend('wasm', loadWasmKernels() ?? {}, BACKEND_PRIORITY.wasm);
 */
export function loadWasmKernels(): Partial<Kernels> | undefined {
  return wasmGemmAvailable() ? { gemm, ...denseKernelsWith(gemm) } : undefined;
}
