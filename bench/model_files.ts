/**
 * Save and load times of the default MLP (784-300-100-10, Adam state after one training step:
 * 266,610 weights and twice as many optimizer slots) with `model.save(path, { format })` and
 * `loadModel(path)` in every format, on the local disk (a temp folder). Median of several runs,
 * after one warm-up run; the target (issue 8) is under 100 ms each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../src/io/file_store.node.js';
import { Rng, setSeed } from '../src/core/random.js';
import { Tensor } from '../src/core/tensor.js';
import { Dense } from '../src/layers/dense.js';
import { MODEL_FORMATS, type ModelFormat, loadModel } from '../src/models/model_store.js';
import { Sequential } from '../src/models/sequential.js';
import { Adam } from '../src/optimizers/adam.js';

export interface ModelFileBench {
  format: ModelFormat;
  /** median milliseconds of model.save */
  saveMs: number;
  /** median milliseconds of loadModel */
  loadMs: number;
}

/** The target of issue 8 for each of save and load. */
export const MODEL_FILE_TARGET_MS = 100;

const PATHS: Record<ModelFormat, string> = { deepwell: 'model', tfjs: 'tfjs', keras: 'model.keras', h5: 'model.h5' };

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function trainedMlp(): Promise<Sequential> {
  setSeed(1);
  const model = new Sequential([
    new Dense(300, { activation: 'relu', kernelInitializer: 'he_normal', inputShape: [784] }),
    new Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  const rng = new Rng(7);
  const x = new Float32Array(64 * 784);
  rng.fillUniform(x, 0, 1);
  const y = Float32Array.from({ length: 64 }, () => rng.nextInt(10));
  await model.fit(new Tensor(x, [64, 784]), new Tensor(y, [64]), { epochs: 1, batchSize: 64, seed: 1, verbose: 0 });
  return model;
}

export async function benchModelFiles(runs = 7): Promise<ModelFileBench[]> {
  const model = await trainedMlp();
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-bench-files-'));
  try {
    const out: ModelFileBench[] = [];
    for (const format of MODEL_FORMATS) {
      const path = join(dir, PATHS[format]);
      const saves: number[] = [];
      const loads: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const t0 = performance.now();
        await model.save(path, { format });
        const t1 = performance.now();
        await loadModel(path);
        const t2 = performance.now();
        if (i > 0) { saves.push(t1 - t0); loads.push(t2 - t1); } // run 0 warms up
      }
      out.push({ format, saveMs: median(saves), loadMs: median(loads) });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatModelFileBench(rows: readonly ModelFileBench[]): string {
  const mark = (ms: number): string => `${ms.toFixed(1)}${ms < MODEL_FILE_TARGET_MS ? '' : ' (over)'}`;
  const width = Math.max(...rows.map((r) => r.format.length), 'format'.length);
  return [
    `${'format'.padEnd(width)}  save ms  load ms   (target: each under ${MODEL_FILE_TARGET_MS} ms)`,
    ...rows.map((r) => `${r.format.padEnd(width)}  ${mark(r.saveMs).padStart(7)}  ${mark(r.loadMs).padStart(7)}`),
  ].join('\n');
}
