// The CLI's model commands on a functional model saved by the library (a regression test: the CLI
// imports the loaders directly, and the 'Functional' class must be registered there too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Add, Dense, Input } from '../../src/layers/index.js';
import { Model } from '../../src/models/model.js';
import { run } from './helpers.js';
import '../../src/io/file_store.node.js';

test('deepwell summary and export read a functional .keras file: the Connected to column, and the h5 copy has the same summary', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-cli-functional-'));
  try {
    const x = Input({ shape: [5], name: 'in' });
    const h = new Dense(4, { name: 'h' }).apply(x);
    const model = new Model({ inputs: x, outputs: new Add({ name: 'skip' }).apply([h, new Dense(4, { name: 'f' }).apply(h)]), name: 'res' });
    await model.save(join(dir, 'm.keras'));
    const r = run(['summary', join(dir, 'm.keras')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Model: "res"/);
    // h: 5*4 + 4 = 24 weights; f: 4*4 + 4 = 20.
    assert.match(r.stdout, / skip \(Add\) +\(None, 4\) +0 +\['h\[0\]\[0\]',\n +'f\[0\]\[0\]'\]/);
    assert.match(r.stdout, /Total params: 44\n/);
    const e = run(['export', join(dir, 'm.keras'), '--format', 'h5', join(dir, 'm.h5')]);
    assert.equal(e.code, 0, e.stderr);
    const r2 = run(['summary', join(dir, 'm.h5')]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(r2.stdout, r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('deepwell diagnose --report draws the architecture (a plain chain for an MLP: no residual arc)', async () => {
  const { makeIdxFolder } = await import('./helpers.js');
  const { readFileSync } = await import('node:fs');
  const dir = makeIdxFolder();
  try {
    const path = join(dir, 'r.html');
    const r = run(['diagnose', '--data', dir, '--hidden', '8,8', '--report', path]);
    assert.equal(r.code, 0, r.stderr);
    const html = readFileSync(path, 'utf8');
    // Flatten or not, the MLP's layers form one chain: connections = layers - 1, no skip.
    const m = html.match(/<figure class="architecture" id="architecture" data-layers="(\d+)" data-connections="(\d+)" data-skips="0">/);
    assert.ok(m !== null, 'architecture figure');
    assert.equal(Number(m[2]), Number(m[1]) - 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
