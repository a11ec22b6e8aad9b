/**
 * Option checks shared by optimizers, schedules and callbacks. Each throws a `ValueError` that names
 * the owner, the option, the value received and what was expected.
 */
import { ValueError, checkOptionKeys } from '../core/errors.js';

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : Array.isArray(value) ? `[${value.map(show).join(', ')}]` : String(value);
}

/** Checks a finite number > 0. */
export function checkPositive(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(`${owner}: ${option} must be a finite number > 0, received ${show(value)}.`);
  }
  return value;
}

/** Checks a finite number >= 0. */
export function checkNonNegative(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ValueError(`${owner}: ${option} must be a finite number >= 0, received ${show(value)}.`);
  }
  return value;
}

/** Checks a finite number (any sign). */
export function checkFinite(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ValueError(`${owner}: ${option} must be a finite number, received ${show(value)}.`);
  }
  return value;
}

/** Checks a number in [lo, hi) (or [lo, hi] when `inclusive`). */
export function checkRange(owner: string, option: string, value: unknown, lo: number, hi: number, inclusive = false): number {
  if (typeof value !== 'number' || !(value >= lo && (inclusive ? value <= hi : value < hi))) {
    throw new ValueError(`${owner}: ${option} must be a number in [${lo}, ${hi}${inclusive ? ']' : ')'}, received ${show(value)}.`);
  }
  return value;
}

/** Checks an integer >= `min`. */
export function checkInteger(owner: string, option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`${owner}: ${option} must be an integer >= ${min}, received ${show(value)}.`);
  }
  return value;
}

/** Checks a boolean. */
export function checkBoolean(owner: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ValueError(`${owner}: ${option} must be true or false, received ${show(value)}.`);
  return value;
}

/**
 * Checks that a config is a plain object whose keys are all in `allowed` (a misspelt option in a
 * file must not be silently ignored). @throws ValueError naming the unknown key and the nearest one.
 */
export function checkConfigKeys(owner: string, config: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ValueError(`${owner}.fromConfig: expected a config object, received ${show(config)}.`);
  }
  checkOptionKeys(`${owner}.fromConfig`, config, allowed);
  return config as Record<string, unknown>;
}
