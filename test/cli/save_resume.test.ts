/**
 * `deepwell train --save` then `--resume` continues bit for bit: `--epochs 2 --save d` followed by
 * `--resume d --epochs 4` gives the same epoch 3-4 history and test metrics as `--epochs 4`, with
 * dropout and batch normalization (random streams and moving statistics) in the model.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeIdxFolder, run } from './helpers.js';

const bits = (a: number[]): number[] => Array.from(new Uint32Array(Float64Array.from(a).buffer));

test('train --save d --epochs 2, then --resume d --epochs 4, equals train --epochs 4 bit for bit', () => {
  const dir = makeIdxFolder('deepwell-resume-');
  try {
    const common = ['train', '--data', dir, '--hidden', '16,8', '--batch-size', '16', '--seed', '3', '--dropout', '0.2', '--batch-norm', '--json'];
    const full = run([...common, '--epochs', '4']);
    assert.equal(full.code, 0, full.stderr);
    const first = run([...common, '--epochs', '2', '--save', join(dir, 'ckpt')]);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(join(dir, 'ckpt', 'model.safetensors')));
    assert.match(first.stderr, /model saved to .*ckpt \(resume with --resume/);
    const rest = run(['train', '--resume', join(dir, 'ckpt'), '--epochs', '4', '--json']);
    assert.equal(rest.code, 0, rest.stderr);
    assert.match(rest.stderr, /resuming .*ckpt after epoch 2 of 4/);
    const a = JSON.parse(full.stdout);
    const b = JSON.parse(rest.stdout);
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      assert.equal(b.history[key].length, 2, key);
      assert.deepEqual(bits(b.history[key]), bits(a.history[key].slice(2)), key);
    }
    assert.deepEqual(bits([b.test.loss, b.test.accuracy]), bits([a.test.loss, a.test.accuracy]));

    const done = run(['train', '--resume', join(dir, 'ckpt'), '--epochs', '2']);
    assert.equal(done.code, 2);
    assert.match(done.stderr, /--epochs 2: .*ckpt has already completed 2 epoch\(s\); --epochs is the total/);
    // Settings beside --resume would be ignored (the checkpoint's win): refused, naming them.
    const changed = run(['train', '--resume', join(dir, 'ckpt'), '--epochs', '5', '--lr', '0.1', '--arch', 'cnn', '--json']);
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /--resume continues the saved run with its own settings, so --arch, --lr cannot be changed here/);
    const missing = run(['train', '--resume', join(dir, 'nothing'), '--epochs', '3']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /'.*nothing' does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
