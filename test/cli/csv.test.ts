// deepwell train/diagnose on a CSV file (--data FILE.csv --label COLUMN): classification with text
// labels, regression with numeric labels, and every bad input with its message and exit code 2;
// diagnose accepts train's architecture flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../src/core/random.js';
import { makeIdxFolder, run } from './helpers.js';

/** 150 rows, 3 features, 3 well separated classes named by text, sorted by class (as iris.csv is). */
function classificationCsv(dir: string): string {
  const rng = new Rng(5);
  const names = ['setosa', 'versicolor', 'virginica'];
  const rows = ['a,b,c,species'];
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < 50; i++) rows.push([3 * k + 0.3 * rng.nextNormal(), -2 * k + 0.3 * rng.nextNormal(), 100 + 50 * rng.nextNormal(), names[k]].join(','));
  }
  const path = join(dir, 'flowers.csv');
  writeFileSync(path, `${rows.join('\n')}\n`);
  return path;
}

test('train --data FILE.csv --label COLUMN: an MLP on the features, classes from the labels, test split held out', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-csv-cli-'));
  const path = classificationCsv(dir);
  const r = run(['train', '--data', path, '--label', 'species', '--hidden', '16', '--epochs', '20', '--batch-size', '8', '--lr', '0.01', '--json']);
  assert.equal(r.code, 0, r.stderr);
  // 150 rows: 30 (20%) held out for the test, 120 trained on (of which validation takes 10%).
  assert.match(r.stderr, /deepwell train: .*flowers\.csv \(standardized\), 120 training rows of 3 features, 3 classes of 'species', hidden 16 relu he_normal/);
  const out = JSON.parse(r.stdout);
  assert.equal(out.history.loss.length, 20);
  assert.ok(out.test.accuracy > 0.9, `test accuracy ${out.test.accuracy}`);
  const text = run(['train', '--data', path, '--label', 'species', '--hidden', '4', '--epochs', '1']);
  assert.match(text.stdout, /Test: loss \d\.\d{4} - accuracy \d\.\d{4} \(30 rows\)/);
});

test('train on numeric labels with a fraction is a regression with mean squared error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-csv-cli-'));
  const rng = new Rng(8);
  const rows = ['x1,x2,price'];
  for (let i = 0; i < 200; i++) {
    const a = rng.nextFloat();
    const b = rng.nextFloat();
    rows.push(`${a},${b},${(3 * a - 2 * b + 0.5).toFixed(3)}`);
  }
  const path = join(dir, 'prices.csv');
  writeFileSync(path, `${rows.join('\n')}\n`);
  const r = run(['train', '--data', path, '--label', 'price', '--hidden', '16', '--epochs', '30', '--batch-size', '16', '--lr', '0.01', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /regression of 'price' \(mean squared error\)/);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out.history).sort(), ['loss', 'val_loss']);
  // The target's variance is about (9 + 4) / 12 = 1.1; the fit must do far better than predicting the mean.
  assert.ok(out.test.loss < 0.1, `test mse ${out.test.loss}`);
  assert.equal(out.test.accuracy, undefined);
});

test('CSV mistakes exit 2 with the line and column, or the missing flag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-csv-cli-'));
  const bad = join(dir, 'bad.csv');
  writeFileSync(bad, 'a,b,label\n1,2,x\n3,?,y\n');
  const cell = run(['train', '--data', bad, '--label', 'label']);
  assert.equal(cell.code, 2);
  assert.match(cell.stderr, /deepwell: bad\.csv: line 3 \(data row 2\), column 'b' \(2nd\) holds '\?', which is not a number/);
  const noLabel = run(['train', '--data', bad]);
  assert.equal(noLabel.code, 2);
  assert.match(noLabel.stderr, /deepwell: --data .*bad\.csv is a CSV file: give the column to predict with --label COLUMN\./);
  const wrong = run(['train', '--data', bad, '--label', 'Label']);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /bad\.csv: no column named 'Label' for the label; the columns are 'a', 'b', 'label'\. Did you mean 'label'\?/);
  const missing = run(['train', '--data', join(dir, 'none.csv'), '--label', 'y']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /--data .*none\.csv: no such file\./);
  const few = join(dir, 'few.csv');
  writeFileSync(few, 'a,y\n1,0\n2,1\n');
  assert.match(run(['train', '--data', few, '--label', 'y']).stderr, /2 rows are too few to hold out 20% for testing and still train; give at least 10 rows/);
  const images = run(['train', '--data', 'mnist', '--label', 'y']);
  assert.equal(images.code, 2);
  assert.match(images.stderr, /--label y applies to a CSV file \(--data FILE\.csv\); 'mnist' holds images/);
});

test('diagnose accepts train\'s architecture flags (--batch-norm, --dropout, --l2, --label, --standardize) and builds that network', () => {
  const dir = makeIdxFolder();
  const r = run(['diagnose', '--data', dir, '--hidden', '16,16', '--batch-norm', '--dropout', '0.2', '--l2', '0.001', '--standardize', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /deepwell diagnose: .*\(standardized\), batch of 256, hidden 2 x 16 relu he_normal, batch norm, dropout 0\.2, l2 0\.001, seed 42/);
  assert.equal(JSON.parse(r.stdout).standardized, true);
  assert.equal(run(['diagnose', '--data', dir, '--dropout', '1.5']).code, 2);
  const csvDir = mkdtempSync(join(tmpdir(), 'deepwell-csv-cli-'));
  const path = classificationCsv(csvDir);
  const d = run(['diagnose', '--data', path, '--label', 'species', '--hidden', '8,8', '--json']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(JSON.parse(d.stdout).standardized, true, "a CSV file is standardized by default, as train does");
});

test('train shows what the callbacks did: --early-stopping restores the best epoch and says so (Keras 3\'s words)', () => {
  const dir = makeIdxFolder();
  const r = run(['train', '--data', dir, '--hidden', '8', '--epochs', '2', '--early-stopping', '3', '--json']);
  assert.equal(r.code, 0, r.stderr);
  // Two epochs never exhaust a patience of 3, so no stop; the best weights are still restored at the end (Keras 3).
  assert.match(r.stderr, /^Restoring model weights from the end of the best epoch: [12]\.$/m);
  assert.doesNotMatch(r.stderr, /early stopping$/m);
  assert.equal(r.stdout.trim().split('\n').length, 1, 'the messages stay off stdout (--json)');
});
