// Each optimization remedy changes training the way it should, on plain arrays: clipping bounds the
// update, a schedule lowers the step size over iterations, weight decay shrinks weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Variable } from '../../src/core/tensor.js';
import { Adam } from '../../src/optimizers/adam.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { RMSprop } from '../../src/optimizers/rmsprop.js';
import { ExponentialDecay } from '../../src/optimizers/schedules/exponential_decay.js';
import { OneCycle } from '../../src/optimizers/schedules/one_cycle.js';

const vec = (...v: number[]): Variable => new Variable(new Float64Array(v), [v.length], 'w');

test('clipValue bounds each weight\'s move by lr * clipValue, whatever the gradient', () => {
  // Exploding gradients 1e6: unclipped SGD (lr 0.1) would move each weight by 1e5.
  const w = vec(0, 0, 0, 0);
  new SGD({ learningRate: 0.1, clipValue: 0.5 }).applyGradients([new Float64Array([1e6, -1e6, 0.2, -3e38])], [w]);
  assert.deepEqual(Array.from(w.data), [-0.05, 0.05, -0.020000000000000004, 0.05]);
  for (const x of w.data) assert.ok(Math.abs(x) <= 0.1 * 0.5 + 1e-17);
  const unclipped = vec(0);
  new SGD({ learningRate: 0.1 }).applyGradients([new Float64Array([1e6])], [unclipped]);
  assert.equal(unclipped.data[0], -1e5);
});

test('clipNorm and globalClipNorm bound the length of the SGD update by lr * c', () => {
  const grads = [new Float64Array([3e4, -4e4]), new Float64Array([1e5])];
  for (const options of [{ clipNorm: 2 }, { globalClipNorm: 2 }]) {
    const a = vec(0, 0);
    const b = vec(0);
    new SGD({ learningRate: 0.1, ...options }).applyGradients(grads, [a, b]);
    const na = Math.hypot(...a.data);
    const nb = Math.hypot(...b.data);
    if ('clipNorm' in options) {
      assert.ok(Math.abs(na - 0.2) < 1e-15 && Math.abs(nb - 0.2) < 1e-15, `${na} ${nb}`);
    } else {
      assert.ok(Math.abs(Math.hypot(na, nb) - 0.2) < 1e-15, `${na} ${nb}`);
    }
  }
  // With momentum each velocity increment is bounded by lr c, so each move is at most lr c / (1 - momentum).
  const m = vec(0);
  const opt = new SGD({ learningRate: 0.1, momentum: 0.9, clipNorm: 1 });
  for (let k = 1; k <= 50; k++) {
    const before = m.data[0];
    opt.applyGradients([new Float64Array([k % 2 === 0 ? 1e9 : 3e9])], [m]);
    const move = Math.abs(m.data[0] - before);
    assert.ok(move <= 0.1 * (1 - 0.9 ** k) / (1 - 0.9) + 1e-12, `step ${k}: ${move}`);
  }
});

test('clipping keeps a diverging quadratic stable: SGD on 1e4 w^2 / 2 with a too-large step', () => {
  // Gradient 1e4 w, lr 0.01: unclipped, w <- w (1 - 100) diverges; clipped to |g| <= 1 it creeps
  // towards 0 by at most 0.01 per step and then oscillates within one step of it.
  const run = (clip: boolean, steps: number): number => {
    const w = vec(1);
    const opt = new SGD({ learningRate: 0.01, ...(clip ? { clipValue: 1 } : {}) });
    for (let i = 0; i < steps; i++) opt.applyGradients([new Float64Array([1e4 * w.data[0]])], [w]);
    return Math.abs(w.data[0]);
  };
  assert.ok(run(false, 20) > 1e39); // |w| = 99^20
  assert.ok(run(true, 200) <= 0.01);
});

test('a schedule lowers the step size over iterations (SGD and Adam with ExponentialDecay)', () => {
  const schedule = new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 });
  // SGD, gradient 1: the k-th move is exactly 0.1 * 0.5^k.
  const w = vec(0);
  const sgd = new SGD({ learningRate: schedule });
  let prev = 0;
  for (let k = 0; k < 6; k++) {
    sgd.applyGradients([new Float64Array([1])], [w]);
    const move = prev - w.data[0];
    assert.ok(Math.abs(move - 0.1 * 0.5 ** k) <= 1e-15, `step ${k}: ${move}`);
    prev = w.data[0];
  }
  // Adam with constant gradients moves about lr per step: the moves shrink with the schedule and
  // each is within 1% of lr(k) (bias-corrected m / sqrt(v) = 1 for a constant gradient).
  const a = vec(0);
  const adam = new Adam({ learningRate: schedule });
  let last = 0;
  const moves: number[] = [];
  for (let k = 0; k < 6; k++) {
    adam.applyGradients([new Float64Array([1])], [a]);
    moves.push(last - a.data[0]);
    last = a.data[0];
  }
  moves.forEach((m, k) => assert.ok(Math.abs(m / (0.1 * 0.5 ** k) - 1) < 0.01, `step ${k}: ${m}`));
  for (let k = 1; k < moves.length; k++) assert.ok(moves[k] < moves[k - 1]);
});

test('1cycle raises then lowers the step size (RMSprop)', () => {
  const schedule = new OneCycle({ maxLearningRate: 0.1, totalSteps: 40 });
  const opt = new RMSprop({ learningRate: schedule });
  const w = vec(0);
  const used: number[] = [];
  for (let k = 0; k < 40; k++) {
    used.push(opt.currentLearningRate());
    opt.applyGradients([new Float64Array([1])], [w]);
  }
  const peak = used.indexOf(Math.max(...used));
  assert.equal(peak, schedule.halfSteps);
  assert.ok(used[0] < used[peak] && used[39] < used[0]);
});

test('weight decay (decoupled) shrinks weights geometrically without a gradient', () => {
  const w = vec(2, -4);
  const opt = new SGD({ learningRate: 0.1, weightDecay: 0.5 });
  for (let i = 0; i < 3; i++) opt.applyGradients([new Float64Array([0, 0])], [w]);
  // Each step multiplies by 1 - lr * wd = 0.95.
  assert.deepEqual(Array.from(w.data).map((x) => Math.round(x * 1e12) / 1e12), [2 * 0.95 ** 3, -4 * 0.95 ** 3].map((x) => Math.round(x * 1e12) / 1e12));
});
