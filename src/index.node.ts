/**
/**
 * deepwell's Node entry point (the package's `node` export condition): the whole public API of
 * `index.ts`, plus what needs Node: the native kernels (registered first, when the addon built),
 * the file-system model store (model.save, loadModel, checkpoint callbacks), `fit`'s progress on
 * stderr (bars on a terminal, plain lines otherwise) and `datasets.fromCsv`.
 */
import './kernels/native/register.node.js';
import { useNodeProgressOutput } from './callbacks/progress_output.node.js';
import { datasets as coreDatasets } from './data/index.node.js';
import { fromCsv } from './data/csv.node.js';
// Registers the file-system model store: model.save(path), loadModel(path), the checkpoint callbacks.
import './io/file_store.node.js';

export * from './index.js';
export { useNodeProgressOutput } from './callbacks/progress_output.node.js';
export { type CsvDataset, type CsvOptions, parseCsv } from './data/csv.node.js';
export { nativeThreads, setNativeThreads, nativeIsa } from './kernels/native/index.node.js';

/** `index.ts`'s datasets plus `fromCsv` (Node only: it reads a file). */
export const datasets = { ...coreDatasets, fromCsv } as const;

useNodeProgressOutput();
