// `deepwell train --arch cnn`: the Keras-example convnet's layers, output shapes and parameter count,
// and the flag's validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCnn } from '../../src/cli/cnn.js';
import { parseTrainFlags, type TrainFlags } from '../../src/cli/train.js';
import { UsageError } from '../../src/cli/usage_error.js';

test('buildCnn is the Keras MNIST convnet: its summary on 28x28 images, 34,826 parameters', () => {
  const model = buildCnn({ inputShape: [28, 28], activation: 'relu', init: 'he_normal', classes: 10 });
  assert.deepEqual(model.layers.map((l) => l.className), ['Reshape', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']);
  // 'valid' 3x3 convolutions take 2 off each side length, 2x2 pooling halves it (floor): 28 -> 26 -> 13 -> 11 -> 5.
  const rows: [string, string, string][] = [
    ['reshape (Reshape)', '(None, 28, 28, 1)', '0'],
    ['conv2d (Conv2D)', '(None, 26, 26, 32)', '320'], // 3*3*1*32 + 32
    ['max_pooling2d (MaxPooling2D)', '(None, 13, 13, 32)', '0'],
    ['conv2d_1 (Conv2D)', '(None, 11, 11, 64)', '18,496'], // 3*3*32*64 + 64
    ['max_pooling2d_1 (MaxPooling2D)', '(None, 5, 5, 64)', '0'],
    ['flatten (Flatten)', '(None, 1600)', '0'], // 5*5*64
    ['dropout (Dropout)', '(None, 1600)', '0'],
    ['dense (Dense)', '(None, 10)', '16,010'], // 1600*10 + 10
  ];
  const summary = model.summary();
  const escape = (t: string): string => t.replace(/[()]/g, '\\$&');
  for (const [name, shape, params] of rows) assert.match(summary, new RegExp(`^ ${escape(name)}\\s+${escape(shape)}\\s+${params}$`, 'm'), name);
  // The Keras example's summary: 320 + 18,496 + 16,010.
  assert.match(summary, /Total params: 34,826\n/);
  assert.equal(model.countParams(), 320 + 18496 + 16010);
  assert.throws(() => buildCnn({ inputShape: [8], activation: 'relu', init: 'he_normal', classes: 3 }), (e: unknown) => e instanceof UsageError && /--arch cnn needs images/.test(e.message));
});

test('--arch accepts mlp and cnn and names the valid values otherwise', () => {
  const base = { data: 'mnist', optimizer: 'adam', epochs: '1', batchSize: '32', seed: '1', validationSplit: '0.1', activation: 'relu', init: 'he_normal', schedule: 'constant' } as TrainFlags;
  assert.equal(parseTrainFlags({ ...base, arch: 'cnn' }).arch, 'cnn');
  assert.equal(parseTrainFlags(base).arch, 'mlp');
  assert.throws(() => parseTrainFlags({ ...base, arch: 'cnnn' }), (e: unknown) => e instanceof UsageError && /--arch/.test(e.message) && /cnn/.test(e.message));
});
