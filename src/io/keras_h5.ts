/**
 * Keras 2 full-model HDF5 files (`model.save('m.h5')`), both ways, and Keras 2 weights-only HDF5
 * files (`model.save_weights('w.h5')`) for reading.
 *
 * Layout (checked on Keras 2.10 and 2.0.5 files):
 * - root attrs `backend`, `keras_version`, `model_config` (JSON string), `training_config` (JSON string);
 * - group `model_weights` with attrs `layer_names` (every layer of `model.layers`), `backend`,
 *   `keras_version`; per layer a group with attr `weight_names` (`dense_1/kernel:0`, ...; an empty
 *   float64 array for weightless layers) and datasets `model_weights/<layer>/<layer>/kernel:0`;
 * - group `optimizer_weights` with attr `weight_names` (`SGD/iter:0`, `Adam/dense/kernel/m:0`, ...).
 * A weights-only file has the `model_weights` content at its root.
 * Weights map to the config's layers by position among the layers that hold weights (Keras's
 * `load_weights` rule), so renamed layers still load.
 *
 * Reference: Keras 2.10 `keras/saving/hdf5_format.py` (`save_model_to_hdf5`,
 * `save_weights_to_hdf5_group`, `load_weights_from_hdf5_group`).
 */
import { DEEPWELL_EXTRAS_KEY, applyDeepwellExtras, deepwellExtras } from './deepwell_extras.js';
import type { Json, KerasObject, ModelArtifacts, NamedWeight } from './artifacts.js';
import { DataError, ValueError } from '../core/errors.js';
import { attr, childGroup, isDataset, readFloatDataset, readH5, readScalar, writeH5, type Group, type H5File } from './h5_memory.js';
import { checkLayerWeights, layerWeightSpecs, leafLayers, nestedLayers, savedLayers, unknownLayerError, weightsByLayer } from './keras_layers.js';
import { pythonJsonDumps } from './python_json.js';
import { keras2SlotNames, kerasSlotLayout, sortSlots } from './keras_optimizer_layout.js';

/** The Keras version whose layout this codec writes (attr `keras_version`). */
export const KERAS2_LAYOUT_VERSION = '2.10.0';

/**
 * `backend` attr written: `tensorflow`, so Keras 2 loads the kernels without the Theano-era kernel
 * conversion it applies when the backend differs (deepwell's kernels are stored as TensorFlow stores them).
 */
const BACKEND = 'tensorflow';

/** Keras 2 `training_config` from a Keras 3 `compile_config`. */
function trainingConfig(cc: { [key: string]: Json }): { [key: string]: Json } {
  const opt = cc.optimizer as { class_name?: Json; config?: Json } | null | undefined;
  return {
    loss: cc.loss ?? null,
    metrics: cc.metrics ?? null,
    weighted_metrics: cc.weighted_metrics ?? null,
    loss_weights: cc.loss_weights ?? null,
    optimizer_config: opt === null || opt === undefined ? null : { class_name: opt.class_name ?? null, config: opt.config ?? {} },
  };
}

/** Keras 3 `compile_config` from a Keras 2 `training_config`. */
function compileConfigFrom(tc: { [key: string]: Json }): { [key: string]: Json } {
  return {
    optimizer: tc.optimizer_config ?? null,
    loss: tc.loss ?? null,
    loss_weights: tc.loss_weights ?? null,
    metrics: tc.metrics ?? null,
    weighted_metrics: tc.weighted_metrics ?? null,
  };
}

/** Writes one layer group's weights as Keras 2 does. */
function writeLayerWeights(parent: Group, layer: string, weights: NamedWeight[]): void {
  const g = parent.create_group(layer);
  if (weights.length === 0) {
    g.create_attribute('weight_names', new Float64Array(0), [0], '<d');
    return;
  }
  const names = weights.map((w) => `${w.name}:0`);
  g.create_attribute('weight_names', names);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i];
    const parts = names[i].split('/');
    let cur = g;
    for (const p of parts.slice(0, -1)) cur = childGroup(cur, p) ?? cur.create_group(p);
    cur.create_dataset({ name: parts[parts.length - 1], data: w.data, shape: w.shape, dtype: w.dtype === 'float64' ? '<d' : '<f' });
  }
}

/**
 * Encodes a model as a Keras 2 full-model HDF5 file.
 *
 * `model_config` is `artifacts.modelConfig` without `build_config`/`compile_config`, as JSON text in
 * Python's json.dumps form; `training_config` comes from `compileConfig` (absent when null). The
 * optimizer state goes to `optimizer_weights` as `<Optimizer>/iter:0` then `<Optimizer>/<weight>/<slot>:0`
 * in Keras 2's order (slot-major: all `m`, then all `v`) and with its slot names (RMSprop `rms`, `mg`;
 * Adamax and Nadam `m`, `v`); for an optimizer not in keras_optimizer_layout.ts, in the order of
 * `optimizerState.slots` with deepwell's slot names.
 *
 * Throws `ValueError` when the weights name a layer the config lacks.
 */
export async function encodeKerasH5(artifacts: ModelArtifacts): Promise<Uint8Array> {
  const layers = savedLayers(artifacts.modelConfig, 'model config');
  const byLayer = weightsByLayer(artifacts.weights);
  const leaves = leafLayers(layers, 'model config');
  for (const name of byLayer.keys()) {
    if (!leaves.some((l) => l.name === name)) {
      throw new ValueError(`encodeKerasH5: weights of layer "${name}" but the model config has no such layer (layers: ${layers.map((l) => l.name).join(', ')}). Build artifacts from one model.`);
    }
  }
  const { build_config: _b, compile_config: cc0, ...modelConfig } = artifacts.modelConfig;
  const cc = artifacts.compileConfig !== undefined ? artifacts.compileConfig : ((cc0 ?? null) as { [key: string]: Json } | null);
  const opt = (cc?.optimizer ?? null) as KerasObject | null;
  const optName = opt === null ? 'optimizer' : typeof (opt.config as { name?: Json }).name === 'string' ? ((opt.config as { name: string }).name) : opt.class_name;
  return writeH5((f: H5File) => {
    f.create_attribute('backend', BACKEND);
    f.create_attribute('keras_version', KERAS2_LAYOUT_VERSION);
    f.create_attribute('model_config', pythonJsonDumps(modelConfig as Json));
    if (cc !== null) f.create_attribute('training_config', pythonJsonDumps(trainingConfig(cc)));
    const extras = deepwellExtras(artifacts);
    if (extras !== null) f.create_attribute(DEEPWELL_EXTRAS_KEY, JSON.stringify(extras));
    const mw = f.create_group('model_weights');
    mw.create_attribute('backend', BACKEND);
    mw.create_attribute('keras_version', KERAS2_LAYOUT_VERSION);
    mw.create_attribute('layer_names', layers.map((l) => l.name));
    // A nested model is one layer group holding all its layers' weights (`encoder/dense/kernel:0`), as Keras 2 saves it.
    for (const l of layers) {
      const inner = nestedLayers(l, 'model config');
      writeLayerWeights(mw, l.name, inner === null ? byLayer.get(l.name) ?? [] : leafLayers(inner, 'model config').flatMap((x) => byLayer.get(x.name) ?? []));
    }
    writeLayerWeights(mw, 'top_level_model_weights', []);
    const state = artifacts.optimizerState ?? null;
    if (opt !== null && state !== null) {
      const ow = f.create_group('optimizer_weights');
      const slots = keras2SlotOrder(artifacts, opt, state.slots);
      const names = [`${optName}/iter:0`, ...slots.map((s) => `${optName}/${s.name}:0`)];
      ow.create_attribute('weight_names', names);
      const it = ow.create_group(optName);
      it.create_dataset({ name: 'iter:0', data: BigInt64Array.of(BigInt(state.iterations)), shape: [], dtype: '<q' });
      slots.forEach((s, i) => {
        const parts = names[i + 1].split('/');
        let cur: Group = ow;
        for (const p of parts.slice(0, -1)) cur = childGroup(cur, p) ?? cur.create_group(p);
        cur.create_dataset({ name: parts[parts.length - 1], data: s.weight.data, shape: s.weight.shape, dtype: s.weight.dtype === 'float64' ? '<d' : '<f' });
      });
    }
  });
}

/** Slots in Keras 2's order, each with its Keras 2 name `<weight>/<keras 2 slot>`. */
function keras2SlotOrder(artifacts: ModelArtifacts, opt: KerasObject, slots: NamedWeight[]): { name: string; weight: NamedWeight }[] {
  const rename = keras2SlotNames(opt.class_name);
  const slotOf = (s: NamedWeight) => s.name.split('/').pop()!;
  const k2 = (s: NamedWeight) => `${s.name.slice(0, s.name.length - slotOf(s).length)}${rename[slotOf(s)] ?? slotOf(s)}`;
  const layout = kerasSlotLayout(opt.class_name, (Array.isArray(opt.config) ? {} : opt.config) as { [key: string]: Json });
  if (layout === null || slots.length === 0) return slots.map((s) => ({ name: k2(s), weight: s }));
  const byName = new Map(slots.map((s) => [s.name, s]));
  const ordered: { name: string; weight: NamedWeight }[] = [];
  for (const slot of layout.flat()) {
    for (const w of artifacts.weights.filter((x) => x.trainable)) {
      const s = byName.get(`${w.name}/${slot}`);
      if (s === undefined) throw new ValueError(`encodeKerasH5: optimizer ${opt.class_name} needs slot "${w.name}/${slot}" in optimizerState.slots; received ${slots.map((x) => x.name).join(', ')}. Pass the complete optimizer state or none.`);
      ordered.push({ name: k2(s), weight: s });
    }
  }
  if (ordered.length !== slots.length) throw new ValueError(`encodeKerasH5: optimizerState holds ${slots.length} slots, ${opt.class_name} with this config has ${ordered.length}. Pass the state of this optimizer.`);
  return ordered;
}

/** A string-array attribute (Keras writes fixed or variable-length strings; an empty list as float64 []). */
function stringList(value: unknown, fileName: string, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (Array.isArray(value) && value.length === 0) return [];
  throw new DataError(`${fileName}: attribute ${where} is ${JSON.stringify(value)?.slice(0, 80)}; expected a list of strings.`);
}

/** Parses a JSON attribute, naming the file on failure. */
function parseJsonAttr(value: unknown, fileName: string, name: string): Json {
  if (typeof value !== 'string') throw new DataError(`${fileName}: root attribute ${name} is ${typeof value}; expected a JSON string.`);
  try {
    return JSON.parse(value.replace(/\bNaN\b|-?\bInfinity\b/g, 'null')) as Json;
  } catch (e) {
    throw new DataError(`${fileName}: root attribute ${name} is not valid JSON (${(e as Error).message}). The file is corrupt.`);
  }
}

/** Resolves `path` (`dense_1/kernel:0`) under `g`, or null. */
function getPath(g: Group, path: string): unknown {
  let cur: Group | null = g;
  const parts = path.split('/');
  for (const p of parts.slice(0, -1)) {
    cur = cur === null ? null : childGroup(cur, p);
  }
  if (cur === null || !cur.keys().includes(parts[parts.length - 1])) return null;
  return cur.get(parts[parts.length - 1]);
}

/**
 * Decodes a Keras 2 HDF5 file: a full model (`model.save`), or a weights-only file (`save_weights`)
 * when `modelConfig` is given (e.g. from the model's `to_json()` file). With both, the supplied config wins.
 *
 * Throws `DataError` naming `fileName` and the fault: not HDF5 or truncated, no `model_config` and no
 * config supplied, a layer count or shape that disagrees with the config, a negative or non-finite
 * dimension, a layer class whose weights deepwell cannot name.
 */
export async function decodeKerasH5(bytes: Uint8Array, fileName: string, modelConfig?: KerasObject): Promise<ModelArtifacts> {
  return readH5(bytes, fileName, (f) => {
    const rootKeys = f.keys();
    const mcAttr = attr(f, 'model_config');
    let config: KerasObject;
    if (modelConfig !== undefined) config = modelConfig;
    else if (mcAttr !== undefined) {
      const parsed = parseJsonAttr(mcAttr, fileName, 'model_config');
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || typeof parsed.class_name !== 'string') {
        throw new DataError(`${fileName}: model_config is not a Keras model config (expected an object with class_name, config).`);
      }
      config = parsed as KerasObject;
    } else {
      throw new DataError(`${fileName}: a weights-only HDF5 file (no model_config attribute); build the same model in code and call model.loadWeights(path) (Keras load_weights), or decode it with its config (the model's to_json() file): decodeKerasH5(bytes, name, config).`);
    }
    const tcAttr = attr(f, 'training_config');
    const tc = tcAttr === undefined ? null : parseJsonAttr(tcAttr, fileName, 'training_config');
    const weightsRoot = rootKeys.includes('model_weights') ? childGroup(f, 'model_weights') : f;
    if (weightsRoot === null) throw new DataError(`${fileName}: model_weights is not a group; the file is corrupt.`);
    const layerNames = stringList(attr(weightsRoot, 'layer_names'), fileName, 'layer_names');
    const fileLayers: { name: string; weightNames: string[] }[] = [];
    for (const name of layerNames) {
      const g = childGroup(weightsRoot, name);
      if (g === null) throw new DataError(`${fileName}: layer_names lists "${name}" but the file has no group ${name}. The file is corrupt or truncated.`);
      const wn = stringList(attr(g, 'weight_names'), fileName, `${name}/weight_names`);
      if (wn.length > 0) fileLayers.push({ name, weightNames: wn });
    }
    const layers = savedLayers(config, fileName);
    for (const l of leafLayers(layers, fileName)) if (layerWeightSpecs(l) === null) throw unknownLayerError(l, fileName);
    // A nested model's group holds the weights of its layers in order (depth first).
    const withWeights = layers.map((l) => {
      const inner = nestedLayers(l, fileName);
      return { layer: l, parts: (inner === null ? [l] : leafLayers(inner, fileName)).map((x) => ({ leaf: x, specs: layerWeightSpecs(x) ?? [] })) };
    });
    const configWeighted = withWeights.filter(({ parts }) => parts.some((p) => p.specs.length > 0));
    if (configWeighted.length !== fileLayers.length) {
      throw new DataError(`${fileName}: the file holds weights for ${fileLayers.length} layers (${fileLayers.map((l) => l.name).join(', ')}), the model config has ${configWeighted.length} layers with weights (${configWeighted.map(({ layer }) => layer.name).join(', ')}). The weights belong to another model.`);
    }
    const weights: NamedWeight[] = [];
    configWeighted.forEach(({ parts }, i) => {
      const fl = fileLayers[i];
      const g = childGroup(weightsRoot, fl.name)!;
      const read = fl.weightNames.map((wn) => {
        const ds = getPath(g, wn);
        if (!isDataset(ds)) throw new DataError(`${fileName}: weight_names of ${fl.name} lists ${wn}, but ${fl.name}/${wn} is not a dataset. The file is corrupt or truncated.`);
        return readFloatDataset(ds, fileName, `${fl.name}/${wn}`, bytes.length);
      });
      let offset = 0;
      for (const { leaf, specs } of parts) {
        const mine = read.slice(offset, offset + specs.length);
        offset += specs.length;
        checkLayerWeights(leaf, specs, mine.map((r) => r.shape), fileName, `layer group ${fl.name}`);
        mine.forEach((r, k) => {
          weights.push({ name: `${leaf.name}/${specs[k].name}`, layer: leaf.name, index: k, shape: r.shape, dtype: r.data instanceof Float64Array ? 'float64' : 'float32', data: r.data, trainable: specs[k].trainable });
        });
      }
      if (offset !== read.length) throw new DataError(`${fileName}: layer group ${fl.name} holds ${read.length} weights, its config ${offset}. The weights belong to another model.`);
    });
    let optimizerState: ModelArtifacts['optimizerState'] = null;
    const ow = rootKeys.includes('optimizer_weights') ? childGroup(f, 'optimizer_weights') : null;
    if (ow !== null) {
      const names = stringList(attr(ow, 'weight_names'), fileName, 'optimizer_weights/weight_names');
      const optClass = String((tc as { optimizer_config?: { class_name?: Json } } | null)?.optimizer_config?.class_name ?? '');
      let iterations = 0;
      const slots: NamedWeight[] = [];
      const byName = new Map(weights.map((w) => [w.name, w]));
      for (const n of names) {
        const ds = getPath(ow, n);
        if (!isDataset(ds)) throw new DataError(`${fileName}: optimizer_weights lists ${n}, but it is not a dataset. The file is corrupt or truncated.`);
        const rest = n.replace(/:0$/, '').split('/').slice(1).join('/');
        if (rest === 'iter') {
          iterations = readScalar(ds, fileName, `optimizer_weights/${n}`);
          continue;
        }
        const k2slot = rest.split('/').pop()!;
        const weight = byName.get(rest.slice(0, rest.length - k2slot.length - 1));
        const slot = Object.entries(keras2SlotNames(optClass)).find(([, v]) => v === k2slot)?.[0] ?? k2slot;
        if (weight === undefined) continue; // a hyperparameter variable (decay, ...) or a weight of another naming scheme
        const r = readFloatDataset(ds, fileName, `optimizer_weights/${n}`, bytes.length);
        slots.push({ name: `${weight.name}/${slot}`, layer: weight.layer, index: weight.index, shape: r.shape, dtype: r.data instanceof Float64Array ? 'float64' : 'float32', data: r.data, trainable: false });
      }
      const optConfig = ((tc as { optimizer_config?: { config?: Json } } | null)?.optimizer_config?.config ?? {}) as { [key: string]: Json };
      optimizerState = { iterations, slots: sortSlots(slots, weights.map((w) => w.name), optClass, optConfig) };
    }
    const kv = attr(f, 'keras_version') ?? attr(weightsRoot, 'keras_version');
    const backend = attr(f, 'backend') ?? attr(weightsRoot, 'backend');
    const metadata: { [key: string]: Json } = { format: mcAttr === undefined ? 'keras-h5-weights' : 'keras-h5' };
    if (typeof kv === 'string') metadata.keras_version = kv;
    if (typeof backend === 'string') metadata.backend = backend;
    const compileConfig = tc !== null && typeof tc === 'object' && !Array.isArray(tc) ? compileConfigFrom(tc) : null;
    const artifacts: ModelArtifacts = { modelConfig: config, compileConfig, weights, optimizerState, metadata };
    const extras = attr(f, DEEPWELL_EXTRAS_KEY);
    if (typeof extras === 'string') {
      try {
        applyDeepwellExtras(artifacts, JSON.parse(extras));
      } catch {
        // Not deepwell's: the file stays loadable as Keras's.
      }
    }
    return artifacts;
  });
}
