/**
 * The hidden layers of the CLI's MLP, shared by `train`, `diagnose` and `experiment`: the activations
 * offered, `--hidden` / `--depth` / `--units` resolved to layer sizes, and their short description.
 */
import { ACTIVATION_NAMES } from '../activations/activations.js';
import type { NetworkFlags } from './mlp.js';
import { UsageError, parseIntList, parsePositiveInt } from './usage_error.js';

/** Hidden-layer activations the CLI offers (softmax is the output layer's). */
export const HIDDEN_ACTIVATIONS = ACTIVATION_NAMES.filter((a) => a !== 'softmax');

/** Resolves `--hidden` or `--depth`/`--units` to the hidden layer sizes. */
export function resolveHidden(flags: Pick<NetworkFlags, 'hidden' | 'depth' | 'units'>, fallback: number[]): number[] {
  if (flags.hidden !== undefined && (flags.depth !== undefined || flags.units !== undefined)) {
    throw new UsageError('Give either --hidden (e.g. 300,100) or --depth with --units (e.g. --depth 30 --units 100), not both.');
  }
  if (flags.hidden !== undefined) return parseIntList('--hidden', flags.hidden);
  if (flags.units !== undefined && flags.depth === undefined) {
    throw new UsageError('--units needs --depth (e.g. --depth 30 --units 100); for layers of different sizes use --hidden 300,100.');
  }
  if (flags.depth !== undefined) {
    const depth = parsePositiveInt('--depth', flags.depth, 30);
    const units = parsePositiveInt('--units', flags.units ?? '100', 100);
    return new Array<number>(depth).fill(units);
  }
  return fallback;
}

/** "30 x 100" for equal layers, else "300,100". */
export function describeHidden(hidden: readonly number[]): string {
  return hidden.length > 1 && hidden.every((h) => h === hidden[0]) ? `${hidden.length} x ${hidden[0]}` : hidden.join(',');
}
