/**
 * PiecewiseConstantDecay: a constant learning rate on each interval between boundaries (Keras 3):
 *
 *   lr(step) = values[0]  if step <= boundaries[0]
 *              values[i]  if boundaries[i-1] < step <= boundaries[i]
 *              values[n]  if step > boundaries[n-1]
 *
 * A step equal to a boundary keeps the earlier value: boundaries [100, 200], values [1.0, 0.5, 0.1]
 * give 1.0 at step 100, 0.5 at 101 and 0.1 at 201 (Keras 3 PiecewiseConstantDecay).
 *
 * Reference: Keras 3 keras/src/optimizers/schedules/learning_rate_schedule.py (PiecewiseConstantDecay).
 *
 * @example new PiecewiseConstantDecay({ boundaries: [100, 200], values: [1.0, 0.5, 0.1] }).call(101) // 0.5
 */
import { ValueError, keysOf } from '../../core/errors.js';
import { checkConfigKeys, checkFinite, checkNonNegative } from '../checks.js';
import { LearningRateSchedule } from './learning_rate_schedule.js';

export interface PiecewiseConstantDecayOptions {
  /** Steps where the rate changes, strictly increasing finite numbers (at least one). */
  boundaries: readonly number[];
  /** The rates, finite numbers >= 0, one more than `boundaries`. */
  values: readonly number[];
}

/** The keys of `PiecewiseConstantDecayOptions`. */
const KEYS = keysOf<PiecewiseConstantDecayOptions>({ boundaries: true, values: true });

export class PiecewiseConstantDecay extends LearningRateSchedule {
  static override readonly className: string = 'PiecewiseConstantDecay';
  static override readonly optionKeys: readonly string[] = KEYS;
  readonly boundaries: readonly number[];
  readonly values: readonly number[];

  /** @throws ValueError when the boundaries are not increasing or values.length !== boundaries.length + 1. */
  constructor(options: PiecewiseConstantDecayOptions) {
    super(options);
    const { boundaries, values } = options;
    if (!Array.isArray(boundaries) || !Array.isArray(values) || boundaries.length === 0 || values.length !== boundaries.length + 1) {
      throw new ValueError(
        `PiecewiseConstantDecay: expected n >= 1 boundaries and n + 1 values, received boundaries ${JSON.stringify(boundaries)} ` +
          `and values ${JSON.stringify(values)}. Example: boundaries [100, 200], values [1.0, 0.5, 0.1].`,
      );
    }
    boundaries.forEach((b, i) => {
      checkFinite('PiecewiseConstantDecay', `boundaries[${i}]`, b);
      if (i > 0 && !(b > boundaries[i - 1])) {
        throw new ValueError(`PiecewiseConstantDecay: boundaries must be strictly increasing, received ${JSON.stringify(boundaries)}.`);
      }
    });
    values.forEach((v, i) => checkNonNegative('PiecewiseConstantDecay', `values[${i}]`, v));
    this.boundaries = [...boundaries];
    this.values = [...values];
  }

  /** `new PiecewiseConstantDecay(config)`, rejecting unknown keys. */
  static fromConfig(config: Record<string, unknown>): PiecewiseConstantDecay {
    return new PiecewiseConstantDecay(checkConfigKeys('PiecewiseConstantDecay', config, KEYS) as unknown as PiecewiseConstantDecayOptions);
  }

  call(step: number): number {
    const b = this.boundaries;
    for (let i = 0; i < b.length; i++) if (step <= b[i]) return this.values[i];
    return this.values[b.length];
  }

  getConfig(): Record<string, unknown> {
    return { boundaries: [...this.boundaries], values: [...this.values] };
  }
}
