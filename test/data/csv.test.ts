// datasets.fromCsv / parseCsv: features, class labels (strings and integers), regression labels,
// quoting, and every bad file with the line and column in its message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError, ValueError } from '../../src/core/errors.js';
import { fromCsv, parseCsv } from '../../src/data/csv.node.js';
import { datasets } from '../../src/index.node.js';

const IRIS = `sepal_length,sepal_width,species
5.1,3.5,setosa
7.0,3.2,versicolor
6.3,3.3,virginica
4.9,3.0,setosa
`;

test('string labels become sorted classes and indices; the other columns are the features', () => {
  const d = parseCsv(IRIS, { label: 'species' });
  assert.deepEqual(d.featureNames, ['sepal_length', 'sepal_width']);
  assert.deepEqual(d.classes, ['setosa', 'versicolor', 'virginica']);
  assert.deepEqual(d.x.shape, [4, 2]);
  assert.deepEqual(Array.from(d.x.data), Array.from(Float32Array.from([5.1, 3.5, 7.0, 3.2, 6.3, 3.3, 4.9, 3.0])));
  assert.deepEqual(Array.from(d.y!.data), [0, 1, 2, 0]);
});

test('integer labels sort as numbers (2 before 10) and 0 .. k-1 map to themselves', () => {
  const d = parseCsv('a,label\n1,10\n2,2\n3,10\n', { label: 'label' });
  assert.deepEqual(d.classes, ['2', '10']);
  assert.deepEqual(Array.from(d.y!.data), [1, 0, 1]);
  const z = parseCsv('a,label\n1,1\n2,0\n3,2\n', { label: 1 });
  assert.deepEqual(Array.from(z.y!.data), [1, 0, 2]);
  assert.deepEqual(z.classes, ['0', '1', '2']);
});

test('labels with a fraction are regression targets; labelType forces either reading', () => {
  const d = parseCsv('x,price\n1,2.5\n2,3\n', { label: 'price' });
  assert.equal(d.classes, null);
  assert.deepEqual(Array.from(d.y!.data), [2.5, 3]);
  const n = parseCsv('x,count\n1,2\n2,3\n', { label: 'count', labelType: 'number' });
  assert.equal(n.classes, null);
  assert.deepEqual(Array.from(n.y!.data), [2, 3]);
});

test('no header, another delimiter, quoted fields, chosen features, no label', () => {
  const d = parseCsv('1;"2";a\n3;4;b\n', { header: false, delimiter: ';', label: 2 });
  assert.deepEqual(d.featureNames, ['0', '1']);
  assert.deepEqual(Array.from(d.x.data), [1, 2, 3, 4]);
  const f = parseCsv(IRIS, { features: ['sepal_width'] });
  assert.equal(f.y, null);
  assert.deepEqual(f.featureNames, ['sepal_width']);
  assert.deepEqual(f.x.shape, [4, 1]);
});

test('a cell that is not a number is a DataError with its line and column', () => {
  assert.throws(() => parseCsv('a,b,label\n1,2,x\n3,abc,y\n', { label: 'label' }, 'data.csv'), (e: unknown) => e instanceof DataError && e.message ===
    "data.csv: line 3 (data row 2), column 'b' (2nd) holds 'abc', which is not a number. Every feature must be a finite number: fill in or drop the rows with missing values, encode text columns as numbers, or leave the column out with the features option.");
  assert.throws(() => parseCsv('a,b,label\n1,,x\n', { label: 'label' }, 'data.csv'), /data\.csv: line 2 \(data row 1\), column 'b' \(2nd\) is empty \(a missing value\)/);
  assert.throws(() => parseCsv('a,label\nNaN,x\n', { label: 'label' }, 'data.csv'), /line 2 \(data row 1\), column 'a' \(1st\) holds 'NaN', which is not a number/);
  assert.throws(() => parseCsv('a,label\n1,\n', { label: 'label' }, 'data.csv'), /data\.csv: line 2 \(data row 1\) has an empty label in column 'label'\. Drop the unlabelled rows\./);
  assert.throws(() => parseCsv('a,y\n1,2\n2,big\n', { label: 'y', labelType: 'number' }, 'data.csv'), /line 3 \(data row 2\), label column 'y' holds 'big', which is not a number \(labelType 'number'\)/);
});

test('a malformed or empty file is a DataError; a missing column a ValueError naming the columns', () => {
  assert.throws(() => parseCsv('a,b\n1,2\n3\n', {}, 'data.csv'), (e: unknown) => e instanceof DataError && /^data\.csv: not a valid CSV file: Invalid Record Length: expect 2, got 1 on line 3\./.test(e.message));
  assert.throws(() => parseCsv('a,b\n"1,2\n', {}, 'data.csv'), /data\.csv: not a valid CSV file: .*Quote Not Closed/);
  assert.throws(() => parseCsv('', {}, 'data.csv'), /data\.csv: the file is empty/);
  assert.throws(() => parseCsv('a,b\n', { label: 'b' }, 'data.csv'), /data\.csv: no data rows after the header line \(a, b\)/);
  assert.throws(() => parseCsv(IRIS, { label: 'Species' }, 'iris.csv'), (e: unknown) => e instanceof ValueError && e.message === "iris.csv: no column named 'Species' for the label; the columns are 'sepal_length', 'sepal_width', 'species'. Did you mean 'species'?");
  assert.throws(() => parseCsv(IRIS, { label: 5 }, 'iris.csv'), /iris\.csv: label column 5 is out of range; the file has 3 columns \(0 to 2\)/);
  assert.throws(() => parseCsv(IRIS, { label: 'species', features: ['species'] }, 'iris.csv'), /the label column 'species' is also listed in features/);
  assert.throws(() => parseCsv(IRIS, { lable: 'species' } as never), /datasets\.fromCsv: unknown option 'lable'.*Did you mean 'label'\?/);
  assert.throws(() => parseCsv(IRIS, { labelType: 'classes' as never }), /Invalid datasets\.fromCsv labelType: received 'classes'; expected one of 'auto', 'class', 'number'/);
});

test('fromCsv reads a file (datasets.fromCsv from the Node entry point); a missing file names the path', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-csv-'));
  const path = join(dir, 'iris.csv');
  writeFileSync(path, IRIS);
  const d = await datasets.fromCsv(path, { label: 'species' });
  assert.deepEqual(d.classes, ['setosa', 'versicolor', 'virginica']);
  await assert.rejects(fromCsv(join(dir, 'nope.csv')), (e: unknown) => e instanceof DataError && /datasets\.fromCsv: cannot read '.*nope\.csv': ENOENT\. Check the path\./.test(e.message));
  await assert.rejects(fromCsv(path, { label: 'x' }), /iris\.csv: no column named 'x' for the label/);
});
