/**
 * BackupAndRestore through the file store within one process: the model rebuilt after a crash gets
 * new automatic layer names (dense_7 instead of dense_1), and the backup still restores (layer names
 * aligned by position, as Keras 3's structural load_weights), bit for bit as the uninterrupted run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/io/file_store.node.js';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { Dense, Dropout } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { Adam } from '../../src/optimizers/adam.js';
import { BackupAndRestore } from '../../src/callbacks/backup_and_restore.js';
import { Crash } from '../callbacks/fixtures/crash.js';
import { bits } from './real_models.js';

function model(seed: number): Sequential {
  setSeed(seed);
  const m = new Sequential([new Dense(8, { activation: 'relu', inputShape: [3] }), new Dropout(0.2), new Dense(2, { activation: 'softmax' })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.02 }), metrics: ['accuracy'], initializerAdvice: false });
  return m;
}

test('BackupAndRestore (file store, one process): the rebuilt model with other layer names resumes bit for bit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dw-restore-names-'));
  try {
    const rng = new Rng(3);
    const n = 120;
    const y = new Tensor(Float32Array.from({ length: n }, (_, i) => i % 2), [n]);
    const x = new Tensor(Float32Array.from({ length: n * 3 }, (_, k) => (Math.floor(k / 3) % 2) - 0.5 + rng.nextNormal()), [n, 3]);
    const opts = { epochs: 5, batchSize: 10, seed: 11, validationSplit: 0.25, verbose: 0 as const };
    const full = await model(1).fit(x, y, opts);

    const first = model(1);
    await assert.rejects(first.fit(x, y, { ...opts, callbacks: [new BackupAndRestore({ backupDir: dir }), new Crash(2)] }), /simulated crash/);
    const again = model(77);
    assert.notDeepEqual(again.layers.map((l) => l.name), first.layers.map((l) => l.name)); // what used to break the restore
    const backup = new BackupAndRestore({ backupDir: dir });
    const rest = await again.fit(x, y, { ...opts, callbacks: [backup] });
    assert.equal(backup.resumedEpoch, 2);
    assert.deepEqual(rest.epoch, [2, 3, 4]);
    for (const key of ['loss', 'val_loss', 'val_accuracy']) assert.deepEqual(bits(rest.history[key]), bits(full.history[key].slice(2)), key);
    assert.equal(existsSync(join(dir, 'latest.safetensors')), false, 'deleted after a normal end');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
