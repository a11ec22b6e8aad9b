/**
 * NonFiniteMonitor: stops training at the first NaN or infinite value and says where it started
 * (Keras's TerminateOnNaN sees only the loss). `fit` adds one unless `fit({ monitor: false })` or a
 * monitor is already among the callbacks; `diagnostics.GradientMonitor` extends it with per-layer
 * statistics (that is the CLI's monitor, so the API and the CLI find the same origin).
 *
 * Each step, after backpropagation and before the update, values are looked for in this order, and
 * the first found is the origin:
 * 1. forward: each layer's output in order, then the loss (`layer: 'loss'`);
 * 2. backward: each weight's gradient, from the output layer back to the first (the order of backprop).
 * (GradientMonitor adds 3. update: a kernel made non-finite by the optimizer step.)
 * The monitor then records `stopped` and sets `model.stopTraining`: fit skips that step's update,
 * ends after the current batch, and the history keeps every epoch up to it.
 *
 * Cost: one read of each layer output and each gradient per step, stopping early at a bad value,
 * by the `firstNonFinite` kernel (native: a vectorized scan of the exponent bits).
 */
import { keysOf } from '../core/errors.js';
import { kernels } from '../kernels/index.js';
import { Callback, type StepInfo } from './callback.js';
import type { Layer } from '../layers/layer.js';

export const NON_FINITE_DIRECTIONS = ['forward', 'backward', 'update'] as const;
export type NonFiniteDirection = (typeof NON_FINITE_DIRECTIONS)[number];

/** Where the first non-finite value appeared. Counts are 1-based, as the progress lines show them. */
export interface NonFiniteEvent {
  /** Optimizer step since the start of training (1 = the first batch of the first epoch). */
  step: number;
  epoch: number;
  /** Batch within the epoch. */
  batch: number;
  /** The layer whose output or gradient was not finite, or 'loss'. */
  layer: string;
  direction: NonFiniteDirection;
  /** What held the value: the layer's activations, the loss, a weight's gradient, or a weight after the update. */
  tensor: 'activation' | 'loss' | 'gradient' | 'weight';
  /** The weight's name for a gradient or an update (`dense_3/kernel`). */
  weight?: string;
  /** The offending value as text ('NaN', 'Infinity' or '-Infinity': JSON has no such numbers). */
  value: string;
  /** One sentence for people. */
  message: string;
}

export interface NonFiniteMonitorOptions {
  /** Stop training at the first non-finite value (default true). */
  stopOnNonFinite?: boolean;
  /** Called once with the event when a non-finite value is found (fit's default monitor prints it). */
  onNonFinite?: (event: NonFiniteEvent) => void;
}

export class NonFiniteMonitor extends Callback {
  static override readonly optionKeys: readonly string[] = keysOf<NonFiniteMonitorOptions>({ stopOnNonFinite: true, onNonFinite: true });
  /** The first non-finite value, or null. */
  stopped: NonFiniteEvent | null = null;
  /** Optimizer steps seen since training began. */
  step = 0;
  protected epoch = 0;
  protected batch = 0;
  protected readonly stopOnNonFinite: boolean;
  protected readonly onNonFinite: ((event: NonFiniteEvent) => void) | undefined;

  /** @throws ValueError for an unknown option key. */
  constructor(options: NonFiniteMonitorOptions = {}) {
    super(options);
    this.stopOnNonFinite = options.stopOnNonFinite ?? true;
    this.onNonFinite = options.onNonFinite;
  }

  override onTrainBegin(): void {
    this.step = 0;
    this.stopped = null;
  }

  override onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  override onGradients(info: StepInfo): void {
    this.step++;
    this.batch = info.batch;
    if (this.stopped !== null) return;
    this.findNonFinite(
      info,
      (layer) => layer.lastOutput === null || kernels.firstNonFinite(layer.lastOutput.data) < 0,
      (i) => { const g = info.grads[i]; return g === null || kernels.firstNonFinite(g) < 0; },
    );
  }

  /**
   * Looks for the first non-finite value of a step: forward (outputs in order, then loss), then
   * backward (gradients from the last weight to the first). `outputFinite` and `gradientFinite`
   * say whether a layer's output and the i-th gradient are finite (a subclass that already summed
   * them passes what it knows).
   */
  protected findNonFinite(info: StepInfo, outputFinite: (layer: Layer) => boolean, gradientFinite: (i: number) => boolean): void {
    for (const layer of info.layers) {
      if (layer.lastOutput === null || outputFinite(layer)) continue;
      const data = layer.lastOutput.data;
      this.report({ layer: layer.name, direction: 'forward', tensor: 'activation', value: data[Math.max(kernels.firstNonFinite(data), 0)] });
      return;
    }
    if (!Number.isFinite(info.loss)) {
      this.report({ layer: 'loss', direction: 'forward', tensor: 'loss', value: info.loss });
      return;
    }
    for (let i = info.weights.length - 1; i >= 0; i--) {
      const g = info.grads[i];
      if (g === null || gradientFinite(i)) continue;
      const w = info.weights[i];
      const owner = info.layers.find((l) => l.weights.includes(w));
      this.report({ layer: owner?.name ?? w.name, direction: 'backward', tensor: 'gradient', weight: w.name, value: g[Math.max(kernels.firstNonFinite(g), 0)] });
      return;
    }
  }

  /** Records the event, stops training (stopOnNonFinite) and calls onNonFinite. */
  protected report(found: Pick<NonFiniteEvent, 'layer' | 'direction' | 'tensor' | 'weight'> & { value: number }): void {
    const where = { step: this.step, epoch: this.epoch + 1, batch: this.batch + 1 };
    const what = found.tensor === 'activation' ? `the outputs of layer '${found.layer}' became ${found.value} in the forward pass`
      : found.tensor === 'loss' ? `the loss became ${found.value} (every layer's outputs were finite)`
      : found.tensor === 'gradient' ? `the gradient of '${found.weight}' became ${found.value} in the backward pass`
      : `the optimizer step made '${found.weight}' ${found.value}`;
    const event: NonFiniteEvent = {
      ...where, ...found, value: String(found.value),
      message: `Non-finite value at step ${where.step} (epoch ${where.epoch}, batch ${where.batch}): ${what}.`,
    };
    this.stopped = event;
    if (this.stopOnNonFinite && this.model !== null) this.model.stopTraining = true;
    this.onNonFinite?.(event);
  }
}
