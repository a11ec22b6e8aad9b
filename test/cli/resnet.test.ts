// `deepwell train|diagnose --arch resnet`: the residual convnet's layers and parameter count, its plain
// twin, the stage split, the flags, and the diagnose command on it.
import { test } from 'node:test';
import { rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { buildResnet, stageBlocks } from '../../src/cli/resnet.js';
import { describeNetwork } from '../../src/cli/network.js';
import { parseTrainFlags, type TrainFlags } from '../../src/cli/train.js';
import { parseDiagnoseFlags, type DiagnoseFlags } from '../../src/cli/diagnose.js';
import { UsageError } from '../../src/cli/usage_error.js';
import { setSeed } from '../../src/core/random.js';
import { tensor } from '../../src/core/tensor.js';
import { makeIdxFolder, run } from './helpers.js';

test('stageBlocks splits the blocks over up to 3 stages, earlier stages taking the remainder', () => {
  assert.deepEqual(stageBlocks(1), [1]);
  assert.deepEqual(stageBlocks(2), [1, 1]);
  assert.deepEqual(stageBlocks(4), [2, 1, 1]);
  assert.deepEqual(stageBlocks(15), [5, 5, 5]);
});

test('buildResnet depth 3 on 28x28: 77,418 parameters, 3 Adds; the plain twin drops the 2 projections and the Adds', () => {
  const spec = { inputShape: [28, 28], depth: 3, activation: 'relu', init: 'he_normal', classes: 10 };
  const res = buildResnet(spec);
  // stem 3*3*1*16 + 16 = 160; stage 1 (16 -> 16, identity): 2 * (3*3*16*16 + 16) = 4,640;
  // stage 2 (16 -> 32, stride 2): 3*3*16*32 + 32 = 4,640, 3*3*32*32 + 32 = 9,248, projection 16*32 + 32 = 544;
  // stage 3 (32 -> 64): 3*3*32*64 + 64 = 18,496, 3*3*64*64 + 64 = 36,928, projection 32*64 + 64 = 2,112; Dense 64*10 + 10 = 650.
  assert.equal(res.countParams(), 160 + 4640 + 4640 + 9248 + 544 + 18496 + 36928 + 2112 + 650);
  const count = (m: typeof res, cls: string): number => m.layers.filter((l) => l.className === cls).length;
  assert.equal(count(res, 'Add'), 3);
  assert.equal(count(res, 'Conv2D'), 1 + 6 + 2);
  const plain = buildResnet({ ...spec, residual: false });
  assert.equal(plain.countParams(), res.countParams() - 544 - 2112);
  assert.equal(count(plain, 'Add'), 0);
  assert.equal(count(plain, 'Conv2D'), 1 + 6);
  setSeed(1);
  const y = res.predict(tensor(new Float32Array(2 * 784).fill(0.5), [2, 28, 28]));
  // Stride 2 at the start of stages 2 and 3: 28 -> 14 -> 7 before global average pooling.
  const shapes = res.layers.filter((l) => l.className === 'Add').map((l) => l.lastOutput?.shape.slice(1));
  assert.deepEqual(shapes, [[28, 28, 16], [14, 14, 32], [7, 7, 64]]);
  assert.deepEqual(y.shape, [2, 10]);
  assert.ok(Math.abs(y.data[0] + y.data[1] + y.data[2] + y.data[3] + y.data[4] + y.data[5] + y.data[6] + y.data[7] + y.data[8] + y.data[9] - 1) < 1e-5);
});

test('--batch-norm puts BatchNormalization after every convolution and the activation after it', () => {
  const m = buildResnet({ inputShape: [8, 8, 3], depth: 1, activation: 'elu', init: 'he_normal', classes: 4, batchNorm: true });
  // depth 1: stem + one block of 2 convs, identity shortcut (16 -> 16 filters, stride 1): 3 convolutions, 3 BN.
  assert.deepEqual(m.layers.map((l) => l.className), ['InputLayer', 'Reshape', 'Conv2D', 'BatchNormalization', 'Activation', 'Conv2D', 'BatchNormalization', 'Activation', 'Conv2D', 'BatchNormalization', 'Add', 'Activation', 'GlobalAveragePooling2D', 'Dense']);
  assert.throws(() => buildResnet({ inputShape: [8], depth: 1, activation: 'relu', init: 'he_normal', classes: 2 }), (e: unknown) => e instanceof UsageError && /--arch resnet needs images/.test(e.message));
});

test('--arch resnet: --depth is the number of blocks (default 3); --hidden and --units are refused', () => {
  const base = { data: 'mnist', optimizer: 'adam', epochs: '1', batchSize: '32', seed: '1', validationSplit: '0.1', activation: 'relu', init: 'he_normal', schedule: 'constant', arch: 'resnet' } as TrainFlags;
  assert.equal(parseTrainFlags(base).blocks, 3);
  assert.equal(parseTrainFlags({ ...base, depth: '5' }).blocks, 5);
  assert.deepEqual(parseTrainFlags({ ...base, arch: 'mlp', depth: '5' }).hidden, [100, 100, 100, 100, 100]);
  assert.throws(() => parseTrainFlags({ ...base, hidden: '300,100' }), (e: unknown) => e instanceof UsageError && /--arch resnet takes --depth/.test(e.message));
  assert.equal(parseDiagnoseFlags({ ...base, depth: '2' } as DiagnoseFlags).blocks, 2);
  // 3 blocks: stem + 2 x 3 convs + Dense = 8 deep, and the 1x1 projections of the stages that widen (16->32, 32->64) = 10, the rows diagnose lists.
  assert.equal(describeNetwork({ arch: 'resnet', hidden: [], blocks: 3 }), 'resnet 3 blocks (10 layers with weights: 8 deep + 2 1x1 shortcut projections, 16-32-64 filters)');
  assert.equal(describeNetwork({ arch: 'resnet', hidden: [], blocks: 2 }), 'resnet 2 blocks (7 layers with weights: 6 deep + 1 1x1 shortcut projection, 16-32 filters)');
  assert.equal(describeNetwork({ arch: 'resnet', hidden: [], blocks: 1 }), 'resnet 1 block (4 layers, 16 filters)');
  // --arch cnn is a fixed network: layer sizes given with it are refused (they were ignored without a word).
  assert.equal(parseTrainFlags({ ...base, arch: 'cnn' }).arch, 'cnn');
  assert.throws(() => parseDiagnoseFlags({ ...base, arch: 'cnn', depth: '5', units: '7' } as DiagnoseFlags), (e: unknown) => e instanceof UsageError && /--arch cnn is the Keras example convnet .*so --depth and --units would be ignored/.test(e.message));
  assert.throws(() => parseTrainFlags({ ...base, arch: 'cnn', hidden: '64' }), (e: unknown) => e instanceof UsageError && /so --hidden would be ignored; remove it/.test(e.message));
});

test('deepwell diagnose --arch resnet --json: conv layers and the Add merge layers, with a verdict', { timeout: 300_000 }, () => {
  const dir = makeIdxFolder('deepwell-resnet-');
  const r = run(['diagnose', '--arch', 'resnet', '--depth', '2', '--data', dir, '--batch-size', '16', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { layers: { name: string; units: number }[]; merges: { className: string }[]; verdict: { kind: string } };
  // stem + 2 blocks x 2 convs + 1 projection + Dense.
  assert.equal(out.layers.length, 7);
  assert.equal(out.layers[0].units, 16);
  assert.deepEqual(out.merges.map((m) => m.className), ['Add', 'Add']);
  assert.equal(typeof out.verdict.kind, 'string');
  const text = run(['diagnose', '--arch', 'resnet', '--depth', '1', '--data', dir, '--batch-size', '16']);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^conv2d\s/m);
  assert.match(text.stdout, /^merge layer\s+class/m);
  assert.match(text.stdout, /^add\s+Add\s/m);
  assert.match(text.stderr, /resnet 1 block \(4 layers, 16 filters\)/);
});

test('train --arch resnet, like mlp (and cnn: the same ProgressReporter), prints one line per epoch (no progress bar) when stderr is not a terminal', { timeout: 300_000 }, () => {
  // Keras's verbose 2: the progress bar (cli-progress) only on a TTY; run() pipes stderr, so none.
  const dir = makeIdxFolder('deepwell-progress-');
  try {
    for (const arch of [['--arch', 'resnet', '--depth', '1'], ['--arch', 'mlp', '--hidden', '8']]) {
      const r = run(['train', ...arch, '--data', dir, '--epochs', '2', '--batch-size', '32', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const epochs = r.stderr.split('\n').filter((l) => /Epoch \d/.test(l));
      assert.equal(epochs.length, 2, `${arch[1]}: ${epochs.join(' | ')}`);
      epochs.forEach((l, i) => assert.match(l, new RegExp(`^Epoch ${i + 1}/2 - \\d+\\.\\ds - loss \\d\\.\\d{4} - accuracy \\d\\.\\d{4} - val_loss`), arch[1]));
      // No carriage returns or cursor escapes (what a bar redraws with).
      assert.doesNotMatch(r.stderr, /\r|\u001b\[/, arch[1]);
      assert.equal(Object.keys(JSON.parse(r.stdout).history).length, 4);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
