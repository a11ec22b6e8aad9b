// The elementwise kernels the native addon splits across its thread pool, each run once at a size
// above the threading threshold (parallel_range splits a pass of n units into chunks of `grain`
// only when n >= 2 grains; grain = 32K floats), on fixed-seed data. Used by test/kernels/native.test.ts
// in its own process (threads set by setThreads) and in child processes (DEEPWELL_THREADS), and with
// the TypeScript oracle. Outputs start NaN-filled, so an element no chunk wrote shows.
import type { UnaryOp } from '../../src/kernels/kernels.js';
import type { NativeAddon } from '../../src/kernels/native/index.node.js';
import { nan64, nanArray as nan32, randomArray } from './kernel_data.js';

/** The kernels the cases call: the addon's, or the TypeScript oracle's (same signatures). */
export type ThreadedKernels = Pick<NativeAddon, 'denseForward' | 'denseBackward' | 'adamUpdate' | 'sgdUpdate'
  | 'batchNormForward' | 'batchNormBackward' | 'softmaxCrossentropy'>;

/** One output of a case, and how close to the oracle it must be. */
export interface CaseOutput {
  name: string;
  data: Float32Array | Float64Array;
  /** 'bits': the oracle's bits; { dense: k }: GEMM tolerance with k terms; { rel }: relative. */
  tolerance: 'bits' | { dense: number } | { rel: number };
}

/** Optimizer updates: 100,003 weights (chunks of 32,768: 3 full and a short one). */
const UPDATE_N = 100_003;
/** Dense [rows, in, units]: rows x units = 76,800 activations (3 chunks); db: 300 columns in chunks of 32768 / 256 = 128. */
const DENSE = [256, 8, 300] as const;
/** Activations of the fused Dense epilogue and their alpha (elu 1, leaky_relu 0.2). */
export const DENSE_ACTIVATIONS: ReadonlyArray<readonly [UnaryOp, number]> = [
  ['relu', 0], ['selu', 0], ['elu', 1], ['leaky_relu', 0.2], ['sigmoid', 0], ['tanh', 0],
];
/**
 * Batch normalization [outer, features, inner]: 64x1200x1 (Dense-like: statistics split over
 * features in chunks of 32768 / 64 = 512; 64 rows of 1200 features in chunks of 27), 2048x40x1
 * (channels-last feature maps: features in chunks of 16, the last one 8; rows of 40 in chunks of
 * 819) and 4x8x3000 (channels-first: features in chunks of 32768 / 12000 -> 2, 32 rows of 3000 in
 * chunks of 10).
 */
const BN_SHAPES = [[64, 1200, 1], [2048, 40, 1], [4, 8, 3000]] as const;
/** Softmax + crossentropy: 8000 rows of 10 classes (rows in chunks of 3276). */
const SOFTMAX = [8000, 10] as const;

/** Runs every case with `k`; the outputs in a fixed order. */
export function runThreadedCases(k: ThreadedKernels): CaseOutput[] {
  const out: CaseOutput[] = [];
  const add = (name: string, data: Float32Array | Float64Array, tolerance: CaseOutput['tolerance']): void => {
    out.push({ name, data, tolerance });
  };

  // Adam, two steps (the second reads the m and v the first wrote); alpha as for lr 0.01 at t = 1, 2.
  const w = randomArray(UPDATE_N, 1);
  const m = new Float32Array(UPDATE_N);
  const v = new Float32Array(UPDATE_N);
  for (let t = 1; t <= 2; t++) {
    k.adamUpdate(w, randomArray(UPDATE_N, 10 + t, 3), m, v, (0.01 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t), 0.9, 0.999, 1e-7);
  }
  add('adam w', w, 'bits');
  add('adam m', m, 'bits');
  add('adam v', v, 'bits');
  for (const [label, momentum, nesterov] of [['plain', 0, false], ['momentum', 0.9, false], ['nesterov', 0.9, true]] as const) {
    const ws = randomArray(UPDATE_N, 2);
    const velocity = momentum === 0 ? null : randomArray(UPDATE_N, 3, 0.1);
    k.sgdUpdate(ws, randomArray(UPDATE_N, 4, 3), velocity, 0.05, momentum, nesterov);
    add(`sgd ${label} w`, ws, 'bits');
    if (velocity !== null) add(`sgd ${label} velocity`, velocity, 'bits');
  }

  const [rows, inF, units] = DENSE;
  const x = randomArray(rows * inF, 5, 2);
  const kernel = randomArray(inF * units, 6);
  const bias = randomArray(units, 7);
  const dy = randomArray(rows * units, 8);
  // The backward pass reads a fixed y in [-0.5, 0.5) (not the forward's, which differs from the
  // oracle's in the last bits): |act'(y)| <= 1.76 there for every activation here.
  const yIn = randomArray(rows * units, 14, 0.5);
  for (const [act, alpha] of DENSE_ACTIVATIONS) {
    const y = nan32(rows * units);
    k.denseForward(x, kernel, bias, rows, inF, units, act, alpha, y);
    const dx = nan32(rows * inF);
    const dW = nan32(inF * units);
    const db = nan32(units);
    k.denseBackward(x, kernel, yIn, dy, rows, inF, units, act, alpha, dx, dW, db);
    // y sums in + 1 terms; dx sums units terms, dW and db rows terms (of dz, |dz| <= 1.76 |dy|).
    add(`dense ${act} y`, y, { dense: inF + 1 });
    add(`dense ${act} dx`, dx, { dense: 2 * units });
    add(`dense ${act} dW`, dW, { dense: 2 * rows });
    add(`dense ${act} db`, db, { dense: 2 * rows });
  }

  for (const [outer, features, inner] of BN_SHAPES) {
    const n = outer * features * inner;
    const xb = randomArray(n, 9, 3);
    const gamma = randomArray(features, 10);
    const beta = randomArray(features, 11);
    const mean = nan64(features);
    const variance = nan64(features);
    const invStd = nan64(features);
    const y = nan32(n);
    k.batchNormForward(xb, outer, features, inner, gamma, beta, 1e-3, true, mean, variance, invStd, y);
    const dx = nan32(n);
    const sumDy = nan64(features);
    const sumDyXhat = nan64(features);
    k.batchNormBackward(xb, randomArray(n, 12), outer, features, inner, gamma, mean, invStd, true, dx, sumDy, sumDyXhat);
    const shape = `${outer}x${features}x${inner}`;
    add(`batchNorm ${shape} mean`, mean, 'bits');
    add(`batchNorm ${shape} variance`, variance, 'bits');
    add(`batchNorm ${shape} invStd`, invStd, 'bits');
    add(`batchNorm ${shape} y`, y, 'bits');
    add(`batchNorm ${shape} dx`, dx, 'bits');
    add(`batchNorm ${shape} sumDy`, sumDy, 'bits');
    add(`batchNorm ${shape} sumDyXhat`, sumDyXhat, 'bits');
  }

  const [sRows, classes] = SOFTMAX;
  const targets = new Float32Array(sRows * classes);
  for (let r = 0; r < sRows; r++) targets[r * classes + ((r * 7) % classes)] = 1;
  const loss = nan32(sRows);
  const dLogits = nan32(sRows * classes);
  const logSumExp = nan64(sRows);
  k.softmaxCrossentropy(randomArray(sRows * classes, 13, 5), targets, sRows, classes, loss, dLogits, logSumExp);
  // The C library's exp and log against V8's (as in test/kernels/norm_kernels.test.ts).
  add('softmax loss', loss, { rel: 1e-6 });
  add('softmax dLogits', dLogits, { rel: 1e-6 });
  add('softmax logSumExp', logSumExp, { rel: 1e-12 });
  return out;
}
