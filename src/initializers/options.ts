/**
 * Validation of initializer options, shared by the classes of this folder. Each reader returns the
 * option's value, or its default when the option was not given (`undefined`: a real 0 is kept), and
 * throws a `ValueError` that names the class, the option, what was received and what is expected.
 *
 * `null` counts as "not given" only for `seed`, `inputAxes` and `outputAxes`, where Keras writes
 * `null` for "none"; anywhere else it is rejected, so a broken config never becomes a silent default.
 */
import { ValueError } from '../core/errors.js';
import { checkSeed } from '../core/random.js';

/** How a received value is shown in an error message: strings quoted, others with their type. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  if (typeof value === 'object') return `an object ${JSON.stringify(value)}`;
  return `${typeof value} ${String(value)}`;
}

/**
 * A finite number, or `fallback` when `value` is undefined.
 * @throws ValueError when the value is not a finite number.
 */
export function readFiniteNumber(owner: string, option: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`Invalid ${owner} ${option}: received ${showValue(value)}; expected a finite number (default ${fallback}).`);
  }
  return value;
}

/**
 * A finite number >= 0, or `fallback` when `value` is undefined.
 * @throws ValueError when the value is not a finite number or is negative.
 */
export function readNonNegative(owner: string, option: string, value: unknown, fallback: number): number {
  const v = readFiniteNumber(owner, option, value, fallback);
  if (v < 0) {
    throw new ValueError(`Invalid ${owner} ${option}: received ${v}; expected a finite number >= 0 (default ${fallback}).`);
  }
  return v;
}

/**
 * The seed of a random initializer: an integer, or null for "draw from the global generator".
 * @throws ValueError when the seed is neither an integer nor undefined/null.
 */
export function readSeed(owner: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  return checkSeed(value, `${owner} seed`);
}

/**
 * A list of axes (integers, negative counts from the end), or null when not given. A single integer
 * is read as a list of one. The range is checked when the rank is known (`computeFans`).
 * @throws ValueError when the value is not an integer or an array of integers.
 */
export function readAxes(owner: string, option: string, value: unknown): readonly number[] | null {
  if (value === undefined || value === null) return null;
  const list = typeof value === 'number' ? [value] : value;
  if (!Array.isArray(list) || !list.every((a) => Number.isInteger(a))) {
    throw new ValueError(
      `Invalid ${owner} ${option}: received ${showValue(value)}; expected an array of integer axes (for example [0]) or null.`,
    );
  }
  return Object.freeze([...(list as number[])]);
}
