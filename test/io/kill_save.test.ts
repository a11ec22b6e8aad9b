// model.save under SIGKILL: a child process (fixtures/model_saver_child.ts) saves a 16 MB model
// (Dense 2000x2000) with model.save to the same path again and again; the parent kills it with
// SIGKILL at random moments, 15 times per format. After every kill, loadModel of the path succeeds
// and gives one whole saved version: every weight equals one k that was saved (the previous file or
// a save the child started), and k never goes back. The same pattern as atomic_write.test.ts, one
// layer up (the file store: deepwell folder, .keras, and the TF.js folder whose shards and model.json
// are separate files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../src/io/file_store.node.js';
import { loadModel, type ModelFormat } from '../../src/models/model_store.js';
import { UNITS, bigModel, setVersion } from './fixtures/big_model.js';

const CHILD = fileURLToPath(new URL('./fixtures/model_saver_child.js', import.meta.url));
const KILLS = 15;

/** Loads `path`; checks every weight equals one value k and returns it. */
async function loadedVersion(path: string): Promise<number> {
  const model = await loadModel(path);
  const [kernel, bias] = model.layers[0].getWeights();
  assert.equal(kernel.size, UNITS * UNITS);
  const k = bias.data[0];
  assert.ok(kernel.data.every((v) => v === k) && bias.data.every((v) => v === k), `a whole save: every weight equals ${k}`);
  return k;
}

for (const [format, name] of [['deepwell', 'model'], ['keras', 'model.keras'], ['tfjs', 'tfjs']] as const) {
  test(`SIGKILL at ${KILLS} random moments while model.save writes a 16 MB model (${format}): loadModel always gives a whole saved version`, { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deepwell-kill-save-'));
    const target = join(dir, name);
    try {
      const model = bigModel();
      setVersion(model, 0);
      await model.save(target, { format: format as ModelFormat });
      let last = 0;
      let changed = 0;
      let windowMs = 1500;
      for (let round = 1; round <= KILLS; round++) {
        // Round r saves versions 1000r, 1000r + 1, ...: above every version of earlier rounds.
        const child = spawn(process.execPath, [CHILD, target, format, String(1000 * round)], { stdio: ['ignore', 'pipe', 'inherit'] });
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
        const started = new Set<number>();
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          for (const m of out.matchAll(/saving (\d+)\n/g)) started.add(Number(m[1]));
        });
        await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
        // A random moment within the first saves. One save takes tens of ms to seconds (a busy machine):
        // the window doubles after a round that waited over half of it and saw no save complete, so later kills also hit later saves.
        const delay = Math.random() * windowMs;
        await new Promise((r) => setTimeout(r, delay));
        child.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');
        const k = await loadedVersion(target);
        assert.ok(k === last || (started.has(k) && k > last), `round ${round}: loaded version ${k}; the previous was ${last}, this round started ${[...started].join(', ')}`);
        if (k !== last) changed++;
        last = k;
        if (started.size <= 1 && delay > windowMs / 2) windowMs = Math.min(2 * windowMs, 16_000);
      }
      // Reported, not asserted (timing): how many rounds replaced the file.
      console.log(`kill-save ${format}: ${KILLS} kills, the file changed in ${changed} rounds, the last version ${last}, kill window ${windowMs} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
