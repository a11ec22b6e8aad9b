/**
 * Initializer throughput (samples/s) on a [1000, 1000] kernel: deepwell's truncated normal and uniform
 * draws beside TensorFlow.js's `tf.truncatedNormal` and `tf.randomUniform` on its cpu backend, in
 * one process (issue 3). Also the orthogonal initializer on a small kernel, where TF.js is known to
 * be slow (tfjs#245).
 *
 * Each number is the best of `REPETITIONS` timings, each timing the mean of `CALLS_PER_TIMING` calls
 * after `WARMUP_CALLS` untimed ones. TF.js calls include `dataSync()` (the values reach JS, as
 * deepwell's do) and `dispose()`.
 *
 * Run alone: `node dist/bench/initializers.js [--json]`.
 */
import * as tf from '@tensorflow/tfjs';
import { pathToFileURL } from 'node:url';
import { GlorotUniform, HeNormal, type Initializer, Orthogonal, RandomUniform, TruncatedNormal } from '../src/initializers/index.js';

export interface InitializerBenchRow {
  /** What deepwell draws, with the TF.js op it is compared to. */
  initializer: string;
  shape: number[];
  /** Samples (elements) per second. */
  deepwell: number;
  tfjs: number;
  /** deepwell / tfjs: above 1 means deepwell is faster. */
  ratio: number;
}

const SHAPE = [1000, 1000];
/** A recurrent-sized kernel for the orthogonal row: TF.js takes seconds here (tfjs#245). */
const ORTHOGONAL_SHAPE = [64, 256];
const REPETITIONS = 3;
const CALLS_PER_TIMING = 5;
const WARMUP_CALLS = 2;

/** Samples/s of `draw`, which makes `size` samples per call: best of REPETITIONS timings. */
function samplesPerSecond(size: number, draw: () => void, calls = CALLS_PER_TIMING): number {
  for (let i = 0; i < WARMUP_CALLS; i++) draw();
  let best = Infinity;
  for (let r = 0; r < REPETITIONS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) draw();
    best = Math.min(best, (performance.now() - t0) / calls);
  }
  return size / (best / 1000);
}

function row(initializer: string, shape: number[], deepwell: number, tfjs: number): InitializerBenchRow {
  return { initializer, shape, deepwell, tfjs, ratio: deepwell / tfjs };
}

/** Runs the initializer benchmark; switches TF.js to its cpu backend. */
export async function benchInitializers(): Promise<InitializerBenchRow[]> {
  await tf.setBackend('cpu');
  await tf.ready();
  const size = SHAPE[0] * SHAPE[1];
  const deepwellRate = (init: Initializer): number => samplesPerSecond(size, () => void init.apply(SHAPE));
  const tfjsRate = (make: () => tf.Tensor): number =>
    samplesPerSecond(size, () => {
      const t = make();
      t.dataSync();
      t.dispose();
    });
  const tfTruncated = tfjsRate(() => tf.truncatedNormal(SHAPE));
  const tfUniform = tfjsRate(() => tf.randomUniform(SHAPE));
  const rows = [
    row('truncated_normal vs tf.truncatedNormal', SHAPE, deepwellRate(new TruncatedNormal({ stddev: 1, seed: 1 })), tfTruncated),
    row('he_normal vs tf.truncatedNormal', SHAPE, deepwellRate(new HeNormal({ seed: 1 })), tfTruncated),
    row('random_uniform vs tf.randomUniform', SHAPE, deepwellRate(new RandomUniform({ minval: 0, maxval: 1, seed: 1 })), tfUniform),
    row('glorot_uniform vs tf.randomUniform', SHAPE, deepwellRate(new GlorotUniform({ seed: 1 })), tfUniform),
  ];
  // Orthogonal: one call per timing, TF.js's warning about > 2000 elements silenced for the run.
  const orthoSize = ORTHOGONAL_SHAPE[0] * ORTHOGONAL_SHAPE[1];
  const deepwellOrtho = samplesPerSecond(orthoSize, () => void new Orthogonal({ seed: 1 }).apply(ORTHOGONAL_SHAPE), 1);
  const warn = console.warn;
  console.warn = () => {};
  try {
    const tfOrtho = samplesPerSecond(
      orthoSize,
      () => {
        const t = tf.initializers.orthogonal({ seed: 1 }).apply(ORTHOGONAL_SHAPE);
        t.dataSync();
        t.dispose();
      },
      1,
    );
    rows.push(row('orthogonal vs tf.initializers.orthogonal', ORTHOGONAL_SHAPE, deepwellOrtho, tfOrtho));
  } finally {
    console.warn = warn;
  }
  return rows;
}

/** The rows as an aligned text table. */
export function formatInitializerBench(rows: readonly InitializerBenchRow[]): string {
  const header = ['initializer', 'shape', 'deepwell Msamples/s', 'tfjs-cpu Msamples/s', 'ratio'];
  const body = rows.map((r) => [r.initializer, `[${r.shape.join(', ')}]`, (r.deepwell / 1e6).toFixed(2), (r.tfjs / 1e6).toFixed(2), r.ratio.toFixed(2)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  return [header, ...body].map((cells) => cells.map((s, i) => (i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join('  ')).join('\n');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await benchInitializers();
  process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify({ initializers: rows })}\n` : `${formatInitializerBench(rows)}\n`);
}
