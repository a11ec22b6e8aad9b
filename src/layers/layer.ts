/**
 * Layer: the fixed lifecycle of every layer (Keras 3): `constructor` (options only) -> `build`
 * (creates weights once the input shape is known) -> `call` (the forward computation) ->
 * `computeOutputShape` -> `getConfig` (the constructor options as JSON data).
 *
 * Shapes given to `build` and `computeOutputShape` include the batch dimension as `null`.
 * Layer names are auto-numbered per class as in Keras (`dense`, `dense_1`, ...); weight names
 * are `<layer>/<weight>` (`dense_1/kernel`).
 */
import { ShapeError, ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { accepts, registerSerializableKind } from '../core/serialization.js';
import { type Shape, formatShape } from '../core/shape.js';
import { Tensor, Variable } from '../core/tensor.js';
import { type Initializer, get as getInitializer } from '../initializers/index.js';
import type { RngState } from '../core/random.js';

/** A shape whose first (batch) dimension may be unknown. */
export type SymbolicShape = readonly (number | null)[];

export interface LayerOptions {
  /** Unique layer name; auto-numbered per class when omitted (`dense`, `dense_1`, ...). */
  name?: string;
  /** Input shape without the batch dimension (first layer of a Sequential model). */
  inputShape?: readonly number[];
  /** When false, the layer's weights are frozen (not updated, counted as non-trainable). Default true. */
  trainable?: boolean;
  /**
   * The layer's dtype as Keras writes it: 'float32' (or a Keras 3 DTypePolicy named float32), the
   * only one deepwell computes layers in. Accepted so configs read back; anything else is a ValueError.
   */
  dtype?: unknown;
}

/** The keys of `LayerOptions`, which every layer accepts. */
export const LAYER_OPTION_KEYS = keysOf<LayerOptions>({ name: true, inputShape: true, trainable: true, dtype: true });

/** Options of a forward call. */
export interface CallOptions {
  /** Training mode (dropout active, batch statistics). Explicit, never a global. */
  training?: boolean;
}

/** The keys of `CallOptions`. */
export const CALL_OPTION_KEYS = keysOf<CallOptions>({ training: true });

const nameCounters = new Map<string, number>();

/**
 * Keras's `naming.to_snake_case` of a class name: BatchNormalization -> batch_normalization,
 * Conv2D -> conv2d, MaxPooling2D -> max_pooling2d, PReLU -> p_re_lu (a digit does not start a word).
 */
export function toSnakeCase(className: string): string {
  return className.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The next unique name for a layer class: `dense`, then `dense_1`, `dense_2`, ... */
export function uniqueLayerName(className: string): string {
  const base = toSnakeCase(className);
  const n = nameCounters.get(base) ?? 0;
  nameCounters.set(base, n + 1);
  return n === 0 ? base : `${base}_${n}`;
}

/** Resets the per-class name counters (as `keras.backend.clear_session()`); used by tests. */
export function resetLayerNames(): void {
  nameCounters.clear();
}

export abstract class Layer {
  static readonly className: string = 'Layer';
  /**
   * Every key the constructor's options object may hold: `LAYER_OPTION_KEYS` plus the class's own.
   * The base constructor rejects any other key (a misspelt option must not fall back to its default
   * silently). A subclass with options of its own declares them here; one without inherits the list.
   */
  static readonly optionKeys: readonly string[] = LAYER_OPTION_KEYS;
  readonly name: string;
  readonly inputShape: readonly number[] | undefined;
  protected readonly weightList: Variable[] = [];
  private trainableFlag: boolean;
  built = false;
  /** The output of the last forward call (read by diagnostics; a reference, not a copy). */
  lastOutput: Tensor | null = null;

  /** @throws ValueError for an option key that the class does not declare in `optionKeys` (with the nearest valid one). */
  constructor(options: LayerOptions = {}) {
    const cls = new.target as typeof Layer;
    checkOptionKeys(cls.className, options, cls.optionKeys);
    if (!accepts.float32(options.dtype)) {
      throw new ValueError(`${cls.className}: dtype ${JSON.stringify(options.dtype)} is not supported; deepwell layers compute in 'float32'. Remove the dtype option or set it to 'float32'.`);
    }
    this.name = options.name ?? uniqueLayerName(cls.className);
    this.inputShape = options.inputShape;
    this.trainableFlag = options.trainable ?? true;
  }

  /** The registered class name (for serialization). */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** Freezes (false) or unfreezes (true) every weight of the layer. */
  get trainable(): boolean {
    return this.trainableFlag;
  }

  set trainable(value: boolean) {
    this.trainableFlag = value;
    for (const w of this.weightList) w.trainable = value && !this.nonTrainableNames.has(w.name);
  }

  /** Names of weights that are never trainable (e.g. batch-norm moving statistics). */
  protected readonly nonTrainableNames = new Set<string>();

  /** Creates the weights for an input shape (batch dimension null). Called once. */
  build(_inputShape: SymbolicShape): void {
    this.built = true;
  }

  /** The forward computation. */
  abstract call(x: Tensor, options?: CallOptions): Tensor;

  /** The output shape for an input shape (batch dimension null). */
  abstract computeOutputShape(inputShape: SymbolicShape): SymbolicShape;

  /**
   * The constructor options (camelCase keys) in Keras 3's order: `name`, `trainable`, `dtype`, then
   * the class's own; `inputShape` when it was given. `serialize(layer)` (core/serialization) writes them
   * in Keras's snake_case; `Cls.fromConfig(layer.getConfig())` makes an equal layer.
   */
  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable, dtype: 'float32', ...(this.inputShape !== undefined ? { inputShape: [...this.inputShape] } : {}) };
  }

  /**
   * Copies of the weights' values, in `weights` order (Keras `get_weights`, TF.js `getWeights`).
   * Shapes: one Tensor per weight, of the weight's shape.
   */
  getWeights(): Tensor[] {
    return this.weights.map((w) => new Tensor(w.data.slice(), [...w.shape]));
  }

  /**
   * Sets the weights from values in `weights` order (Keras `set_weights`): Tensors or arrays of
   * numbers. Everything is checked before any weight is written, so a bad entry changes nothing.
   * @throws ShapeError for a wrong number of entries, a Tensor of another shape or a wrong value count.
   * @throws ValueError for an entry that is not an array, or a value that is not a finite number.
   */
  setWeights(values: readonly (Tensor | ArrayLike<number>)[]): void {
    assignWeights(`${this.className} "${this.name}"`, this.weights, values);
  }

  /** Builds on first use, then calls; keeps the output for diagnostics. */
  apply(x: Tensor, options: CallOptions = {}): Tensor {
    checkOptionKeys('Layer.apply', options, CALL_OPTION_KEYS);
    if (!this.built) this.build([null, ...x.shape.slice(1)]);
    const y = this.call(x, options);
    this.lastOutput = y;
    return y;
  }

  /** Creates a weight named `<layer>/<name>` with values from an initializer. */
  protected addWeight(name: string, shape: readonly number[], initializer: Initializer, trainable = true): Variable {
    const values = initializer.apply(shape);
    const v = new Variable(values.data, [...shape], `${this.name}/${name}`, trainable && this.trainableFlag);
    if (!trainable) this.nonTrainableNames.add(v.name);
    this.weightList.push(v);
    return v;
  }

  /** All weights in creation order (Keras 3 `layer.variables`): the order of `NamedWeight.index` in model files. */
  get variables(): Variable[] {
    return [...this.weightList];
  }

  /** All weights, trainable first then non-trainable within creation order (Keras). */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  get trainableWeights(): Variable[] {
    return this.weightList.filter((w) => w.trainable);
  }

  get nonTrainableWeights(): Variable[] {
    return this.weightList.filter((w) => !w.trainable);
  }

  /**
   * Penalties this layer adds to the training loss (weight regularizers), as scalar tensors that
   * record gradients. Default: none.
   */
  regularizationLosses(): Tensor[] {
    return [];
  }

  /**
   * The position of the layer's random stream (dropout masks), or null for a layer that draws no
   * random numbers while training. Checkpoints save it so a resumed `fit` draws the same masks as
   * the uninterrupted run.
   */
  getRngState(): RngState | null {
    return null;
  }

  /** Restores a `getRngState()` result; a layer without a random stream ignores it. */
  setRngState(_state: RngState): void {}

  /** Projects the weights back onto their constraints after an optimizer step. Default: nothing. */
  applyConstraints(): void {}

  /** Number of scalar weights. */
  countParams(): number {
    return this.weightList.reduce((p, w) => p + w.size, 0);
  }

  /** Throws when the input's feature dims do not match what the layer was built for. */
  protected checkInput(x: Tensor, expectedLast: number): void {
    if (x.shape[x.rank - 1] !== expectedLast) {
      throw new ShapeError(`${this.className} "${this.name}": expected last input dim ${expectedLast}, got shape ${formatShape(x.shape)}. Check the previous layer's units.`);
    }
  }
}

/** How a received value is shown in a message. */
function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : Array.isArray(value) ? 'an array' : value === null ? 'null' : `${typeof value} ${String(value)}`;
}

/**
 * The values of one weight, checked: a Tensor of the weight's shape, or an array (or typed array)
 * of `w.size` finite numbers.
 * @throws ValueError / ShapeError naming the weight (and the index of a bad value).
 */
export function checkWeightValues(owner: string, w: Variable, values: unknown, i: number): ArrayLike<number> {
  if (values instanceof Tensor) {
    if (values.shape.length !== w.shape.length || values.shape.some((d, k) => d !== w.shape[k])) {
      throw new ShapeError(`${owner}.setWeights: entry ${i} has shape ${formatShape(values.shape)}; weight "${w.name}" has shape ${formatShape(w.shape)}.`);
    }
    values = values.data;
  }
  if (values === null || typeof values !== 'object' || typeof (values as ArrayLike<unknown>).length !== 'number') {
    throw new ValueError(`${owner}.setWeights: array ${i} (weight "${w.name}") is ${show(values)}; expected a Tensor or an array of ${w.size} finite numbers.`);
  }
  const list = values as ArrayLike<unknown>;
  if (list.length !== w.size) {
    throw new ShapeError(`${owner}.setWeights: array ${i} has ${list.length} values for weight "${w.name}" of shape ${formatShape(w.shape)} (${w.size} values).`);
  }
  for (let j = 0; j < list.length; j++) {
    const v = list[j];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ValueError(`${owner}.setWeights: weight "${w.name}" (array ${i}) at index ${j}: received ${show(v)}; expected a finite number. Check the data the weights were read from.`);
    }
  }
  return list as ArrayLike<number>;
}

/**
 * Checks every entry against `weights` (same count, shapes, finite values), then assigns them all.
 * @throws ShapeError / ValueError as `checkWeightValues`, or for a wrong number of entries.
 */
export function assignWeights(owner: string, weights: readonly Variable[], values: readonly unknown[]): void {
  if (!Array.isArray(values)) {
    throw new ValueError(`${owner}.setWeights: expected an array of ${weights.length} arrays (one per weight, in weights order), received ${show(values)}.`);
  }
  if (values.length !== weights.length) {
    throw new ShapeError(`${owner}.setWeights: received ${values.length} arrays for the ${weights.length} weights (${weights.map((w) => w.name).join(', ')}).`);
  }
  const checked = weights.map((w, i) => checkWeightValues(owner, w, values[i], i));
  weights.forEach((w, i) => w.data.set(checked[i]));
}

/** Resolves an initializer option. */
export function resolveInitializer(identifier: unknown): Initializer {
  return getInitializer(identifier as Parameters<typeof getInitializer>[0]);
}

export type { Shape };

/** The shape of a Keras 2 / TF.js `batch_input_shape` or Keras 3 `batch_shape`, without the batch dimension. */
function batchShapeToInputShape(value: unknown, options: Record<string, unknown>): void {
  if (!Array.isArray(value) || value.length < 1 || value.slice(1).some((d) => !Number.isInteger(d) || (d as number) <= 0)) {
    throw new ValueError(`batch_input_shape / batch_shape: received ${JSON.stringify(value)}; expected [null, d1, d2, ...] with positive integer dims.`);
  }
  options.inputShape = value.slice(1);
}

/**
 * Keys that Keras (2 and 3) and TF.js write into layer configs and that change nothing in deepwell:
 * accepted when they hold the neutral value, a ValueError (naming layer, key and value) otherwise.
 */
registerSerializableKind('layers', Layer, {
  foreignKeys: {
    dtype: accepts.float32,
    batch_input_shape: { rename: batchShapeToInputShape },
    batch_shape: { rename: batchShapeToInputShape },
    input_dim: { rename: (v, o) => { o.inputShape = [v]; } },
    build_config: accepts.any,
    autocast: accepts.oneOf(true),
    activity_regularizer: accepts.oneOf(null),
    lora_rank: accepts.oneOf(null),
    lora_alpha: accepts.oneOf(null),
    quantization_config: accepts.oneOf(null),
    data_format: accepts.oneOf('channels_last', null),
  },
});
