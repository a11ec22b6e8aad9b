// The CLI's per-epoch gradient table (src/cli/progress.ts gradientTable) from a real GradientMonitor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/core/tensor.js';
import { setSeed } from '../../src/core/random.js';
import { gradientTable } from '../../src/cli/progress.js';
import { GradientMonitor } from '../../src/diagnostics/gradient_monitor.js';
import { Add, Dense, Input, resetLayerNames } from '../../src/layers/index.js';
import { Model } from '../../src/models/model.js';

test("gradientTable: a layer without weights (Add) shows '-' for its kernel gradient and update, not NaN", async () => {
  setSeed(1);
  resetLayerNames();
  const x = Input({ shape: [3] });
  const h = new Dense(3, { activation: 'relu', name: 'hidden' }).apply(x);
  const sum = new Add({ name: 'add' }).apply([x, h]);
  const model = new Model({ inputs: x, outputs: new Dense(2, { activation: 'softmax', name: 'out' }).apply(sum) });
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', initializerAdvice: false });
  const monitor = new GradientMonitor({ updateRatioEvery: 1 });
  await model.fit(tensor([[1, 0, 2], [0, 1, -1], [2, 2, 0], [-1, 0, 1]]), tensor([0, 1, 0, 1]), { epochs: 1, batchSize: 2, verbose: 0, callbacks: [monitor] });
  const rows = monitor.last;
  assert.deepEqual(rows.map((r) => [r.name, r.hasKernel]), [['hidden', true], ['add', false], ['out', true]]);
  const table = gradientTable(rows);
  assert.doesNotMatch(table, /NaN/);
  const cells = (name: string): string[] => (table.split('\n').find((l) => l.startsWith(name)) ?? '').trim().split(/\s+/);
  // Columns: layer, grad norm, grad std, act mean, act std, dead, sat, update.
  const add = cells('add');
  assert.deepEqual([add[1], add[2], add[7]], ['-', '-', '-']);
  assert.match(add[3], /^-?\d/);
  // The Dense rows keep their figures (a gradient norm and an update ratio above 0).
  const out = cells('out');
  assert.ok(Number(out[1]) > 0 && Number(out[7]) > 0, table);
});
