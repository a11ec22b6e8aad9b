// Shared by the CLI tests: run the compiled CLI, and write a tiny IDX dataset a small MLP learns.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/random.js';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Runs `deepwell ...args` in a child process. */
export function run(args: string[], timeout = 180_000): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes an IDX file: magic 0x0803 (images) or 0x0801 (labels), big-endian dims, uint8 payload. */
export function writeIdx(path: string, dims: number[], payload: Uint8Array): void {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  writeFileSync(path, Buffer.concat([header, Buffer.from(payload)]));
}

/**
 * A tiny 3-class image set (8x8, 300 train / 90 test): class c lights up a bright horizontal band
 * at rows 2c..2c+1, plus noise, so a small MLP separates it in one epoch.
 */
export function makeIdxFolder(prefix = 'deepwell-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const rng = new Rng(3);
  const make = (n: number, split: string): void => {
    const images = new Uint8Array(n * 64);
    const labels = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % 3;
      labels[i] = c;
      for (let p = 0; p < 64; p++) {
        const row = Math.floor(p / 8);
        images[i * 64 + p] = (row === 2 * c || row === 2 * c + 1 ? 200 : 0) + rng.nextInt(50);
      }
    }
    writeIdx(join(dir, `${split}-images-idx3-ubyte`), [n, 8, 8], images);
    writeIdx(join(dir, `${split}-labels-idx1-ubyte`), [n], labels);
  };
  make(300, 'train');
  make(90, 't10k');
  return dir;
}
