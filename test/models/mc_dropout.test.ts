// MC dropout: mcPredict (training-mode passes under noGrad, mean and std) and the MCDropout layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { Tensor, fill } from '../../src/core/tensor.js';
import { BatchNormalization, Dense, Dropout, Flatten, MCDropout, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { mcPredict } from '../../src/models/mc_dropout.js';

test('mcPredict averages stochastic passes: Dropout(0.5) on ones gives mean ~1 and std ~1 per element', () => {
  resetLayerNames();
  const model = new Sequential([new Flatten({ inputShape: [200] }), new Dropout({ rate: 0.5, seed: 1 })]);
  const x = fill([3, 200], 1);
  const { mean, std } = mcPredict(model, x, { samples: 400, batchSize: 2 });
  assert.deepEqual(mean.shape, [3, 200]);
  assert.deepEqual(std.shape, [3, 200]);
  // Each pass gives 0 or 2 with probability 1/2: mean 1, std 1. Over 400 passes the SE of the mean is
  // 1/20; averaged over 600 elements the overall mean has SE 1/sqrt(240000) ~ 0.002.
  const avg = (t: Tensor): number => [...t.data].reduce((p, v) => p + v, 0) / t.size;
  assert.ok(Math.abs(avg(mean) - 1) < 5 / Math.sqrt(240000), `mean ${avg(mean)}`);
  assert.ok(Math.abs(avg(std) - 1) < 0.02, `std ${avg(std)}`);
  // Inference (predict) is deterministic: the input itself.
  assert.deepEqual([...model.predict(x).data], [...x.data]);
});

test('mcPredict of a model without dropout gives std 0 and the predictions; it restores the BN statistics', () => {
  resetLayerNames();
  const bn = new BatchNormalization();
  const model = new Sequential([new Flatten({ inputShape: [2] }), new Dense(3, { kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } } }), bn]);
  const x = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 7]), [3, 2]);
  const stats = [...bn.movingMean!.data, ...bn.movingVariance!.data];
  const { mean, std } = mcPredict(model, x, { samples: 5 });
  assert.ok([...std.data].every((v) => v < 1e-6));
  // Training mode: BN used the batch statistics (outputs centred per feature) ...
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(mean.data[c] + mean.data[3 + c] + mean.data[6 + c]) < 1e-5);
  // ... but the moving statistics are put back.
  assert.deepEqual([...bn.movingMean!.data, ...bn.movingVariance!.data], stats);
  assert.throws(() => mcPredict(model, x, { samples: 0 }), ValueError);
  assert.throws(() => mcPredict(model, new Tensor(new Float32Array(0), [0, 2])), ShapeError);
});

test('MCDropout makes predict stochastic while BatchNormalization stays in inference mode (the book\'s approach)', () => {
  resetLayerNames();
  const bn = new BatchNormalization();
  const model = new Sequential([new Flatten({ inputShape: [100] }), bn, new MCDropout({ rate: 0.5, seed: 3 })]);
  const x = fill([2, 100], 1);
  const p1 = [...model.predict(x).data];
  const p2 = [...model.predict(x).data];
  assert.notDeepEqual(p1, p2);
  // BN in inference: 1/sqrt(1.001) kept and scaled by 2, or dropped.
  const kept = 2 / Math.sqrt(1.001);
  assert.ok(p1.every((v) => v === 0 || Math.abs(v - kept) < 1e-6));
  assert.deepEqual([...bn.movingMean!.data], new Array(100).fill(0));
});
