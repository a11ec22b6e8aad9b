// Adagrad, RMSprop, AdamW, Adamax and Nadam: one or two hand-computed steps each (Keras 3 formulas,
// derivations in the comments), Keras's defaults, the name lookup, and the learning rate set
// mid-training on every optimizer (case 18).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Variable } from '../../src/core/tensor.js';
import { Adagrad } from '../../src/optimizers/adagrad.js';
import { Adam } from '../../src/optimizers/adam.js';
import { Adamax } from '../../src/optimizers/adamax.js';
import { AdamW } from '../../src/optimizers/adamw.js';
import { getOptimizer, OPTIMIZER_NAMES } from '../../src/optimizers/get.js';
import { Nadam } from '../../src/optimizers/nadam.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { ExponentialDecay } from '../../src/optimizers/schedules/exponential_decay.js';

const scalar = (value = 0): Variable => new Variable(new Float64Array([value]), [1], 'w');

/** One update with gradient g; returns w after it. */
function step(opt: Optimizer, w: Variable, g: number): number {
  opt.applyGradients([new Float64Array([g])], [w]);
  return w.data[0];
}

const close = (got: number, expected: number, tol = 1e-14): void =>
  assert.ok(Math.abs(got - expected) <= tol, `${got} vs ${expected} (diff ${got - expected})`);

test('Adagrad (Keras 3): acc starts at 0.1, w -= lr g / sqrt(acc + eps)', () => {
  // lr 0.1, g 1: acc = 0.1 + 1 = 1.1, step 0.1 / sqrt(1.1 + 1e-7); then acc = 2.1.
  const opt = new Adagrad({ learningRate: 0.1 });
  const w = scalar();
  const d1 = 0.1 / Math.sqrt(1.1 + 1e-7);
  const d2 = 0.1 / Math.sqrt(2.1 + 1e-7);
  close(step(opt, w, 1), -d1);
  close(step(opt, w, 1), -d1 - d2);
  close(d1, 0.0953462, 1e-7);
  close(d2, 0.0690066, 1e-7);
  // initialAccumulatorValue 0 and g = 2: acc = 4, step lr * 2 / sqrt(4 + eps) ~ lr.
  const w0 = scalar();
  step(new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0 }), w0, 2);
  close(w0.data[0], -0.2 / Math.sqrt(4 + 1e-7));
});

test("RMSprop (Keras 3): Keras's docstring example, 10 -> 9.683772", () => {
  // loss w^2 / 2, so g = w. v = 0.9 * 0 + 0.1 * 100 = 10; w = 10 - 0.1 * 10 / sqrt(10 + 1e-7).
  const opt = new RMSprop({ learningRate: 0.1 });
  const w = scalar(10);
  const w1 = step(opt, w, 10);
  close(w1, 10 - 1 / Math.sqrt(10 + 1e-7));
  close(w1, 9.683772, 1e-6);
  // Second step, g = w1: v = 0.9 * 10 + 0.1 * w1^2.
  const v2 = 9 + 0.1 * w1 * w1;
  close(step(opt, w, w1), w1 - (0.1 * w1) / Math.sqrt(v2 + 1e-7));
});

test('RMSprop with momentum: m = momentum m + lr g / sqrt(v + eps); w -= m', () => {
  // g 1, lr 0.1, momentum 0.9: v1 = 0.1, inc1 = 0.1 / sqrt(0.1 + eps), w1 = -inc1;
  // v2 = 0.09 + 0.1 = 0.19, inc2 = 0.1 / sqrt(0.19 + eps), m2 = 0.9 inc1 + inc2, w2 = w1 - m2.
  const opt = new RMSprop({ learningRate: 0.1, momentum: 0.9 });
  const w = scalar();
  const inc1 = 0.1 / Math.sqrt(0.1 + 1e-7);
  const inc2 = 0.1 / Math.sqrt(0.19 + 1e-7);
  close(step(opt, w, 1), -inc1);
  close(step(opt, w, 1), -inc1 - (0.9 * inc1 + inc2));
});

test('RMSprop centered: divides by sqrt(v - a^2 + eps)', () => {
  // g 1: v = 0.1, a = 0.1, v - a^2 = 0.09: step 0.1 / sqrt(0.09 + 1e-7) = 0.3333331...
  const w = scalar();
  step(new RMSprop({ learningRate: 0.1, centered: true }), w, 1);
  close(w.data[0], -0.1 / Math.sqrt(0.09 + 1e-7));
});

test('AdamW (Keras 3): w -= lr wd w first, then the Adam step; the decay stays out of m and v', () => {
  // w0 = 1, g 1, lr 0.1, wd 0.004: w = 1 - 0.1 * 0.004 = 0.9996, then Adam's first step
  // 0.1 * sqrt(1 - 0.999) / (1 - 0.9) * 0.1 / (sqrt(0.001) + 1e-7) = 0.0999997 (epsilon hat).
  const w = scalar(1);
  const adam1 = (0.1 * Math.sqrt(0.001) / 0.1) * 0.1 / (Math.sqrt(0.001) + 1e-7);
  close(step(new AdamW({ learningRate: 0.1 }), w, 1), 0.9996 - adam1);
  close(adam1, 0.0999997, 1e-7);
  // With zero gradients only the decay acts: w_t = w0 (1 - lr wd)^t (m = v = 0 gives a zero Adam step).
  const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.5 });
  const z = scalar(2);
  for (let t = 0; t < 3; t++) step(opt, z, 0);
  close(z.data[0], 2 * 0.95 ** 3);
  // AdamW is Adam with weightDecay (Keras 3: weight_decay is a base-optimizer option).
  const a = scalar(1);
  const b = scalar(1);
  const o1 = new AdamW({ learningRate: 0.05, weightDecay: 0.01 });
  const o2 = new Adam({ learningRate: 0.05, weightDecay: 0.01 });
  for (const g of [1, -2, 0.5]) assert.equal(step(o1, a, g), step(o2, b, g));
  // weightDecay 0 is plain Adam.
  const c = scalar(1);
  const d = scalar(1);
  const o3 = new AdamW({ learningRate: 0.05, weightDecay: 0 });
  const o4 = new Adam({ learningRate: 0.05 });
  for (const g of [1, -2, 0.5]) assert.equal(step(o3, c, g), step(o4, d, g));
});

test('Adamax (Keras 3): u = max(beta2 u, |g|); w -= lr m / ((1 - beta1^t)(u + eps))', () => {
  // Step 1, g 1, lr 0.1: m = 0.1, u = 1: 0.1 * 0.1 / (0.1 * (1 + 1e-7)).
  // Step 2, g -2: m = 0.09 - 0.2 = -0.11, u = max(0.999, 2) = 2: 0.1 * (-0.11) / ((1 - 0.81) * (2 + 1e-7)).
  const opt = new Adamax({ learningRate: 0.1 });
  const w = scalar();
  const d1 = (0.1 * 0.1) / (0.1 * (1 + 1e-7));
  const d2 = (0.1 * -0.11) / ((1 - 0.81) * (2 + 1e-7));
  close(step(opt, w, 1), -d1);
  close(step(opt, w, -2), -d1 - d2, 1e-13);
});

test("Nadam (Keras 3): momentum schedule mu_t = beta1 (1 - 0.5 * 0.96^t), two steps", () => {
  // mu_1 = 0.9 * 0.52 = 0.468, mu_2 = 0.9 * (1 - 0.5 * 0.9216) = 0.48528, mu_3 = 0.9 * (1 - 0.5 * 0.884736) = 0.5018688.
  const mu1 = 0.468;
  const mu2 = 0.48528;
  const mu3 = 0.5018688;
  // Step 1, g 1, lr 0.1: m = 0.1, v = 0.001, v_hat = 0.001 / (1 - 0.999) = 1;
  // m_hat = mu_2 * 0.1 / (1 - mu_1 mu_2) + (1 - mu_1) * 1 / (1 - mu_1) = 1.0627878...
  const mHat1 = (mu2 * 0.1) / (1 - mu1 * mu2) + (1 - mu1) / (1 - mu1);
  close(mHat1, 1.0627878, 1e-7);
  // Step 2, g 1: m = 0.19, v = 0.001999, v_hat = 0.001999 / (1 - 0.999^2) = 1;
  // m_hat = mu_3 * 0.19 / (1 - mu_1 mu_2 mu_3) + (1 - mu_2) / (1 - mu_1 mu_2).
  const mHat2 = (mu3 * 0.19) / (1 - mu1 * mu2 * mu3) + (1 - mu2) / (1 - mu1 * mu2);
  const opt = new Nadam({ learningRate: 0.1 });
  const w = scalar();
  const w1 = step(opt, w, 1);
  close(w1, (-0.1 * mHat1) / (1 + 1e-7), 1e-13);
  close(step(opt, w, 1), w1 - (0.1 * mHat2) / (Math.sqrt(0.001999 / (1 - 0.999 ** 2)) + 1e-7), 1e-13);
});

test('Nadam recomputes its momentum product when iterations is reset', () => {
  const opt = new Nadam({ learningRate: 0.1 });
  step(opt, scalar(), 1);
  step(opt, scalar(), 1);
  opt.iterations = 0;
  const w = scalar();
  step(opt, w, 0.5);
  const fresh = scalar();
  step(new Nadam({ learningRate: 0.1 }), fresh, 0.5);
  assert.equal(w.data[0], fresh.data[0]);
});

test("Keras 3's defaults for every optimizer", () => {
  assert.deepEqual(new SGD().getConfig(), { learningRate: 0.01, momentum: 0, nesterov: false });
  assert.deepEqual(new Adagrad().getConfig(), { learningRate: 0.001, initialAccumulatorValue: 0.1, epsilon: 1e-7 });
  assert.deepEqual(new RMSprop().getConfig(), { learningRate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
  assert.deepEqual(new Adam().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  assert.deepEqual(new AdamW().getConfig(), { learningRate: 0.001, weightDecay: 0.004, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  assert.deepEqual(new Adamax().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  assert.deepEqual(new Nadam().getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
});

test('invalid options of the new optimizers throw ValueError naming the option', () => {
  const cases: [() => unknown, RegExp][] = [
    [() => new Adagrad({ initialAccumulatorValue: -0.1 }), /initialAccumulatorValue/],
    [() => new Adagrad({ epsilon: 0 }), /epsilon/],
    [() => new RMSprop({ rho: 1 }), /rho/],
    [() => new RMSprop({ momentum: -0.5 }), /momentum/],
    [() => new RMSprop({ centered: 'yes' as unknown as boolean }), /centered/],
    [() => new AdamW({ weightDecay: -1 }), /AdamW: weightDecay/],
    [() => new AdamW({ beta1: 1 }), /AdamW: beta1/],
    [() => new Adamax({ beta2: 1.5 }), /beta2/],
    [() => new Nadam({ epsilon: -1 }), /epsilon/],
    [() => new Nadam({ learningRate: '0.1' as unknown as number }), /learningRate/],
    [() => new SGD({ weightDecay: Number.NaN }), /weightDecay/],
  ];
  for (const [make, pattern] of cases) assert.throws(make, (e: unknown) => e instanceof ValueError && pattern.test(e.message), String(pattern));
});

test('getOptimizer knows every name (Keras spellings, any case) and suggests the nearest', () => {
  const classes = { sgd: SGD, adam: Adam, adamw: AdamW, adamax: Adamax, nadam: Nadam, rmsprop: RMSprop, adagrad: Adagrad };
  assert.deepEqual([...OPTIMIZER_NAMES], Object.keys(classes));
  for (const [name, Cls] of Object.entries(classes)) {
    const opt = getOptimizer(name);
    assert.equal(opt.constructor, Cls, name);
    assert.equal(getOptimizer(Cls.className).constructor, Cls, Cls.className);
    assert.equal(getOptimizer(name, 0.123).learningRate, 0.123);
  }
  assert.equal(getOptimizer('sgd').learningRate, 0.01);
  assert.equal(getOptimizer('rmsprop').learningRate, 0.001);
  const schedule = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  assert.equal(getOptimizer('nadam', schedule).learningRate, schedule);
  // An options object: the common options (what the CLI's --clip-norm and friends need).
  const clipped = getOptimizer('adam', { learningRate: 0.01, clipNorm: 1 });
  assert.deepEqual([clipped.currentLearningRate(), clipped.clipNorm], [0.01, 1]);
  assert.equal(getOptimizer('sgd', {}).learningRate, 0.01);
  assert.throws(() => getOptimizer('sgd', { clipNorm: 1, clipValue: 1 }), /only one of/);
  assert.throws(() => getOptimizer('rmsporp'), (e: unknown) => e instanceof ValueError && /Did you mean 'rmsprop'\?/.test(e.message));
  assert.throws(() => getOptimizer('nadm'), (e: unknown) => e instanceof ValueError && /Did you mean 'nadam'\?/.test(e.message));
  assert.throws(() => getOptimizer('toString'), ValueError);
});

test('optimizer.learningRate is public: setting it mid-training changes the next step of every optimizer', () => {
  // Two identical optimizers take the same first step; then A's rate is halved. For these
  // optimizers (no momentum buffer holding lr) the second step is linear in lr given the state, so
  // A's second step is exactly half of B's (AdamW's decay term lr * wd * w too: same w after step 1).
  const makers: (() => Optimizer)[] = [
    () => new SGD({ learningRate: 0.1 }),
    () => new Adagrad({ learningRate: 0.1 }),
    () => new RMSprop({ learningRate: 0.1 }),
    () => new Adam({ learningRate: 0.1 }),
    () => new AdamW({ learningRate: 0.1, weightDecay: 0.1 }),
    () => new Adamax({ learningRate: 0.1 }),
    () => new Nadam({ learningRate: 0.1 }),
  ];
  for (const make of makers) {
    const a = make();
    const b = make();
    const wa = scalar(1);
    const wb = scalar(1);
    step(a, wa, 0.5);
    step(b, wb, 0.5);
    a.learningRate = 0.05;
    assert.equal(a.currentLearningRate(), 0.05);
    const before = wa.data[0];
    const da = step(a, wa, -1) - before;
    const db = step(b, wb, -1) - before;
    close(da, db / 2, 1e-15);
    assert.notEqual(da, 0, a.className);
    assert.throws(() => { a.learningRate = -1; }, ValueError);
    assert.throws(() => { a.learningRate = Number.NaN; }, ValueError);
  }
});
