/**
 * What the Keras file codecs need to know about a model config: its layers in model order, and the
 * names, order and shape rules of each layer class's weights (Keras files store weights by position;
 * the names come from the class, as Keras's own `build` creates them).
 *
 * Reference: Keras 3 `keras/src/layers/core/dense.py`, `normalization/batch_normalization.py`,
 * `activations/prelu.py` (weight creation order); `keras/src/utils/naming.py` (`to_snake_case`).
 */
import type { Json, KerasObject, NamedWeight } from './artifacts.js';
import { DataError } from '../core/errors.js';

/** Layer classes that never hold weights. */
const WEIGHTLESS = new Set([
  'InputLayer', 'Flatten', 'Dropout', 'Activation', 'Reshape', 'ReLU', 'LeakyReLU', 'ELU', 'Softmax',
  'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'SpatialDropout1D', 'Permute', 'RepeatVector',
  'ActivityRegularization', 'Identity', 'Rescaling',
  'Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Concatenate',
  'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'ZeroPadding2D',
]);

/** One layer of a model config. */
export interface ConfigLayer {
  className: string;
  name: string;
  config: { [key: string]: Json };
  /** Last dimension of the layer's input from its Keras 3 `build_config.input_shape`, when stated. */
  inputDim?: number | null;
}

/** The layers of a Sequential model config in model order, InputLayer included (Keras 3, Keras 2 and the pre-2.2 list form). */
export function configLayers(modelConfig: KerasObject, fileName: string): ConfigLayer[] {
  const c = modelConfig.config;
  const list = Array.isArray(c) ? c : (c as { layers?: Json }).layers;
  if (!Array.isArray(list)) {
    throw new DataError(`${fileName}: the model config (class_name ${modelConfig.class_name}) has no layer list; expected config.layers (Keras 2.2+ / Keras 3) or a list (Keras 2.0).`);
  }
  return list.map((l, i) => {
    const o = l as { class_name?: Json; config?: Json; build_config?: { input_shape?: Json } | null };
    const cfg = (o.config ?? {}) as { [key: string]: Json };
    if (typeof o.class_name !== 'string') throw new DataError(`${fileName}: layer ${i} of the model config has no class_name.`);
    const name = typeof cfg.name === 'string' ? cfg.name : `${toSnakeCase(o.class_name)}_${i}`;
    const inputShape = o.build_config?.input_shape;
    const last = Array.isArray(inputShape) ? inputShape[inputShape.length - 1] : null;
    return { className: o.class_name, name, config: cfg, inputDim: typeof last === 'number' ? last : null };
  });
}

/**
 * Keras's `naming.to_snake_case`: `Dense` -> `dense`, `BatchNormalization` -> `batch_normalization`,
 * `PReLU` -> `p_re_lu` (Keras 3's own default PReLU name).
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** One weight a layer creates: its name, whether training changes it, and the size the config fixes (or null). */
export interface WeightSpec {
  name: string;
  trainable: boolean;
  /** Expected value of the last dimension, when the config fixes it (Dense units). */
  lastDim: number | null;
  /** Expected rank, when the class fixes it. */
  rank: number | null;
}

/**
 * The weights a layer of `className` creates, in creation order, from its config; null for a class
 * this module does not know (the caller reports it with the file name).
 *
 * - Dense: kernel [in, units], bias [units] when `use_bias` (default true).
 * - BatchNormalization: gamma when `scale`, beta when `center` (both default true), moving_mean,
 *   moving_variance (non-trainable), all [features].
 * - LayerNormalization: gamma when `scale`, beta when `center`.
 * - PReLU: alpha (shape of the input without batch dim, or with shared axes set to 1).
 * - Conv1D / Conv2D: kernel [...kernel_size, in, filters], bias [filters] when `use_bias`.
 * - DepthwiseConv2D: depthwise_kernel [kH, kW, in, depth_multiplier] (Keras 2 and TF.js's name; Keras 3
 *   stores it by position), bias [in depth_multiplier] when `use_bias`.
 */
export function layerWeightSpecs(layer: ConfigLayer): WeightSpec[] | null {
  const c = layer.config;
  const trainable = c.trainable !== false;
  if (WEIGHTLESS.has(layer.className)) return [];
  switch (layer.className) {
    case 'Dense': {
      const units = typeof c.units === 'number' ? c.units : null;
      const specs: WeightSpec[] = [{ name: 'kernel', trainable, lastDim: units, rank: 2 }];
      if (c.use_bias !== false) specs.push({ name: 'bias', trainable, lastDim: units, rank: 1 });
      return specs;
    }
    case 'BatchNormalization': {
      const specs: WeightSpec[] = [];
      if (c.scale !== false) specs.push({ name: 'gamma', trainable, lastDim: null, rank: 1 });
      if (c.center !== false) specs.push({ name: 'beta', trainable, lastDim: null, rank: 1 });
      specs.push({ name: 'moving_mean', trainable: false, lastDim: null, rank: 1 });
      specs.push({ name: 'moving_variance', trainable: false, lastDim: null, rank: 1 });
      return specs;
    }
    case 'LayerNormalization': {
      const specs: WeightSpec[] = [];
      if (c.scale !== false) specs.push({ name: 'gamma', trainable, lastDim: null, rank: 1 });
      if (c.center !== false) specs.push({ name: 'beta', trainable, lastDim: null, rank: 1 });
      return specs;
    }
    case 'PReLU':
      return [{ name: 'alpha', trainable, lastDim: null, rank: null }];
    case 'Conv1D':
    case 'Conv2D': {
      const filters = typeof c.filters === 'number' ? c.filters : null;
      const specs: WeightSpec[] = [{ name: 'kernel', trainable, lastDim: filters, rank: layer.className === 'Conv1D' ? 3 : 4 }];
      if (c.use_bias !== false) specs.push({ name: 'bias', trainable, lastDim: filters, rank: 1 });
      return specs;
    }
    case 'DepthwiseConv2D': {
      const multiplier = typeof c.depth_multiplier === 'number' ? c.depth_multiplier : 1;
      const specs: WeightSpec[] = [{ name: 'depthwise_kernel', trainable, lastDim: multiplier, rank: 4 }];
      if (c.use_bias !== false) specs.push({ name: 'bias', trainable, lastDim: null, rank: 1 });
      return specs;
    }
    default:
      return null;
  }
}

/**
 * Checks the weights read for one layer against its specs: count, rank, the dimension the config fixes,
 * and equal lengths for the vectors of a normalization layer. Throws `DataError` naming file and path.
 */
export function checkLayerWeights(layer: ConfigLayer, specs: WeightSpec[], shapes: number[][], fileName: string, where: string): void {
  if (shapes.length !== specs.length) {
    throw new DataError(`${fileName}: ${where} holds ${shapes.length} weights for ${layer.className} "${layer.name}", expected ${specs.length} (${specs.map((s) => s.name).join(', ')}) from its config. The file does not belong to this model config.`);
  }
  specs.forEach((s, i) => {
    const shape = shapes[i];
    if (s.rank !== null && shape.length !== s.rank) {
      throw new DataError(`${fileName}: ${where} weight ${i} (${layer.name}/${s.name}) has shape [${shape.join(', ')}], expected rank ${s.rank}. The file does not match its config.`);
    }
    if (s.lastDim !== null && shape[shape.length - 1] !== s.lastDim) {
      throw new DataError(`${fileName}: ${where} weight ${i} (${layer.name}/${s.name}) has shape [${shape.join(', ')}], expected last dimension ${s.lastDim} (units in the config). The file does not match its config.`);
    }
  });
  const inputDim = layer.inputDim ?? null;
  if (layer.className === 'Dense' && inputDim !== null && shapes[0][0] !== inputDim) {
    throw new DataError(`${fileName}: ${where} weight 0 (${layer.name}/kernel) has shape [${shapes[0].join(', ')}], expected first dimension ${inputDim} (build_config input_shape in the config). The file does not match its config.`);
  }
  if (layer.className === 'BatchNormalization' || layer.className === 'LayerNormalization') {
    const n = shapes[0]?.[0];
    if (shapes.some((sh) => sh[0] !== n)) {
      throw new DataError(`${fileName}: ${where} ${layer.className} "${layer.name}" weights have shapes ${shapes.map((sh) => `[${sh.join(', ')}]`).join(', ')}; expected equal lengths. The file is corrupt.`);
    }
  }
}

/** Groups weights by layer name, in the order of first appearance. */
export function weightsByLayer(weights: readonly NamedWeight[]): Map<string, NamedWeight[]> {
  const m = new Map<string, NamedWeight[]>();
  for (const w of weights) {
    const list = m.get(w.layer) ?? [];
    list.push(w);
    m.set(w.layer, list);
  }
  for (const list of m.values()) list.sort((a, b) => a.index - b.index);
  return m;
}

/**
 * What Keras's `model.layers` holds (and saves, in this order): a Sequential's layers without its
 * leading InputLayer (Keras 3 `Sequential.layers`); a Functional model's layers, InputLayers included
 * (Keras 3 `Functional.layers`: every Layer of `_operations`).
 */
export function savedLayers(modelConfig: KerasObject, fileName: string): ConfigLayer[] {
  const layers = configLayers(modelConfig, fileName);
  if (modelConfig.class_name === 'Sequential' && layers[0]?.className === 'InputLayer') return layers.slice(1);
  return layers;
}

/** Class names of models nested as layers (Keras 3 'Sequential' / 'Functional'; Keras 2 'Model'). */
export const NESTED_MODEL_CLASSES = new Set(['Sequential', 'Functional', 'Model']);

/** The layers a nested model's config entry saves (its `savedLayers`), or null for a plain layer. */
export function nestedLayers(layer: ConfigLayer, fileName: string): ConfigLayer[] | null {
  return NESTED_MODEL_CLASSES.has(layer.className) ? savedLayers({ class_name: layer.className, config: layer.config } as KerasObject, fileName) : null;
}

/** Every plain layer of a config, nested models opened (depth first, in saving order). */
export function leafLayers(layers: readonly ConfigLayer[], fileName: string): ConfigLayer[] {
  return layers.flatMap((l) => nestedLayers(l, fileName) === null ? [l] : leafLayers(nestedLayers(l, fileName) as ConfigLayer[], fileName));
}

/** Layer classes that hold code (Python bytecode or a function): never loaded (Keras safe_mode; CVE-2024-3660). */
const CODE_LAYERS = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda']);

/**
 * The error for a layer class whose weights this module cannot name: a layer that holds code
 * (`Lambda`) is refused as such; any other class is named with how to register a custom layer.
 */
export function unknownLayerError(layer: ConfigLayer, fileName: string): DataError {
  if (CODE_LAYERS.has(layer.className)) {
    return new DataError(`${fileName}: layer "${layer.name}" is a ${layer.className} layer: it holds code that loading would execute, and deepwell never runs code from a file (as Keras 3's safe_mode; CVE-2024-3660). Rewrite it as a custom layer class (static className, static fromConfig, getConfig) and register it with registerSerializable(MyLayer).`);
  }
  return new DataError(`${fileName}: layer "${layer.name}" is of class ${layer.className}, and deepwell has no ${layer.className} layer (known: Dense, BatchNormalization, LayerNormalization, PReLU and weightless layers such as Flatten, Dropout). Remove the layer from the model, or define it as a custom layer class (static className, static fromConfig, getConfig) and register it with registerSerializable(MyLayer).`);
}
