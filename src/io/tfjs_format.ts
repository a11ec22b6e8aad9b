/**
 * TensorFlow.js layers-model format: `model.json` (topology + weights manifest) and binary shards of
 * little-endian float32, both ways.
 *
 * Write: `model.json` with `format: "layers-model"`, `generatedBy`, `convertedBy: null`,
 * `modelTopology` in the Keras 2 form that `tf.loadLayersModel` of @tensorflow/tfjs 4.22 reads
 * (`class_name`/`config`, snake_case keys, no `module`/`registered_name`/`build_config`, dtype strings
 * instead of `DTypePolicy` objects, `batch_shape` renamed `batch_input_shape`, a leading `InputLayer`
 * of a Sequential folded into the first layer's `batch_input_shape`; a functional model's `inbound_nodes`
 * as Keras 2's `[[layer, node, tensor, kwargs]]`), `weightsManifest` with one group
 * whose weights are concatenated and cut into shards of `shardBytes` named `group1-shard{i}of{n}.bin`,
 * and `trainingConfig` (Keras 2 `optimizer_config`, `loss`, `metrics`) when the model was compiled.
 *
 * Read: model.json written by TF.js itself and by the tensorflowjs converter from Keras 2.1 to Keras 3
 * (topology bare or wrapped in `{ model_config, training_config, keras_version, backend }`, shards
 * without `.bin`, `./` relative paths, weight names with a model prefix such as
 * `sequential_1/dense_3/kernel`). The topology is returned as found; the model glue interprets it.
 *
 * Faults are `DataError`s naming the file: a weight path leaving the model folder (absolute, `..`, a
 * URL with a scheme), shard sizes that disagree with the manifest (in total or per shard), bad dims,
 * a dtype other than float32 (quantized weights are not supported). Sizes are checked before any
 * weight array is allocated.
 *
 * Pure and browser-clean. Reference: tfjs-core `src/io/types.ts` (`ModelJSON`, `WeightsManifestConfig`),
 * tfjs-core `src/io/io_utils.ts` and tfjs-layers `src/models.ts` (`loadLayersModelFromIOHandler`),
 * tfjs-layers `src/engine/training.ts` (`loadTrainingConfig`), tensorflowjs `write_weights.py` (sharding).
 */
import { DataError, ValueError } from '../core/errors.js';
import type { Json, KerasObject, ModelArtifacts, NamedWeight } from './artifacts.js';
import { DEEPWELL_VERSION } from './deepwell_version.js';
import { configLayers, layerWeightSpecs, unknownLayerError } from './keras_layers.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Default shard size of TF.js and the tensorflowjs converter: 4 MiB. */
export const TFJS_DEFAULT_SHARD_BYTES = 4 * 1024 * 1024;

/** Options of `encodeTfjsModel`. */
export interface EncodeTfjsOptions {
  /** Largest shard, in bytes (integer >= 1; default 4 MiB as TF.js). */
  shardBytes?: number;
  /** Version written into `generatedBy` (default: this package's version). */
  deepwellVersion?: string;
}

/** Reads one shard named by a (checked, relative, `./`-free) manifest path. */
export type ShardReader = (path: string) => Uint8Array | Promise<Uint8Array>;

type JsonObject = { [key: string]: Json };
const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keys of Keras 3 serialized objects that TF.js 4.22 does not know. */
const KERAS3_ONLY_KEYS = new Set(['module', 'registered_name', 'build_config', 'compile_config']);
/** Keras 3 dtype-policy class names, written by TF.js-era Keras as plain dtype strings. */
const DTYPE_POLICIES = new Set(['DTypePolicy', 'FloatDTypePolicy', 'Policy']);

/** Rewrites a Keras 3 (or Keras 2) config value into the Keras 2 form that TF.js reads. */
function toKeras2(value: Json): Json {
  if (Array.isArray(value)) return value.map(toKeras2);
  if (!isObject(value)) return value;
  if (typeof value.class_name === 'string' && DTYPE_POLICIES.has(value.class_name) && isObject(value.config)) {
    return value.config.name ?? 'float32';
  }
  const isKerasObject = typeof value.class_name === 'string';
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    if (isKerasObject && KERAS3_ONLY_KEYS.has(key)) continue;
    out[key === 'batch_shape' ? 'batch_input_shape' : key] = toKeras2(v);
  }
  return out;
}

/**
 * The `modelTopology` of a TF.js model.json for a model config (Keras 3 or Keras 2 form).
 * Throws `ValueError` for a Sequential that holds only an InputLayer.
 */
export function toTfjsTopology(modelConfig: KerasObject): JsonObject {
  const topology = toKeras2(modelConfig as unknown as Json) as JsonObject;
  const config = topology.config;
  if (topology.class_name === 'Sequential' && isObject(config) && Array.isArray(config.layers)) {
    const layers = config.layers as JsonObject[];
    const first = layers[0];
    if (first !== undefined && first.class_name === 'InputLayer') {
      const next = layers[1];
      if (next === undefined) throw new ValueError('TF.js export: the Sequential model has only an InputLayer; add a layer before exporting.');
      const inputConfig = (first.config ?? {}) as JsonObject;
      const nextConfig = { ...((next.config ?? {}) as JsonObject) };
      nextConfig.batch_input_shape = nextConfig.batch_input_shape ?? inputConfig.batch_input_shape ?? null;
      if (inputConfig.dtype !== undefined) nextConfig.dtype = nextConfig.dtype ?? inputConfig.dtype;
      topology.config = { ...config, layers: [{ ...next, config: nextConfig }, ...layers.slice(2)] };
    }
  }
  if ((topology.class_name === 'Functional' || topology.class_name === 'Model') && isObject(config) && Array.isArray(config.layers)) {
    topology.config = { ...config, layers: (config.layers as JsonObject[]).map((l) => ({ ...nestedTopology(l), inbound_nodes: Array.isArray(l.inbound_nodes) ? l.inbound_nodes.map(toKeras2Node) : [] })) };
  }
  if (topology.class_name === 'Sequential' && isObject(topology.config) && Array.isArray(topology.config.layers)) {
    topology.config = { ...topology.config, layers: (topology.config.layers as JsonObject[]).map(nestedTopology) };
  }
  return topology;
}

/** A nested model's entry of a layers list, its own config rewritten as `toTfjsTopology` does (its name and inbound nodes kept). */
function nestedTopology(l: JsonObject): JsonObject {
  if (typeof l.class_name !== 'string' || !['Sequential', 'Functional', 'Model'].includes(l.class_name)) return l;
  const inner = toTfjsTopology({ class_name: l.class_name, config: l.config } as unknown as KerasObject);
  return { ...l, class_name: inner.class_name, config: inner.config };
}

/**
 * A Keras 3 inbound node `{ args: [tensor or [tensors]], kwargs }` in the Keras 2 form that TF.js reads:
 * `[[layerName, nodeIndex, tensorIndex, kwargs], ...]`, one entry per input tensor. A node already in
 * Keras 2 form is returned as it is.
 */
function toKeras2Node(node: Json): Json {
  if (!isObject(node)) return node;
  const args = Array.isArray(node.args) ? node.args : [];
  const kwargs = isObject(node.kwargs) ? node.kwargs : {};
  const first = args[0];
  const tensors = Array.isArray(first) ? first : first === undefined ? [] : [first];
  return tensors.map((t) => {
    const history = isObject(t) && isObject(t.config) && Array.isArray(t.config.keras_history) ? t.config.keras_history : null;
    if (history === null) throw new ValueError(`TF.js export: an inbound node argument ${JSON.stringify(t)} is not a Keras tensor reference; expected { class_name: '__keras_tensor__', config: { keras_history } }.`);
    return [...history, { ...kwargs }];
  });
}

/** snake_case of a PascalCase class name (`CategoricalCrossentropy` -> `categorical_crossentropy`). */
const snakeCase = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** A loss or metric (string or Keras object) as the snake_case name TF.js's `loadTrainingConfig` reads. */
function lossOrMetricName(v: Json): Json {
  if (isObject(v) && typeof v.class_name === 'string') {
    const config = isObject(v.config) ? v.config : {};
    return typeof config.name === 'string' ? config.name : snakeCase(v.class_name);
  }
  return v;
}

/** TF.js optimizer class names that differ from Keras's. */
const TFJS_OPTIMIZER_NAMES: Record<string, string> = { RMSprop: 'RMSProp', rmsprop: 'RMSProp', sgd: 'SGD', adam: 'Adam', adagrad: 'Adagrad', adadelta: 'Adadelta', adamax: 'Adamax' };

/**
 * The `trainingConfig` of a TF.js model.json for a Keras 3 `compile_config` (or a Keras 2 training config).
 * Per-output metric lists (`[['accuracy'], []]`) become TF.js's object keyed by output name
 * (`{ cls: 'accuracy' }`, one metric per output, the form tfjs-layers `TrainingConfig` reads) when
 * `outputNames` are given; `loss_weights` is passed on.
 */
export function toTfjsTrainingConfig(compileConfig: JsonObject, outputNames: readonly string[] = []): JsonObject {
  let optimizer: Json = compileConfig.optimizer_config ?? compileConfig.optimizer ?? null;
  if (typeof optimizer === 'string') optimizer = { class_name: optimizer, config: {} };
  const out: JsonObject = {};
  if (isObject(optimizer)) {
    const className = String(optimizer.class_name);
    const config = { ...((toKeras2(optimizer.config ?? {}) ?? {}) as JsonObject) };
    // A schedule object is not readable by TF.js: keep its initial rate.
    const lr = config.learning_rate;
    if (isObject(lr) && isObject(lr.config) && typeof lr.config.initial_learning_rate === 'number') config.learning_rate = lr.config.initial_learning_rate;
    out.optimizer_config = { class_name: TFJS_OPTIMIZER_NAMES[className] ?? className, config };
  }
  const loss = compileConfig.loss ?? null;
  out.loss = Array.isArray(loss) ? loss.map(lossOrMetricName) : isObject(loss) && typeof loss.class_name !== 'string'
    ? Object.fromEntries(Object.entries(loss).map(([k, v]) => [k, lossOrMetricName(v)]))
    : lossOrMetricName(loss);
  const metrics = compileConfig.metrics ?? null;
  if (Array.isArray(metrics) && metrics.some(Array.isArray) && outputNames.length === metrics.length) {
    out.metrics = Object.fromEntries(outputNames.flatMap((n, i) => {
      const list = metrics[i];
      const first = Array.isArray(list) ? list[0] : list;
      return first === undefined || first === null ? [] : [[n, lossOrMetricName(first)]];
    }));
  } else if (Array.isArray(metrics)) out.metrics = metrics.flat().map(lossOrMetricName);
  else if (metrics !== null) out.metrics = lossOrMetricName(metrics);
  if (compileConfig.loss_weights !== undefined && compileConfig.loss_weights !== null) out.loss_weights = compileConfig.loss_weights;
  return out;
}

/**
 * Encodes model artifacts as a TF.js layers model: `{ 'model.json': bytes, 'group1-shard1of1.bin': bytes, ... }`.
 * Weights are written as float32 (float64 weights are rounded to float32, as TF.js stores no float64).
 * Optimizer state and training state are not part of the TF.js format and are not written.
 * Throws `ValueError` for a `shardBytes` that is not an integer >= 1.
 */
export function encodeTfjsModel(artifacts: ModelArtifacts, options: EncodeTfjsOptions = {}): Record<string, Uint8Array> {
  const shardBytes = options.shardBytes ?? TFJS_DEFAULT_SHARD_BYTES;
  if (!Number.isSafeInteger(shardBytes) || shardBytes < 1) {
    throw new ValueError(`TF.js export: shardBytes must be an integer >= 1, got ${shardBytes}. The TF.js default is ${TFJS_DEFAULT_SHARD_BYTES}.`);
  }
  let total = 0;
  for (const w of artifacts.weights) total += w.data.length * 4;
  const all = new Uint8Array(total);
  const view = new DataView(all.buffer);
  let pos = 0;
  for (const w of artifacts.weights) {
    for (let i = 0; i < w.data.length; i++, pos += 4) view.setFloat32(pos, w.data[i], true);
  }
  const n = Math.max(1, Math.ceil(total / shardBytes));
  const files: Record<string, Uint8Array> = {};
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `group1-shard${i + 1}of${n}.bin`;
    paths.push(name);
    files[name] = all.slice(i * shardBytes, Math.min(total, (i + 1) * shardBytes));
  }
  const modelJson: JsonObject = {
    format: 'layers-model',
    generatedBy: `deepwell ${options.deepwellVersion ?? DEEPWELL_VERSION}`,
    convertedBy: null,
    modelTopology: toTfjsTopology(artifacts.modelConfig),
    weightsManifest: [{ paths, weights: artifacts.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' })) }],
  };
  if (artifacts.compileConfig !== undefined && artifacts.compileConfig !== null) {
    modelJson.trainingConfig = toTfjsTrainingConfig(artifacts.compileConfig, outputLayerNames(artifacts.modelConfig));
  }
  return { 'model.json': new TextEncoder().encode(JSON.stringify(modelJson)), ...files };
}

/**
 * Checks a manifest weight path and returns it without a leading `./`. Throws `DataError` naming
 * `source` for an empty path, an absolute path (`/x`, `\x`, `C:x`), a URL with a scheme
 * (`http:`, `file:`), a `..` segment, or a NUL byte: a weight path must stay inside the model folder.
 */
export function checkWeightPath(path: unknown, source: string): string {
  const fail = (fault: string): never => {
    throw new DataError(`TF.js model "${source}": weight path ${JSON.stringify(path)} ${fault}; weight paths must be relative paths inside the model's folder.`);
  };
  if (typeof path !== 'string' || path.length === 0) return fail('is not a non-empty string');
  if (path.includes('\0')) fail('contains a NUL byte');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) fail('is a URL or drive path (it has a scheme)');
  if (path.startsWith('/') || path.startsWith('\\')) fail('is absolute');
  const segments = path.split(/[/\\]/);
  if (segments.includes('..')) fail('leaves the model folder (".." segment)');
  const clean = segments.filter((s) => s !== '.' && s !== '').join('/');
  if (clean.length === 0) fail('names no file');
  return clean;
}

/**
 * A Keras `model.to_json()` file (a model config and no weights) where a TF.js model.json was
 * expected: names the first layer deepwell lacks, else says how to load the config with its weights.
 */
function configOnlyFile(config: KerasObject, source: string): never {
  for (const layer of configLayers(config, source)) {
    if (layer.className !== 'InputLayer' && layerWeightSpecs(layer) === null) throw unknownLayerError(layer, source);
  }
  throw new DataError(`TF.js model "${source}": a Keras model.to_json() config without weights (no "modelTopology" or "weightsManifest"); load it with its weights file, e.g. decodeKerasH5(weightsH5Bytes, name, config) for a Keras save_weights .h5, then modelFromArtifacts.`);
}

/**
 * Decodes a TF.js layers model: `modelJson` is the parsed model.json, `readShard` returns the bytes
 * of a weight file given its checked relative path, `source` names the model.json in messages.
 *
 * Returns artifacts with `modelConfig` = the model topology as found (unwrapped from `model_config`
 * when the converter wrapped it), `compileConfig` = the training config as found (`trainingConfig`
 * or the topology's `training_config`, Keras 2 form, or null), weights named as in the manifest with
 * `layer` = the name's second-to-last segment and `index` = the weight's position among the weights of
 * its prefix; `trainable` is false only for `moving_mean` / `moving_variance`. Weights of the group
 * `"optimizer"` (TF.js `save({ includeOptimizer: true })`) become `optimizerState`: the int32 `iter`
 * its `iterations`, the others its slots (`dense/kernel/m`, layer `dense`). `metadata` holds
 * `format`, `generated_by`, `converted_by`, `keras_version` and `backend` when the file has them.
 *
 * Throws `DataError` (see the module docs).
 */
export async function decodeTfjsModel(modelJson: unknown, readShard: ShardReader, source: string): Promise<ModelArtifacts> {
  const fail = (fault: string): never => {
    throw new DataError(`TF.js model "${source}": ${fault}`);
  };
  if (!isObject(modelJson)) return fail('model.json must be a JSON object with "modelTopology" and "weightsManifest".');
  const topology = modelJson.modelTopology;
  if (!isObject(topology)) {
    if (typeof modelJson.class_name === 'string' && modelJson.config !== undefined) return configOnlyFile(modelJson as unknown as KerasObject, source);
    return fail('"modelTopology" is missing or not an object; this model.json holds no model (a graph model or weights only?).');
  }
  const wrapped = isObject(topology.model_config);
  const modelConfig = wrapped ? topology.model_config : topology;
  if (!isObject(modelConfig) || typeof modelConfig.class_name !== 'string') fail('the model topology has no "class_name".');
  const training = modelJson.trainingConfig ?? (wrapped ? topology.training_config : null) ?? null;
  const manifest = modelJson.weightsManifest;
  if (!Array.isArray(manifest)) return fail('"weightsManifest" is missing or not a list of weight groups.');

  const weights: NamedWeight[] = [];
  const slots: NamedWeight[] = [];
  let iterations = 0;
  const perPrefix = new Map<string, number>();
  for (const [g, group] of manifest.entries()) {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      return fail(`weightsManifest[${g}] must be { paths: [...], weights: [...] }.`);
    }
    const paths = group.paths.map((p) => checkWeightPath(p, source));
    // Shapes and the byte total first, without allocating anything the file claims.
    const specs: { name: string; shape: number[]; size: number; optimizer: boolean; int32: boolean }[] = [];
    let expected = 0;
    for (const spec of group.weights) {
      if (!isObject(spec) || typeof spec.name !== 'string') return fail(`weightsManifest[${g}] has a weight without a name: ${JSON.stringify(spec)}.`);
      const name = spec.name;
      if (spec.quantization !== undefined && spec.quantization !== null) fail(`weight "${name}" is quantized (${JSON.stringify(spec.quantization)}); quantized weights are not supported. Convert the model without quantization.`);
      // TF.js's `save({ includeOptimizer: true })` writes optimizer weights in group "optimizer", its
      // iteration counter `iter` as int32.
      const optimizer = spec.group === 'optimizer';
      const int32 = optimizer && spec.dtype === 'int32';
      if (spec.dtype !== 'float32' && !int32) {
        if (['int32', 'uint8', 'int8', 'uint16', 'float16', 'bool', 'string', 'complex64'].includes(String(spec.dtype))) {
          fail(`weight "${name}" has dtype ${JSON.stringify(spec.dtype)}, which is not supported; deepwell reads float32 weights.`);
        }
        fail(`weight "${name}" has unknown dtype ${JSON.stringify(spec.dtype)}; expected "float32".`);
      }
      if (!Array.isArray(spec.shape)) return fail(`weight "${name}": shape must be a list, got ${JSON.stringify(spec.shape)}.`);
      let size = 1;
      for (const d of spec.shape) {
        if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) fail(`weight "${name}": invalid dimension ${typeof d === 'number' ? String(d) : JSON.stringify(d)} in shape ${JSON.stringify(spec.shape)}; dimensions must be finite integers >= 0.`);
        size *= d as number;
      }
      if (!Number.isSafeInteger(size * 4)) fail(`weight "${name}": shape ${JSON.stringify(spec.shape)} is too large.`);
      specs.push({ name, shape: spec.shape as number[], size, optimizer, int32 });
      expected += size * 4;
    }
    if (paths.length === 0) {
      if (expected > 0) fail(`weightsManifest[${g}] lists ${expected} bytes of weights but no weight files.`);
      continue;
    }
    const shards: Uint8Array[] = [];
    let read = 0;
    for (const [i, path] of paths.entries()) {
      const bytes = await readShard(path);
      read += bytes.length;
      const describe = (): string => `weight file "${path}" (shard ${i + 1} of ${paths.length}) has ${bytes.length} bytes`;
      if (read > expected) fail(`${describe()}: the shards hold more bytes (at least ${read}) than the ${expected} bytes the manifest's weights need. The shard does not belong to this model.json or the manifest is wrong.`);
      if (i < paths.length - 1 && i > 0 && bytes.length !== shards[0].length) {
        fail(`${describe()}, but shard 1 has ${shards[0].length}; every shard but the last must have the same size.`);
      }
      if (i === paths.length - 1 && read < expected) {
        fail(`${describe()}: the shards hold ${read} bytes in total, but the manifest's weights need ${expected}. The file is truncated or a shard is missing.`);
      }
      if (i < paths.length - 1 && bytes.length === 0) fail(`${describe()}: only the last shard may be empty.`);
      if (i === paths.length - 1 && paths.length > 1 && bytes.length > shards[0].length) {
        fail(`${describe()}, more than shard 1 (${shards[0].length} bytes); the last shard cannot be larger than the others.`);
      }
      shards.push(bytes);
    }
    let shard = 0;
    let offset = 0;
    for (const spec of specs) {
      const raw = spec.int32 ? new Int32Array(spec.size) : new Float32Array(spec.size);
      const target = new Uint8Array(raw.buffer);
      let filled = 0;
      while (filled < target.length) {
        while (offset >= shards[shard].length) {
          shard++;
          offset = 0;
        }
        const take = Math.min(target.length - filled, shards[shard].length - offset);
        target.set(shards[shard].subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
      }
      if (!LITTLE_ENDIAN_HOST) {
        const v = new DataView(raw.buffer);
        for (let i = 0; i < raw.length; i++) raw[i] = spec.int32 ? v.getInt32(i * 4, true) : v.getFloat32(i * 4, true);
      }
      if (spec.optimizer && spec.name === 'iter' && spec.size === 1) {
        iterations = raw[0];
        continue;
      }
      const data = raw instanceof Float32Array ? raw : Float32Array.from(raw);
      const parts = spec.name.split('/');
      const prefix = parts.slice(0, -1).join('/');
      const index = perPrefix.get(prefix) ?? 0;
      perPrefix.set(prefix, index + 1);
      const shortName = parts[parts.length - 1];
      (spec.optimizer ? slots : weights).push({
        name: spec.name,
        // A slot `dense/kernel/m` belongs to the layer of its weight `dense/kernel`.
        layer: parts[Math.max(0, parts.length - (spec.optimizer ? 3 : 2))],
        index,
        shape: [...spec.shape],
        dtype: 'float32',
        data,
        trainable: shortName !== 'moving_mean' && shortName !== 'moving_variance',
      });
    }
  }
  const metadata: { [key: string]: Json } = {};
  const copy = (from: JsonObject, key: string, as: string): void => {
    if (from[key] !== undefined) metadata[as] = from[key];
  };
  copy(modelJson, 'format', 'format');
  copy(modelJson, 'generatedBy', 'generated_by');
  copy(modelJson, 'convertedBy', 'converted_by');
  copy(topology, 'keras_version', 'keras_version');
  copy(topology, 'backend', 'backend');
  return {
    modelConfig: modelConfig as KerasObject,
    compileConfig: isObject(training) ? training : null,
    weights,
    optimizerState: slots.length > 0 || iterations > 0 ? { iterations, slots } : null,
    metadata,
  };
}

/** The names of a functional config's output layers (`output_layers: [[name, node, tensor], ...]`), else none. */
function outputLayerNames(modelConfig: KerasObject): string[] {
  const c = modelConfig.config;
  const refs = isObject(c) ? c.output_layers : null;
  return Array.isArray(refs) && refs.every((r) => Array.isArray(r) && typeof r[0] === 'string') ? refs.map((r) => String((r as Json[])[0])) : [];
}
