/**
 * The effective activation of a layer: the nonlinearity its output actually reaches. A Dense or Conv
 * layer with activation 'linear' followed by BatchNormalization, a residual Add or Dropout and then
 * Activation('selu') is a SELU layer as far as its initializer is concerned (Keras's `Conv2D ->
 * BatchNormalization -> Activation` idiom; the second conv of a ResNet block, `conv -> BN -> Add ->
 * relu`). The walk follows the graph forward (`LayersModel.connections()`) through the layers in
 * PASS_THROUGH (normalization, dropout and noise, element-wise sums, value-preserving reshapes) to
 * the first activation layer on each path; a layer with a kernel, a pooling layer or the model's
 * output ends a path without one.
 *
 * Result: the activation every path reaches (one name); 'linear' when no path reaches one; null when
 * paths reach different activations (no single pairing to check).
 *
 * Reference: Ioffe & Szegedy 2015 (arXiv:1502.03167) place BN between the linear map and the
 * nonlinearity; He et al. 2016 (arXiv:1512.03385) apply the ReLU after the shortcut addition.
 */
import type { Layer } from '../layers/layer.js';

/** Layers that neither apply a nonlinearity nor end a path: the walk goes through them. */
export const PASS_THROUGH: ReadonlySet<string> = new Set([
  'BatchNormalization', 'LayerNormalization', 'Dropout', 'AlphaDropout', 'MCDropout', 'MCAlphaDropout', 'SpatialDropout1D',
  'SpatialDropout2D', 'GaussianDropout', 'GaussianNoise', 'Add', 'Average', 'Subtract', 'Concatenate', 'Flatten', 'Reshape', 'ZeroPadding2D',
]);

/** Activation layers that are their own class (Keras keras/src/layers/activations/), by class name. */
const ACTIVATION_LAYERS: Readonly<Record<string, string>> = { ReLU: 'relu', ELU: 'elu', LeakyReLU: 'leaky_relu', PReLU: 'prelu', Softmax: 'softmax' };

/** The activation a layer applies itself when it is an activation layer (no kernel), else undefined. */
function activationLayerName(layer: Layer): string | undefined {
  const own = (layer as Layer & { activation?: unknown; kernelInitializer?: unknown });
  if (own.kernelInitializer === undefined && typeof own.activation === 'string') return own.activation;
  return ACTIVATION_LAYERS[layer.className];
}

/**
 * The effective activation of `layers[index]` given the model's `[from, to]` connections (see the
 * file comment): its own when it is not 'linear', else the one reached forward.
 * @example effectiveActivation(model.layers, model.connections(), 0) // 'selu' for Dense(linear) -> BN -> Activation('selu')
 */
export function effectiveActivation(layers: readonly Layer[], connections: readonly (readonly [number, number])[], index: number): string | null {
  const own = (layers[index] as Layer & { activation?: unknown }).activation;
  if (own !== 'linear') return typeof own === 'string' ? own : null;
  const next = new Map<number, number[]>();
  for (const [from, to] of connections) next.set(from, [...(next.get(from) ?? []), to]);
  const found = new Set<string>();
  const seen = new Set<number>([index]);
  const stack = [...(next.get(index) ?? [])];
  while (stack.length > 0) {
    const i = stack.pop() as number;
    if (seen.has(i)) continue;
    seen.add(i);
    const layer = layers[i];
    const act = activationLayerName(layer);
    if (act !== undefined) found.add(act);
    else if (PASS_THROUGH.has(layer.className)) stack.push(...(next.get(i) ?? []));
  }
  if (found.size === 0) return 'linear';
  return found.size === 1 ? [...found][0] : null;
}
