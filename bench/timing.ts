/**
 * The timing loop every training and inference figure of the benchmark shares: warm-up steps, then
 * `repeats` blocks of `steps` steps (fewer past a time budget), and the samples/s of the FASTEST
 * block (min of N: on a shared machine, the least-disturbed block is the best estimate of what the
 * code costs).
 */
import type * as tf from '@tensorflow/tfjs';

/** Blocks per measurement (the fastest is reported). */
export const TIMING_REPEATS = 3;
/** No further block starts once the blocks so far took this long (slow ones, e.g. TF.js cpu: one block). */
export const TIMING_BUDGET_SECONDS = 5;

/** Samples/s of the fastest of `repeats` blocks of `steps` calls of `step` (awaited), after `warmup` calls. */
export async function bestRate(batchSize: number, steps: number, warmup: number,
  step: (i: number) => void | Promise<void>, repeats = TIMING_REPEATS): Promise<number> {
  let i = 0;
  for (; i < warmup; i++) await step(i);
  let best = Infinity;
  let spent = 0;
  for (let r = 0; r < repeats && spent < TIMING_BUDGET_SECONDS * 1000; r++) {
    const t0 = performance.now();
    for (let s = 0; s < steps; s++, i++) await step(i);
    const ms = performance.now() - t0;
    best = Math.min(best, ms);
    spent += ms;
  }
  return (steps * batchSize) / (best / 1000);
}

/** Samples/s of TF.js `trainOnBatch` over `batches` (cycled); disposes the batches and the model. */
export async function tfjsTrainingRate(model: tf.LayersModel, batches: ReadonlyArray<{ x: tf.Tensor; y: tf.Tensor }>,
  batchSize: number, steps: number, warmup: number): Promise<number> {
  try {
    return await bestRate(batchSize, steps, warmup, async (i) => {
      const b = batches[i % batches.length];
      await model.trainOnBatch(b.x, b.y);
    });
  } finally {
    for (const b of batches) b.x.dispose(), b.y.dispose();
    model.dispose();
  }
}
