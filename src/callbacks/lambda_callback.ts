/**
 * LambdaCallback: a callback made of plain functions, for the hooks you need (Keras's
 * `LambdaCallback`, TF.js's plain-object callbacks). `fit` turns a plain object in its `callbacks`
 * list into one, so TF.js code works as written:
 *
 *   await model.fit(x, y, { callbacks: [{ onEpochEnd: async (epoch, logs) => console.log(epoch, logs.loss) }] });
 *
 * Hooks may be async; `fit` awaits them. `this` inside a hook is not the callback: use the
 * arguments (the model is reachable through the callback object passed to fit if needed).
 *
 * Reference: Keras 3 keras/src/callbacks/lambda_callback.py; TF.js `CustomCallbackArgs`.
 */
import { ValueError, nearestOptionKey } from '../core/errors.js';
import { Callback, type Logs, type StepInfo } from './callback.js';

/**
 * The hooks a plain object may hold (each optional), with TF.js's signatures: `logs` is declared
 * optional (as in TF.js and in `Callback`'s methods, which lets TypeScript type an object literal's
 * parameters), but `fit` always passes it.
 */
export interface CallbackHooks {
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  onGradients?(step: StepInfo): void;
}

export const CALLBACK_HOOKS = ['onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd', 'onGradients'] as const;

/** A `Callback` instance or a plain object of hooks. */
export type CallbackLike = Callback | CallbackHooks;

export class LambdaCallback extends Callback {
  private readonly hooks: CallbackHooks;

  /** @throws ValueError for a key that is not a hook or a hook that is not a function (with the nearest hook name). */
  constructor(hooks: CallbackHooks) {
    super();
    checkHooks('LambdaCallback', hooks);
    this.hooks = hooks;
  }

  override onTrainBegin(logs: Logs = {}): void | Promise<void> { return this.hooks.onTrainBegin?.(logs); }
  override onTrainEnd(logs: Logs = {}): void | Promise<void> { return this.hooks.onTrainEnd?.(logs); }
  override onEpochBegin(epoch: number, logs: Logs = {}): void | Promise<void> { return this.hooks.onEpochBegin?.(epoch, logs); }
  override onEpochEnd(epoch: number, logs: Logs = {}): void | Promise<void> { return this.hooks.onEpochEnd?.(epoch, logs); }
  override onBatchBegin(batch: number, logs: Logs = {}): void | Promise<void> { return this.hooks.onBatchBegin?.(batch, logs); }
  override onBatchEnd(batch: number, logs: Logs = {}): void | Promise<void> { return this.hooks.onBatchEnd?.(batch, logs); }
  override onGradients(step: StepInfo): void { this.hooks.onGradients?.(step); }
}

function checkHooks(owner: string, hooks: unknown): void {
  if (hooks === null || typeof hooks !== 'object' || Array.isArray(hooks)) {
    throw new ValueError(`${owner}: expected a Callback or an object of hooks ({ onEpochEnd: (epoch, logs) => ... }), received ${hooks === null ? 'null' : Array.isArray(hooks) ? 'an array' : typeof hooks}.`);
  }
  for (const [key, value] of Object.entries(hooks)) {
    if (!(CALLBACK_HOOKS as readonly string[]).includes(key)) {
      const near = nearestOptionKey(key, CALLBACK_HOOKS);
      throw new ValueError(`${owner}: unknown option '${key}'; valid options are the hooks ${CALLBACK_HOOKS.map((h) => `'${h}'`).join(', ')}.${near !== undefined ? ` Did you mean '${near}'?` : ''}`);
    }
    if (typeof value !== 'function') throw new ValueError(`${owner}: hook '${key}' must be a function, received ${value === null ? 'null' : typeof value}.`);
  }
}

/**
 * A callback from a `Callback` or a plain object of hooks (the `callbacks` of `fit`).
 * @param index - the position in the list, for the message.
 * @throws ValueError for anything else, or an object with an unknown key (e.g. 'onEpochEnds').
 */
export function toCallback(value: CallbackLike, index: number): Callback {
  if (value instanceof Callback) return value;
  checkHooks(`fit: callbacks[${index}]`, value);
  return new LambdaCallback(value);
}
