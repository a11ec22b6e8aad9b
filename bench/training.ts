/**
 * Training throughput (samples/s) of the default MLP (784-300-100-10, relu/he_normal, softmax,
 * Adam 1e-3, sparse categorical crossentropy) in deepwell and in TensorFlow.js (cpu and wasm
 * backends), same shapes, same number of steps, random data, in one process.
 */
import * as tf from '@tensorflow/tfjs';
import { Sequential } from '../src/models/sequential.js';
import { Dense } from '../src/layers/dense.js';
import { Adam } from '../src/optimizers/adam.js';
import { Tensor } from '../src/core/tensor.js';
import { Rng, setSeed } from '../src/core/random.js';
import { backward } from '../src/autodiff/backward.js';
import { useTfjsWasm } from './gemm.js';

export interface TrainingBench {
  model: string;
  batchSize: number;
  /** samples per second */
  deepwell: number;
  tfjsCpu: number;
  tfjsWasm: number;
}

const HIDDEN = [300, 100];
const INPUTS = 784;
const CLASSES = 10;

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

/** Samples/s of `steps` training steps after `warmup` steps. */
function time(steps: number, warmup: number, batchSize: number, step: (i: number) => void): number {
  for (let i = 0; i < warmup; i++) step(i);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step(warmup + i);
  return (steps * batchSize) / ((performance.now() - t0) / 1000);
}

function benchDeepwell(batchSize: number, steps: number, warmup: number): number {
  setSeed(1);
  const model = new Sequential([
    new Dense(HIDDEN[0], { activation: 'relu', kernelInitializer: 'he_normal', inputShape: [INPUTS] }),
    new Dense(HIDDEN[1], { activation: 'relu', kernelInitializer: 'he_normal' }),
    new Dense(CLASSES, { activation: 'softmax' }),
  ]);
  const optimizer = new Adam({ learningRate: 1e-3 });
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer });
  const compiled = model.requireCompiled(CLASSES);
  const batches = randomBatches(batchSize, 8);
  return time(steps, warmup, batchSize, (i) => {
    const b = batches[i % batches.length];
    const pred = model.call(new Tensor(b.x, [batchSize, INPUTS]), { training: true });
    const loss = compiled.loss(new Tensor(b.y, [batchSize]), pred);
    const weights = model.trainableWeights;
    optimizer.applyGradients(backward(loss, weights), weights);
  });
}

async function benchTfjs(backend: 'cpu' | 'wasm', batchSize: number, steps: number, warmup: number): Promise<number> {
  if (backend === 'wasm') await useTfjsWasm();
  else await tf.setBackend(backend);
  await tf.ready();
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: HIDDEN[0], activation: 'relu', kernelInitializer: 'heNormal', inputShape: [INPUTS] }),
      tf.layers.dense({ units: HIDDEN[1], activation: 'relu', kernelInitializer: 'heNormal' }),
      tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: tf.train.adam(1e-3) });
  const batches = randomBatches(batchSize, 8).map((b) => ({ x: tf.tensor2d(b.x, [batchSize, INPUTS]), y: tf.tensor1d(b.y) }));
  const run = async (i: number): Promise<void> => {
    const b = batches[i % batches.length];
    await model.trainOnBatch(b.x, b.y);
  };
  for (let i = 0; i < warmup; i++) await run(i);
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await run(warmup + i);
  const rate = (steps * batchSize) / ((performance.now() - t0) / 1000);
  for (const b of batches) tf.dispose([b.x, b.y]);
  model.dispose();
  return rate;
}

/** Runs the training benchmark at the given batch sizes. */
export async function benchTraining(batchSizes: readonly number[] = [32, 128], steps = 100, warmup = 10): Promise<TrainingBench[]> {
  const out: TrainingBench[] = [];
  for (const batchSize of batchSizes) {
    const deepwell = benchDeepwell(batchSize, steps, warmup);
    const tfjsCpu = await benchTfjs('cpu', batchSize, Math.max(10, Math.floor(steps / 5)), 3);
    const tfjsWasm = await benchTfjs('wasm', batchSize, steps, warmup);
    out.push({ model: 'mlp-784-300-100-10', batchSize, deepwell, tfjsCpu, tfjsWasm });
  }
  return out;
}
