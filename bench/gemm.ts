/**
 * GEMM benchmark: deepwell's WebAssembly SIMD `gemm` against TensorFlow.js `tf.matMul` on the
 * @tensorflow/tfjs-backend-wasm backend (XNNPACK), single-threaded, in the same process.
 *
 * Both sides compute C = A B with A [m, k], B [k, n] in float32. deepwell's time includes copying
 * A and B into WebAssembly memory and C out (DESIGN.md section 7: copies are part of the cost);
 * tfjs keeps A and B resident in its wasm heap and pays for `dataSync()` of C.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { gemm, wasmGemmAvailable, wasmGemmUnavailableReason } from '../src/kernels/wasm/gemm.js';

/** One measured shape; throughputs in GFLOP/s (2 m n k flops per product), ratio = deepwell / tfjsWasm. */
export interface GemmBenchRow {
  m: number;
  k: number;
  n: number;
  deepwell: number;
  tfjsWasm: number;
  ratio: number;
}

/** (m, k, n): MNIST MLP layers at batch 32 and 128 (784 -> 300), the book's 100-unit layer, a cube. */
export const GEMM_BENCH_SHAPES: ReadonlyArray<readonly [number, number, number]> = [
  [32, 784, 300], [128, 784, 300], [32, 100, 100], [512, 512, 512],
];

/** Seconds of warm-up per implementation and shape (lets V8 tier the wasm code up to TurboFan). */
const WARMUP_SECONDS = 0.2;
/** Seconds per timing block; the reported time is the best of TIMING_BLOCKS blocks. */
const BLOCK_SECONDS = 0.5;
const TIMING_BLOCKS = 3;

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

/**
 * Best seconds per call of each function. Blocks of the functions alternate, so a change in the
 * machine's load during the run affects all of them alike.
 */
function bestSecondsPerCall(fns: ReadonlyArray<() => void>): number[] {
  const reps = fns.map((fn) => Math.max(1, Math.round(BLOCK_SECONDS / warmUp(fn))));
  const best = fns.map(() => Infinity);
  for (let block = 0; block < TIMING_BLOCKS; block++) {
    fns.forEach((fn, i) => {
      best[i] = Math.min(best[i], timeBlock(fn, reps[i]));
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

/**
 * Measures GFLOP/s of C = A B for each shape in GEMM_BENCH_SHAPES: deepwell's wasm `gemm` vs
 * tfjs `tf.matMul` on the wasm backend. Progress goes to stderr. About 4 s per shape.
 */
export async function benchGemm(): Promise<GemmBenchRow[]> {
  if (!wasmGemmAvailable()) {
    process.stderr.write(`bench gemm: wasm gemm unavailable (${wasmGemmUnavailableReason()}); timing the TS fallback\n`);
  }
  await useTfjsWasm();
  const rows: GemmBenchRow[] = [];
  for (const [m, k, n] of GEMM_BENCH_SHAPES) {
    process.stderr.write(`bench gemm ${m}x${k}x${n}...\n`);
    const a = randomArray(m * k, 1);
    const b = randomArray(k * n, 2);
    const c = new Float32Array(m * n);
    const ta = tf.tensor2d(a, [m, k]);
    const tb = tf.tensor2d(b, [k, n]);
    const runDeepwell = (): void => gemm(false, false, m, n, k, 1, a, b, 0, c);
    const runTfjs = (): void => {
      const tc = tf.matMul(ta, tb);
      tc.dataSync();
      tc.dispose();
    };
    const [dw, tfw] = bestSecondsPerCall([runDeepwell, runTfjs]);
    ta.dispose();
    tb.dispose();
    const deepwell = gflops(m, k, n, dw);
    const tfjsWasm = gflops(m, k, n, tfw);
    rows.push({ m, k, n, deepwell, tfjsWasm, ratio: Math.round((100 * tfw) / dw) / 100 });
  }
  return rows;
}
