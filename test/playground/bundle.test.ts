// A user's page that imports 'deepwell', bundled by esbuild for the browser (the package's browser
// entry, dist/src/index.js, resolved through its conditional exports), trains a 2-layer MLP in
// headless Chromium and reports its loss. The same training in Node on the same kernels (wasm) with
// the same seed gives the same losses: the browser runs the library, not a look-alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Sequential, datasets, layers, optimizers, ready, setBackend } from '../../src/index.js';
import { haveChromium, launchChromium, serveFiles } from './chromium.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The page's script: what a user writes (plain JS, so that Node runs the same text below). */
const TRAIN = `
  const { x, y } = datasets.toy2d('xor', { samples: 256, seed: 1 });
  const model = new Sequential([
    new layers.Dense(16, { activation: 'tanh', inputShape: [2] }),
    new layers.Dense(2, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new optimizers.Adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 20, batchSize: 32, seed: 7, verbose: 0 });
`;

/** Runs TRAIN in Node (the module's own deepwell, wasm kernels) and returns the loss per epoch. */
async function trainInNode(): Promise<number[]> {
  setBackend('wasm');
  const run = new Function('Sequential', 'layers', 'datasets', 'optimizers', `return (async () => { ${TRAIN} return history.history.loss; })();`) as
    (...a: unknown[]) => Promise<number[]>;
  return run(Sequential, layers, datasets, optimizers);
}

test('a page bundled from "deepwell" trains a 2-layer MLP in Chromium; its losses match Node on the same kernels', { timeout: 240_000 }, async (t) => {
  // The bundle is made even without Chromium: a Node-only module reachable from the browser entry fails here.
  const bundle = await build({
    stdin: {
      contents: `import { Sequential, layers, datasets, optimizers, ready, getBackend } from 'deepwell';
        (async () => {
          try {
            await ready();
            ${TRAIN}
            window.__result = { loss: history.history.loss, accuracy: history.history.accuracy, backend: getBackend() };
          } catch (e) { window.__result = { error: String(e && e.stack || e) }; }
          document.title = 'done';
        })();`,
      resolveDir: ROOT, sourcefile: 'page.js', loader: 'js',
    },
    bundle: true, platform: 'browser', format: 'esm', target: 'es2022', write: false, metafile: true, logLevel: 'silent',
  });
  const inputs = Object.keys(bundle.metafile.inputs);
  assert.ok(inputs.includes('dist/src/index.js'), 'the browser entry, not index.node.js, is bundled');
  assert.deepEqual(inputs.filter((f) => /\.node\.js$|^node:/.test(f)), [], 'no Node-only module in the bundle');
  if (!haveChromium(t)) return;
  const { origin, server } = await serveFiles({
    '/index.html': '<!doctype html><meta charset="utf-8"><title>deepwell</title><link rel="icon" href="data:,"><script type="module" src="/page.js"></script>',
    '/page.js': bundle.outputFiles[0].text,
  });
  const context = await launchChromium();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction('document.title === "done"', undefined, { timeout: 180_000 });
    const result = (await page.evaluate('window.__result')) as { loss: number[]; accuracy: number[]; backend: string; error?: string };
    assert.equal(result.error, undefined, result.error);
    assert.deepEqual(errors, []);
    assert.equal(result.backend, 'wasm', 'the embedded WebAssembly GEMM runs in the browser');
    assert.equal(result.loss.length, 20);
    // 2 classes: the loss starts near ln 2 = 0.693 and must fall well below it when xor is learnt.
    assert.ok(result.loss[0] > 0.4 && result.loss[19] < 0.5 * result.loss[0], `loss ${result.loss[0]} -> ${result.loss[19]}`);
    assert.ok(result.accuracy[19] > 0.85, `accuracy ${result.accuracy[19]}`);
    const node = await trainInNode();
    await ready();
    for (let i = 0; i < 20; i++) {
      assert.ok(Math.abs(result.loss[i] - node[i]) <= 1e-5 * Math.abs(node[i]), `epoch ${i + 1}: browser ${result.loss[i]}, node ${node[i]}`);
    }
    t.diagnostic(`Chromium: loss ${result.loss[0].toFixed(4)} -> ${result.loss[19].toFixed(4)}, accuracy ${result.accuracy[19].toFixed(3)} (backend ${result.backend})`);
  } finally {
    await context.close();
    server.close();
  }
});
