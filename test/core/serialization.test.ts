/**
 * The one serialization registry: every registered class round-trips (serialize -> JSON -> deserialize
 * -> serialize is identical) with non-default options; Keras 3 form and keys; Keras 2 and TF.js forms
 * read; unknown classes, Lambda and unsupported foreign keys refused with messages that name them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError, Sequential, Model, initializers, layers, losses, optimizers, regularizers, constraints } from '../../src/index.js';
import {
  camelToSnake, deserialize, registerSerializable, registeredClasses, serialize, snakeToCamel, type Serializable,
} from '../../src/core/serialization.js';

const { schedules } = optimizers;

/** One instance per registered class, with options other than the defaults wherever the class has options. */
function examples(): Record<string, () => Serializable> {
  const I = initializers;
  const L = layers;
  return {
    // initializers
    Zeros: () => new I.Zeros(),
    Ones: () => new I.Ones(),
    Constant: () => new I.Constant({ value: 0.25 }),
    RandomUniform: () => new I.RandomUniform({ minval: -0.1, maxval: 0.2, seed: 3 }),
    RandomNormal: () => new I.RandomNormal({ mean: 0.5, stddev: 0.1, seed: 4 }),
    TruncatedNormal: () => new I.TruncatedNormal({ mean: -0.5, stddev: 0.2, seed: 5 }),
    VarianceScaling: () => new I.VarianceScaling({ scale: 2, mode: 'fan_out', distribution: 'untruncated_normal', seed: 6 }),
    GlorotUniform: () => new I.GlorotUniform({ seed: 7 }),
    GlorotNormal: () => new I.GlorotNormal({ seed: 8 }),
    HeUniform: () => new I.HeUniform({ seed: 9 }),
    HeNormal: () => new I.HeNormal({ seed: 10 }),
    LecunUniform: () => new I.LecunUniform({ seed: 11 }),
    LecunNormal: () => new I.LecunNormal({ seed: 12 }),
    Orthogonal: () => new I.Orthogonal({ gain: 1.5, seed: 13 }),
    Identity: () => new I.Identity({ gain: 2 }),
    XavierUniform: () => new I.XavierUniform({ gain: 1.5, layout: 'pytorch', seed: 14 }),
    XavierNormal: () => new I.XavierNormal({ gain: 0.5, layout: 'pytorch', seed: 15 }),
    KaimingUniform: () => new I.KaimingUniform({ a: 0.1, mode: 'fan_out', nonlinearity: 'leaky_relu', layout: 'pytorch', seed: 16 }),
    KaimingNormal: () => new I.KaimingNormal({ a: 0.2, mode: 'fan_in', nonlinearity: 'leaky_relu', layout: 'keras', seed: 17 }),
    // regularizers, constraints
    L1: () => new regularizers.L1({ l1: 0.02 }),
    L2: () => new regularizers.L2({ l2: 0.03 }),
    L1L2: () => new regularizers.L1L2({ l1: 0.1, l2: 0.2 }),
    MaxNorm: () => new constraints.MaxNorm({ maxValue: 3, axis: 1 }),
    UnitNorm: () => new constraints.UnitNorm({ axis: [0, 1] }),
    NonNeg: () => new constraints.NonNeg(),
    MinMaxNorm: () => new constraints.MinMaxNorm({ minValue: 0.5, maxValue: 3, rate: 0.25, axis: [0, 1] }),
    // losses
    MeanSquaredError: () => new losses.MeanSquaredError(),
    BinaryCrossentropy: () => new losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    CategoricalCrossentropy: () => new losses.CategoricalCrossentropy({ fromLogits: true }),
    SparseCategoricalCrossentropy: () => new losses.SparseCategoricalCrossentropy({ fromLogits: true }),
    MeanAbsoluteError: () => new losses.MeanAbsoluteError(),
    Huber: () => new losses.Huber({ delta: 2.5 }),
    LogCosh: () => new losses.LogCosh(),
    KLDivergence: () => new losses.KLDivergence(),
    Poisson: () => new losses.Poisson(),
    Hinge: () => new losses.Hinge(),
    // schedules
    ExponentialDecay: () => new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96, staircase: true }),
    PiecewiseConstantDecay: () => new schedules.PiecewiseConstantDecay({ boundaries: [100, 200], values: [1.0, 0.5, 0.1] }),
    PolynomialDecay: () => new schedules.PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 50, endLearningRate: 0.001, power: 0.5, cycle: true }),
    InverseTimeDecay: () => new schedules.InverseTimeDecay({ initialLearningRate: 0.2, decaySteps: 10, decayRate: 0.5, staircase: true }),
    CosineDecay: () => new schedules.CosineDecay({ initialLearningRate: 0, decaySteps: 1000, alpha: 0.05, warmupTarget: 0.1, warmupSteps: 100 }),
    CosineDecayRestarts: () => new schedules.CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 100, tMul: 1.5, mMul: 0.8, alpha: 0.01 }),
    OneCycle: () => new schedules.OneCycle({ maxLearningRate: 0.05, totalSteps: 400 }),
    // optimizers (one with a nested schedule)
    SGD: () => new optimizers.SGD({ learningRate: new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }), momentum: 0.9, nesterov: true, clipNorm: 1 }),
    Adagrad: () => new optimizers.Adagrad({ learningRate: 0.2, initialAccumulatorValue: 0.3, epsilon: 1e-6, clipValue: 0.5 }),
    RMSprop: () => new optimizers.RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true, globalClipNorm: 2 }),
    Adam: () => new optimizers.Adam({ learningRate: 0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.01 }),
    AdamW: () => new optimizers.AdamW({ learningRate: 0.002, weightDecay: 0.02, beta1: 0.85 }),
    Adamax: () => new optimizers.Adamax({ learningRate: 0.002, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 }),
    Nadam: () => new optimizers.Nadam({ learningRate: 0.002, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, clipNorm: 3 }),
    // layers (nested initializers, regularizers and constraints)
    InputLayer: () => new L.InputLayer({ batchShape: [null, 3, 4], name: 'the_input' }),
    Dense: () => new L.Dense(5, {
      name: 'dense_a', trainable: false, inputShape: [4], activation: 'tanh', useBias: false,
      kernelInitializer: new I.HeNormal({ seed: 3 }), biasInitializer: new I.Constant({ value: 0.1 }),
      kernelRegularizer: new regularizers.L2({ l2: 0.001 }), biasRegularizer: 'l1',
      kernelConstraint: new constraints.MaxNorm({ maxValue: 2.5 }), biasConstraint: 'non_neg',
    }),
    Flatten: () => new L.Flatten({ name: 'flat', inputShape: [2, 3] }),
    Activation: () => new L.Activation('selu', { name: 'act' }),
    LeakyReLU: () => new L.LeakyReLU({ negativeSlope: 0.1, name: 'lrelu' }),
    PReLU: () => new L.PReLU({ alphaInitializer: new I.Constant({ value: 0.25 }), sharedAxes: [1], name: 'prelu' }),
    ELU: () => new L.ELU({ alpha: 0.5, name: 'elu' }),
    BatchNormalization: () => new L.BatchNormalization({ name: 'bn', momentum: 0.9, epsilon: 1e-5, center: false, gammaInitializer: 'random_normal', movingVarianceInitializer: new I.Constant({ value: 2 }) }),
    Dropout: () => new L.Dropout(0.3, { seed: 1, noiseShape: [null, 1], name: 'drop' }),
    AlphaDropout: () => new L.AlphaDropout(0.2, { seed: 2, name: 'adrop' }),
    MCDropout: () => new L.MCDropout(0.4, { seed: 3, name: 'mcdrop' }),
    MCAlphaDropout: () => new L.MCAlphaDropout(0.1, { seed: 4, name: 'mcadrop' }),
    Add: () => new L.Add({ name: 'add_a' }),
    Multiply: () => new L.Multiply({ name: 'mul_a' }),
    Average: () => new L.Average({ name: 'avg_a' }),
    Concatenate: () => new L.Concatenate({ axis: 1, name: 'cat_a' }),
    Subtract: () => new L.Subtract({ name: 'sub_a' }),
    Maximum: () => new L.Maximum({ name: 'max_a' }),
    Minimum: () => new L.Minimum({ name: 'min_a' }),
    Conv2D: () => new L.Conv2D(8, [3, 2], {
      name: 'conv_a', inputShape: [9, 9, 3], strides: [2, 1], padding: 'same', activation: 'elu', useBias: false,
      kernelInitializer: new I.HeNormal({ seed: 5 }), biasInitializer: new I.Constant({ value: 0.2 }),
      kernelRegularizer: new regularizers.L2({ l2: 0.002 }), biasRegularizer: 'l1', kernelConstraint: new constraints.MaxNorm({ maxValue: 2, axis: [0, 1, 2] }), biasConstraint: 'non_neg',
    }),
    Conv1D: () => new L.Conv1D(4, 5, { name: 'conv1', padding: 'causal', dilationRate: 2, activation: 'relu', kernelInitializer: 'he_uniform' }),
    DepthwiseConv2D: () => new L.DepthwiseConv2D(3, {
      name: 'dw', depthMultiplier: 2, padding: 'same', dilationRate: [2, 1], activation: 'silu', useBias: false,
      depthwiseInitializer: new I.LecunNormal({ seed: 6 }), depthwiseRegularizer: new regularizers.L1({ l1: 0.01 }), depthwiseConstraint: 'non_neg', biasInitializer: 'ones',
    }),
    MaxPooling2D: () => new L.MaxPooling2D({ poolSize: [3, 2], strides: [1, 2], padding: 'same', name: 'mp' }),
    AveragePooling2D: () => new L.AveragePooling2D({ poolSize: 3, name: 'ap' }),
    GlobalAveragePooling2D: () => new L.GlobalAveragePooling2D({ keepdims: true, name: 'gap' }),
    Reshape: () => new L.Reshape([7, -1, 2], { name: 'rs' }),
    ZeroPadding2D: () => new L.ZeroPadding2D({ padding: [[1, 2], [0, 3]], name: 'zp' }),
    // models
    Functional: () => {
      // A residual block with a shared layer (called twice) and a merge: Keras 3's inbound_nodes round-trip.
      const x = L.Input({ shape: [3], name: 'in_f' });
      const shared = new L.Dense(3, { name: 'shared_f', activation: 'relu' });
      const h = shared.apply(shared.apply(x));
      const y = new L.Add({ name: 'add_f' }).apply([x, new L.BatchNormalization({ name: 'bn_f' }).apply(h, { training: false })]);
      return new Model({ inputs: x, outputs: new L.Concatenate({ name: 'cat_f' }).apply([y, x]), name: 'func_x' });
    },
    Sequential: () => new Sequential([
      new L.Dense(3, { inputShape: [2], name: 'd0', activation: 'relu' }), new L.BatchNormalization({ name: 'bn0' }),
      new L.Dropout(0.5, { name: 'dr0' }), new L.PReLU({ name: 'pr0' }), new L.Dense(2, { name: 'd1', activation: 'softmax' }),
    ], { name: 'model_x' }),
  };
}

const roundTrip = (obj: Serializable): unknown => JSON.parse(JSON.stringify(serialize(deserialize(JSON.parse(JSON.stringify(serialize(obj)))))));

test('every registered class round-trips: serialize -> JSON -> deserialize -> serialize is identical', () => {
  const table = examples();
  const registered = registeredClasses();
  // Both ways: every registered class has an example, and every example's class is registered.
  assert.deepEqual(registered.map((r) => r.className).sort(), Object.keys(table).sort());
  for (const { className, kind } of registered) {
    assert.ok(Object.hasOwn(table, className), `registered ${kind} class ${className} has no round-trip example`);
    const obj = table[className]();
    const first = JSON.parse(JSON.stringify(serialize(obj)));
    assert.equal(first.class_name, className);
    assert.deepEqual(roundTrip(obj), first, `${className} does not round-trip`);
    // The copy is of the same class with the same options.
    const copy = deserialize(first) as Serializable;
    assert.equal(copy.constructor, obj.constructor);
  }
});

test('non-default options survive: the rebuilt objects behave as the originals', () => {
  const t = examples();
  const sched = deserialize<InstanceType<typeof schedules.CosineDecay>>(JSON.parse(JSON.stringify(serialize(t.CosineDecay()))));
  // warmup: lr at step 50 = 0 + (0.1 - 0) * 50 / 100 = 0.05 (linear warmup from initialLearningRate to warmupTarget).
  assert.ok(Math.abs(sched.call(50) - 0.05) < 1e-12);
  const dense = deserialize<InstanceType<typeof layers.Dense>>(JSON.parse(JSON.stringify(serialize(t.Dense()))));
  assert.equal(dense.name, 'dense_a');
  assert.equal(dense.trainable, false);
  assert.equal(dense.useBias, false);
  assert.equal(dense.kernelRegularizer?.getConfig().l2, 0.001);
  assert.deepEqual(dense.kernelConstraint?.getConfig(), { maxValue: 2.5, axis: 0 });
  assert.deepEqual(dense.inputShape, [4]);
});

test("Keras 3 form: module, class_name, snake_case config, registered_name; Dense's keys are Keras 3.3.3's", () => {
  const d = serialize(new layers.Dense(32, { activation: 'relu', name: 'dense' }));
  // The Dense config keys of keras3.3.3-mnist-mlp-dotkeras/config.json, in Keras's order.
  assert.deepEqual(Object.keys(d.config), ['name', 'trainable', 'dtype', 'units', 'activation', 'use_bias', 'kernel_initializer', 'bias_initializer', 'kernel_regularizer', 'bias_regularizer', 'kernel_constraint', 'bias_constraint']);
  assert.deepEqual(d, {
    module: 'keras.layers', class_name: 'Dense', registered_name: null,
    config: {
      name: 'dense', trainable: true, dtype: 'float32', units: 32, activation: 'relu', use_bias: true,
      kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
      kernel_regularizer: null, bias_regularizer: null, kernel_constraint: null, bias_constraint: null,
    },
  });
  // deepwell's own classes: module deepwell.*, registered_name as a Keras custom object.
  const mc = serialize(new layers.MCDropout(0.5, { name: 'mc' }));
  assert.equal(mc.module, 'deepwell.layers');
  assert.equal(mc.registered_name, 'deepwell>MCDropout');
  // Losses as Keras 3's compile_config writes them.
  assert.deepEqual(serialize(new losses.SparseCategoricalCrossentropy({ fromLogits: true })), {
    module: 'keras.losses', class_name: 'SparseCategoricalCrossentropy',
    config: { name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: true }, registered_name: null,
  });
  // Optimizer keys Keras spells irregularly.
  assert.deepEqual(serialize(new optimizers.Adam({ beta1: 0.8, clipNorm: 1 })).config, { learning_rate: 0.001, clipnorm: 1, beta_1: 0.8, beta_2: 0.999, epsilon: 1e-7 });
});

test('one key converter: camelCase <-> snake_case, with Keras irregular spellings', () => {
  assert.equal(camelToSnake('kernelInitializer'), 'kernel_initializer');
  assert.equal(camelToSnake('globalClipNorm'), 'global_clipnorm');
  assert.equal(camelToSnake('beta1'), 'beta_1');
  assert.equal(snakeToCamel('moving_variance_initializer'), 'movingVarianceInitializer');
  assert.equal(snakeToCamel('clipvalue'), 'clipValue');
  assert.equal(snakeToCamel('beta_2'), 'beta2');
});

test('Keras 2 and TF.js forms are read (camelCase or snake_case keys)', () => {
  const keras2 = deserialize<InstanceType<typeof layers.Dense>>({ class_name: 'Dense', config: { name: 'dense_20', units: 50, activation: 'relu', batch_input_shape: [null, 2], kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } }, activity_regularizer: null } });
  assert.equal(keras2.units, 50);
  assert.deepEqual(keras2.inputShape, [2]);
  const tfjs = deserialize<InstanceType<typeof layers.Dense>>({ className: 'Dense', config: { name: 'd', units: 3, useBias: false, batchInputShape: [null, 7] } });
  assert.equal(tfjs.useBias, false);
  assert.deepEqual(tfjs.inputShape, [7]);
  // Keras 2's LeakyReLU alpha, Keras 3's negative_slope.
  assert.equal(deserialize<InstanceType<typeof layers.LeakyReLU>>({ class_name: 'LeakyReLU', config: { alpha: 0.2 } }).negativeSlope, 0.2);
  assert.equal(deserialize<InstanceType<typeof layers.LeakyReLU>>({ module: 'keras.layers', class_name: 'LeakyReLU', config: { negative_slope: 0.1 } }).negativeSlope, 0.1);
  // Keras 3.8's DTypePolicy object and the neutral keys Keras writes.
  const bn = deserialize<InstanceType<typeof layers.BatchNormalization>>({
    module: 'keras.layers', class_name: 'BatchNormalization', registered_name: null,
    config: { name: 'bn', dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null }, axis: -1, momentum: 0.9, synchronized: false, beta_regularizer: null, gamma_constraint: null },
    build_config: { input_shape: [null, 4] },
  });
  assert.equal(bn.momentum, 0.9);
  assert.ok(deserialize({ class_name: 'Flatten', config: { data_format: 'channels_last' } }) instanceof layers.Flatten);
  assert.ok(deserialize({ class_name: 'Dropout', config: { rate: 0.5, noise_shape: null, seed: null } }) instanceof layers.Dropout);
});

test('a foreign key whose value would change the computation is a ValueError naming layer, key and value', () => {
  assert.throws(() => deserialize({ class_name: 'Dense', config: { name: 'd9', units: 2, lora_rank: 4 } }), /Dense "d9": config key 'lora_rank' = 4 is not supported/);
  assert.throws(() => deserialize({ class_name: 'Flatten', config: { name: 'f', data_format: 'channels_first' } }), /Flatten "f": config key 'data_format' = "channels_first"/);
  assert.throws(() => deserialize({ class_name: 'Dense', config: { units: 2, dtype: 'float16' } }), /config key 'dtype' = "float16"/);
  assert.throws(() => deserialize({ class_name: 'BatchNormalization', config: { name: 'b', synchronized: true } }), /synchronized/);
  assert.throws(() => deserialize({ class_name: 'Dense', config: { units: 2, activity_regularizer: { class_name: 'L2', config: { l2: 0.1 } } } }), /'activity_regularizer'/);
});

test('unknown class: ValueError naming it, the known names, the nearest and how to register', () => {
  assert.throws(() => deserialize({ class_name: 'Conv3D', config: {} }, 'layers'), (e: unknown) =>
    e instanceof ValueError && /'Conv3D'/.test(e.message) && /Known: .*Dense/.test(e.message) && /registerSerializable\(MyLayer\)/.test(e.message));
  assert.throws(() => deserialize({ module: 'keras.layers', class_name: 'Dens', config: {} }), /Did you mean 'Dense'\?/);
  class Unregistered { getConfig(): Record<string, unknown> { return {}; } }
  assert.throws(() => serialize(new Unregistered()), /Unregistered is not a registered serializable class; register it once with registerSerializable\(Unregistered\)/);
});

test('Lambda (code in a file) is refused, citing safe_mode and CVE-2024-3660', () => {
  const lambda = { module: 'keras.layers', class_name: 'Lambda', config: { name: 'lambda', function: { class_name: '__lambda__', config: { code: '4wEAAAAA...' } } }, registered_name: null };
  assert.throws(() => deserialize(lambda), (e: unknown) => e instanceof ValueError && /Lambda/.test(e.message) && /safe_mode/.test(e.message) && /CVE-2024-3660/.test(e.message));
  assert.throws(() => Sequential.fromConfig({ name: 's', layers: [{ class_name: 'Dense', config: { units: 1, batch_input_shape: [null, 1] } }, lambda] }), /CVE-2024-3660/);
});

test('registerSerializable: a custom layer round-trips as a Keras custom object; name clashes are refused', () => {
  class Scale extends layers.Layer {
    static override readonly className = 'Scale';
    static override readonly optionKeys = [...layers.Layer.optionKeys, 'factor'];
    readonly factor: number;
    constructor(options: { factor?: number; name?: string } = {}) {
      super(options);
      this.factor = options.factor ?? 1;
    }
    static fromConfig(config: Record<string, unknown>): Scale {
      return new Scale(config as { factor?: number });
    }
    call(x: never): never { return x; }
    computeOutputShape(s: readonly (number | null)[]): readonly (number | null)[] { return s; }
    override getConfig(): Record<string, unknown> { return { ...super.getConfig(), factor: this.factor }; }
  }
  registerSerializable(Scale);
  const s = serialize(new Scale({ factor: 3, name: 'sc' }));
  assert.equal(s.registered_name, 'Custom>Scale');
  assert.equal(s.module, null);
  assert.deepEqual((s.config as Record<string, unknown>).factor, 3);
  const copy = deserialize<Scale>(JSON.parse(JSON.stringify(s)));
  assert.ok(copy instanceof Scale);
  assert.equal(copy.factor, 3);
  class Dense2 extends layers.Layer {
    static override readonly className = 'Dense';
    static fromConfig(): Dense2 { return new Dense2(); }
    call(x: never): never { return x; }
    computeOutputShape(s: readonly (number | null)[]): readonly (number | null)[] { return s; }
  }
  assert.throws(() => registerSerializable(Dense2), /a layers class named 'Dense' is already registered/);
});
