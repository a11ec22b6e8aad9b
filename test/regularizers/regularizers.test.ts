// L1, L2, L1L2: Keras's formulas (no 1/2 in L2), gradients by float64 central differences, names,
// serialization round trips, Dense's penalties in fit (logged apart as regularization_loss), and
// the effect on training: L2 shrinks the weights relative to the same run without it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { grad } from '../../src/autodiff/grad.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { Dense, Flatten, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { L1, L1L2, L2, deserialize, get, serialize } from '../../src/regularizers/index.js';

const w = tensor([[1, -2], [0.5, 3]], undefined, 'float64');

test('L2 = l2 * sum(w^2) (no 1/2, as Keras) and its gradient is 2 * l2 * w', () => {
  // sum(w^2) = 1 + 4 + 0.25 + 9 = 14.25; 0.01 * 14.25 = 0.1425.
  assert.ok(Math.abs(new L2().apply(w).item() - 0.1425) < 1e-15);
  const [g] = grad((t) => new L2({ l2: 0.1 }).apply(t))(w);
  assert.deepEqual([...g.data].map((v) => +v.toFixed(12)), [0.2, -0.4, 0.1, 0.6]);
  // Keras's docstring: L2(2.)(ones((5, 5))) = 50.
  assert.equal(new L2({ l2: 2 }).apply(new Tensor(new Float64Array(25).fill(1), [5, 5])).item(), 50);
});

test('L1 = l1 * sum(|w|), gradient l1 * sign(w); L1L2 adds both; float64 gradchecks', () => {
  // sum|w| = 6.5.
  assert.ok(Math.abs(new L1().apply(w).item() - 0.065) < 1e-15);
  assert.ok(Math.abs(new L1L2({ l1: 0.1, l2: 0.2 }).apply(w).item() - (0.65 + 2.85)) < 1e-14);
  assert.equal(new L1L2().apply(w).item(), 0);
  const [g] = grad((t) => new L1({ l1: 0.5 }).apply(t))(w);
  assert.deepEqual([...g.data], [0.5, -0.5, 0.5, 0.5]);
  for (const r of [new L1({ l1: 0.3 }), new L2({ l2: 0.7 }), new L1L2({ l1: 0.2, l2: 0.4 })]) {
    const res = gradcheck((t) => r.apply(t), [w]);
    assert.ok(res.maxError < 1e-8, `${r.getClassName()}: ${res.maxError}`);
  }
});

test("get: 'l1', 'l2', 'l1_l2' (0.01 each, Keras's documented defaults), class names, configs; bad values are rejected", () => {
  assert.deepEqual(get('l1')?.getConfig(), { l1: 0.01 });
  assert.deepEqual(get('l2')?.getConfig(), { l2: 0.01 });
  assert.deepEqual(get('l1_l2')?.getConfig(), { l1: 0.01, l2: 0.01 });
  assert.deepEqual(get('l1l2')?.getConfig(), { l1: 0.01, l2: 0.01 });
  // Keras 3's get('L1L2') instantiates the class with its defaults, 0 and 0.
  assert.deepEqual(get('L1L2')?.getConfig(), { l1: 0, l2: 0 });
  assert.equal(get(null), null);
  assert.equal(get(undefined), null);
  const r = new L2({ l2: 1e-4 });
  assert.equal(get(r), r);
  assert.deepEqual(get({ class_name: 'L2', config: { l2: 1e-4 } })?.getConfig(), { l2: 1e-4 });
  assert.deepEqual(get({ className: 'L1', config: { l1: 0.2 } })?.getConfig(), { l1: 0.2 });
  assert.throws(() => get('l3'), (e: unknown) => e instanceof ValueError && /Did you mean 'l1'|Did you mean 'l2'/.test(e.message));
  assert.throws(() => get({ class_name: 'L2', config: { l2: 0.1, l3: 1 } }), ValueError);
  assert.throws(() => new L2({ l2: -1 }), (e: unknown) => e instanceof ValueError && /l2 must be a finite number >= 0/.test(e.message));
  assert.throws(() => new L1({ l1: Number.NaN }), ValueError);
});

test('serialize / deserialize round trip of every regularizer class', () => {
  for (const r of [new L1({ l1: 0.3 }), new L2({ l2: 0.02 }), new L1L2({ l1: 0.001, l2: 0.004 })]) {
    const json = JSON.parse(JSON.stringify(serialize(r))) as { class_name: string; config: Record<string, unknown> };
    assert.equal(json.class_name, r.getClassName());
    const copy = deserialize(json);
    assert.deepEqual(copy.getConfig(), r.getConfig());
    assert.equal(copy.apply(w).item(), r.apply(w).item());
  }
  assert.equal(serialize(null), null);
});

/** Two Gaussian blobs, linearly separable with some noise; labels 0/1. */
function blobs(n: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = new Float32Array(2 * n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    x[2 * i] = (c === 0 ? -1 : 1) + 0.8 * rng.nextNormal();
    x[2 * i + 1] = (c === 0 ? 1 : -1) + 0.8 * rng.nextNormal();
    y[i] = c;
  }
  return { x: new Tensor(x, [n, 2]), y: new Tensor(y, [n]) };
}

function model(l2: number | null): Sequential {
  resetLayerNames();
  const init = { class_name: 'GlorotUniform', config: { seed: 21 } };
  const reg = l2 === null ? undefined : new L2({ l2 });
  return new Sequential([
    new Flatten({ inputShape: [2] }),
    new Dense(16, { activation: 'relu', kernelInitializer: { class_name: 'HeNormal', config: { seed: 20 } }, kernelRegularizer: reg }),
    new Dense(2, { activation: 'softmax', kernelInitializer: init, kernelRegularizer: reg }),
  ]);
}

test('Dense adds l2 * sum(kernel^2) to the loss; fit logs it apart as regularization_loss', async () => {
  const m = model(0.01);
  const dense = m.layers[1] as Dense;
  const [penalty] = dense.regularizationLosses();
  const k = dense.kernel as Tensor;
  const expected = 0.01 * [...k.data].reduce((p, v) => p + v * v, 0);
  assert.ok(Math.abs(penalty.item() - expected) < 1e-6 * expected, `${penalty.item()} vs ${expected}`);
  const { x, y } = blobs(64, 1);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }), metrics: ['accuracy'] });
  const h = await m.fit(x, y, { epochs: 2, batchSize: 16, seed: 4 });
  const reg = h.history.regularization_loss;
  assert.equal(reg?.length, 2);
  assert.ok(reg.every((v) => v > 0 && v < h.history.loss[0]), `regularization_loss ${reg}`);
  // Without regularizers the key is absent (Keras logs only what exists).
  const plain = model(null);
  plain.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });
  const h2 = await plain.fit(x, y, { epochs: 1, batchSize: 16, seed: 4 });
  assert.equal(h2.history.regularization_loss, undefined);
});

test('L2 shrinks the weights relative to the same training without it (same init, data, order)', async () => {
  const { x, y } = blobs(128, 2);
  const norms: number[] = [];
  for (const l2 of [null, 0.05]) {
    const m = model(l2);
    m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });
    await m.fit(x, y, { epochs: 5, batchSize: 16, seed: 9 });
    norms.push(Math.sqrt(m.trainableWeights.filter((v) => v.name.endsWith('kernel')).reduce((p, v) => p + [...v.data].reduce((q, e) => q + e * e, 0), 0)));
  }
  assert.ok(norms[1] < 0.9 * norms[0], `kernel norm with L2 ${norms[1]} vs without ${norms[0]}`);
});
