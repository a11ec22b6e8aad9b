/**
 * Reading model files from disk safely (Node only): size-bounded reads and TF.js weight shards
 * resolved inside the model.json's folder.
 *
 * Bounds are checked with `stat` before reading, so a file is never read past what the caller
 * accepts. A shard path is checked twice: by `checkWeightPath` (no absolute path, URL or `..`) and,
 * after `path.resolve` and `realpath` (symlinks), by containment in the model folder.
 */
import { realpathSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { DataError } from '../core/errors.js';
import type { ModelArtifacts } from './artifacts.js';
import { type ShardReader, checkWeightPath, decodeTfjsModel } from './tfjs_format.js';

export { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_FILE_BYTES } from './store_glue.js';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_FILE_BYTES } from './store_glue.js';

/**
 * Reads a whole file of at most `maxBytes` bytes. Throws `DataError` naming the file when it is
 * larger (without reading it) or when it is not a regular file; file-system errors (ENOENT) pass through.
 */
export async function readFileBounded(path: string, maxBytes: number): Promise<Uint8Array> {
  const info = await stat(path);
  if (!info.isFile()) throw new DataError(`"${path}" is not a regular file; expected a model file.`);
  if (info.size > maxBytes) {
    throw new DataError(`"${path}" has ${info.size} bytes, more than the limit of ${maxBytes} bytes for this kind of file; it is not a model file of this format or it is corrupt.`);
  }
  const bytes = await readFile(path);
  if (bytes.length > maxBytes) throw new DataError(`"${path}" grew past ${maxBytes} bytes while being read.`);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/**
 * Resolves `relativePath` (a manifest weight path) inside `folder`. Throws `DataError` naming
 * `source` when the resolved path (after symlinks, when the file exists) is not inside `folder`.
 */
export function resolveInside(folder: string, relativePath: string, source: string): string {
  const clean = checkWeightPath(relativePath, source);
  const root = resolve(folder);
  const target = resolve(root, clean);
  const inside = (base: string, p: string): boolean => {
    const rel = relative(base, p);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    // a missing folder fails later with ENOENT
  }
  let realTarget = resolve(realRoot, relative(root, target));
  try {
    realTarget = realpathSync(target);
  } catch {
    // a missing file fails later with ENOENT; its lexical path is checked below
  }
  if (!inside(root, target) || !inside(realRoot, realTarget)) {
    throw new DataError(`TF.js model "${source}": weight path ${JSON.stringify(relativePath)} resolves to "${realTarget}", outside the model folder "${realRoot}"; weight paths must stay inside it.`);
  }
  return target;
}

/** A `ShardReader` for the model.json at `modelJsonPath`: reads each shard inside its folder, size-bounded. */
export function shardReaderFor(modelJsonPath: string, maxShardBytes = MAX_WEIGHT_FILE_BYTES): ShardReader {
  const folder = dirname(resolve(modelJsonPath));
  return async (path) => {
    const file = resolveInside(folder, path, modelJsonPath);
    try {
      return await readFileBounded(file, maxShardBytes);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      throw new DataError(`TF.js model "${modelJsonPath}": weight file "${path}" listed in the manifest is missing (looked for "${file}"). Copy every shard next to model.json.`);
    }
  };
}

/**
 * Reads a TF.js layers model from `modelJsonPath` and its shards. Throws `DataError` naming the file
 * for a model.json over 64 MiB, invalid JSON, and every fault `decodeTfjsModel` finds.
 */
export async function readTfjsModelFile(modelJsonPath: string): Promise<ModelArtifacts> {
  const bytes = await readFileBounded(modelJsonPath, MAX_MODEL_JSON_BYTES);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new DataError(`TF.js model "${modelJsonPath}": model.json is not valid UTF-8 JSON (${(e as Error).message}).`);
  }
  return decodeTfjsModel(json, shardReaderFor(modelJsonPath), modelJsonPath);
}
