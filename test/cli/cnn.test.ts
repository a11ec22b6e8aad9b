// `deepwell train --arch cnn`: the Keras-example convnet's layers and parameter count, and the flag's validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCnn } from '../../src/cli/cnn.js';
import { parseTrainFlags, type TrainFlags } from '../../src/cli/train.js';
import { UsageError } from '../../src/cli/usage_error.js';

test('buildCnn is the Keras MNIST convnet: 34,826 parameters on 28x28 images', () => {
  const model = buildCnn({ inputShape: [28, 28], activation: 'relu', init: 'he_normal', classes: 10 });
  assert.deepEqual(model.layers.map((l) => l.className), ['Reshape', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']);
  // Keras example summary: conv 3*3*1*32 + 32 = 320; conv 3*3*32*64 + 64 = 18,496; dense 5*5*64*10 + 10 = 16,010.
  assert.equal(model.countParams(), 320 + 18496 + 16010);
  assert.throws(() => buildCnn({ inputShape: [8], activation: 'relu', init: 'he_normal', classes: 3 }), (e: unknown) => e instanceof UsageError && /--arch cnn needs images/.test(e.message));
});

test('--arch accepts mlp and cnn and names the valid values otherwise', () => {
  const base = { data: 'mnist', optimizer: 'adam', epochs: '1', batchSize: '32', seed: '1', validationSplit: '0.1', activation: 'relu', init: 'he_normal', schedule: 'constant' } as TrainFlags;
  assert.equal(parseTrainFlags({ ...base, arch: 'cnn' }).arch, 'cnn');
  assert.equal(parseTrainFlags(base).arch, 'mlp');
  assert.throws(() => parseTrainFlags({ ...base, arch: 'cnnn' }), (e: unknown) => e instanceof UsageError && /--arch/.test(e.message) && /cnn/.test(e.message));
});
