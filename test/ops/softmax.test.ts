import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { gradcheck } from '../../src/autodiff/gradcheck.js';
import { valueAndGrad } from '../../src/autodiff/grad.js';
import { sum } from '../../src/autodiff/primitives.js';
import { mul } from '../../src/ops/arithmetic.js';
import { mean } from '../../src/ops/reductions.js';
import { logSoftmax, logitsOf, softmax } from '../../src/ops/softmax.js';

test('logSoftmax([1000, 0, -1000]) = [0, -1000, -2000] exactly (float32 and float64)', () => {
  // z - max = [0, -1000, -2000]; exp -> [1, 0, 0]; log(sum) = log 1 = 0.
  for (const dtype of ['float32', 'float64'] as const) {
    const y = logSoftmax(tensor([[1000, 0, -1000]], undefined, dtype));
    assert.deepEqual([...y.data], [0, -1000, -2000]);
    assert.deepEqual(y.shape, [1, 3]);
  }
});

test('softmax: rows sum to 1, equal logits give uniform rows, huge logits stay finite', () => {
  const z = tensor([[1, 2, 3], [-1, 0, 1], [5, 5, 5], [1000, 0, -1000]]);
  const p = softmax(z);
  assert.deepEqual(p.shape, [4, 3]);
  for (let r = 0; r < 4; r++) {
    const row = [...p.data.subarray(r * 3, r * 3 + 3)];
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6, `row ${r}: ${row}`);
    for (const v of row) assert.ok(Number.isFinite(v) && v >= 0);
  }
  // Rows 0 and 1 differ by a shift of 2: softmax is shift-invariant.
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(p.data[c] - p.data[3 + c]) < 1e-7);
  // softmax([1, 2, 3]) = e^(k-3) / (e^-2 + e^-1 + 1) = [0.09003057, 0.24472847, 0.66524096].
  const expected = [0.09003057317038046, 0.24472847105479767, 0.6652409557748219];
  expected.forEach((e, c) => assert.ok(Math.abs(p.data[c] - e) < 1e-7, `${p.data[c]} vs ${e}`));
  assert.deepEqual([...p.data.subarray(6, 9)].map((v) => Math.abs(v - 1 / 3) < 1e-7), [true, true, true]);
  assert.deepEqual([...p.data.subarray(9, 12)], [1, 0, 0]);
});

test('softmax over the last axis of a 3-D tensor', () => {
  const z = new Tensor(Float64Array.from({ length: 24 }, (_, i) => Math.cos(i) * 4), [2, 3, 4]);
  const p = softmax(z);
  for (let r = 0; r < 6; r++) {
    let s = 0;
    for (let c = 0; c < 4; c++) s += p.data[r * 4 + c];
    assert.ok(Math.abs(s - 1) < 1e-15);
  }
});

test('softmax remembers its logits (for the fused crossentropy path)', () => {
  const z = tensor([[1, 2]]);
  const p = softmax(z);
  assert.equal(logitsOf(p), z);
  assert.equal(logitsOf(z), undefined);
});

test('softmax and logSoftmax pass float64 gradcheck', () => {
  const rng = new Rng(4);
  const d = new Float64Array(12);
  rng.fillUniform(d, -3, 3);
  const z = new Tensor(d, [3, 4]);
  const wd = new Float64Array(12);
  rng.fillUniform(wd, -2, 2);
  const w = new Tensor(wd, [3, 4]);
  for (const [name, f] of [['softmax', softmax], ['logSoftmax', logSoftmax]] as const) {
    const r = gradcheck((t) => sum(mul(f(t), w)), [z]);
    assert.ok(r.maxError < 1e-6, `${name}: ${r.maxError}`);
  }
});

test('the gradient of mean(logSoftmax) at large logits is finite', () => {
  // d/dz sum_c logSoftmax(z)_c = 1 - C softmax(z); with C = 3 and softmax [1, 0, 0]: [-2, 1, 1].
  const { grads } = valueAndGrad((t) => sum(logSoftmax(t)))(tensor([[1000, 0, -1000]]));
  assert.deepEqual([...grads[0].data], [-2, 1, 1]);
  const { grads: g2 } = valueAndGrad((t) => mean(softmax(t)))(tensor([[1000, 0, -1000]]));
  for (const v of g2[0].data) assert.ok(Number.isFinite(v));
});
