/**
 * ModelArtifacts: what every model file format stores, as plain data. The format codecs in `io/`
 * (deepwell/safetensors, TF.js layers, Keras `.keras`, Keras 2 `.h5`) are pure functions between
 * `ModelArtifacts` and bytes; the model glue (`modelToArtifacts`, `modelFromArtifacts`) is the only
 * code that touches a live model, and a thin Node layer (`*.node.ts`) the only code that touches disk.
 *
 * Reference: Keras 3 `keras/src/saving/saving_lib.py` (config.json, metadata.json, model.weights.h5)
 * and TF.js `tfjs-core/src/io/types.ts` (`ModelArtifacts`, `WeightsManifestConfig`).
 */
import type { DType, TypedArray } from '../core/dtype.js';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A Keras 3 serialized object: `{ module, class_name, config, registered_name }` (also read: Keras 2 / TF.js forms). */
export interface KerasObject {
  module?: string | null;
  class_name: string;
  config: { [key: string]: Json } | Json[];
  registered_name?: string | null;
  build_config?: { [key: string]: Json } | null;
  compile_config?: { [key: string]: Json } | null;
  [key: string]: Json | undefined;
}

/**
 * One weight: its full name `<layer>/<weight>` (`dense_1/kernel`, `batch_normalization/moving_mean`),
 * shape, dtype and values. `layer` and `index` locate it positionally as Keras files need it: the
 * layer's name and the weight's index among that layer's weights (creation order: kernel 0, bias 1;
 * batch norm gamma, beta, moving_mean, moving_variance).
 */
export interface NamedWeight {
  name: string;
  layer: string;
  index: number;
  shape: number[];
  dtype: DType;
  data: TypedArray;
  trainable: boolean;
}

/** Everything a saved model holds. Only `modelConfig` and `weights` are required. */
export interface ModelArtifacts {
  /** The model in Keras 3 form (`class_name: 'Sequential'` or `'Functional'`). */
  modelConfig: KerasObject;
  /** Keras 3 `compile_config` (loss, optimizer, metrics), or null when the model was not compiled. */
  compileConfig?: { [key: string]: Json } | null;
  /** Every weight, layers in model order, each layer's weights in creation order. */
  weights: NamedWeight[];
  /** Optimizer state: `iterations` and slot tensors named `<weight name>/<slot>` (e.g. `dense/kernel/m`). */
  optimizerState?: { iterations: number; slots: NamedWeight[] } | null;
  /** Where training stopped: epochs completed and the shuffler's state, so `fit` can resume bit for bit. */
  trainingState?: { [key: string]: Json } | null;
  /** Writer and versions (`{ format, generated_by, deepwell_version, keras_version, ... }`). */
  metadata?: { [key: string]: Json };
}
