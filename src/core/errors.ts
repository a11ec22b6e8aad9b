/**
 * Typed errors of deepwell. Every message says what was received, what was expected and how to fix it.
 *
 * - `ShapeError`: tensor shapes that do not fit together (the message shows the shapes).
 * - `ValueError`: an option or argument outside its valid set or range (with did-you-mean for names).
 * - `DataError`: a file or dataset that is not what it claims to be (names the file and the fault).
 * - `NotFiniteError`: a NaN or infinity appeared where a finite value is required.
 * - `CompileConfigError` (a `ValueError`): a model file's compile config (optimizer, loss, optimizer
 *   state) that deepwell cannot honour; the model and its weights load with `{ compile: false }`.
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

/**
 * A model file's compile config that deepwell cannot honour: no loss or optimizer, an optimizer class
 * deepwell does not have (`optimizerClass` names it), or optimizer state that fits no weight. The model
 * and its weights still load: `loadModel(source, { compile: false })`.
 */
export class CompileConfigError extends ValueError {
  /** The optimizer's class name when deepwell has no optimizer of that class (e.g. 'Adadelta'). */
  readonly optimizerClass: string | undefined;
  constructor(message: string, optimizerClass?: string) {
    super(message);
    this.optimizerClass = optimizerClass;
  }
}

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

/** `from_logits` -> `fromLogits`: how a Keras (snake_case) option name is spelled in deepwell. */
function snakeToCamel(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The valid option key a received one was meant to be, or undefined if none is close. The received
 * key is first read as camelCase (Keras's `from_logits` -> `fromLogits`, `clipnorm` stays), then
 * compared case-insensitively: an exact match of either spelling wins, else the nearest by edit
 * distance (`nearestName`).
 * @example nearestOptionKey('kernel_initializer', ['activation', 'kernelInitializer']) // 'kernelInitializer'
 */
export function nearestOptionKey(received: string, valid: readonly string[]): string | undefined {
  const camel = snakeToCamel(received);
  for (const spelling of [camel, received]) {
    const exact = valid.find((v) => v.toLowerCase() === spelling.toLowerCase());
    if (exact !== undefined) return exact;
  }
  return nearestName(camel, valid) ?? nearestName(received, valid);
}

/**
 * Checks that an options object holds only keys its owner knows, so a misspelt option is an error
 * instead of a silent default (Keras raises a TypeError for an unknown keyword argument). `undefined`
 * (no options) passes; anything else must be a plain object.
 *
 * @param owner - who takes the options, as the message should name it (`'SGD'`, `'Sequential.fit'`).
 * @param options - the options object as received.
 * @param valid - every key the owner reads (camelCase).
 * @throws ValueError naming the owner, the unknown key, the valid keys and the nearest one.
 * @example checkOptionKeys('SGD', { clipnorm: 1 }, ['learningRate', 'clipNorm'])
 *   // ValueError: SGD: unknown option 'clipnorm'; valid options are 'learningRate', 'clipNorm'. Did you mean 'clipNorm'?
 */
export function checkOptionKeys(owner: string, options: object | undefined, valid: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    const shown = Array.isArray(options) ? 'an array' : options === null ? 'null' : `${typeof options} ${String(options)}`;
    throw new ValueError(`${owner}: expected an options object ({ ... }), received ${shown}.`);
  }
  const unknown = Object.keys(options).filter((k) => !valid.includes(k));
  if (unknown.length === 0) return;
  const [key, ...others] = unknown;
  const expected = valid.length === 0 ? `${owner} takes no options` : `valid options are ${valid.map((v) => `'${v}'`).join(', ')}`;
  const also = others.length > 0 ? ` (also unknown: ${others.map((k) => `'${k}'`).join(', ')})` : '';
  const near = nearestOptionKey(key, valid);
  throw new ValueError(`${owner}: unknown option '${key}'${also}; ${expected}.${near !== undefined ? ` Did you mean '${near}'?` : ''}`);
}

/**
 * The keys of an options type as a runtime list that the compiler checks against the type: every key
 * of `T` must be listed (a missing one does not compile) and nothing else (an excess property does
 * not compile either). Gives `checkOptionKeys` its valid keys without a second, drifting list.
 * @example keysOf<{ rate?: number; seed?: number }>({ rate: true, seed: true }) // ['rate', 'seed']
 */
export function keysOf<T extends object>(keys: { readonly [K in keyof Required<T>]: true }): readonly (keyof T & string)[] {
  return Object.keys(keys) as (keyof T & string)[];
}
