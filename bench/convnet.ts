/**
 * Training throughput of the Keras-example MNIST convnet (keras.io/examples/vision/mnist_convnet):
 * Conv2D(32, 3x3, relu) -> MaxPooling2D(2) -> Conv2D(64, 3x3, relu) -> MaxPooling2D(2) -> Flatten ->
 * Dropout(0.5) -> Dense(10, softmax), Adam 1e-3, sparse categorical crossentropy, batch 64, random
 * 28x28x1 data; deepwell (each kernel backend) beside TensorFlow.js cpu and wasm in the same process.
 *
 * TF.js 4.22's wasm backend has no Conv2DBackpropFilter kernel, so it cannot train this network
 * ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"): its training figure is NaN
 * with the reason, and the wasm comparison is made on inference (predict, batch 64) as well.
 */
import * as tf from '@tensorflow/tfjs';
import { Sequential } from '../src/models/sequential.js';
import { Conv2D } from '../src/layers/conv2d.js';
import { Dense } from '../src/layers/dense.js';
import { Dropout } from '../src/layers/dropout.js';
import { Flatten } from '../src/layers/flatten.js';
import { MaxPooling2D } from '../src/layers/max_pooling2d.js';
import { Adam } from '../src/optimizers/adam.js';
import { Tensor } from '../src/core/tensor.js';
import { Rng, setSeed } from '../src/core/random.js';
import { backward } from '../src/autodiff/backward.js';
import { noGrad } from '../src/autodiff/node.js';
import { nativeThreads } from '../src/kernels/native/index.node.js';
import { backendVariants, restoreDefault, useTfjsWasm, useVariant } from './gemm.js';
import type { TrainingBench } from './training.js';
import { bestRate, tfjsTrainingRate } from './timing.js';

/** The convnet row: training as the other rows, plus inference samples/s and why a figure is missing. */
export interface ConvnetBench extends TrainingBench {
  /** predict samples/s at batch 64: deepwell's default backend, each deepwell variant, TF.js cpu and wasm. */
  inference: { deepwell: number; backends: Record<string, number>; tfjsCpu: number; tfjsWasm: number };
  /** Why TF.js wasm has no training figure (NaN), when it has none. */
  tfjsWasmTrainingError?: string;
}

const SIDE = 28;
const CLASSES = 10;
export const CONVNET_BATCH = 64;

function randomBatches(batchSize: number, count: number): { x: Float32Array; y: Float32Array }[] {
  const rng = new Rng(11);
  return Array.from({ length: count }, () => {
    const x = new Float32Array(batchSize * SIDE * SIDE);
    rng.fillUniform(x, 0, 1);
    const y = new Float32Array(batchSize);
    for (let i = 0; i < batchSize; i++) y[i] = rng.nextInt(CLASSES);
    return { x, y };
  });
}

/** The example's model in deepwell. */
export function mnistConvnet(): Sequential {
  return new Sequential([
    new Conv2D(32, 3, { activation: 'relu', inputShape: [SIDE, SIDE, 1] }),
    new MaxPooling2D({ poolSize: 2 }),
    new Conv2D(64, 3, { activation: 'relu' }),
    new MaxPooling2D({ poolSize: 2 }),
    new Flatten(),
    new Dropout(0.5),
    new Dense(CLASSES, { activation: 'softmax' }),
  ]);
}

async function benchDeepwell(batchSize: number, steps: number, warmup: number): Promise<number> {
  setSeed(1);
  const model = mnistConvnet();
  const optimizer = new Adam({ learningRate: 1e-3 });
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer, initializerAdvice: false });
  const compiled = model.requireCompiled(CLASSES);
  const batches = randomBatches(batchSize, 4);
  return bestRate(batchSize, steps, warmup, (i) => {
    const b = batches[i % batches.length];
    const pred = model.call(new Tensor(b.x, [batchSize, SIDE, SIDE, 1]), { training: true });
    const loss = compiled.loss(new Tensor(b.y, [batchSize]), pred);
    const weights = model.trainableWeights;
    optimizer.applyGradients(backward(loss, weights), weights);
  });
}

/** predict samples/s of the example's model in deepwell on the current backend. */
async function benchDeepwellInference(batchSize: number, steps: number, warmup: number): Promise<number> {
  setSeed(1);
  const model = mnistConvnet();
  const batches = randomBatches(batchSize, 4);
  return bestRate(batchSize, steps, warmup, (i) => {
    noGrad(() => model.call(new Tensor(batches[i % batches.length].x, [batchSize, SIDE, SIDE, 1]), { training: false }));
  });
}

function tfjsConvnet(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [SIDE, SIDE, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.5 }),
      tf.layers.dense({ units: CLASSES, activation: 'softmax' }),
    ],
  });
}

async function useTfjs(backend: 'cpu' | 'wasm'): Promise<void> {
  if (backend === 'wasm') await useTfjsWasm();
  else await tf.setBackend(backend);
  await tf.ready();
}

/** predict samples/s of the example's model in TF.js. */
async function benchTfjsInference(backend: 'cpu' | 'wasm', batchSize: number, steps: number, warmup: number): Promise<number> {
  await useTfjs(backend);
  const model = tfjsConvnet();
  const batches = randomBatches(batchSize, 4).map((b) => tf.tensor4d(b.x, [batchSize, SIDE, SIDE, 1]));
  const run = (i: number): void => {
    const y = model.predict(batches[i % batches.length]) as tf.Tensor;
    y.dataSync();
    y.dispose();
  };
  const rate = await bestRate(batchSize, steps, warmup, run);
  tf.dispose(batches);
  model.dispose();
  return rate;
}

async function benchTfjs(backend: 'cpu' | 'wasm', batchSize: number, steps: number, warmup: number): Promise<number> {
  await useTfjs(backend);
  const model = tfjsConvnet();
  model.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: tf.train.adam(1e-3) });
  const batches = randomBatches(batchSize, 4).map((b) => ({ x: tf.tensor4d(b.x, [batchSize, SIDE, SIDE, 1]), y: tf.tensor1d(b.y) }));
  return tfjsTrainingRate(model, batches, batchSize, steps, warmup);
}

/** Steps and warm-up steps per measurement: fewer for the slow ones (ts, tfjs cpu). */
function stepsFor(who: string): [number, number] {
  return who === 'ts' || who === 'tfjs-cpu' ? [2, 1] : [8, 2];
}

/** Steps and warm-up steps of an inference measurement (predict is about 3x cheaper than a training step). */
function inferenceStepsFor(who: string): [number, number] {
  return who === 'ts' || who === 'tfjs-cpu' ? [3, 1] : [16, 3];
}

/** The convnet row of the training table (same fields as the MLP rows), and inference per backend. */
export async function benchConvnet(): Promise<ConvnetBench> {
  const variants = backendVariants();
  const threads = nativeThreads();
  const defaultLabel = variants.find((v) => v.threads === threads)?.label ?? variants[0].label;
  const backends: Record<string, number> = {};
  const inferenceBackends: Record<string, number> = {};
  for (const v of variants) {
    process.stderr.write(`bench mnist-convnet batch ${CONVNET_BATCH} deepwell ${v.label}...\n`);
    useVariant(v);
    backends[v.label] = await benchDeepwell(CONVNET_BATCH, ...stepsFor(v.label));
    inferenceBackends[v.label] = await benchDeepwellInference(CONVNET_BATCH, ...inferenceStepsFor(v.label));
    process.stderr.write(`  training ${backends[v.label].toFixed(1)}, inference ${inferenceBackends[v.label].toFixed(1)} samples/s\n`);
    restoreDefault(threads);
  }
  process.stderr.write(`bench mnist-convnet batch ${CONVNET_BATCH} tfjs...\n`);
  const tfjsCpu = await benchTfjs('cpu', CONVNET_BATCH, ...stepsFor('tfjs-cpu'));
  let tfjsWasm = NaN;
  let tfjsWasmTrainingError: string | undefined;
  try {
    tfjsWasm = await benchTfjs('wasm', CONVNET_BATCH, ...stepsFor('tfjs-wasm'));
  } catch (e) {
    tfjsWasmTrainingError = (e as Error).message;
  }
  const inference = {
    deepwell: inferenceBackends[defaultLabel],
    backends: inferenceBackends,
    tfjsCpu: await benchTfjsInference('cpu', CONVNET_BATCH, ...inferenceStepsFor('tfjs-cpu')),
    tfjsWasm: await benchTfjsInference('wasm', CONVNET_BATCH, ...inferenceStepsFor('tfjs-wasm')),
  };
  process.stderr.write(`  tfjs training cpu ${tfjsCpu.toFixed(1)}, wasm ${tfjsWasm.toFixed(1)}; inference cpu ${inference.tfjsCpu.toFixed(1)}, wasm ${inference.tfjsWasm.toFixed(1)} samples/s\n`);
  const deepwell = backends[defaultLabel];
  return {
    model: 'mnist-convnet', batchSize: CONVNET_BATCH, deepwell, tfjsCpu, tfjsWasm, stepsPerSec: deepwell / CONVNET_BATCH, backends,
    inference, ...(tfjsWasmTrainingError !== undefined ? { tfjsWasmTrainingError } : {}),
  };
}

/** `node dist/bench/convnet.js`: this benchmark alone, one JSON line. */
if (process.argv[1]?.endsWith('convnet.js')) {
  await import('../src/kernels/native/register.node.js');
  process.stdout.write(`${JSON.stringify(await benchConvnet())}\n`);
}
