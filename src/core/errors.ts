/**
 * Typed errors of deepwell. Every message says what was received, what was expected and how to fix it.
 *
 * - `ShapeError`: tensor shapes that do not fit together (the message shows the shapes).
 * - `ValueError`: an option or argument outside its valid set or range (with did-you-mean for names).
 * - `DataError`: a file or dataset that is not what it claims to be (names the file and the fault).
 * - `NotFiniteError`: a NaN or infinity appeared where a finite value is required.
 */
export class DeepwellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together. */
export class ShapeError extends DeepwellError {}

/** An option or argument value outside its valid set or range. */
export class ValueError extends DeepwellError {}

/** A file or dataset whose content does not match its format. */
export class DataError extends DeepwellError {}

/** A NaN or infinite value where a finite one is required. */
export class NotFiniteError extends DeepwellError {}

/** Levenshtein edit distance between two strings (used for did-you-mean suggestions). */
export function editDistance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The valid name nearest to `received` (case-insensitive edit distance), or undefined if none is close. */
export function nearestName(received: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const r = received.toLowerCase();
  for (const v of valid) {
    const d = editDistance(r, v.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = v;
    }
  }
  // Accept a suggestion only when at most about a third of the characters differ.
  return bestDistance <= Math.max(2, Math.ceil(r.length / 3)) ? best : undefined;
}

/**
 * Checks that `value` is one of `valid`, or throws a `ValueError` naming the option, the received
 * value, the valid set and the nearest valid name.
 *
 * @example checkOneOf('mode', 'fav_avg', ['fan_in', 'fan_out', 'fan_avg'])
 *   // ValueError: Invalid mode: received 'fav_avg'; expected one of 'fan_in', 'fan_out', 'fan_avg'. Did you mean 'fan_avg'?
 */
export function checkOneOf<T extends string>(option: string, value: unknown, valid: readonly T[]): T {
  if (typeof value === 'string' && (valid as readonly string[]).includes(value)) return value as T;
  throw new ValueError(invalidNameMessage(option, value, valid));
}

/** The message of a name that is not in `valid`: received, expected, nearest. */
export function invalidNameMessage(option: string, value: unknown, valid: readonly string[]): string {
  const shown = typeof value === 'string' ? `'${value}'` : value === null ? 'null' : `${typeof value} ${String(value)}`;
  const list = valid.map((v) => `'${v}'`).join(', ');
  const near = typeof value === 'string' ? nearestName(value, valid) : undefined;
  return `Invalid ${option}: received ${shown}; expected one of ${list}.${near !== undefined ? ` Did you mean '${near}'?` : ''}`;
}
