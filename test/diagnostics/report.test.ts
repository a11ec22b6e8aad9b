// The HTML report opened in a real browser: Debian's Chromium, headless, driven by playwright-core.
// Checks that the page is self-contained (no request leaves the file), that every plot renders as an
// SVG of nonzero size, and that the by-depth plots draw one point per layer for each snapshot.
// Needs /usr/bin/chromium (README: apt-get install -y chromium). In CI (CI=true) a missing browser
// fails the test; elsewhere the test is skipped with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { diagnoseModel } from '../../src/diagnostics/diagnose.js';
import { type Snapshot, buildDiagnosisReport } from '../../src/diagnostics/report.js';
import { writeFileAtomic } from '../../src/diagnostics/report.node.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';

const CHROMIUM = '/usr/bin/chromium';
/** The flags this machine needs (no sandbox as root; no background traffic on a closed network). */
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DEPTH = 6;

/** A 6-hidden-layer network diagnosed at initialization and after each of 2 epochs, rendered to a report file. */
async function writeSampleReport(dir: string): Promise<{ path: string; layers: number; snapshots: number }> {
  const rng = new Rng(5);
  const x = new Float32Array(128 * 20).map(() => rng.nextNormal());
  const y = new Float32Array(128).map((_, i) => i % 4);
  const xs = new Tensor(x, [128, 20]);
  const ys = new Tensor(y, [128]);
  setSeed(4);
  const model = new Sequential([
    ...Array.from({ length: DEPTH }, (_, i) => new Dense(16, { activation: 'relu', kernelInitializer: 'he_normal', ...(i === 0 ? { inputShape: [20] } : {}) })),
    new Dense(4, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.05 }), metrics: ['accuracy'] });
  const init = diagnoseModel(model, xs, ys, { training: false });
  const snapshots: Snapshot[] = [{ label: 'initialization', layers: init.layers }];
  const history: Record<string, number[]> = {};
  for (let epoch = 1; epoch <= 2; epoch++) {
    const h = await model.fit(xs, ys, { epochs: 1, batchSize: 32, seed: epoch });
    for (const [k, v] of Object.entries(h.history)) (history[k] ??= []).push(...v);
    const e = model.evaluate(xs, ys);
    (history.val_loss ??= []).push(e.loss);
    (history.val_accuracy ??= []).push(e.accuracy);
    snapshots.push({ label: `epoch ${epoch}`, layers: diagnoseModel(model, xs, ys, { training: false }).layers });
  }
  const html = await buildDiagnosisReport({ title: 'report test', description: 'six ReLU layers', snapshots, verdict: init.verdict, history });
  const path = join(dir, 'report.html');
  writeFileAtomic(path, html);
  return { path, layers: DEPTH + 1, snapshots: snapshots.length };
}

test('the report file is self-contained and written atomically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-report-'));
  const { path } = await writeSampleReport(dir);
  assert.deepEqual(readdirSync(dir), ['report.html'], 'no temporary file is left behind');
  const html = readFileSync(path, 'utf8');
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:|\/\/)/i, 'nothing is loaded from the network');
  assert.equal((html.match(/<figure class="plot"/g) ?? []).length, 5);
});

test('the report renders in headless Chromium: every plot is a visible SVG, one point per layer and snapshot', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') assert.fail(`${CHROMIUM} is missing: CI must install it (README: apt-get install -y chromium).`);
    t.skip(`${CHROMIUM} is not installed (apt-get install -y chromium); skipping the browser check outside CI.`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-report-'));
  const { path, layers, snapshots } = await writeSampleReport(dir);
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'deepwell-chromium-')), {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS,
  });
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), [], 'no network request');
    // Runs in the page: per figure, its data attributes, the SVG's rendered size and its points.
    const figures = (await page.evaluate(`[...document.querySelectorAll('figure.plot')].map((f) => {
      const svg = f.querySelector('svg');
      const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
      const points = [...f.querySelectorAll('g.mark-symbol.role-mark path[aria-roledescription="point"]')];
      return {
        id: f.dataset.plot, layers: f.dataset.layers === undefined ? null : Number(f.dataset.layers),
        series: Number(f.dataset.series), declared: Number(f.dataset.points),
        width: box.width, height: box.height,
        points: points.length,
        visiblePoints: points.filter((p) => { const b = p.getBoundingClientRect(); return b.width > 0 && b.height > 0; }).length,
        labels: points.map((p) => p.getAttribute('aria-label') || ''),
      };
    })`)) as { id: string; layers: number | null; series: number; declared: number; width: number; height: number; points: number; visiblePoints: number; labels: string[] }[];
    assert.deepEqual(figures.map((f) => f.id), ['activation-std', 'gradient-std', 'variance-ratio', 'loss', 'accuracy']);
    for (const f of figures) {
      assert.ok(f.width > 100 && f.height > 100, `${f.id}: svg ${f.width} x ${f.height}`);
      assert.equal(f.points, f.declared, `${f.id}: points drawn vs declared`);
      assert.equal(f.visiblePoints, f.points, `${f.id}: every point has a nonzero size`);
    }
    for (const id of ['activation-std', 'gradient-std']) {
      const f = figures.find((x) => x.id === id)!;
      assert.equal(f.layers, layers);
      assert.equal(f.series, snapshots);
      assert.equal(f.points, layers * snapshots, `${id}: one point per layer and snapshot`);
      for (const label of ['initialization', 'epoch 1', 'epoch 2']) {
        const depths = f.labels.filter((l) => l.includes(`series: ${label};`)).map((l) => Number(/depth: (\d+)/.exec(l)?.[1]));
        assert.deepEqual(depths.sort((a, b) => a - b), Array.from({ length: layers }, (_, i) => i + 1), `${id} / ${label}`);
      }
    }
    assert.equal(figures.find((f) => f.id === 'variance-ratio')!.points, 2 * layers);
    assert.equal(figures.find((f) => f.id === 'loss')!.points, 2 * 2, 'loss and val_loss for 2 epochs');
    const verdict = await page.textContent('.verdict');
    assert.match(verdict ?? '', /healthy|vanishing|exploding|saturation|dead units/i);
  } finally {
    await context.close();
  }
});
