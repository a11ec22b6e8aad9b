/**
 * The native kernels (Node only): loads the Node-API addon built from this folder
 * (build/deepwell_native.node, made by `npm run build:native` at `npm ci`) and wraps it with the
 * `Kernels` signatures. Registered by ./register.node.ts.
 *
 * The addon works on the caller's Float32Arrays in place (no copies). Calls it cannot serve
 * (float64 or mixed dtypes) go to the TypeScript oracle. `DEEPWELL_THREADS` sets its thread count
 * (default: the number of cores, os.availableParallelism()).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TypedArray } from '../../core/dtype.js';
import type { Kernels } from '../kernels.js';
import { gemm as tsGemm } from '../ts/gemm.js';
import { adamUpdate as tsAdamUpdate, sgdUpdate as tsSgdUpdate } from '../ts/optimizers.js';
import { denseBackward as tsDenseBackward, denseForward as tsDenseForward } from '../ts/dense.js';
import { unary as tsUnary, unaryBackward as tsUnaryBackward } from '../ts/unary.js';
import { type NativeConvAddon, makeConvKernels } from './conv_kernels.node.js';
import { batchNormBackward as tsBatchNormBackward, batchNormForward as tsBatchNormForward } from '../ts/batch_norm.js';
import { softmaxCrossentropy as tsSoftmaxCrossentropy } from '../ts/softmax_crossentropy.js';
import { firstNonFiniteIndex } from '../../core/finite.js';

/** The functions of build/deepwell_native.node (src/kernels/native/addon.cc). */
export interface NativeAddon extends NativeConvAddon {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, b: Float32Array, beta: number, c: Float32Array): void;
  denseForward(x: Float32Array, w: Float32Array, b: Float32Array | null, rows: number, inFeatures: number,
    units: number, activation: string, alpha: number, y: Float32Array): void;
  denseBackward(x: Float32Array, w: Float32Array, y: Float32Array, dy: Float32Array, rows: number, inFeatures: number,
    units: number, activation: string, alpha: number, dx: Float32Array | null, dW: Float32Array | null, db: Float32Array | null): void;
  adamUpdate(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, alpha: number,
    beta1: number, beta2: number, epsilon: number): void;
  sgdUpdate(w: Float32Array, g: Float32Array, velocity: Float32Array | null, lr: number, momentum: number, nesterov: boolean): void;
  batchNormForward(x: Float32Array, outer: number, features: number, inner: number, gamma: Float32Array | null,
    beta: Float32Array | null, epsilon: number, training: boolean, mean: Float64Array, variance: Float64Array,
    invStd: Float64Array, y: Float32Array): void;
  batchNormBackward(x: Float32Array, dy: Float32Array, outer: number, features: number, inner: number,
    gamma: Float32Array | null, mean: Float64Array, invStd: Float64Array, training: boolean,
    dx: Float32Array | null, sumDy: Float64Array, sumDyXhat: Float64Array): void;
  softmaxCrossentropy(logits: Float32Array, targets: Float32Array, rows: number, classes: number, loss: Float32Array,
    dLogits: Float32Array | null, logSumExp: Float64Array): void;
  firstNonFinite(x: Float32Array): number;
  threads(): number;
  setThreads(threads: number): number;
  /** The micro-kernel in use: 'avx512f', 'avx2+fma' or 'generic'. */
  isa(): string;
  supportedIsas(): string[];
  setIsa(name: string): boolean;
}

/** Path of the addon relative to the package root. */
const ADDON_FILE = join('build', 'deepwell_native.node');
/** Written by scripts/build-native.mjs when the build failed: the reason, one line. */
const BUILD_ERROR_FILE = join('build', 'native-build-error.txt');

type LoadState = { addon: NativeAddon; reason: '' } | { addon: undefined; reason: string };
let state: LoadState | undefined;

function findPackageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The thread count from DEEPWELL_THREADS (a positive integer), else the number of cores. */
export function threadsFromEnvironment(): number {
  const raw = process.env.DEEPWELL_THREADS?.trim() ?? '';
  const cores = availableParallelism();
  if (raw === '') return cores;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    process.emitWarning(`DEEPWELL_THREADS='${raw}' is not a thread count; expected an integer from 1 to 1024. Using ${cores} (the number of cores).`);
    return cores;
  }
  return n;
}

function load(): LoadState {
  const root = findPackageRoot();
  if (root === undefined) return { addon: undefined, reason: 'native addon not found: no package root' };
  const file = join(root, ADDON_FILE);
  if (!existsSync(file)) {
    const errorFile = join(root, BUILD_ERROR_FILE);
    const why = existsSync(errorFile) ? readFileSync(errorFile, 'utf8').trim() : `${ADDON_FILE} not found; run \`npm run build:native\``;
    return { addon: undefined, reason: `native addon not built: ${why}` };
  }
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    addon.setThreads(threadsFromEnvironment());
    return { addon, reason: '' };
  } catch (e) {
    return { addon: undefined, reason: `native addon not loaded: ${(e as Error).message.split('\n')[0]}` };
  }
}

/** The loaded addon and '' or undefined and why not (loads on first call). */
export function loadNativeAddon(): LoadState {
  state ??= load();
  return state;
}

/**
 * BLAS-shaped, row-major GEMM in native code: C = alpha * op(A) op(B) + beta * C, in place on the
 * caller's arrays. Same contract as `Kernels.gemm`; float32 only (others go to the TS oracle);
 * alpha and beta are rounded to float32. Multi-threaded above about 2 MFLOP, split over blocks of
 * C, so the result is the same bits for any thread count.
 *
 * Reference: BLAS sgemm; Goto & van de Geijn, ACM TOMS 34(3), 2008 (src/kernels/native/gemm.cc).
 */
function makeGemm(addon: NativeAddon): Kernels['gemm'] {
  return (transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: TypedArray, b: TypedArray, beta: number, c: TypedArray): void => {
    if (a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) {
      addon.gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    } else {
      tsGemm(transA, transB, m, n, k, alpha, a, b, beta, c);
    }
  };
}

/**
 * Fused optimizer steps in native code (same bits as the TS oracle: float64 arithmetic in the same
 * order), threaded over elements for large weights. Float32 only; other dtypes go to the oracle.
 */
function makeOptimizerKernels(addon: NativeAddon): Pick<Kernels, 'adamUpdate' | 'sgdUpdate'> {
  return {
    adamUpdate(w, g, m, v, alpha, beta1, beta2, epsilon): void {
      if (w instanceof Float32Array && g instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array) {
        addon.adamUpdate(w, g, m, v, alpha, beta1, beta2, epsilon);
      } else {
        tsAdamUpdate(w, g, m, v, alpha, beta1, beta2, epsilon);
      }
    },
    sgdUpdate(w, g, velocity, lr, momentum, nesterov): void {
      if (w instanceof Float32Array && g instanceof Float32Array && (velocity === null || velocity instanceof Float32Array)) {
        addon.sgdUpdate(w, g, velocity, lr, momentum, nesterov);
      } else {
        tsSgdUpdate(w, g, velocity, lr, momentum, nesterov);
      }
    },
  };
}

/** The activations the addon's Dense kernels apply themselves (src/kernels/native/dense.cc). */
const NATIVE_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'selu', 'elu', 'leaky_relu', 'sigmoid', 'tanh']);

function isF32OrNull(x: TypedArray | null): x is Float32Array | null {
  return x === null || x instanceof Float32Array;
}

/**
 * Fused Dense forward and backward in native code (GEMMs, bias, activation and its derivative,
 * bias gradient in one call each). Another activation runs in the TS kernel around the native
 * linear part; float64 goes to the oracle.
 */
function makeDenseKernels(addon: NativeAddon): Pick<Kernels, 'denseForward' | 'denseBackward'> {
  return {
    denseForward(x, kernel, bias, rows, inFeatures, units, activation, alpha, y): void {
      if (!(x instanceof Float32Array && kernel instanceof Float32Array && y instanceof Float32Array && isF32OrNull(bias))) {
        tsDenseForward(x, kernel, bias, rows, inFeatures, units, activation, alpha, y);
      } else if (NATIVE_ACTIVATIONS.has(activation)) {
        addon.denseForward(x, kernel, bias, rows, inFeatures, units, activation, alpha, y);
      } else {
        addon.denseForward(x, kernel, bias, rows, inFeatures, units, 'linear', 0, y);
        tsUnary(activation, y, alpha, y);
      }
    },
    denseBackward(x, kernel, y, dy, rows, inFeatures, units, activation, alpha, dx, dW, db): void {
      if (!(x instanceof Float32Array && kernel instanceof Float32Array && y instanceof Float32Array
        && dy instanceof Float32Array && isF32OrNull(dx) && isF32OrNull(dW) && isF32OrNull(db))) {
        tsDenseBackward(x, kernel, y, dy, rows, inFeatures, units, activation, alpha, dx, dW, db);
      } else if (NATIVE_ACTIVATIONS.has(activation)) {
        addon.denseBackward(x, kernel, y, dy, rows, inFeatures, units, activation, alpha, dx, dW, db);
      } else {
        const dz = tsUnaryBackward(activation, null, y, dy, alpha) as Float32Array;
        addon.denseBackward(x, kernel, y, dz, rows, inFeatures, units, 'linear', 0, dx, dW, db);
      }
    },
  };
}

/**
 * Batch normalization, softmax + crossentropy and the finiteness scan in native code (norm.cc): the
 * oracle's float64 arithmetic in the same order (batch normalization gives the same bits). Float32
 * data only; float64 goes to the oracle.
 */
function makeNormKernels(addon: NativeAddon): Pick<Kernels, 'batchNormForward' | 'batchNormBackward' | 'softmaxCrossentropy' | 'firstNonFinite'> {
  return {
    firstNonFinite: (x) => (x instanceof Float32Array ? addon.firstNonFinite(x) : firstNonFiniteIndex(x)),
    batchNormForward(x, outer, features, inner, gamma, beta, epsilon, training, mean, variance, invStd, y): void {
      if (x instanceof Float32Array && y instanceof Float32Array && isF32OrNull(gamma) && isF32OrNull(beta)) {
        addon.batchNormForward(x, outer, features, inner, gamma, beta, epsilon, training, mean, variance, invStd, y);
      } else {
        tsBatchNormForward(x, outer, features, inner, gamma, beta, epsilon, training, mean, variance, invStd, y);
      }
    },
    batchNormBackward(x, dy, outer, features, inner, gamma, mean, invStd, training, dx, sumDy, sumDyXhat): void {
      if (x instanceof Float32Array && dy instanceof Float32Array && isF32OrNull(gamma) && isF32OrNull(dx)) {
        addon.batchNormBackward(x, dy, outer, features, inner, gamma, mean, invStd, training, dx, sumDy, sumDyXhat);
      } else {
        tsBatchNormBackward(x, dy, outer, features, inner, gamma, mean, invStd, training, dx, sumDy, sumDyXhat);
      }
    },
    softmaxCrossentropy(logits, targets, rows, classes, loss, dLogits, logSumExp): void {
      if (logits instanceof Float32Array && targets instanceof Float32Array && loss instanceof Float32Array && isF32OrNull(dLogits)) {
        addon.softmaxCrossentropy(logits, targets, rows, classes, loss, dLogits, logSumExp);
      } else {
        tsSoftmaxCrossentropy(logits, targets, rows, classes, loss, dLogits, logSumExp);
      }
    },
  };
}

/** The kernels the addon implements, or undefined when it is not available. */
export function loadNativeKernels(): Partial<Kernels> | undefined {
  const { addon } = loadNativeAddon();
  return addon === undefined ? undefined
    : { gemm: makeGemm(addon), ...makeDenseKernels(addon), ...makeOptimizerKernels(addon), ...makeNormKernels(addon), ...makeConvKernels(addon) };
}

/** Threads of the native kernels (1 when the addon is not loaded). */
export function nativeThreads(): number {
  return loadNativeAddon().addon?.threads() ?? 1;
}

/** Sets the native thread count (an integer >= 1); returns the count in effect. */
export function setNativeThreads(threads: number): number {
  return loadNativeAddon().addon?.setThreads(threads) ?? 1;
}

/** The native micro-kernel in use ('avx512f', 'avx2+fma', 'generic'), or '' without the addon. */
export function nativeIsa(): string {
  return loadNativeAddon().addon?.isa() ?? '';
}
