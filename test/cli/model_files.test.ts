/**
 * `deepwell summary | evaluate | predict | export` as subprocesses on the real model files of
 * ../shared/data/models: the layer table, the MNIST accuracy of the Keras 3.3.3 model (the figure of
 * test/io/real_files.test.ts, recomputed here in-process), predictions from IDX and CSV input checked
 * against the labels, exports in every format evaluating the same, and bad usage exiting 2.
 * Skips, saying so, when ../shared/data is absent (a clone outside this workspace).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/io/file_store.node.js';
import { readIdx } from '../../src/data/idx.node.js';
import { loadModel } from '../../src/models/model_store.js';
import { argmax, idxImages } from '../io/real_models.js';
import { MODELS, SKIP_MODELS } from '../io/real_models.js';
import { run } from './helpers.js';

const skip = SKIP_MODELS;
const MNIST_KERAS = join(MODELS, 'keras3.3.3-mnist-mlp-dotkeras/model.keras');
const MNIST_DIR = join(MODELS, '../mnist');

test('summary: the layer table and parameter counts of a .keras file and of a model.json folder', { skip }, () => {
  const keras = run(['summary', MNIST_KERAS]);
  assert.equal(keras.code, 0, keras.stderr);
  // Dense params: 784*32 + 32 = 25120, 32*128 + 128 = 4224, 128*10 + 10 = 1290; total 30634.
  assert.match(keras.stdout, /dense \(Dense\)\s+\(None, 32\)\s+25,120/);
  assert.match(keras.stdout, /dense_1 \(Dense\)\s+\(None, 128\)\s+4,224/);
  assert.match(keras.stdout, /dense_2 \(Dense\)\s+\(None, 10\)\s+1,290/);
  assert.match(keras.stdout, /Total params: 30,634/);
  // Keras saved the SGD iteration count: 25 epochs x ceil(48,000 / 512) = 25 x 94 = 2350 steps.
  assert.match(keras.stdout, /Compiled: loss categorical_crossentropy, optimizer SGD \(iterations 2350\)/);
  const folder = run(['summary', join(MODELS, 'tfjs-keras2.8-nonlinear-mlp')]);
  assert.equal(folder.code, 0, folder.stderr);
  // 2*50 + 50 = 150; 50*50 + 50 = 2550 (x3); 50 + 1 = 51; total 7851.
  assert.match(folder.stdout, /dense_20 \(Dense\)\s+\(None, 50\)\s+150\n/);
  assert.equal(folder.stdout.match(/\(None, 50\)\s+2,550/g)?.length, 3);
  assert.match(folder.stdout, /Total params: 7,851/);
});

test('evaluate --data mnist: the accuracy of the 10,000 test images, the same after export to every format', { skip, timeout: 300_000 }, async () => {
  // The in-process figure (as in test/io/real_files.test.ts): arg-max of the predictions vs the labels.
  const model = await loadModel(MNIST_KERAS);
  const p = model.predict(idxImages(join(MNIST_DIR, 't10k-images-idx3-ubyte.gz')), { batchSize: 1000 });
  const labels = readIdx(join(MNIST_DIR, 't10k-labels-idx1-ubyte.gz')).data;
  const ok = argmax(p.data, 10).filter((c, i) => c === labels[i]).length;

  const r = run(['evaluate', MNIST_KERAS, '--data', 'mnist', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const base = JSON.parse(r.stdout) as { samples: number; accuracy: number; loss: number };
  assert.equal(base.samples, 10000);
  assert.equal(base.accuracy, ok / 10000);
  console.log(`cli evaluate: Keras 3.3.3 MNIST MLP, mnist test set: accuracy ${base.accuracy}, loss ${base.loss.toFixed(4)}`);

  const dir = mkdtempSync(join(tmpdir(), 'deepwell-cli-export-'));
  try {
    for (const [format, out] of [['deepwell', 'dw'], ['tfjs', 'tfjs'], ['keras', 'm.keras'], ['h5', 'm.h5']]) {
      const e = run(['export', MNIST_KERAS, '--format', format, join(dir, out)]);
      assert.equal(e.code, 0, e.stderr);
      const again = run(['evaluate', join(dir, out), '--data', 'mnist', '--json']);
      assert.equal(again.code, 0, again.stderr);
      const got = JSON.parse(again.stdout) as typeof base;
      assert.deepEqual([got.accuracy, got.loss], [base.accuracy, base.loss], `export to ${format}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('predict: IDX images and a CSV of pixel rows give the classes of the labels (7, 2, 1, 0, 4, ...)', { skip }, () => {
  const idx = run(['predict', MNIST_KERAS, join(MNIST_DIR, 't10k-images-idx3-ubyte.gz'), '--json']);
  assert.equal(idx.code, 0, idx.stderr);
  const fromIdx = (JSON.parse(idx.stdout) as { predictions: { class: number; probability: number }[] }).predictions;
  assert.equal(fromIdx.length, 10000);
  const labels = readIdx(join(MNIST_DIR, 't10k-labels-idx1-ubyte.gz')).data;
  // The data README: the first labels are 7,2,1,0,4,1,4,9,5,9. The model gets the first five right; the
  // ninth (a hard 5) it calls 6; over all 10,000 it agrees with 9,637 labels, the accuracy evaluate reports.
  assert.deepEqual(Array.from(labels.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  assert.deepEqual(fromIdx.slice(0, 5).map((p) => p.class), [7, 2, 1, 0, 4]);
  assert.equal(fromIdx.filter((p, i) => p.class === labels[i]).length, 9637);
  assert.ok(fromIdx.every((p) => p.probability > 0 && p.probability <= 1));

  // The first 20 images as CSV rows of pixels 0..255 with a header row: the same classes and probabilities.
  const images = readIdx(join(MNIST_DIR, 't10k-images-idx3-ubyte.gz')).data;
  const rows = Array.from({ length: 20 }, (_, i) => Array.from(images.subarray(i * 784, (i + 1) * 784)).join(','));
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-cli-csv-'));
  try {
    const csv = join(dir, 'digits.csv');
    writeFileSync(csv, `${Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')}\n${rows.join('\n')}\n`);
    const r = run(['predict', MNIST_KERAS, csv, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { predictions: unknown[] }).predictions, fromIdx.slice(0, 20));
    const text = run(['predict', MNIST_KERAS, csv]);
    assert.match(text.stdout, /^0\t7\t\d\.\d{4}\n1\t2\t/);

    // A non-number cell: exit 2 naming row and column (row 3 of the file = the second data row; column 5).
    const bad = rows.map((row, i) => (i === 1 ? row.split(',').map((c, j) => (j === 4 ? '12a' : c)).join(',') : row));
    writeFileSync(csv, `${Array.from({ length: 784 }, (_, i) => `pixel${i}`).join(',')}\n${bad.join('\n')}\n`);
    const e = run(['predict', MNIST_KERAS, csv]);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /digits\.csv: row 3, column 5: '12a' is not a number/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad usage exits 2 with a clear message: missing path, unknown --format, a corrupt model file', { skip }, () => {
  const missing = run(['evaluate', '/no/such/model.keras', '--data', 'mnist']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /MODEL_PATH '\/no\/such\/model\.keras' does not exist/);
  const noArg = run(['summary']);
  assert.equal(noArg.code, 2);
  assert.match(noArg.stderr, /missing required argument 'model_path'/);

  // --format keras/h5 to a name without its extension: refused before anything is written (every reader needs the extension).
  for (const f of ['keras', 'h5']) {
    const bare = run(['export', MNIST_KERAS, '--format', f, join(tmpdir(), 'deepwell-no-extension')]);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, new RegExp(`has no extension; --format ${f} writes one file.*name it .*deepwell-no-extension\\.${f}\\.`));
  }

  const format = run(['export', MNIST_KERAS, '--format', 'kears', join(tmpdir(), 'never-written')]);
  assert.equal(format.code, 2);
  assert.match(format.stderr, /--format: received 'kears'; expected one of 'deepwell', 'tfjs', 'keras', 'h5'\. Did you mean 'keras'\?/);

  // A corrupt model file (the real .keras cut short): a DataError naming the file, exit 2.
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-cli-bad-'));
  try {
    const cut = join(dir, 'cut.keras');
    writeFileSync(cut, readFileSync(MNIST_KERAS).subarray(0, 50_000));
    const r = run(['evaluate', cut, '--data', 'mnist']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`deepwell: ${cut.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable zip archive.*truncated`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
