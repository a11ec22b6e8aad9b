// writeFileAtomic: a child process saves a 20 MB deepwell model over and over; the parent kills it with
// SIGKILL at random moments, 20 times. Each time the target must decode as a complete file: the
// previous one or a new one (all weights equal to the save counter k, k never going back).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeDeepwellModel, encodeDeepwellModel } from '../../src/io/deepwell_format.js';
import { writeFileAtomic, writeFileAtomicSync } from '../../src/core/atomic_write.node.js';

const CHILD = fileURLToPath(new URL('./fixtures/atomic_writer_child.js', import.meta.url));
/** 5,000,000 float32 = 20 MB per save. */
const FLOATS = 5_000_000;
const KILLS = 20;

/** Decodes the target; checks it is one complete save and returns its counter k. */
function savedCounter(path: string): number {
  const a = decodeDeepwellModel(new Uint8Array(readFileSync(path)), path);
  const k = (a.trainingState as { k: number }).k;
  assert.equal(a.weights[0].data.length, FLOATS);
  for (const w of a.weights) assert.ok(w.data.every((v) => v === k), `every weight of save ${k} equals ${k}`);
  return k;
}

test(`SIGKILL at ${KILLS} random moments during 20 MB saves: the target is always a complete old or new file`, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-atomic-'));
  const target = join(dir, 'model.deepwell');
  try {
    writeFileAtomicSync(target, encodeDeepwellModel({
      modelConfig: { class_name: 'Sequential', config: { name: 'big', layers: [] } },
      weights: [
        { name: 'dense/kernel', layer: 'dense', index: 0, shape: [FLOATS], dtype: 'float32', data: new Float32Array(FLOATS), trainable: true },
        { name: 'dense/bias', layer: 'dense', index: 1, shape: [3], dtype: 'float32', data: new Float32Array(3), trainable: true },
      ],
      trainingState: { k: 0 },
    }));
    let leftovers = 0;
    let lastK = 0;
    let newFiles = 0;
    for (let round = 0; round < KILLS; round++) {
      const child = spawn(process.execPath, [CHILD, target, String(FLOATS)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      // Random moment within the first few saves (a save takes tens to hundreds of ms here).
      await new Promise((r) => setTimeout(r, Math.random() * 600));
      child.kill('SIGKILL');
      assert.equal(await exited, 'SIGKILL');
      const k = savedCounter(target);
      // The child restarts its counter at 1 each round: k is 0 (the initial file), or a save of this or an earlier round.
      if (k !== lastK) newFiles++;
      lastK = k;
      for (const f of readdirSync(dir)) {
        if (f !== 'model.deepwell') {
          assert.match(f, /^\.model\.deepwell\.\d+\.[0-9a-f]{12}\.tmp$/);
          rmSync(join(dir, f));
          leftovers++;
        }
      }
    }
    // Reported, not asserted (timing): how many kills landed mid-write and how many rounds changed the file.
    console.log(`# ${KILLS} kills: ${leftovers} left a temporary file (killed mid-write), the target changed in ${newFiles} rounds`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeFileAtomic: replaces the content, leaves no temporary file, and removes it on error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-atomic-'));
  try {
    const target = join(dir, 'f.bin');
    writeFileSync(target, 'old');
    await writeFileAtomic(target, new TextEncoder().encode('new content'));
    assert.equal(readFileSync(target, 'utf8'), 'new content');
    writeFileAtomicSync(target, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...readFileSync(target)], [1, 2, 3]);
    assert.deepEqual(readdirSync(dir), ['f.bin']);
    // Renaming over a folder fails (EISDIR / ENOTEMPTY...): the temporary file must be gone afterwards.
    const folderTarget = join(dir, 'sub');
    mkdirSync(folderTarget);
    writeFileSync(join(folderTarget, 'x'), 'x');
    await assert.rejects(() => writeFileAtomic(folderTarget, new Uint8Array(10)));
    assert.throws(() => writeFileAtomicSync(folderTarget, new Uint8Array(10)));
    assert.deepEqual(readdirSync(dir).sort(), ['f.bin', 'sub']);
    // A missing folder: the error passes through (ENOENT) and nothing is created.
    await assert.rejects(() => writeFileAtomic(join(dir, 'missing', 'f.bin'), new Uint8Array(1)), /ENOENT/);
    if (process.getuid?.() !== 0) {
      chmodSync(dir, 0o500);
      await assert.rejects(() => writeFileAtomic(target, new Uint8Array(1)), /EACCES/);
      chmodSync(dir, 0o700);
    }
    assert.ok(existsSync(target));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
