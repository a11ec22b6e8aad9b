/**
 * Training throughput, deepwell (each kernel backend) beside TensorFlow.js (cpu and wasm backends),
 * same shapes, same number of steps, random data, one optimizer step per batch, in one process.
 * deepwell is timed through `model.fit` (one epoch of `steps` batches, verbose 0, the rest as users
 * run it: shuffling, batch gathering, the default non-finite monitor), so the figure is the one users
 * get; TF.js through `trainOnBatch`, its lightest training call.
 *
 * - `mlp-784-300-100-10`: relu/he_normal, softmax, Adam 1e-3, sparse categorical crossentropy, at
 *   batch 32 and 128 (samples/s);
 * - `deep-100x100`: 784 -> 100 x Dense(100, selu, lecun_normal) -> Dense(10, softmax), SGD 1e-2,
 *   batch 32 (the book's deep network; steps/s matter here: per-op overhead dominates).
 */
import * as tf from '@tensorflow/tfjs';
import { Sequential } from '../src/models/sequential.js';
import { Dense } from '../src/layers/dense.js';
import { Adam } from '../src/optimizers/adam.js';
import { SGD } from '../src/optimizers/sgd.js';
import type { Optimizer } from '../src/optimizers/optimizer.js';
import { Tensor } from '../src/core/tensor.js';
import { Rng, setSeed } from '../src/core/random.js';
import { nativeThreads } from '../src/kernels/native/index.node.js';
import { type BackendVariant, backendVariants, restoreDefault, useTfjsWasm, useVariant } from './gemm.js';
import { tfjsTrainingRate } from './timing.js';

export interface TrainingBench {
  model: string;
  batchSize: number;
  /** samples per second of the default backend (all threads) */
  deepwell: number;
  tfjsCpu: number;
  tfjsWasm: number;
  /** optimizer steps per second of the default backend (deepwell / batchSize) */
  stepsPerSec: number;
  /** samples per second of each deepwell variant ('native-1t', 'native', 'wasm', 'ts') */
  backends: Record<string, number>;
}

const INPUTS = 784;
const CLASSES = 10;

/** One benchmarked network: hidden layers (units, activation, initializer) and the optimizer. */
interface ModelSpec {
  name: string;
  hidden: ReadonlyArray<{ units: number; activation: 'relu' | 'selu'; init: 'he_normal' | 'lecun_normal' }>;
  optimizer: 'adam' | 'sgd';
}

const MLP: ModelSpec = {
  name: 'mlp-784-300-100-10',
  hidden: [{ units: 300, activation: 'relu', init: 'he_normal' }, { units: 100, activation: 'relu', init: 'he_normal' }],
  optimizer: 'adam',
};
/** Number of hidden Dense(100) layers of the deep network. */
const DEEP_LAYERS = 100;
const DEEP: ModelSpec = {
  name: 'deep-100x100',
  hidden: Array.from({ length: DEEP_LAYERS }, () => ({ units: 100, activation: 'selu' as const, init: 'lecun_normal' as const })),
  optimizer: 'sgd',
};

function randomBatches(batchSize: number, count: number): { x: Float32Array; y: Float32Array }[] {
  const rng = new Rng(7);
  return Array.from({ length: count }, () => {
    const x = new Float32Array(batchSize * INPUTS);
    rng.fillUniform(x, 0, 1);
    const y = new Float32Array(batchSize);
    for (let i = 0; i < batchSize; i++) y[i] = rng.nextInt(CLASSES);
    return { x, y };
  });
}

/** `count` random samples (uniform pixels, labels in [0, 10)) as tensors. */
function randomData(count: number): { x: Tensor; y: Tensor } {
  const { x, y } = randomBatches(count, 1)[0];
  return { x: new Tensor(x, [count, INPUTS]), y: new Tensor(y, [count]) };
}

/** Samples/s of `model.fit` over `steps` batches (one epoch), after one epoch of `warmup` batches. */
async function benchDeepwell(spec: ModelSpec, batchSize: number, steps: number, warmup: number): Promise<number> {
  setSeed(1);
  const model = new Sequential([
    ...spec.hidden.map((h, i) => new Dense(h.units, {
      activation: h.activation, kernelInitializer: h.init, ...(i === 0 ? { inputShape: [INPUTS] } : {}),
    })),
    new Dense(CLASSES, { activation: 'softmax' }),
  ]);
  const optimizer: Optimizer = spec.optimizer === 'adam' ? new Adam({ learningRate: 1e-3 }) : new SGD({ learningRate: 1e-2 });
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer });
  const warm = randomData(warmup * batchSize);
  await model.fit(warm.x, warm.y, { epochs: 1, batchSize, verbose: 0 });
  const data = randomData(steps * batchSize);
  const t0 = performance.now();
  await model.fit(data.x, data.y, { epochs: 1, batchSize, verbose: 0 });
  return (steps * batchSize) / ((performance.now() - t0) / 1000);
}

async function benchTfjs(spec: ModelSpec, backend: 'cpu' | 'wasm', batchSize: number, steps: number, warmup: number): Promise<number> {
  if (backend === 'wasm') await useTfjsWasm();
  else await tf.setBackend(backend);
  await tf.ready();
  const model = tf.sequential({
    layers: [
      ...spec.hidden.map((h, i) => tf.layers.dense({
        units: h.units, activation: h.activation, kernelInitializer: h.init === 'he_normal' ? 'heNormal' : 'leCunNormal',
        ...(i === 0 ? { inputShape: [INPUTS] } : {}),
      })),
      tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: spec.optimizer === 'adam' ? tf.train.adam(1e-3) : tf.train.sgd(1e-2) });
  const batches = randomBatches(batchSize, 8).map((b) => ({ x: tf.tensor2d(b.x, [batchSize, INPUTS]), y: tf.tensor1d(b.y) }));
  return tfjsTrainingRate(model, batches, batchSize, steps, warmup);
}

/** Steps and warm-up steps per measurement: fewer for the slow ones (ts, tfjs cpu, the deep net). */
function stepsFor(spec: ModelSpec, who: string): [number, number] {
  const slow = who === 'ts' || who === 'tfjs-cpu';
  if (spec === DEEP) return slow ? [10, 2] : [40, 5];
  return slow ? [30, 3] : [100, 10];
}

async function benchModel(spec: ModelSpec, batchSize: number, variants: readonly BackendVariant[], defaultLabel: string): Promise<TrainingBench> {
  const threads = nativeThreads();
  const backends: Record<string, number> = {};
  for (const v of variants) {
    process.stderr.write(`bench training ${spec.name} batch ${batchSize} deepwell ${v.label}...\n`);
    useVariant(v);
    const [steps, warmup] = stepsFor(spec, v.label);
    backends[v.label] = await benchDeepwell(spec, batchSize, steps, warmup);
    restoreDefault(threads);
  }
  process.stderr.write(`bench training ${spec.name} batch ${batchSize} tfjs...\n`);
  const tfjsCpu = await benchTfjs(spec, 'cpu', batchSize, ...stepsFor(spec, 'tfjs-cpu'));
  const tfjsWasm = await benchTfjs(spec, 'wasm', batchSize, ...stepsFor(spec, 'tfjs-wasm'));
  const deepwell = backends[defaultLabel];
  return { model: spec.name, batchSize, deepwell, tfjsCpu, tfjsWasm, stepsPerSec: deepwell / batchSize, backends };
}

/** Runs the training benchmark: the MLP at batch 32 and 128 (Adam), the deep net at 32 (SGD). */
export async function benchTraining(): Promise<TrainingBench[]> {
  const variants = backendVariants();
  const threads = nativeThreads();
  const defaultLabel = variants.find((v) => v.threads === threads)?.label ?? variants[0].label;
  return [
    await benchModel(MLP, 32, variants, defaultLabel),
    await benchModel(MLP, 128, variants, defaultLabel),
    await benchModel(DEEP, 32, variants, defaultLabel),
  ];
}
