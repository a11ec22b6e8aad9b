// Transfer learning as the book does it (ch. 11, "Reusing Pretrained Layers"): freezing layers
// (bit-identical weights after fit, counted as non-trainable), reusing one model's layers in another
// (the same objects, as Keras), cloneModel (fresh layers with copied weights), and unfreezing after
// a few epochs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { BatchNormalization, Dense, Dropout, Flatten, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { cloneModel } from '../../src/models/clone.js';
import { SGD } from '../../src/optimizers/sgd.js';

/** Task A: 4 classes from 6 features; task B: a binary task on the same inputs. */
function tasks(n: number, seed: number): { x: Tensor; yA: Tensor; yB: Tensor } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * 6);
  const yA = new Float32Array(n);
  const yB = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    for (let j = 0; j < 6; j++) x[6 * i + j] = (j === c ? 2 : 0) + 0.7 * rng.nextNormal();
    yA[i] = c;
    yB[i] = c < 2 ? 1 : 0;
  }
  return { x: new Tensor(x, [n, 6]), yA: new Tensor(yA, [n]), yB: new Tensor(yB, [n, 1]) };
}

const seeded = (name: string, seed: number): { class_name: string; config: { seed: number } } => ({ class_name: name, config: { seed } });

function modelA(): Sequential {
  return new Sequential([
    new Flatten({ inputShape: [6] }),
    new Dense(16, { activation: 'relu', kernelInitializer: seeded('HeNormal', 1) }),
    new BatchNormalization(),
    new Dense(8, { activation: 'relu', kernelInitializer: seeded('HeNormal', 2) }),
    new Dense(4, { activation: 'softmax', kernelInitializer: seeded('GlorotUniform', 3) }),
  ]);
}

const snapshot = (m: Sequential): number[][] => m.weights.map((w) => [...w.data]);

test('a frozen layer keeps bit-identical weights through fit and counts as non-trainable in summary()', async () => {
  resetLayerNames();
  const { x, yA } = tasks(96, 1);
  const model = modelA();
  const frozen = model.layers[1];
  frozen.trainable = false;
  assert.match(model.summary(), /Non-trainable params: 144/); // 6 * 16 + 16 = 112 frozen + BN's 2 * 16 moving statistics
  const before = frozen.weights.map((w) => [...w.data]);
  const other = [...(model.layers[3] as Dense).kernel!.data];
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1, momentum: 0.9 }) });
  await model.fit(x, yA, { epochs: 2, batchSize: 16, seed: 5 });
  assert.deepEqual(frozen.weights.map((w) => [...w.data]), before);
  assert.notDeepEqual([...(model.layers[3] as Dense).kernel!.data], other, 'the trainable layers did train');
});

test("reusing model A's layers in model B shares the same objects (training B changes A), as in Keras", async () => {
  resetLayerNames();
  const { x, yB } = tasks(64, 2);
  const a = modelA();
  const b = new Sequential([...a.layers.slice(0, -1), new Dense(1, { activation: 'sigmoid' })]);
  a.layers.slice(0, -1).forEach((l, i) => assert.equal(b.layers[i], l));
  const before = [...(a.layers[1] as Dense).kernel!.data];
  b.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });
  await b.fit(x, yB, { epochs: 1, batchSize: 16, seed: 3 });
  assert.notDeepEqual([...(a.layers[1] as Dense).kernel!.data], before, 'shared layers are trained through model B');
});

test('cloneModel: fresh layers, same configs and weights (BN statistics included), same predictions; training the clone leaves A untouched', async () => {
  resetLayerNames();
  const { x, yA, yB } = tasks(64, 3);
  const a = modelA();
  a.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });
  await a.fit(x, yA, { epochs: 1, batchSize: 16, seed: 1 });
  const clone = cloneModel(a);
  assert.equal(clone.layers.length, a.layers.length);
  clone.layers.forEach((l, i) => {
    assert.notEqual(l, a.layers[i]);
    assert.deepEqual(l.getConfig(), a.layers[i].getConfig());
  });
  assert.deepEqual(snapshot(clone), snapshot(a));
  assert.deepEqual([...clone.predict(x).data], [...a.predict(x).data]);
  assert.ok((clone.layers[2] as BatchNormalization).movingMean!.data.some((v) => v !== 0), 'moving statistics copied');
  const aBefore = snapshot(a);
  const b = new Sequential([...clone.layers.slice(0, -1), new Dense(1, { activation: 'sigmoid' })]);
  b.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });
  await b.fit(x, yB, { epochs: 1, batchSize: 16, seed: 2 });
  assert.deepEqual(snapshot(a), aBefore);
  // A model that is not built yet clones unbuilt; a seeded Dropout repeats its masks in the clone.
  const unbuilt = cloneModel(new Sequential([new Dense(3), new Dropout({ rate: 0.5, seed: 4 })]));
  assert.equal(unbuilt.built, false);
});

test("the book's recipe: B on a clone of A with the reused layers frozen for 2 epochs, then unfrozen, recompiled and trained", async () => {
  resetLayerNames();
  const { x, yA, yB } = tasks(64, 4);
  const a = modelA();
  a.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }) });
  await a.fit(x, yA, { epochs: 1, batchSize: 16, seed: 1 });
  const bOnA = new Sequential([...cloneModel(a).layers.slice(0, -1), new Dense(1, { activation: 'sigmoid' })]);
  const reused = bOnA.layers.slice(0, -1);
  for (const l of reused) l.trainable = false;
  const frozenBefore = reused.map((l) => l.weights.map((w) => [...w.data]));
  bOnA.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0.1 }), metrics: ['accuracy'] });
  await bOnA.fit(x, yB, { epochs: 2, batchSize: 16, seed: 2 });
  assert.deepEqual(reused.map((l) => l.weights.map((w) => [...w.data])), frozenBefore, 'frozen for 2 epochs');
  for (const l of reused) l.trainable = true;
  // Moving statistics stay non-trainable after unfreezing.
  assert.deepEqual(reused[2].nonTrainableWeights.map((w) => w.name.split('/')[1]), ['moving_mean', 'moving_variance']);
  bOnA.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: 0.01 }), metrics: ['accuracy'] });
  await bOnA.fit(x, yB, { epochs: 2, batchSize: 16, seed: 3 });
  const after = reused.map((l) => l.weights.map((w) => [...w.data]));
  assert.notDeepEqual(after[1], frozenBefore[1], 'unfrozen layers train');
  assert.notDeepEqual(after[2], frozenBefore[2], 'the unfrozen BN layer trains and updates its statistics again');
});
