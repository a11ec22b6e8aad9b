/**
 * WebAssembly SIMD kernels that override the TypeScript reference kernels (`kernels/ts`).
 * Only the hot kernels are here (GEMM so far); a caller merges the result over the TS kernel set.
 */
import type { Kernels } from '../kernels.js';
import { gemm, wasmGemmAvailable } from './gemm.js';

export { gemm, wasmGemmAvailable, wasmGemmUnavailableReason } from './gemm.js';

/**
 * The WebAssembly kernels this runtime can run, or undefined when none can (no SIMD, the compiled
 * module missing, or `DEEPWELL_KERNELS=ts`). Loads build/gemm.wasm synchronously on first call.
 *
 * @example
 * const kernels: Kernels = { ...tsKernels, ...(loadWasmKernels() ?? {}) };
 */
export function loadWasmKernels(): Partial<Kernels> | undefined {
  return wasmGemmAvailable() ? { gemm } : undefined;
}
