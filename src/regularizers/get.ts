/**
 * Regularizers by identifier: `get('l2')`, `get({ class_name: 'L2', config: { l2: 1e-4 } })`, an
 * instance, or null/undefined (no regularizer).
 *
 * Names: 'l1' -> L1(l1 0.01), 'l2' -> L2(l2 0.01), 'l1_l2' -> L1L2(l1 0.01, l2 0.01) (the defaults
 * Keras documents for these strings; TF.js's 'l1l2' is accepted too). Class names 'L1', 'L2',
 * 'L1L2' give each class's defaults (for L1L2: 0 and 0, as Keras 3's `get('L1L2')`).
 * Reference: Keras 3 keras/src/regularizers/__init__.py (`get`, `deserialize`).
 */
import { ValueError, checkOptionKeys, nearestName } from '../core/errors.js';
import { deserialize as deserializeObject, registerSerializable } from '../core/serialization.js';
import { L1 } from './l1.js';
import { L1L2 } from './l1_l2.js';
import { L2 } from './l2.js';
import { Regularizer, type SerializedRegularizer } from './regularizer.js';

/** The snake_case names `get` accepts. */
export const REGULARIZER_NAMES = ['l1', 'l2', 'l1_l2'] as const;
export type RegularizerName = (typeof REGULARIZER_NAMES)[number];

const BY_NAME: Record<string, () => Regularizer> = {
  l1: () => new L1(),
  l2: () => new L2(),
  l1_l2: () => new L1L2({ l1: 0.01, l2: 0.01 }),
  l1l2: () => new L1L2({ l1: 0.01, l2: 0.01 }),
};

const CLASSES: Record<string, (config: Record<string, unknown>) => Regularizer> = {
  L1: (c) => L1.fromConfig(c),
  L2: (c) => L2.fromConfig(c),
  L1L2: (c) => L1L2.fromConfig(c),
};

registerSerializable(L1, { package: 'keras' });
registerSerializable(L2, { package: 'keras' });
registerSerializable(L1L2, { package: 'keras' });

/** The keys of a serialized regularizer: Keras 3 `{ module, class_name, config, registered_name }` or TF.js `{ className, config }`. */
const SERIALIZED_KEYS = ['class_name', 'className', 'config', 'module', 'registered_name'] as const;

/** Anything `get` accepts. */
export type RegularizerIdentifier =
  | RegularizerName | string | Regularizer | null | undefined
  | { class_name: string; config?: Record<string, unknown> | null } | { className: string; config?: Record<string, unknown> | null };

/**
 * Rebuilds a regularizer from `{ class_name, config }` (Keras) or `{ className, config }` (TF.js).
 * @throws ValueError for an unknown class (with the nearest name) or an invalid option.
 */
export function deserialize(json: { class_name?: string; className?: string; config?: Record<string, unknown> | null }): Regularizer {
  const name = json.class_name ?? json.className;
  const make = typeof name === 'string' && Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
  if (make === undefined) {
    const near = typeof name === 'string' ? nearestName(name, Object.keys(CLASSES)) : undefined;
    throw new ValueError(`Unknown regularizer class ${JSON.stringify(name)}; expected one of ${Object.keys(CLASSES).join(', ')}.${near !== undefined ? ` Did you mean '${near}'?` : ''}`);
  }
  // A misplaced option ({ class_name: 'L2', l2: 0.1 }) would otherwise be lost; the config's own
  // keys are checked by the class's constructor.
  checkOptionKeys(`Regularizer ${name} (options go inside config)`, json, SERIALIZED_KEYS);
  return deserializeObject<Regularizer>(json, 'regularizers');
}

/**
 * Resolves a regularizer identifier; null/undefined mean none.
 * @throws ValueError for an unknown name or class (with the valid names and the nearest one).
 * @example get('l2')?.getConfig() // { l2: 0.01 }
 */
export function get(identifier: RegularizerIdentifier): Regularizer | null {
  if (identifier === null || identifier === undefined) return null;
  if (identifier instanceof Regularizer) return identifier;
  if (typeof identifier === 'string') {
    if (Object.hasOwn(BY_NAME, identifier)) return BY_NAME[identifier]();
    if (Object.hasOwn(CLASSES, identifier)) return CLASSES[identifier]({});
    const near = nearestName(identifier, [...REGULARIZER_NAMES]);
    throw new ValueError(`Invalid regularizer: received '${identifier}'; expected one of ${REGULARIZER_NAMES.map((n) => `'${n}'`).join(', ')} (or a class name L1, L2, L1L2, or an instance).${near !== undefined ? ` Did you mean '${near}'?` : ''}`);
  }
  if (typeof identifier === 'object') return deserialize(identifier as Parameters<typeof deserialize>[0]);
  throw new ValueError(`Invalid regularizer: received ${typeof identifier} ${String(identifier)}; expected a name such as 'l2', a config object or a Regularizer.`);
}

/** The Keras 3 JSON form of a regularizer, or null for none. */
export function serialize(regularizer: Regularizer | null): SerializedRegularizer | null {
  return regularizer === null ? null : regularizer.serialize();
}
