/**
 * BackupAndRestore after SIGKILL: a training process killed at the start of epoch 3 (after the
 * backup of epoch 2 was written) is started again with the same folder; it resumes from the backup
 * and ends with the same history for epochs 3-5 and the same final weights as an uninterrupted run,
 * bit for bit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./fixtures/backup_child.js', import.meta.url));

function finish(arg: string): { epochs: number[]; history: Record<string, number[]>; weights: number[][] } {
  const r = spawnSync(process.execPath, [CHILD, arg], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

/** Starts the child, which waits at the start of epoch `at`, and kills it with SIGKILL when it announces that epoch. */
function killAt(arg: string, at: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, arg, String(at)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes(`epoch-begin ${at}\n`)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child ended with ${code} before epoch ${at}: ${out}`))));
  });
}

test('a run killed with SIGKILL in epoch 3 resumes from its backup and ends bit for bit as the uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-backup-'));
  try {
    const full = finish('none');
    await killAt(dir, 2);
    assert.ok(existsSync(join(dir, 'latest.safetensors')), 'the backup written after epoch 2 survives the kill');
    const resumed = finish(dir);
    assert.deepEqual(resumed.epochs, [2, 3, 4]);
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      assert.deepEqual(resumed.history[key], full.history[key].slice(2), key);
    }
    assert.deepEqual(resumed.weights, full.weights);
    assert.equal(existsSync(join(dir, 'latest.safetensors')), false, 'the backup is deleted after a complete run');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
