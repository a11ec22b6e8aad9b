// "A small MLP that learns": Flatten -> Dense(64, relu, he_normal) -> Dense(10, softmax), Adam 1e-3,
// batch 32, seed 1, trained on the first MNIST training images and evaluated on the first 2,000
// test images.
//
// Reference run (TF.js 4.22 cpu backend, same model, data and hyperparameters, 10 epochs on the first
// 2,000 training images): test accuracy 0.857 and 0.861 for two initializations, train accuracy 0.97.
// 2,000 images are too few for this net to pass 90% (deepwell: 0.864; 20 epochs: 0.868), so the
// 2,000-image run is held to the reference level and the 90% target is checked with 10,000 images
// (deepwell: 0.9145 after 5 epochs).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../src/core/tensor.js';
import { type TrainTestDatasets, datasets } from '../../src/data/index.node.js';
import { Dense, Flatten } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { Adam } from '../../src/optimizers/adam.js';

/** The first n samples of a split, copied (so the full 60,000-image arrays can be collected). */
function head(split: { x: Tensor; y: Tensor }, n: number): { x: Tensor; y: Tensor } {
  const row = 28 * 28;
  return {
    x: new Tensor(split.x.data.slice(0, n * row), [n, 28, 28]),
    y: new Tensor(split.y.data.slice(0, n), [n]),
  };
}

let train10k: { x: Tensor; y: Tensor };
let test2k: { x: Tensor; y: Tensor };

before(async () => {
  const data: TrainTestDatasets = await datasets.mnist();
  // Sanity of the loader: the first test labels of MNIST are 7, 2, 1, 0, 4.
  assert.deepEqual([...data.test.y.data.subarray(0, 5)], [7, 2, 1, 0, 4]);
  train10k = head(data.train, 10_000);
  test2k = head(data.test, 2_000);
});

function smallMlp(): Sequential {
  const model = new Sequential([
    new Flatten({ inputShape: [28, 28] }),
    new Dense(64, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new Dense(10, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 1e-3 }), metrics: ['accuracy'] });
  return model;
}

test('2,000 MNIST training images, 10 epochs: the loss falls every epoch and test accuracy reaches the TF.js level', async () => {
  const train = head(train10k, 2_000);
  const model = smallMlp();
  const untrained = model.evaluate(test2k.x, test2k.y, { batchSize: 500 });
  const h = await model.fit(train.x, train.y, { epochs: 10, batchSize: 32, seed: 1 });
  const loss = h.history.loss;
  for (let e = 1; e < loss.length; e++) assert.ok(loss[e] < loss[e - 1], `loss rose at epoch ${e}: ${loss.join(', ')}`);
  assert.ok(h.history.accuracy[9] > 0.95, `train accuracy ${h.history.accuracy[9]}`);
  const trained = model.evaluate(test2k.x, test2k.y, { batchSize: 500 });
  // Chance is 10%; the untrained net is near it.
  assert.ok(untrained.accuracy < 0.3, `untrained accuracy ${untrained.accuracy}`);
  // TF.js reaches 0.857-0.861 here (see the top of the file).
  assert.ok(trained.accuracy > 0.84, `test accuracy ${trained.accuracy}, loss ${trained.loss}`);
  assert.ok(trained.loss < untrained.loss / 3, `test loss ${untrained.loss} -> ${trained.loss}`);
});

test('10,000 MNIST training images, 5 epochs: test accuracy > 90%', async () => {
  const model = smallMlp();
  await model.fit(train10k.x, train10k.y, { epochs: 5, batchSize: 32, seed: 1 });
  const trained = model.evaluate(test2k.x, test2k.y, { batchSize: 500 });
  assert.ok(trained.accuracy > 0.9, `test accuracy ${trained.accuracy}, loss ${trained.loss}`);
});
