/**
 * `npm run bench [-- --json]`: deepwell against TensorFlow.js in the same run (DESIGN.md section 7).
 * Prints a table, or with `--json` exactly one JSON object on stdout (progress goes to stderr).
 */
import { benchGemm, type GemmBenchRow } from './gemm.js';
import { benchTraining, type TrainingBench } from './training.js';
import { benchInitializers, formatInitializerBench } from './initializers.js';
import { benchModelFiles, formatModelFileBench } from './model_files.js';

function table(header: readonly string[], body: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  return [header, ...body].map((cells) => cells.map((s, i) => s.padStart(widths[i])).join('  ')).join('\n');
}

function gemmTable(rows: readonly GemmBenchRow[]): string {
  const header = ['m', 'k', 'n', 'deepwell GFLOP/s', 'tfjs-wasm GFLOP/s', 'ratio'];
  return table(header, rows.map((r) => [r.m, r.k, r.n, r.deepwell.toFixed(2), r.tfjsWasm.toFixed(2), r.ratio.toFixed(2)].map(String)));
}

function trainingTable(rows: readonly TrainingBench[]): string {
  const header = ['model', 'batch', 'deepwell', 'tfjs-cpu', 'tfjs-wasm', 'vs cpu', 'vs wasm'];
  return table(header, rows.map((r) => [r.model, String(r.batchSize), r.deepwell.toFixed(0), r.tfjsCpu.toFixed(0), r.tfjsWasm.toFixed(0),
    (r.deepwell / r.tfjsCpu).toFixed(2), (r.deepwell / r.tfjsWasm).toFixed(2)]));
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const gemm = await benchGemm();
  const training = await benchTraining();
  const initializers = await benchInitializers();
  const modelFiles = await benchModelFiles();
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  if (json) {
    process.stdout.write(`${JSON.stringify({ gemm, training, initializers, modelFiles, peakRssMB })}\n`);
  } else {
    process.stdout.write(`GEMM, C = A B, float32, single thread\n${gemmTable(gemm)}\n\n`);
    process.stdout.write(`Training, samples/s (Adam, sparse categorical crossentropy, random data)\n${trainingTable(training)}\n\n`);
    process.stdout.write(`Initializers, samples/s, [1000, 1000] kernel\n${formatInitializerBench(initializers)}\n\n`);
    process.stdout.write(`Model files, 784-300-100-10 with Adam state: model.save and loadModel, median ms\n${formatModelFileBench(modelFiles)}\n\n`);
    process.stdout.write(`peak RSS ${peakRssMB.toFixed(0)} MB\n`);
  }
}

await main();
