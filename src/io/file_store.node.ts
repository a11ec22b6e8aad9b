/**
 * The file-system model store (Node): `model.save(path)`, `loadModel(path)`, `ModelCheckpoint` and
 * `BackupAndRestore` reach disk here. It picks the format from the path, turns the model into
 * `ModelArtifacts` (io/model_artifacts.ts), encodes them with the pure codec of the format and
 * writes every file through the one atomic writer (temp file in the same folder + rename), so a
 * process killed mid-save leaves the previous model loadable.
 *
 * Formats and paths:
 * - deepwell: one safetensors file (`.safetensors`), or a folder holding `model.safetensors`;
 * - tfjs: a folder (or `.../model.json`) with `model.json` and `group1-shard*` files, loadable by
 *   `tf.loadLayersModel`; shards are written first under fresh names, model.json last, then the
 *   shards it no longer names are removed;
 * - keras: a Keras 3 `.keras` zip; h5: a Keras 2 full-model `.h5`.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataError } from '../core/errors.js';
import { type ModelFormat, type ModelSource, type ModelStore, type SaveOptions, describeSource, registerModelStore } from '../models/model_store.js';
import type { LayersModel } from '../models/layers_model.js';
import type { ModelArtifacts } from './artifacts.js';
import { writeFileAtomic } from '../core/atomic_write.node.js';
import { decodeDeepwellModel, encodeDeepwellModel } from './deepwell_format.js';
import { readFileBounded, readTfjsModelFile } from './files.node.js';
import { decodeKerasH5, encodeKerasH5 } from './keras_h5.js';
import { decodeKerasFile, encodeKerasFile } from './keras_zip.js';
import { alignLayerNames, modelFromArtifacts, modelToArtifacts, restoreModelState, setWeightsInOrder } from './model_artifacts.js';
import { artifactsFromSource, isUrlSource, sniffModelFormat, unknownFormatError } from './model_sources.js';
import { MAX_WEIGHT_FILE_BYTES, artifactsToSave, formatOfName, namingSource, restoreExtras } from './store_glue.js';
import { encodeTfjsModel } from './tfjs_format.js';

/** The file of deepwell's format inside a model folder. */
export const DEEPWELL_FILE = 'model.safetensors';

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/**
 * The format of a path: explicit `format`, else from the name (`.keras`, `.h5`, `model.json`,
 * `.safetensors`), else from what an existing folder holds (model.json: tfjs), else deepwell.
 */
export function formatOfPath(path: string, format?: ModelFormat): ModelFormat {
  const name = basename(path);
  const named = formatOfName(name, format);
  // On disk only `model.json` names a TF.js model (any other `x.json` is a folder name, as before).
  if (named !== null && (named !== 'tfjs' || format !== undefined || name.toLowerCase() === 'model.json')) return named;
  if (isDir(path) && existsSync(join(path, 'model.json')) && !existsSync(join(path, DEEPWELL_FILE))) return 'tfjs';
  return 'deepwell';
}

/** Writes TF.js files into `folder`: shards under fresh names, model.json last, then stale shards removed. */
async function writeTfjsFolder(folder: string, files: Record<string, Uint8Array>): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const tag = randomBytes(4).toString('hex');
  const renamed = new Map<string, string>();
  for (const name of Object.keys(files)) if (name !== 'model.json') renamed.set(name, name.replace(/\.bin$/, `-${tag}.bin`));
  const modelJson = JSON.parse(new TextDecoder().decode(files['model.json'])) as { weightsManifest: { paths: string[] }[] };
  for (const group of modelJson.weightsManifest) group.paths = group.paths.map((p) => renamed.get(p) ?? p);
  for (const [name, bytes] of Object.entries(files)) if (name !== 'model.json') await writeFileAtomic(join(folder, renamed.get(name) ?? name), bytes);
  await writeFileAtomic(join(folder, 'model.json'), new TextEncoder().encode(JSON.stringify(modelJson)));
  const keep = new Set(renamed.values());
  for (const f of readdirSync(folder)) if (/^group\d+-shard\d+of\d+(-[0-9a-f]{8})?\.bin$/.test(f) && !keep.has(f)) rmSync(join(folder, f), { force: true });
}

/** Where the deepwell file of `path` is: the path itself for `.safetensors`, else `<folder>/model.safetensors`. */
function deepwellFile(path: string): string {
  return path.toLowerCase().endsWith('.safetensors') ? path : join(path, DEEPWELL_FILE);
}

async function save(model: LayersModel, path: string, options: SaveOptions): Promise<void> {
  const format = formatOfPath(path, options.format);
  const artifacts = artifactsToSave(model, options);
  switch (format) {
    case 'deepwell': {
      const file = deepwellFile(path);
      mkdirSync(dirname(file), { recursive: true });
      await writeFileAtomic(file, encodeDeepwellModel(artifacts));
      return;
    }
    case 'tfjs':
      await writeTfjsFolder(basename(path).toLowerCase() === 'model.json' ? dirname(path) : path, encodeTfjsModel(artifacts));
      return;
    case 'keras':
      mkdirSync(dirname(path), { recursive: true });
      await writeFileAtomic(path, await encodeKerasFile(artifacts));
      return;
    case 'h5':
      mkdirSync(dirname(path), { recursive: true });
      await writeFileAtomic(path, await encodeKerasH5(artifacts));
      return;
    default:
      format satisfies never;
  }
}

/** Reads the artifacts at `path` in whatever format it holds. */
export async function readArtifacts(path: string): Promise<ModelArtifacts> {
  if (!existsSync(path)) throw new DataError(`No model at '${path}': the path does not exist.`);
  const format = formatOfPath(path);
  switch (format) {
    case 'deepwell': {
      const file = deepwellFile(path);
      if (!existsSync(file)) {
        throw new DataError(isDir(path)
          ? `'${path}' is a folder without ${DEEPWELL_FILE} or model.json; expected a model saved by deepwell (model.save) or TF.js.`
          : `'${path}' is not a model file: expected a file ending in .safetensors, .keras or .h5, a model.json, or a folder saved by model.save.`);
      }
      return decodeDeepwellModel(await readKnownBytes(file), file);
    }
    case 'tfjs':
      return readTfjsModelFile(basename(path).toLowerCase() === 'model.json' ? path : join(path, 'model.json'));
    case 'keras':
      return decodeKerasFile(await readKnownBytes(path), path);
    case 'h5':
      return decodeKerasH5(await readKnownBytes(path), path);
    default:
      return format satisfies never;
  }
}

/** A model file's bytes; DataError (unknownFormatError, as in the browser) when their start matches no model format. */
async function readKnownBytes(path: string): Promise<Uint8Array> {
  const bytes = await readFileBounded(path, MAX_WEIGHT_FILE_BYTES);
  if (sniffModelFormat(bytes) === undefined) throw unknownFormatError(bytes, path);
  return bytes;
}

/**
 * The artifacts of a source: a path from the disk; an http(s) URL or `File`/`Blob` objects as the
 * browser store reads them (Node 20 has fetch and Blob).
 */
function readSource(source: ModelSource): Promise<ModelArtifacts> {
  return typeof source === 'string' && !isUrlSource(source) ? readArtifacts(source) : artifactsFromSource(source);
}

/** The Node file-system store. */
export const fileModelStore: ModelStore = {
  save,
  async load(source, options) {
    const artifacts = await readSource(source);
    const model = namingSource(describeSource(source), () => modelFromArtifacts(artifacts, { compile: options.compile ?? true }));
    restoreExtras(model, artifacts);
    return model;
  },
  async exists(path) {
    return existsSync(path);
  },
  async restoreInto(model, source) {
    const artifacts = alignLayerNames(model, await readSource(source), describeSource(source));
    namingSource(describeSource(source), () => restoreModelState(model, artifacts));
    restoreExtras(model, artifacts);
  },
  async loadWeights(model, source) {
    // A Keras 2 .h5 on disk is read against this model's own config, so a weights-only file
    // (save_weights, no model_config) loads; every other source carries its config.
    const name = describeSource(source);
    const artifacts = typeof source === 'string' && !isUrlSource(source) && formatOfPath(source) === 'h5'
      ? await decodeKerasH5(await readFileBounded(source, MAX_WEIGHT_FILE_BYTES), source, modelToArtifacts(model, { includeOptimizer: false }).modelConfig)
      : await readSource(source);
    setWeightsInOrder(model, artifacts, name);
  },
  async remove(path) {
    rmSync(path, { force: true, recursive: true });
  },
};

registerModelStore(fileModelStore);

