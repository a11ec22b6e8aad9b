// The command line as a user meets it: exit codes, messages that name the option and the nearest
// valid value, and the --json contract (the README's "Command line"), on a small IDX folder written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { makeIdxFolder, run, writeIdx } from './helpers.js';

test('train --json prints one JSON object with the contract keys, progress on stderr', () => {
  const dir = makeIdxFolder();
  const r = run(['train', '--data', dir, '--hidden', '16,8', '--epochs', '2', '--batch-size', '16', '--seed', '1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'stdout holds exactly one line: the JSON object');
  const out = JSON.parse(lines[0]);
  for (const k of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) assert.equal(out.history[k].length, 2, k);
  assert.ok(out.test.accuracy > 0.9, `test accuracy ${out.test.accuracy}`);
  assert.deepEqual(out.layers.map((l: { name: string }) => l.name).length, 3);
  for (const l of out.layers) {
    for (const k of ['kernelGradNorm', 'kernelGradStd', 'activationMean', 'activationStd', 'deadFraction']) {
      assert.equal(typeof l[k], 'number', k);
      assert.ok(Number.isFinite(l[k]), k);
    }
    assert.ok(l.kernelGradNorm > 0);
  }
  assert.ok(out.seconds > 0);
  assert.match(r.stderr, /Epoch 2\/2/);
  assert.match(r.stderr, /grad norm/);
});

test('the same seed reproduces the run exactly; another seed does not', () => {
  const dir = makeIdxFolder();
  const args = ['train', '--data', dir, '--hidden', '8', '--epochs', '1', '--batch-size', '32', '--json'];
  const a = JSON.parse(run([...args, '--seed', '5']).stdout);
  const b = JSON.parse(run([...args, '--seed', '5']).stdout);
  const c = JSON.parse(run([...args, '--seed', '6']).stdout);
  assert.deepEqual(a.history, b.history);
  assert.deepEqual(a.test, b.test);
  assert.notDeepEqual(a.history, c.history);
});

test('a misspelled value exits 2 naming the option, the valid values and the nearest', () => {
  const cases: [string[], RegExp][] = [
    [['--init', 'he_normla'], /--init.*'he_normla'.*Did you mean 'he_normal'\?/s],
    [['--activation', 'rleu'], /--activation.*Did you mean 'relu'\?/s],
    [['--optimizer', 'adma'], /--optimizer.*'sgd', 'adam'.*Did you mean 'adam'\?/s],
    [['--epochs', '0'], /--epochs.*positive integer/],
    [['--batch-size', 'ten'], /--batch-size.*'ten'/],
    [['--lr', '-1'], /--lr.*'-1'/],
    [['--hidden', '300,,100'], /--hidden/],
    [['--hidden', '10', '--depth', '3'], /either --hidden/],
    [['--data', '/nonexistent/folder'], /--data.*'\/nonexistent\/folder'/],
  ];
  for (const [args, pattern] of cases) {
    const r = run(['train', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
    assert.equal(r.stdout, '', 'nothing on stdout');
  }
});

test('an unknown flag exits 2', () => {
  const r = run(['train', '--bogus']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown option '--bogus'/);
});

test('a folder whose image file is truncated exits 2 with a DataError naming the file', () => {
  const dir = makeIdxFolder();
  writeIdx(join(dir, 'train-images-idx3-ubyte'), [300, 8, 8], new Uint8Array(100));
  const r = run(['train', '--data', dir, '--epochs', '1']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /train-images-idx3-ubyte/);
});

test('train warns on stderr when the initializer does not suit the activation; --no-init-advice silences it', () => {
  const dir = makeIdxFolder();
  const args = ['train', '--data', dir, '--hidden', '8', '--epochs', '1', '--activation', 'sigmoid', '--init', 'he_normal', '--json'];
  const loud = run(args);
  assert.equal(loud.code, 0, loud.stderr);
  assert.match(loud.stderr, /warning: dense: activation 'sigmoid' with kernel initializer 'he_normal'.*Use --init glorot_uniform.*--no-init-advice/);
  const quiet = run([...args, '--no-init-advice']);
  assert.equal(quiet.code, 0);
  assert.doesNotMatch(quiet.stderr, /warning/);
  assert.deepEqual(JSON.parse(quiet.stdout).history, JSON.parse(loud.stdout).history, 'advice does not change the run');
});

test('bad data is caught before training: an impossible label, images of different sizes', () => {
  // One training label of 42 among classes 0..2: classes 3..41 never occur.
  const dir = makeIdxFolder();
  const labels = new Uint8Array(300).map((_, i) => i % 3);
  labels[5] = 42;
  writeIdx(join(dir, 'train-labels-idx1-ubyte'), [300], labels);
  const r = run(['train', '--data', dir, '--epochs', '1']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /label 42 at sample 5 looks wrong/);
  assert.doesNotMatch(r.stderr, /Epoch 1/);
  // Test images 4x16 while training images are 8x8.
  const dir2 = makeIdxFolder();
  writeIdx(join(dir2, 't10k-images-idx3-ubyte'), [90, 4, 16], new Uint8Array(90 * 64));
  const r2 = run(['train', '--data', dir2, '--epochs', '1']);
  assert.equal(r2.code, 2, r2.stderr);
  assert.match(r2.stderr, /training images are 8x8.*test images are 4x16/);
  assert.doesNotMatch(r2.stderr, /Epoch 1/);
});

test('flags that do not fit together or are not plain numbers exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['--units', '50'], /--units needs --depth/],
    // With cnn, --depth is refused too: the architecture's refusal comes first (not "--units needs --depth").
    [['--arch', 'cnn', '--units', '64'], /--arch cnn is the Keras example convnet .*so --units would be ignored/],
    [['--arch', 'resnet', '--units', '64'], /--arch resnet takes --depth N .*not --units/],
    [['--lr', '0x10'], /--lr.*'0x10'/],
    [['--lr', 'Infinity'], /--lr/],
    [['--epochs', '2.5'], /--epochs.*for example 5/],
    [['--validation-split', '1'], /--validation-split/],
  ];
  for (const [args, pattern] of cases) {
    const r = run(['train', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
  }
  // train --help describes the three architectures, not only the MLP.
  const help = run(['train', '--help']);
  assert.equal(help.code, 0, help.stderr);
  const helpText = help.stdout.replace(/\s+/g, ' ');
  assert.doesNotMatch(helpText, /Train a multilayer perceptron/);
  assert.match(helpText, /Train a network \(--arch mlp, cnn or resnet: a multilayer perceptron, the Keras-example convnet, or a residual convnet\)/);
  const v = run(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+/);
});

test('the remedy flags build the book\'s layers and optimizer options, and conflicting ones exit 2', () => {
  const dir = makeIdxFolder();
  const r = run(['train', '--data', dir, '--hidden', '16,8', '--epochs', '2', '--batch-size', '16', '--seed', '1',
    '--batch-norm', '--dropout', '0.1', '--l2', '0.001', '--optimizer', 'sgd', '--lr', '0.05', '--momentum', '0.9', '--nesterov',
    '--clip-norm', '1', '--schedule', 'cosine', '--early-stopping', '3']);
  assert.equal(r.code, 0, r.stderr);
  // The summary (on stderr without --json) lists BN and Dropout around each hidden Dense.
  assert.match(r.stderr, /batch_normalization \(BatchNormalization\)[\s\S]*dropout \(Dropout\)[\s\S]*dense \(Dense\)/);
  assert.match(r.stderr, /regularization_loss/);
  const bad: [string[], RegExp][] = [
    [['--clip-norm', '1', '--clip-value', '0.5'], /at most one of --clip-norm, --clip-value/],
    [['--momentum', '0.9'], /--momentum and --nesterov apply to --optimizer sgd/],
    [['--optimizer', 'sgd', '--nesterov'], /--nesterov needs a momentum/],
    [['--schedule', 'cosin'], /--schedule.*Did you mean 'cosine'\?/s],
    [['--dropout', '1'], /--dropout/],
    [['--schedule', 'plateau', '--validation-split', '0'], /keep a --validation-split above 0/],
  ];
  for (const [args, pattern] of bad) {
    const b = run(['train', '--data', dir, ...args]);
    assert.equal(b.code, 2, `${args.join(' ')}: ${b.stderr}`);
    assert.match(b.stderr, pattern, args.join(' '));
  }
});

test('an unwritable --report path exits 2 before any training; advice for many layers is one line', () => {
  const dir = makeIdxFolder();
  for (const path of ['/nonexistent/dir/r.html', dir]) {
    const r = run(['train', '--data', dir, '--hidden', '8', '--epochs', '1', '--report', path]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--report/);
    assert.doesNotMatch(r.stderr, /Epoch 1/);
  }
  const deep = run(['train', '--data', dir, '--depth', '6', '--units', '8', '--epochs', '1', '--activation', 'relu', '--init', 'glorot_uniform', '--json']);
  assert.equal(deep.code, 0, deep.stderr);
  const warnings = deep.stderr.split('\n').filter((l) => l.includes('warning'));
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /dense to dense_5 \(6 layers\): activation 'relu' with kernel initializer 'glorot_uniform'.*Use --init he_normal/);
});

test('train warns after an epoch whose hidden layers are mostly dead', () => {
  const dir = makeIdxFolder();
  // A zero kernel makes every ReLU output 0: all hidden units are dead from the first step.
  const r = run(['train', '--data', dir, '--hidden', '8,8', '--epochs', '1', '--init', 'zeros', '--no-init-advice']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: dead units: dense 100%, dense_1 100% of the units output 0 for every sample \(at least 75%\), so no gradient flows through them\. Run deepwell diagnose with the same flags/);
  const healthy = run(['train', '--data', dir, '--hidden', '8,8', '--epochs', '1']);
  assert.doesNotMatch(healthy.stderr, /dead units|vanishing|exploding|saturation/);
});

test('train names vanishing gradients with the per-layer figures, and diagnose with the same flags agrees', () => {
  const dir = makeIdxFolder();
  // Sigmoid with random_normal (stddev 0.05) over 6 layers: each layer scales the gradient by about
  // 0.25 * 0.05^2 * 32 = 0.02, so the first layer's gradient is orders of magnitude below the last's.
  const flags = ['--data', dir, '--depth', '6', '--units', '32', '--activation', 'sigmoid', '--init', 'random_normal'];
  const r = run(['train', ...flags, '--no-init-advice', '--optimizer', 'sgd', '--epochs', '1', '--batch-size', '16']);
  assert.equal(r.code, 0, r.stderr);
  const m = /warning: vanishing gradients: the kernel gradient std goes from (\S+) \(dense_5\) to (\S+) \(dense\) on the way back, a ratio of (\S+) \(below 0\.01\), so the first layers barely learn/.exec(r.stderr);
  assert.ok(m !== null, r.stderr);
  // The ratio printed is the quotient of the two figures printed (to their 2 significant digits).
  const [last, first, ratio] = [Number(m[1]), Number(m[2]), Number(m[3])];
  assert.ok(Math.abs(first / last / ratio - 1) < 0.1, `${first} / ${last} vs ${ratio}`);
  const d = run(['diagnose', ...flags, '--json']);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(JSON.parse(d.stdout).verdict.kind, 'vanishing');
});
