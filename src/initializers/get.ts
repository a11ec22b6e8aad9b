import { ValueError, checkOptionKeys, nearestName } from '../core/errors.js';
import { deserialize as deserializeObject, registerSerializable } from '../core/serialization.js';
import { Constant } from './constant.js';
import { FunctionInitializer, type InitializerFunction } from './function_initializer.js';
import { GlorotNormal } from './glorot_normal.js';
import { GlorotUniform } from './glorot_uniform.js';
import { HeNormal } from './he_normal.js';
import { HeUniform } from './he_uniform.js';
import { Identity } from './identity.js';
import { Initializer, type InitializerClass, fromConfig, type InitializerConfig, type SerializedInitializer } from './initializer.js';
import { LecunNormal } from './lecun_normal.js';
import { LecunUniform } from './lecun_uniform.js';
import { Ones } from './ones.js';
import { showValue } from './options.js';
import { Orthogonal } from './orthogonal.js';
import { KaimingNormal, KaimingUniform, XavierNormal, XavierUniform } from './pytorch.js';
import { RandomNormal } from './random_normal.js';
import { RandomUniform } from './random_uniform.js';
import { TruncatedNormal } from './truncated_normal.js';
import { VarianceScaling } from './variance_scaling.js';
import { Zeros } from './zeros.js';

/**
 * Canonical initializer names: Keras 3's snake_case strings (`keras.initializers.get('he_normal')`),
 * then PyTorch's for its Xavier and Kaiming conventions (`torch.nn.init.kaiming_normal_` without the
 * underscore; see pytorch.ts). The one list behind `InitializerName`, the registry and the "expected
 * one of" of error messages.
 */
export const INITIALIZER_NAMES = [
  'zeros',
  'ones',
  'constant',
  'random_uniform',
  'random_normal',
  'truncated_normal',
  'variance_scaling',
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'orthogonal',
  'identity',
  // PyTorch conventions (untruncated normals, gain, layout option).
  'xavier_uniform',
  'xavier_normal',
  'kaiming_uniform',
  'kaiming_normal',
] as const;
/** A canonical initializer name (Keras 3 snake_case, or PyTorch's for Xavier/Kaiming), e.g. `'he_normal'`. */
export type InitializerName = (typeof INITIALIZER_NAMES)[number];

/** The class of every canonical name. Its type makes a name without a class a compile error. */
const INITIALIZER_CLASSES: { readonly [K in InitializerName]: InitializerClass } = {
  zeros: Zeros,
  ones: Ones,
  constant: Constant,
  random_uniform: RandomUniform,
  random_normal: RandomNormal,
  truncated_normal: TruncatedNormal,
  variance_scaling: VarianceScaling,
  glorot_uniform: GlorotUniform,
  glorot_normal: GlorotNormal,
  he_uniform: HeUniform,
  he_normal: HeNormal,
  lecun_uniform: LecunUniform,
  lecun_normal: LecunNormal,
  orthogonal: Orthogonal,
  identity: Identity,
  xavier_uniform: XavierUniform,
  xavier_normal: XavierNormal,
  kaiming_uniform: KaimingUniform,
  kaiming_normal: KaimingNormal,
};

/** The built-ins that are PyTorch's conventions, not Keras classes (written as deepwell's own). */
const DEEPWELL_INITIALIZERS: readonly InitializerName[] = ['xavier_uniform', 'xavier_normal', 'kaiming_uniform', 'kaiming_normal'];

/** Every other accepted spelling, mapped to its canonical name. Lookup is case-sensitive, as in Keras and TF.js. */
const INITIALIZER_ALIASES = {
  // Keras 3 class names (also the `class_name` of serialized configs).
  Zeros: 'zeros',
  Ones: 'ones',
  Constant: 'constant',
  RandomUniform: 'random_uniform',
  RandomNormal: 'random_normal',
  TruncatedNormal: 'truncated_normal',
  VarianceScaling: 'variance_scaling',
  GlorotUniform: 'glorot_uniform',
  GlorotNormal: 'glorot_normal',
  HeUniform: 'he_uniform',
  HeNormal: 'he_normal',
  LecunUniform: 'lecun_uniform',
  LecunNormal: 'lecun_normal',
  Orthogonal: 'orthogonal',
  Identity: 'identity',
  // Keras aliases (keras/src/initializers/__init__.py); Keras < 3.7 named two classes *Initializer.
  zero: 'zeros',
  one: 'ones',
  uniform: 'random_uniform',
  normal: 'random_normal',
  OrthogonalInitializer: 'orthogonal',
  IdentityInitializer: 'identity',
  // TF.js camelCase keys (tfjs-layers/src/initializers.ts); zeros, ones and constant are spelled as in Keras.
  randomUniform: 'random_uniform',
  randomNormal: 'random_normal',
  truncatedNormal: 'truncated_normal',
  varianceScaling: 'variance_scaling',
  glorotUniform: 'glorot_uniform',
  glorotNormal: 'glorot_normal',
  heUniform: 'he_uniform',
  heNormal: 'he_normal',
  leCunUniform: 'lecun_uniform',
  leCunNormal: 'lecun_normal',
  // TF.js class names that differ from Keras's (capital C).
  LeCunUniform: 'lecun_uniform',
  LeCunNormal: 'lecun_normal',
  // deepwell class names and camelCase keys of the PyTorch conventions (pytorch.ts).
  XavierUniform: 'xavier_uniform',
  XavierNormal: 'xavier_normal',
  KaimingUniform: 'kaiming_uniform',
  KaimingNormal: 'kaiming_normal',
  xavierUniform: 'xavier_uniform',
  xavierNormal: 'xavier_normal',
  kaimingUniform: 'kaiming_uniform',
  kaimingNormal: 'kaiming_normal',
} as const satisfies Record<string, InitializerName>;
/** Another accepted spelling: a Keras class name, a Keras alias, a TF.js key or a TF.js class name. */
export type InitializerAlias = keyof typeof INITIALIZER_ALIASES;

/**
 * PyTorch's function names (`torch.nn.init.*_`) and other foreign spellings. Not accepted, but
 * suggested: edit distance alone would turn 'eye_' or 'trunc_normal_' into unrelated names.
 */
const FOREIGN_SPELLINGS: Readonly<Record<string, InitializerName>> = {
  xavier_uniform_: 'xavier_uniform',
  xavier_normal_: 'xavier_normal',
  kaiming_uniform_: 'kaiming_uniform',
  kaiming_normal_: 'kaiming_normal',
  trunc_normal_: 'truncated_normal',
  uniform_: 'random_uniform',
  normal_: 'random_normal',
  orthogonal_: 'orthogonal',
  eye_: 'identity',
  eye: 'identity',
};

// The built-ins in the one serialization registry, each with its snake_case name and aliases.
for (const name of INITIALIZER_NAMES) {
  const aliases = [name, ...Object.entries(INITIALIZER_ALIASES).filter(([, canonical]) => canonical === name).map(([alias]) => alias)];
  registerSerializable(INITIALIZER_CLASSES[name], { package: DEEPWELL_INITIALIZERS.includes(name) ? 'deepwell' : 'keras', aliases });
}

/** Any accepted name: canonical snake_case or one of its aliases. */
export type InitializerSpelling = InitializerName | InitializerAlias;

/**
 * A serialized initializer in any of the forms deepwell reads: Keras 2 `{ class_name, config }`,
 * Keras 3 `{ module, class_name, config, registered_name }`, TF.js `{ className, config }`.
 * Config keys may be snake_case or camelCase.
 */
export type InitializerJson =
  | { readonly class_name: string; readonly config?: InitializerConfig | null; readonly module?: string | null; readonly registered_name?: string | null }
  | { readonly className: string; readonly config?: InitializerConfig | null };

/** The keys of a serialized initializer (Keras 3, Keras 2 and TF.js forms together). */
const SERIALIZED_KEYS = ['class_name', 'className', 'config', 'module', 'registered_name'] as const;

/** Everything `get` accepts. */
export type InitializerIdentifier = InitializerSpelling | InitializerJson | Initializer | InitializerClass | InitializerFunction;

/** User classes registered with `registerInitializer`, by class name. */
const customClasses = new Map<string, InitializerClass>();

function builtinClass(name: string): InitializerClass | undefined {
  if (Object.hasOwn(INITIALIZER_CLASSES, name)) return INITIALIZER_CLASSES[name as InitializerName];
  if (Object.hasOwn(INITIALIZER_ALIASES, name)) return INITIALIZER_CLASSES[INITIALIZER_ALIASES[name as InitializerAlias]];
  return undefined;
}

/** True when `name` is an accepted initializer name (canonical, alias or registered class name). */
export function isInitializerName(name: unknown): name is InitializerSpelling {
  return typeof name === 'string' && (builtinClass(name) !== undefined || customClasses.has(name));
}

/**
 * The canonical (Keras snake_case) name of any built-in spelling: 'HeNormal', 'heNormal',
 * 'LeCunNormal' and 'he_normal' all give 'he_normal'.
 * @throws ValueError for an unknown spelling, with the valid names and the nearest one.
 */
export function canonicalInitializerName(spelling: string): InitializerName {
  if (Object.hasOwn(INITIALIZER_CLASSES, spelling)) return spelling as InitializerName;
  if (Object.hasOwn(INITIALIZER_ALIASES, spelling)) return INITIALIZER_ALIASES[spelling as InitializerAlias];
  throw unknownNameError(spelling);
}

function unknownNameError(name: string): ValueError {
  const spellings = [...INITIALIZER_NAMES, ...Object.keys(INITIALIZER_ALIASES), ...customClasses.keys()];
  const near = Object.hasOwn(FOREIGN_SPELLINGS, name) ? FOREIGN_SPELLINGS[name] : nearestName(name, spellings);
  const expected = [...INITIALIZER_NAMES, ...customClasses.keys()].map((n) => `'${n}'`).join(', ');
  return new ValueError(
    `Unknown initializer: received '${name}'; expected one of ${expected} ` +
      `(Keras class names such as 'GlorotUniform' and TF.js names such as 'glorotUniform' are accepted too).` +
      (near !== undefined ? ` Did you mean '${near}'?` : ''),
  );
}

function classOf(name: string): InitializerClass {
  const cls = builtinClass(name) ?? customClasses.get(name);
  if (cls === undefined) throw unknownNameError(name);
  return cls;
}

/**
 * Registers a user initializer class so `get`/`deserialize` can read configs that name it
 * (Keras's `register_keras_serializable`). Its static `className` must not be a built-in name.
 * @throws ValueError when the class name is empty or already taken by a built-in initializer.
 */
export function registerInitializer(cls: InitializerClass): void {
  const name = cls.className;
  if (typeof name !== 'string' || name === '' || name === Initializer.className) {
    throw new ValueError(`registerInitializer: the class needs its own static readonly className (received ${showValue(name)}).`);
  }
  if (builtinClass(name) !== undefined) {
    throw new ValueError(`registerInitializer: '${name}' is a built-in initializer name; choose another className.`);
  }
  registerSerializable(cls, { kind: 'initializers', override: true });
  customClasses.set(name, cls);
}

/**
 * Makes an initializer from its serialized form: Keras 2 `{ class_name, config }`, Keras 3
 * `{ module, class_name, config, registered_name }` or TF.js `{ className, config }`, with config keys
 * in snake_case or camelCase. The class name may be any accepted spelling. A TF.js preset, which TF.js
 * writes as `{ class_name: 'VarianceScaling', config: { scale, mode, distribution: 'normal', seed } }`,
 * becomes a `VarianceScaling` with Keras's (variance-corrected) truncated normal.
 *
 * @throws ValueError when the object names no class, an unknown class (with the nearest name), an
 *   unknown option, or an invalid option value.
 * @example deserialize({ class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', seed: null } })
 *   // VarianceScaling { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal' }
 */
export function deserialize(json: InitializerJson): Initializer {
  const record = json as unknown as Record<string, unknown>;
  const name = record.class_name ?? record.className;
  if (typeof name !== 'string') {
    throw new ValueError(
      `Invalid initializer config: received ${showValue(json)}; expected { class_name, config } (Keras) or { className, config } (TF.js), ` +
        `e.g. { class_name: 'GlorotUniform', config: { seed: null } }.`,
    );
  }
  const cls = classOf(name); // an unknown name fails with the initializer spellings and the nearest one
  const config = record.config;
  if (config !== undefined && config !== null && (typeof config !== 'object' || Array.isArray(config))) return fromConfig(cls, config);
  // A misplaced option ({ class_name: 'HeNormal', seed: 1 }) would otherwise be lost silently.
  checkOptionKeys(`Initializer ${name} (options go inside config)`, record, SERIALIZED_KEYS);
  const { registered_name: _registered, module: _module, ...plain } = record;
  return deserializeObject<Initializer>(plain, 'initializers');
}

/** The Keras 3 JSON form of an initializer (same as `initializer.serialize()`). */
export function serialize(initializer: Initializer): SerializedInitializer {
  return initializer.serialize();
}

/**
 * Resolves anything that names an initializer to an `Initializer` instance:
 *
 * - a name: Keras snake_case (`'glorot_uniform'`, `'he_normal'`, see `INITIALIZER_NAMES`), Keras class
 *   names (`'GlorotUniform'`, `'LecunNormal'`), Keras aliases (`'normal'`, `'uniform'`, `'one'`,
 *   `'zero'`, Keras < 3.7's `'OrthogonalInitializer'`/`'IdentityInitializer'`), TF.js keys (`'heNormal'`,
 *   `'leCunNormal'`), TF.js class names (`'LeCunNormal'`), and PyTorch's conventions (`'kaiming_normal'`,
 *   `'KaimingNormal'`, `'kaimingNormal'`: PyTorch's untruncated normal, not JAX's alias of he_normal);
 *   a new instance with default options, unseeded, is made for each call;
 * - a serialized config object (see `deserialize`);
 * - an `Initializer` instance: returned as is;
 * - an `Initializer` subclass: instantiated with default options;
 * - a function `(shape, dtype) => Tensor`: wrapped in a `FunctionInitializer`.
 *
 * Follows Keras 3's `keras.initializers.get`, widened to TF.js spellings (lookup stays case-sensitive).
 *
 * @throws ValueError for an unknown name (with the valid names and the nearest one), an invalid
 *   config, or any other kind of value (e.g. null or a number).
 * @example get('he_normal').apply([784, 300]).shape // [784, 300]
 */
export function get(identifier: InitializerIdentifier): Initializer {
  if (identifier instanceof Initializer) return identifier;
  if (typeof identifier === 'string') return new (classOf(identifier))();
  if (typeof identifier === 'function') {
    if (identifier.prototype instanceof Initializer) return new (identifier as InitializerClass)();
    return new FunctionInitializer(identifier as InitializerFunction);
  }
  if (typeof identifier === 'object' && identifier !== null && !Array.isArray(identifier)) return deserialize(identifier);
  throw new ValueError(
    `Could not interpret initializer identifier: received ${showValue(identifier)}; expected a name such as 'glorot_uniform', ` +
      'a config object { class_name, config }, an Initializer instance, or a function (shape, dtype) => Tensor.',
  );
}
