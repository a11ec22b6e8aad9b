import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Variable } from '../../src/core/tensor.js';
import { Adam } from '../../src/optimizers/adam.js';
import { getOptimizer } from '../../src/optimizers/get.js';
import type { Optimizer } from '../../src/optimizers/optimizer.js';
import { SGD } from '../../src/optimizers/sgd.js';

/** A float64 scalar weight w0 = value. */
const scalar = (value = 0): Variable => new Variable(new Float64Array([value]), [1], 'w');

/** Applies `steps` updates with a constant gradient and returns w after each. */
function run(opt: Optimizer, w: Variable, g: number, steps: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    opt.applyGradients([new Float64Array([g])], [w]);
    out.push(w.data[0]);
  }
  return out;
}

const close = (got: number[], expected: number[], tol = 1e-12): void =>
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) <= tol, `step ${i + 1}: ${v} vs ${expected[i]}`));

test('plain SGD: w -= lr * g', () => {
  // w0 = 1, g = 2, lr = 0.1: 1 - 0.2 = 0.8, then 0.6.
  const w = scalar(1);
  close(run(new SGD({ learningRate: 0.1 }), w, 2, 2), [0.8, 0.6]);
  // Vector weight and gradient, element by element.
  const v = new Variable(new Float64Array([1, -1, 0]), [3], 'v');
  new SGD({ learningRate: 0.5 }).applyGradients([new Float64Array([1, 2, -4])], [v]);
  assert.deepEqual([...v.data], [0.5, -2, 2]);
  // Default learning rate 0.01 (Keras).
  assert.equal(new SGD().learningRate, 0.01);
});

// Momentum forms (pytorch/pytorch#1099, keras-team/keras#966): w0 = 0, gradient 1, lr 0.1, momentum 0.9.
test('SGD momentum: w = -0.1, -0.29, -0.561', () => {
  // v1 = -0.1, w1 = -0.1; v2 = -0.09 - 0.1 = -0.19, w2 = -0.29; v3 = -0.171 - 0.1 = -0.271, w3 = -0.561.
  close(run(new SGD({ learningRate: 0.1, momentum: 0.9 }), scalar(), 1, 3), [-0.1, -0.29, -0.561]);
});

test('SGD Nesterov: w = -0.19, -0.461', () => {
  // Keras form: v1 = -0.1, w1 = 0.9 v1 - 0.1 = -0.19; v2 = -0.19, w2 = -0.19 + 0.9 (-0.19) - 0.1 = -0.461.
  close(run(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), scalar(), 1, 2), [-0.19, -0.461]);
});

test('SGD momentum, lr changed from 0.1 to 0.01 after step 1: Keras form gives -0.2', () => {
  // v1 = -0.1, w1 = -0.1; lr = 0.01: v2 = 0.9 (-0.1) - 0.01 = -0.1, w2 = -0.2 (PyTorch's form: -0.119).
  const opt = new SGD({ learningRate: 0.1, momentum: 0.9 });
  const w = scalar();
  close(run(opt, w, 1, 1), [-0.1]);
  opt.learningRate = 0.01;
  close(run(opt, w, 1, 1), [-0.2]);
});

// Adam's epsilon (tensorflow/tensorflow#35102, pytorch/pytorch#41477): one scalar, lr 1, beta1 0.9, beta2 0.999, eps 1e-7, step 1.
test('Adam (Keras epsilon-hat form): first step 0.240253 for gradient 1e-6, 0.9999968 for gradient 1', () => {
  // m = 0.1 g, v = 0.001 g^2; alpha = lr sqrt(1 - 0.999) / (1 - 0.9) = 0.31622776601683794;
  // g = 1e-6: delta = alpha * 1e-7 / (sqrt(1e-15) + 1e-7) = 3.1622776601683794e-8 / 1.3162277660168379e-7.
  const expected = (Math.sqrt(0.001) / 0.1) * 1e-7 / (Math.sqrt(1e-15) + 1e-7);
  assert.ok(Math.abs(expected - 0.240253) < 1e-6);
  const opts = { learningRate: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
  const w = scalar();
  run(new Adam(opts), w, 1e-6, 1);
  const delta = -w.data[0];
  assert.ok(Math.abs(delta / 0.240253 - 1) < 1e-6, `delta ${delta}`);
  assert.ok(Math.abs(delta - expected) < 1e-15, `delta ${delta} vs ${expected}`);
  // g = 1: delta = sqrt(0.001) / (sqrt(0.001) + 1e-7) = 0.99999683772...
  const w1 = scalar();
  run(new Adam(opts), w1, 1, 1);
  const expected1 = Math.sqrt(0.001) / (Math.sqrt(0.001) + 1e-7);
  assert.ok(Math.abs(-w1.data[0] - expected1) < 1e-15, `${-w1.data[0]} vs ${expected1}`);
  assert.ok(Math.abs(-w1.data[0] - 0.9999968) < 1e-7);
});

test('Adam defaults (Keras): lr 0.001, beta1 0.9, beta2 0.999, epsilon 1e-7; iterations count steps', () => {
  const a = new Adam();
  assert.deepEqual(a.getConfig(), { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
  // Second step with constant gradient 1 (t = 2): m = 0.19, v = 0.001999;
  // w2 = w1 - lr sqrt(1 - 0.999^2) / (1 - 0.9^2) * 0.19 / (sqrt(0.001999) + 1e-7).
  const w = scalar();
  const steps = run(new Adam({ learningRate: 0.1 }), w, 1, 2);
  const d1 = 0.1 * (Math.sqrt(0.001) / 0.1) * 0.1 / (Math.sqrt(0.001) + 1e-7);
  const d2 = 0.1 * (Math.sqrt(1 - 0.999 ** 2) / (1 - 0.81)) * 0.19 / (Math.sqrt(0.001999) + 1e-7);
  close(steps, [-d1, -d1 - d2], 1e-14);
  const opt = new SGD();
  run(opt, scalar(), 1, 3);
  assert.equal(opt.iterations, 3);
});

test('frozen weights and null gradients are skipped; gradient count and size are checked', () => {
  const w = scalar(1);
  const frozen = new Variable(new Float64Array([1]), [1], 'frozen', false);
  const opt = new SGD({ learningRate: 0.5 });
  opt.applyGradients([new Float64Array([1]), new Float64Array([1])], [w, frozen]);
  assert.equal(w.data[0], 0.5);
  assert.equal(frozen.data[0], 1);
  // No gradient at all raises as Keras 3 does ("No gradients provided for any variable."), changing nothing.
  assert.throws(() => opt.applyGradients([null], [w]), (e: unknown) => e instanceof ValueError && /No gradients provided for any variable/.test(e.message));
  assert.equal(w.data[0], 0.5);
  assert.equal(opt.iterations, 1);
  assert.throws(() => opt.applyGradients([], [w]), ShapeError);
  assert.throws(() => opt.applyGradients([new Float64Array(2)], [w]), (e: unknown) => e instanceof ShapeError && /"w"/.test(e.message));
});

test('invalid options throw ValueError naming the option and the value', () => {
  for (const lr of [0, -1, Number.NaN, Infinity]) {
    assert.throws(() => new SGD({ learningRate: lr }), (e: unknown) => e instanceof ValueError && /learningRate/.test(e.message) && e.message.includes(String(lr)), `SGD lr ${lr}`);
    assert.throws(() => new Adam({ learningRate: lr }), (e: unknown) => e instanceof ValueError && /learningRate/.test(e.message), `Adam lr ${lr}`);
  }
  for (const momentum of [1, -0.1, 1.5, Number.NaN]) {
    assert.throws(() => new SGD({ momentum }), (e: unknown) => e instanceof ValueError && /momentum/.test(e.message), `momentum ${momentum}`);
  }
  assert.throws(() => new Adam({ beta1: 1 }), (e: unknown) => e instanceof ValueError && /beta1/.test(e.message));
  assert.throws(() => new Adam({ beta2: -0.1 }), (e: unknown) => e instanceof ValueError && /beta2/.test(e.message));
  assert.throws(() => new Adam({ epsilon: 0 }), (e: unknown) => e instanceof ValueError && /epsilon/.test(e.message));
  // Momentum 0 is valid (plain SGD).
  assert.equal(new SGD({ momentum: 0 }).momentum, 0);
});

test('getOptimizer resolves names and suggests the nearest one', () => {
  assert.ok(getOptimizer('adam') instanceof Adam);
  assert.ok(getOptimizer('SGD') instanceof SGD);
  assert.equal(getOptimizer('sgd', 0.3).learningRate, 0.3);
  const inst = new SGD();
  assert.equal(getOptimizer(inst), inst);
  assert.throws(() => getOptimizer('adma'), (e: unknown) => {
    assert.ok(e instanceof ValueError);
    assert.match(e.message, /received 'adma'/);
    assert.match(e.message, /Did you mean 'adam'\?/);
    return true;
  });
});
