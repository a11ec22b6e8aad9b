/**
 * The browser's model store (browser-clean), registered by the browser entry when no other store is:
 *
 * - `loadModel(url)`: fetches a model file (absolute `http(s)://` URL or relative to the page); a
 *   TF.js model.json's weight files are fetched beside it;
 * - `loadModel(file)` / `loadModel([jsonFile, weightsFile])`: `File`/`Blob` objects (an
 *   `<input type=file>`'s files);
 * - `model.save('downloads://name')`: the file(s) downloaded by the page, TF.js's `downloads://`
 *   convention: the name without a format suffix gives deepwell's `name.safetensors`; `name.keras`,
 *   `name.h5` or `{ format }` pick the Keras formats; `name.json` or `{ format: 'tfjs' }` gives TF.js's
 *   pair `name.json` + `name.weights.bin` (one weight file, named as `tf.io.browserDownloads` names it,
 *   so `tf.loadLayersModel(tf.io.browserFiles([json, bin]))` reads it too). An empty name is `model`.
 *
 * Saving needs a page (`document`): in a Web Worker, `modelToFiles` gives the files, to post to the page.
 *
 * Reference: TF.js `tfjs-core/src/io/browser_files.ts` (`BrowserDownloads`, `DEFAULT_FILE_NAME_PREFIX`
 * 'model', `DEFAULT_JSON_EXTENSION_NAME` '.json', `DEFAULT_WEIGHT_DATA_EXTENSION_NAME` '.weights.bin').
 */
import { ValueError } from '../core/errors.js';
import type { LayersModel } from '../models/layers_model.js';
import { type ModelSource, type ModelStore, type SaveOptions, describeSource, hasModelStore, registerModelStore } from '../models/model_store.js';
import { encodeDeepwellModel } from './deepwell_format.js';
import { alignLayerNames, modelFromArtifacts, restoreModelState, setWeightsInOrder } from './model_artifacts.js';
import { artifactsFromSource, isUrlSource } from './model_sources.js';
import { artifactsToSave, formatOfName, namingSource, restoreExtras } from './store_glue.js';
import { encodeTfjsModel } from './tfjs_format.js';

/** The scheme of `model.save` that downloads the files (TF.js's name for it). */
export const DOWNLOADS_SCHEME = 'downloads://';
/** The file name when `downloads://` has none (TF.js's default prefix). */
const DEFAULT_NAME = 'model';

/** One file to download: its name and bytes. */
export interface ModelFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * The files `model.save('downloads://' + name, options)` downloads (see the module docs for names
 * and formats). Usable anywhere, e.g. in a Web Worker that posts the files to its page.
 * @throws ValueError for a model that is not built or an unknown `format`.
 * @example
 * (await modelToFiles(model, 'mlp')).map((f) => f.name);                      // ['mlp.safetensors']
 * (await modelToFiles(model, 'mlp', { format: 'tfjs' })).map((f) => f.name); // ['mlp.json', 'mlp.weights.bin']
 */
export async function modelToFiles(model: LayersModel, name: string, options: SaveOptions = {}): Promise<ModelFile[]> {
  const given = name === '' ? DEFAULT_NAME : name;
  const format = formatOfName(given, options.format) ?? 'deepwell';
  const stem = given.replace(/\.(safetensors|json|keras|h5|hdf5)$/i, '') || DEFAULT_NAME;
  const withSuffix = (suffix: string) => (formatOfName(given) === format ? given : `${stem}${suffix}`);
  const artifacts = artifactsToSave(model, options);
  switch (format) {
    case 'deepwell':
      return [{ name: withSuffix('.safetensors'), bytes: encodeDeepwellModel(artifacts) }];
    case 'keras':
      return [{ name: withSuffix('.keras'), bytes: await (await import('./keras_zip.js')).encodeKerasFile(artifacts) }];
    case 'h5':
      return [{ name: withSuffix('.h5'), bytes: await (await import('./keras_h5.js')).encodeKerasH5(artifacts) }];
    case 'tfjs': {
      // One weight file, as TF.js's browserDownloads writes it: encode as a single shard, then rename.
      const files = encodeTfjsModel(artifacts, { shardBytes: Number.MAX_SAFE_INTEGER });
      const weightsName = `${stem}.weights.bin`;
      const json = JSON.parse(new TextDecoder().decode(files['model.json'])) as { weightsManifest: { paths: string[] }[] };
      for (const group of json.weightsManifest) group.paths = [`./${weightsName}`];
      return [
        { name: `${stem}.json`, bytes: new TextEncoder().encode(JSON.stringify(json)) },
        { name: weightsName, bytes: files['group1-shard1of1.bin'] },
      ];
    }
    default:
      return format satisfies never;
  }
}

/** The little of the DOM a download needs (declared here: the core compiles without the DOM's types too). */
interface DownloadDocument {
  createElement(tag: 'a'): { href: string; download: string; click(): void };
}

/**
 * Makes the page download `files` (an `<a download>` per file on an object URL).
 * @throws ValueError outside a page (no `document`: Node, a Web Worker), saying what to do instead.
 */
export function downloadFiles(files: readonly ModelFile[]): void {
  const doc = (globalThis as { document?: DownloadDocument }).document;
  if (doc === undefined) {
    throw new ValueError(`model.save('${DOWNLOADS_SCHEME}...') needs a page with a document; got none (a Web Worker or Node). In a worker, call modelToFiles(model, name) and post the files to the page; in Node, save to a path.`);
  }
  for (const f of files) {
    const url = URL.createObjectURL(new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    const a = doc.createElement('a');
    a.href = url;
    a.download = f.name;
    a.click();
    // The download has started from the URL by now; a later revoke frees the bytes.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** Statuses of a server that does not answer HEAD (Method Not Allowed, Not Implemented). */
const HEAD_REFUSED = new Set([405, 501]);

/**
 * Whether a URL names a file: a HEAD request answered 2xx. A server that refuses HEAD (405, 501) is
 * asked with a GET for its first byte (`Range: bytes=0-0`, 200 or 206), whose body is not read. A
 * fetch that fails (no server, a refused cross-origin request) is false.
 */
export async function urlExists(url: URL): Promise<boolean> {
  try {
    const head = await fetch(url, { method: 'HEAD' });
    if (!HEAD_REFUSED.has(head.status)) return head.ok;
    const get = await fetch(url, { headers: { range: 'bytes=0-0' } });
    await get.body?.cancel();
    return get.ok;
  } catch {
    return false;
  }
}

/** Throws the browser store's error for a string that is neither a URL nor `downloads://`. */
function notHere(source: string, what: string): never {
  throw new ValueError(`${what} '${source}' in a browser: expected an http(s):// URL or a File/Blob to load, '${DOWNLOADS_SCHEME}name' to save. Paths on a disk need deepwell's Node entry.`);
}

/** The browser store: URLs and files in, downloads out. */
export const browserModelStore: ModelStore = {
  async save(model, path, options) {
    if (!path.startsWith(DOWNLOADS_SCHEME)) notHere(path, 'model.save cannot write');
    downloadFiles(await modelToFiles(model, path.slice(DOWNLOADS_SCHEME.length), options));
  },
  async load(source, options) {
    if (typeof source === 'string' && !isUrlSource(source)) notHere(source, 'loadModel cannot read');
    const artifacts = await artifactsFromSource(source);
    const name = describeSource(source);
    const model = namingSource(name, () => modelFromArtifacts(artifacts, { compile: options.compile ?? true }));
    restoreExtras(model, artifacts);
    return model;
  },
  exists(source) {
    if (typeof source !== 'string') return Promise.resolve(true);
    if (!isUrlSource(source)) return Promise.resolve(false);
    return urlExists(new URL(source, (globalThis as { location?: { href?: string } }).location?.href));
  },
  async restoreInto(model, source: ModelSource) {
    const artifacts = alignLayerNames(model, await artifactsFromSource(source), describeSource(source));
    namingSource(describeSource(source), () => restoreModelState(model, artifacts));
    restoreExtras(model, artifacts);
  },
  async loadWeights(model, source: ModelSource) {
    if (typeof source === 'string' && !isUrlSource(source)) notHere(source, 'model.loadWeights cannot read');
    setWeightsInOrder(model, await artifactsFromSource(source), describeSource(source));
  },
  async remove(path) {
    throw new ValueError(`Cannot remove '${path}' in a browser: downloads are the user's files. Use checkpoint callbacks in Node, or save with '${DOWNLOADS_SCHEME}'.`);
  },
};

if (!hasModelStore()) registerModelStore(browserModelStore);
