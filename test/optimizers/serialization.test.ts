// getConfig / fromConfig round trips of every optimizer and schedule, through JSON, including a
// schedule nested in an optimizer's config as { className, config }. The rebuilt object must have an
// equal config and behave identically (an option stored but not applied would show up).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { registerSerializable } from '../../src/core/serialization.js';
import { Variable } from '../../src/core/tensor.js';
import { Adagrad } from '../../src/optimizers/adagrad.js';
import { Adam } from '../../src/optimizers/adam.js';
import { Adamax } from '../../src/optimizers/adamax.js';
import { AdamW } from '../../src/optimizers/adamw.js';
import { Nadam } from '../../src/optimizers/nadam.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';
import { optimizerFromConfig, serializeOptimizer, type SerializedOptimizer } from '../../src/optimizers/registry.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { SGD } from '../../src/optimizers/sgd.js';
import {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  type LearningRateSchedule,
  OneCycle,
  PiecewiseConstantDecay,
  PolynomialDecay,
  registerSchedule,
  scheduleFromConfig,
  serializeSchedule,
} from '../../src/optimizers/schedules/index.js';

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const SCHEDULES: LearningRateSchedule[] = [
  new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96, staircase: true }),
  new PiecewiseConstantDecay({ boundaries: [100, 200], values: [1.0, 0.5, 0.1] }),
  new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 50, endLearningRate: 0.001, power: 0.5, cycle: true }),
  new InverseTimeDecay({ initialLearningRate: 0.2, decaySteps: 10, decayRate: 0.5, staircase: false }),
  new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.05 }),
  new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, alpha: 0, warmupTarget: 0.1, warmupSteps: 100 }),
  new OneCycle({ maxLearningRate: 0.05, totalSteps: 400 }),
];

test('every schedule round-trips through JSON and computes the same rates', () => {
  for (const s of SCHEDULES) {
    const spec = json(serializeSchedule(s));
    assert.equal(spec.class_name, s.className);
    const copy = scheduleFromConfig(spec);
    assert.equal(copy.constructor, s.constructor);
    assert.deepEqual(copy.getConfig(), s.getConfig());
    for (const t of [0, 1, 25, 99, 100, 101, 250, 399, 1000, 5000]) assert.equal(copy.call(t), s.call(t), `${s.className} step ${t}`);
  }
});

const OPTIMIZERS: Optimizer[] = [
  new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true, clipNorm: 1 }),
  new Adagrad({ learningRate: 0.2, initialAccumulatorValue: 0.3, epsilon: 1e-6, clipValue: 0.5 }),
  new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true, globalClipNorm: 2 }),
  new Adam({ learningRate: 0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-8, weightDecay: 0.01 }),
  new AdamW({ learningRate: 0.002, weightDecay: 0.02, beta1: 0.85 }),
  new Adamax({ learningRate: 0.002, beta1: 0.8, beta2: 0.95, epsilon: 1e-6 }),
  new Nadam({ learningRate: 0.002, beta1: 0.8, beta2: 0.95, epsilon: 1e-6, clipNorm: 3 }),
  // Schedules nested in the optimizer config.
  new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 }), momentum: 0.9 }),
  new Nadam({ learningRate: new OneCycle({ maxLearningRate: 0.01, totalSteps: 20 }) }),
  new AdamW({ learningRate: new CosineDecay({ initialLearningRate: 0.01, decaySteps: 4, warmupTarget: 0.02, warmupSteps: 2 }), globalClipNorm: 1 }),
];

/** Runs 6 steps with fixed gradients on a fresh 3-vector; returns the weights. */
function trajectory(opt: Optimizer): number[] {
  const w = new Variable(new Float64Array([1, -2, 0.5]), [3], 'w');
  const grads = [[0.5, -1, 2], [3, 0.1, -0.2], [-1, 1, 1], [0.2, 0.2, -5], [1, 1, 1], [-0.3, 0.7, 0.1]];
  for (const g of grads) opt.applyGradients([new Float64Array(g)], [w]);
  return Array.from(w.data);
}

test('every optimizer round-trips through JSON (schedules nested in Keras 3 form) and trains identically', () => {
  for (const opt of OPTIMIZERS) {
    const spec = json(serializeOptimizer(opt));
    assert.equal(spec.class_name, opt.className);
    const copy = optimizerFromConfig(spec);
    assert.equal(copy.constructor, opt.constructor);
    assert.deepEqual(copy.getConfig(), opt.getConfig());
    // Both fresh (the config holds no state): the copy trains exactly as the original.
    assert.deepEqual(trajectory(copy), trajectory(opt));
  }
  const nested = serializeOptimizer(OPTIMIZERS[7]);
  // Keras 3's form: snake_case keys, the schedule nested in its own serialized form.
  assert.deepEqual(json(nested), {
    module: 'keras.optimizers',
    class_name: 'SGD',
    config: {
      learning_rate: {
        module: 'keras.optimizers.schedules',
        class_name: 'ExponentialDecay',
        config: { initial_learning_rate: 0.1, decay_steps: 2, decay_rate: 0.5, staircase: false },
        registered_name: null,
      },
      momentum: 0.9,
      nesterov: false,
    },
    registered_name: null,
  });
  // The rebuilt schedule is a schedule object, evaluated per step.
  const rebuilt = optimizerFromConfig(json(nested));
  assert.ok(rebuilt.learningRate instanceof ExponentialDecay);
});

test('every numeric hyperparameter in the config is applied (changing it changes training)', () => {
  for (const opt of OPTIMIZERS) {
    const wa = trajectory(optimizerFromConfig(json(serializeOptimizer(opt))));
    const b = optimizerFromConfig(json(serializeOptimizer(opt)));
    // Changing any numeric hyperparameter must change the trajectory (so each one is applied).
    const spec = json(serializeOptimizer(opt)) as SerializedOptimizer & { config: Record<string, unknown> };
    for (const [key, value] of Object.entries(spec.config)) {
      if (typeof value !== 'number') continue;
      const changed = json(spec);
      changed.config[key] = key === 'beta_1' || key === 'beta_2' || key === 'rho' || key === 'momentum' ? value * 0.5 : value * 1.5;
      if (key.startsWith('clip') || key === 'global_clipnorm') changed.config[key] = value * 0.1;
      assert.notDeepEqual(trajectory(optimizerFromConfig(changed)), wa, `${opt.className}.${key} has no effect`);
    }
    assert.deepEqual(trajectory(b), wa);
  }
});

test('loading rejects unknown classes and keys with the nearest name', () => {
  assert.throws(() => optimizerFromConfig({ className: 'Adm', config: {} }), (e: unknown) => e instanceof ValueError && /Did you mean 'Adam'\?/.test(e.message));
  assert.throws(
    () => optimizerFromConfig({ className: 'Adam', config: { learningRate: 0.1, beta1s: 0.9 } }),
    (e: unknown) => e instanceof ValueError && /unknown option 'beta1s'/.test(e.message) && /Did you mean 'beta1'\?/.test(e.message),
  );
  // Keras's spellings are read: beta_1, clipnorm.
  assert.equal((optimizerFromConfig({ className: 'Adam', config: { beta_1: 0.8 } }) as Adam).beta1, 0.8);
  assert.equal(optimizerFromConfig({ className: 'SGD', config: { clipnorm: 1 } }).clipNorm, 1);
  assert.throws(
    () => optimizerFromConfig({ className: 'SGD', config: { learningRate: { className: 'ExponentialDecy', config: {} } } }),
    (e: unknown) => e instanceof ValueError && /Did you mean 'ExponentialDecay'\?/.test(e.message),
  );
  assert.throws(() => scheduleFromConfig({ className: 'CosineDecay', config: { initialLearningRate: 0.1, decaySteps: 10, warmup: 5 } }), /unknown option 'warmup'/);
  assert.throws(() => scheduleFromConfig('ExponentialDecay'), /expected a serialized object \{ class_name, config \}/);
});

test("Keras 3's serialized schedule (class_name, snake_case config, name) loads", () => {
  // As keras.optimizers.schedules.serialize writes it inside an optimizer config.
  const keras = {
    module: 'keras.optimizers.schedules',
    class_name: 'CosineDecay',
    config: { initial_learning_rate: 0.1, decay_steps: 1000, alpha: 0.0, name: 'CosineDecay', warmup_target: null, warmup_steps: 0 },
    registered_name: null,
  };
  const s = scheduleFromConfig(keras);
  assert.ok(s instanceof CosineDecay);
  assert.equal(s.call(500), new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 }).call(500));
  const p = scheduleFromConfig({ class_name: 'PiecewiseConstantDecay', config: { boundaries: [100, 200], values: [1, 0.5, 0.1], name: 'PiecewiseConstant' } });
  assert.equal(p.call(101), 0.5);
});

test('a registered custom schedule loads inside an optimizer config', () => {
  class StepHalving extends ExponentialDecay {
    static override readonly className = 'StepHalving';
    static override fromConfig(c: Record<string, unknown>): StepHalving {
      return new StepHalving(c as never);
    }
  }
  registerSerializable(StepHalving);
  assert.equal((serializeOptimizer(new Adam({ learningRate: new StepHalving({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }) })).config as { learning_rate: { registered_name: string } }).learning_rate.registered_name, 'Custom>StepHalving');
  const opt = new Adam({ learningRate: new StepHalving({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }) });
  const copy = optimizerFromConfig(json(serializeOptimizer(opt)));
  assert.ok(copy.learningRate instanceof StepHalving);
  assert.throws(() => registerSchedule('', (c) => new StepHalving(c as never)), ValueError);
});
