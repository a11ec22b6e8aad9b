/** The data layer: IDX files and MNIST-style datasets (Node only: they read files), and the 2-D toy sets. */
import { datasets as browserDatasets } from './datasets.js';
import { fashionMnist, loadIdxDirectory, mnist } from './mnist.js';

export { IDX_MAX_BYTES, IDX_MAX_RANK, type IdxArray, type IdxDtype, type IdxTypedArray, parseIdx, readIdx } from './idx.js';
export { TOY_2D_NAMES, type Toy2dName, type Toy2dOptions, toy2d } from './datasets.js';
export { type ImageDataset, type TrainTestDatasets, fashionMnist, loadIdxDataset, loadIdxDirectory, mnist } from './mnist.js';

/**
 * Ready-made datasets, as `keras.datasets`: `await datasets.mnist()` gives `{ train: { x, y }, test: { x, y } }`
 * with x float32 `[n, 28, 28]` in [0, 1] and y the labels `[n]`.
 */
export const datasets = { ...browserDatasets, mnist, fashionMnist, loadIdxDirectory } as const;
