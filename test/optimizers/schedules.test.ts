// Learning-rate schedules: values of the formulas of Keras 3 (recomputed in float64)
// (keras/src/optimizers/schedules/learning_rate_schedule.py), the book's 1cycle, and the optimizer
// evaluating the schedule at `iterations` (updates already applied).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Variable } from '../../src/core/tensor.js';
import { SGD } from '../../src/optimizers/sgd.js';
import {
  CosineDecay,
  ExponentialDecay,
  InverseTimeDecay,
  LearningRateSchedule,
  OneCycle,
  PiecewiseConstantDecay,
  PolynomialDecay,
} from '../../src/optimizers/schedules/index.js';

const close = (got: number, expected: number, tol = 1e-7): void =>
  assert.ok(Math.abs(got - expected) <= tol, `${got} vs ${expected}`);

test('case 18: ExponentialDecay(0.1, 1000, 0.96): 0.0979796 at 500, 0.0902980 at 2500; staircase 0.1 and 0.09216', () => {
  const s = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96 });
  // 0.1 * 0.96^0.5 and 0.1 * 0.96^2.5.
  close(s.call(500), 0.0979796);
  close(s.call(2500), 0.090298);
  assert.equal(s.call(0), 0.1);
  const stairs = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1000, decayRate: 0.96, staircase: true });
  // floor(0.5) = 0, floor(2.5) = 2: 0.1 and 0.1 * 0.9216.
  assert.equal(stairs.call(500), 0.1);
  close(stairs.call(2500), 0.09216, 1e-15);
  close(stairs.call(999), 0.1, 0);
  close(stairs.call(1000), 0.096, 1e-15);
});

test('case 18: CosineDecay(0.1, 1000, alpha 0): 0.05 at step 500, 0 from step 1000', () => {
  const s = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000 });
  assert.equal(s.call(0), 0.1);
  close(s.call(500), 0.05, 1e-15);
  assert.equal(s.call(1000), 0);
  assert.equal(s.call(5000), 0);
  // alpha 0.1: the floor is alpha * initial = 0.01; halfway (1 - 0.1) * 0.5 + 0.1 = 0.55 of 0.1.
  const a = new CosineDecay({ initialLearningRate: 0.1, decaySteps: 1000, alpha: 0.1 });
  close(a.call(500), 0.055, 1e-15);
  close(a.call(2000), 0.01, 1e-15);
});

test("CosineDecay with Keras 3's warmup: linear from initial to warmupTarget, then the cosine from warmupTarget", () => {
  const s = new CosineDecay({ initialLearningRate: 0, decaySteps: 1000, warmupTarget: 0.1, warmupSteps: 100 });
  assert.equal(s.call(0), 0);
  close(s.call(50), 0.05, 1e-15); // (0.1 - 0) * 50 / 100 + 0
  close(s.call(100), 0.1, 1e-15); // decay starts at warmupTarget
  close(s.call(600), 0.05, 1e-15); // 500 steps into the decay
  assert.equal(s.call(1100), 0);
  assert.equal(s.call(10_000), 0);
  // warmupTarget with warmupSteps 0: the decay starts from warmupTarget at once (Keras).
  close(new CosineDecay({ initialLearningRate: 0.5, decaySteps: 10, warmupTarget: 0.2 }).call(0), 0.2, 0);
});

test('case 18: PiecewiseConstantDecay([100, 200], [1.0, 0.5, 0.1]): a step equal to a boundary keeps the earlier value', () => {
  const s = new PiecewiseConstantDecay({ boundaries: [100, 200], values: [1.0, 0.5, 0.1] });
  assert.deepEqual([0, 100, 101, 200, 201, 1e9].map((t) => s.call(t)), [1.0, 1.0, 0.5, 0.5, 0.1, 0.1]);
  for (const bad of [
    { boundaries: [100, 200], values: [1, 0.5] },
    { boundaries: [], values: [1] },
    { boundaries: [200, 100], values: [1, 0.5, 0.1] },
    { boundaries: [100, 100], values: [1, 0.5, 0.1] },
    { boundaries: [100], values: [1, -0.5] },
  ]) {
    assert.throws(() => new PiecewiseConstantDecay(bad), ValueError, JSON.stringify(bad));
  }
});

test('PolynomialDecay (Keras 3): linear by default to endLearningRate 0.0001, then constant; cycle restarts', () => {
  const s = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100 });
  close(s.call(50), (0.1 - 0.0001) * 0.5 + 0.0001, 1e-15);
  assert.equal(s.call(100), 0.0001);
  assert.equal(s.call(500), 0.0001);
  // power 2, end 0.01: (0.09) * (1 - 0.25)^2 + 0.01 at step 25.
  close(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 2 }).call(25), 0.09 * 0.5625 + 0.01, 1e-15);
  // cycle: step 150 uses D = 100 * ceil(1.5) = 200: 0.09 * (1 - 0.75) + 0.01 = 0.0325; step 0 uses D = 100.
  const c = new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, cycle: true });
  close(c.call(150), 0.0325, 1e-15);
  assert.equal(c.call(0), 0.1);
  close(c.call(100), 0.01, 1e-15);
});

test('InverseTimeDecay (Keras 3): initial / (1 + rate * step / decaySteps), optionally staircase', () => {
  const s = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
  close(s.call(2), 0.05, 1e-15);
  close(s.call(10), 0.1 / 6, 1e-15);
  const stairs = new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 1, staircase: true });
  assert.equal(stairs.call(9), 0.1);
  close(stairs.call(25), 0.1 / 3, 1e-15);
});

test("OneCycle follows the book's OneCycleScheduler: up to max over the first half, back down, then a drop to start/1000", () => {
  // totalSteps 100, max 0.1: start 0.01, lastSteps floor(100 / 10) + 1 = 11, h = floor(89 / 2) = 44, last 1e-5.
  const s = new OneCycle({ maxLearningRate: 0.1, totalSteps: 100 });
  assert.equal(s.halfSteps, 44);
  assert.equal(s.lastSteps, 11);
  close(s.call(0), 0.01, 1e-15);
  close(s.call(22), 0.055, 1e-15);
  close(s.call(44), 0.1, 1e-15);
  close(s.call(66), 0.055, 1e-15);
  close(s.call(88), 0.01, 1e-15);
  // 94 is 6 of the 12 steps from 88 to 100: halfway from 0.01 to 1e-5.
  close(s.call(94), (0.01 + 1e-5) / 2, 1e-15);
  close(s.call(100), 1e-5, 1e-18);
  close(s.call(1000), 1e-5, 1e-18); // kept after the end (the book's interpolation would go negative)
  // Rising over the first half, falling after, never above max.
  const lrs = Array.from({ length: 101 }, (_, t) => s.call(t));
  for (let t = 1; t <= 44; t++) assert.ok(lrs[t] > lrs[t - 1]);
  for (let t = 45; t <= 100; t++) assert.ok(lrs[t] < lrs[t - 1]);
  assert.ok(Math.max(...lrs) <= 0.1 + 1e-15);
  // Options as in the book (start_lr, last_iterations, last_lr).
  const o = new OneCycle({ maxLearningRate: 1, totalSteps: 10, startLearningRate: 0.5, lastSteps: 2, lastLearningRate: 0 });
  assert.deepEqual([0, 2, 4, 6, 8, 9, 10].map((t) => o.call(t)), [0.5, 0.75, 1, 0.75, 0.5, 0.25, 0]);
  // Tiny runs still work: totalSteps 1 (h = 0: only the final drop).
  const tiny = new OneCycle({ maxLearningRate: 0.1, totalSteps: 1 });
  close(tiny.call(0), 0.01, 1e-15);
  close(tiny.call(1), 1e-5, 1e-18);
  assert.throws(() => new OneCycle({ maxLearningRate: 0.1, totalSteps: 0 }), ValueError);
  assert.throws(() => new OneCycle({ maxLearningRate: 0.1, totalSteps: 10, lastSteps: 11 }), ValueError);
  assert.throws(() => new OneCycle({ maxLearningRate: 0, totalSteps: 10 }), ValueError);
});

test('schedules validate their options', () => {
  const bad: (() => unknown)[] = [
    () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 }),
    () => new ExponentialDecay({ initialLearningRate: -0.1, decaySteps: 10, decayRate: 0.9 }),
    () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0 }),
    () => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: -5 }),
    () => new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 5, power: 0 }),
    () => new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: -1 }),
    () => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, alpha: 2 }),
    () => new CosineDecay({ initialLearningRate: Number.NaN, decaySteps: 10 }),
  ];
  for (const make of bad) assert.throws(make, ValueError);
  assert.throws(
    () => new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.9 }),
    /ExponentialDecay: decaySteps must be a finite number > 0, received 0/,
  );
});

test('the optimizer evaluates its schedule at iterations (updates already applied): step sizes follow it', () => {
  // SGD with gradient 1: the k-th update (k = 0, 1, ...) moves w by exactly schedule.call(k).
  const schedule = new PiecewiseConstantDecay({ boundaries: [1, 2], values: [0.1, 0.01, 0.001] });
  const opt = new SGD({ learningRate: schedule });
  const w = new Variable(new Float64Array([0]), [1], 'w');
  const moves: number[] = [];
  for (let k = 0; k < 4; k++) {
    assert.equal(opt.currentLearningRate(), schedule.call(opt.iterations));
    const before = w.data[0];
    opt.applyGradients([new Float64Array([1])], [w]);
    moves.push(before - w.data[0]);
  }
  // Steps 0 and 1 are <= boundary 1: 0.1, 0.1; step 2: 0.01; step 3: 0.001.
  moves.forEach((m, k) => close(m, [0.1, 0.1, 0.01, 0.001][k], 1e-15));
  assert.equal(opt.learningRate, schedule);
  // A number assigned later replaces the schedule (deepwell's decision; Keras raises a TypeError).
  opt.learningRate = 0.5;
  assert.equal(opt.currentLearningRate(), 0.5);
  opt.learningRate = schedule;
  assert.equal(opt.currentLearningRate(), 0.001);
});

test('a custom schedule giving a negative or NaN rate fails with the step and the schedule named', () => {
  class Broken extends LearningRateSchedule {
    static override readonly className = 'Broken';
    call(step: number): number {
      return step < 1 ? 0.1 : Number.NaN;
    }
    getConfig(): Record<string, unknown> {
      return {};
    }
  }
  const opt = new SGD({ learningRate: new Broken() });
  const w = new Variable(new Float64Array([0]), [1], 'w');
  opt.applyGradients([new Float64Array([1])], [w]);
  assert.throws(() => opt.applyGradients([new Float64Array([1])], [w]), (e: unknown) => e instanceof ValueError && /Broken gave NaN at step 1/.test(e.message));
  assert.throws(() => new SGD({ learningRate: {} as unknown as number }), (e: unknown) => e instanceof ValueError && /LearningRateSchedule/.test(e.message));
});
