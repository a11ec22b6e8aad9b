/**
 * GEMM benchmark: each deepwell kernel backend's `gemm` (native with 1 thread and with all threads,
 * wasm, ts) beside TensorFlow.js `tf.matMul` on the @tensorflow/tfjs-backend-wasm backend
 * (XNNPACK, single-threaded in Node), in the same process, blocks of each alternating.
 *
 * All compute C = A B with A [m, k], B [k, n] in float32. deepwell's wasm time includes copying
 * A and B into WebAssembly memory and C out; native works on the arrays in place; tfjs keeps A and
 * B resident in its wasm heap and pays for `dataSync()` of C.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { backendInfo, kernels, resetBackend, setBackend, type Kernels } from '../src/kernels/index.js';
import { nativeThreads, setNativeThreads } from '../src/kernels/native/index.node.js';

/** One measured shape; throughputs in GFLOP/s (2 m n k flops per product), ratio = deepwell / tfjsWasm. */
export interface GemmBenchRow {
  m: number;
  k: number;
  n: number;
  /** The default backend (the one `import 'deepwell'` uses here), all its threads. */
  deepwell: number;
  tfjsWasm: number;
  ratio: number;
  /** Each variant: 'native-1t', 'native' (all threads), 'wasm', 'ts'. */
  backends: Record<string, number>;
}

/** (m, k, n): MNIST MLP layers at batch 32 and 128 (784 -> 300), the book's 100-unit layer, cubes. */
export const GEMM_BENCH_SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [32, 784, 300], [128, 784, 300], [32, 100, 100], [512, 512, 512], [1024, 1024, 1024],
];

/** A deepwell configuration to time: a backend and, for native, a thread count. */
export interface BackendVariant {
  /** Label in tables and JSON ('native-1t', 'native', 'wasm', 'ts'). */
  label: string;
  backend: string;
  threads: number;
}

/** The variants this machine runs: native 1 thread and all threads (when built), wasm, ts. */
export function backendVariants(): BackendVariant[] {
  const available = backendInfo().backends.filter((b) => b.available).map((b) => b.name);
  const out: BackendVariant[] = [];
  if (available.includes('native')) {
    const all = nativeThreads();
    out.push({ label: 'native-1t', backend: 'native', threads: 1 });
    if (all > 1) out.push({ label: 'native', backend: 'native', threads: all });
  }
  for (const name of ['wasm', 'ts']) if (available.includes(name)) out.push({ label: name, backend: name, threads: 1 });
  return out;
}

/** Selects a variant (backend and native thread count); `restore` undoes it. */
export function useVariant(v: BackendVariant): void {
  setBackend(v.backend);
  if (v.backend === 'native') setNativeThreads(v.threads);
}

/** Back to the default backend and the native default thread count. */
export function restoreDefault(threads: number): void {
  resetBackend();
  setNativeThreads(threads);
}

/** Seconds of warm-up per implementation and shape (lets V8 tier the wasm code up to TurboFan). */
const WARMUP_SECONDS = 0.2;
/**
 * Seconds per timing block; the reported time is the best of TIMING_BLOCKS blocks. Many short
 * blocks rather than a few long ones: on a shared machine a short block often runs without being
 * preempted, so the minimum approaches the unloaded time.
 */
const BLOCK_SECONDS = 0.02;
const TIMING_BLOCKS = 25;

/** Calls `fn` for about WARMUP_SECONDS and returns an estimate of seconds per call. */
function warmUp(fn: () => void): number {
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = (performance.now() - t0) / 1000;
  } while (elapsed < WARMUP_SECONDS || calls < 3);
  return elapsed / calls;
}

/** Seconds per call over one block of `reps` calls. */
function timeBlock(fn: () => void, reps: number): number {
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return (performance.now() - t0) / 1000 / reps;
}

/** After TIMING_BLOCKS_MIN blocks, a function whose blocks have taken this long is not timed again. */
const MAX_SECONDS_PER_FUNCTION = 2;
const TIMING_BLOCKS_MIN = 3;

/**
 * Best seconds per call of each function. Blocks of the functions alternate, so a change in the
 * machine's load during the run affects all of them alike. A slow function (one call longer than
 * a block) stops after TIMING_BLOCKS_MIN blocks once it has used MAX_SECONDS_PER_FUNCTION.
 */
function bestSecondsPerCall(fns: ReadonlyArray<() => void>): number[] {
  const reps = fns.map((fn) => Math.max(1, Math.round(BLOCK_SECONDS / warmUp(fn))));
  const best = fns.map(() => Infinity);
  const spent = fns.map(() => 0);
  for (let block = 0; block < TIMING_BLOCKS; block++) {
    fns.forEach((fn, i) => {
      if (block >= TIMING_BLOCKS_MIN && spent[i] > MAX_SECONDS_PER_FUNCTION) return;
      const seconds = timeBlock(fn, reps[i]);
      spent[i] += seconds * reps[i];
      best[i] = Math.min(best[i], seconds);
    });
  }
  return best;
}

/** Uniform floats in [-1, 1) from a fixed-seed LCG (Numerical Recipes constants). */
function randomArray(size: number, seed: number): Float32Array {
  const x = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

let wasmPathsSet = false;

/**
 * Selects tfjs's wasm backend (XNNPACK; single-threaded in Node, where tfjs reports no
 * multithread support), loading its .wasm files from the installed package. Idempotent, so other
 * benchmarks in the same process can call it before switching to 'wasm'.
 */
export async function useTfjsWasm(): Promise<void> {
  if (!wasmPathsSet) {
    const pkgMain = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    // The package's dist/ folder, as a file path with the trailing slash. tfjs throws if the
    // backend was already initialized (then it found its files by itself), which is fine.
    try {
      setWasmPaths(`${dirname(pkgMain)}/`);
    } catch (e) {
      if (!String((e as Error).message).includes('already initialized')) throw e;
    }
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs: cannot initialize the wasm backend');
}

function gflops(m: number, k: number, n: number, seconds: number): number {
  return Math.round((2 * m * n * k) / seconds / 1e7) / 100; // GFLOP/s to 2 decimals
}

/** GFLOP/s of the fastest variant with all threads (the default backend). */
function defaultLabel(variants: readonly BackendVariant[]): string {
  return variants.find((v) => v.backend === backendInfo().backend && v.threads === nativeThreads())?.label ?? variants[0].label;
}

/**
 * Measures GFLOP/s of C = A B for each shape in GEMM_BENCH_SHAPES: each deepwell variant and tfjs
 * `tf.matMul` on the wasm backend. Progress goes to stderr.
 */
export async function benchGemm(): Promise<GemmBenchRow[]> {
  await useTfjsWasm();
  const allThreads = nativeThreads();
  const variants = backendVariants();
  const main = defaultLabel(variants);
  const rows: GemmBenchRow[] = [];
  for (const [m, k, n] of GEMM_BENCH_SHAPES) {
    process.stderr.write(`bench gemm ${m}x${k}x${n}...\n`);
    const a = randomArray(m * k, 1);
    const b = randomArray(k * n, 2);
    const c = new Float32Array(m * n);
    const ta = tf.tensor2d(a, [m, k]);
    const tb = tf.tensor2d(b, [k, n]);
    const runs = variants.map((v) => {
      useVariant(v);
      const gemm: Kernels['gemm'] = kernels.gemm;
      const threads = v.threads;
      return (): void => {
        if (v.backend === 'native') setNativeThreads(threads);
        gemm(false, false, m, n, k, 1, a, b, 0, c);
      };
    });
    restoreDefault(allThreads);
    const runTfjs = (): void => {
      const tc = tf.matMul(ta, tb);
      tc.dataSync();
      tc.dispose();
    };
    const seconds = bestSecondsPerCall([...runs, runTfjs]);
    restoreDefault(allThreads);
    ta.dispose();
    tb.dispose();
    const backends: Record<string, number> = {};
    variants.forEach((v, i) => { backends[v.label] = gflops(m, k, n, seconds[i]); });
    const tfjsWasm = gflops(m, k, n, seconds[variants.length]);
    const deepwell = backends[main];
    rows.push({ m, k, n, deepwell, tfjsWasm, ratio: Math.round((100 * deepwell) / tfjsWasm) / 100, backends });
  }
  return rows;
}
