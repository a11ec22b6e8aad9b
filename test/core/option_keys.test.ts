// Unknown option keys are errors, not silent defaults (a user trial: in plain JavaScript
// `new SGD({ clipnorm: 1 })` trained without clipping, `{ from_logits: true }` gave fromLogits false,
// `kernel_initializer` left GlorotUniform in place). Keras raises a TypeError for an unknown keyword
// argument; deepwell raises a ValueError that names the owner, the key, the valid keys and the nearest
// one, mapping Keras's snake_case to camelCase for the suggestion. The table-driven tests construct
// every exported class of each family from its index, so a new class is covered without editing them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Sequential,
  ValueError,
  activations,
  callbacks,
  cloneModel,
  constraints,
  diagnostics,
  initializers,
  layers,
  losses,
  mcPredict,
  ops,
  optimizers,
  regularizers,
  tensor,
} from '../../src/index.js';
import { checkOptionKeys, keysOf, nearestOptionKey } from '../../src/core/errors.js';

type AnyClass = { new (...args: never[]): unknown; readonly name: string; readonly className?: string; fromConfig?: (c: Record<string, unknown>) => unknown };

/** Asserts that `fn` throws a ValueError whose message matches every pattern. */
function throwsValueError(fn: () => unknown, ...patterns: RegExp[]): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ValueError, `expected a ValueError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

/** Asserts that `fn` throws a ValueError about the unknown key 'bogusKey', naming `owner`. */
function rejectsBogusKey(owner: string, fn: () => unknown): void {
  throwsValueError(fn, new RegExp(`${owner}[^:]*: unknown option 'bogusKey'`), /valid options are|takes no options/);
}

/** The classes among a module's exports that extend `base` (not `base` itself). */
function subclassesIn(module: Record<string, unknown>, base: abstract new (...args: never[]) => unknown): AnyClass[] {
  return Object.values(module).filter((v): v is AnyClass => typeof v === 'function' && v.prototype instanceof base);
}

/** Tiny data: 4 samples of 3 features, labels of 2 classes. */
function data(): { x: ReturnType<typeof tensor>; y: ReturnType<typeof tensor> } {
  return { x: tensor([[0, 1, 2], [1, 0, 1], [2, 2, 0], [0, 0, 1]]), y: tensor([0, 1, 1, 0]) };
}

function compiledModel(): Sequential {
  const m = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', initializerAdvice: false });
  return m;
}

// ---------------------------------------------------------------------------------------------
// The helper

test('checkOptionKeys: message names the owner, the key, the valid keys and the nearest one', () => {
  throwsValueError(
    () => checkOptionKeys('SGD', { clipnorm: 1 }, ['learningRate', 'clipNorm']),
    /^SGD: unknown option 'clipnorm'; valid options are 'learningRate', 'clipNorm'\. Did you mean 'clipNorm'\?$/,
  );
  // Several unknown keys: the first is named with its suggestion, the others listed.
  throwsValueError(() => checkOptionKeys('X', { a: 1, b: 2, c: 3 }, ['a']), /unknown option 'b' \(also unknown: 'c'\)/);
  // An owner without options says so.
  throwsValueError(() => checkOptionKeys('Zeros', { value: 1 }, []), /^Zeros: unknown option 'value'; Zeros takes no options\.$/);
  // No suggestion when nothing is close.
  throwsValueError(() => checkOptionKeys('X', { zzzzzzzz: 1 }, ['alpha']), /valid options are 'alpha'\.$/);
});

test('checkOptionKeys: undefined and valid keys pass; null, arrays and non-objects are rejected', () => {
  checkOptionKeys('X', undefined, ['a']);
  checkOptionKeys('X', {}, []);
  checkOptionKeys('X', { a: undefined }, ['a']);
  throwsValueError(() => checkOptionKeys('X', null as never, ['a']), /X: expected an options object .*received null/);
  throwsValueError(() => checkOptionKeys('X', [1] as never, ['a']), /received an array/);
  throwsValueError(() => checkOptionKeys('X', 'relu' as never, ['a']), /received string relu/);
});

test('nearestOptionKey maps snake_case to camelCase and ignores case', () => {
  assert.equal(nearestOptionKey('from_logits', ['name', 'fromLogits']), 'fromLogits');
  assert.equal(nearestOptionKey('kernel_initializer', ['activation', 'kernelInitializer', 'biasInitializer']), 'kernelInitializer');
  assert.equal(nearestOptionKey('clipnorm', ['clipValue', 'clipNorm', 'globalClipNorm']), 'clipNorm');
  assert.equal(nearestOptionKey('global_clipnorm', ['clipValue', 'clipNorm', 'globalClipNorm']), 'globalClipNorm');
  assert.equal(nearestOptionKey('restore_best_weights', ['patience', 'restoreBestWeights']), 'restoreBestWeights');
  assert.equal(nearestOptionKey('seeed', ['seed', 'inputAxes', 'outputAxes']), 'seed');
  assert.equal(nearestOptionKey('validation_splt', ['validationSplit', 'validationData']), 'validationSplit');
  assert.equal(nearestOptionKey('qwertyuiop', ['seed']), undefined);
});

test('keysOf lists the keys of an options type in order; a missing or extra key does not compile', () => {
  assert.deepEqual(keysOf<{ rate?: number; seed?: number | null }>({ rate: true, seed: true }), ['rate', 'seed']);
  // @ts-expect-error a key of the type is missing from the list
  keysOf<{ rate?: number; seed?: number }>({ rate: true });
  // @ts-expect-error a key that the type does not have
  keysOf<{ rate?: number }>({ rate: true, sed: true });
});

// ---------------------------------------------------------------------------------------------
// The user trial's examples

test("new HeNormal({ seeed: 1 }) suggests 'seed'; new HeNormal({ scale: 3 }) says a preset fixes scale", () => {
  throwsValueError(() => new initializers.HeNormal({ seeed: 1 } as never), /HeNormal: unknown option 'seeed'/, /Did you mean 'seed'\?/);
  throwsValueError(
    () => new initializers.HeNormal({ scale: 3 } as never),
    /HeNormal: unknown option 'scale'/,
    /valid options are 'seed', 'inputAxes', 'outputAxes'/,
    /VarianceScaling/,
  );
  for (const key of ['mode', 'distribution']) {
    throwsValueError(() => new initializers.GlorotUniform({ [key]: 'uniform' } as never), new RegExp(`GlorotUniform: unknown option '${key}'`));
  }
  // The keys it does take still work, and VarianceScaling itself takes scale.
  assert.equal(new initializers.HeNormal({ seed: 1, inputAxes: [0], outputAxes: [1] }).seed, 1);
  assert.equal(new initializers.VarianceScaling({ scale: 3 }).scale, 3);
});

test("new Dense(3, { kernel_initializer: 'zeros' }) suggests 'kernelInitializer'", () => {
  throwsValueError(
    () => new layers.Dense(3, { kernel_initializer: 'zeros' } as never),
    /Dense: unknown option 'kernel_initializer'/,
    /'activation', 'useBias', 'kernelInitializer'/,
    /Did you mean 'kernelInitializer'\?/,
  );
  throwsValueError(() => new layers.Dense(3, { use_bias: false } as never), /Did you mean 'useBias'\?/);
  throwsValueError(() => new layers.Dense(3, { input_shape: [4] } as never), /Did you mean 'inputShape'\?/);
  throwsValueError(() => new layers.Dense(3, { activaton: 'relu' } as never), /Did you mean 'activation'\?/);
});

test("new SGD({ clipnorm: 1 }) suggests 'clipNorm' (it used to train without clipping)", () => {
  throwsValueError(() => new optimizers.SGD({ clipnorm: 1 } as never), /SGD: unknown option 'clipnorm'/, /Did you mean 'clipNorm'\?/);
  throwsValueError(() => new optimizers.SGD({ momentun: 0.9 } as never), /Did you mean 'momentum'\?/);
  throwsValueError(() => new optimizers.Adam({ beta_1: 0.9 } as never), /Did you mean 'beta1'\?/);
  throwsValueError(() => new optimizers.AdamW({ weight_decay: 0.1 } as never), /AdamW: unknown option 'weight_decay'/, /Did you mean 'weightDecay'\?/);
  throwsValueError(() => new optimizers.RMSprop({ learning_rate: 0.1 } as never), /Did you mean 'learningRate'\?/);
  throwsValueError(() => optimizers.getOptimizer('sgd', { clipnorm: 1 } as never), /SGD: unknown option 'clipnorm'/);
  assert.equal(new optimizers.SGD({ clipNorm: 1 }).clipNorm, 1);
});

test("compile({ loss: { name, from_logits: true } }) suggests 'fromLogits' (it used to be silently false)", () => {
  const m = new Sequential([new layers.Dense(2, { inputShape: [3] })]);
  throwsValueError(
    () => m.compile({ loss: { name: 'sparse_categorical_crossentropy', from_logits: true } as never, optimizer: 'sgd' }),
    /loss: unknown option 'from_logits'; valid options are 'name', 'fromLogits'\. Did you mean 'fromLogits'\?/,
  );
  throwsValueError(() => losses.getLoss({ name: 'binary_crossentropy', fromLogit: true } as never), /Did you mean 'fromLogits'\?/);
  throwsValueError(
    () => m.compile({ loss: 'mse', optimizer: 'sgd', metric: ['accuracy'] } as never),
    /Sequential\.compile: unknown option 'metric'/,
    /'loss', 'optimizer', 'metrics', 'lossWeights', 'initializerAdvice'/,
    /Did you mean 'metrics'\?/,
  );
  throwsValueError(() => m.compile({ loss: 'mse', optimizer: 'sgd', initializer_advice: false } as never), /Did you mean 'initializerAdvice'\?/);
  assert.equal(m.compiled, null); // nothing was half-applied
});

test("fit, evaluate, predict and mcPredict reject misspelt options (batch_size -> 'batchSize')", async () => {
  const { x, y } = data();
  const m = compiledModel();
  await assert.rejects(m.fit(x, y, { batch_size: 2 } as never), (e: unknown) => e instanceof ValueError && /Sequential\.fit: unknown option 'batch_size'/.test(e.message) && /Did you mean 'batchSize'\?/.test(e.message));
  await assert.rejects(m.fit(x, y, { epoch: 2 } as never), /Did you mean 'epochs'\?/);
  await assert.rejects(m.fit(x, y, { validation_split: 0.25 } as never), /Did you mean 'validationSplit'\?/);
  await assert.rejects(m.fit(x, y, { validation_data: [x, y] } as never), /Did you mean 'validationData'\?/);
  await assert.rejects(m.fit(x, y, { callback: [] } as never), /Did you mean 'callbacks'\?/);
  throwsValueError(() => m.evaluate(x, y, { batch_size: 2 } as never), /Sequential\.evaluate: unknown option 'batch_size'/, /Did you mean 'batchSize'\?/);
  throwsValueError(() => m.predict(x, { batch_size: 2 } as never), /Sequential\.predict: unknown option 'batch_size'/, /Did you mean 'batchSize'\?/);
  throwsValueError(() => m.predict(x, { trainig: true } as never), /Did you mean 'training'\?/);
  throwsValueError(() => m.call(x, { trainig: true } as never), /Sequential\.call: unknown option 'trainig'/);
  throwsValueError(() => m.layers[0].apply(x, { trainig: true } as never), /Layer\.apply: unknown option 'trainig'/, /Did you mean 'training'\?/);
  throwsValueError(() => mcPredict(m, x, { sample: 10 } as never), /mcPredict: unknown option 'sample'/, /Did you mean 'samples'\?/);
  throwsValueError(() => new Sequential([], { nmae: 'x' } as never), /Sequential: unknown option 'nmae'/, /Did you mean 'name'\?/);
  throwsValueError(() => cloneModel(m, { nmae: 'x' } as never), /cloneModel: unknown option 'nmae'/);
  throwsValueError(() => diagnostics.diagnoseModel(m, x, y, { trainng: false } as never), /diagnoseModel: unknown option 'trainng'/);
  // The valid spellings still work.
  const h = await m.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false, seed: 1, validationSplit: 0.25, callbacks: [] });
  assert.equal(h.epoch.length, 1);
  assert.equal(m.predict(x, { batchSize: 2, training: false }).shape[0], 4);
  assert.equal(mcPredict(m, x, { samples: 2, batchSize: 2 }).mean.shape[0], 4);
});

test('functions with options: losses, gelu, batchNorm, computeFans, clipGradients', () => {
  const p = tensor([[0.2], [0.7]]);
  const t = tensor([[0], [1]]);
  throwsValueError(() => losses.binaryCrossentropy(t, p, { from_logits: true } as never), /binaryCrossentropy: unknown option 'from_logits'/, /Did you mean 'fromLogits'\?/);
  throwsValueError(() => losses.categoricalCrossentropy(t, p, { fromlogits: true } as never), /Did you mean 'fromLogits'\?/);
  throwsValueError(() => losses.sparseCategoricalCrossentropy(tensor([0, 0]), p, { logits: true } as never), /sparseCategoricalCrossentropy: unknown option 'logits'/);
  throwsValueError(() => activations.gelu(p, { approximated: true } as never), /gelu: unknown option 'approximated'/, /Did you mean 'approximate'\?/);
  throwsValueError(() => ops.batchNorm(p, null, null, { eps: 1e-3 } as never), /batchNorm: unknown option 'eps'/);
  throwsValueError(() => initializers.computeFans([2, 3], { input_axes: [0], outputAxes: [1] } as never), /computeFans: unknown option 'input_axes'/, /Did you mean 'inputAxes'\?/);
  throwsValueError(() => optimizers.clipGradients([new Float64Array([3, 4])], { clipnorm: 1 } as never), /clipGradients: unknown option 'clipnorm'/, /Did you mean 'clipNorm'\?/);
  // An optimizer carries the clip fields among others and is read as is.
  assert.deepEqual(Array.from(optimizers.clipGradients([new Float64Array([3, 4])], new optimizers.SGD({ clipNorm: 1 }))[0] as Float64Array), [0.6, 0.8]);
});

test('schedules, callbacks, regularizers and constraints suggest the camelCase key', () => {
  throwsValueError(
    () => new optimizers.schedules.ExponentialDecay({ initial_learning_rate: 0.1, decaySteps: 10, decayRate: 0.9 } as never),
    /ExponentialDecay: unknown option 'initial_learning_rate'/,
    /Did you mean 'initialLearningRate'\?/,
  );
  throwsValueError(() => new callbacks.EarlyStopping({ patients: 3 } as never), /EarlyStopping: unknown option 'patients'/, /Did you mean 'patience'\?/);
  throwsValueError(() => new callbacks.EarlyStopping({ restore_best_weights: true } as never), /Did you mean 'restoreBestWeights'\?/);
  throwsValueError(() => new callbacks.ReduceLROnPlateau({ min_lr: 1e-5 } as never), /Did you mean 'minLr'\?/);
  throwsValueError(() => new callbacks.TerminateOnNaN({ raise_error: true } as never), /Did you mean 'raiseError'\?/);
  throwsValueError(() => new diagnostics.GradientMonitor({ stop_on_non_finite: false } as never), /Did you mean 'stopOnNonFinite'\?/);
  throwsValueError(() => new regularizers.L2({ l1: 0.1 } as never), /L2: unknown option 'l1'; valid options are 'l2'/);
  throwsValueError(() => new regularizers.L1L2({ L1: 0.1 } as never), /Did you mean 'l1'\?/);
  throwsValueError(() => new constraints.MaxNorm({ max_value: 2 } as never), /MaxNorm: unknown option 'max_value'/, /Did you mean 'maxValue'\?/);
  throwsValueError(() => new constraints.NonNeg({ axis: 0 } as never), /NonNeg: unknown option 'axis'; NonNeg takes no options/);
});

test('serialized identifiers: an option beside config instead of inside it is an error, not lost', () => {
  throwsValueError(() => initializers.get({ class_name: 'HeNormal', seed: 1 } as never), /Initializer HeNormal \(options go inside config\): unknown option 'seed'/);
  throwsValueError(() => regularizers.get({ class_name: 'L2', l2: 0.1 } as never), /Regularizer L2 \(options go inside config\): unknown option 'l2'/);
  throwsValueError(() => constraints.get({ class_name: 'MaxNorm', max_value: 3 } as never), /Constraint MaxNorm \(options go inside config\): unknown option 'max_value'/);
  throwsValueError(() => new layers.Dense(2, { kernelInitializer: { class_name: 'HeNormal', seed: 1 } }), /options go inside config/);
  // The Keras 3 and TF.js forms still load.
  assert.equal(initializers.get({ module: 'keras.initializers', class_name: 'HeNormal', config: { seed: 1 }, registered_name: null }).getClassName(), 'HeNormal');
  assert.equal(regularizers.get({ className: 'L2', config: { l2: 0.1 } })?.getConfig().l2, 0.1);
  assert.equal(constraints.get({ class_name: 'MaxNorm', config: { max_value: 3, axis: 0 } })?.getConfig().maxValue, 3);
});

test('dropout: a rate given twice, or options given twice, is rejected', () => {
  throwsValueError(() => new layers.Dropout(0.5, { rate: 0.3 } as never), /Dropout: rate given twice/);
  throwsValueError(() => new layers.AlphaDropout({ rate: 0.5 }, { seed: 1 }), /AlphaDropout: options given twice/);
  assert.equal(new layers.Dropout(0.5, { seed: 1 }).seed, 1);
  throwsValueError(() => new layers.Dropout(0.5, { sed: 1 } as never), /Dropout: unknown option 'sed'/, /Did you mean 'seed'\?/);
});

test('fromConfig round trips keep working for the layers whose first argument is positional', () => {
  const dense = new layers.Dense(3, { activation: 'relu', useBias: false, name: 'round_trip_dense' });
  assert.deepEqual(layers.Dense.fromConfig(dense.getConfig()).getConfig(), dense.getConfig());
  const act = new layers.Activation('tanh', { name: 'round_trip_act' });
  assert.deepEqual(layers.Activation.fromConfig(act.getConfig()).getConfig(), act.getConfig());
  const drop = new layers.Dropout(0.25, { seed: 3, name: 'round_trip_drop' });
  assert.deepEqual(layers.Dropout.fromConfig(drop.getConfig()).getConfig(), drop.getConfig());
  // An unknown key in a config is rejected on the way in too.
  rejectsBogusKey('Dense', () => layers.Dense.fromConfig({ ...dense.getConfig(), bogusKey: 1 }));
  rejectsBogusKey('Activation', () => layers.Activation.fromConfig({ ...act.getConfig(), bogusKey: 1 }));
});

// ---------------------------------------------------------------------------------------------
// Every class of every family, from the indexes

/** Layers whose options object is the second argument, after a required positional one. */
const LAYER_POSITIONAL: Record<string, (options: object) => unknown> = {
  Dense: (o) => new layers.Dense(2, o),
  Activation: (o) => new layers.Activation('relu', o),
  Conv1D: (o) => new layers.Conv1D(2, 3, o),
  Conv2D: (o) => new layers.Conv2D(2, 3, o),
  DepthwiseConv2D: (o) => new layers.DepthwiseConv2D(3, o),
  Reshape: (o) => new layers.Reshape([4], o),
};

test('every exported layer class rejects { bogusKey: 1 }, constructed and through layerFromConfig', () => {
  const classes = subclassesIn(layers, layers.Layer);
  assert.ok(classes.length >= 11, `found ${classes.map((c) => c.name).join(', ')}`);
  for (const cls of classes) {
    const name = cls.className as string;
    const make = LAYER_POSITIONAL[name] ?? ((o: object) => new (cls as unknown as new (o: object) => unknown)(o));
    rejectsBogusKey(name, () => make({ bogusKey: 1 }));
    rejectsBogusKey(name, () => layers.layerFromConfig({ className: name, config: { bogusKey: 1 } }));
    // Its declared keys are all accepted as keys (values aside): the list is not too short.
    assert.ok((cls as unknown as typeof layers.Layer).optionKeys.includes('name'), name);
  }
});

/** Exported initializer classes that take no options object, or cannot be constructed (abstract). */
const INITIALIZERS_WITHOUT_OPTIONS: Record<string, string> = {
  RandomInitializer: 'abstract base',
  VarianceScalingPreset: 'abstract base (its six presets are tested)',
  PytorchInitializer: 'abstract base (its four classes are tested)',
  FunctionInitializer: 'wraps a function, its only argument',
};

test('every exported initializer class rejects { bogusKey: 1 }, constructed and from a config', () => {
  const classes = subclassesIn(initializers, initializers.Initializer).filter((c) => !Object.hasOwn(INITIALIZERS_WITHOUT_OPTIONS, c.name));
  // Every registered name's class is among them, and every one of them is registered.
  const registered = new Set(initializers.INITIALIZER_NAMES.map((n) => initializers.get(n).constructor));
  assert.deepEqual(new Set(classes), registered);
  for (const cls of classes) {
    const name = cls.className as string;
    rejectsBogusKey(name, () => new (cls as unknown as new (o: object) => unknown)({ bogusKey: 1 }));
    throwsValueError(() => initializers.get({ class_name: name, config: { bogusKey: 1 } }), /unknown option 'bogusKey'/);
  }
});

test('every exported optimizer class rejects { bogusKey: 1 }, constructed and through optimizerFromConfig', () => {
  const classes = subclassesIn(optimizers, optimizers.Optimizer);
  assert.deepEqual(new Set(classes), new Set(optimizers.OPTIMIZER_NAMES.map((n) => optimizers.getOptimizer(n).constructor)));
  for (const cls of classes) {
    const name = cls.className as string;
    rejectsBogusKey(name, () => new (cls as unknown as new (o: object) => unknown)({ bogusKey: 1 }));
    rejectsBogusKey(name, () => optimizers.optimizerFromConfig({ className: name, config: { bogusKey: 1 } }));
    // Each class accepts its declared keys (the common ones at least).
    for (const key of optimizers.OPTIMIZER_OPTION_KEYS) assert.ok((cls as unknown as typeof optimizers.Optimizer).optionKeys.includes(key), `${name} ${key}`);
  }
});

test('every exported learning-rate schedule rejects { bogusKey: 1 }, constructed and through scheduleFromConfig', () => {
  const classes = subclassesIn(optimizers.schedules, optimizers.LearningRateSchedule);
  assert.ok(classes.length >= 6);
  for (const cls of classes) {
    const name = cls.className as string;
    // The key check comes first, so the required options need not be given.
    rejectsBogusKey(name, () => new (cls as unknown as new (o: object) => unknown)({ bogusKey: 1 }));
    rejectsBogusKey(name, () => optimizers.schedules.scheduleFromConfig({ className: name, config: { bogusKey: 1 } }));
  }
});

/** Exported callback classes whose constructor takes no options object. */
const CALLBACKS_WITHOUT_OPTIONS: Record<string, string> = {
  LearningRateScheduler: 'its only argument is the schedule function',
};

test('every exported callback class (callbacks and diagnostics) rejects { bogusKey: 1 }', () => {
  const classes = [...subclassesIn(callbacks, callbacks.Callback), ...subclassesIn(diagnostics, callbacks.Callback)].filter(
    (c) => !Object.hasOwn(CALLBACKS_WITHOUT_OPTIONS, c.name),
  );
  assert.ok(classes.length >= 6, classes.map((c) => c.name).join(', '));
  for (const cls of classes) {
    rejectsBogusKey(cls.name, () => new (cls as unknown as new (o: object) => unknown)({ bogusKey: 1 }));
    if (typeof cls.fromConfig === 'function') rejectsBogusKey(cls.name, () => cls.fromConfig?.({ bogusKey: 1 }));
  }
  // A callback without options takes none (History, GradientStats) and says so.
  throwsValueError(() => new (callbacks.History as unknown as new (o: object) => unknown)({ verbose: 1 }), /History: unknown option 'verbose'; History takes no options/);
});

test('every exported regularizer and constraint class rejects { bogusKey: 1 }, constructed and from a config', () => {
  const regs = subclassesIn(regularizers, regularizers.Regularizer);
  assert.deepEqual(new Set(regs), new Set(regularizers.REGULARIZER_NAMES.map((n) => regularizers.get(n)?.constructor)));
  for (const cls of regs) {
    const name = cls.className as string;
    rejectsBogusKey(name, () => new (cls as unknown as new (o: object) => unknown)({ bogusKey: 1 }));
    rejectsBogusKey(name, () => regularizers.get({ class_name: name, config: { bogusKey: 1 } }));
  }
  const cons = subclassesIn(constraints, constraints.Constraint);
  assert.deepEqual(new Set(cons), new Set(constraints.CONSTRAINT_NAMES.map((n) => constraints.get(n)?.constructor)));
  for (const cls of cons) {
    const name = cls.className as string;
    rejectsBogusKey(name, () => new (cls as unknown as new (o: object) => unknown)({ bogusKey: 1 }));
    rejectsBogusKey(name, () => constraints.get({ class_name: name, config: { bogusKey: 1 } }));
  }
});

test('a custom layer subclass inherits the check, and declares optionKeys for options of its own', () => {
  class Scale extends layers.Layer {
    static override readonly className = 'Scale';
    static override readonly optionKeys = [...layers.Layer.optionKeys, 'factor'];
    readonly factor: number;
    constructor(options: layers.LayerOptions & { factor?: number } = {}) {
      super(options);
      this.factor = options.factor ?? 2;
    }
    call(x: ReturnType<typeof tensor>): ReturnType<typeof tensor> {
      return ops.mul(x, this.factor);
    }
    computeOutputShape(s: layers.SymbolicShape): layers.SymbolicShape {
      return s;
    }
  }
  assert.equal(new Scale({ factor: 3 }).factor, 3);
  throwsValueError(() => new Scale({ facter: 3 } as never), /Scale: unknown option 'facter'/, /Did you mean 'factor'\?/);
  class Plain extends layers.Flatten {}
  throwsValueError(() => new Plain({ nam: 'p' } as never), /unknown option 'nam'/, /Did you mean 'name'\?/);
});
