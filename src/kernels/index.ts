/**
 * The kernel backends: the registry (src/kernels/registry.ts) with the TypeScript oracle and the
 * WebAssembly SIMD kernels registered. The native addon registers itself from the Node-only entry
 * points (src/kernels/native/register.node.ts, imported by src/index.node.ts and the CLI).
 */
import type { Kernels } from './kernels.js';
import { BACKEND_PRIORITY, backendInfo, registerBackend } from './registry.js';
import { tsKernels } from './ts/index.js';
import { loadWasmKernels, wasmGemmUnavailableReason } from './wasm/index.js';

const wasm = loadWasmKernels();
registerBackend('wasm', wasm ?? {}, BACKEND_PRIORITY.wasm, {
  unavailableReason: wasm === undefined ? `wasm unavailable: ${wasmGemmUnavailableReason()}` : '',
  describe: () => 'WebAssembly SIMD128, one thread',
});

/** Which backend serves GEMM (the active one, or the next below it that implements it). */
export function kernelBackend(): { gemm: string } {
  return { gemm: backendInfo().servedBy.gemm };
}

export {
  kernels, registerBackend, setBackend, resetBackend, getBackend, ready, backendInfo,
  BACKEND_NAMES, BACKEND_PRIORITY, type BackendOptions, type BackendInfo, type BackendListing,
} from './registry.js';
export { tsKernels };
export type { Kernels };
