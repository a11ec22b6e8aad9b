/**
 * Model files from bytes that are not on a disk (browser-clean): `File`/`Blob` objects and URLs.
 * The format is read from the bytes (a zip: Keras 3 `.keras`; the HDF5 signature: Keras 2 `.h5`; a
 * JSON object: a TF.js model.json; a safetensors header: deepwell's file), so a renamed download still
 * loads; bytes that match none are named as such (unknownFormatError), whatever the file's name says.
 * TF.js weight files are found as TF.js finds them: among the files given by the manifest path's last
 * segment (`tf.io.browserFiles`), or fetched beside the model.json's URL (`tf.io.http`).
 *
 * The Keras codecs (and h5wasm, 4 MB of WebAssembly) are imported only when a Keras file is read or
 * written, so a bundle that never touches one does not load them.
 *
 * Reference: TF.js `tfjs-core/src/io/browser_files.ts` (browserFiles, browserDownloads) and
 * `tfjs-core/src/io/http.ts` (weight URLs relative to the model.json URL).
 */
import { DataError, ValueError } from '../core/errors.js';
import type { ModelFormat, ModelSource } from '../models/model_store.js';
import type { ModelArtifacts } from './artifacts.js';
import { decodeDeepwellModel } from './deepwell_format.js';
import { SAFETENSORS_MAX_HEADER_BYTES } from './safetensors.js';
import { MAX_MODEL_JSON_BYTES, MAX_WEIGHT_FILE_BYTES } from './store_glue.js';
import { type ShardReader, checkWeightPath, decodeTfjsModel } from './tfjs_format.js';

/** The first bytes of a zip file (local file header): `PK\x03\x04`. */
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
/** HDF5 signature, the first 8 bytes of a file without user block: `\x89HDF\r\n\x1a\n`. */
const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, signature: readonly number[]): boolean =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** Whether the bytes start (after white space) with `{`: a JSON object, a TF.js model.json. */
function looksLikeJson(bytes: Uint8Array): boolean {
  for (const b of bytes.subarray(0, 64)) {
    if (b === 0x7b) return true;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0xef && b !== 0xbb && b !== 0xbf) return false;
  }
  return false;
}

/**
 * Whether the bytes start as a safetensors file: an 8-byte little-endian header length within the
 * limit, then the header's `{` (a truncated file still passes, so its decoder names the fault).
 */
function looksLikeSafetensors(bytes: Uint8Array): boolean {
  if (bytes.length < 9 || bytes[8] !== 0x7b) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const length = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  return length >= 2 && length <= SAFETENSORS_MAX_HEADER_BYTES;
}

/**
 * The format of a model file's bytes, read from its first bytes: `.keras` (a zip), `.h5` (the HDF5
 * signature), TF.js (a JSON object), deepwell (a safetensors header); undefined when they match none
 * (see unknownFormatError).
 */
export function sniffModelFormat(bytes: Uint8Array): ModelFormat | undefined {
  if (startsWith(bytes, ZIP_SIGNATURE)) return 'keras';
  if (startsWith(bytes, HDF5_SIGNATURE)) return 'h5';
  if (looksLikeJson(bytes)) return 'tfjs';
  if (looksLikeSafetensors(bytes)) return 'deepwell';
  return undefined;
}

/** The formats a file's name suggests, by its ending. */
const NAME_SUGGESTS: [RegExp, string][] = [
  [/\.keras$/i, 'a Keras 3 .keras file (a zip)'],
  [/\.(h5|hdf5)$/i, 'a Keras 2 .h5 file (HDF5)'],
  [/\.safetensors$/i, 'a deepwell .safetensors file'],
  [/\.json$/i, 'a TF.js model.json'],
];

/**
 * The error for bytes whose start matches no model format (a text file named notes.keras, an empty
 * .h5, a PNG named .safetensors): the formats recognised by their first bytes, the bytes seen, and what
 * the file's name suggested.
 */
export function unknownFormatError(bytes: Uint8Array, name: string): DataError {
  const seen = bytes.length === 0 ? 'it is empty (0 bytes)'
    : `its first bytes (${Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}) match no model format`;
  const suggested = NAME_SUGGESTS.find(([re]) => re.test(name.replace(/[?#].*$/, '')))?.[1];
  const byName = suggested === undefined ? 'Its name suggests no model format.' : `Its name suggests ${suggested}, but it is not one: another file renamed, or a download that failed?`;
  return new DataError(`"${name}" is not a model file: ${seen}. deepwell recognises a model file by its first bytes: a zip (PK\\x03\\x04) for a Keras 3 .keras, the HDF5 signature (\\x89HDF\\r\\n\\x1a\\n) for a Keras 2 .h5, a safetensors header (an 8-byte length, then '{') for deepwell's .safetensors, a JSON object ('{') for a TF.js model.json. ${byName} Open the model file itself.`);
}

/** Parses a model.json's bytes; DataError naming `name` when it is not UTF-8 JSON. */
function parseModelJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch (e) {
    throw new DataError(`TF.js model "${name}": model.json is not valid UTF-8 JSON (${(e as Error).message}).`);
  }
}

/**
 * Decodes a model file's bytes in whatever format they hold. `readShard` reads a TF.js weight file
 * named in the manifest (unused for the other formats).
 */
export async function artifactsFromBytes(bytes: Uint8Array, name: string, readShard: ShardReader): Promise<ModelArtifacts> {
  const format = sniffModelFormat(bytes);
  switch (format) {
    case undefined:
      throw unknownFormatError(bytes, name);
    case 'keras':
      return (await import('./keras_zip.js')).decodeKerasFile(bytes, name);
    case 'h5':
      return (await import('./keras_h5.js')).decodeKerasH5(bytes, name);
    case 'tfjs':
      if (bytes.length > MAX_MODEL_JSON_BYTES) throw new DataError(`TF.js model "${name}": model.json has ${bytes.length} bytes, more than the limit of ${MAX_MODEL_JSON_BYTES}; it is not a model.json or it is corrupt.`);
      return decodeTfjsModel(parseModelJson(bytes, name), readShard, name);
    case 'deepwell':
      return decodeDeepwellModel(bytes, name);
    default:
      return format satisfies never;
  }
}

/** The name of a File (a Blob has none). */
const blobName = (blob: Blob, i: number): string => (blob as { name?: string }).name ?? `blob ${i + 1}`;

/** A Blob's bytes, at most `maxBytes` (checked before reading). */
async function blobBytes(blob: Blob, name: string, maxBytes: number): Promise<Uint8Array> {
  if (blob.size > maxBytes) throw new DataError(`"${name}" has ${blob.size} bytes, more than the limit of ${maxBytes} bytes for a model file; it is not a model file or it is corrupt.`);
  return new Uint8Array(await blob.arrayBuffer());
}

/** The last segment of a path or URL (`./x/group1-shard1of1.bin` -> `group1-shard1of1.bin`). */
const lastSegment = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Reads model artifacts from `File`/`Blob` objects: one file of any format, or a TF.js model.json
 * (the one file whose name ends in `.json`, or else whose bytes are a JSON object) with its weight
 * files, matched by the manifest path's last segment as `tf.io.browserFiles` does.
 * @throws DataError for no file, several model.json files, a weight file the manifest names that is
 *   not among the files, or any fault of the file's format.
 */
export async function artifactsFromBlobs(blobs: readonly Blob[]): Promise<ModelArtifacts> {
  if (blobs.length === 0) throw new DataError('loadModel: got an empty list of files; expected a model file, or a TF.js model.json with its weight files.');
  const named = blobs.map((blob, i) => ({ blob, name: blobName(blob, i) }));
  let main = named[0];
  if (named.length > 1) {
    const json = named.filter((f) => f.name.toLowerCase().endsWith('.json'));
    if (json.length !== 1) {
      throw new DataError(`loadModel: got ${named.length} files (${named.map((f) => f.name).join(', ')}) with ${json.length} ending in .json; several files are a TF.js model: exactly one model.json and its weight files.`);
    }
    main = json[0];
  }
  const bytes = await blobBytes(main.blob, main.name, MAX_WEIGHT_FILE_BYTES);
  const others = new Map(named.filter((f) => f !== main).map((f) => [f.name, f.blob]));
  const readShard: ShardReader = async (path) => {
    const want = lastSegment(checkWeightPath(path, main.name));
    const blob = others.get(want);
    if (blob === undefined) {
      throw new DataError(`TF.js model "${main.name}": weight file "${path}" listed in the manifest is not among the files given (${[...others.keys()].join(', ') || 'none'}). Pass model.json and its weight files together: loadModel([jsonFile, ...weightFiles]).`);
    }
    return blobBytes(blob, want, MAX_WEIGHT_FILE_BYTES);
  };
  return artifactsFromBytes(bytes, main.name, readShard);
}

/** Fetches `url`'s bytes, refusing a body larger than `maxBytes` (from Content-Length, then the length read). */
async function fetchBytes(url: URL, maxBytes: number, what: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new DataError(`${what} "${url.href}" cannot be fetched (${(e as Error).message}); check the URL and that the server is running.`);
  }
  if (!response.ok) throw new DataError(`${what} "${url.href}": HTTP ${response.status} ${response.statusText}; expected 200. Check the URL.`);
  const stated = Number(response.headers.get('content-length') ?? NaN);
  if (stated > maxBytes) throw new DataError(`${what} "${url.href}" has ${stated} bytes, more than the limit of ${maxBytes} bytes; it is not a model file or it is corrupt.`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > maxBytes) throw new DataError(`${what} "${url.href}" has ${bytes.length} bytes, more than the limit of ${maxBytes} bytes.`);
  return bytes;
}

/** The page's address in a browser or worker (`location.href`), else undefined (Node). */
function baseUrl(): string | undefined {
  return (globalThis as { location?: { href?: string } }).location?.href;
}

/** Whether `source` is a URL this module fetches: `http://`, `https://`, or (in a page) a relative one. */
export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source) || (baseUrl() !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source));
}

/**
 * Reads model artifacts from a URL (absolute, or relative to the page). TF.js weight files are
 * fetched beside the model.json (`new URL(path, modelJsonUrl)`, as `tf.io.http` does); a manifest
 * path cannot leave that folder (no `..`, no absolute path, no other origin).
 * @throws DataError for a fetch that fails or is not HTTP 200, a body over the size limits, or any
 *   fault of the file's format.
 */
export async function artifactsFromUrl(source: string): Promise<ModelArtifacts> {
  let url: URL;
  try {
    url = new URL(source, baseUrl());
  } catch {
    throw new ValueError(`loadModel: '${source}' is not a URL; expected http(s)://host/path/model.json (or a path relative to the page).`);
  }
  const bytes = await fetchBytes(url, MAX_WEIGHT_FILE_BYTES, 'Model file');
  const readShard: ShardReader = (path) => fetchBytes(new URL(checkWeightPath(path, url.href), url), MAX_WEIGHT_FILE_BYTES, `TF.js weight file of "${url.href}"`);
  return artifactsFromBytes(bytes, url.href, readShard);
}

/** Reads model artifacts from a URL or `File`/`Blob` objects (see artifactsFromUrl, artifactsFromBlobs). */
export function artifactsFromSource(source: Exclude<ModelSource, string> | string): Promise<ModelArtifacts> {
  if (typeof source === 'string') return artifactsFromUrl(source);
  return artifactsFromBlobs(source instanceof Blob ? [source] : source);
}
