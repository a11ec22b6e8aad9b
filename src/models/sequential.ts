/**
 * Sequential: a linear stack of layers with Keras's compile / fit / evaluate / predict / summary.
 *
 * Shapes: x [batch, ...inputShape] -> [batch, ...outputShape].
 * Reference: Keras 3 keras/src/models/sequential.py and keras/src/trainers/trainer.py.
 */
import { ShapeError, ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { Tensor, type Variable } from '../core/tensor.js';
import { type TensorLike, toTensor } from '../core/tensor_like.js';
import { concat } from '../autodiff/primitives.js';
import { noGrad } from '../autodiff/node.js';
import type { CallOptions, Layer, SymbolicShape } from '../layers/layer.js';
import { CALL_OPTION_KEYS, assignWeights, checkWeightValues, uniqueLayerName } from '../layers/layer.js';
import { InputLayer } from '../layers/input_layer.js';
import '../layers/registry.js';
import '../optimizers/registry.js';
import { type SerializedObject, accepts, deserialize, registerSerializable, serialize } from '../core/serialization.js';
import { getLoss, type LossConfig, type LossFn, type LossName } from '../losses/get.js';
import type { Loss } from '../losses/loss.js';
import { type AccuracyKind, countCorrect, resolveAccuracy } from '../metrics/accuracy.js';
import { checkSparseLabels } from '../losses/losses.js';
import { getOptimizer } from '../optimizers/get.js';
import { Initializer } from '../initializers/initializer.js';
import { adviseInitializer } from '../initializers/advisor.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Callback } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { rowRange } from './batches.js';
import { checkFiniteData } from './check_finite.js';
import { checkBatchSize, checkSamples } from './input_checks.js';
import { toSampleWeights } from './sample_weights.js';
import { type FitOptions, fitLoop } from './fit.js';
import { summaryTable } from './summary.js';
import { type SaveOptions, modelStore } from './model_store.js';
import { type TrainingState, restoreTrainingState } from './training_state.js';

export interface CompileOptions {
  /** Loss name ('sparse_categorical_crossentropy', ...), `{ name, fromLogits }`, a `Loss` object or a serialized loss. */
  loss: string | LossConfig | Loss | { class_name: string; config?: unknown };
  /** Optimizer instance or name ('adam', 'sgd'). */
  optimizer: Optimizer | string;
  /** Metric names; 'accuracy' (or 'acc') resolves as Keras does for the loss. */
  metrics?: readonly string[];
  /**
   * Warn once per layer whose (activation, kernel initializer) pairing departs from the chapter's
   * table (see `initializers.adviseInitializer`): true (default) writes to console.warn, false
   * silences it, a function receives each message.
   */
  initializerAdvice?: boolean | ((message: string) => void);
}

/** The keys of `CompileOptions`. */
export const COMPILE_OPTION_KEYS = keysOf<CompileOptions>({ loss: true, optimizer: true, metrics: true, initializerAdvice: true });

/** Layers already warned about, so advice is given once per layer. */
const advisedLayers = new WeakSet<Layer>();

/** Gives the initializer advice for each layer with an activation and a kernel initializer. */
function adviseLayers(layers: readonly Layer[], sink: (message: string) => void): void {
  for (const layer of layers) {
    const l = layer as Layer & { activation?: unknown; kernelInitializer?: unknown };
    if (advisedLayers.has(layer) || typeof l.activation !== 'string' || !(l.kernelInitializer instanceof Initializer)) continue;
    const advice = adviseInitializer(l.activation, l.kernelInitializer);
    if (advice !== null) {
      advisedLayers.add(layer);
      sink(`${layer.className} "${layer.name}": ${advice.message} (Silence with compile({ initializerAdvice: false }).)`);
    }
  }
}

/** What `compile` resolved. */
export interface Compiled {
  lossName: LossName;
  loss: LossFn;
  optimizer: Optimizer;
  accuracy: AccuracyKind | null;
  /** The loss as compile received it, in Keras 3's compile_config form: a name or a serialized loss. */
  lossSpec: string | SerializedObject;
  /** The metric names as compile received them. */
  metrics: string[];
}

export interface EvaluateOptions {
  /** Samples per batch, default 32. */
  batchSize?: number;
  /**
   * One loss weight per sample ([n]), Keras's `sample_weight`: the loss is sum(loss_i * w_i) / n
   * (not divided by the sum of the weights). Accuracy is not weighted. Keras's `evaluate` has no
   * `class_weight`, and neither has this one: turn class weights into sample weights.
   */
  sampleWeight?: TensorLike;
}

/** The keys of `EvaluateOptions`. */
export const EVALUATE_OPTION_KEYS = keysOf<EvaluateOptions>({ batchSize: true, sampleWeight: true });
/** The keys of `predict`'s options: its batch size and `CallOptions`. */
const PREDICT_OPTION_KEYS = ['batchSize', ...CALL_OPTION_KEYS];

/** Options of the Sequential constructor. */
export interface SequentialOptions {
  /** Model name; auto-numbered when omitted (`sequential`, `sequential_1`, ...). */
  name?: string;
}

/** The keys of `SequentialOptions`. */
export const SEQUENTIAL_OPTION_KEYS = keysOf<SequentialOptions>({ name: true });

export class Sequential {
  /** The registered class name (Keras's `class_name: 'Sequential'`, module 'keras'). */
  static readonly className = 'Sequential';
  readonly name: string;
  readonly layers: Layer[] = [];
  compiled: Compiled | null = null;
  /** Set by a callback to stop `fit` after the current batch. */
  stopTraining = false;
  /**
   * Where the last `fit` stood after its last completed epoch (see `TrainingState`); saved with the
   * model and restored on load, so `fit({ initialEpoch })` resumes bit for bit. Null before training.
   */
  trainingState: TrainingState | null = null;
  /**
   * Free-form JSON data saved and loaded with the model (deepwell's format and `.keras` metadata):
   * the CLI records its training settings here, so `deepwell train --resume` and `deepwell evaluate`
   * prepare data as the training did.
   */
  metadata: Record<string, unknown> = {};
  /** @internal Set by a callback's onTrainBegin (BackupAndRestore) to the epoch `fit` should start from. */
  resumeEpoch: number | null = null;
  /** The input shape (batch dimension null) the model was built for. */
  builtInputShape: SymbolicShape | null = null;
  /** The name of the InputLayer that `getConfig` writes (kept from a loaded config; default 'input_layer', as Keras 3). */
  inputLayerName = 'input_layer';

  /** @throws ValueError for an unknown option key (with the nearest valid one) or a duplicate layer name. */
  constructor(layers: readonly Layer[] = [], options: SequentialOptions = {}) {
    checkOptionKeys('Sequential', options, SEQUENTIAL_OPTION_KEYS);
    this.name = options.name ?? uniqueLayerName('Sequential');
    for (const l of layers) this.add(l);
  }

  /** Appends a layer; builds the model when the first layer declares its `inputShape`. */
  add(layer: Layer): void {
    if (this.layers.some((l) => l.name === layer.name)) {
      throw new ValueError(`Sequential "${this.name}": a layer named "${layer.name}" is already in the model; layer names must be unique.`);
    }
    this.layers.push(layer);
    const first = this.layers[0].inputShape;
    if (first !== undefined) this.build([null, ...first]);
  }

  /** Builds every layer for an input shape (batch dimension null) and returns the output shapes. */
  build(inputShape: SymbolicShape): SymbolicShape[] {
    this.builtInputShape = inputShape;
    const shapes: SymbolicShape[] = [];
    let s = inputShape;
    for (const l of this.layers) {
      if (!l.built) l.build(s);
      s = l.computeOutputShape(s);
      shapes.push(s);
    }
    return shapes;
  }

  get built(): boolean {
    return this.layers.length > 0 && this.layers.every((l) => l.built);
  }

  /** The forward pass (records gradients when weights require them). */
  call(x: Tensor, options: CallOptions = {}): Tensor {
    checkOptionKeys('Sequential.call', options, CALL_OPTION_KEYS);
    let y = x;
    for (const l of this.layers) y = l.apply(y, options);
    return y;
  }

  /**
   * Restores a saved `TrainingState` (each dropout layer's random stream now, the shuffler's when
   * `fit({ initialEpoch: state.epoch })` starts).
   * @throws ValueError when the state does not fit the model's layers (see `restoreTrainingState`).
   */
  setTrainingState(state: TrainingState): void {
    this.trainingState = restoreTrainingState(this.layers, state);
  }

  /**
   * Saves the model (Keras `model.save`): config, weights, compile configuration, and by default the
   * optimizer state and training position. The format follows the path (`.keras`, `.h5`, `model.json`
   * or a folder for TF.js with `format: 'tfjs'`, else deepwell's: a folder holding `model.safetensors`,
   * or a `.safetensors` file). The write is atomic: a process killed mid-save leaves the previous file.
   * @throws ValueError for a layer the format cannot hold; errors of the file system as they come.
   */
  async save(path: string, options: SaveOptions = {}): Promise<void> {
    await modelStore().save(this, path, options);
  }

  /** The compiled optimizer (Keras `model.optimizer`); undefined before compile. */
  get optimizer(): Optimizer | undefined {
    return this.compiled?.optimizer;
  }

  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  /**
   * Copies of every weight's values, in `weights` order (Keras `get_weights`): plain arrays, so
   * `JSON.stringify(model.getWeights())` exports them.
   */
  getWeights(): number[][] {
    return this.weights.map((w) => Array.from(w.data));
  }

  /**
   * Copies of every weight's values keyed by weight name (`dense_1/kernel`), layers in model order and
   * each layer's weights in creation order (`layer.variables`).
   */
  getNamedWeights(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const l of this.layers) for (const w of l.variables) out.set(w.name, new Tensor(w.data.slice(), [...w.shape]));
    return out;
  }

  /**
   * Sets weights by name (`dense_1/kernel`) from Tensors or arrays of numbers. Every entry is checked
   * before any weight is written.
   * @param options.strict - when true (default), every weight of the model must be given and every
   *   given name must be a weight of the model.
   * @throws ValueError listing the missing and the unexpected names (strict), or for bad values;
   *   ShapeError for a wrong shape or value count.
   */
  setNamedWeights(values: Map<string, Tensor | ArrayLike<number>> | Record<string, Tensor | ArrayLike<number>>, options: { strict?: boolean } = {}): void {
    const map = values instanceof Map ? values : new Map(Object.entries(values));
    const weights = this.layers.flatMap((l) => l.variables);
    const names = new Set(weights.map((w) => w.name));
    const missing = weights.filter((w) => !map.has(w.name)).map((w) => w.name);
    const unexpected = [...map.keys()].filter((n) => !names.has(n));
    if ((options.strict ?? true) && (missing.length > 0 || unexpected.length > 0)) {
      throw new ValueError(
        `Sequential "${this.name}".setNamedWeights: ${missing.length > 0 ? `missing weights: ${missing.join(', ')}` : 'no missing weights'}; ` +
          `${unexpected.length > 0 ? `unexpected names: ${unexpected.join(', ')}` : 'no unexpected names'}. ` +
          `The model's weights are: ${[...names].join(', ')}. Pass { strict: false } to set only the matching ones.`,
      );
    }
    const given = weights.filter((w) => map.has(w.name));
    const checked = given.map((w, i) => checkWeightValues(`Sequential "${this.name}"`, w, map.get(w.name), i));
    given.forEach((w, i) => w.data.set(checked[i]));
  }

  /**
   * Keras 3's model config: `{ name, trainable, dtype, layers, buildInputShape }` with an InputLayer
   * first when the input shape is known (the first layer's `inputShape` moves into it), each layer in
   * its Keras 3 serialized form with its `build_config`, as Keras 3.3 writes them. `serialize(model)` wraps it as `{ module: 'keras', class_name: 'Sequential', ... }`.
   */
  getConfig(): Record<string, unknown> {
    const inputShape = this.builtInputShape?.slice(1) ?? this.layers[0]?.inputShape;
    const layers: SerializedObject[] = [];
    if (inputShape !== undefined && inputShape.every((d) => d !== null)) {
      layers.push(serialize(new InputLayer({ batchShape: [null, ...(inputShape as number[])], name: this.inputLayerName })));
    }
    // Keras 3 writes each built layer's input shape as its build_config.
    const shapes = this.built && this.builtInputShape !== null ? [this.builtInputShape, ...this.build(this.builtInputShape)] : null;
    this.layers.forEach((l, i) => {
      const s = serialize(l);
      delete (s.config as Record<string, unknown>).input_shape;
      if (shapes !== null) s.build_config = { input_shape: [...shapes[i]] };
      layers.push(s);
    });
    const config: Record<string, unknown> = { name: this.name, trainable: true, dtype: 'float32', layers };
    if (this.builtInputShape !== null) config.buildInputShape = [...this.builtInputShape];
    return config;
  }

  /** Builds from Keras's `build_config` (`{ input_shape: [null, ...] }`) unless already built (Keras `build_from_config`). */
  buildFromConfig(config: Record<string, unknown>): void {
    const shape = config.input_shape ?? config.inputShape;
    if (this.built || !Array.isArray(shape)) return;
    if (shape.slice(1).some((d) => !Number.isInteger(d) || (d as number) <= 0)) {
      throw new ValueError(`Sequential "${this.name}": build_config input_shape ${JSON.stringify(shape)} must be [null, d1, ...] with positive integer dims.`);
    }
    this.build(shape as (number | null)[]);
  }

  /** Keras's `build_config`: `{ inputShape: [null, ...] }` once built, else null. */
  getBuildConfig(): Record<string, unknown> | null {
    return this.builtInputShape === null ? null : { inputShape: [...this.builtInputShape] };
  }

  /**
   * A model from its config: Keras 3 / Keras 2 / TF.js `{ name, layers }` (an InputLayer or the first
   * layer's `batch_input_shape` gives the input shape) or the legacy Keras <= 2.1 list of layers.
   * Layer names are kept as written.
   * @throws ValueError for an unknown layer class (naming it), Lambda, or a bad layer config.
   */
  static fromConfig(config: Record<string, unknown> | unknown[]): Sequential {
    const record = Array.isArray(config) ? { layers: config } : config;
    checkOptionKeys('Sequential config', record, ['name', 'layers', 'trainable', 'dtype', 'buildInputShape']);
    if (!accepts.float32(record.dtype)) throw new ValueError(`Sequential config: dtype ${JSON.stringify(record.dtype)} is not supported; deepwell models compute in float32.`);
    const specs = record.layers;
    if (!Array.isArray(specs)) throw new ValueError(`Sequential config: 'layers' is ${typeof specs}; expected an array of serialized layers.`);
    let input: InputLayer | undefined;
    const layers: Layer[] = [];
    for (const spec of specs) {
      const layer = deserialize<Layer>(spec, 'layers');
      if (layer instanceof InputLayer && layers.length === 0 && input === undefined) input = layer;
      else if (layer instanceof InputLayer) throw new ValueError(`Sequential config: InputLayer "${layer.name}" must come first (and once).`);
      else layers.push(layer);
    }
    const model = new Sequential(layers, record.name === undefined ? {} : { name: record.name as string });
    const inputShape = input?.inputShape;
    if (input !== undefined) model.inputLayerName = input.name;
    if (record.trainable === false) for (const l of model.layers) l.trainable = false;
    if (!model.built && inputShape !== undefined) model.build([null, ...inputShape]);
    if (!model.built && Array.isArray(record.buildInputShape)) model.buildFromConfig({ input_shape: record.buildInputShape });
    return model;
  }

  /**
   * Sets every weight from arrays in `weights` order (Keras `set_weights`), e.g. parsed from JSON.
   * Every array is checked before any weight is written, so a bad one leaves the model unchanged.
   * @throws ShapeError when the number of arrays or of values in one does not match, naming the weight.
   * @throws ValueError for an entry that is not an array, or a value that is not a finite number
   *   (a string, null, NaN or Infinity), naming the weight and the index.
   */
  setWeights(values: readonly (Tensor | ArrayLike<number>)[]): void {
    assignWeights(`Sequential "${this.name}"`, this.weights, values);
  }

  countParams(): number {
    return this.layers.reduce((p, l) => p + l.countParams(), 0);
  }

  /**
   * Chooses the loss, optimizer and metrics.
   * @throws ValueError for an unknown option key, loss, optimizer or metric name (with the nearest valid one).
   */
  compile(options: CompileOptions): void {
    checkOptionKeys('Sequential.compile', options, COMPILE_OPTION_KEYS);
    const { name, fn, loss } = getLoss(options.loss);
    const lossSpec = typeof options.loss === 'string' ? name : serialize(loss);
    const optimizer = getOptimizer(options.optimizer);
    const metrics = options.metrics ?? [];
    if (!Array.isArray(metrics)) {
      throw new ValueError(`compile: metrics must be an array of metric names (['accuracy']), received ${typeof metrics === 'string' ? `'${metrics}'` : String(metrics)}.`);
    }
    for (const m of metrics) {
      if (m !== 'accuracy' && m !== 'acc') throw new ValueError(`Unknown metric '${m}'; expected 'accuracy'.`);
    }
    this.compiled = { lossName: name, loss: fn, optimizer, accuracy: metrics.length > 0 ? 'categorical_accuracy' : null, lossSpec, metrics: [...metrics] };
    const advice = options.initializerAdvice ?? true;
    if (advice !== false) adviseLayers(this.layers, advice === true ? (m) => console.warn(`deepwell: ${m}`) : advice);
  }

  /** @internal The compiled settings, with accuracy resolved for the output units. */
  requireCompiled(outputUnits: number): Compiled {
    if (this.compiled === null) throw new ValueError(`Sequential "${this.name}" is not compiled; call model.compile({ loss, optimizer }) before fit or evaluate.`);
    const c = this.compiled;
    return { ...c, accuracy: c.accuracy === null ? null : resolveAccuracy(c.lossName, outputUnits) };
  }

  /**
   * Trains for a number of epochs (see `FitOptions`) and returns the History.
   *
   * x and y may be Tensors, nested arrays of numbers, typed arrays, or `{ data, shape }` (see
   * `TensorLike`); each value is checked once, before the first step.
   * @throws ShapeError when x and y have different numbers of samples; ValueError for bad options
   *   or data of another kind; DataError for a NaN or infinite value, naming its sample and feature.
   */
  async fit(x: TensorLike, y: TensorLike, options: FitOptions = {}): Promise<History> {
    return fitLoop(this, x, y, options);
  }

  /**
   * Loss and metrics on (x, y), averaged over samples, keyed by Keras names (`{ loss, accuracy }`).
   * Runs in inference mode and never records gradients. x and y: any `TensorLike`.
   * @throws ShapeError for different numbers of samples; DataError for a NaN or infinite value (with its sample and feature).
   */
  evaluate(xLike: TensorLike, yLike: TensorLike, options: EvaluateOptions = {}): Record<string, number> {
    if (typeof options === 'object' && options !== null && Object.hasOwn(options, 'classWeight')) {
      throw new ValueError('Sequential.evaluate: Keras\'s evaluate has no classWeight (only fit has); pass sampleWeight with each sample\'s class weight.');
    }
    checkOptionKeys('Sequential.evaluate', options, EVALUATE_OPTION_KEYS);
    const x = toTensor('Sequential.evaluate', 'x', xLike);
    const y = toTensor('Sequential.evaluate', 'y', yLike);
    checkSamples(x, y);
    const batchSize = checkBatchSize(options.batchSize ?? 32);
    checkFiniteData('Sequential.evaluate', 'x', x);
    checkFiniteData('Sequential.evaluate', 'y', y);
    const w = toSampleWeights('Sequential.evaluate', options.sampleWeight, x.shape[0]);
    return this.evaluateChecked(x, y, batchSize, w);
  }

  /** @internal `evaluate` on tensors already converted and checked (fit's validation, each epoch). */
  evaluateChecked(x: Tensor, y: Tensor, batchSize: number, sampleWeight?: Tensor): Record<string, number> {
    const n = x.shape[0];
    if (!this.built) this.build([null, ...x.shape.slice(1)]);
    const c = this.requireCompiled(this.outputUnits());
    if (c.lossName === 'sparse_categorical_crossentropy') checkSparseLabels(y.data, this.outputUnits());
    let lossSum = 0;
    let correct = 0;
    noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        const xb = rowRange(x, start, end);
        const yb = rowRange(y, start, end);
        const pred = this.call(xb, { training: false });
        const wb = sampleWeight === undefined ? undefined : rowRange(sampleWeight, start, end);
        lossSum += c.loss(yb, pred, wb).data[0] * (end - start);
        if (c.accuracy !== null) correct += countCorrect(c.accuracy, yb, pred);
      }
    });
    const logs: Record<string, number> = { loss: lossSum / Math.max(n, 1) };
    if (c.accuracy !== null) logs.accuracy = correct / Math.max(n, 1);
    return logs;
  }

  /**
   * Outputs for x (any `TensorLike`), computed in batches in inference mode. Shapes: [n, ...input] -> [n, ...output].
   * @throws DataError for a NaN or infinite input value, naming its sample and feature.
   */
  predict(xLike: TensorLike, options: { batchSize?: number } & CallOptions = {}): Tensor {
    checkOptionKeys('Sequential.predict', options, PREDICT_OPTION_KEYS);
    const x = toTensor('Sequential.predict', 'x', xLike);
    const batchSize = checkBatchSize(options.batchSize ?? 32);
    if (options.training !== undefined && typeof options.training !== 'boolean') {
      throw new ValueError(`Sequential.predict: training must be true or false, received ${String(options.training)}.`);
    }
    checkFiniteData('Sequential.predict', 'x', x);
    const n = x.shape[0];
    const parts: Tensor[] = [];
    this.withStateRestored(() => noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        parts.push(this.call(rowRange(x, start, Math.min(n, start + batchSize)), { training: options.training ?? false }));
      }
    }));
    if (parts.length === 0) throw new ShapeError('predict: x has no samples.');
    return parts.length === 1 ? new Tensor(parts[0].data.slice(), parts[0].shape) : concat(parts, 0);
  }

  /**
   * Runs `fn` and then puts every non-trainable weight back as it was, so a forward pass in
   * training mode outside `fit` (predict with `training: true`, MC dropout, diagnostics) never
   * moves batch-normalization statistics.
   */
  withStateRestored<T>(fn: () => T): T {
    const saved = this.nonTrainableWeights.map((w) => [w, w.data.slice()] as const);
    try {
      return fn();
    } finally {
      for (const [w, values] of saved) w.data.set(values);
    }
  }

  /** The Keras-style summary table; also printed with `printFn` when given. */
  summary(printFn?: (line: string) => void): string {
    if (!this.built) {
      throw new ValueError(`Sequential "${this.name}" is not built yet: give the first layer an inputShape, or call build() or fit() first.`);
    }
    if (printFn !== undefined && typeof printFn !== 'function') {
      throw new ValueError(`Sequential.summary: printFn must be a function (line) => void, such as console.log, received ${typeof printFn}.`);
    }
    const text = summaryTable(this.name, this.layers, this.build(this.builtInputShape ?? [null]));
    printFn?.(text);
    return text;
  }

  /** Number of output units (last dimension of the output). */
  outputUnits(): number {
    const shapes = this.build(this.builtInputShape ?? [null]);
    return shapes[shapes.length - 1]?.at(-1) ?? 1;
  }

  /** Attaches the model to callbacks (they may set `stopTraining` to end training after the current batch). */
  withCallbacks(callbacks: readonly Callback[]): readonly Callback[] {
    for (const cb of callbacks) cb.setModel(this);
    return callbacks;
  }
}

registerSerializable(Sequential, { kind: 'models', package: 'keras', module: 'keras' });
