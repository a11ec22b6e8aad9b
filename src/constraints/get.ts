/**
 * Constraints by identifier: `get('max_norm')`, `get('min_max_norm')`, `get({ class_name: 'MaxNorm', config: { max_value: 1 } })`,
 * an instance, or null/undefined (none). Names are Keras 3's: 'max_norm', 'unit_norm', 'non_neg'
 * (and the class names 'MaxNorm', 'UnitNorm', 'NonNeg'); TF.js's 'maxNorm', 'unitNorm', 'nonNeg' too.
 * Reference: Keras 3 keras/src/constraints/__init__.py.
 */
import { ValueError, checkOptionKeys, nearestName } from '../core/errors.js';
import { deserialize as deserializeObject, registerSerializable } from '../core/serialization.js';
import { Constraint, type SerializedConstraint } from './constraint.js';
import { MaxNorm } from './max_norm.js';
import { MinMaxNorm } from './min_max_norm.js';
import { NonNeg } from './non_neg.js';
import { UnitNorm } from './unit_norm.js';

/** The snake_case names `get` accepts. */
export const CONSTRAINT_NAMES = ['max_norm', 'unit_norm', 'non_neg', 'min_max_norm'] as const;
export type ConstraintName = (typeof CONSTRAINT_NAMES)[number];

const CLASSES: Record<string, (config: Record<string, unknown>) => Constraint> = {
  MaxNorm: (c) => MaxNorm.fromConfig(c),
  UnitNorm: (c) => UnitNorm.fromConfig(c),
  NonNeg: (c) => NonNeg.fromConfig(c),
  MinMaxNorm: (c) => MinMaxNorm.fromConfig(c),
};

const NAMES: Record<string, string> = {
  max_norm: 'MaxNorm', unit_norm: 'UnitNorm', non_neg: 'NonNeg',
  maxNorm: 'MaxNorm', unitNorm: 'UnitNorm', nonNeg: 'NonNeg',
  MaxNorm: 'MaxNorm', UnitNorm: 'UnitNorm', NonNeg: 'NonNeg',
  min_max_norm: 'MinMaxNorm', minMaxNorm: 'MinMaxNorm', MinMaxNorm: 'MinMaxNorm',
};

registerSerializable(MaxNorm, { package: 'keras', aliases: ['max_norm', 'maxNorm'] });
registerSerializable(UnitNorm, { package: 'keras', aliases: ['unit_norm', 'unitNorm'] });
registerSerializable(NonNeg, { package: 'keras', aliases: ['non_neg', 'nonNeg'] });
registerSerializable(MinMaxNorm, { package: 'keras', aliases: ['min_max_norm', 'minMaxNorm'] });

/** The keys of a serialized constraint: Keras 3 `{ module, class_name, config, registered_name }` or TF.js `{ className, config }`. */
const SERIALIZED_KEYS = ['class_name', 'className', 'config', 'module', 'registered_name'] as const;

/** Anything `get` accepts. */
export type ConstraintIdentifier =
  | string | Constraint | null | undefined
  | { class_name: string; config?: Record<string, unknown> | null } | { className: string; config?: Record<string, unknown> | null };

/**
 * Rebuilds a constraint from `{ class_name, config }` (Keras) or `{ className, config }` (TF.js).
 * @throws ValueError for an unknown class or option (with the nearest name) or an invalid value.
 */
export function deserialize(json: { class_name?: string; className?: string; config?: Record<string, unknown> | null }): Constraint {
  const raw = json.class_name ?? json.className;
  const name = typeof raw === 'string' && Object.hasOwn(NAMES, raw) ? NAMES[raw] : undefined;
  if (name === undefined) {
    const near = typeof raw === 'string' ? nearestName(raw, Object.keys(CLASSES)) : undefined;
    throw new ValueError(`Unknown constraint class ${JSON.stringify(raw)}; expected one of ${Object.keys(CLASSES).join(', ')}.${near !== undefined ? ` Did you mean '${near}'?` : ''}`);
  }
  // A misplaced option ({ class_name: 'MaxNorm', max_value: 3 }) would otherwise be lost; the
  // config's own keys are checked by the class's constructor.
  checkOptionKeys(`Constraint ${name} (options go inside config)`, json, SERIALIZED_KEYS);
  return deserializeObject<Constraint>({ ...json, class_name: name, className: undefined }, 'constraints');
}

/**
 * Resolves a constraint identifier; null/undefined mean none.
 * @throws ValueError for an unknown name (with the valid names and the nearest one).
 * @example get('max_norm')?.getConfig() // { maxValue: 2, axis: 0 }
 */
export function get(identifier: ConstraintIdentifier): Constraint | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Constraint) return identifier;
  if (typeof identifier === 'string') {
    if (Object.hasOwn(NAMES, identifier)) return CLASSES[NAMES[identifier]]({});
    const near = nearestName(identifier, [...CONSTRAINT_NAMES]);
    throw new ValueError(`Invalid constraint: received '${identifier}'; expected one of ${CONSTRAINT_NAMES.map((n) => `'${n}'`).join(', ')} (or a class name, a config object or an instance).${near !== undefined ? ` Did you mean '${near}'?` : ''}`);
  }
  if (typeof identifier === 'object') return deserialize(identifier as Parameters<typeof deserialize>[0]);
  throw new ValueError(`Invalid constraint: received ${typeof identifier} ${String(identifier)}; expected a name such as 'max_norm', a config object or a Constraint.`);
}

/** The Keras 3 JSON form of a constraint, or null for none. */
export function serialize(constraint: Constraint | null): SerializedConstraint | null {
  return constraint === null ? null : constraint.serialize();
}
