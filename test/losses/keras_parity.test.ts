// The losses Keras 3 has that deepwell lacked (mean_absolute_error, huber, log_cosh, kl_divergence,
// poisson, hinge), label smoothing, sample weights and Keras's rank alignment, against values
// derived by hand from the formulas of Keras 3 keras/src/losses/losses.py (and its docstring
// values where it gives them), with float64 gradchecks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { deserialize, serialize } from '../../src/core/serialization.js';
import { grad } from '../../src/autodiff/grad.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import {
  binaryCrossentropy, categoricalCrossentropy, hinge, huber, klDivergence, logCosh, meanAbsoluteError,
  meanSquaredError, poisson, sparseCategoricalCrossentropy,
} from '../../src/losses/losses.js';
import { getLoss } from '../../src/losses/get.js';
import { BinaryCrossentropy, CategoricalCrossentropy, type Loss, SparseCategoricalCrossentropy } from '../../src/losses/loss.js';
import { Huber } from '../../src/losses/huber.js';
import { Hinge } from '../../src/losses/hinge.js';
import { softmax } from '../../src/ops/softmax.js';

const f64 = (v: number[][] | number[]): Tensor => tensor(v as number[][], undefined, 'float64');
const close = (got: number, expected: number, tol: number, what: string): void => assert.ok(Math.abs(got - expected) <= tol, `${what}: ${got} vs ${expected}`);
/** Keras's docstring inputs, shared by several losses. */
const Y_TRUE = f64([[0, 1], [0, 0]]);
const Y_PRED = f64([[0.6, 0.4], [0.4, 0.6]]);

test('mean_absolute_error: mean |e| per sample, then the batch mean', () => {
  // |e| = [0.6, 0.6] -> 0.6 and [0.4, 0.6] -> 0.5; batch mean 0.55.
  close(meanAbsoluteError(Y_TRUE, Y_PRED).item(), 0.55, 1e-15, 'mae');
  close(getLoss('mae').fn(Y_TRUE, Y_PRED).item(), 0.55, 1e-15, "getLoss('mae')");
});

test('huber: quadratic within delta, linear beyond; Keras docstring value 0.155', () => {
  // delta 1: all |e| <= 1, 0.5 e^2 = [0.18, 0.18] -> 0.18 and [0.08, 0.18] -> 0.13; mean 0.155 (Keras docstring).
  close(huber(Y_TRUE, Y_PRED).item(), 0.155, 1e-15, 'huber');
  // delta 0.5: |e| = 0.6 > 0.5 gives 0.5 * 0.6 - 0.5 * 0.25 = 0.175; 0.4 gives 0.08.
  // Rows: 0.175 and (0.08 + 0.175) / 2 = 0.1275; mean 0.15125.
  close(huber(Y_TRUE, Y_PRED, { delta: 0.5 }).item(), 0.15125, 1e-15, 'huber delta 0.5');
  close(new Huber({ delta: 0.5 }).call(Y_TRUE, Y_PRED).item(), 0.15125, 1e-15, 'Huber object');
  // The gradient is continuous at |e| = delta: d/de = delta sign(e) from both sides; over 1 element, 0.5 at e = 0.5.
  const g = grad((p: Tensor) => huber(f64([[0]]), p, { delta: 0.5 }))(f64([[0.5]]))[0];
  close(g.data[0], 0.5, 1e-15, 'huber gradient at the kink');
  assert.throws(() => huber(Y_TRUE, Y_PRED, { delta: 0 }), (e: unknown) => e instanceof ValueError && /delta must be a finite number > 0/.test(e.message));
});

test('log_cosh: Keras docstring value 0.108, and no overflow at e = 1000', () => {
  // log(cosh(1)) = 0.4337808304830271; rows 0.21689041524151356 and 0; mean 0.10844520762075678 (Keras: 0.108).
  close(logCosh(f64([[0, 1], [0, 0]]), f64([[1, 1], [0, 0]])).item(), 0.10844520762075678, 1e-15, 'log_cosh');
  // log(cosh(1000)) = 1000 - log 2 (cosh overflows; e + softplus(-2e) - log 2 does not).
  close(logCosh(f64([[0]]), f64([[1000]])).item(), 1000 - Math.LN2, 1e-12, 'log_cosh large');
});

test('kl_divergence: sum t log(t / p) with both clipped to [1e-7, 1]', () => {
  // 0.2 log(0.2 / 0.5) + 0.8 log(0.8 / 0.5) = 0.19274475702175753.
  close(klDivergence(f64([[0.2, 0.8]]), f64([[0.5, 0.5]])).item(), 0.19274475702175753, 1e-15, 'kld');
  // A zero target contributes 1e-7 log(1e-7 / p), not NaN.
  assert.ok(Number.isFinite(klDivergence(f64([[0, 1]]), f64([[0.5, 0.5]])).item()));
  assert.equal(getLoss('kld').name, 'kl_divergence');
});

test('poisson: mean(y_pred - y_true log(y_pred + 1e-7))', () => {
  // (2 - log(2 + 1e-7) + 1 - 2 log(1 + 1e-7)) / 2 = 1.153426284720033.
  close(poisson(f64([[1, 2]]), f64([[2, 1]])).item(), 1.153426284720033, 1e-15, 'poisson');
});

test('hinge: 0/1 labels become -1/1 (Keras convert_binary_labels_to_hinge); mean max(1 - y p, 0)', () => {
  // y = [[-1, 1], [1, -1]]: 1.3, 0.2 -> 0.75; 1.5, 1.2 -> 1.35; mean 1.05.
  const p = f64([[0.3, 0.8], [-0.5, 0.2]]);
  close(hinge(f64([[0, 1], [1, 0]]), p).item(), 1.05, 1e-15, 'hinge 0/1');
  close(hinge(f64([[-1, 1], [1, -1]]), p).item(), 1.05, 1e-15, 'hinge -1/1');
  close(new Hinge().call(f64([[1]]), f64([[2]])).item(), 0, 0, 'hinge beyond the margin');
});

test('label smoothing: binary squeezes towards 0.5, categorical towards 1 / classes; the softmax path stays exact', () => {
  // s = 0.2: targets [1, 0] -> [0.9, 0.1]; -(0.9 log 0.9 + 0.1 log 0.1) and -(0.1 log 0.2 + 0.9 log 0.8), halved.
  close(binaryCrossentropy(f64([[1, 0]]), f64([[0.9, 0.2]]), { labelSmoothing: 0.2 }).item(), 0.3434279804088235, 1e-15, 'bce smoothing');
  close(new BinaryCrossentropy({ labelSmoothing: 0.2 }).call(f64([[1, 0]]), f64([[0.9, 0.2]])).item(), 0.3434279804088235, 1e-15, 'BCE object');
  // Logits [1000, 0, -1000] through softmax, target class 0, s = 0.3: targets [0.8, 0.1, 0.1];
  // log_softmax = [0, -1000, -2000], loss = 0.1 * 1000 + 0.1 * 2000 = 300 exactly;
  // gradient softmax - targets = [1, 0, 0] - [0.8, 0.1, 0.1].
  const loss = (z: Tensor): Tensor => categoricalCrossentropy(f64([[1, 0, 0]]), softmax(z), { labelSmoothing: 0.3 });
  const z = f64([[1000, 0, -1000]]);
  // (Equal up to the rounding of the smoothed targets: 0.3 / 3 is not exact in binary.)
  close(loss(z).item(), 300, 1e-12, 'cce smoothing through softmax');
  const g = grad(loss)(z)[0];
  [0.2, -0.1, -0.1].forEach((e, i) => close(g.data[i], e, 1e-15, `gradient[${i}]`));
  close(new CategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.3 }).call(f64([[1, 0, 0]]), z).item(), 300, 1e-12, 'CCE object');
  // Keras 3's sparse crossentropy has no label_smoothing: refused, pointing to the categorical one.
  assert.throws(() => new SparseCategoricalCrossentropy({ labelSmoothing: 0.1 } as never), (e: unknown) => e instanceof ValueError && /one-hot encode/.test(e.message));
  assert.throws(() => sparseCategoricalCrossentropy(f64([0]), f64([[0.5, 0.5]]), { labelSmoothing: 0.1 } as never), ValueError);
  assert.throws(() => binaryCrossentropy(f64([[1]]), f64([[0.5]]), { labelSmoothing: 1.5 }), (e: unknown) => e instanceof ValueError && /\[0, 1\]/.test(e.message));
});

test("sample weights: sum(values * w) / batch size (Keras's sum_over_batch_size), not divided by sum(w)", () => {
  // Keras docstring (SparseCategoricalCrossentropy): 1.177 plain, 0.814 with weights [0.3, 0.7]:
  // values [-log 0.95, -log 0.1] = [0.0513, 2.3026]; (0.3 * 0.0513 + 0.7 * 2.3026) / 2 = 0.8136.
  const yt = f64([1, 2]);
  const yp = f64([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]);
  close(sparseCategoricalCrossentropy(yt, yp).item(), 1.176939193690798, 1e-12, 'scce');
  close(sparseCategoricalCrossentropy(yt, yp, { sampleWeight: f64([0.3, 0.7]) }).item(), 0.8135987767060484, 1e-12, 'scce weighted');
  // MSE values [1, 4]: weights [1, 0] give (1 + 0) / 2 = 0.5, not 1 (which dividing by sum(w) would give).
  close(meanSquaredError(f64([[0], [0]]), f64([[1], [2]]), { sampleWeight: f64([1, 0]) }).item(), 0.5, 0, 'mse weighted');
  assert.throws(() => meanSquaredError(f64([[0], [0]]), f64([[1], [2]]), { sampleWeight: f64([1, 0, 1]) }), (e: unknown) => e instanceof ShapeError && /one weight per sample/.test(e.message));
});

test('binary crossentropy takes targets [n] against predictions [n, 1], as Keras does', () => {
  // (-log 0.9 - log 0.8) / 2 = 0.164252033486018.
  close(binaryCrossentropy(f64([1, 0]), f64([[0.9], [0.2]])).item(), 0.164252033486018, 1e-15, 'bce [n] vs [n, 1]');
  close(meanAbsoluteError(f64([1, 0]), f64([[0.9], [0.2]])).item(), 0.15, 1e-15, 'mae [n] vs [n, 1]');
  assert.throws(() => binaryCrossentropy(f64([1, 0, 1]), f64([[0.9], [0.2]])), ShapeError);
});

test('losses by name in compile form, and fromLogits only for the crossentropies', () => {
  for (const [name, canonical] of [['huber', 'huber'], ['logcosh', 'log_cosh'], ['poisson', 'poisson'], ['hinge', 'hinge'], ['mean_absolute_error', 'mean_absolute_error']]) {
    assert.equal(getLoss(name).name, canonical, name);
  }
  assert.throws(() => getLoss({ name: 'huber', fromLogits: true } as never), (e: unknown) => e instanceof ValueError && /crossentropies only/.test(e.message));
  assert.throws(() => getLoss({ name: 'mean_squared_error', fromLogits: true }), (e: unknown) => e instanceof ValueError && /crossentropies only/.test(e.message));
  assert.throws(() => getLoss('huberr'), (e: unknown) => e instanceof ValueError && /Did you mean 'huber'/.test(e.message));
  assert.throws(() => getLoss(42 as never), (e: unknown) => e instanceof ValueError && /expected a loss name/.test(e.message));
});

test('loss objects round-trip through their Keras 3 config', () => {
  const h = serialize(new Huber({ delta: 2 }));
  assert.deepEqual(h, { module: 'keras.losses', class_name: 'Huber', config: { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 2 }, registered_name: null });
  assert.equal(deserialize<Huber>(h, 'losses').delta, 2);
  const b = serialize(new BinaryCrossentropy({ labelSmoothing: 0.1 }));
  assert.deepEqual(b.config, { name: 'binary_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, label_smoothing: 0.1 });
  assert.equal(deserialize<BinaryCrossentropy>(b, 'losses').labelSmoothing, 0.1);
  // Keras 3 writes axis: -1 for the crossentropies; read.
  const keras = { module: 'keras.losses', class_name: 'CategoricalCrossentropy', config: { name: 'categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: true, label_smoothing: 0.2, axis: -1 }, registered_name: null };
  const cce = deserialize<CategoricalCrossentropy>(keras, 'losses');
  assert.equal(cce.labelSmoothing, 0.2);
  assert.equal(cce.fromLogits, true);
  for (const cls of ['MeanAbsoluteError', 'LogCosh', 'KLDivergence', 'Poisson', 'Hinge']) {
    const l = deserialize<Loss>({ class_name: cls, config: {} }, 'losses');
    assert.deepEqual(deserialize<Loss>(JSON.parse(JSON.stringify(serialize(l))), 'losses').getConfig(), l.getConfig(), cls);
  }
});

test('every new loss passes float64 gradcheck with respect to its predictions, weighted too', () => {
  const rng = new Rng(91);
  const rand = (lo: number, hi: number): Tensor => {
    const d = new Float64Array(12);
    rng.fillUniform(d, lo, hi);
    return new Tensor(d, [3, 4]);
  };
  const yReal = rand(-1, 1);
  const yProb = rand(0.1, 0.9);
  const yBin = f64([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]]);
  const w = f64([0.5, 2, 1.25]);
  const cases: [string, (p: Tensor) => Tensor, Tensor][] = [
    ['mae', (p) => meanAbsoluteError(yReal, p, { sampleWeight: w }), rand(2, 3)],
    ['huber', (p) => huber(yReal, p, { delta: 0.7, sampleWeight: w }), rand(-2, 2)],
    ['log_cosh', (p) => logCosh(yReal, p), rand(-2, 2)],
    ['kl_divergence', (p) => klDivergence(yProb, p), rand(0.1, 0.9)],
    ['poisson', (p) => poisson(yProb, p, { sampleWeight: w }), rand(0.2, 2)],
    ['hinge', (p) => hinge(yBin, p), rand(2, 3)],
    ['hinge margin', (p) => hinge(yBin, p), rand(-0.8, 0.8)],
    ['bce smoothed', (p) => binaryCrossentropy(yBin, p, { labelSmoothing: 0.1, fromLogits: true, sampleWeight: w }), rand(-3, 3)],
  ];
  for (const [name, f, p] of cases) {
    const r = gradcheck(f, [p]);
    assert.ok(r.maxError < 1e-6, `${name}: maxError ${r.maxError} (${JSON.stringify(r.worst)})`);
  }
});

test('fit and evaluate with binary crossentropy take labels [n] for a one-unit output [n, 1], as Keras', async () => {
  const { Sequential } = await import('../../src/models/sequential.js');
  const { Dense } = await import('../../src/layers/dense.js');
  const m = new Sequential([new Dense(1, { activation: 'sigmoid', inputShape: [1], kernelInitializer: 'zeros', biasInitializer: 'zeros' })]);
  m.compile({ loss: 'binary_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  // Zero weights: p = sigmoid(0) = 0.5 for every sample, loss -log 0.5 = log 2 whatever the labels.
  const r = m.evaluate(tensor([[1], [2], [3], [4]]), tensor([0, 1, 1, 0]));
  close(r.loss, Math.LN2, 1e-6, 'bce [n] vs [n, 1]');
  const h = await m.fit(tensor([[1], [2], [3], [4]]), tensor([0, 0, 1, 1]), { epochs: 1, verbose: 0 });
  close(h.history.loss[0], Math.LN2, 1e-6, 'fit loss at step 0 (one batch)');
});
