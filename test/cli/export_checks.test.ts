/**
 * Found by a newcomer trial: `deepwell export` wrote a zip into `m.h5` when told `--format keras`
 * (a file that nothing could then read), and `evaluate README.md` called a plain file "a folder".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../src/io/file_store.node.js';
import { Dense, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { run } from './helpers.js';

test('export refuses an OUT whose extension names another format; a non-model file is named as such (exit 2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-export-'));
  try {
    resetLayerNames();
    const model = new Sequential([new Dense(3, { activation: 'softmax', inputShape: [4] })]);
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', initializerAdvice: false });
    await model.save(join(dir, 'run1'));
    const wrong = run(['export', join(dir, 'run1'), join(dir, 'm2.h5'), '--format', 'keras']);
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.match(wrong.stderr, /OUT '.*m2\.h5' names the h5 format but --format is keras; give OUT the extension of the format \(\.keras\)/);
    assert.equal(existsSync(join(dir, 'm2.h5')), false);
    const right = run(['export', join(dir, 'run1'), join(dir, 'm2.keras'), '--format', 'keras']);
    assert.equal(right.code, 0, right.stderr);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const text = run(['summary', join(dir, 'notes.txt')]);
    assert.equal(text.code, 2);
    assert.match(text.stderr, /'.*notes\.txt' is not a model file: expected a file ending in \.safetensors, \.keras or \.h5/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
