/**
 * cloneModel: a new Sequential (or functional Model, rebuilt from its graph's config) with fresh layers of the same configuration and a copy of the
 * weights, so training the clone leaves the original untouched (Keras's `clone_model` followed by
 * `set_weights(model.get_weights())`, as the book does before reusing a pretrained model's layers).
 *
 * Each layer is rebuilt from its Keras 3 serialized config (`deserialize(serialize(layer))`), so
 * the clone keeps the layer names, activations, initializers, regularizers, constraints and the
 * `trainable` flags; then every weight is copied by name. A model that is not built yet is cloned
 * unbuilt (there are no weights to copy).
 *
 * Shapes: the clone takes the same inputs and gives the same outputs as `model`.
 * Reference: Keras 3 keras/src/models/cloning.py; Hands-On Machine Learning, ch. 11 ("Reusing
 * Pretrained Layers": `model_A_clone = keras.models.clone_model(model_A)`;
 * `model_A_clone.set_weights(model_A.get_weights())`).
 * @example const copy = cloneModel(modelA); // copy.layers[0] !== modelA.layers[0], same weights
 */
import { ValueError, checkOptionKeys } from '../core/errors.js';
import { layerFromConfig, serializeLayer } from '../layers/registry.js';
import { deserialize, serialize } from '../core/serialization.js';
import { SEQUENTIAL_OPTION_KEYS, Sequential, type SequentialOptions } from './sequential.js';
import { Model } from './model.js';

/**
 * @param options - as the Sequential constructor's: `name`.
 * @throws ValueError for an unknown option key, or when a layer's class is not registered (a custom
 *   layer needs `registerSerializable(MyLayer)`).
 */
export function cloneModel(model: Sequential, options?: SequentialOptions): Sequential;
export function cloneModel(model: Model, options?: SequentialOptions): Model;
export function cloneModel(model: Sequential | Model, options: SequentialOptions = {}): Sequential | Model {
  checkOptionKeys('cloneModel', options, SEQUENTIAL_OPTION_KEYS);
  if (model instanceof Model) {
    // The graph's config holds every layer and call (shared layers once): rebuild it, then copy the weights by position.
    const json = JSON.parse(JSON.stringify(serialize(model))) as { config: Record<string, unknown> };
    if (options.name !== undefined) json.config.name = options.name;
    const clone = deserialize<Model>(json, 'models');
    clone.setWeights(model.getWeights());
    return clone;
  }
  const layers = model.layers.map((l) => layerFromConfig(JSON.parse(JSON.stringify(serializeLayer(l))) as ReturnType<typeof serializeLayer>));
  const clone = new Sequential(layers, options);
  if (!clone.built && model.builtInputShape !== null) clone.build(model.builtInputShape);
  if (!clone.built) return clone;
  model.layers.forEach((src, i) => {
    const dst = new Map(clone.layers[i].weights.map((w) => [w.name, w]));
    for (const w of src.weights) {
      const target = dst.get(w.name);
      if (target === undefined) {
        throw new ValueError(`cloneModel: the rebuilt layer "${clone.layers[i].name}" has no weight "${w.name}"; its getConfig does not describe it fully.`);
      }
      target.assign(w);
    }
  });
  return clone;
}
