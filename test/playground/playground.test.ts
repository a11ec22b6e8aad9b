// The playground, served by `deepwell playground`'s server and driven in headless Chromium
// (playwright-core): the "Must show". The deep-sigmoid preset trains a fixed number of steps
// and reads "vanishing" with the per-layer gradient plot drawn; the SELU + lecun_normal preset reads
// "healthy"; the spiral trains to >= 0.9 held-out accuracy; the settings live in the URL; the model
// downloads as a deepwell file that decodes; no console error and no request leaves 127.0.0.1; a
// screenshot is checked not blank; the page fits a phone's width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startPlaygroundServer } from '../../src/cli/playground.js';
import { decodeDeepwellModel } from '../../src/io/deepwell_format.js';
import { haveChromium, imageStats, launchChromium } from './chromium.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Where the screenshots are kept for a reader (dist/ is not committed). */
const SHOTS = join(ROOT, 'dist', 'playground-screenshots');

/** Steps trained for each preset's verdict. */
const STEPS = 200;

async function loadPreset(page: Page, preset: string): Promise<void> {
  await page.selectOption('[data-testid=preset]', preset);
  await page.click('[data-testid=load-preset]');
  // A fresh model posts its step-0 snapshot.
  await page.waitForFunction(`document.querySelector('[data-testid=step]').textContent === '0' && window.deepwellPlayground.snapshot() !== null`);
}

async function trainSteps(page: Page, steps: number): Promise<void> {
  await page.fill('[data-testid=control-steps]', String(steps));
  await page.click('[data-testid=step-button]');
  await page.waitForFunction(`document.querySelector('[data-testid=step]').textContent === '${steps}'`, undefined, { timeout: 300_000 });
}

test('the playground: vanishing with deep sigmoid, healthy with SELU + LeCun, a spiral learnt, all local', { timeout: 900_000 }, async (t) => {
  // Rebuild the page from the current sources (`npm test` compiles TypeScript only).
  const built = spawnSync(process.execPath, ['scripts/build-playground.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  if (!haveChromium(t)) return;
  mkdirSync(SHOTS, { recursive: true });
  const { url, server } = await startPlaygroundServer(0);
  const origin = url.slice(0, -1);
  const context = await launchChromium();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    context.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
    });
    await page.goto(url);
    await page.waitForFunction('window.deepwellPlayground && window.deepwellPlayground.snapshot() !== null');

    // Every control has a label (a <label for> or an aria-label).
    const unlabelled = await page.evaluate(`[...document.querySelectorAll('input, select')]
      .filter((e) => e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => e.getAttribute('data-testid'))`);
    assert.deepEqual(unlabelled, []);

    // 1. Deep sigmoid with random_normal: the gradient vanishes on its way back.
    await loadPreset(page, 'deep_sigmoid');
    assert.match(page.url(), /activation=sigmoid/);
    assert.match(page.url(), /initializer=random_normal/);
    assert.equal(await page.inputValue('[data-testid=control-depth]'), '10');
    await trainSteps(page, STEPS);
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-kind'), 'vanishing');
    assert.match(await page.textContent('[data-testid=verdict-kind]') ?? '', /vanishing/);
    assert.match(await page.textContent('[data-testid=verdict-fix]') ?? '', /\S/);
    // The per-layer gradient plot: one point per hidden layer for 'now' and 'at init', drawn as SVG marks.
    const gradients = (await page.evaluate(`window.deepwellPlayground.rows('gradients')`)) as { depth: number; value: number; series: string }[];
    const now = gradients.filter((r) => r.series === 'now').sort((a, b) => a.depth - b.depth);
    assert.deepEqual(now.map((r) => r.depth), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.ok(now[0].value / now[9].value < 0.01, `gradient std first/last hidden layer ${now[0].value / now[9].value}`);
    // The backward variance theory at initialization, anchored at the last hidden layer, predicts the
    // first layer's gradient 9 layers down within a factor of 3 (measured: both about 1e-13 of 1e-3).
    const at = (series: string) => gradients.find((r) => r.series === series && r.depth === 1)!.value;
    assert.ok(at('theory at init') / at('at init') > 1 / 3 && at('theory at init') / at('at init') < 3, `theory ${at('theory at init')} vs measured ${at('at init')}`);
    const marks = await page.locator('[data-testid=plot-gradients] svg path[aria-roledescription="point"]').count();
    assert.equal(marks, gradients.length);
    assert.equal(await page.getAttribute('[data-testid=plot-gradients]', 'data-points'), String(gradients.length));
    const box = await page.locator('[data-testid=plot-gradients] svg').boundingBox();
    assert.ok(box !== null && box.width > 200 && box.height > 150, `gradient plot ${JSON.stringify(box)}`);
    await page.screenshot({ path: join(SHOTS, 'deep-sigmoid.png'), fullPage: true });

    // The settings are in the URL: opening it again restores them.
    const shared = page.url();
    const second = await context.newPage();
    await second.goto(shared);
    assert.equal(await second.inputValue('[data-testid=control-activation]'), 'sigmoid');
    assert.equal(await second.inputValue('[data-testid=control-learningRate]'), '0.1');
    await second.close();

    // 2. SELU with lecun_normal keeps the scale: healthy.
    await loadPreset(page, 'selu_lecun');
    await trainSteps(page, STEPS);
    assert.equal(await page.getAttribute('[data-testid=verdict]', 'data-kind'), 'healthy');

    // 3. The default network (4 x 16 ReLU, he_normal, Adam) learns the spiral: >= 0.9 on the held-out points.
    await page.goto(`${url}?dataset=spiral`);
    await page.waitForFunction('window.deepwellPlayground && window.deepwellPlayground.snapshot() !== null');
    await page.click('[data-testid=train]');
    await page.waitForFunction(`Number(document.querySelector('[data-testid=accuracy]').textContent) >= 0.9`, undefined, { timeout: 300_000, polling: 500 });
    await page.click('[data-testid=train]');
    const accuracy = Number(await page.textContent('[data-testid=accuracy]'));
    assert.ok(accuracy >= 0.9);
    t.diagnostic(`spiral: held-out accuracy ${accuracy} after ${await page.textContent('[data-testid=step]')} steps`);
    await page.waitForFunction(`Number(document.querySelector('[data-testid=plot-boundary]').getAttribute('data-points')) > 1600`);

    // The trained model downloads as a deepwell file with every weight.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download]')]);
    const file = join(mkdtempSync(join(tmpdir(), 'deepwell-playground-')), download.suggestedFilename());
    await download.saveAs(file);
    assert.equal(download.suggestedFilename(), 'model.safetensors');
    const artifacts = decodeDeepwellModel(new Uint8Array(readFileSync(file)), file);
    // 4 hidden Dense + output Dense, a kernel and a bias each.
    assert.equal(artifacts.weights.length, 10);
    assert.deepEqual(artifacts.weights.find((w) => w.name.endsWith('kernel'))?.shape, [2, 16]);

    // A screenshot that is not blank: many colours, and most of the page unlike its corner.
    const png = await page.screenshot({ fullPage: true });
    writeFileSync(join(SHOTS, 'spiral.png'), png);
    const stats = await imageStats(page, png);
    assert.ok(stats.colors > 200 && stats.changed > 0.2, `screenshot: ${stats.colors} colours, ${(stats.changed * 100).toFixed(0)}% changed`);

    // Phone width: the page does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - window.innerWidth')) as number;
    assert.ok(overflow <= 1, `${overflow} px wider than the phone's screen`);
    await page.screenshot({ path: join(SHOTS, 'phone.png') });

    assert.deepEqual(errors, [], 'no console error');
    assert.deepEqual(outside, [], 'no request outside 127.0.0.1');
  } finally {
    await context.close();
    server.close();
  }
});
