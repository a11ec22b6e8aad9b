/**
 * WebAssembly SIMD GEMM: instantiates the bytes of `build/gemm.wasm` (compiled from
 * `assembly/gemm.ts` by `npm run build:wasm`, embedded in gemm_wasm_bytes.ts) and exposes it with
 * the `Kernels.gemm` signature. Browser-clean: no file system, no fetch; the module is 2.3 kB, under
 * the 4 kB limit browsers put on synchronous compilation on the main thread.
 *
 * The module is loaded lazily and synchronously on first use. It is unavailable (and `gemm` falls
 * back to the TypeScript oracle) when the runtime lacks WebAssembly SIMD, or when the module cannot
 * be instantiated (e.g. a content security policy without 'wasm-unsafe-eval');
 * `wasmGemmUnavailableReason()` says which. Whether it is used at all is the kernel registry's
 * choice (src/kernels/registry.ts, `DEEPWELL_KERNELS`).
 */
import type { TypedArray } from '../../core/dtype.js';
import { gemm as tsGemm } from '../ts/gemm.js';
import { GEMM_WASM_BYTES } from './gemm_wasm_bytes.js';

/**
 * The parts of the WebAssembly JS API used here. Declared locally because the project compiles
 * against lib ES2022 and @types/node, neither of which declares the `WebAssembly` namespace.
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** The exports of build/gemm.wasm (see assembly/gemm.ts). Booleans are passed as 0 or 1. */
interface GemmModule {
  readonly memory: WasmMemory;
  heapBase(): number;
  scratchBytes(m: number, n: number, k: number): number;
  gemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, b: number, beta: number, c: number, scratch: number): void;
}

/** Bytes per WebAssembly page. */
const PAGE_BYTES = 65536;
/** Alignment of each operand in wasm memory, in bytes (one cache line). */
const ALIGN = 64;

/**
 * Smallest module using SIMD: `(func (result v128) i32.const 0 i8x16.splat i8x16.popcnt)`.
 * Source: the `simd` probe of wasm-feature-detect (GoogleChromeLabs).
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

type LoadState = { module: GemmModule; reason: '' } | { module: undefined; reason: string };
let state: LoadState | undefined;

function load(): LoadState {
  if (wasmApi === undefined || !wasmApi.validate(SIMD_PROBE)) {
    return { module: undefined, reason: 'this runtime does not support WebAssembly SIMD' };
  }
  try {
    const instance = new wasmApi.Instance(new wasmApi.Module(GEMM_WASM_BYTES), {});
    return { module: instance.exports as unknown as GemmModule, reason: '' };
  } catch (e) {
    return { module: undefined, reason: `cannot instantiate the GEMM module (build/gemm.wasm): ${(e as Error).message}` };
  }
}

function loaded(): LoadState {
  state ??= load();
  return state;
}

/** True when `gemm` runs in WebAssembly SIMD (loads the module on first call). */
export function wasmGemmAvailable(): boolean {
  return loaded().module !== undefined;
}

/** Why the WebAssembly GEMM is unavailable, or '' when it is available. */
export function wasmGemmUnavailableReason(): string {
  return loaded().reason;
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/** Grows `memory` to at least `bytes`; false when the 4 GiB wasm32 limit (or the host) refuses. */
function ensureMemory(memory: WasmMemory, bytes: number): boolean {
  const have = memory.buffer.byteLength;
  if (bytes <= have) return true;
  try {
    memory.grow(Math.ceil((bytes - have) / PAGE_BYTES));
    return true;
  } catch {
    return false;
  }
}

/** The first `length` elements of `x` (the array itself when it is exactly that long). */
function head(x: Float32Array, length: number): Float32Array {
  return x.length === length ? x : x.subarray(0, length);
}

/**
 * BLAS-shaped, row-major GEMM in WebAssembly SIMD: C = alpha * op(A) op(B) + beta * C.
 *
 * Shapes: op(A) [m, k], op(B) [k, n], C [m, n]; A is stored [m, k] ([k, m] when transA), B is
 * stored [k, n] ([n, k] when transB). When beta is 0, C's previous content is ignored.
 * Same contract as `Kernels.gemm`; results differ from the TypeScript oracle
 * (src/kernels/ts/gemm.ts) by float32 rounding only (different summation order, no FMA).
 *
 * Operands are copied into the module's memory (reused across calls, grown when needed), and C is
 * copied back. alpha and beta are rounded to float32. Float64 operands, and any call when the
 * module is unavailable (or when wasm32 memory cannot hold the operands), go to the oracle.
 *
 * Reference: BLAS sgemm (row-major); kernel design after Goto & van de Geijn, ACM TOMS 34(3), 2008.
 */
export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: TypedArray, b: TypedArray, beta: number, c: TypedArray): void {
  const mod = loaded().module;
  if (mod === undefined || !(a instanceof Float32Array) || !(b instanceof Float32Array)
    || !(c instanceof Float32Array)) {
    tsGemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    return;
  }
  const mn = m * n;
  if (mn === 0) return;
  const readsAB = alpha !== 0 && k > 0;
  const aLen = readsAB ? m * k : 0;
  const bLen = readsAB ? k * n : 0;
  // Layout: [A][B][C][scratch], each 64-byte aligned, from the module's heap base.
  const aOff = alignUp(mod.heapBase());
  const bOff = alignUp(aOff + 4 * aLen);
  const cOff = alignUp(bOff + 4 * bLen);
  const sOff = alignUp(cOff + 4 * mn);
  const end = sOff + mod.scratchBytes(m, n, k);
  if (!ensureMemory(mod.memory, end)) {
    tsGemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    return;
  }
  // A fresh view after any grow: views made before memory.grow() are detached.
  const heap = new Float32Array(mod.memory.buffer);
  if (readsAB) {
    heap.set(head(a, aLen), aOff / 4);
    heap.set(head(b, bLen), bOff / 4);
  }
  if (beta !== 0) heap.set(head(c, mn), cOff / 4);
  mod.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, aOff, bOff, beta, cOff, sOff);
  c.set(new Float32Array(mod.memory.buffer, cOff, mn));
}
