import { DTYPES, type DType, type TypedArray } from '../core/dtype.js';
import { ShapeError, ValueError, checkOneOf, checkOptionKeys, nearestName } from '../core/errors.js';
import type { Shape } from '../core/shape.js';
import { type Tensor, zeros } from '../core/tensor.js';
import { accepts, registerSerializableKind, serialize, snakeToCamel } from '../core/serialization.js';

/** The options of an initializer as JSON data: keys are the constructor options (camelCase). */
export type InitializerConfig = Record<string, unknown>;

/**
 * An initializer in the Keras 3 JSON form, as deepwell writes it
 * (`keras.initializers.serialize`): config keys are snake_case.
 *
 * @example { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null }
 */
export interface SerializedInitializer {
  readonly module: string | null;
  readonly class_name: string;
  readonly config: InitializerConfig;
  readonly registered_name: string | null;
}

/** A concrete initializer class: what the registry stores and `fromConfig` instantiates. */
export interface InitializerClass<T extends Initializer = Initializer> {
  new (options?: never): T;
  /** The registered (Keras) class name. */
  readonly className: string;
  /** The option names a config may hold (camelCase). */
  readonly configKeys: readonly string[];
  /** `new Cls(config)` after reading snake_case or camelCase keys (see `Initializer.fromConfig`). */
  fromConfig(config?: InitializerConfig): T;
}

/**
 * Config keys that older writers add but that carry no option: tf.keras <= 2.1 (and the TF.js
 * converter of that time) wrote a `dtype` into every initializer config.
 */
const IGNORED_CONFIG_KEYS: readonly string[] = ['dtype'];

/**
 * Reads a config (snake_case or camelCase keys) into constructor options for `cls`.
 * @throws ValueError when the config is not an object or holds a key that `cls` has no option for.
 */
export function readConfig(cls: InitializerClass, config: unknown): InitializerConfig {
  if (config === undefined || config === null) return {};
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new ValueError(`${cls.className} config: received ${String(config)}; expected an object of options such as { seed: 42 }.`);
  }
  const options: InitializerConfig = {};
  for (const [key, value] of Object.entries(config)) {
    const name = snakeToCamel(key);
    if (IGNORED_CONFIG_KEYS.includes(name)) continue;
    if (!cls.configKeys.includes(name)) {
      const expected = cls.configKeys.length === 0 ? 'no options' : `options ${cls.configKeys.map((k) => `'${k}'`).join(', ')}`;
      const near = nearestName(name, cls.configKeys);
      throw new ValueError(
        `${cls.className} config: unknown option '${key}'; expected ${expected}.${near !== undefined ? ` Did you mean '${near}'?` : ''}`,
      );
    }
    options[name] = value;
  }
  return options;
}

/**
 * `new cls(config)` after reading the config's keys (snake_case or camelCase) into options.
 * @throws ValueError for an unknown key or an invalid option value.
 */
export function fromConfig<T extends Initializer>(cls: InitializerClass<T>, config: unknown): T {
  return new cls(readConfig(cls, config) as never);
}

/**
 * Base class of every initializer: a recipe that fills a new weight tensor of a given shape.
 *
 * Lifecycle: `constructor(options)` validates every option (a bad value throws there, not when the
 * layer is built); `apply(shape, dtype)` returns a new `Tensor`; `getConfig()` returns the options as
 * JSON data; `Cls.fromConfig(config)` is `new Cls(config)`. Subclasses implement `fill` and declare
 * `static readonly className` and `static readonly configKeys`, and pass their options object to
 * `super(options)`, which rejects a key that is not in `configKeys` (direct construction takes
 * camelCase keys only; `fromConfig` reads snake_case too).
 *
 * Reference: Keras 3 `keras/src/initializers/initializer.py`.
 */
export abstract class Initializer {
  /** The class name written in serialized configs (Keras 3's `class_name`). */
  static readonly className: string = 'Initializer';
  /** The constructor options, i.e. the keys of `getConfig()` (camelCase). */
  static readonly configKeys: readonly string[] = [];

  /**
   * @param options - the constructor's options object, checked for unknown keys; omitted by
   *   subclasses that take none (a custom initializer calling `super()`).
   * @param validKeys - the keys allowed in `options`; default the class's `configKeys`.
   * @throws ValueError for an option key that is not valid (with the nearest valid one).
   */
  constructor(options?: object, validKeys?: readonly string[]) {
    checkOptionKeys(new.target.className, options, validKeys ?? new.target.configKeys);
  }

  /**
   * Makes a new instance from a config (snake_case or camelCase keys), i.e. `new Cls(config)`.
   * @throws ValueError for an unknown key or an invalid option value.
   * @example GlorotUniform.fromConfig({ seed: 1 }).getConfig() // { seed: 1 }
   */
  static fromConfig<T extends Initializer>(this: InitializerClass<T>, config: InitializerConfig = {}): T {
    return fromConfig(this, config);
  }

  /** The registered class name of this instance (its class's static `className`). */
  getClassName(): string {
    return (this.constructor as typeof Initializer).className;
  }

  /**
   * A new tensor of `shape` filled by this initializer.
   *
   * @param shape - the weight shape, e.g. a Dense kernel `[inFeatures, units]`.
   * @param dtype - 'float32' (default) or 'float64'.
   * @throws ShapeError when the shape is not an array of non-negative integers.
   * @throws ValueError for an unknown dtype.
   */
  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    if (!Array.isArray(shape)) {
      throw new ShapeError(`${this.getClassName()}.apply: expected a shape (an array such as [784, 300]), received ${String(shape)}.`);
    }
    checkOneOf('dtype', dtype, DTYPES);
    const out = zeros(shape, dtype);
    this.fill(out.data, out.shape);
    return out;
  }

  /** Writes the initial values of a tensor of `shape` into `data` (zero-filled, of the right length). */
  protected abstract fill(data: TypedArray, shape: Shape): void;

  /** The constructor options as JSON data (camelCase keys); `new Cls(getConfig())` is an equal initializer. */
  abstract getConfig(): InitializerConfig;

  /**
   * The Keras 3 JSON form: `{ module: 'keras.initializers', class_name, config, registered_name: null }`
   * with snake_case config keys, which Keras 3 and TF.js can read (`serialize(this)` of
   * core/serialization; a user class must be registered with `registerSerializable`).
   */
  serialize(): SerializedInitializer {
    return serialize(this) as unknown as SerializedInitializer;
  }

  /** `JSON.stringify(initializer)` writes the Keras 3 form (see `serialize`). */
  toJSON(): SerializedInitializer {
    return this.serialize();
  }
}

registerSerializableKind('initializers', Initializer, { foreignKeys: { dtype: accepts.any } });
