/**
 * Keras 3 `.keras` files, both ways: a zip (entries stored, not compressed, as Python's `zipfile`
 * default) holding `metadata.json`, `config.json` and `model.weights.h5`.
 *
 * Layout of model.weights.h5 as Keras 3.8 writes it (checked on real files):
 * - `vars` (attr `name` = model name; no datasets for a Sequential);
 * - `layers/<positional name>/vars/<i>`: one group per layer of `model.layers` (InputLayer excluded),
 *   named by the snake_case class name with a per-class counter in model order (`dense`, `dense_1`,
 *   `flatten`, ...), regardless of the layer's own name, which is kept in the `vars` group's attr
 *   `name`; weightless layers get an empty `vars` group; `<i>` is the weight's creation index;
 * - `optimizer/vars/<i>` (attr `name` = optimizer name): `0` iterations (int64 scalar), `1` learning
 *   rate (float32 scalar, unless a schedule), then the slots (see keras_optimizer_layout.ts).
 *
 * Reference: Keras 3 `keras/src/saving/saving_lib.py` (`_save_model_to_fileobj`, `_save_state`,
 * `_save_container_state`, `H5IOStore`).
 */
import { DEEPWELL_EXTRAS_KEY, applyDeepwellExtras, deepwellExtras } from './deepwell_extras.js';
import { strToU8, strFromU8, zipSync } from 'fflate';
import type { Json, KerasObject, ModelArtifacts, NamedWeight } from './artifacts.js';
import { DataError, ValueError } from '../core/errors.js';
import { childGroup, isDataset, readFloatDataset, readH5, readScalar, writeH5, type Group, type H5File } from './h5_memory.js';
import { checkLayerWeights, layerWeightSpecs, leafLayers, nestedLayers, savedLayers, toSnakeCase, unknownLayerError, weightsByLayer, type ConfigLayer } from './keras_layers.js';
import { kerasSlotLayout, learningRateIsVariable, sortSlots } from './keras_optimizer_layout.js';
import { pythonJsonDumps } from './python_json.js';
import { unzipChecked } from './zip_safe.js';

/** The Keras version whose file layout this codec writes (metadata.json `keras_version`). */
export const KERAS3_LAYOUT_VERSION = '3.8.0';

const CONFIG_JSON = 'config.json';
const METADATA_JSON = 'metadata.json';
const WEIGHTS_H5 = 'model.weights.h5';

/** Options of `encodeKerasFile`. */
export interface KerasFileOptions {
  /** Time written as `date_saved` (UTC, `%Y-%m-%d@%H:%M:%S`); default now. */
  date?: Date;
  /** `keras_version` written to metadata.json; default `KERAS3_LAYOUT_VERSION`. */
  kerasVersion?: string;
}

/** Keras's `date_saved` format, `2024-07-12@14:59:31` (Keras uses local time; deepwell writes UTC). */
function dateSaved(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}@${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/** Positional names of the saved layers: snake_case class name + per-class counter (Keras `_get_unique_name`). */
export function positionalLayerNames(layers: readonly ConfigLayer[]): string[] {
  const used = new Map<string, number>();
  return layers.map((l) => {
    const base = toSnakeCase(l.className);
    const n = used.get(base);
    used.set(base, n === undefined ? 0 : n + 1);
    return n === undefined ? base : `${base}_${n + 1}`;
  });
}

/** The config.json object: the model config with `build_config` and `compile_config`, keys in Keras's order. */
function configJson(artifacts: ModelArtifacts): { [key: string]: Json } {
  const mc = artifacts.modelConfig;
  let buildConfig: Json = mc.build_config ?? null;
  if (buildConfig === null && !Array.isArray(mc.config)) {
    const first = (mc.config.layers as Json[] | undefined)?.[0] as { class_name?: Json; config?: { [k: string]: Json } } | undefined;
    const shape = first?.class_name === 'InputLayer' ? (first.config?.batch_shape ?? first.config?.batch_input_shape) : undefined;
    if (shape !== undefined) buildConfig = { input_shape: shape };
  }
  const compileConfig = artifacts.compileConfig !== undefined ? artifacts.compileConfig : (mc.compile_config ?? null);
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(mc)) if (v !== undefined && k !== 'build_config' && k !== 'compile_config') out[k] = v;
  return {
    module: mc.module ?? 'keras',
    class_name: mc.class_name,
    config: mc.config,
    registered_name: mc.registered_name ?? null,
    ...out,
    build_config: buildConfig,
    compile_config: compileConfig,
  };
}

/** Writes one float dataset with the weight's own dtype. */
function writeWeight(group: Group, key: string, w: NamedWeight): void {
  group.create_dataset({ name: key, data: w.data, shape: w.shape, dtype: w.dtype === 'float64' ? '<d' : '<f' });
}

/** Optimizer variables in Keras 3 order: [iterations, learning rate?, ...slots]. */
function optimizerVars(artifacts: ModelArtifacts, optimizer: KerasObject): { iterations: number; lr: number | null; slots: NamedWeight[] } {
  const cfg = (Array.isArray(optimizer.config) ? {} : optimizer.config) as { [key: string]: Json };
  const lrRaw = cfg.learning_rate ?? cfg.lr;
  const lr = learningRateIsVariable(cfg) ? (typeof lrRaw === 'number' ? lrRaw : 0.001) : null;
  const state = artifacts.optimizerState ?? null;
  const slots = state?.slots ?? [];
  if (slots.length === 0) return { iterations: state?.iterations ?? 0, lr, slots: [] };
  const layout = kerasSlotLayout(optimizer.class_name, cfg);
  if (layout === null) return { iterations: state?.iterations ?? 0, lr, slots: [...slots] };
  const byName = new Map(slots.map((s) => [s.name, s]));
  const ordered: NamedWeight[] = [];
  const trainable = artifacts.weights.filter((w) => w.trainable);
  for (const group of layout) {
    for (const w of trainable) {
      for (const slot of group) {
        const s = byName.get(`${w.name}/${slot}`);
        if (s === undefined) {
          throw new ValueError(`encodeKerasFile: optimizer ${optimizer.class_name} needs slot "${w.name}/${slot}" in optimizerState.slots; received ${slots.map((x) => x.name).join(', ')}. Pass the complete optimizer state or none.`);
        }
        ordered.push(s);
      }
    }
  }
  if (ordered.length !== slots.length) {
    throw new ValueError(`encodeKerasFile: optimizerState holds ${slots.length} slots, ${optimizer.class_name} with this config has ${ordered.length} (${layout.map((g) => g.join('+')).join(', ')} per trainable weight). Pass the state of this optimizer.`);
  }
  return { iterations: state?.iterations ?? 0, lr, slots: ordered };
}

/** Writes model.weights.h5 in Keras 3.8's layout. */
export async function encodeKerasWeightsH5(artifacts: ModelArtifacts): Promise<Uint8Array> {
  const layers = savedLayers(artifacts.modelConfig, 'model config');
  const positional = positionalLayerNames(layers);
  const byLayer = weightsByLayer(artifacts.weights);
  const leaves = leafLayers(layers, 'model config');
  for (const name of byLayer.keys()) {
    if (!leaves.some((l) => l.name === name)) {
      throw new ValueError(`encodeKerasFile: weights of layer "${name}" but the model config has no such layer (layers: ${layers.map((l) => l.name).join(', ')}). Build artifacts from one model.`);
    }
  }
  const mcfg = artifacts.modelConfig.config;
  const modelName = !Array.isArray(mcfg) && typeof mcfg.name === 'string' ? mcfg.name : 'sequential';
  const compileConfig = artifacts.compileConfig !== undefined ? artifacts.compileConfig : (artifacts.modelConfig.compile_config ?? null);
  const optimizer = (compileConfig?.optimizer ?? null) as KerasObject | null;
  const opt = optimizer !== null && typeof optimizer === 'object' && typeof optimizer.class_name === 'string' ? optimizerVars(artifacts, optimizer) : null;
  return writeH5((f: H5File) => {
    // Keras creates groups in this order: the model's own `vars`, each layer, then the optimizer.
    f.create_group('vars').create_attribute('name', modelName);
    // A nested model is a group with its own (empty) `vars` and `layers/<positional>/vars` inside (Keras 3 `_save_state`).
    const writeLayers = (parent: Group, list: readonly ConfigLayer[], names: readonly string[]): void => {
      const layersGroup = parent.create_group('layers');
      list.forEach((l, i) => {
        const group = layersGroup.create_group(names[i]);
        const vars = group.create_group('vars');
        vars.create_attribute('name', l.name);
        const inner = nestedLayers(l, 'model config');
        if (inner !== null) writeLayers(group, inner, positionalLayerNames(inner));
        else (byLayer.get(l.name) ?? []).forEach((w, k) => writeWeight(vars, String(k), w));
      });
    };
    writeLayers(f as unknown as Group, layers, positional);
    if (opt !== null && optimizer !== null) {
      const cfg = (Array.isArray(optimizer.config) ? {} : optimizer.config) as { [key: string]: Json };
      const vars = f.create_group('optimizer').create_group('vars');
      vars.create_attribute('name', typeof cfg.name === 'string' ? cfg.name : optimizer.class_name);
      let k = 0;
      vars.create_dataset({ name: String(k++), data: BigInt64Array.of(BigInt(opt.iterations)), shape: [], dtype: '<q' });
      if (opt.lr !== null) vars.create_dataset({ name: String(k++), data: Float32Array.of(opt.lr), shape: [], dtype: '<f' });
      for (const s of opt.slots) writeWeight(vars, String(k++), s);
    }
  });
}

/**
 * Encodes a model as a Keras 3 `.keras` file (bytes of the zip).
 *
 * Entries, in Keras's order and stored uncompressed: `metadata.json` (`{keras_version, date_saved}`),
 * `config.json` (the model config with `build_config` and `compile_config`, as Python's json.dumps
 * writes it), `model.weights.h5` (see the module doc).
 *
 * Throws `ValueError` when the weights name a layer the config lacks, or the optimizer state misses a slot.
 */
export async function encodeKerasFile(artifacts: ModelArtifacts, options: KerasFileOptions = {}): Promise<Uint8Array> {
  const extras = deepwellExtras(artifacts);
  const metadata = {
    keras_version: options.kerasVersion ?? KERAS3_LAYOUT_VERSION, date_saved: dateSaved(options.date ?? new Date()),
    ...(extras !== null ? { [DEEPWELL_EXTRAS_KEY]: extras } : {}),
  };
  const weights = await encodeKerasWeightsH5(artifacts);
  return zipSync(
    {
      [METADATA_JSON]: [strToU8(pythonJsonDumps(metadata)), { level: 0 }],
      [CONFIG_JSON]: [strToU8(pythonJsonDumps(configJson(artifacts))), { level: 0 }],
      [WEIGHTS_H5]: [weights, { level: 0 }],
    },
    // Zip (DOS) timestamps cover 1980-2099 only.
    { mtime: new Date(Math.min(Math.max((options.date ?? new Date()).getTime(), Date.UTC(1980, 0, 2)), Date.UTC(2099, 11, 30))) },
  );
}

/** Parses a JSON entry, naming the file and the entry on failure. */
function parseJsonEntry(bytes: Uint8Array, fileName: string, entry: string): Json {
  try {
    return JSON.parse(strFromU8(bytes).replace(/\bNaN\b|-?\bInfinity\b/g, 'null')) as Json;
  } catch (e) {
    throw new DataError(`${fileName}: ${entry} is not valid JSON (${(e as Error).message}). The file is corrupt.`);
  }
}

/** The group holding a layer's variables: `layers/<pos>/vars`, or Keras 2.13's `_layer_checkpoint_dependencies/<pos>/vars`. */
function layerVarsGroup(f: H5File, positional: string): Group | null {
  for (const top of ['layers', '_layer_checkpoint_dependencies']) {
    const g = childGroup(f, top);
    const l = g === null ? null : childGroup(g, positional);
    const v = l === null ? null : childGroup(l, 'vars');
    if (v !== null) return v;
  }
  return null;
}

/** Dataset keys `0, 1, ...` of a vars group, checked to be consecutive. */
function varKeys(g: Group, fileName: string, path: string): string[] {
  const keys = g.keys().filter((k) => isDataset(g.get(k)));
  const sorted = keys.map(Number).sort((a, b) => a - b);
  sorted.forEach((n, i) => {
    if (n !== i) throw new DataError(`${fileName}: ${path} holds variables ${keys.join(', ')}; expected 0..${keys.length - 1}. The file is corrupt.`);
  });
  return sorted.map(String);
}

/**
 * Reads Keras 3 model.weights.h5 bytes against a model config: maps positional paths back to the
 * config's layers, names each weight `<config layer name>/<weight name>`, checks every shape against
 * the config, and reads the optimizer variables when the compile config names the optimizer.
 */
export async function decodeKerasWeightsH5(h5: Uint8Array, fileName: string, modelConfig: KerasObject, compileConfig: { [key: string]: Json } | null): Promise<Pick<ModelArtifacts, 'weights' | 'optimizerState'>> {
  const layers = savedLayers(modelConfig, fileName);
  const positional = positionalLayerNames(layers);
  for (const l of leafLayers(layers, fileName)) if (layerWeightSpecs(l) === null) throw unknownLayerError(l, fileName);
  return readH5(h5, fileName, (f) => {
    const weights: NamedWeight[] = [];
    const maxBytes = h5.length;
    // A nested model's layers sit under its group: layers/<model>/layers/<positional>/vars.
    const readLayers = (parent: Group | null, prefix: string, list: readonly ConfigLayer[], names: readonly string[]): void => {
      list.forEach((layer, li) => {
        const inner = nestedLayers(layer, fileName);
        if (inner !== null) {
          const group = parent === null ? null : childGroup(childGroup(parent, 'layers') ?? parent, names[li]);
          readLayers(group, `${prefix}layers/${names[li]}/`, inner, positionalLayerNames(inner));
          return;
        }
        const path = `${prefix}layers/${names[li]}/vars`;
        const g = prefix === '' ? layerVarsGroup(f, names[li]) : parent === null ? null : childGroup(childGroup(childGroup(parent, 'layers') ?? parent, names[li]) ?? parent, 'vars');
        const keys = g === null ? [] : varKeys(g, fileName, path);
        const specs = layerWeightSpecs(layer)!;
        const read = keys.map((k) => readFloatDataset(g!.get(k) as never, fileName, `${path}/${k}`, maxBytes));
        checkLayerWeights(layer, specs, read.map((r) => r.shape), fileName, path);
        read.forEach((r, i) => {
          weights.push({ name: `${layer.name}/${specs[i].name}`, layer: layer.name, index: i, shape: r.shape, dtype: r.data instanceof Float64Array ? 'float64' : 'float32', data: r.data, trainable: specs[i].trainable });
        });
      });
    };
    readLayers(f as unknown as Group, '', layers, positional);
    const layersGroup = childGroup(f, 'layers');
    if (layersGroup !== null) {
      const extra = layersGroup.keys().filter((k) => !positional.includes(k));
      const withVars = extra.filter((k) => {
        const v = childGroup(childGroup(layersGroup, k) ?? layersGroup, 'vars');
        return v !== null && varKeys(v, fileName, `layers/${k}/vars`).length > 0;
      });
      if (withVars.length > 0) {
        throw new DataError(`${fileName}: ${WEIGHTS_H5} holds weights for layers/${withVars.join(', layers/')}, which the config's ${layers.length} layers (${positional.join(', ')}) do not have. The weights belong to another model.`);
      }
    }
    let optimizerState: ModelArtifacts['optimizerState'] = null;
    const optimizer = (compileConfig?.optimizer ?? null) as KerasObject | null;
    const optimizerGroup = childGroup(f, 'optimizer');
    const og = optimizerGroup === null ? null : childGroup(optimizerGroup, 'vars');
    if (og !== null && optimizer !== null && typeof optimizer === 'object' && typeof optimizer.class_name === 'string') {
      const cfg = (Array.isArray(optimizer.config) ? {} : optimizer.config) as { [key: string]: Json };
      const keys = varKeys(og, fileName, 'optimizer/vars');
      if (keys.length > 0) {
        const iterations = readScalar(og.get('0') as never, fileName, 'optimizer/vars/0');
        const base = learningRateIsVariable(cfg) ? 2 : 1;
        const slotCount = Math.max(0, keys.length - base);
        const trainable = weights.filter((w) => w.trainable);
        const layout = kerasSlotLayout(optimizer.class_name, cfg);
        const slots: NamedWeight[] = [];
        if (slotCount > 0) {
          const names: { weight: NamedWeight; slot: string }[] = [];
          if (layout !== null) for (const group of layout) for (const w of trainable) for (const s of group) names.push({ weight: w, slot: s });
          if (layout === null || names.length !== slotCount) {
            throw new DataError(`${fileName}: optimizer/vars holds ${slotCount} slot variables for ${optimizer.class_name}; expected ${layout === null ? 'a known optimizer (SGD, Adam, AdamW, RMSprop, Adagrad, Adamax)' : `${names.length} (${layout.map((g) => g.join('+')).join(', ')} for each of ${trainable.length} trainable weights)`}. Load the model without its optimizer state.`);
          }
          names.forEach(({ weight, slot }, i) => {
            const key = String(base + i);
            const r = readFloatDataset(og.get(key) as never, fileName, `optimizer/vars/${key}`, maxBytes);
            if (r.shape.join(',') !== weight.shape.join(',')) {
              throw new DataError(`${fileName}: optimizer/vars/${key} (${weight.name}/${slot}) has shape [${r.shape.join(', ')}], expected [${weight.shape.join(', ')}] like its weight. The file is corrupt.`);
            }
            slots.push({ name: `${weight.name}/${slot}`, layer: weight.layer, index: weight.index, shape: r.shape, dtype: r.data instanceof Float64Array ? 'float64' : 'float32', data: r.data, trainable: false });
          });
        }
        optimizerState = { iterations, slots: sortSlots(slots, weights.map((w) => w.name), optimizer.class_name, cfg) };
      }
    }
    return { weights, optimizerState };
  });
}

/**
 * Decodes a Keras 3 `.keras` file. `modelConfig` is config.json without `compile_config` (kept in
 * `compileConfig`); `metadata` is metadata.json plus `format: 'keras'`.
 *
 * Throws `DataError` naming `fileName` and the fault for: a truncated or non-zip file, a zip entry
 * whose stated size lies or that inflates past the bound (zip_safe.ts), a missing config.json or
 * model.weights.h5, invalid JSON, a truncated HDF5, a dataset whose shape disagrees with the config,
 * a negative or non-finite dimension, a layer class whose weights deepwell cannot name.
 */
export async function decodeKerasFile(bytes: Uint8Array, fileName: string): Promise<ModelArtifacts> {
  const entries = unzipChecked(bytes, fileName, [CONFIG_JSON, METADATA_JSON, WEIGHTS_H5]);
  const configBytes = entries.get(CONFIG_JSON);
  if (configBytes === undefined) throw new DataError(`${fileName}: the archive has no ${CONFIG_JSON}; expected a Keras 3 .keras file (config.json, metadata.json, model.weights.h5).`);
  const weightsBytes = entries.get(WEIGHTS_H5);
  if (weightsBytes === undefined) throw new DataError(`${fileName}: the archive has no ${WEIGHTS_H5}; expected a Keras 3 .keras file (config.json, metadata.json, model.weights.h5). Files saved with weights_format="npz" are not supported.`);
  const config = parseJsonEntry(configBytes, fileName, CONFIG_JSON);
  if (config === null || typeof config !== 'object' || Array.isArray(config) || typeof config.class_name !== 'string') {
    throw new DataError(`${fileName}: ${CONFIG_JSON} is not a Keras model config (expected an object with class_name, config).`);
  }
  const { compile_config: cc, ...rest } = config as { [key: string]: Json };
  const modelConfig = rest as KerasObject;
  const compileConfig = (cc ?? null) as { [key: string]: Json } | null;
  const meta = entries.get(METADATA_JSON);
  const metadataJson = meta === undefined ? {} : parseJsonEntry(meta, fileName, METADATA_JSON);
  const { weights, optimizerState } = await decodeKerasWeightsH5(weightsBytes, `${fileName}/${WEIGHTS_H5}`, modelConfig, compileConfig);
  const { [DEEPWELL_EXTRAS_KEY]: extras, ...kerasMetadata } = typeof metadataJson === 'object' && metadataJson !== null && !Array.isArray(metadataJson) ? metadataJson : {};
  const artifacts: ModelArtifacts = { modelConfig, compileConfig, weights, optimizerState, metadata: { ...kerasMetadata, format: 'keras' } };
  applyDeepwellExtras(artifacts, extras);
  return artifacts;
}
