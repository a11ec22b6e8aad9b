/**
 * MNIST-style image datasets stored as IDX arrays: an images array `[n, rows, cols]` uint8 and a labels
 * array `[n]` uint8 per split, as published for MNIST, Fashion-MNIST, KMNIST and EMNIST.
 * Browser-clean: this file turns parsed IDX arrays (or the bytes of IDX files) into tensors; the
 * Node half (mnist.node.ts) finds and reads the files (`mnist()`, `loadIdxDirectory`, `loadIdxDataset`).
 *
 * Reference: Yann LeCun, "THE MNIST DATABASE of handwritten digits", http://yann.lecun.com/exdb/mnist/;
 * the returned layout matches `keras.datasets.mnist.load_data()` followed by `x / 255`.
 */
import { DataError } from '../core/errors.js';
import { formatShape } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { type IdxArray, parseIdx } from './idx.js';

/** Largest pixel value of uint8 images; dividing by it maps pixels to [0, 1]. */
const MAX_PIXEL = 255;

/** One split of an image dataset. */
export interface ImageDataset {
  /** Pixels scaled to [0, 1], float32, shape `[n, rows, cols]` (`[n, 28, 28]` for MNIST). */
  x: Tensor;
  /** Class labels as float32 integer values (0..9 for MNIST), shape `[n]`. */
  y: Tensor;
}

/** The train and test splits of an image dataset. */
export interface TrainTestDatasets {
  train: ImageDataset;
  test: ImageDataset;
}

/**
 * One split from a parsed IDX images array and labels array.
 *
 * Shapes: images `[n, rows, cols]` uint8 -> `x` float32 `[n, rows, cols]` (pixel / 255);
 * labels `[n]` uint8 -> `y` float32 `[n]` (the label values).
 *
 * @param imagesName - the images file's name, for messages; `labelsName` likewise.
 * @throws DataError when the images are not rank-3 uint8, the labels are not rank-1 uint8, or their counts differ.
 */
export function imageDatasetFromIdx(images: IdxArray, labels: IdxArray, imagesName: string, labelsName: string): ImageDataset {
  const swapHint =
    images.shape.length === 1 && labels.shape.length === 3 ? ' The images and labels arguments look swapped.' : '';
  checkLayout(images, imagesName, 3, 'images [n, rows, cols]', 'an images-idx3-ubyte file', swapHint);
  checkLayout(labels, labelsName, 1, 'labels [n]', 'a labels-idx1-ubyte file', swapHint);
  const n = images.shape[0];
  if (labels.shape[0] !== n) {
    throw new DataError(
      `IDX files '${imagesName}' and '${labelsName}' do not match: ${n} images but ${labels.shape[0]} labels. ` +
        'Expected one label per image; pass the images and labels of the same split (train with train, t10k with t10k).',
    );
  }
  const pixels = images.data as Uint8Array;
  const x = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) x[i] = pixels[i] / MAX_PIXEL;
  return { x: new Tensor(x, images.shape), y: new Tensor(new Float32Array(labels.data), labels.shape) };
}

/**
 * One split from the bytes of an IDX images file and an IDX labels file (each raw or gzip), e.g.
 * fetched in a browser: `parseIdxDataset(new Uint8Array(await (await fetch(url)).arrayBuffer()), ...)`.
 * @throws DataError for bytes that are not IDX (see `parseIdx`) and as {@link imageDatasetFromIdx}.
 */
export function parseIdxDataset(images: Uint8Array, labels: Uint8Array, imagesName: string, labelsName: string): ImageDataset {
  return imageDatasetFromIdx(parseIdx(images, imagesName), parseIdx(labels, labelsName), imagesName, labelsName);
}

function checkLayout(a: IdxArray, path: string, rank: number, what: string, fix: string, hint: string): void {
  if (a.dtype !== 'uint8' || a.shape.length !== rank) {
    throw new DataError(
      `IDX file '${path}': expected uint8 ${what} (rank ${rank}), got ${a.dtype} of shape ${formatShape(a.shape)}. ` +
        `Pass ${fix}.${hint}`,
    );
  }
}
