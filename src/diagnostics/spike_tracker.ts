/**
 * SpikeTracker: finds, per epoch, the training step whose batch loss jumped most above its running
 * average, and records what moved at that step: each layer's kernel gradient norm against its own
 * running average, and how far the batch's inputs lie from 0 (in the units the model sees: after
 * standardization, standard deviations). `explainCollapse` turns it into a sentence.
 *
 * Running averages are exponential moving averages, `ema <- (1 - SPIKE_EMA_WEIGHT) ema + SPIKE_EMA_WEIGHT v`,
 * carried across epochs; a step is compared with the averages *before* it is folded in, and only once
 * SPIKE_WARMUP_STEPS steps have been seen (the first steps of training move a lot by design).
 *
 * The inputs are read from the output of the layer just before the first layer with a kernel (a
 * Flatten layer in the CLI's models); without such a layer, the input statistics are NaN.
 * The untrained network's loss (`LossSpike.startLoss`, the baseline of "worse than before training") is
 * the first step's loss only when the run starts from freshly initialized weights: it is left unknown
 * when the first epoch is not epoch 0 (`fit({ initialEpoch })`, a resumed run), when the model already
 * holds a training position (`trainingState`: trained before, or loaded with one), or when the caller
 * says so (`new SpikeTracker({ untrained: false })`, e.g. for a loaded model).
 * Cost per step: one pass over each kernel gradient and over the input batch; nothing is copied.
 */
import { Callback, type StepInfo } from '../callbacks/callback.js';
import type { Layer } from '../layers/layer.js';
import { sums } from './layer_statistics.js';

/** Weight of the newest step in the running averages (about the last 20 steps count). */
export const SPIKE_EMA_WEIGHT = 0.05;
/** Steps seen before any step is compared with the running averages. */
export const SPIKE_WARMUP_STEPS = 20;
/** |input| beyond this many (standardized) units counts as an outlier. */
export const INPUT_OUTLIER_LIMIT = 10;

/** One layer at the spike step. */
export interface SpikeLayer {
  name: string;
  /** Position among the layers with a kernel, 1 = first. */
  depth: number;
  /** ||dLoss/dkernel|| at the spike step. */
  gradNorm: number;
  /** gradNorm over its running average before the step. */
  ratio: number;
}

/** The largest loss jump of an epoch. */
export interface LossSpike {
  epoch: number;
  /** Batch index within the epoch (0-based). */
  batch: number;
  loss: number;
  /** Running average of the batch loss before this step. */
  baseline: number;
  layers: SpikeLayer[];
  /** max |x| of the step's input batch. */
  inputMaxAbs: number;
  /** Input values of the batch with |x| > INPUT_OUTLIER_LIMIT. */
  inputOutliers: number;
  /** Loss of the first step of training (the untrained network's), for "worse than before training". */
  startLoss?: number;
}

/** Input statistics of one epoch. */
export interface EpochInputStats {
  /** max |x| over the epoch's batches. */
  maxAbs: number;
  /** Share of the input values with |x| > INPUT_OUTLIER_LIMIT. */
  outlierShare: number;
  /** Share of the batches holding at least one such value. */
  batchShare: number;
}

function maxAbsAndOutliers(a: ArrayLike<number>): { maxAbs: number; outliers: number } {
  let maxAbs = 0;
  let outliers = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(a[i]);
    if (v > maxAbs) maxAbs = v;
    if (v > INPUT_OUTLIER_LIMIT) outliers++;
  }
  return { maxAbs, outliers };
}

/** Options of `SpikeTracker`. */
export interface SpikeTrackerOptions {
  /**
   * Whether the model's weights are freshly initialized when `fit` starts (default true). False for a
   * loaded or previously trained model: its first loss is not the untrained network's, so no
   * "above the untrained network's loss" baseline is recorded.
   */
  untrained?: boolean;
}

export class SpikeTracker extends Callback {
  static override readonly optionKeys: readonly string[] = ['untrained'];
  /** `spikes[e]`: the largest loss jump of epoch e (null when no step came after the warm-up). */
  readonly spikes: (LossSpike | null)[] = [];
  /** `inputs[e]`: the input statistics of epoch e. */
  readonly inputs: EpochInputStats[] = [];
  private lossEma = NaN;
  /** Loss of the first finite step seen (the untrained network's); NaN when the run did not start untrained. */
  private startLoss = NaN;
  private gradEma: number[] = [];
  private seen = 0;
  private best: LossSpike | null = null;
  private epochMaxAbs = 0;
  private epochOutliers = 0;
  private epochValues = 0;
  private epochBatches = 0;
  private epochBatchesWithOutliers = 0;
  /** Whether this fit's first step is the untrained network's (see the file comment). */
  private fromScratch: boolean;
  /** Whether an epoch of this fit has begun. */
  private begun = false;

  /** @throws ValueError for an unknown option key. */
  constructor(options: SpikeTrackerOptions = {}) {
    super(options);
    this.fromScratch = options.untrained ?? true;
  }

  override onTrainBegin(): void {
    this.begun = false;
    // A model that already holds a training position was trained before this fit.
    const state = (this.model as { trainingState?: unknown } | null)?.trainingState;
    if (state !== undefined && state !== null) this.fromScratch = false;
  }

  override onEpochBegin(epoch = 0): void {
    // A fit that starts after epoch 0 continues earlier training: its first step is not the untrained network's.
    if (!this.begun && epoch > 0) this.fromScratch = false;
    this.begun = true;
    this.best = null;
    this.epochMaxAbs = 0;
    this.epochOutliers = 0;
    this.epochValues = 0;
    this.epochBatches = 0;
    this.epochBatchesWithOutliers = 0;
  }

  override onGradients(info: StepInfo): void {
    const kernelLayers: { layer: Layer; index: number }[] = [];
    info.weights.forEach((w, i) => {
      const layer = info.layers.find((l) => w.name === `${l.name}/kernel`);
      if (layer !== undefined) kernelLayers.push({ layer, index: i });
    });
    const norms = kernelLayers.map(({ index }) => {
      const g = info.grads[index];
      return g === null ? NaN : Math.sqrt(sums(g).sumSq);
    });
    const firstKernel = kernelLayers.length > 0 ? info.layers.indexOf(kernelLayers[0].layer) : -1;
    const input = firstKernel > 0 ? info.layers[firstKernel - 1].lastOutput : null;
    const stats = input !== null ? maxAbsAndOutliers(input.data) : { maxAbs: NaN, outliers: 0 };
    if (input !== null) {
      this.epochMaxAbs = Math.max(this.epochMaxAbs, stats.maxAbs);
      this.epochOutliers += stats.outliers;
      this.epochValues += input.size;
      this.epochBatches++;
      if (stats.outliers > 0) this.epochBatchesWithOutliers++;
    }
    const loss = info.loss;
    if (this.seen >= SPIKE_WARMUP_STEPS && Number.isFinite(loss) && this.lossEma > 0) {
      const ratio = loss / this.lossEma;
      if (this.best === null || ratio > this.best.loss / this.best.baseline) {
        this.best = {
          epoch: info.epoch, batch: info.batch, loss, baseline: this.lossEma, inputMaxAbs: stats.maxAbs, inputOutliers: stats.outliers, startLoss: this.startLoss,
          layers: kernelLayers.map(({ layer }, i) => ({ name: layer.name, depth: i + 1, gradNorm: norms[i], ratio: norms[i] / this.gradEma[i] })),
        };
      }
    }
    // Fold the step into the running averages (non-finite values would poison them; they stop training anyway).
    if (this.fromScratch && Number.isFinite(loss) && Number.isNaN(this.startLoss)) this.startLoss = loss;
    if (Number.isFinite(loss)) this.lossEma = Number.isNaN(this.lossEma) ? loss : (1 - SPIKE_EMA_WEIGHT) * this.lossEma + SPIKE_EMA_WEIGHT * loss;
    norms.forEach((v, i) => {
      if (!Number.isFinite(v)) return;
      const prev = this.gradEma[i];
      this.gradEma[i] = prev === undefined ? v : (1 - SPIKE_EMA_WEIGHT) * prev + SPIKE_EMA_WEIGHT * v;
    });
    this.seen++;
  }

  override onEpochEnd(): void {
    this.spikes.push(this.best);
    this.inputs.push({
      maxAbs: this.epochBatches > 0 ? this.epochMaxAbs : NaN,
      outlierShare: this.epochValues > 0 ? this.epochOutliers / this.epochValues : NaN,
      batchShare: this.epochBatches > 0 ? this.epochBatchesWithOutliers / this.epochBatches : NaN,
    });
  }
}
