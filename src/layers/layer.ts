/**
 * Layer: the fixed lifecycle of every layer (Keras 3): `constructor` (options only) -> `build`
 * (creates weights once the input shape is known) -> `call` (the forward computation) ->
 * `computeOutputShape` -> `getConfig` (the constructor options as JSON data).
 *
 * Shapes given to `build` and `computeOutputShape` include the batch dimension as `null`.
 * Layer names are auto-numbered per class as in Keras (`dense`, `dense_1`, ...); weight names
 * are `<layer>/<weight>` (`dense_1/kernel`).
 */
import { withPool } from '../core/buffer_pool.js';
import { ShapeError, ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { accepts, registerSerializableKind } from '../core/serialization.js';
import { type Shape, formatShape } from '../core/shape.js';
import { Tensor, Variable } from '../core/tensor.js';
import { type Initializer, get as getInitializer } from '../initializers/index.js';
import type { RngState } from '../core/random.js';
import type { Constraint } from '../constraints/constraint.js';
import type { Regularizer } from '../regularizers/regularizer.js';
import { type ConstrainedWeight, applyWeightConstraints, weightPenalties } from './weight_penalties.js';
import { LayerNode, SymbolicTensor, isSymbolic } from './symbolic_tensor.js';

/** A shape whose first (batch) dimension may be unknown. */
export type SymbolicShape = readonly (number | null)[];

/** `(None, 8)`, as Keras prints shapes. */
export function formatSymbolic(s: SymbolicShape): string {
  return `(${s.map((d) => (d === null ? 'None' : String(d))).join(', ')}${s.length === 1 ? ',' : ''})`;
}

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

/** The penalty and projection of one weight (`addWeight`'s last argument); both default to none. */
export interface WeightPenaltyOptions {
  /** Added to the training loss by `regularizationLosses`. */
  regularizer?: Regularizer | null;
  /** Applied after each optimizer step by `applyConstraints`. */
  constraint?: Constraint | null;
}

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

let skipInitialization = 0;

/**
 * Runs `f` with new weights created as zeros instead of drawn from their initializers: for loading a
 * model whose every weight is then set from a file (loadModel). It saves the sampling time (about
 * 30 ms for a 784-300-100-10 model) and leaves the global random stream where it was.
 */
export function withoutWeightInitialization<T>(f: () => T): T {
  skipInitialization++;
  try {
    return f();
  } finally {
    skipInitialization--;
  }
}

/**
 * Resets the per-class name counters, so the layers and models built next are named from the first
 * index again: `dense`, `dense_1`, ..., `sequential`, as in a fresh session. Layers built before keep
 * their names (two models built either side of the call may then share layer names, as in Keras).
 *
 * Reference: Keras 3 `keras.utils.clear_session()` (also `keras.backend.clear_session()`), which resets
 * the uid counters of `keras.backend.get_uid` that auto-naming uses (first `dense`, then `dense_1`).
 * @example
 * new layers.Dense(4).name; // 'dense' (in a fresh session)
 * new layers.Dense(4).name; // 'dense_1'
 * clearSession();
 * new layers.Dense(4).name; // 'dense'
 */
export function clearSession(): void {
  nameCounters.clear();
}

/** The same as `clearSession` (its earlier name, kept for the experiments and tests that call it). */
export const resetLayerNames = clearSession;

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
  /** The weights given a regularizer or a constraint by `addWeight`, in creation order. */
  private readonly constrainedWeights: ConstrainedWeight[] = [];
  private trainableFlag: boolean;
  built = false;
  /** The output of the last forward call (read by diagnostics; a reference, not a copy). */
  lastOutput: Tensor | null = null;
  /** The (first) input of the last forward call (read by diagnostics; a reference, not a copy). */
  lastInput: Tensor | null = null;
  /** The symbolic calls of the layer, in call order (Keras `_inbound_nodes`); empty outside the functional API. */
  readonly inboundNodes: LayerNode[] = [];

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

  /**
   * Calls the layer (Keras `layer(x)`). On a Tensor (or, for merge layers, a list of Tensors): builds
   * on first use, computes, and keeps the input and output for diagnostics. On a SymbolicTensor (or a
   * list of them, from `Input`): builds for its shape, records the call in `inboundNodes` and returns
   * the SymbolicTensor of the output, from which `new Model({ inputs, outputs })` makes a model. The
   * same layer object called twice is one layer with one set of weights (a shared layer).
   * @throws ValueError for a list given to a one-input layer, or Tensors mixed with SymbolicTensors;
   *   ShapeError when a built layer with weights is called on a shape other than the one it was built for.
   */
  apply(x: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor;
  apply(x: Tensor | readonly Tensor[], options?: CallOptions): Tensor;
  apply(x: Tensor | readonly Tensor[] | SymbolicTensor | readonly SymbolicTensor[], options: CallOptions = {}): Tensor | SymbolicTensor {
    checkOptionKeys('Layer.apply', options, CALL_OPTION_KEYS);
    if (options.training !== undefined && typeof options.training !== 'boolean') {
      throw new ValueError(`Layer.apply: training must be true or false, received ${String(options.training)}.`);
    }
    const isList = Array.isArray(x);
    const list = (isList ? x : [x]) as readonly unknown[];
    if (isSymbolic(x)) return this.applySymbolic(list as SymbolicTensor[], isList, options);
    if (list.some((t) => t instanceof SymbolicTensor)) {
      throw new ValueError(`${this.className} "${this.name}": received a list mixing SymbolicTensors and Tensors; call a layer either on symbolic inputs (from Input) or on values.`);
    }
    const xs = list as Tensor[];
    if (!this.built) this.buildInputs(xs.map((t) => [null, ...t.shape.slice(1)]), isList);
    const y = this.callInputs(xs, isList, options);
    this.lastInput = xs[0] ?? null;
    this.lastOutput = y;
    return y;
  }

  /** The symbolic call: builds, computes the output shape, records the node. */
  private applySymbolic(inputs: readonly SymbolicTensor[], isList: boolean, options: CallOptions): SymbolicTensor {
    const shapes = inputs.map((t) => t.shape);
    if (!this.built) this.buildInputs(shapes, isList);
    else if (this.countParams() > 0 && this.inboundNodes.length > 0) {
      const first = this.inboundNodes[0].inputs.map((t) => t.shape);
      const same = first.length === shapes.length && first.every((s, i) => s.length === shapes[i].length && s.every((d, k) => k === 0 || d === shapes[i][k]));
      if (!same) {
        throw new ShapeError(`${this.className} "${this.name}" was built for input ${first.map(formatSymbolic).join(', ')} and is now called on ${shapes.map(formatSymbolic).join(', ')}; a shared layer's weights fix its input shape. Call it on tensors of the first shape, or use a new layer.`);
      }
    }
    const outShape = this.outputShapeOfInputs(shapes, isList);
    const kwargs: CallOptions = options.training !== undefined ? { training: options.training } : {};
    const node = new LayerNode(this, this.inboundNodes.length, [...inputs], isList, kwargs);
    const out = new SymbolicTensor(outShape, node, 0);
    node.outputs.push(out);
    this.inboundNodes.push(node);
    return out;
  }

  /**
   * Builds for the shapes of the inputs of one call. One-input layers take one shape and no list;
   * merge layers override this (and `callInputs`, `outputShapeOfInputs`) to take a list.
   * @throws ValueError for a list given to a one-input layer.
   */
  protected buildInputs(shapes: readonly SymbolicShape[], isList: boolean): void {
    this.checkSingleInput(shapes.length, isList);
    this.build(shapes[0]);
  }

  /** The forward computation of one call on the inputs' values. */
  protected callInputs(xs: readonly Tensor[], isList: boolean, options: CallOptions): Tensor {
    this.checkSingleInput(xs.length, isList);
    return this.call(xs[0], options);
  }

  /** The output shape of one call for the inputs' shapes. */
  protected outputShapeOfInputs(shapes: readonly SymbolicShape[], isList: boolean): SymbolicShape {
    this.checkSingleInput(shapes.length, isList);
    return this.computeOutputShape(shapes[0]);
  }

  private checkSingleInput(count: number, isList: boolean): void {
    if (isList || count !== 1) {
      throw new ValueError(`${this.className} "${this.name}" takes one input tensor, received a list of ${count}. Merge tensors first with layers.Add, Subtract, Multiply, Average, Maximum, Minimum or Concatenate.`);
    }
  }

  /**
   * Creates a weight named `<layer>/<name>` with values from an initializer. Its array never comes
   * from a training step's buffer pool (a layer built lazily inside a step keeps its weights).
   * A regularizer or constraint given here is applied by `regularizationLosses` and
   * `applyConstraints` (Keras 3's `add_weight(regularizer=, constraint=)`).
   */
  protected addWeight(name: string, shape: readonly number[], initializer: Initializer, trainable = true, penalties: WeightPenaltyOptions = {}): Variable {
    const values = withPool(null, () => (skipInitialization > 0 ? new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), [...shape]) : initializer.apply(shape)));
    const v = new Variable(values.data, [...shape], `${this.name}/${name}`, trainable && this.trainableFlag);
    if (!trainable) this.nonTrainableNames.add(v.name);
    this.weightList.push(v);
    const regularizer = penalties.regularizer ?? null;
    const constraint = penalties.constraint ?? null;
    if (regularizer !== null || constraint !== null) this.constrainedWeights.push({ weight: v, regularizer, constraint });
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
   * Penalties this layer adds to the training loss, as scalar tensors that record gradients:
   * regularizer(weight) for each weight `addWeight` gave a regularizer, in creation order.
   */
  regularizationLosses(): Tensor[] {
    return weightPenalties(this.constrainedWeights);
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

  /**
   * Projects the weights back onto their constraints after an optimizer step: each trainable weight
   * `addWeight` gave a constraint (frozen weights stay untouched).
   */
  applyConstraints(): void {
    applyWeightConstraints(this.constrainedWeights);
  }

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
