/**
 * ModelCheckpoint and BackupAndRestore against an in-memory model store that keeps what a file
 * would (weights, optimizer state and training state through JSON). The file formats and the disk
 * are tested in test/io; here the callbacks' decisions and fit's resume path are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { Dense, Dropout, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { type ModelStore, registerModelStore } from '../../src/models/model_store.js';
import { Adam } from '../../src/optimizers/adam.js';
import { BackupAndRestore } from '../../src/callbacks/backup_and_restore.js';
import { ModelCheckpoint } from '../../src/callbacks/model_checkpoint.js';
import { formatCheckpointPath } from '../../src/callbacks/checkpoint_path.js';
import { Crash } from './fixtures/crash.js';

/** What a checkpoint file holds, as JSON text. */
class MemoryStore implements ModelStore {
  files = new Map<string, string>();
  saves: { path: string; options: object }[] = [];
  async save(model: Sequential, path: string, options: object): Promise<void> {
    this.saves.push({ path, options });
    this.files.set(path, JSON.stringify({ weights: model.getWeights(), optimizer: model.optimizer!.getState(model.weights), training: model.trainingState }));
  }
  async load(): Promise<Sequential> {
    throw new Error('not used');
  }
  async exists(path: string): Promise<boolean> {
    return this.files.has(path);
  }
  async restoreInto(model: Sequential, path: string): Promise<void> {
    const saved = JSON.parse(this.files.get(path)!);
    model.setWeights(saved.weights);
    model.optimizer!.setState(saved.optimizer, model.weights);
    model.setTrainingState(saved.training);
  }
  async remove(path: string): Promise<void> {
    this.files.delete(path);
  }
}

function data(n: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(3);
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 2;
    for (let j = 0; j < 3; j++) x[3 * i + j] = (y[i] - 0.5) + rng.nextNormal();
  }
  return { x: new Tensor(x, [n, 3]), y: new Tensor(y, [n]) };
}

function model(seed: number): Sequential {
  setSeed(seed);
  resetLayerNames();
  const m = new Sequential([new Dense(8, { activation: 'relu', inputShape: [3] }), new Dropout(0.2), new Dense(2, { activation: 'softmax' })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: 0.02 }), metrics: ['accuracy'], initializerAdvice: false });
  return m;
}

const bits = (a: ArrayLike<number>): number[] => Array.from(new Uint32Array(Float32Array.from(a).buffer));

test('formatCheckpointPath fills {epoch} 1-based and log keys with Python format specs', () => {
  assert.equal(formatCheckpointPath('m-{epoch:02d}-{val_loss:.2f}.keras', 2, { val_loss: 0.12345 }), 'm-03-0.12.keras');
  assert.equal(formatCheckpointPath('m-{epoch}.h5', 0, {}), 'm-1.h5');
  assert.equal(formatCheckpointPath('m-{epoch:4d}', 9, {}), 'm-  10');
  assert.throws(() => formatCheckpointPath('m-{val_acc}.keras', 0, { val_accuracy: 1 }), /'\{val_acc\}' is neither 'epoch' nor in the epoch logs \(val_accuracy\)/);
});

test('ModelCheckpoint saveBestOnly saves only on improvement, with Keras messages', async () => {
  const store = new MemoryStore();
  registerModelStore(store);
  const m = model(1);
  const cb = new ModelCheckpoint({ filepath: 'ck/{epoch:02d}.keras', monitor: 'loss', saveBestOnly: true, verbose: 1 });
  const messages: string[] = [];
  cb.print = (s) => messages.push(s);
  // A fake loss sequence through the epoch hook: improves, worsens, improves.
  cb.setModel(m);
  for (const [epoch, loss] of [[0, 0.5], [1, 0.7], [2, 0.4]] as const) await cb.onEpochEnd(epoch, { loss });
  assert.deepEqual(store.saves.map((s) => s.path), ['ck/01.keras', 'ck/03.keras']);
  assert.deepEqual(messages, [
    'Epoch 1: loss improved from inf to 0.50000, saving model to ck/01.keras',
    'Epoch 2: loss did not improve from 0.50000',
    'Epoch 3: loss improved from 0.50000 to 0.40000, saving model to ck/03.keras',
  ]);
  const weightsOnly = new ModelCheckpoint({ filepath: 'w.weights.h5', saveWeightsOnly: true });
  weightsOnly.setModel(m);
  await weightsOnly.onEpochEnd(0, {});
  assert.deepEqual(store.saves.at(-1), { path: 'w.weights.h5', options: { weightsOnly: true, includeOptimizer: false } });
  assert.throws(() => new ModelCheckpoint({ filepath: '' }), (e: Error) => e instanceof ValueError && /filepath must be a non-empty path template/.test(e.message));
  assert.throws(() => new ModelCheckpoint({ filepath: 'a', saveFreq: 10 as never }), /saveFreq 10 is not supported/);
});

test('BackupAndRestore: a run that crashed in epoch 3 resumes from the backup and ends bit for bit as the uninterrupted run', async () => {
  const store = new MemoryStore();
  registerModelStore(store);
  const { x, y } = data(120);
  const opts = { epochs: 5, batchSize: 10, seed: 11, validationSplit: 0.25 };

  const full = await model(1).fit(x, y, opts);

  const backup = new BackupAndRestore({ backupDir: 'backup/' });
  await assert.rejects(model(1).fit(x, y, { ...opts, callbacks: [backup, new Crash(2)] }), /simulated crash/);
  assert.ok(store.files.has('backup/latest.safetensors'), 'the backup of epoch 2 is kept after the crash');

  const m = model(77);
  const again = new BackupAndRestore({ backupDir: 'backup/' });
  const rest = await m.fit(x, y, { ...opts, callbacks: [again] });
  assert.equal(again.resumedEpoch, 2);
  assert.deepEqual(rest.epoch, [2, 3, 4]);
  for (const key of ['loss', 'val_loss', 'val_accuracy']) assert.deepEqual(bits(rest.history[key]), bits(full.history[key].slice(2)), key);
  assert.equal(store.files.has('backup/latest.safetensors'), false, 'deleted after a normal end');
});
