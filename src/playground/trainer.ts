/**
 * The playground's training state, run inside the Web Worker (worker.ts): the data, the model built
 * from the settings, one training step at a time, and the snapshot the page draws (curves, per-layer
 * statistics against depth with the theory at initialization, activation and weight histograms,
 * the verdict of `deepwell diagnose`, the decision boundary). Uses deepwell like any user would.
 */
import {
  type LayersModel, Rng, Sequential, Tensor, activations, backward, clearSession, datasets, diagnostics, fitStandardizer, grad,
  initializers, layers, ops, optimizers, setSeed, type Standardizer,
} from 'deepwell';
import { PAGE_PHRASING, SCALING_NAMES, type Settings, resolveScaling } from './settings.js';

/** Samples of each toy set (train), and of its held-out set. */
const TOY_TRAIN = 400;
const TOY_TEST = 400;
/** Rows and columns of the decision-boundary grid. */
export const GRID = 40;
/** Bins of the activation and weight histograms. */
const BINS = 30;
/** Samples of the batch the diagnosis measures (as `deepwell diagnose --batch-size 256`). */
const DIAGNOSE_BATCH = 256;

export interface Dataset {
  name: string;
  classes: number;
  /** Inputs before standardization (the 2-D coordinates for the toy sets, pixels in [0, 1] for MNIST). */
  xTrainRaw: Tensor;
  yTrain: Tensor;
  xTestRaw: Tensor;
  yTest: Tensor;
}

/** The toy sets: train and held-out drawn with different seeds. */
export function toyDataset(s: Settings): Dataset {
  const name = s.dataset as 'spiral';
  const classes = s.dataset === 'spiral' || s.dataset === 'gaussians' ? 3 : 2;
  const train = datasets.toy2d(name, { samples: TOY_TRAIN, noise: s.noise, classes, seed: s.seed });
  const test = datasets.toy2d(name, { samples: TOY_TEST, noise: s.noise, classes, seed: s.seed + 1 });
  return { name, classes, xTrainRaw: train.x, yTrain: train.y, xTestRaw: test.x, yTest: test.y };
}

/**
 * MNIST from the bytes the playground server sends (/mnist.bin): uint32 LE count n, n test-split
 * start, then n 28x28 uint8 images, then n uint8 labels.
 */
export function mnistDataset(bytes: ArrayBuffer): Dataset {
  const head = new DataView(bytes);
  const n = head.getUint32(0, true);
  const split = head.getUint32(4, true);
  const pixels = new Uint8Array(bytes, 8, n * 784);
  const labels = new Uint8Array(bytes, 8 + n * 784, n);
  const x = (from: number, to: number): Tensor => new Tensor(Float32Array.from(pixels.subarray(from * 784, to * 784), (p) => p / 255), [to - from, 784]);
  const y = (from: number, to: number): Tensor => new Tensor(Float32Array.from(labels.subarray(from, to)), [to - from]);
  return { name: 'mnist', classes: 10, xTrainRaw: x(0, split), yTrain: y(0, split), xTestRaw: x(split, n), yTest: y(split, n) };
}

/** The optimizer of the settings: learning rate or schedule, and clipping. */
function makeOptimizer(s: Settings): optimizers.Optimizer {
  const lr = s.learningRate;
  const { schedules } = optimizers;
  const learningRate = s.schedule === 'exponential_decay' ? new schedules.ExponentialDecay({ initialLearningRate: lr, decaySteps: 500, decayRate: 0.5 })
    : s.schedule === 'cosine_decay' ? new schedules.CosineDecay({ initialLearningRate: lr, decaySteps: 2000 })
      : s.schedule === 'inverse_time_decay' ? new schedules.InverseTimeDecay({ initialLearningRate: lr, decaySteps: 100, decayRate: 0.5 })
        : lr;
  const clip = s.clipping === 'clip_value' ? { clipValue: s.clipThreshold } : s.clipping === 'clip_norm' ? { clipNorm: s.clipThreshold }
    : s.clipping === 'global_clip_norm' ? { globalClipNorm: s.clipThreshold } : {};
  return optimizers.getOptimizer(s.optimizer, { learningRate, ...clip });
}

/** Input -> (Dense(units, activation, initializer) [BN] [Dropout]) x depth -> Dense(classes, softmax), as `deepwell diagnose` builds it. */
export function buildModel(s: Settings, inputDim: number, classes: number): Sequential {
  // Each network of the page is named as in a fresh Keras session: dense, dense_1, ... (not dense_14 after a few rebuilds).
  clearSession();
  setSeed(s.seed);
  const hidden = [];
  for (let i = 0; i < s.depth; i++) {
    hidden.push(new layers.Dense(s.units, { activation: s.activation, kernelInitializer: s.initializer, ...(i === 0 ? { inputShape: [inputDim] } : {}) }));
    if (s.batchNorm) hidden.push(new layers.BatchNormalization());
    if (s.dropout > 0) hidden.push(s.activation === 'selu' ? new layers.AlphaDropout(s.dropout) : new layers.Dropout(s.dropout));
  }
  const model = new Sequential([...hidden, new layers.Dense(classes, { activation: 'softmax' })]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: makeOptimizer(s), metrics: ['accuracy'] });
  return model;
}

/** A shape as the messages print it: `[null, 784]`. */
const shapeText = (shape: readonly (number | null)[]): string => `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;

/**
 * Whether a model (an opened file) fits a data set: its inputs hold as many values per sample as the
 * data has features (a [28, 28] input takes the 784 pixels, reshaped) and its last layer has one unit
 * per class. Returns the per-sample input shape to feed it, or the message naming both shapes and
 * what to do.
 */
export function modelFit(model: LayersModel, data: Dataset): { inputShape: number[] } | { message: string } {
  const features = data.xTrainRaw.shape[1];
  const inShape = model.builtInputShape;
  const outShape = model.outputShape();
  const what = `The model "${model.name}" takes inputs of shape ${inShape === null ? 'unknown' : shapeText(inShape)} and outputs ${shapeText(outShape)}`;
  const data1 = `the ${data.name} data has ${features} features per sample (inputs [${data.xTrainRaw.shape[0]}, ${features}]) and ${data.classes} classes`;
  const perSample = inShape?.slice(1) ?? [];
  if (inShape === null || perSample.some((d) => d === null) || perSample.reduce((a: number, d) => a * (d as number), 1) !== features) {
    return { message: `${what}, but ${data1}. Choose the Data the model was trained on (mnist has 784 features, the toy sets 2), or open a model whose input has ${features} values per sample.` };
  }
  if (outShape.length !== 2 || outShape[1] !== data.classes) {
    return { message: `${what}, but ${data1}: its last layer needs ${data.classes} units (one per class; it has ${outShape.at(-1) ?? 'none'}). Choose a data set with ${outShape.at(-1)} classes, or open a model with ${data.classes} outputs.` };
  }
  return { inputShape: perSample as number[] };
}

/** A density curve: points (x, density). */
type Curve = { x: number; density: number }[];

const normalPdf = (x: number, mean: number, std: number): number => Math.exp(-0.5 * ((x - mean) / std) ** 2) / (std * Math.sqrt(2 * Math.PI));
/** P(|Z| < 2) for a standard normal: the mass a 2-sigma truncated normal renormalizes by. */
const MASS_WITHIN_2_SIGMA = 0.9544997361036416;

/**
 * The theoretical density of the weights an initializer draws for a kernel shape, over [lo, hi], or
 * null for a point mass (zeros, ones, constant, identity). PyTorch-style and orthogonal
 * initializers are drawn as a uniform or normal of the kernel's measured second moment at initialization.
 */
export function initializerDensity(init: initializers.Initializer, shape: readonly number[], measuredSecondMoment: number, lo: number, hi: number): Curve | null {
  let pdf: ((w: number) => number) | null = null;
  const uniform = (a: number, b: number) => (w: number) => (w >= a && w <= b ? 1 / (b - a) : 0);
  const truncated = (mean: number, std: number) => (w: number) => (Math.abs(w - mean) <= 2 * std ? normalPdf(w, mean, std) / MASS_WITHIN_2_SIGMA : 0);
  if (init instanceof initializers.VarianceScaling) {
    const d = init.describe(shape);
    if (d.limit !== undefined) pdf = uniform(-d.limit, d.limit);
    else if (d.bound !== undefined) pdf = truncated(0, d.samplingStddev ?? d.stddev);
    else pdf = (w) => normalPdf(w, 0, d.samplingStddev ?? d.stddev);
  } else if (init instanceof initializers.RandomNormal) {
    pdf = (w) => normalPdf(w, init.mean, init.stddev);
  } else if (init instanceof initializers.TruncatedNormal) {
    pdf = truncated(init.mean, init.stddev);
  } else if (init instanceof initializers.RandomUniform) {
    pdf = uniform(init.minval, init.maxval);
  } else if (measuredSecondMoment > 0 && !/zeros|ones|constant|identity/i.test(init.getClassName())) {
    const std = Math.sqrt(measuredSecondMoment);
    const limit = Math.sqrt(3) * std;
    pdf = /uniform/i.test(init.getClassName()) ? uniform(-limit, limit) : (w) => normalPdf(w, 0, std);
  }
  if (pdf === null) return null;
  const points = 120;
  return Array.from({ length: points + 1 }, (_, i) => {
    const x = lo + ((hi - lo) * i) / points;
    return { x, density: pdf(x) };
  });
}

/** Histogram of `values` over [lo, hi] in BINS bins, as densities (area 1) or as fractions. */
function histogram(values: ArrayLike<number>, lo: number, hi: number, as: 'density' | 'fraction'): { x0: number; x1: number; value: number }[] {
  const width = (hi - lo) / BINS || 1;
  const counts = new Float64Array(BINS);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / width)))]++;
    n++;
  }
  return Array.from(counts, (c, i) => ({ x0: lo + i * width, x1: lo + (i + 1) * width, value: n === 0 ? 0 : as === 'density' ? c / (n * width) : c / n }));
}

function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : [-1, 1];
}

export interface LayerPoint {
  depth: number;
  name: string;
  activationStd: number;
  gradientStd: number;
  activationStdInit: number;
  gradientStdInit: number;
  /** sqrt(E[a^2]) measured and predicted by the theory at initialization (theory.ts, chained from the input). */
  activationRmsInit: number;
  theoryRmsInit: number;
  /** sqrt(E[g^2]) of dLoss/da predicted at initialization, back from the last hidden layer's measured value. */
  theoryGradientRmsInit: number;
  saturatedFraction: number;
  deadFraction: number;
}

export interface Snapshot {
  step: number;
  epoch: number;
  /** Loss and batch accuracy of the steps since the last snapshot (averaged), and the held-out accuracy now. */
  curve: { step: number; loss: number; accuracy: number; testAccuracy: number };
  testAccuracy: number;
  loss: number;
  layers: LayerPoint[];
  activationHistograms: { depth: number; x0: number; x1: number; value: number }[];
  weightHistograms: { depth: number; x0: number; x1: number; value: number }[];
  weightTheory: { depth: number; x: number; density: number }[];
  verdict: { kind: string; cause: string; fix: string; layers: string[] };
  /** Decision boundary over the toy set's plane: predicted class and its probability per grid cell; null for MNIST. */
  boundary: { x: number; y: number; cls: number; p: number }[] | null;
  points: { x: number; y: number; cls: number }[] | null;
  params: number;
  /** The input scaling in use, in the page's words ("pixels / 255" or "standardized"). */
  scaling: string;
}

export class Trainer {
  readonly model: LayersModel;
  /** The model's input shape per sample ([features] for the page's networks; an opened model's may be [28, 28]). */
  private readonly inputShape: number[];
  step = 0;
  epoch = 0;
  /** What the model is fed: the standardizer fitted on the training inputs, or the data as stored (pixels / 255). */
  private readonly scale: (x: Tensor) => Tensor;
  /** The scaling in use (settings.scaling resolved for the page's network or the opened model). */
  readonly scaling: 'pixels_255' | 'standardized';
  private readonly xTrain: Tensor;
  private readonly xTest: Tensor;
  private readonly order: Uint32Array;
  private cursor = 0;
  private readonly rng: Rng;
  private readonly xBatch: Tensor;
  private readonly yBatch: Tensor;
  private readonly diagX: Tensor;
  private readonly diagY: Tensor;
  private init: ReturnType<typeof diagnostics.diagnoseModel> | null = null;
  private theoryRms: number[] = [];
  private theoryGradientRms: number[] = [];
  private initSecondMoments: number[] = [];
  private pending = { loss: 0, correct: 0, seen: 0, steps: 0 };

  /**
   * The page's network built from the settings, or `opened` (a model file the user opened, which must
   * fit the data: see modelFit). An opened model trained with another loss than the page's sparse
   * crossentropy, or not compiled, is compiled with the settings' optimizer.
   * @throws Error with modelFit's message when the opened model does not fit the data.
   */
  constructor(readonly settings: Settings, readonly data: Dataset, opened?: LayersModel) {
    this.scaling = resolveScaling(settings.scaling, opened !== undefined);
    const standardizer: Standardizer | null = this.scaling === 'standardized' ? fitStandardizer(data.xTrainRaw) : null;
    this.scale = (x) => standardizer?.apply(x) ?? x;
    this.xTrain = this.scale(data.xTrainRaw);
    this.xTest = this.scale(data.xTestRaw);
    const [n, features] = this.xTrain.shape;
    if (opened === undefined) {
      this.model = buildModel(settings, features, data.classes);
      this.inputShape = [features];
    } else {
      const fit = modelFit(opened, data);
      if ('message' in fit) throw new Error(fit.message);
      if (opened.compiled?.lossName !== 'sparse_categorical_crossentropy') {
        opened.compile({ loss: 'sparse_categorical_crossentropy', optimizer: makeOptimizer(settings), metrics: ['accuracy'] });
      }
      this.model = opened;
      this.inputShape = fit.inputShape;
    }
    this.xTest = this.xTest.reshape([this.xTest.shape[0], ...this.inputShape]);
    this.order = Uint32Array.from({ length: n }, (_, i) => i);
    this.rng = new Rng(settings.seed).derive('playground/shuffle');
    this.rng.shuffle(this.order);
    const b = Math.min(settings.batchSize, n);
    this.xBatch = new Tensor(new Float32Array(b * features), [b, ...this.inputShape]);
    this.yBatch = new Tensor(new Float32Array(b), [b]);
    const d = Math.min(DIAGNOSE_BATCH, n);
    this.diagX = new Tensor(this.xTrain.data.slice(0, d * features), [d, ...this.inputShape]);
    this.diagY = new Tensor(data.yTrain.data.slice(0, d), [d]);
  }

  /** The Dense layers (hidden, then output). */
  private denseLayers(): layers.Dense[] {
    return this.model.layers.filter((l): l is layers.Dense => l instanceof layers.Dense);
  }

  /** One SGD step on the next batch (reshuffled each epoch), as `fit` does. */
  trainStep(): void {
    const [n, features] = this.xTrain.shape;
    const b = this.xBatch.shape[0];
    const xb = this.xBatch.data as Float32Array;
    const yb = this.yBatch.data as Float32Array;
    for (let i = 0; i < b; i++) {
      if (this.cursor === n) {
        this.cursor = 0;
        this.epoch++;
        this.rng.shuffle(this.order);
      }
      const row = this.order[this.cursor++];
      xb.set(this.xTrain.data.subarray(row * features, (row + 1) * features) as Float32Array, i * features);
      yb[i] = this.data.yTrain.data[row];
    }
    const compiled = this.model.compiled!;
    const pred = this.model.call(this.xBatch, { training: true });
    const loss = compiled.loss(this.yBatch, pred);
    const weights = this.model.trainableWeights;
    const grads = backward(loss, weights);
    compiled.optimizer.applyGradients(grads, weights);
    for (const l of this.model.layers) l.applyConstraints();
    this.pending.loss += loss.data[0];
    this.pending.correct += countCorrect(pred, yb);
    this.pending.seen += b;
    this.pending.steps++;
    this.step++;
  }

  /** Accuracy of the model on a set (inference mode). */
  accuracy(x: Tensor, y: Tensor): number {
    const pred = this.model.predict(x);
    return countCorrect(pred, y.data) / y.shape[0];
  }

  /** The measurements the page draws. */
  snapshot(): Snapshot {
    const diag = diagnostics.diagnoseModel(this.model, this.diagX, this.diagY, { fixPhrasing: PAGE_PHRASING });
    const dense = this.denseLayers();
    // The variance theory is drawn for chains of Dense layers (the page's networks; an opened model may have others).
    const denseOnly = dense.length === diag.layers.length;
    if (this.init === null) {
      this.init = diag;
      this.initSecondMoments = dense.map((l) => secondMoment(l.kernel!.data));
      // The theory's E[a^2] at each depth, chained from the input's second moment (theory.ts).
      let q = diag.layers[0]?.inputSecondMoment ?? 1;
      this.theoryRms = !denseOnly ? [] : dense.map((l, i) => {
        const wm = diagnostics.weightSecondMoment(l.kernelInitializer, l.kernel!.shape) ?? this.initSecondMoments[i];
        const bias = l.bias === null ? 0 : secondMoment(l.bias.data);
        q *= diagnostics.theoryVarianceRatio({ activation: l.activation, kernelShape: l.kernel!.shape, weightSecondMoment: wm, biasSecondMoment: bias, inputSecondMoment: q });
        return Math.sqrt(q);
      });
      this.theoryGradientRms = denseOnly ? backwardTheory(dense, diag.layers, this.initSecondMoments) : [];
    }
    const init = this.init;
    const hidden = diag.layers.slice(0, -1);
    const layerPoints: LayerPoint[] = hidden.map((l, i) => ({
      depth: l.depth, name: l.name, activationStd: l.activationStd, gradientStd: l.gradientStd,
      activationStdInit: init.layers[i].activationStd, gradientStdInit: init.layers[i].gradientStd,
      activationRmsInit: Math.sqrt(init.layers[i].outputSecondMoment), theoryRmsInit: this.theoryRms[i] ?? NaN,
      theoryGradientRmsInit: this.theoryGradientRms[i] ?? NaN,
      saturatedFraction: l.saturatedFraction, deadFraction: l.deadFraction,
    }));
    // Activation histograms of the hidden layers on the diagnosis batch (their last outputs).
    const outputs = dense.slice(0, -1).map((l) => l.lastOutput?.data ?? new Float32Array(0));
    let [lo, hi] = outputs.reduce<[number, number]>((acc, o) => { const [a, b] = extent(o); return [Math.min(acc[0], a), Math.max(acc[1], b)]; }, [Infinity, -Infinity]);
    if (!(hi > lo)) [lo, hi] = [lo - 1, lo + 1];
    const activationHistograms = outputs.flatMap((o, i) => histogram(o, lo, hi, 'fraction').map((h) => ({ depth: i + 1, ...h })));
    const weightHistograms: Snapshot['weightHistograms'] = [];
    const weightTheory: Snapshot['weightTheory'] = [];
    dense.forEach((l, i) => {
      const w = l.kernel!.data;
      let [a, b] = extent(w);
      const spread = Math.max(Math.abs(a), Math.abs(b)) * 1.1 || 1;
      [a, b] = [-spread, spread];
      for (const h of histogram(w, a, b, 'density')) weightHistograms.push({ depth: i + 1, ...h });
      for (const p of initializerDensity(l.kernelInitializer, l.kernel!.shape, this.initSecondMoments[i], a, b) ?? []) weightTheory.push({ depth: i + 1, ...p });
    });
    const testAccuracy = this.accuracy(this.xTest, this.data.yTest);
    const p = this.pending;
    const loss = p.steps > 0 ? p.loss / p.steps : diag.loss;
    const curve = { step: this.step, loss, accuracy: p.seen > 0 ? p.correct / p.seen : testAccuracy, testAccuracy };
    this.pending = { loss: 0, correct: 0, seen: 0, steps: 0 };
    const { boundary, points } = this.data.name === 'mnist' ? { boundary: null, points: null } : this.boundary();
    return {
      step: this.step, epoch: this.epoch, curve, testAccuracy, loss, layers: layerPoints, activationHistograms, weightHistograms, weightTheory,
      verdict: { kind: diag.verdict.kind, cause: diag.verdict.cause, fix: diag.verdict.fix, layers: diag.verdict.layers },
      boundary, points, params: this.model.countParams(), scaling: SCALING_NAMES[this.scaling],
    };
  }

  /** Predicted class and probability over a GRID x GRID grid covering the data, and the training points. */
  private boundary(): { boundary: Snapshot['boundary']; points: Snapshot['points'] } {
    const raw = this.data.xTrainRaw.data;
    const [x0, x1] = extent(raw.filter((_, i) => i % 2 === 0));
    const [y0, y1] = extent(raw.filter((_, i) => i % 2 === 1));
    const pad = 0.1;
    const gx = (i: number) => x0 - pad + ((x1 - x0 + 2 * pad) * (i + 0.5)) / GRID;
    const gy = (j: number) => y0 - pad + ((y1 - y0 + 2 * pad) * (j + 0.5)) / GRID;
    const grid = new Float32Array(GRID * GRID * 2);
    for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) {
      grid[2 * (j * GRID + i)] = gx(i);
      grid[2 * (j * GRID + i) + 1] = gy(j);
    }
    const pred = this.model.predict(this.scale(new Tensor(grid, [GRID * GRID, 2])).reshape([GRID * GRID, ...this.inputShape]));
    const k = this.data.classes;
    const boundary = [];
    for (let c = 0; c < GRID * GRID; c++) {
      let best = 0;
      for (let j = 1; j < k; j++) if (pred.data[c * k + j] > pred.data[c * k + best]) best = j;
      boundary.push({ x: grid[2 * c], y: grid[2 * c + 1], cls: best, p: pred.data[c * k + best] });
    }
    const points = Array.from({ length: this.data.yTrain.shape[0] }, (_, i) => ({ x: raw[2 * i], y: raw[2 * i + 1], cls: this.data.yTrain.data[i] }));
    return { boundary, points };
  }

}

/** Points of the quadrature of E[f'(z)^2] over +-QUADRATURE_SIGMAS standard deviations. */
const QUADRATURE_POINTS = 801;
const QUADRATURE_SIGMAS = 8;

/**
 * E[f'(z)^2] for z ~ N(0, variance): f' by deepwell's autodiff on a grid (d/dz sum f(z) = f'(z)
 * elementwise), integrated against the normal density with the trapezoidal rule.
 */
export function derivativeSecondMoment(activation: string, variance: number): number {
  const sd = Math.sqrt(Math.max(variance, 1e-12));
  const z = new Float32Array(QUADRATURE_POINTS);
  const h = (2 * QUADRATURE_SIGMAS * sd) / (QUADRATURE_POINTS - 1);
  for (let i = 0; i < QUADRATURE_POINTS; i++) z[i] = -QUADRATURE_SIGMAS * sd + i * h;
  const [d] = grad((x) => ops.sum(activations.activate(activation as activations.ActivationName, x)))(new Tensor(z, [QUADRATURE_POINTS]));
  let s = 0;
  for (let i = 0; i < QUADRATURE_POINTS; i++) {
    const w = i === 0 || i === QUADRATURE_POINTS - 1 ? 0.5 : 1;
    s += w * d.data[i] ** 2 * normalPdf(z[i], 0, sd);
  }
  return s * h;
}

/**
 * The backward half of the variance theory at initialization (Glorot & Bengio 2010, eq. 5-6; He et
 * al. 2015, eq. 13): for g_l = dLoss/da_l and z_{l+1} = a_l W_{l+1} + b,
 * E[g_l^2] = units_{l+1} E[W_{l+1}^2] E[f'(z_{l+1})^2] E[g_{l+1}^2], with E[z^2] = fanIn E[W^2] E[a^2] + E[b^2]
 * from the measured inputs. Anchored at the last hidden layer's measured gradient; batch
 * normalization and dropout are not modelled. Returns sqrt(E[g^2]) per hidden layer.
 */
function backwardTheory(dense: readonly layers.Dense[], measured: readonly diagnostics.LayerDiagnosis[], kernelMoments: readonly number[]): number[] {
  const hidden = measured.length - 1;
  const out = new Array<number>(hidden).fill(NaN);
  if (hidden < 1) return out;
  let q = measured[hidden - 1].gradientStd ** 2;
  out[hidden - 1] = Math.sqrt(q);
  for (let l = hidden - 2; l >= 0; l--) {
    const next = dense[l + 1];
    const kernel = next.kernel!;
    const wm = diagnostics.weightSecondMoment(next.kernelInitializer, kernel.shape) ?? kernelMoments[l + 1];
    const bias = next.bias === null ? 0 : secondMoment(next.bias.data);
    const zVariance = kernel.shape[0] * wm * measured[l + 1].inputSecondMoment + bias;
    q *= kernel.shape[1] * wm * derivativeSecondMoment(next.activation, zVariance);
    out[l] = Math.sqrt(q);
  }
  return out;
}

function secondMoment(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return v.length === 0 ? 0 : s / v.length;
}

/** Samples whose arg-max probability is the label. */
function countCorrect(pred: Tensor, labels: ArrayLike<number>): number {
  const k = pred.shape[1];
  let correct = 0;
  for (let i = 0; i < pred.shape[0]; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (pred.data[i * k + j] > pred.data[i * k + best]) best = j;
    if (best === labels[i]) correct++;
  }
  return correct;
}
