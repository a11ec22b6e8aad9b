// MaxNorm, UnitNorm, NonNeg: Keras's formulas on hand-computable weights, names and serialization,
// and their effect in fit: max_norm bounds every unit's incoming norm after each step, non_neg keeps
// weights >= 0, and frozen weights are never projected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { Callback } from '../../src/callbacks/callback.js';
import { Dense, Flatten, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';
import { CONSTRAINT_EPSILON, MaxNorm, NonNeg, UnitNorm, deserialize, get, serialize } from '../../src/constraints/index.js';

const close = (got: ArrayLike<number>, expected: readonly number[], tol: number): void => {
  assert.equal(got.length, expected.length);
  expected.forEach((e, i) => assert.ok(Math.abs(got[i] - e) <= tol, `element ${i}: ${got[i]} vs ${e}`));
};

test('MaxNorm: column norms above maxValue are scaled to it, the others kept (Keras: w * clip(n, 0, m) / (eps + n))', () => {
  // Columns of a Dense kernel [in 2, out 2]: (3, 4) has norm 5, (0.3, 0.4) norm 0.5.
  const w = tensor([[3, 0.3], [4, 0.4]], undefined, 'float64');
  const y = new MaxNorm({ maxValue: 1 }).apply(w);
  // Column 0 -> (0.6, 0.8) * 5 / (5 + 1e-7); column 1 * 0.5 / (0.5 + 1e-7).
  const f0 = 5 / (5 + CONSTRAINT_EPSILON) / 5;
  const f1 = 0.5 / (0.5 + CONSTRAINT_EPSILON);
  close(y.data, [3 * f0, 0.3 * f1, 4 * f0, 0.4 * f1], 1e-15);
  assert.equal(CONSTRAINT_EPSILON, 1e-7);
  // axis 1: norms of the rows instead.
  const rows = new MaxNorm({ maxValue: 1, axis: 1 }).apply(tensor([[3, 4], [0.3, 0.4]], undefined, 'float64'));
  close(rows.data, [0.6, 0.8, 0.3, 0.4], 1e-6);
  assert.deepEqual(new MaxNorm().getConfig(), { maxValue: 2, axis: 0 });
  assert.throws(() => new MaxNorm({ maxValue: -1 }), ValueError);
  assert.throws(() => new MaxNorm({ axis: 0.5 }), ValueError);
});

test('UnitNorm scales each column to norm 1; NonNeg clips negatives to 0', () => {
  close(new UnitNorm().apply(tensor([[3], [4]], undefined, 'float64')).data, [0.6, 0.8], 1e-7);
  close(new NonNeg().apply(tensor([-1, 0, 2.5])).data, [0, 0, 2.5], 0);
});

test("get: 'max_norm', 'unit_norm', 'non_neg', class names, TF.js names, configs; serialize round trip", () => {
  assert.equal(get('max_norm')?.getClassName(), 'MaxNorm');
  assert.equal(get('unit_norm')?.getClassName(), 'UnitNorm');
  assert.equal(get('non_neg')?.getClassName(), 'NonNeg');
  assert.equal(get('maxNorm')?.getClassName(), 'MaxNorm');
  assert.equal(get(null), null);
  assert.throws(() => get('max_nrom'), (e: unknown) => e instanceof ValueError && /Did you mean 'max_norm'/.test(e.message));
  assert.throws(() => get({ class_name: 'MaxNorm', config: { max_valeu: 1 } }), (e: unknown) => e instanceof ValueError && /max_value/.test(e.message));
  for (const c of [new MaxNorm({ maxValue: 1.5, axis: [0] }), new UnitNorm({ axis: 1 }), new NonNeg()]) {
    const json = JSON.parse(JSON.stringify(serialize(c))) as { class_name: string; config: Record<string, unknown> };
    const copy = deserialize(json);
    assert.deepEqual(copy.getConfig(), c.getConfig());
    const w = tensor([[1, -2], [3, 0.5]]);
    assert.deepEqual([...copy.apply(w).data], [...c.apply(w).data]);
  }
  assert.deepEqual(serialize(new MaxNorm({ maxValue: 3 }))?.config, { max_value: 3, axis: 0 });
});

/** Records the largest column norm of a Dense kernel after every optimizer step. */
class NormProbe extends Callback {
  readonly maxNorms: number[] = [];
  constructor(private readonly layer: Dense) {
    super();
  }
  override onBatchEnd(): void {
    const k = this.layer.kernel as Tensor;
    const [rows, cols] = k.shape;
    let worst = 0;
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += k.data[r * cols + c] ** 2;
      worst = Math.max(worst, Math.sqrt(s));
    }
    this.maxNorms.push(worst);
  }
}

function data(n: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(6);
  const x = new Tensor(Float32Array.from({ length: n * 4 }, () => 3 * rng.nextNormal()), [n, 4]);
  const y = new Tensor(Float32Array.from({ length: n }, (_, i) => (x.data[4 * i] + x.data[4 * i + 1] > 0 ? 1 : 0)), [n]);
  return { x, y };
}

test('max_norm bounds every column norm after each step of fit (and without it the norms exceed the bound)', async () => {
  const { x, y } = data(96);
  const results: number[][] = [];
  for (const constraint of [undefined, new MaxNorm({ maxValue: 0.5 })]) {
    resetLayerNames();
    // A large initial kernel (norms about 2 to 4) and a large learning rate push the norms past 0.5.
    const dense = new Dense(8, { activation: 'relu', kernelInitializer: { class_name: 'RandomNormal', config: { stddev: 1.5, seed: 3 } }, kernelConstraint: constraint });
    const model = new Sequential([new Flatten({ inputShape: [4] }), dense, new Dense(2, { activation: 'softmax' })]);
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.2 }), initializerAdvice: false });
    const probe = new NormProbe(dense);
    await model.fit(x, y, { epochs: 2, batchSize: 16, seed: 1, callbacks: [probe] });
    results.push(probe.maxNorms);
  }
  const [free, bounded] = results;
  assert.equal(bounded.length, 12);
  assert.ok(bounded.every((v) => v <= 0.5 + 1e-6), `norms ${bounded}`);
  assert.ok(free.some((v) => v > 0.5), 'without the constraint the norms exceed 0.5');
});

test('non_neg keeps every kernel weight >= 0 during fit; a frozen constrained layer is not projected', async () => {
  const { x, y } = data(64);
  resetLayerNames();
  const dense = new Dense(4, { kernelConstraint: 'non_neg', biasConstraint: 'non_neg', kernelInitializer: { class_name: 'RandomNormal', config: { seed: 2 } } });
  const model = new Sequential([new Flatten({ inputShape: [4] }), dense, new Dense(2, { activation: 'softmax' })]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.5 }), initializerAdvice: false });
  await model.fit(x, y, { epochs: 2, batchSize: 16, seed: 1 });
  assert.ok([...(dense.kernel as Tensor).data].every((v) => v >= 0));
  assert.ok([...(dense.bias as Tensor).data].every((v) => v >= 0));
  // Frozen: the initial negative weights stay as they are.
  resetLayerNames();
  const frozen = new Dense(4, { kernelConstraint: 'non_neg', kernelInitializer: { class_name: 'RandomNormal', config: { seed: 2 } }, trainable: false });
  const m2 = new Sequential([new Flatten({ inputShape: [4] }), frozen, new Dense(2, { activation: 'softmax' })]);
  const before = [...(frozen.kernel as Tensor).data];
  assert.ok(before.some((v) => v < 0));
  m2.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.5 }), initializerAdvice: false });
  await m2.fit(x, y, { epochs: 1, batchSize: 16, seed: 1 });
  assert.deepEqual([...(frozen.kernel as Tensor).data], before);
});
