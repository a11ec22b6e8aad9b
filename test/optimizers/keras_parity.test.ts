// Keras 3 optimizer behaviours deepwell lacked: Adam/AdamW amsgrad (keras/src/optimizers/adam.py),
// exclude_from_weight_decay and apply() with no gradients (keras/src/optimizers/base_optimizer.py),
// CosineDecayRestarts (keras/src/optimizers/schedules/learning_rate_schedule.py) and MinMaxNorm
// (keras/src/constraints/constraints.py), against hand-derived values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Variable, tensor } from '../../src/core/tensor.js';
import { deserialize, serialize } from '../../src/core/serialization.js';
import { Adam } from '../../src/optimizers/adam.js';
import { AdamW } from '../../src/optimizers/adamw.js';
import { SGD } from '../../src/optimizers/sgd.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';
import '../../src/optimizers/registry.js';
import { CosineDecayRestarts } from '../../src/optimizers/schedules/cosine_decay_restarts.js';
import { MinMaxNorm } from '../../src/constraints/min_max_norm.js';
import { get as getConstraint } from '../../src/constraints/get.js';

const weight = (name: string, value = 0): Variable => new Variable(new Float64Array([value]), [1], name);
const close = (got: number, expected: number, tol: number, what: string): void => assert.ok(Math.abs(got - expected) <= tol, `${what}: ${got} vs ${expected}`);

test('Adam amsgrad divides by the running maximum of v (Keras), plain Adam by v', () => {
  // lr 0.1, betas 0.9 / 0.999, epsilon 1e-7, gradients 1 then 0, w0 = 0.
  // Step 1: m = 0.1, v = vhat = 0.001, alpha = 0.1 sqrt(0.001) / 0.1; w = -alpha 0.1 / (sqrt(0.001) + 1e-7).
  // Step 2: m = 0.09, v = 0.999 * 0.001 = 0.000999 < vhat = 0.001, alpha = 0.1 sqrt(1 - 0.999^2) / (1 - 0.9^2);
  // amsgrad subtracts alpha 0.09 / (sqrt(0.001) + 1e-7), Adam alpha 0.09 / (sqrt(0.000999) + 1e-7):
  // w = -0.16697178610987928 (amsgrad) and -0.16700529719050872 (Adam), as computed in float64 from these lines.
  const run = (opt: Optimizer): number => {
    const w = weight('dense/kernel');
    for (const g of [1, 0]) opt.applyGradients([new Float64Array([g])], [w]);
    return w.data[0];
  };
  close(run(new Adam({ learningRate: 0.1, amsgrad: true })), -0.16697178610987928, 1e-15, 'amsgrad');
  close(run(new Adam({ learningRate: 0.1 })), -0.16700529719050872, 1e-15, 'adam');
  // AdamW with weightDecay 0 is Adam; with amsgrad too.
  close(run(new AdamW({ learningRate: 0.1, weightDecay: 0, amsgrad: true })), -0.16697178610987928, 1e-15, 'adamw amsgrad');
  assert.throws(() => new Adam({ amsgrad: 'yes' as never }), (e: unknown) => e instanceof ValueError && /amsgrad must be true or false/.test(e.message));
  // Keras configs: amsgrad true is read by Adam and written back; SGD refuses it by name.
  const adam = deserialize<Adam>({ class_name: 'Adam', config: { learning_rate: 0.01, amsgrad: true } }, 'optimizers');
  assert.equal(adam.amsgrad, true);
  assert.equal((serialize(adam).config as Record<string, unknown>).amsgrad, true);
  assert.equal(deserialize<SGD>({ class_name: 'SGD', config: { amsgrad: false } }, 'optimizers').className, 'SGD');
  assert.throws(() => deserialize({ class_name: 'SGD', config: { amsgrad: true } }, 'optimizers'), (e: unknown) => e instanceof ValueError && /amsgrad/.test(e.message));
});

test('excludeFromWeightDecay: weights by reference or by name pattern (full name or its last part), as Keras', () => {
  // AdamW lr 0.1, weightDecay 0.1, zero gradients (the Adam step is 0): decayed weights become
  // 1 - 0.1 * 0.1 * 1 = 0.99; excluded ones stay 1.
  const step = (exclude: (o: AdamW, ws: Variable[]) => void): number[] => {
    const ws = [weight('dense/kernel', 1), weight('dense/bias', 1), weight('batch_normalization/gamma', 1)];
    const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.1 });
    exclude(opt, ws);
    opt.applyGradients(ws.map(() => new Float64Array([0])), ws);
    return ws.map((w) => w.data[0]);
  };
  const d = 1 - 0.1 * 0.1;
  assert.deepEqual(step(() => {}), [d, d, d]);
  assert.deepEqual(step((o) => o.excludeFromWeightDecay({ varNames: ['bias', 'gamma'] })), [d, 1, 1]);
  // Anchored patterns match the short name (Keras 3's variable.name) too.
  assert.deepEqual(step((o) => o.excludeFromWeightDecay({ varNames: ['^bias$'] })), [d, 1, d]);
  assert.deepEqual(step((o, ws) => o.excludeFromWeightDecay({ varList: [ws[0]] })), [1, d, d]);
  assert.throws(() => new AdamW().excludeFromWeightDecay({ varNames: ['('] }), (e: unknown) => e instanceof ValueError && /not a valid regular expression/.test(e.message));
  assert.throws(() => new AdamW().excludeFromWeightDecay({ var_names: ['bias'] } as never), (e: unknown) => e instanceof ValueError && /Did you mean 'varNames'/.test(e.message));
});

test('applyGradients: no gradient at all raises as Keras ("No gradients provided for any variable.") and does not advance iterations', () => {
  const w = weight('dense/kernel', 1);
  const opt = new Adam();
  // Keras: an empty list is a no-op.
  opt.applyGradients([], []);
  assert.equal(opt.iterations, 0);
  assert.throws(() => opt.applyGradients([null], [w]), (e: unknown) => e instanceof ValueError && /No gradients provided for any variable/.test(e.message) && /"?dense\/kernel/.test(e.message));
  assert.equal(opt.iterations, 0);
  assert.equal(w.data[0], 1);
  const frozen = new Variable(new Float64Array([1]), [1], 'frozen/kernel', false);
  assert.throws(() => opt.applyGradients([new Float64Array([1])], [frozen]), (e: unknown) => e instanceof ValueError && /1 belong to frozen weights/.test(e.message));
  assert.equal(opt.iterations, 0);
});

test('CosineDecayRestarts: periods growing by tMul, peaks shrinking by mMul (Keras SGDR)', () => {
  const s = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, mMul: 0.5 });
  // f = step / 10; i = floor(log2(1 + f)); r = (f - (2^i - 1)) / 2^i; lr = 0.5^i 0.5 (1 + cos(pi r)).
  // step 0: i 0, r 0 -> 1; step 5: r 0.5 -> 0.5; step 10: i 1, r 0 -> 0.5; step 20: i 1, r 0.5 -> 0.25;
  // step 30: i 2, r 0 -> 0.25; step 25: i 1, r 0.75 -> 0.25 (1 + cos(0.75 pi)) = 0.07322330470336313.
  for (const [step, lr] of [[0, 1], [5, 0.5], [10, 0.5], [20, 0.25], [30, 0.25], [25, 0.07322330470336313]]) close(s.call(step), lr, 1e-15, `step ${step}`);
  // tMul 1: every period 10 steps; alpha 0.1 keeps the floor at 0.1: step 15 -> 0.9 * 0.5 * 1 + 0.1 = 0.55.
  const flat = new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 10, tMul: 1, alpha: 0.1 });
  close(flat.call(15), 0.55, 1e-15, 'tMul 1');
  close(flat.call(10), 1, 1e-15, 'restart');
  // Keras config keys t_mul, m_mul.
  const k = deserialize<CosineDecayRestarts>({ class_name: 'CosineDecayRestarts', config: { initial_learning_rate: 0.1, first_decay_steps: 100, t_mul: 1.5, m_mul: 0.9, alpha: 0, name: 'SGDRDecay' } }, 'optimizers.schedules');
  assert.equal(k.tMul, 1.5);
  assert.equal(k.mMul, 0.9);
  assert.throws(() => new CosineDecayRestarts({ initialLearningRate: 1, firstDecaySteps: 0 }), (e: unknown) => e instanceof ValueError && /firstDecaySteps/.test(e.message));
  // Used by an optimizer: the rate of step `iterations`.
  const opt = new SGD({ learningRate: s });
  opt.iterations = 20;
  close(opt.currentLearningRate(), 0.25, 1e-15, 'SGD with CosineDecayRestarts');
});

test('MinMaxNorm: rate * clip(n, min, max) + (1 - rate) * n over the axis, by hand', () => {
  // Columns [3, 4] (norm 5) and [0.3, 0.4] (norm 0.5); min 1, max 2.
  const w = tensor([[3, 0.3], [4, 0.4]], undefined, 'float64');
  // rate 1: norms -> 2 and 1: [1.2, 1.6] * 5 / (5 + 1e-7) and [0.6, 0.8] * 0.5 / (0.5 + 1e-7).
  const full = new MinMaxNorm({ minValue: 1, maxValue: 2 }).apply(w).data;
  const f5 = 5 / (5 + 1e-7);
  const f05 = 0.5 / (0.5 + 1e-7);
  [1.2 * f5, 0.6 * f05, 1.6 * f5, 0.8 * f05].forEach((e, i) => close(full[i], e, 1e-15, `rate 1 [${i}]`));
  // rate 0.5: desired norms 0.5 * 2 + 0.5 * 5 = 3.5 and 0.5 * 1 + 0.5 * 0.5 = 0.75.
  const half = new MinMaxNorm({ minValue: 1, maxValue: 2, rate: 0.5 }).apply(w).data;
  [3 * 0.7 * f5, 0.3 * 1.5 * f05, 4 * 0.7 * f5, 0.4 * 1.5 * f05].forEach((e, i) => close(half[i], e, 1e-15, `rate 0.5 [${i}]`));
  assert.equal(getConstraint('min_max_norm')?.getConfig().maxValue, 1);
  const keras = getConstraint({ class_name: 'MinMaxNorm', config: { min_value: 0.5, max_value: 3, rate: 1, axis: 0 } }) as MinMaxNorm;
  assert.equal(keras.minValue, 0.5);
  assert.throws(() => new MinMaxNorm({ minValue: 2, maxValue: 1 }), (e: unknown) => e instanceof ValueError && /minValue 2 is larger than maxValue 1/.test(e.message));
  assert.throws(() => new MinMaxNorm({ rate: 2 }), (e: unknown) => e instanceof ValueError && /rate must be a number in \[0, 1\]/.test(e.message));
});
