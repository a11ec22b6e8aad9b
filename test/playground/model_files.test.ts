// Model files in the browser, through the one loadModel / model.save API: a page bundled from
// 'deepwell' trains a small MLP in headless Chromium and saves it with model.save('downloads://...')
// in each format (deepwell .safetensors, TF.js name.json + name.weights.bin, Keras .keras, Keras 2
// .h5); the test catches each download (Playwright's download event), hands the files back through
// an <input type=file> (loadModel(File) / loadModel([json, bin])) and serves them from 127.0.0.1
// (loadModel(url), absolute and relative to the page). Every loaded model predicts exactly what the
// trained one predicts (float32 weights round-trip bit for bit in all four formats).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Download } from 'playwright-core';
import { decodeDeepwellModel } from '../../src/io/deepwell_format.js';
import { haveChromium, launchChromium, serveFiles } from './chromium.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The page: trains, exposes save / load-from-URL / load-from-the-file-input, each returning predictions. */
const PAGE = `import { Sequential, datasets, layers, loadModel, optimizers, ready } from 'deepwell';
(async () => {
  await ready();
  const { x, y } = datasets.toy2d('spiral', { samples: 120, seed: 3 });
  const model = new Sequential([
    new layers.Dense(8, { activation: 'relu', inputShape: [2] }),
    new layers.Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new optimizers.Adam({ learningRate: 0.01 }), metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 3, batchSize: 16, seed: 5, verbose: 0 });
  const predict = (m) => Array.from(m.predict(x).data);
  window.dw = {
    expected: predict(model),
    save: (name, format) => model.save('downloads://' + name, format === undefined ? {} : { format }),
    fromUrl: async (url) => predict(await loadModel(url)),
    fromFiles: async () => {
      const files = [...document.querySelector('input[type=file]').files];
      return predict(await loadModel(files.length === 1 ? files[0] : files));
    },
  };
  document.title = 'ready';
})().catch((e) => { document.title = 'error: ' + (e && e.stack || e); });`;

test('the browser store: model.save("downloads://") in four formats, loadModel from a File and from a URL, identical predictions', { timeout: 300_000 }, async (t) => {
  const bundle = await build({
    stdin: { contents: PAGE, resolveDir: ROOT, sourcefile: 'page.js', loader: 'js' },
    bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, logLevel: 'silent',
  });
  if (!haveChromium(t)) return;
  const files: Record<string, string | Uint8Array> = {
    '/index.html': '<!doctype html><meta charset="utf-8"><title>loading</title><link rel="icon" href="data:,"><label>Model files <input type="file" multiple></label><script type="module" src="/page.js"></script>',
    '/page.js': bundle.outputFiles[0].text,
  };
  const { origin, server } = await serveFiles(files);
  const context = await launchChromium();
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-downloads-'));
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    const downloads: Download[] = [];
    page.on('download', (d) => downloads.push(d));
    await page.goto(`${origin}/`);
    await page.waitForFunction('document.title !== "loading"', undefined, { timeout: 120_000 });
    assert.equal(await page.title(), 'ready');
    const expected = (await page.evaluate('window.dw.expected')) as number[];
    assert.equal(expected.length, 120 * 3);

    const cases: { name: string; format?: string; files: string[] }[] = [
      { name: 'mlp', files: ['mlp.safetensors'] },
      { name: 'mlp', format: 'tfjs', files: ['mlp.json', 'mlp.weights.bin'] },
      { name: 'mlp.keras', files: ['mlp.keras'] },
      { name: 'mlp.h5', files: ['mlp.h5'] },
    ];
    for (const c of cases) {
      downloads.length = 0;
      await page.evaluate(`window.dw.save(${JSON.stringify(c.name)}, ${JSON.stringify(c.format)})`);
        for (let i = 0; i < 100 && downloads.length < c.files.length; i++) await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(downloads.map((d) => d.suggestedFilename()).sort(), [...c.files].sort(), `downloads of ${c.name} ${c.format ?? ''}`);
      const paths = [];
      for (const d of downloads) {
        const path = join(dir, d.suggestedFilename());
        await d.saveAs(path);
        paths.push(path);
        files[`/models/${d.suggestedFilename()}`] = new Uint8Array(readFileSync(path));
      }
      // Back from the files the user picked.
      await page.setInputFiles('input[type=file]', paths);
      assert.deepEqual(await page.evaluate('window.dw.fromFiles()'), expected, `${c.files[0]} from a File`);
      // Back from the local server: absolute URL, and relative to the page.
      assert.deepEqual(await page.evaluate(`window.dw.fromUrl(${JSON.stringify(`${origin}/models/${c.files[0]}`)})`), expected, `${c.files[0]} from its URL`);
      assert.deepEqual(await page.evaluate(`window.dw.fromUrl(${JSON.stringify(`models/${c.files[0]}`)})`), expected, `${c.files[0]} from a relative URL`);
    }
    // The deepwell download is deepwell's format, with the trained optimizer state (3 epochs of 8 batches).
    const saved = decodeDeepwellModel(readFileSync(join(dir, 'mlp.safetensors')), 'mlp.safetensors');
    assert.deepEqual(saved.weights.map((w) => w.name), ['dense/kernel', 'dense/bias', 'dense_1/kernel', 'dense_1/bias']);
    assert.equal(saved.optimizerState?.iterations, 24);
    // TF.js's browserDownloads pair: the manifest names the one weight file beside it.
    const json = JSON.parse(readFileSync(join(dir, 'mlp.json'), 'utf8')) as { weightsManifest: { paths: string[] }[] };
    assert.deepEqual(json.weightsManifest.map((g) => g.paths), [['./mlp.weights.bin']]);
    // A missing weight file is named in the error.
    await page.setInputFiles('input[type=file]', [join(dir, 'mlp.json')]);
    const missing = (await page.evaluate('window.dw.fromFiles().then(() => "loaded", (e) => e.message)')) as string;
    assert.match(missing, /weight file "mlp\.weights\.bin" listed in the manifest is not among the files given/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.close();
  }
});
