/**
 * `npm run bench -- --browser [--json]`: training speed in headless Chromium (Debian's, driven by
 * playwright-core): the 784-300-100-10 MLP (relu/he_normal, softmax, Adam 1e-3, sparse categorical
 * crossentropy, random data) at batch 32 and 128, deepwell (its browser bundle: the embedded
 * WebAssembly SIMD GEMM) against TensorFlow.js's wasm, webgl (software GL when headless; skipped
 * when it does not start) and cpu backends, in the same page, one backend after the other. Figures
 * are optimizer steps per second (and samples/s), median of RUNS timed runs of STEPS steps each after
 * WARMUP steps. The page and the tfjs .wasm files are served from 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const BATCHES = [32, 128];
const WARMUP = 3;
const STEPS = 20;
const RUNS = 3;

export interface BrowserTrainingRow {
  model: string;
  batchSize: number;
  /** optimizer steps per second, by engine ('deepwell', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-cpu'); null when it did not run */
  stepsPerSec: Record<string, number | null>;
  /** why an engine did not run */
  errors: Record<string, string>;
}

/** The page: builds the same MLP in each engine and times fit over STEPS batches. */
const PAGE = `
import * as dw from 'deepwell';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
setWasmPaths('/tfjs/');
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
function data(n) {
  const x = new Float32Array(n * 784).map(() => Math.random());
  const y = new Float32Array(n).map(() => Math.floor(Math.random() * 10));
  return { x, y };
}
async function deepwell(batch) {
  await dw.ready();
  const m = new dw.Sequential([
    new dw.layers.Dense(300, { activation: 'relu', kernelInitializer: 'he_normal', inputShape: [784] }),
    new dw.layers.Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new dw.layers.Dense(10, { activation: 'softmax' }),
  ]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new dw.optimizers.Adam({ learningRate: 1e-3 }) });
  const run = async (steps) => {
    const { x, y } = data(steps * batch);
    const xs = dw.tensor(x, [steps * batch, 784]);
    const ys = dw.tensor(y, [steps * batch]);
    const t0 = performance.now();
    await m.fit(xs, ys, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false });
    return steps / ((performance.now() - t0) / 1000);
  };
  await run(${WARMUP});
  const r = [];
  for (let i = 0; i < ${RUNS}; i++) r.push(await run(${STEPS}));
  return { rate: median(r), backend: dw.getBackend() };
}
async function tfjs(backend, batch) {
  if (!(await tf.setBackend(backend))) throw new Error('setBackend(' + backend + ') failed');
  await tf.ready();
  const m = tf.sequential({ layers: [
    tf.layers.dense({ units: 300, activation: 'relu', kernelInitializer: 'heNormal', inputShape: [784] }),
    tf.layers.dense({ units: 100, activation: 'relu', kernelInitializer: 'heNormal' }),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ] });
  m.compile({ loss: 'sparseCategoricalCrossentropy', optimizer: tf.train.adam(1e-3) });
  const run = async (steps) => {
    const { x, y } = data(steps * batch);
    const xs = tf.tensor2d(x, [steps * batch, 784]);
    const ys = tf.tensor1d(y);
    const t0 = performance.now();
    await m.fit(xs, ys, { epochs: 1, batchSize: batch, verbose: 0, shuffle: false });
    await tf.nextFrame();
    const rate = steps / ((performance.now() - t0) / 1000);
    xs.dispose(); ys.dispose();
    return rate;
  };
  await run(${WARMUP});
  const r = [];
  for (let i = 0; i < ${RUNS}; i++) r.push(await run(${STEPS}));
  m.dispose();
  return { rate: median(r), backend: tf.getBackend() };
}
window.runBench = async (batch) => {
  const out = { stepsPerSec: {}, errors: {} };
  const engines = [['deepwell', () => deepwell(batch)], ['tfjs-wasm', () => tfjs('wasm', batch)], ['tfjs-webgl', () => tfjs('webgl', batch)], ['tfjs-cpu', () => tfjs('cpu', batch)]];
  for (const [name, fn] of engines) {
    try { out.stepsPerSec[name] = (await fn()).rate; } catch (e) { out.stepsPerSec[name] = null; out.errors[name] = String(e && e.message || e); }
  }
  return out;
};
document.title = 'ready';
`;

/** Runs the benchmark; rows per batch size. */
export async function benchBrowser(log: (line: string) => void): Promise<BrowserTrainingRow[]> {
  const bundle = await build({
    stdin: { contents: PAGE, resolveDir: ROOT, sourcefile: 'bench-page.js', loader: 'js' },
    bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, logLevel: 'error', minify: true,
  });
  const wasmDir = `${ROOT}node_modules/@tensorflow/tfjs-backend-wasm/dist/`;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>bench</title><script type="module" src="/bench.js"></script>');
    else if (path === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle.outputFiles[0].text);
    else if (/^\/tfjs\/tfjs-backend-wasm[a-z-]*\.wasm$/.test(path)) res.writeHead(200, { 'content-type': 'application/wasm' }).end(readFileSync(wasmDir + path.slice(6)));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction('document.title === "ready"');
    const rows: BrowserTrainingRow[] = [];
    for (const batchSize of BATCHES) {
      log(`batch ${batchSize}...`);
      const r = (await page.evaluate(`window.runBench(${batchSize})`)) as Pick<BrowserTrainingRow, 'stepsPerSec' | 'errors'>;
      rows.push({ model: 'mlp-784-300-100-10', batchSize, ...r });
    }
    return rows;
  } finally {
    await browser.close();
    server.close();
  }
}

/** The table `npm run bench -- --browser` prints. */
export function formatBrowserBench(rows: readonly BrowserTrainingRow[]): string {
  const engines = ['deepwell', 'tfjs-wasm', 'tfjs-webgl', 'tfjs-cpu'];
  const header = ['model', 'batch', ...engines, 'deepwell/tfjs-wasm'];
  const cell = (v: number | null | undefined) => (v === null || v === undefined ? 'n/a' : v.toFixed(1));
  const body = rows.map((r) => [r.model, String(r.batchSize), ...engines.map((e) => cell(r.stepsPerSec[e])),
    r.stepsPerSec.deepwell != null && r.stepsPerSec['tfjs-wasm'] != null ? (r.stepsPerSec.deepwell / r.stepsPerSec['tfjs-wasm']!).toFixed(2) : 'n/a']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const lines = [header, ...body].map((cells) => cells.map((s, i) => s.padStart(widths[i])).join('  '));
  const notes = [...new Set(rows.flatMap((r) => Object.entries(r.errors).map(([e, m]) => `${e}: ${m}`)))];
  return [`Training in headless Chromium, optimizer steps/s (Adam, random data)`, ...lines, ...notes.map((n) => `  not run: ${n}`)].join('\n');
}
