/**
 * The active kernel set: the TypeScript kernels with the WebAssembly overrides that loaded
 * (`DEEPWELL_KERNELS=ts` in the environment keeps the TypeScript ones only).
 */
import type { Kernels } from './kernels.js';
import { tsKernels } from './ts/index.js';
import { loadWasmKernels } from './wasm/index.js';

const wasm = loadWasmKernels();

/** The kernels every op dispatches to. */
export const kernels: Kernels = { ...tsKernels, ...(wasm ?? {}) };

/** Which implementation serves each overridden kernel ('wasm') or all the rest ('ts'). */
export function kernelBackend(): { gemm: 'wasm' | 'ts' } {
  return { gemm: wasm?.gemm !== undefined ? 'wasm' : 'ts' };
}

export { tsKernels };
export type { Kernels };
