/**
 * The model store: where `model.save(path)`, `loadModel(path)` and the checkpoint callbacks reach
 * files. The models layer is browser-clean and sits below `io/`, so it does not import the file
 * formats: an environment registers its store (Node: the file system, through the package's Node
 * entry; a browser: URLs, `File` objects and downloads), as TF.js registers its IO handlers.
 */
import { ValueError } from '../core/errors.js';
import type { LayersModel } from './layers_model.js';

/** Model file formats: deepwell's own (Keras 3 config + safetensors), TF.js layers, Keras 3 `.keras`, Keras 2 `.h5`. */
export const MODEL_FORMATS = ['deepwell', 'tfjs', 'keras', 'h5'] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

export interface SaveOptions {
  /**
   * File format; default from the path: `.keras` -> keras, `.h5` -> h5, `model.json` or a folder
   * that holds one -> tfjs, anything else -> deepwell.
   */
  format?: ModelFormat;
  /** Save the optimizer state (slots, iterations) with the weights. Default true (Keras `include_optimizer`). */
  includeOptimizer?: boolean;
  /** Save only the weights (Keras `save_weights`); the model must be rebuilt by code before loading them. Default false. */
  weightsOnly?: boolean;
}

/**
 * Where a model is read from: a path (Node) or a URL (`http(s)://`, resolved against the page in a
 * browser), or the bytes themselves as a `File`/`Blob` (a `<input type=file>`'s files): one file for
 * deepwell's `.safetensors`, `.keras` and `.h5`, the `model.json` and its weight files for TF.js.
 */
export type ModelSource = string | Blob | readonly Blob[];

/** A name for a source in messages: the path or URL, or the file names. */
export function describeSource(source: ModelSource): string {
  if (typeof source === 'string') return source;
  const blobs: readonly Blob[] = source instanceof Blob ? [source] : source;
  return blobs.map((b) => (b as { name?: string }).name ?? `a Blob of ${b.size} bytes`).join(' + ');
}

export interface ModelStore {
  /** Writes the model (atomically: a temp file in the same folder, then a rename). */
  save(model: LayersModel, path: string, options: SaveOptions): Promise<void>;
  /** Reads a model in any supported format. */
  load(source: ModelSource, options: { compile?: boolean }): Promise<LayersModel>;
  /** Whether a saved model exists at `path`. */
  exists(path: string): Promise<boolean>;
  /**
   * Restores weights (by name), optimizer state and training state from a file saved from a model
   * of the same architecture into `model` (checkpoint resume).
   */
  restoreInto(model: LayersModel, source: ModelSource): Promise<void>;
  /**
   * Sets `model`'s weights from a model file, layers with weights matched in order (`model.loadWeights`;
   * Keras `load_weights`). Optional: a store without it makes `loadWeights` throw.
   */
  loadWeights?(model: LayersModel, source: ModelSource): Promise<void>;
  /** Removes a saved model or checkpoint (BackupAndRestore's cleanup). */
  remove(path: string): Promise<void>;
}

let store: ModelStore | null = null;

/**
 * Registers the environment's model store: the package's Node entry registers the file system; the
 * browser entry registers the browser store (URLs, files, downloads) unless a store is registered already.
 */
export function registerModelStore(s: ModelStore): void {
  store = s;
}

/** Whether a store is registered. */
export function hasModelStore(): boolean {
  return store !== null;
}

/**
 * The registered store.
 * @throws ValueError when none is registered, saying how to get one.
 */
export function modelStore(): ModelStore {
  if (store === null) {
    throw new ValueError("No model store is registered: saving and loading files needs deepwell's Node entry (import from 'deepwell' under Node, which registers the file system) or, in a browser, the browser store.");
  }
  return store;
}

/**
 * Loads a model saved by deepwell, TF.js or Keras (deepwell folder or `.safetensors`, TF.js
 * `model.json`, Keras 3 `.keras`, Keras 2 `.h5`), compiled when the file holds a compile configuration.
 * The source is a path (Node), an `http(s)://` URL (fetched; TF.js weight files are fetched beside
 * the model.json), or `File`/`Blob` objects (`loadModel(input.files[0])`, TF.js:
 * `loadModel([jsonFile, weightsFile])`).
 * Loading never executes code from the file: unknown classes and `Lambda` layers are refused.
 * @throws DataError for a damaged or malformed file (naming the file and the fault); ValueError for
 *   a layer or class deepwell does not have.
 */
export async function loadModel(source: ModelSource, options: { compile?: boolean } = {}): Promise<LayersModel> {
  return modelStore().load(source, options);
}
