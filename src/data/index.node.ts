/**
 * The data layer in Node: IDX files and MNIST-style datasets read from disk, the 2-D toy sets, and
 * the browser-clean parsers (parseIdx, parseIdxDataset) the browser entry exports too.
 */
import { datasets as browserDatasets } from './datasets.js';
import { fashionMnist, loadIdxDirectory, mnist } from './mnist.node.js';

export { IDX_MAX_BYTES, IDX_MAX_RANK, type IdxArray, type IdxDtype, type IdxTypedArray, parseIdx } from './idx.js';
export { readIdx } from './idx.node.js';
export { TOY_2D_NAMES, type Toy2dName, type Toy2dOptions, toy2d } from './datasets.js';
export { type ImageDataset, type TrainTestDatasets, imageDatasetFromIdx, parseIdxDataset } from './mnist.js';
export { fashionMnist, loadIdxDataset, loadIdxDirectory, mnist } from './mnist.node.js';

/**
 * Ready-made datasets, as `keras.datasets`: `await datasets.mnist()` gives `{ train: { x, y }, test: { x, y } }`
 * with x float32 `[n, 28, 28]` in [0, 1] and y the labels `[n]`.
 */
export const datasets = { ...browserDatasets, mnist, fashionMnist, loadIdxDirectory } as const;
