/**
 * Optimizer base: owns the learning rate, the iteration count and the per-weight slots; a concrete
 * optimizer implements only the per-weight update (`updateWeight`). Weights are updated in place.
 *
 * The step number t used by bias corrections is `iterations + 1` during an update (Keras:
 * `optimizer.iterations` counts updates already applied).
 */
import type { TypedArray } from '../core/dtype.js';
import { ShapeError, ValueError } from '../core/errors.js';
import { allocate } from '../core/dtype.js';
import type { Variable } from '../core/tensor.js';

export interface OptimizerOptions {
  /** Step size, a finite number > 0. */
  learningRate?: number;
}

export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  learningRate: number;
  /** Number of updates applied so far. */
  iterations = 0;
  private readonly slots = new Map<Variable, Map<string, TypedArray>>();

  constructor(options: OptimizerOptions, defaultLearningRate: number) {
    this.learningRate = checkPositive(this.constructor.name, 'learningRate', options.learningRate ?? defaultLearningRate);
  }

  /** Applies one update to each weight from its gradient (null gradients are skipped). */
  applyGradients(grads: readonly (TypedArray | null)[], weights: readonly Variable[]): void {
    if (grads.length !== weights.length) {
      throw new ShapeError(`applyGradients: ${grads.length} gradients for ${weights.length} weights.`);
    }
    const lr = this.currentLearningRate();
    for (let i = 0; i < weights.length; i++) {
      const g = grads[i];
      const w = weights[i];
      if (g === null || !w.trainable) continue;
      if (g.length !== w.size) throw new ShapeError(`applyGradients: gradient of ${g.length} values for weight "${w.name}" of ${w.size}.`);
      this.updateWeight(w.data, g, lr, (name) => this.slot(w, name));
    }
    this.iterations++;
  }

  /** The per-weight update: w <- f(w, g, slots), in place. */
  protected abstract updateWeight(w: TypedArray, g: TypedArray, lr: number, slot: (name: string) => TypedArray): void;

  /** A zero-initialized state array for a weight (momentum, moments). */
  private slot(w: Variable, name: string): TypedArray {
    let m = this.slots.get(w);
    if (m === undefined) {
      m = new Map();
      this.slots.set(w, m);
    }
    let s = m.get(name);
    if (s === undefined) {
      s = allocate(w.dtype, w.size);
      m.set(name, s);
    }
    return s;
  }

  /** The learning rate the next update will use (a schedule overrides this). */
  currentLearningRate(): number {
    return this.learningRate;
  }

  /** The constructor options as JSON data. */
  getConfig(): Record<string, unknown> {
    return { learningRate: this.learningRate };
  }
}

/** Checks a finite number > 0. @throws ValueError naming the option and the value. */
export function checkPositive(owner: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(`${owner}: ${option} must be a finite number > 0, received ${String(value)}.`);
  }
  return value;
}

/** Checks a number in [lo, hi) (or [lo, hi] when `inclusive`). */
export function checkRange(owner: string, option: string, value: unknown, lo: number, hi: number, inclusive = false): number {
  if (typeof value !== 'number' || !(value >= lo && (inclusive ? value <= hi : value < hi))) {
    throw new ValueError(`${owner}: ${option} must be a number in [${lo}, ${hi}${inclusive ? ']' : ')'}, received ${String(value)}.`);
  }
  return value;
}
