/** The data layer: IDX files and MNIST-style datasets. */
import { fashionMnist, loadIdxDirectory, mnist } from './mnist.js';

export { IDX_MAX_BYTES, IDX_MAX_RANK, type IdxArray, type IdxDtype, type IdxTypedArray, parseIdx, readIdx } from './idx.js';
export { type ImageDataset, type TrainTestDatasets, fashionMnist, loadIdxDataset, loadIdxDirectory, mnist } from './mnist.js';

/**
 * Ready-made datasets, as `keras.datasets`: `await datasets.mnist()` gives `{ train: { x, y }, test: { x, y } }`
 * with x float32 `[n, 28, 28]` in [0, 1] and y the labels `[n]`.
 */
export const datasets = { mnist, fashionMnist, loadIdxDirectory } as const;
