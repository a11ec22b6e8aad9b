/** A bad command-line value: the CLI prints the message and exits with code 2. */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { invalidNameMessage } from '../core/errors.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parses a value that must be one of `valid`, with did-you-mean; `option` is the flag (`--init`). */
export function parseChoice<T extends string>(option: string, value: string, valid: readonly T[], aliases: Record<string, T> = {}): T {
  if ((valid as readonly string[]).includes(value)) return value as T;
  if (aliases[value] !== undefined) return aliases[value];
  throw new UsageError(invalidNameMessage(`value for ${option}`, value, valid));
}

/** Parses a positive integer option. */
export function parsePositiveInt(option: string, value: string, example = 10): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new UsageError(`Invalid value for ${option}: received '${value}'; expected a positive integer (for example ${example}).`);
  }
  return n;
}

/** Parses an integer option (any sign). */
export function parseInteger(option: string, value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) {
    throw new UsageError(`Invalid value for ${option}: received '${value}'; expected an integer (for example 42).`);
  }
  return n;
}

/** A decimal number as people write it (no hex, no Infinity): 0.001, 1e-3, .5 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a finite number in (lo, hi) or [lo, hi) as the flags say. */
export function parseNumber(option: string, value: string, lo: number, hi: number, loInclusive = false): number {
  const n = Number(value);
  if (!DECIMAL.test(value.trim()) || !Number.isFinite(n) || !(loInclusive ? n >= lo : n > lo) || !(n < hi)) {
    throw new UsageError(`Invalid value for ${option}: received '${value}'; expected a number in ${loInclusive ? '[' : '('}${lo}, ${hi}).`);
  }
  return n;
}

/** Parses a comma-separated list of positive integers (`300,100`). */
export function parseIntList(option: string, value: string): number[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || Number(p) <= 0)) {
    throw new UsageError(`Invalid value for ${option}: received '${value}'; expected comma-separated positive integers (for example 300,100).`);
  }
  return parts.map(Number);
}


/**
 * Checks, before any work, that an output file can be written: its folder exists and is writable,
 * and the path is not a folder. Returns the path; undefined stays undefined (no output asked for).
 */
export function parseOutputPath(option: string, value: string | undefined): string | null {
  if (value === undefined) return null;
  const path = resolve(value);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`Invalid value for ${option}: '${value}' is a folder; give a file name such as ${option === '--report' ? 'report.html' : 'out.json'}.`);
  }
  const dir = dirname(path);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`Invalid value for ${option}: cannot write '${value}': the folder '${dir}' ${existsSync(dir) ? 'is not writable' : 'does not exist'}. Create it or choose another path.`);
  }
  return value;
}
