/**
 * Optimizer base: owns the learning rate (a number or a schedule), the iteration count, the
 * per-weight slots, gradient clipping and decoupled weight decay; a concrete optimizer implements
 * only the per-weight update (`updateWeight`). Weights are updated in place.
 *
 * One `applyGradients(grads, weights)` call is one step (Keras 3 `BaseOptimizer.apply`):
 *
 *   lr  = learningRate                        (a number), or
 *         learningRate.call(iterations)       (a schedule; iterations = updates already applied)
 *   g   = clip(g)                             (clipValue | clipNorm | globalClipNorm, see clipping.ts)
 *   w  <- w - lr * weightDecay * w            (when weightDecay is set: decoupled, before the update)
 *   w  <- updateWeight(w, g, lr, slots)       (the concrete optimizer)
 *   iterations <- iterations + 1
 *
 * The step number t used by bias corrections is `iterations + 1` during an update. Only trainable
 * weights with a gradient take part (in the global norm too); null gradients are skipped. As in
 * Keras: empty lists are a no-op (iterations unchanged); gradients that are all null (or all for
 * frozen weights) raise "No gradients provided for any variable" and change nothing, iterations
 * included. `excludeFromWeightDecay` keeps chosen weights out of the decay.
 *
 * `optimizer.learningRate` is public and may be assigned at any time, a number or a schedule; the
 * next step uses it (TF.js keeps it protected on Adam, RMSprop and Adagrad: case 18). Unlike Keras,
 * which raises a TypeError when a number is assigned to an optimizer built with a schedule, deepwell
 * replaces the schedule: the assignment is explicit. The callbacks that change the rate
 * (`LearningRateScheduler`, `ReduceLROnPlateau`) refuse to overwrite a schedule instead.
 *
 * Reference: Keras 3 keras/src/optimizers/base_optimizer.py.
 */
import type { TypedArray } from '../core/dtype.js';
import { ShapeError, ValueError, checkOptionKeys } from '../core/errors.js';
import { allocateLongLived } from '../core/dtype.js';
import type { Variable } from '../core/tensor.js';
import { checkConfigKeys, checkNonNegative, checkPositive } from './checks.js';
import { CLIP_OPTION_KEYS, type ClipOptions, checkClipOptions, clipGradients } from './clipping.js';
import { LearningRateSchedule } from './schedules/learning_rate_schedule.js';
import { accepts, deserialize, registerSerializableKind } from '../core/serialization.js';

export { checkPositive, checkRange } from './checks.js';

/** Options every optimizer accepts. */
export interface OptimizerOptions extends ClipOptions {
  /** Step size: a finite number > 0, or a schedule evaluated at `iterations`. */
  learningRate?: number | LearningRateSchedule;
  /**
   * Decoupled weight decay, a finite number >= 0: before each update w <- w - lr * weightDecay * w
   * (Keras 3's `weight_decay`, which every Keras optimizer accepts; AdamW sets it by default).
   */
  weightDecay?: number;
}

/** The config keys every optimizer accepts. */
export const OPTIMIZER_OPTION_KEYS = ['learningRate', 'weightDecay', ...CLIP_OPTION_KEYS] as const;

/** An optimizer's state as JSON data (see `Optimizer.getState`). */
export interface OptimizerState {
  className: string;
  iterations: number;
  weights: { name: string; shape: number[]; slots: Record<string, number[]> }[];
}

/**
 * The same state with the slots as typed-array copies (`Optimizer.getStateArrays`): what model files
 * store, without a detour through number arrays (a 784-300-100-10 model has 533,220 Adam slot values).
 */
export interface OptimizerStateArrays {
  className: string;
  iterations: number;
  weights: { name: string; shape: number[]; slots: Record<string, TypedArray> }[];
}

/** A per-weight state array, created on first use filled with `initialValue` (default 0). */
export type SlotGetter = (name: string, initialValue?: number) => TypedArray;

/** @throws ValueError unless `value` is a finite number > 0 or a schedule. */
function checkLearningRate(owner: string, value: unknown): number | LearningRateSchedule {
  if (value instanceof LearningRateSchedule) return value;
  if (typeof value !== 'number') {
    throw new ValueError(`${owner}: learningRate must be a finite number > 0 or a LearningRateSchedule, received ${JSON.stringify(value) ?? String(value)}.`);
  }
  return checkPositive(owner, 'learningRate', value);
}

export abstract class Optimizer {
  static readonly className: string = 'Optimizer';
  /**
   * Every key the constructor's options may hold: `OPTIMIZER_OPTION_KEYS` plus the class's own. The
   * base constructor rejects any other key (Keras raises for an unknown keyword argument too), so
   * `clipnorm` or `momentun` is an error instead of an optimizer that silently does not clip or
   * has no momentum. A subclass with options of its own declares them here.
   */
  static readonly optionKeys: readonly string[] = OPTIMIZER_OPTION_KEYS;
  /** Number of updates applied so far (Keras `optimizer.iterations`). */
  iterations = 0;
  readonly clipValue: number | undefined;
  readonly clipNorm: number | undefined;
  readonly globalClipNorm: number | undefined;
  readonly weightDecay: number | undefined;
  private rate: number | LearningRateSchedule;
  private readonly slots = new Map<Variable, Map<string, TypedArray>>();
  /** Weights kept out of weight decay (`excludeFromWeightDecay`). */
  private excludedFromDecay = new Set<Variable>();
  /** Name patterns kept out of weight decay (`excludeFromWeightDecay`); null for none. */
  private excludedPattern: RegExp | null = null;

  /**
   * @throws ValueError for an option key the class does not declare in `optionKeys` (with the nearest
   *   valid one), an invalid learning rate, weight decay or clipping option, or two clipping options.
   */
  constructor(options: OptimizerOptions, defaultLearningRate: number) {
    const owner = this.className;
    checkOptionKeys(owner, options, new.target.optionKeys);
    this.rate = checkLearningRate(owner, options.learningRate ?? defaultLearningRate);
    const clip = checkClipOptions(owner, options);
    this.clipValue = clip.clipValue;
    this.clipNorm = clip.clipNorm;
    this.globalClipNorm = clip.globalClipNorm;
    const wd = options.weightDecay as number | null | undefined;
    this.weightDecay = wd == null ? undefined : checkNonNegative(owner, 'weightDecay', wd);
  }

  /** The registered class name (`SGD`, `Adam`, ...). */
  get className(): string {
    return (this.constructor as typeof Optimizer).className;
  }

  /** The learning rate as set: a number or a schedule. Assign to change it for the next step. */
  get learningRate(): number | LearningRateSchedule {
    return this.rate;
  }

  /** @throws ValueError unless a finite number > 0 or a LearningRateSchedule. */
  set learningRate(value: number | LearningRateSchedule) {
    this.rate = checkLearningRate(this.className, value);
  }

  /**
   * The learning rate the next update will use: the number, or the schedule at `iterations`.
   * @throws ValueError when a schedule gives a negative or non-finite rate.
   */
  currentLearningRate(): number {
    const rate = this.rate;
    if (typeof rate === 'number') return rate;
    const lr = rate.call(this.iterations);
    if (!(lr >= 0 && lr < Infinity)) {
      throw new ValueError(`${this.className}: the learning-rate schedule ${rate.className} gave ${lr} at step ${this.iterations}; a schedule must give a finite number >= 0.`);
    }
    return lr;
  }

  /**
   * Applies one update to each trainable weight from its gradient (null gradients are skipped):
   * clipping, weight decay, then `updateWeight`; then `iterations` grows by one.
   * @throws ShapeError when the lists or a gradient and its weight differ in size.
   */
  applyGradients(grads: readonly (TypedArray | null)[], weights: readonly Variable[]): void {
    if (grads.length !== weights.length) {
      throw new ShapeError(`applyGradients: ${grads.length} gradients for ${weights.length} weights.`);
    }
    // Keras 3 BaseOptimizer.apply: an empty list is a no-op and does not count as a step.
    if (grads.length === 0) return;
    const active: Variable[] = [];
    const activeGrads: TypedArray[] = [];
    for (let i = 0; i < weights.length; i++) {
      const g = grads[i];
      const w = weights[i];
      if (g === null || !w.trainable) continue;
      if (g.length !== w.size) throw new ShapeError(`applyGradients: gradient of ${g.length} values for weight "${w.name}" of ${w.size}.`);
      active.push(w);
      activeGrads.push(g);
    }
    if (active.length === 0) {
      const nulls = grads.filter((g) => g === null).length;
      const frozen = weights.length - nulls;
      throw new ValueError(`${this.className}.applyGradients: no gradients provided for any variable (Keras: "No gradients provided for any variable."): ${nulls} of ${weights.length} gradients are null${frozen > 0 ? ` and ${frozen} belong to frozen weights` : ''}. Check that the loss depends on these weights (${weights.slice(0, 5).map((w) => w.name).join(', ')}${weights.length > 5 ? ', ...' : ''}); iterations stays ${this.iterations}.`);
    }
    const lr = this.currentLearningRate();
    const clipped = this.clipValue === undefined && this.clipNorm === undefined && this.globalClipNorm === undefined
      ? activeGrads
      : (clipGradients(activeGrads, this) as TypedArray[]);
    const decay = this.weightDecay === undefined || this.weightDecay === 0 ? 0 : lr * this.weightDecay;
    for (let k = 0; k < active.length; k++) {
      const w = active[k];
      const d = w.data;
      if (decay !== 0 && this.usesWeightDecay(w)) for (let i = 0; i < d.length; i++) d[i] -= d[i] * decay;
      this.updateWeight(d, clipped[k], lr, (name, initialValue) => this.slot(w, name, initialValue));
    }
    this.iterations++;
  }

  /**
   * Keeps weights out of weight decay, as Keras's `exclude_from_weight_decay(var_list, var_names)`:
   * `varList` the weights themselves; `varNames` regular expressions (joined with |) searched in each
   * weight's name, both its full name (`dense_1/bias`, Keras's `path`) and its last part (`bias`,
   * Keras 3's `variable.name`), so `['bias']` or `['^bias$']` exclude every bias. A new call replaces
   * the previous exclusions. Not part of the config (Keras does not serialize it either).
   * @throws ValueError for an unknown option key, a varList that is not an array of weights, or a
   *   varNames entry that is not a valid regular expression.
   * @example new AdamW({ weightDecay: 0.01 }).excludeFromWeightDecay({ varNames: ['bias', 'gamma', 'beta'] })
   */
  excludeFromWeightDecay(options: { varList?: readonly Variable[]; varNames?: readonly string[] } = {}): void {
    const owner = `${this.className}.excludeFromWeightDecay`;
    checkOptionKeys(owner, options, ['varList', 'varNames']);
    const varList = options.varList ?? [];
    const varNames = options.varNames ?? [];
    if (!Array.isArray(varList) || varList.some((v) => typeof v !== 'object' || v === null || !('data' in v) || !('name' in v))) {
      throw new ValueError(`${owner}: varList must be an array of weights (model.trainableWeights, layer.weights), received ${String(varList)}.`);
    }
    if (!Array.isArray(varNames) || varNames.some((n) => typeof n !== 'string')) {
      throw new ValueError(`${owner}: varNames must be an array of strings (regular expressions), received ${JSON.stringify(varNames)}.`);
    }
    let pattern: RegExp | null = null;
    if (varNames.length > 0) {
      const source = [...new Set(varNames)].join('|');
      try {
        pattern = new RegExp(source);
      } catch (e) {
        throw new ValueError(`${owner}: varNames ${JSON.stringify(varNames)} is not a valid regular expression (${(e as Error).message}).`);
      }
    }
    this.excludedFromDecay = new Set(varList);
    this.excludedPattern = pattern;
  }

  /** Whether weight decay applies to `w` (Keras's `_use_weight_decay`). */
  protected usesWeightDecay(w: Variable): boolean {
    if (this.excludedFromDecay.has(w)) return false;
    const p = this.excludedPattern;
    if (p === null) return true;
    return !(p.test(w.name) || p.test(w.name.slice(w.name.lastIndexOf('/') + 1)));
  }

  /** The per-weight update: w <- f(w, g, lr, slots), in place. `this.iterations` is the updates already applied. */
  protected abstract updateWeight(w: TypedArray, g: TypedArray, lr: number, slot: SlotGetter): void;

  /** A state array for a weight (momentum, moments), created filled with `initialValue` on first use. */
  private slot(w: Variable, name: string, initialValue = 0): TypedArray {
    let m = this.slots.get(w);
    if (m === undefined) {
      m = new Map();
      this.slots.set(w, m);
    }
    let s = m.get(name);
    if (s === undefined) {
      s = allocateLongLived(w.dtype, w.size); // state outlives the step: never a pooled array
      if (initialValue !== 0) s.fill(initialValue);
      m.set(name, s);
    }
    return s;
  }

  /**
   * The optimizer's state for `weights` (in that order) as JSON data: `iterations` and each weight's
   * slots (momentum, first and second moments...). Saved with the weights, it lets training resume
   * exactly where it stopped (tfjs#5138, keras#16833: a resumed Adam without its moments diverges).
   */
  getState(weights: readonly Variable[]): OptimizerState {
    const state = this.getStateArrays(weights);
    return { ...state, weights: state.weights.map((w) => ({ ...w, slots: Object.fromEntries(Object.entries(w.slots).map(([k, v]) => [k, Array.from(v)])) })) };
  }

  /** `getState` with each slot as a typed-array copy (for model files; not JSON data). */
  getStateArrays(weights: readonly Variable[]): OptimizerStateArrays {
    return {
      className: this.className,
      iterations: this.iterations,
      weights: weights.map((w) => ({
        name: w.name,
        shape: [...w.shape],
        slots: Object.fromEntries([...(this.slots.get(w) ?? new Map<string, TypedArray>())].map(([k, v]) => [k, v.slice()])),
      })),
    };
  }

  /**
   * Restores a state from `getState` onto `weights`, matched by position (as Keras matches optimizer
   * variables); names may differ (a reloaded model gets new layer names), shapes may not.
   * @throws ValueError when the class, the number of weights or a weight's size does not match, or a
   *   slot holds a non-finite value.
   */
  setState(state: OptimizerState | OptimizerStateArrays, weights: readonly Variable[]): void {
    if (state.className !== this.className) {
      throw new ValueError(`${this.className}.setState: the state was saved by ${state.className}; restore it into a ${state.className}.`);
    }
    if (state.weights.length !== weights.length) {
      throw new ValueError(`${this.className}.setState: the state holds ${state.weights.length} weights, received ${weights.length} (${weights.map((w) => w.name).join(', ')}). Pass the weights in the order given to getState.`);
    }
    const restored = new Map<Variable, Map<string, TypedArray>>();
    state.weights.forEach((saved, i) => {
      const w = weights[i];
      const slots = new Map<string, TypedArray>();
      for (const [name, values] of Object.entries(saved.slots)) {
        if (values.length !== w.size) {
          throw new ValueError(`${this.className}.setState: slot '${name}' of saved weight ${saved.name} has ${values.length} values; weight ${w.name} has ${w.size}.`);
        }
        let bad = -1;
        for (let j = 0; j < values.length && bad < 0; j++) if (typeof values[j] !== 'number' || !Number.isFinite(values[j])) bad = j;
        if (bad >= 0) throw new ValueError(`${this.className}.setState: slot '${name}' of ${saved.name} holds ${String(values[bad])} at index ${bad}; expected finite numbers.`);
        const arr = allocateLongLived(w.dtype, w.size);
        arr.set(values);
        slots.set(name, arr);
      }
      restored.set(w, slots);
    });
    if (!Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new ValueError(`${this.className}.setState: iterations must be a non-negative integer, received ${String(state.iterations)}.`);
    }
    this.slots.clear();
    for (const [w, slots] of restored) this.slots.set(w, slots);
    this.iterations = state.iterations;
  }

  /**
   * The constructor options: `learningRate` (a number, or the schedule instance, which
   * `serialize(optimizer)` writes in its Keras 3 form), and `weightDecay`, `clipValue`, `clipNorm`, `globalClipNorm` when set.
   */
  getConfig(): Record<string, unknown> {
    const rate = this.rate;
    const config: Record<string, unknown> = { learningRate: rate };
    if (this.weightDecay !== undefined) config.weightDecay = this.weightDecay;
    for (const key of CLIP_OPTION_KEYS) if (this[key] !== undefined) config[key] = this[key];
    return config;
  }
}

/**
 * Constructor options from an optimizer config: checks that every key is an option of the class
 * (its `optionKeys`) and rebuilds a serialized schedule given as `learningRate`.
 * Conflicting clipping options are then rejected by the constructor, as on construction.
 * @throws ValueError for an unknown key (with the nearest one) or an invalid schedule.
 */
export function optimizerOptionsFromConfig(cls: { readonly className: string; readonly optionKeys: readonly string[] }, config: unknown): Record<string, unknown> {
  const options = { ...checkConfigKeys(cls.className, config, cls.optionKeys) };
  const lr = options.learningRate;
  if (lr !== null && typeof lr === 'object' && !(lr instanceof LearningRateSchedule)) options.learningRate = deserialize(lr, 'optimizers.schedules');
  return options;
}

/** Sets an option from a Keras key whose null means "not set". */
const unlessNull = (option: string) => ({ rename: (v: unknown, o: Record<string, unknown>): void => { if (v !== null) o[option] = v; } });

/**
 * Keys Keras 2/3 and TF.js write into optimizer configs: neutral values accepted, the rest a ValueError.
 * Reference: Keras 3 keras/src/optimizers/base_optimizer.py `get_config`.
 */
registerSerializableKind('optimizers', Optimizer, {
  foreignKeys: {
    name: accepts.any,
    weight_decay: unlessNull('weightDecay'),
    clipnorm: unlessNull('clipNorm'),
    clipvalue: unlessNull('clipValue'),
    global_clipnorm: unlessNull('globalClipNorm'),
    use_ema: accepts.oneOf(false),
    ema_momentum: accepts.any,
    ema_overwrite_frequency: accepts.oneOf(null),
    loss_scale_factor: accepts.oneOf(null),
    gradient_accumulation_steps: accepts.oneOf(null, 1),
    jit_compile: accepts.any,
    is_legacy_optimizer: accepts.oneOf(false),
    // Adam and AdamW take amsgrad; for the others true is an unknown option (a ValueError naming it).
    amsgrad: { rename: (v, o) => { if (v !== false) o.amsgrad = v; } },
    decay: accepts.oneOf(0, null),
    lr: { rename: (v, o) => { o.learningRate ??= v; } },
    schedule_decay: accepts.oneOf(0.004),
  },
});
