/**
 * The model glue: a live `Sequential` <-> `ModelArtifacts` (artifacts.ts), the plain data every model
 * file format stores. The format codecs turn artifacts into bytes and back; only this file touches a
 * live model.
 *
 * - `modelConfig`: `serialize(model)`, Keras 3's `{ module: 'keras', class_name: 'Sequential', config, build_config }`.
 * - `compileConfig`: Keras 3's `compile_config` (`{ optimizer: serialize(optimizer), loss, metrics,
 *   loss_weights: null, ... }`; the loss as compile received it: a name, or a serialized loss).
 * - `weights`: every layer's weights in model order, each layer's in creation order (`layer.variables`),
 *   named `<layer>/<weight>` with `layer` and `index` (the position within the layer).
 * - `optimizerState`: `iterations` and one NamedWeight per slot, named `<weight name>/<slot>`
 *   (`dense/kernel/m`), with the `layer` and `index` of the weight it belongs to.
 *
 * Weights are matched by name, then by (layer, index) for files that store them by position (Keras 3
 * `.keras` files keep positional layer names such as `dense`, `dense_1` while the config says `dense_3`).
 * Reference: Keras 3 keras/src/saving/saving_lib.py; keras/src/trainers/trainer.py `get_compile_config`.
 */
import { CompileConfigError, ValueError, checkOptionKeys } from '../core/errors.js';
import { allocate, type TypedArray } from '../core/dtype.js';
import { formatShape } from '../core/shape.js';
import type { Variable } from '../core/tensor.js';
import { deserialize, registeredNames, serialize } from '../core/serialization.js';
import { LayersModel } from '../models/layers_model.js';
import { ModelLayer } from '../models/model_layer.js';
// Registers both model classes, so every loader reads Sequential and Functional configs.
import { Sequential } from '../models/sequential.js';
import '../models/model.js';
import { withoutWeightInitialization } from '../layers/layer.js';
import type { Optimizer, OptimizerStateArrays } from '../optimizers/optimizer.js';
import type { Json, KerasObject, ModelArtifacts, NamedWeight } from './artifacts.js';
import { savedLayers, weightsByLayer } from './keras_layers.js';

/** Options of `modelToArtifacts`. */
export interface ModelToArtifactsOptions {
  /** Include the optimizer state (slots and iterations), as Keras's `include_optimizer`. Default true. */
  includeOptimizer?: boolean;
}

/** Options of `modelFromArtifacts`. */
export interface ModelFromArtifactsOptions {
  /** Compile the model from `compileConfig` (and restore the optimizer state), as Keras's `compile`. Default true. */
  compile?: boolean;
}

/**
 * One entry per weight of the model: the variable, its layer's name and its index within the layer.
 * A nested model's weights are those of its own layers, depth first (Keras saves them so).
 */
function locatedWeights(model: LayersModel): { v: Variable; layer: string; index: number }[] {
  return model.layers.flatMap((l) => (l instanceof ModelLayer ? locatedWeights(l.model) : l.variables.map((v, index) => ({ v, layer: l.name, index }))));
}

/**
 * Everything a file needs to store `model`: its Keras 3 config, compile config, weights and
 * optimizer state. The weight data are copies (later training does not change them).
 * @throws ValueError for a model that is not built (its weights do not exist yet) or a class that is not registered.
 */
export function modelToArtifacts(model: LayersModel, options: ModelToArtifactsOptions = {}): ModelArtifacts {
  checkOptionKeys('modelToArtifacts', options, ['includeOptimizer']);
  if (!model.built) {
    throw new ValueError(`modelToArtifacts: model "${model.name}" is not built, so it has no weights yet; give the first layer an inputShape, or call build() or fit() first.`);
  }
  const located = locatedWeights(model);
  const weights: NamedWeight[] = located.map(({ v, layer, index }) => ({
    name: v.name, layer, index, shape: [...v.shape], dtype: v.dtype, data: v.data.slice(), trainable: v.trainable,
  }));
  const compiled = model.compiled;
  const compileConfig = compiled === null ? null : {
    optimizer: serialize(compiled.optimizer) as unknown as Json,
    // A multi-output model writes one entry per output, as Keras 3's compile_config of a list.
    loss: (compiled.outputs.length > 1 ? compiled.outputs.map((o) => o.lossSpec) : compiled.lossSpec) as unknown as Json,
    loss_weights: compiled.hasLossWeights ? compiled.outputs.map((o) => o.weight) : null,
    metrics: compiled.outputs.length > 1
      ? (compiled.outputs.some((o) => o.metrics.length > 0) ? compiled.outputs.map((o) => [...o.metrics]) : null)
      : compiled.metrics.length > 0 ? [...compiled.metrics] : null,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
  let optimizerState: ModelArtifacts['optimizerState'] = null;
  if ((options.includeOptimizer ?? true) && compiled !== null) {
    const state = compiled.optimizer.getStateArrays(located.map((w) => w.v));
    const slots: NamedWeight[] = [];
    state.weights.forEach((saved, i) => {
      const { v, layer, index } = located[i];
      for (const [slot, values] of Object.entries(saved.slots)) {
        const data = values.constructor === allocate(v.dtype, 0).constructor ? values : allocate(v.dtype, values.length);
        if (data !== values) data.set(values);
        slots.push({ name: `${v.name}/${slot}`, layer, index, shape: [...v.shape], dtype: v.dtype, data, trainable: false });
      }
    });
    optimizerState = { iterations: state.iterations, slots };
  }
  return { modelConfig: serialize(model) as unknown as KerasObject, compileConfig, weights, optimizerState };
}

/** Finds the stored entry of a model weight: by name, else by (layer, index). */
function matcher(entries: readonly NamedWeight[]): (name: string, layer: string, index: number) => NamedWeight | undefined {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const byPosition = new Map(entries.map((e) => [`${e.layer}\u0000${e.index}`, e]));
  return (name, layer, index) => byName.get(name) ?? byPosition.get(`${layer}\u0000${index}`);
}

/**
 * A live model from artifacts: rebuilt from its config (layer names kept), built, weights set by
 * name (or position), and, unless `compile: false`, compiled from `compileConfig` with the optimizer
 * state restored. Artifacts without weights (a config-only file) give a model with fresh weights.
 * @throws ValueError for an unknown or unsupported class (naming it), a model whose input shape is
 *   unknown, missing or unexpected weights (listing both), a weight of the wrong shape or size, or a
 *   compile config deepwell cannot honour (pass `{ compile: false }` to load the weights only).
 */
export function modelFromArtifacts(artifacts: ModelArtifacts, options: ModelFromArtifactsOptions = {}): LayersModel {
  checkOptionKeys('modelFromArtifacts', options, ['compile']);
  // Every weight is set from the artifacts below (a missing one is an error), so none is sampled.
  const create = (): unknown => {
    const m = deserialize<unknown>(artifacts.modelConfig, 'models');
    const build = artifacts.modelConfig.build_config?.input_shape;
    if (m instanceof Sequential && !m.built && Array.isArray(build)) m.build(build as (number | null)[]);
    return m;
  };
  const model = artifacts.weights.length > 0 ? withoutWeightInitialization(create) : create();
  if (!(model instanceof LayersModel)) {
    throw new ValueError(`modelFromArtifacts: the model is a '${artifacts.modelConfig.class_name}'; deepwell loads Sequential and functional (Model) models.`);
  }
  if (artifacts.weights.length > 0) setWeightsFrom(model, artifacts.weights);
  const cc = kerasCompileConfig(artifacts.compileConfig);
  if ((options.compile ?? true) && cc !== null && cc !== undefined) {
    if (cc.optimizer === null || cc.optimizer === undefined || cc.loss === null || cc.loss === undefined) {
      throw new CompileConfigError(`modelFromArtifacts: the compile config has no ${cc.loss == null ? 'loss' : 'optimizer'}; pass { compile: false } to load the model uncompiled.`);
    }
    let optimizer: Optimizer;
    try {
      optimizer = deserialize<Optimizer>(cc.optimizer, 'optimizers');
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      const className = typeof cc.optimizer === 'object' && cc.optimizer !== null && !Array.isArray(cc.optimizer) ? (cc.optimizer as { class_name?: unknown }).class_name : cc.optimizer;
      const missing = typeof className === 'string' && !registeredNames('optimizers').includes(className) ? className : undefined;
      throw new CompileConfigError(`${e.message} (The optimizer comes from the file's compile/training config: pass { compile: false } to load the model and its weights uncompiled, then compile it with an optimizer deepwell has.)`, missing);
    }
    const names = (list: Json): string[] => (Array.isArray(list) ? list : [list]).map(metricName).filter((m): m is string => m !== null);
    const multi = model.outputNames.length > 1;
    // A multi-output model's metrics: one list per output (or an object keyed by output name).
    const metrics = multi
      ? (Array.isArray(cc.metrics) ? cc.metrics.map(names) : cc.metrics !== null && typeof cc.metrics === 'object' ? Object.fromEntries(Object.entries(cc.metrics).map(([k, v]) => [k, names(v)])) : undefined)
      : Array.isArray(cc.metrics) ? cc.metrics.flat().map(metricName).filter((m): m is string => m !== null) : [];
    const lossWeights = cc.loss_weights === null || cc.loss_weights === undefined ? undefined : cc.loss_weights;
    model.compile({ loss: cc.loss as never, optimizer, ...(metrics !== undefined ? { metrics } : {}), ...(lossWeights !== undefined ? { lossWeights: lossWeights as never } : {}), initializerAdvice: false });
    if (artifacts.optimizerState !== null && artifacts.optimizerState !== undefined) restoreOptimizer(model, optimizer, artifacts.optimizerState);
  }
  return model;
}

/** Keras's names of the accuracy metric; deepwell's `accuracy` picks the right one from the loss, as Keras's 'accuracy' does. */
const ACCURACY_NAMES = new Set(['accuracy', 'acc', 'sparse_categorical_accuracy', 'categorical_accuracy', 'binary_accuracy']);

/**
 * The metric name of a compile config entry: a string, or a serialized metric object (Keras 2.10
 * `{ class_name: 'MeanMetricWrapper', config: { name: 'accuracy', fn: 'sparse_categorical_accuracy' } }`,
 * Keras 3 `{ class_name: 'SparseCategoricalAccuracy', config: { name } }`) by its config name; the
 * accuracy family is `accuracy`. Other names are passed on (compile names an unknown one).
 */
function metricName(m: Json): string | null {
  const name = typeof m === 'string' ? m : (m !== null && typeof m === 'object' && !Array.isArray(m) && (m.config as { name?: Json } | null)?.name);
  if (typeof name !== 'string') return null;
  return ACCURACY_NAMES.has(name) ? 'accuracy' : name;
}

/**
 * The compile configuration in Keras 3's form. Keras 2 and TF.js files hold a `training_config`
 * with `optimizer_config` instead of `optimizer` (tfjs-layers `TrainingConfig`); it is read as the same thing.
 */
export function kerasCompileConfig(cc: ModelArtifacts['compileConfig']): ModelArtifacts['compileConfig'] {
  if (cc === null || cc === undefined || cc.optimizer !== undefined || cc.optimizer_config === undefined) return cc ?? null;
  const { optimizer_config: optimizer, ...rest } = cc;
  return { ...rest, optimizer };
}

/** Sets every model weight from `entries`; everything is checked before anything is written. */
function setWeightsFrom(model: LayersModel, entries: readonly NamedWeight[]): void {
  if (!model.built) {
    throw new ValueError(`modelFromArtifacts: model "${model.name}" has an unknown input shape (no InputLayer, batch_input_shape or build_config), so its weights cannot be set.`);
  }
  const find = matcher(entries);
  const used = new Set<NamedWeight>();
  const missing: string[] = [];
  const pairs: [Variable, NamedWeight][] = [];
  for (const { v, layer, index } of locatedWeights(model)) {
    const e = find(v.name, layer, index);
    if (e === undefined) missing.push(v.name);
    else {
      used.add(e);
      pairs.push([v, e]);
    }
  }
  const unexpected = entries.filter((e) => !used.has(e)).map((e) => e.name);
  if (missing.length > 0 || unexpected.length > 0) {
    throw new ValueError(
      `modelFromArtifacts: the weights do not match model "${model.name}": missing ${missing.length > 0 ? missing.join(', ') : 'none'}; ` +
        `unexpected ${unexpected.length > 0 ? unexpected.join(', ') : 'none'}. The file was written for another architecture.`,
    );
  }
  for (const [v, e] of pairs) {
    const sameShape = e.shape.length === v.shape.length && e.shape.every((d, k) => d === v.shape[k]);
    if (!sameShape || e.data.length !== v.size) {
      throw new ValueError(`modelFromArtifacts: weight "${v.name}" has shape ${formatShape(v.shape)}; the file holds ${formatShape(e.shape)} with ${e.data.length} values.`);
    }
  }
  for (const [v, e] of pairs) v.data.set(e.data);
}

/**
 * The artifacts with their layer names replaced, position by position, by the names of `model`'s
 * layers, when the saved layers and the model's have the same classes in the same order (InputLayers
 * aside). Weight and slot names (`dense_3/kernel`, `dense_3/kernel/m`) and the training state's
 * per-layer random streams follow. A checkpoint of this architecture then restores into a model
 * built later in the same process, whose automatic names (`dense_7`) differ from the saved ones
 * (`dense_1`), as Keras 3's structural `load_weights` does. Otherwise the artifacts come back as they are.
 */
export function alignLayerNames(model: LayersModel, artifacts: ModelArtifacts, fileName: string): ModelArtifacts {
  const saved = savedLayers(artifacts.modelConfig, fileName).filter((l) => l.className !== 'InputLayer');
  const own = model.layers.filter((l) => l.className !== 'InputLayer');
  if (saved.length !== own.length || saved.some((l, i) => l.className !== own[i].className)) return artifacts;
  const rename = new Map(saved.map((l, i) => [l.name, own[i].name] as const));
  if (saved.every((l, i) => l.name === own[i].name)) return artifacts;
  const renamed = (w: NamedWeight): NamedWeight => {
    const layer = rename.get(w.layer) ?? w.layer;
    return { ...w, layer, name: w.name.startsWith(`${w.layer}/`) ? `${layer}${w.name.slice(w.layer.length)}` : w.name };
  };
  const state = artifacts.trainingState;
  const rngs = state?.layerRngs;
  const trainingState = state === null || state === undefined || rngs === null || typeof rngs !== 'object' || Array.isArray(rngs)
    ? state
    : { ...state, layerRngs: Object.fromEntries(Object.entries(rngs).map(([k, v]) => [rename.get(k) ?? k, v])) };
  const optimizerState = artifacts.optimizerState === null || artifacts.optimizerState === undefined
    ? artifacts.optimizerState
    : { ...artifacts.optimizerState, slots: artifacts.optimizerState.slots.map(renamed) };
  return { ...artifacts, weights: artifacts.weights.map(renamed), optimizerState, trainingState };
}

/**
 * Sets the model's weights from `artifacts` by order (Keras 2 `load_weights` without `by_name`): the
 * i-th layer with weights in the file gives the i-th layer with weights of the model, weight by weight.
 * Names are ignored, so weights saved from a model built elsewhere (other auto names) load.
 * Every count and shape is checked before any weight is written.
 * @throws ValueError naming the file and the first layer whose weight count or shape differs, or the
 *   counts of layers with weights when they differ.
 */
export function setWeightsInOrder(model: LayersModel, artifacts: ModelArtifacts, fileName: string): void {
  const fileLayers = [...weightsByLayer(artifacts.weights).values()];
  const modelLayers = model.layers.filter((l) => l.variables.length > 0);
  const describe = (names: string[]): string => (names.length > 0 ? names.join(', ') : 'none');
  if (fileLayers.length !== modelLayers.length) {
    throw new ValueError(
      `loadWeights: ${fileName} holds weights for ${fileLayers.length} layers (${describe(fileLayers.map((l) => l[0].layer))}); ` +
        `model "${model.name}" has ${modelLayers.length} layers with weights (${describe(modelLayers.map((l) => l.name))}). Build the same architecture as the model that saved them.`,
    );
  }
  modelLayers.forEach((layer, i) => {
    const saved = fileLayers[i];
    if (saved.length !== layer.variables.length) {
      throw new ValueError(`loadWeights: layer ${i + 1} with weights, "${layer.name}", has ${layer.variables.length} weights; ${fileName} holds ${saved.length} for its layer "${saved[0].layer}".`);
    }
    layer.variables.forEach((v, k) => {
      const e = saved[k];
      if (e.shape.length !== v.shape.length || e.shape.some((d, j) => d !== v.shape[j]) || e.data.length !== v.size) {
        throw new ValueError(`loadWeights: weight "${v.name}" has shape ${formatShape(v.shape)}; ${fileName} holds ${formatShape(e.shape)} for "${e.name}".`);
      }
    });
  });
  modelLayers.forEach((layer, i) => layer.variables.forEach((v, k) => v.data.set(fileLayers[i][k].data)));
}

/** Restores slots and iterations through `optimizer.setState`, slots matched by weight name or position. */
function restoreOptimizer(model: LayersModel, optimizer: Optimizer, saved: NonNullable<ModelArtifacts['optimizerState']>): void {
  const located = locatedWeights(model);
  const used = new Set<NamedWeight>();
  const weights: OptimizerStateArrays['weights'] = located.map(({ v, layer, index }) => {
    const slots: Record<string, TypedArray> = {};
    for (const s of saved.slots) {
      const slot = s.name.slice(s.name.lastIndexOf('/') + 1);
      if (s.name === `${v.name}/${slot}` || (s.layer === layer && s.index === index)) {
        slots[slot] = s.data;
        used.add(s);
      }
    }
    return { name: v.name, shape: [...v.shape], slots };
  });
  const unexpected = saved.slots.filter((s) => !used.has(s)).map((s) => s.name);
  if (unexpected.length > 0) {
    throw new CompileConfigError(`modelFromArtifacts: optimizer slots ${unexpected.join(', ')} belong to no weight of model "${model.name}"; pass { compile: false } to skip the optimizer state.`);
  }
  optimizer.setState({ className: optimizer.className, iterations: saved.iterations, weights }, located.map((w) => w.v));
}

/**
 * Restores a checkpoint into a live model of the same architecture (BackupAndRestore): the weights
 * by name (or position), and the optimizer state into the model's compiled optimizer when both exist.
 * @throws ValueError for missing or unexpected weights, a weight of another shape, or optimizer
 *   slots that belong to no weight.
 */
export function restoreModelState(model: LayersModel, artifacts: ModelArtifacts): void {
  setWeightsFrom(model, artifacts.weights);
  const state = artifacts.optimizerState;
  if (model.compiled !== null && state !== null && state !== undefined) restoreOptimizer(model, model.compiled.optimizer, state);
}
