/**
 * LayersModel: what `Sequential` and the functional `Model` share (DESIGN.md: one base): compile, fit,
 * evaluate, predict, weights by position and by name, save, training state, metadata. A subclass
 * says how the layers are connected: `call` (the forward pass), `build`, `built`, `outputShape`,
 * `getConfig` and `summary`. A Sequential is a functional graph with one chain.
 *
 * Shapes: x [batch, ...inputShape] -> [batch, ...outputShape].
 * Reference: Keras 3 keras/src/models/model.py and keras/src/trainers/trainer.py; TF.js `LayersModel`.
 */
import { ShapeError, ValueError, checkOptionKeys, keysOf } from '../core/errors.js';
import { Tensor, type Variable } from '../core/tensor.js';
import { type TensorLike, toTensor } from '../core/tensor_like.js';
import { concat } from '../autodiff/primitives.js';
import { noGrad } from '../autodiff/node.js';
import type { CallOptions, Layer, SymbolicShape } from '../layers/layer.js';
import { CALL_OPTION_KEYS, assignWeights, checkWeightValues, formatSymbolic } from '../layers/layer.js';
import '../layers/registry.js';
import '../optimizers/registry.js';
import { type SerializedObject, serialize } from '../core/serialization.js';
import type { LossConfig, LossFn, LossName } from '../losses/get.js';
import type { Loss } from '../losses/loss.js';
import type { AccuracyKind } from '../metrics/accuracy.js';
import { type CompiledOutput, type LossSpec, type ResolvedOutput, OutputTotals, checkOutputLabels, outputLosses, resolveOutputAccuracy, resolveOutputs } from './model_outputs.js';
import { type ModelData, toTensorList } from './tensor_lists.js';
import { getOptimizer } from '../optimizers/get.js';
import { Initializer } from '../initializers/initializer.js';
import { adviseInitializer } from '../initializers/advisor.js';
import { effectiveActivation } from './effective_activation.js';
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Callback } from '../callbacks/callback.js';
import type { History } from '../callbacks/history.js';
import { rowRange } from './batches.js';
import { checkFiniteData } from './check_finite.js';
import { checkBatchSize, checkSamples } from './input_checks.js';
import { toSampleWeights } from './sample_weights.js';
import { type FitOptions, fitLoop } from './fit.js';
import { type ModelSource, type SaveOptions, describeSource, modelStore } from './model_store.js';
import { type TrainingState, restoreTrainingState } from './training_state.js';
import { ModelLayer } from './model_layer.js';
import type { SymbolicTensor } from '../layers/symbolic_tensor.js';

export interface CompileOptions {
  /**
   * Loss name ('sparse_categorical_crossentropy', ...), `{ name, fromLogits }`, a `Loss` object or a
   * serialized loss. A multi-output model takes one loss for every output, a list (one per output,
   * null for none) or an object keyed by output name (Keras 3).
   */
  loss: LossSpec | readonly (LossSpec | null)[] | Readonly<Record<string, LossSpec | null>>;
  /** Optimizer instance or name ('adam', 'sgd'). */
  optimizer: Optimizer | string;
  /**
   * Metric names; 'accuracy' (or 'acc') resolves as Keras does for the loss. A multi-output model
   * takes one list per output (`[['accuracy'], []]`) or an object keyed by output name (Keras 3).
   */
  metrics?: readonly string[] | readonly (readonly string[])[] | Readonly<Record<string, string | readonly string[]>>;
  /**
   * The factor of each output's loss in the total loss (Keras `loss_weights`): a list (one per output)
   * or an object keyed by output name; default 1 each. Total = sum_i(lossWeights_i * loss_i).
   */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
  /**
   * Warn once per layer whose (activation, kernel initializer) pairing departs from the chapter's
   * table (see `initializers.adviseInitializer`): true (default) writes to console.warn, false
   * silences it, a function receives each message.
   */
  initializerAdvice?: boolean | ((message: string) => void);
}

/** The keys of `CompileOptions`. */
export const COMPILE_OPTION_KEYS = keysOf<CompileOptions>({ loss: true, optimizer: true, metrics: true, lossWeights: true, initializerAdvice: true });

/** Layers already warned about, so advice is given once per layer. */
const advisedLayers = new WeakSet<Layer>();

/**
 * Gives the initializer advice for each layer with an activation and a kernel initializer, against
 * its effective activation (a linear layer's is the one its output reaches through BatchNormalization,
 * Add, Dropout ...; see `effectiveActivation`).
 */
function adviseLayers(layers: readonly Layer[], connections: readonly [number, number][], sink: (message: string) => void): void {
  layers.forEach((layer, index) => {
    const l = layer as Layer & { activation?: unknown; kernelInitializer?: unknown };
    if (advisedLayers.has(layer) || typeof l.activation !== 'string' || !(l.kernelInitializer instanceof Initializer)) return;
    const activation = effectiveActivation(layers, connections, index);
    if (activation === null) return;
    const advice = adviseInitializer(activation, l.kernelInitializer);
    if (advice !== null) {
      advisedLayers.add(layer);
      const via = activation !== l.activation ? `the layer is linear, its output reaches activation '${activation}'; ` : '';
      sink(`${layer.className} "${layer.name}": ${via}${advice.message} (Silence with compile({ initializerAdvice: false }).)`);
    }
  });
}

/** What `compile` resolved. The top-level loss fields are those of the first output with a loss. */
export interface Compiled {
  lossName: LossName;
  loss: LossFn;
  optimizer: Optimizer;
  accuracy: AccuracyKind | null;
  /** The loss as compile received it, in Keras 3's compile_config form: a name or a serialized loss. */
  lossSpec: string | SerializedObject;
  /** The metric names as compile received them (the first output's). */
  metrics: string[];
  /** Each output's loss, weight and metrics (one entry for a one-output model). */
  outputs: CompiledOutput[];
  /** Whether compile received lossWeights (saved in the compile config). */
  hasLossWeights: boolean;
}

/** `compile` resolved for the output shapes: each output's accuracy kind and units. */
export interface ResolvedCompiled extends Compiled {
  resolvedOutputs: ResolvedOutput[];
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

export abstract class LayersModel {
  readonly name: string;
  /** The model's layers, each once (a shared layer too), in Keras's order. */
  abstract readonly layers: Layer[];
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

  /** The shapes the model's inputs take (batch dimension first, null for any size), or null while unknown. */
  inputShapesExpected(): SymbolicShape[] | null {
    return this.builtInputShape === null ? null : [this.builtInputShape];
  }

  /**
   * Checks the sample size of every input array against the model's input shapes before any batch
   * is cut, so an error names the array as given ([200, 20]), not an internal batch of it. Samples of
   * the right size in another layout pass ([n, 784] into a model that takes (None, 28, 28) and starts
   * with Flatten works, as before); the layers judge those.
   * @throws ShapeError naming the input, both shapes and the sample shape expected.
   */
  checkInputShapes(where: string, xs: readonly Tensor[]): void {
    const expected = this.inputShapesExpected();
    if (expected === null || expected.length !== xs.length) return;
    xs.forEach((x, i) => {
      const want = expected[i].slice(1);
      const have = x.shape.slice(1);
      if (want.length === have.length && want.every((d, k) => d === null || d === have[k])) return;
      if (want.some((d) => d === null)) return; // unknown sizes: the layers judge
      const size = want.reduce((a: number, d) => a * (d as number), 1);
      const haveSize = have.reduce((a, d) => a * d, 1);
      if (size === haveSize) return;
      const name = xs.length === 1 ? 'x' : `x['${this.inputNames[i]}']`;
      throw new ShapeError(`${where}: ${name} has shape [${x.shape.join(', ')}], samples of ${haveSize} values ([${have.join(', ')}]); the model takes ${formatSymbolic(expected[i])}, ${size} values per sample. Give samples of shape [${want.join(', ')}].`);
    });
  }

  protected constructor(name: string) {
    this.name = name;
  }

  /** The class as messages name it: 'Sequential' or 'Model'. */
  abstract get typeName(): string;

  /** Whether every layer has its weights. */
  abstract get built(): boolean;

  /** Builds every layer for an input shape (batch dimension null). */
  abstract build(inputShape: SymbolicShape): unknown;

  /** The forward pass (records gradients when weights require them). */
  abstract call(x: Tensor, options?: CallOptions): Tensor;

  /** The output shape (batch dimension null) of the built model. */
  abstract outputShape(): SymbolicShape;

  /** The Keras-style summary table; also printed with `printFn` when given. */
  abstract summary(printFn?: (line: string) => void): string;

  /** The names of the model's inputs (keys of data given by name). A Sequential has one. */
  get inputNames(): string[] {
    return ['input_layer'];
  }

  /** The names of the model's outputs (the layers that compute them, as Keras 3's `output_names`). */
  get outputNames(): string[] {
    return [this.layers.at(-1)?.name ?? this.name];
  }

  /** Every output's shape (batch dimension null). */
  outputShapes(): SymbolicShape[] {
    return [this.outputShape()];
  }

  /**
   * The forward pass on one tensor per input, returning one per output (a one-input, one-output
   * model: `[call(xs[0])]`).
   * @throws ValueError for a wrong number of tensors.
   */
  callAll(xs: readonly Tensor[], options: CallOptions = {}): Tensor[] {
    if (xs.length !== 1) throw new ValueError(`${this.owner} has one input; received ${xs.length} tensors.`);
    return [this.call(xs[0], options)];
  }

  /** The model's config (Keras 3 form, camelCase keys); `serialize(model)` wraps it. */
  abstract getConfig(): Record<string, unknown>;

  /** The one ModelLayer of this model (made on first use). */
  private layerView: ModelLayer | null = null;

  /**
   * This model as a layer of another model (Keras: a model is callable like a layer). One object per
   * model, so calling the model twice shares its weights; its `trainable` freezes the whole model.
   */
  asLayer(): ModelLayer {
    this.layerView ??= new ModelLayer(this);
    return this.layerView;
  }

  /**
   * Calls the model like a layer (Keras `model(x)`): on a SymbolicTensor it records a node in the
   * calling graph (the model becomes one layer of the outer model, see `asLayer`); on a Tensor it
   * computes the output. One input and one output.
   * @throws as `Layer.apply`; ShapeError for an input of another shape.
   */
  apply(x: SymbolicTensor, options?: CallOptions): SymbolicTensor;
  apply(x: Tensor, options?: CallOptions): Tensor;
  apply(x: Tensor | SymbolicTensor, options: CallOptions = {}): Tensor | SymbolicTensor {
    return this.asLayer().apply(x as never, options);
  }

  /** `Sequential "name"` / `Model "name"`, for messages. */
  protected get owner(): string {
    return `${this.typeName} "${this.name}"`;
  }

  /**
   * The model's connections as `[from, to]` indices into `layers`: which layer's output each layer
   * reads. A Sequential is one chain (`[0, 1], [1, 2], ...`); a functional model's skip connections
   * are the pairs whose indices differ by more than 1 (the layers are in topological order).
   */
  connections(): [number, number][] {
    return this.layers.slice(1).map((_, i) => [i, i + 1]);
  }

  /** Number of output units (last dimension of the output). */
  outputUnits(): number {
    return this.outputShape().at(-1) ?? 1;
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

  /**
   * Loads weights saved from a model of the same architecture into this one (Keras `load_weights`):
   * from any model file deepwell reads (deepwell, TF.js, `.keras`, `.h5`), including a Keras 2
   * weights-only `.h5` written by `save_weights`, which holds no model config. Layers with weights
   * are matched in order (Keras 2's `load_weights` without `by_name`), so the names in the file need
   * not equal this model's; each layer's weight count and every shape must agree. Only the weights
   * change: the optimizer state and the training position stay as they are. In a browser the source
   * is a URL or `File`/`Blob` objects, as for `loadModel`.
   * @throws ValueError when the layers with weights, their weight counts or shapes differ (naming the
   *   first difference); DataError for a damaged file; ValueError when no model store is registered.
   */
  async loadWeights(source: ModelSource): Promise<void> {
    const store = modelStore();
    if (store.loadWeights === undefined) throw new ValueError(`${this.typeName}.loadWeights(${describeSource(source)}): this environment's model store cannot load weights into a model.`);
    await store.loadWeights(this, source);
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
        `${this.owner}.setNamedWeights: ${missing.length > 0 ? `missing weights: ${missing.join(', ')}` : 'no missing weights'}; ` +
          `${unexpected.length > 0 ? `unexpected names: ${unexpected.join(', ')}` : 'no unexpected names'}. ` +
          `The model's weights are: ${[...names].join(', ')}. Pass { strict: false } to set only the matching ones.`,
      );
    }
    const given = weights.filter((w) => map.has(w.name));
    const checked = given.map((w, i) => checkWeightValues(`${this.owner}`, w, map.get(w.name), i));
    given.forEach((w, i) => w.data.set(checked[i]));
  }


  /**
   * Sets every weight from arrays in `weights` order (Keras `set_weights`), e.g. parsed from JSON.
   * Every array is checked before any weight is written, so a bad one leaves the model unchanged.
   * @throws ShapeError when the number of arrays or of values in one does not match, naming the weight.
   * @throws ValueError for an entry that is not an array, or a value that is not a finite number
   *   (a string, null, NaN or Infinity), naming the weight and the index.
   */
  setWeights(values: readonly (Tensor | ArrayLike<number>)[]): void {
    assignWeights(`${this.owner}`, this.weights, values);
  }

  countParams(): number {
    return this.layers.reduce((p, l) => p + l.countParams(), 0);
  }

  /**
   * Chooses the loss, optimizer and metrics.
   * @throws ValueError for an unknown option key, loss, optimizer or metric name (with the nearest valid one).
   */
  compile(options: CompileOptions): void {
    checkOptionKeys(`${this.typeName}.compile`, options, COMPILE_OPTION_KEYS);
    const names = this.outputNames;
    const metrics = options.metrics ?? [];
    if (names.length === 1 && !Array.isArray(metrics) && (typeof metrics !== 'object' || metrics === null)) {
      throw new ValueError(`compile: metrics must be an array of metric names (['accuracy']), received ${typeof metrics === 'string' ? `'${metrics}'` : String(metrics)}.`);
    }
    const outputs = resolveOutputs(`${this.typeName}.compile`, names, options.loss, options.lossWeights, metrics);
    const optimizer = getOptimizer(options.optimizer);
    const first = outputs.find((o) => o.loss !== null) as CompiledOutput;
    this.compiled = {
      lossName: first.lossName as LossName, loss: first.loss as LossFn, optimizer, accuracy: first.metrics.length > 0 ? 'categorical_accuracy' : null,
      lossSpec: first.lossSpec as string | SerializedObject, metrics: [...first.metrics], outputs, hasLossWeights: options.lossWeights !== undefined,
    };
    const advice = options.initializerAdvice ?? true;
    if (advice !== false) adviseLayers(this.layers, this.connections(), advice === true ? (m) => console.warn(`deepwell: ${m}`) : advice);
  }

  /** @internal The compiled settings, with accuracy resolved for the output units (each output's last dimension). */
  requireCompiled(outputUnits?: number): ResolvedCompiled {
    if (this.compiled === null) throw new ValueError(`${this.owner} is not compiled; call model.compile({ loss, optimizer }) before fit or evaluate.`);
    const c = this.compiled;
    const units = this.outputShapes().map((s, i) => (i === 0 && outputUnits !== undefined ? outputUnits : s.at(-1) ?? 1));
    const resolvedOutputs = resolveOutputAccuracy(c.outputs, units);
    const first = resolvedOutputs.find((o) => o.loss !== null) as ResolvedOutput;
    return { ...c, accuracy: first.accuracy, resolvedOutputs };
  }

  /**
   * Trains for a number of epochs (see `FitOptions`) and returns the History.
   *
   * x and y may be Tensors, nested arrays of numbers, typed arrays, or `{ data, shape }` (see
   * `TensorLike`); each value is checked once, before the first step.
   * @throws ShapeError when x and y have different numbers of samples; ValueError for bad options
   *   or data of another kind; DataError for a NaN or infinite value, naming its sample and feature.
   */
  async fit(x: ModelData, y: ModelData, options: FitOptions = {}): Promise<History> {
    return fitLoop(this, x, y, options);
  }

  /**
   * Loss and metrics on (x, y), averaged over samples, keyed by Keras names (`{ loss, accuracy }`;
   * a multi-output model adds `<output>_loss` and `<output>_accuracy`).
   * Runs in inference mode and never records gradients. x and y: any `TensorLike`; for several
   * inputs or outputs, a list (model order) or an object keyed by input/output name.
   * @throws ShapeError for different numbers of samples; DataError for a NaN or infinite value (with its sample and feature).
   */
  evaluate(xLike: ModelData, yLike: ModelData, options: EvaluateOptions = {}): Record<string, number> {
    if (typeof options === 'object' && options !== null && Object.hasOwn(options, 'classWeight')) {
      throw new ValueError(`${this.typeName}.evaluate: Keras's evaluate has no classWeight (only fit has); pass sampleWeight with each sample's class weight.`);
    }
    checkOptionKeys(`${this.typeName}.evaluate`, options, EVALUATE_OPTION_KEYS);
    const xs = toTensorList(`${this.typeName}.evaluate`, 'x', xLike, this.inputNames, false);
    const ys = toTensorList(`${this.typeName}.evaluate`, 'y', yLike, this.outputNames, false);
    checkSamples(xs[0], ys[0]);
    const batchSize = checkBatchSize(options.batchSize ?? 32);
    xs.forEach((t, i) => checkFiniteData(`${this.typeName}.evaluate`, xs.length === 1 ? 'x' : `x['${this.inputNames[i]}']`, t));
    ys.forEach((t, i) => checkFiniteData(`${this.typeName}.evaluate`, ys.length === 1 ? 'y' : `y['${this.outputNames[i]}']`, t));
    const w = toSampleWeights(`${this.typeName}.evaluate`, options.sampleWeight, xs[0].shape[0]);
    return this.evaluateChecked(xs, ys, batchSize, w);
  }

  /** @internal `evaluate` on tensors already converted and checked (fit's validation, each epoch): one per input, one per output. */
  evaluateChecked(xs: readonly Tensor[], ys: readonly Tensor[], batchSize: number, sampleWeight?: Tensor): Record<string, number> {
    const n = xs[0].shape[0];
    if (!this.built) this.build([null, ...xs[0].shape.slice(1)]);
    this.checkInputShapes(`${this.typeName}.evaluate`, xs);
    const c = this.requireCompiled();
    checkOutputLabels(c.resolvedOutputs, ys);
    const totals = new OutputTotals(c.resolvedOutputs);
    noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        const xb = xs.map((x) => rowRange(x, start, end));
        const yb = ys.map((y) => rowRange(y, start, end));
        const preds = this.callAll(xb, { training: false });
        const wb = sampleWeight === undefined ? undefined : rowRange(sampleWeight, start, end);
        const { total, values } = outputLosses(c.resolvedOutputs, yb, preds, wb);
        totals.add(end - start, total.data[0], values, null, yb, preds);
      }
    });
    return totals.logs();
  }

  /**
   * Outputs for x, computed in batches in inference mode: a Tensor for a one-output model, a list of
   * Tensors (one per output, in `outputs` order) for a multi-output one, as Keras; TypeScript callers
   * of a multi-output model write `model.predict<Tensor[]>(x)`. x: any `TensorLike`; for several
   * inputs, a list or an object keyed by input name.
   * Shapes: [n, ...input] -> [n, ...output] (each output).
   * @throws DataError for a NaN or infinite input value, naming its sample and feature.
   */
  predict<T extends Tensor | Tensor[] = Tensor>(xLike: ModelData, options: { batchSize?: number } & CallOptions = {}): T {
    checkOptionKeys(`${this.typeName}.predict`, options, PREDICT_OPTION_KEYS);
    const xs = toTensorList(`${this.typeName}.predict`, 'x', xLike, this.inputNames, false);
    const batchSize = checkBatchSize(options.batchSize ?? 32);
    if (options.training !== undefined && typeof options.training !== 'boolean') {
      throw new ValueError(`${this.typeName}.predict: training must be true or false, received ${String(options.training)}.`);
    }
    xs.forEach((t, i) => checkFiniteData(`${this.typeName}.predict`, xs.length === 1 ? 'x' : `x['${this.inputNames[i]}']`, t));
    this.checkInputShapes(`${this.typeName}.predict`, xs);
    const n = xs[0].shape[0];
    const parts: Tensor[][] = [];
    this.withStateRestored(() => noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        parts.push(this.callAll(xs.map((x) => rowRange(x, start, Math.min(n, start + batchSize))), { training: options.training ?? false }));
      }
    }));
    if (parts.length === 0) throw new ShapeError('predict: x has no samples.');
    const outs = parts[0].map((_, k) => (parts.length === 1 ? new Tensor(parts[0][k].data.slice(), parts[0][k].shape) : concat(parts.map((p) => p[k]), 0)));
    return (this.outputNames.length === 1 ? outs[0] : outs) as T;
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


  /** Attaches the model to callbacks (they may set `stopTraining` to end training after the current batch). */
  withCallbacks(callbacks: readonly Callback[]): readonly Callback[] {
    for (const cb of callbacks) cb.setModel(this);
    return callbacks;
  }
}

export { checkBatchSize, checkSamples };
