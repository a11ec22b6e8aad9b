// `deepwell train --arch cnn`: the Keras-example convnet's layers, output shapes and parameter count
// (5x5 kernels by default, 3x3 the example exactly), and the flags' validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CNN_KERNEL_SIZE, buildCnn, cnnOutputSide } from '../../src/cli/cnn.js';
import { describeNetwork, kernelSizeFor } from '../../src/cli/network.js';
import { parseDiagnoseFlags, type DiagnoseFlags } from '../../src/cli/diagnose.js';
import { parseTrainFlags, type TrainFlags } from '../../src/cli/train.js';
import { UsageError } from '../../src/cli/usage_error.js';
import { clearSession } from '../../src/layers/layer.js';

const escape = (t: string): string => t.replace(/[()]/g, '\\$&');

test('buildCnn with kernelSize 3 is the Keras MNIST convnet: its summary on 28x28 images, 34,826 parameters', () => {
  const model = buildCnn({ inputShape: [28, 28], activation: 'relu', init: 'he_normal', classes: 10, kernelSize: 3 });
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
  for (const [name, shape, params] of rows) assert.match(summary, new RegExp(`^ ${escape(name)}\\s+${escape(shape)}\\s+${params}$`, 'm'), name);
  // The Keras example's summary: 320 + 18,496 + 16,010.
  assert.match(summary, /Total params: 34,826\n/);
  assert.equal(model.countParams(), 320 + 18496 + 16010);
  assert.throws(() => buildCnn({ inputShape: [8], activation: 'relu', init: 'he_normal', classes: 3 }), (e: unknown) => e instanceof UsageError && /--arch cnn needs images/.test(e.message));
});

test('buildCnn without kernelSize has 5x5 kernels: 28 -> 24 -> 12 -> 8 -> 4, 62,346 parameters', () => {
  assert.equal(CNN_KERNEL_SIZE, 5);
  clearSession(); // layer names from conv2d again
  const model = buildCnn({ inputShape: [28, 28], activation: 'relu', init: 'he_normal', classes: 10 });
  const rows: [string, string, string][] = [
    ['conv2d (Conv2D)', '(None, 24, 24, 32)', '832'], // 5*5*1*32 + 32
    ['max_pooling2d (MaxPooling2D)', '(None, 12, 12, 32)', '0'],
    ['conv2d_1 (Conv2D)', '(None, 8, 8, 64)', '51,264'], // 5*5*32*64 + 64
    ['max_pooling2d_1 (MaxPooling2D)', '(None, 4, 4, 64)', '0'],
    ['flatten (Flatten)', '(None, 1024)', '0'], // 4*4*64
    ['dense (Dense)', '(None, 10)', '10,250'], // 1024*10 + 10
  ];
  const summary = model.summary();
  for (const [name, shape, params] of rows) assert.match(summary, new RegExp(`^ ${escape(name)}\\s+${escape(shape)}\\s+${params}$`, 'm'), name);
  assert.equal(model.countParams(), 832 + 51264 + 10250);
  assert.equal(describeNetwork({ arch: 'cnn', hidden: [], blocks: 3 }), 'cnn conv 32-64 5x5');
  assert.equal(describeNetwork({ arch: 'cnn', hidden: [], blocks: 3, kernelSize: 3 }), 'cnn conv 32-64 3x3');
});

test('the kernel size must leave a pixel after both convolutions and poolings; the error names the largest that fits', () => {
  // 28: k = 9 -> 20 -> 10 -> 2 -> 1; k = 10 -> 19 -> 9 -> 0. 5: k = 1 -> 5 -> 2 -> 2 -> 1; k = 2 -> 4 -> 2 -> 1 -> 0.
  assert.deepEqual([cnnOutputSide(28, 9), cnnOutputSide(28, 10), cnnOutputSide(5, 1), cnnOutputSide(5, 2)], [1, 0, 1, 0]);
  const spec = { activation: 'relu', init: 'he_normal', classes: 10 };
  assert.equal(buildCnn({ ...spec, inputShape: [28, 28], kernelSize: 9 }).countParams(), (81 + 1) * 32 + (81 * 32 + 1) * 64 + (64 + 1) * 10);
  assert.throws(() => buildCnn({ ...spec, inputShape: [28, 28], kernelSize: 10 }), (e: unknown) => e instanceof UsageError && /--kernel-size 10 is too large for 28x28 images: .*use --kernel-size 9 or less\./.test(e.message));
  // Non-square images: the smaller side decides (12: k = 3 -> 10 -> 5 -> 3 -> 1; k = 4 -> 9 -> 4 -> 1 -> 0).
  assert.throws(() => buildCnn({ ...spec, inputShape: [40, 12, 3], kernelSize: 4 }), (e: unknown) => e instanceof UsageError && /too large for 40x12 images: .*use --kernel-size 3 or less/.test(e.message));
  assert.throws(() => buildCnn({ ...spec, inputShape: [3, 3], kernelSize: 1 }), (e: unknown) => e instanceof UsageError && /too small for --arch cnn \(4x4 at least\); use --arch mlp/.test(e.message));
  assert.throws(() => buildCnn({ ...spec, inputShape: [28, 28], kernelSize: 2.5 }), (e: unknown) => e instanceof UsageError && /--kernel-size must be a positive integer .*received 2\.5/.test(e.message));
});

test('--kernel-size: parsed for --arch cnn by train and diagnose, refused with mlp and resnet (it would be ignored)', () => {
  const base = { data: 'mnist', optimizer: 'adam', epochs: '1', batchSize: '32', seed: '1', validationSplit: '0.1', activation: 'relu', init: 'he_normal', schedule: 'constant' } as TrainFlags;
  assert.equal(parseTrainFlags({ ...base, arch: 'cnn' }).kernelSize, 5);
  assert.equal(parseTrainFlags({ ...base, arch: 'cnn', kernelSize: '3' }).kernelSize, 3);
  assert.equal(parseDiagnoseFlags({ ...base, arch: 'cnn', kernelSize: '7' } as DiagnoseFlags).kernelSize, 7);
  for (const arch of ['mlp', 'resnet']) {
    assert.throws(() => parseTrainFlags({ ...base, arch, kernelSize: '3' }), (e: unknown) => e instanceof UsageError && new RegExp(`--kernel-size sets the convolutions of --arch cnn, so with --arch ${arch} it would be ignored`).test(e.message));
  }
  assert.throws(() => kernelSizeFor('cnn', 'three'), (e: unknown) => e instanceof UsageError && /Invalid value for --kernel-size: received 'three'; expected a positive integer/.test(e.message));
});

test('--dropout and --l2 (MLP hidden-layer settings) are refused with cnn and resnet, not ignored', () => {
  const base = { data: 'mnist', optimizer: 'adam', epochs: '1', batchSize: '32', seed: '1', validationSplit: '0.1', activation: 'relu', init: 'he_normal', schedule: 'constant' } as TrainFlags;
  assert.throws(() => parseTrainFlags({ ...base, arch: 'cnn', dropout: '0.2' }), (e: unknown) => e instanceof UsageError && /--dropout applies to the hidden layers of --arch mlp; --arch cnn does not use it \(it has its own Dropout\(0\.5\)/.test(e.message));
  assert.throws(() => parseDiagnoseFlags({ ...base, arch: 'resnet', dropout: '0.2', l2: '0.01' } as DiagnoseFlags), (e: unknown) => e instanceof UsageError && /--dropout and --l2 apply to the hidden layers of --arch mlp; --arch resnet does not use them, so they would be ignored/.test(e.message));
  assert.equal(parseTrainFlags({ ...base, arch: 'mlp', dropout: '0.2', l2: '0.01' }).toolkit.dropout, 0.2);
});

test('--arch accepts mlp and cnn and names the valid values otherwise', () => {
  const base = { data: 'mnist', optimizer: 'adam', epochs: '1', batchSize: '32', seed: '1', validationSplit: '0.1', activation: 'relu', init: 'he_normal', schedule: 'constant' } as TrainFlags;
  assert.equal(parseTrainFlags({ ...base, arch: 'cnn' }).arch, 'cnn');
  assert.equal(parseTrainFlags(base).arch, 'mlp');
  assert.throws(() => parseTrainFlags({ ...base, arch: 'cnnn' }), (e: unknown) => e instanceof UsageError && /--arch/.test(e.message) && /cnn/.test(e.message));
});

test('--std-floor with inputs that are not standardized is refused (it would be ignored)', async () => {
  const { resolveStandardize } = await import('../../src/cli/mlp.js');
  assert.equal(resolveStandardize(undefined, {}), false, 'images: pixel / 255');
  assert.equal(resolveStandardize(undefined, { task: 'classification' }), true, 'a CSV file');
  assert.equal(resolveStandardize(true, {}, 0.05), true);
  assert.throws(() => resolveStandardize(undefined, {}, 0.1), (e: unknown) => e instanceof UsageError && /--std-floor sets the floor of --standardize, but these inputs are not standardized \(images are fed as pixel \/ 255 unless --standardize is given\).*add --standardize/.test(e.message));
  assert.throws(() => resolveStandardize(false, { task: 'classification' }, 0), (e: unknown) => e instanceof UsageError && /not standardized \(--no-standardize\)/.test(e.message));
});
