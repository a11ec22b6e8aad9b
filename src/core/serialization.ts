/**
 * Serialization: ONE registry and ONE `serialize` / `deserialize` pair for every serializable class
 * (layers, initializers, losses, optimizers, learning-rate schedules, regularizers, constraints, models).
 *
 * The written form is Keras 3's (`keras.saving.serialize_keras_object`):
 *
 *     { module: 'keras.layers', class_name: 'Dense', config: { units: 10, use_bias: true, ... }, registered_name: null }
 *
 * with snake_case config keys produced by one key converter (`camelToSnake`). Read too: Keras 2
 * (`{ class_name, config }`) and TF.js (`{ className, config }`, camelCase or snake_case keys).
 *
 * A serializable class has `static className` and `static fromConfig(options)`; its instances have
 * `getConfig()` returning the constructor options (camelCase keys, JSON data or nested serializable
 * instances). Each class is registered once with `registerSerializable(cls)`; its kind ('layers',
 * 'initializers', ...) comes from the base class it extends (bases are declared with
 * `registerSerializableKind`) or from `options.kind`. Keras's built-ins are written with module
 * `keras.<kind>` and `registered_name: null`; deepwell's own classes with module `deepwell.<kind>` and
 * `registered_name: 'deepwell>Name'`; user classes as Keras custom objects, `registered_name: 'Custom>Name'`.
 *
 * Loading never executes code from a file: `Lambda` (and Keras's serialized Python functions) are
 * refused, as Keras 3 does in `safe_mode` (CVE-2024-3660).
 *
 * Reference: Keras 3 keras/src/saving/serialization_lib.py and object_registration.py.
 */
import { ValueError, nearestName } from './errors.js';

/** The kinds of serializable objects, as in Keras's module names (`keras.<kind>`). */
export const SERIALIZABLE_KINDS = ['layers', 'initializers', 'losses', 'optimizers', 'optimizers.schedules', 'regularizers', 'constraints', 'models'] as const;
/** A kind of serializable object: 'layers', 'initializers', 'optimizers', ... */
export type SerializableKind = (typeof SERIALIZABLE_KINDS)[number];

/** A class the registry can rebuild: `static className` and `static fromConfig(options)`. */
export interface SerializableClass {
  readonly className: string;
  fromConfig(config: Record<string, unknown>): unknown;
  readonly prototype: object;
}

/** An instance of a serializable class: `getConfig()` gives its constructor options (camelCase keys). */
export interface Serializable {
  getConfig(): Record<string, unknown> | unknown[];
}

/** The Keras 3 serialized form that `serialize` writes. */
export interface SerializedObject {
  module: string | null;
  class_name: string;
  config: Record<string, unknown> | unknown[];
  registered_name: string | null;
  build_config?: Record<string, unknown>;
}

/**
 * A config key that foreign writers (Keras 2/3, TF.js) add and that deepwell reads: either a
 * predicate saying whether its value changes nothing (then the key is dropped; another value is a
 * ValueError naming the class, key and value), or a function that rewrites it into options.
 */
export type ForeignKey = ((value: unknown) => boolean) | { rename: (value: unknown, options: Record<string, unknown>) => void };

/** What a kind declares for all its classes. */
export interface KindOptions {
  /** Keys (snake_case) accepted for every class of the kind; see `ForeignKey`. */
  foreignKeys?: Readonly<Record<string, ForeignKey>>;
}

/** Options of `registerSerializable`. */
export interface RegisterOptions {
  /** The kind; default the kind of the registered base class the class extends. */
  kind?: SerializableKind;
  /**
   * Who provides the class: 'keras' (a Keras built-in: module `keras.<kind>`, registered_name null),
   * 'deepwell' (deepwell-only: module `deepwell.<kind>`, registered_name `deepwell>Name`), or any other
   * package name for user classes (registered_name `<package>>Name`, as Keras's custom objects).
   * Default 'Custom'.
   */
  package?: string;
  /** The module written; default from the package and kind (`keras.layers`), or null for user classes. */
  module?: string | null;
  /** Other names read as this class (TF.js spellings, Keras aliases). */
  aliases?: readonly string[];
  /** Keys (snake_case) accepted for this class only; see `ForeignKey`. */
  foreignKeys?: Readonly<Record<string, ForeignKey>>;
  /** Replace a class already registered under the same name and kind. Default false. */
  override?: boolean;
}

interface Entry {
  cls: SerializableClass;
  kind: SerializableKind;
  className: string;
  module: string | null;
  registeredName: string | null;
  foreignKeys: Readonly<Record<string, ForeignKey>>;
}

const kindBases: { kind: SerializableKind; base: abstract new (...args: never[]) => unknown; options: KindOptions }[] = [];
const byKind = new Map<SerializableKind, Map<string, Entry>>(SERIALIZABLE_KINDS.map((k) => [k, new Map()]));
const byClass = new Map<unknown, Entry>();

/** Classes that would run code from a file; refused whatever is registered. */
const REFUSED = new Set(['Lambda', 'TFOpLambda', 'SlicingOpLambda', '__lambda__', '__function__']);

/**
 * Declares the base class of a kind (`Layer` for 'layers', ...), so `registerSerializable(cls)`
 * finds the kind of a subclass by itself, with the keys foreign writers add to every class of the kind.
 */
export function registerSerializableKind(kind: SerializableKind, base: abstract new (...args: never[]) => unknown, options: KindOptions = {}): void {
  const existing = kindBases.findIndex((k) => k.kind === kind);
  if (existing >= 0) kindBases.splice(existing, 1);
  kindBases.push({ kind, base, options });
}

function kindOfClass(cls: SerializableClass): SerializableKind | undefined {
  for (const { kind, base } of kindBases) if (cls.prototype instanceof base || (cls as unknown) === base) return kind;
  return undefined;
}

/**
 * Registers a serializable class (Keras's `register_keras_serializable`), so `serialize` can write it
 * and `deserialize` can rebuild it.
 *
 * @example registerSerializable(MyLayer)   // a Layer subclass: { module: null, class_name: 'MyLayer', registered_name: 'Custom>MyLayer' }
 * @throws ValueError when the class has no own `className` or no `fromConfig`, when its kind is
 *   unknown (pass `{ kind }`), or when its name is taken in its kind (pass `{ override: true }`).
 */
export function registerSerializable(cls: SerializableClass, options: RegisterOptions = {}): void {
  const className = cls?.className;
  if (typeof className !== 'string' || className === '') {
    throw new ValueError(`registerSerializable: expected a class with a static className, received ${String(cls)}.`);
  }
  if (typeof (cls as unknown as { fromConfig?: unknown }).fromConfig !== 'function') {
    throw new ValueError(`registerSerializable(${className}): the class needs a static fromConfig(config) that returns a new instance.`);
  }
  const kind = options.kind ?? kindOfClass(cls);
  if (kind === undefined) {
    throw new ValueError(`registerSerializable(${className}): cannot tell its kind (it extends no Layer, Initializer, Optimizer, ...); pass { kind: one of ${SERIALIZABLE_KINDS.join(', ')} }.`);
  }
  const base = kindBases.find((k) => k.kind === kind)?.base as { className?: string } | undefined;
  if (base !== undefined && (cls as unknown) !== base && base.className === className) {
    throw new ValueError(`registerSerializable: the class inherits className '${className}' from its base; give it its own static readonly className.`);
  }
  const pkg = options.package ?? 'Custom';
  const module = options.module !== undefined ? options.module : pkg === 'keras' ? `keras.${kind}` : pkg === 'deepwell' ? `deepwell.${kind}` : null;
  const registeredName = pkg === 'keras' ? null : `${pkg}>${className}`;
  const table = byKind.get(kind) as Map<string, Entry>;
  const taken = table.get(className);
  if (taken !== undefined && taken.cls !== cls && !(options.override ?? false)) {
    throw new ValueError(`registerSerializable(${className}): a ${kind} class named '${className}' is already registered; rename the class or pass { override: true }.`);
  }
  const entry: Entry = { cls, kind, className, module, registeredName, foreignKeys: options.foreignKeys ?? {} };
  for (const name of [className, ...(registeredName !== null ? [registeredName] : []), ...(options.aliases ?? [])]) table.set(name, entry);
  byClass.set(cls, entry);
}

/** The registered names of a kind (class names, without aliases), or of every kind. */
export function registeredNames(kind?: SerializableKind): string[] {
  const entries = kind === undefined ? [...byClass.values()] : [...new Set((byKind.get(kind) as Map<string, Entry>).values())];
  return [...new Set(entries.map((e) => e.className))];
}

/** Every registered class with its kind (for tests and tools that iterate the registry). */
export function registeredClasses(): { kind: SerializableKind; className: string; cls: SerializableClass }[] {
  return [...byClass.values()].map((e) => ({ kind: e.kind, className: e.className, cls: e.cls }));
}

/** True when `value` is an instance of a registered class. */
export function isSerializable(value: unknown): value is Serializable {
  return value !== null && typeof value === 'object' && byClass.has((value as object).constructor);
}

// ---------------------------------------------------------------------------------------------
// The one key converter.

/** camelCase option keys whose Keras spelling is not the plain snake_case (Keras's optimizers: `clipnorm`, `beta_1`). */
const IRREGULAR_KEYS: Readonly<Record<string, string>> = { clipNorm: 'clipnorm', clipValue: 'clipvalue', globalClipNorm: 'global_clipnorm', beta1: 'beta_1', beta2: 'beta_2' };
const IRREGULAR_BACK: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(IRREGULAR_KEYS).map(([c, s]) => [s, c]));

/** `inputAxes` -> `input_axes` (Keras's spelling; `clipNorm` -> `clipnorm`); a key without capitals is unchanged. */
export function camelToSnake(key: string): string {
  if (Object.hasOwn(IRREGULAR_KEYS, key)) return IRREGULAR_KEYS[key];
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `input_axes` -> `inputAxes` (`clipnorm` -> `clipNorm`); a key without underscores is unchanged. */
export function snakeToCamel(key: string): string {
  if (Object.hasOwn(IRREGULAR_BACK, key)) return IRREGULAR_BACK[key];
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A config value in Keras form: registered instances serialized, arrays and plain objects walked. */
function toKerasValue(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (isSerializable(value)) return serialize(value);
  if (Array.isArray(value)) return value.map(toKerasValue);
  // An instance of an unregistered class: serialize's error says how to register it.
  if (value !== null && typeof value === 'object' && typeof (value as Partial<Serializable>).getConfig === 'function') return serialize(value as Serializable);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    const serialized = 'class_name' in value; // already in Keras form: keys are Keras's
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[serialized ? k : camelToSnake(k)] = serialized && k !== 'config' ? v : toKerasValue(v);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new ValueError(`serialize: a config holds ${String(value)}, which JSON cannot represent; expected a finite number.`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------

function describe(obj: unknown): string {
  if (obj === null || typeof obj !== 'object') return `${typeof obj} ${String(obj)}`;
  const name = (obj.constructor as { className?: string; name?: string } | undefined);
  return name?.className ?? name?.name ?? 'an object';
}

/**
 * The Keras 3 form of a registered object: `{ module, class_name, config, registered_name }`, config
 * keys snake_case, nested serializable objects serialized recursively. Objects with a
 * `getBuildConfig()` (models) get a `build_config` too.
 *
 * @example serialize(new Dense(10)) // { module: 'keras.layers', class_name: 'Dense', config: { name: 'dense', ..., units: 10, ... }, registered_name: null }
 * @throws ValueError for an object whose class is not registered (saying how to register it).
 */
export function serialize(obj: Serializable): SerializedObject {
  const entry = obj !== null && typeof obj === 'object' ? byClass.get(obj.constructor) : undefined;
  if (entry === undefined) {
    const name = describe(obj);
    throw new ValueError(`serialize: ${name} is not a registered serializable class; register it once with registerSerializable(${name}) (it needs static className and fromConfig, and getConfig()).`);
  }
  const raw = obj.getConfig();
  const config = Array.isArray(raw) ? raw.map(toKerasValue) : (toKerasValue(raw) as Record<string, unknown>);
  const out: SerializedObject = { module: entry.module, class_name: entry.className, config, registered_name: entry.registeredName };
  const build = (obj as { getBuildConfig?: () => Record<string, unknown> | null }).getBuildConfig?.();
  if (build !== undefined && build !== null) out.build_config = toKerasValue(build) as Record<string, unknown>;
  return out;
}

function kindOfModule(module: unknown): SerializableKind | undefined {
  if (typeof module !== 'string') return undefined;
  if (module === 'keras' || module === 'keras.models' || module === 'keras.src.models.sequential' || module === 'deepwell') return 'models';
  const rest = module.replace(/^(keras|deepwell|tensorflow\.keras|tf\.keras)\./, '').replace(/^src\./, '');
  for (const kind of [...SERIALIZABLE_KINDS].sort((a, b) => b.length - a.length)) if (rest === kind || rest.startsWith(`${kind}.`)) return kind;
  return undefined;
}

function lambdaError(className: string): ValueError {
  return new ValueError(
    `Refusing to load a '${className}' object: it holds code (Python bytecode or a function) that loading would execute. ` +
      `deepwell never runs code from a file, as Keras 3's safe_mode (see CVE-2024-3660). Rewrite the lambda as a custom layer class ` +
      'and register it with registerSerializable(MyLayer), then load again.',
  );
}

/**
 * Rebuilds an object from its serialized form: Keras 3 `{ module, class_name, config, registered_name }`,
 * Keras 2 `{ class_name, config }` or TF.js `{ className, config }` (config keys snake_case or camelCase).
 * Keys that foreign writers add and that change nothing (a layer's `dtype: 'float32'`, `build_config`)
 * are accepted; one whose value deepwell cannot honour is a ValueError naming the class, key and value.
 * An object whose class has `buildFromConfig` (models) is built from the top-level `build_config`, as Keras does.
 *
 * @param expectedKind - where to look the class up ('layers', 'initializers', ...); default from
 *   `module`, else every kind.
 * @throws ValueError for a malformed object, `Lambda` (safe mode), or an unregistered class (with the
 *   registered names, the nearest one, and how to register a custom class).
 */
export function deserialize<T = unknown>(json: unknown, expectedKind?: SerializableKind): T {
  if (!isPlainObject(json)) {
    throw new ValueError(`deserialize: received ${Array.isArray(json) ? 'an array' : describe(json)}; expected a serialized object { class_name, config } (Keras) or { className, config } (TF.js).`);
  }
  const className = json.class_name ?? json.className;
  if (typeof className !== 'string') {
    throw new ValueError(`deserialize: the object has no class_name (keys: ${Object.keys(json).join(', ')}); expected { class_name, config } (Keras) or { className, config } (TF.js).`);
  }
  if (REFUSED.has(className)) throw lambdaError(className);
  const registered = typeof json.registered_name === 'string' ? json.registered_name : undefined;
  const kind = expectedKind ?? kindOfModule(json.module);
  const kinds = kind !== undefined ? [kind] : [...SERIALIZABLE_KINDS];
  let entry: Entry | undefined;
  for (const k of kinds) {
    const table = byKind.get(k) as Map<string, Entry>;
    entry = (registered !== undefined ? table.get(registered) : undefined) ?? table.get(className);
    if (entry !== undefined) break;
  }
  if (entry === undefined) {
    const known = kind !== undefined ? registeredNames(kind) : registeredNames();
    const near = nearestName(className, known);
    throw new ValueError(
      `Unknown ${kind !== undefined ? `${kind.replace(/s$/, '').replace('optimizers.schedule', 'learning-rate schedule')} ` : ''}class '${registered ?? className}': deepwell does not have it. ` +
        `Known: ${known.join(', ')}.${near !== undefined ? ` Did you mean '${near}'?` : ''} ` +
        'For a custom class, define it (static className, static fromConfig, getConfig) and register it with registerSerializable(MyLayer) before loading.',
    );
  }
  const config = json.config ?? {};
  if (Array.isArray(config)) return entry.cls.fromConfig(config as never) as T; // Keras <= 2.1's list-form Sequential
  if (!isPlainObject(config)) {
    throw new ValueError(`deserialize: the config of '${className}' is ${describe(config)}; expected an object of options.`);
  }
  const obj = entry.cls.fromConfig(readConfig(entry, config)) as T;
  // Keras's build_from_config: a model written with its input shape comes back built.
  const build = json.build_config;
  if (isPlainObject(build)) (obj as { buildFromConfig?: (b: Record<string, unknown>) => void }).buildFromConfig?.(build);
  return obj;
}

/** Config keys (either spelling) -> constructor options (camelCase), applying foreign keys. */
function readConfig(entry: Entry, config: Record<string, unknown>): Record<string, unknown> {
  const kindKeys = kindBases.find((k) => k.kind === entry.kind)?.options.foreignKeys ?? {};
  const options: Record<string, unknown> = {};
  const renames: [ForeignKey & object, unknown][] = [];
  const name = typeof config.name === 'string' ? ` "${config.name}"` : '';
  for (const [key, value] of Object.entries(config)) {
    const snake = camelToSnake(key);
    const foreign = Object.hasOwn(entry.foreignKeys, snake) ? entry.foreignKeys[snake] : Object.hasOwn(kindKeys, snake) ? kindKeys[snake] : undefined;
    if (foreign === undefined) {
      options[snakeToCamel(key)] = value;
    } else if (typeof foreign === 'function') {
      if (!foreign(value)) {
        throw new ValueError(`${entry.className}${name}: config key '${snake}' = ${JSON.stringify(value)} is not supported by deepwell (it would change the computation); remove the key or use the value deepwell supports.`);
      }
    } else {
      renames.push([foreign, value]);
    }
  }
  for (const [foreign, value] of renames) (foreign as { rename: (v: unknown, o: Record<string, unknown>) => void }).rename(value, options);
  return options;
}

/** Helpers for foreign-key predicates. */
export const accepts = {
  /** Any value (the key carries nothing deepwell uses, e.g. `build_config`). */
  any: (): boolean => true,
  /** Exactly one of the values (JSON equality). */
  oneOf: (...values: unknown[]) => (v: unknown): boolean => values.some((x) => JSON.stringify(x) === JSON.stringify(v)),
  /** A float32 dtype: 'float32', null, or a Keras 3 DTypePolicy object named float32. */
  float32: (v: unknown): boolean =>
    v === null || v === undefined || v === 'float32' ||
    (isPlainObject(v) && (v.class_name === 'DTypePolicy' || v.class_name === 'Policy') && isPlainObject(v.config) && v.config.name === 'float32'),
};
