/**
 * `npm run bench [-- --json]`: deepwell's kernel backends against TensorFlow.js in the same run
 * (README, "Kernels and benchmark"). Prints tables, or with `--json` exactly one JSON object on stdout
 * (progress goes to stderr). `-- --quick` skips the initializer benchmark. `-- --browser` runs
 * the training benchmark in headless Chromium instead (bench/browser.ts). `-- --only gemm` runs the
 * GEMM benchmark alone, `-- --only training` (or `-- --training`) the Dense training benchmark alone
 * (MLP batch 32 and 128, deep-100x100); both print the load average before and after and peak RSS.
 */
import { loadavg } from 'node:os';
import '../src/kernels/native/register.node.js';
import { useNodeProgressOutput } from '../src/callbacks/progress_output.node.js';
import { backendInfo } from '../src/kernels/index.js';
import { benchGemm, type GemmBenchRow } from './gemm.js';
import { benchTraining, type TrainingBench } from './training.js';
import { benchConvnet } from './convnet.js';
import { benchInitializers, formatInitializerBench } from './initializers.js';
import { benchModelFiles, formatModelFileBench } from './model_files.js';

function table(header: readonly string[], body: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i].length)));
  return [header, ...body].map((cells) => cells.map((s, i) => s.padStart(widths[i])).join('  ')).join('\n');
}

function labels(rows: ReadonlyArray<{ backends: Record<string, number> }>): string[] {
  return rows.length === 0 ? [] : Object.keys(rows[0].backends);
}

function gemmTable(rows: readonly GemmBenchRow[]): string {
  const names = labels(rows);
  const header = ['m', 'k', 'n', ...names, 'tfjs-wasm', 'deepwell/tfjs-wasm'];
  return table(header, rows.map((r) => [String(r.m), String(r.k), String(r.n),
    ...names.map((b) => r.backends[b].toFixed(1)), r.tfjsWasm.toFixed(1), r.ratio.toFixed(2)]));
}

function trainingTable(rows: readonly TrainingBench[]): string {
  const names = labels(rows);
  const header = ['model', 'batch', ...names, 'tfjs-cpu', 'tfjs-wasm', 'steps/s', 'vs cpu', 'vs wasm'];
  return table(header, rows.map((r) => [r.model, String(r.batchSize), ...names.map((b) => r.backends[b].toFixed(0)),
    r.tfjsCpu.toFixed(0), r.tfjsWasm.toFixed(0), r.stepsPerSec.toFixed(1),
    (r.deepwell / r.tfjsCpu).toFixed(2), (r.deepwell / r.tfjsWasm).toFixed(2)]));
}

async function main(): Promise<void> {
  // Any training progress goes to stderr: stdout holds the tables, or with --json exactly one JSON object.
  useNodeProgressOutput();
  const json = process.argv.includes('--json');
  const quick = process.argv.includes('--quick');
  if (process.argv.includes('--browser')) {
    const { benchBrowser, formatBrowserBench } = await import('./browser.js');
    const rows = await benchBrowser((line) => process.stderr.write(`${line}\n`));
    process.stdout.write(json ? `${JSON.stringify({ browser: { training: rows } })}\n` : `${formatBrowserBench(rows)}\n`);
    return;
  }
  const info = backendInfo();
  const only = process.argv.includes('--training') ? 'training'
    : process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  if (only !== undefined && only !== 'gemm' && only !== 'training') throw new Error(`bench: --only accepts 'gemm' or 'training', got '${only}'`);
  if (only !== undefined) {
    const loadBefore = loadavg()[0];
    const part: { gemm?: GemmBenchRow[]; training?: TrainingBench[] } = only === 'gemm' ? { gemm: await benchGemm() } : { training: await benchTraining() };
    // The 1-minute load average before and after: the figures are only as good as the machine was idle.
    const loadAverage = [loadBefore, loadavg()[0]].map((x) => Math.round(x * 100) / 100);
    const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    const body = part.gemm !== undefined ? `GEMM, C = A B, float32, GFLOP/s\n${gemmTable(part.gemm)}` : `Training, samples/s\n${trainingTable(part.training ?? [])}`;
    process.stdout.write(json
      ? `${JSON.stringify({ backend: info.backend, detail: info.detail, threads: info.threads, ...part, loadAverage, peakRssMB })}\n`
      : `kernels: ${info.backend} (${info.detail}), ${info.threads} threads; load average ${loadAverage.join(' -> ')}\n\n${body}\n\npeak RSS ${peakRssMB} MB\n`);
    return;
  }
  const gemm = await benchGemm();
  const convnet = await benchConvnet();
  const training = [...await benchTraining(), convnet];
  const initializers = quick ? [] : await benchInitializers();
  const modelFiles = quick ? [] : await benchModelFiles();
  const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  if (json) {
    process.stdout.write(`${JSON.stringify({ backend: info.backend, detail: info.detail, threads: info.threads, gemm, training, initializers, modelFiles, peakRssMB })}\n`);
  } else {
    process.stdout.write(`kernels: ${info.backend} (${info.detail}), ${info.threads} threads; deepwell = ${info.backend} with all threads\n\n`);
    process.stdout.write(`GEMM, C = A B, float32, GFLOP/s\n${gemmTable(gemm)}\n\n`);
    process.stdout.write(`Training, samples/s (MLP and mnist-convnet: Adam; deep-100x100: SGD; sparse categorical crossentropy, random data)\n${trainingTable(training)}\n\n`);
    const inf = convnet.inference;
    const perBackend = Object.entries(inf.backends).map(([b, v]) => `${b} ${v.toFixed(0)}`).join(', ');
    process.stdout.write(`mnist-convnet inference (predict), samples/s at batch ${convnet.batchSize}: ${perBackend}; deepwell ${inf.deepwell.toFixed(0)}, tfjs-cpu ${inf.tfjsCpu.toFixed(0)}, tfjs-wasm ${inf.tfjsWasm.toFixed(0)} (vs cpu ${(inf.deepwell / inf.tfjsCpu).toFixed(2)}, vs wasm ${(inf.deepwell / inf.tfjsWasm).toFixed(2)})\n`);
    if (convnet.tfjsWasmTrainingError !== undefined) process.stdout.write(`mnist-convnet training on tfjs-wasm: not possible (${convnet.tfjsWasmTrainingError})\n`);
    process.stdout.write('\n');
    if (!quick) process.stdout.write(`Initializers, samples/s, [1000, 1000] kernel\n${formatInitializerBench(initializers)}\n\n`);
    if (!quick) process.stdout.write(`Model files, 784-300-100-10 with Adam state: model.save and loadModel, median ms\n${formatModelFileBench(modelFiles)}\n\n`);
    process.stdout.write(`peak RSS ${peakRssMB} MB\n`);
  }
}

await main();
