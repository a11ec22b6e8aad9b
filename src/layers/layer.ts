/**
 * Layer: the fixed lifecycle of every layer (Keras 3): `constructor` (options only) -> `build`
 * (creates weights once the input shape is known) -> `call` (the forward computation) ->
 * `computeOutputShape` -> `getConfig` (the constructor options as JSON data).
 *
 * Shapes given to `build` and `computeOutputShape` include the batch dimension as `null`.
 * Layer names are auto-numbered per class as in Keras (`dense`, `dense_1`, ...); weight names
 * are `<layer>/<weight>` (`dense_1/kernel`).
 */
import { ShapeError, checkOptionKeys, keysOf } from '../core/errors.js';
import { type Shape, formatShape } from '../core/shape.js';
import { type Tensor, Variable } from '../core/tensor.js';
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
}

/** The keys of `LayerOptions`, which every layer accepts. */
export const LAYER_OPTION_KEYS = keysOf<LayerOptions>({ name: true, inputShape: true, trainable: true });

/** Options of a forward call. */
export interface CallOptions {
  /** Training mode (dropout active, batch statistics). Explicit, never a global. */
  training?: boolean;
}

/** The keys of `CallOptions`. */
export const CALL_OPTION_KEYS = keysOf<CallOptions>({ training: true });

const nameCounters = new Map<string, number>();

/** Keras-style snake_case of a class name: BatchNormalization -> batch_normalization. */
export function toSnakeCase(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();
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

  /** The constructor options as JSON data. */
  getConfig(): Record<string, unknown> {
    return { name: this.name, trainable: this.trainable, ...(this.inputShape !== undefined ? { inputShape: [...this.inputShape] } : {}) };
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

/** Resolves an initializer option. */
export function resolveInitializer(identifier: unknown): Initializer {
  return getInitializer(identifier as Parameters<typeof getInitializer>[0]);
}

export type { Shape };
