// `deepwell predict`'s CSV input (readPredictInput): header detection, pixel range, a warning for
// values already scaled to [0, 1], and Kaggle's label column; each bad input named by row and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPredictInput } from '../../src/cli/model_commands.js';
import { UsageError } from '../../src/cli/usage_error.js';

/** Writes `text` to a temporary CSV, runs fn on its path, returns fn's result and what went to stderr. */
function withCsv<T>(text: string, fn: (path: string) => T): { result: T; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-predict-'));
  const write = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array): boolean => { stderr += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    const path = join(dir, 'in.csv');
    writeFileSync(path, text);
    return { result: fn(path), stderr };
  } finally {
    process.stderr.write = write;
    rmSync(dir, { recursive: true, force: true });
  }
}

const usage = (pattern: RegExp) => (e: unknown): boolean => e instanceof UsageError && pattern.test(e.message);

test('a header is a first row of names only; a first row mixing numbers and text is data, its text an error', () => {
  const { result: x, stderr } = withCsv('p0,p1,p2\n0,51,255\n255,0,102\n', readPredictInput);
  assert.deepEqual(x.shape, [2, 3]);
  assert.deepEqual([...x.data].map((v) => Math.round(v * 255)), [0, 51, 255, 255, 0, 102]);
  assert.equal(stderr, '');
  // Before: this row was taken for a header and dropped without a word.
  assert.throws(() => withCsv('0,abc,3\n4,5,6\n', readPredictInput), usage(/in\.csv: row 1, column 2: 'abc' is not a number; expected pixel values 0\.\.255/));
});

test('pixels outside 0..255 are refused with their row and column', () => {
  assert.throws(() => withCsv('0,1,2\n3,300,5\n', readPredictInput), usage(/row 2, column 2: 300 is outside 0\.\.255; predict takes raw pixel values/));
  assert.throws(() => withCsv('-5,1,2\n', readPredictInput), usage(/row 1, column 1: -5 is outside 0\.\.255/));
});

test('values that all lie in [0, 1] (already divided by 255) give a warning, and are read as they are', () => {
  const { result: x, stderr } = withCsv('0,0.5,1\n0.25,0,0.75\n', readPredictInput);
  assert.match(stderr, /warning: every value of .*in\.csv lies in \[0, 1\], as pixels already divided by 255 would; .*multiply by 255/);
  assert.ok(Math.abs(x.data[1] - 0.5 / 255) < 1e-9);
  assert.equal(withCsv('0,128,255\n', readPredictInput).stderr, '', 'no warning for raw pixels');
});

test("Kaggle's train.csv (a label column first) is refused with how to drop the column", () => {
  assert.throws(() => withCsv('label,pixel0,pixel1\n7,0,255\n', readPredictInput), usage(/its first column is 'label' .*remove that column \(e\.g\. cut -d, -f2-/));
});
