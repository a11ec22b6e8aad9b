// The browser store's `exists(url)` over HTTP (here with Node's fetch, the same Fetch API as a page's)
// against a local server: a HEAD request for a present and an absent file; a server that refuses HEAD
// (405 Method Not Allowed, 501 Not Implemented) is asked with a one-byte ranged GET instead; a server
// that is not there is `false`, not an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type IncomingHttpHeaders, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserModelStore, urlExists } from '../../src/io/browser_store.js';

/** What the server saw: method, path and range header of each request. */
type Seen = { method: string; path: string; range: string | undefined }[];

/** A server holding /model.safetensors (64 bytes); `headStatus` answers HEAD when given (else HEAD is served as GET). */
async function serve(headStatus?: number): Promise<{ origin: string; seen: Seen; close(): void }> {
  const seen: Seen = [];
  const body = new Uint8Array(64).fill(7);
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = req.headers;
    seen.push({ method: req.method ?? '', path: req.url ?? '', range: headers.range });
    if (req.method === 'HEAD' && headStatus !== undefined) {
      res.writeHead(headStatus, headStatus === 405 ? { allow: 'GET' } : {}).end();
      return;
    }
    if (req.url !== '/model.safetensors') {
      res.writeHead(404).end('not found');
      return;
    }
    if (headers.range === 'bytes=0-0') {
      res.writeHead(206, { 'content-range': `bytes 0-0/${body.length}`, 'content-length': '1' }).end(body.subarray(0, 1));
      return;
    }
    res.writeHead(200, { 'content-length': String(body.length) }).end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}

test('exists(url): HEAD answers for a present (200) and an absent (404) file, one request each, no body fetched', async () => {
  const s = await serve();
  try {
    assert.equal(await browserModelStore.exists(`${s.origin}/model.safetensors`), true);
    assert.equal(await browserModelStore.exists(`${s.origin}/missing.safetensors`), false);
    assert.deepEqual(s.seen, [
      { method: 'HEAD', path: '/model.safetensors', range: undefined },
      { method: 'HEAD', path: '/missing.safetensors', range: undefined },
    ]);
  } finally {
    s.close();
  }
});

for (const status of [405, 501]) {
  test(`exists(url): a server that answers HEAD with ${status} is asked with GET Range: bytes=0-0 (206 present, 404 absent)`, async () => {
    const s = await serve(status);
    try {
      assert.equal(await browserModelStore.exists(`${s.origin}/model.safetensors`), true);
      assert.equal(await browserModelStore.exists(`${s.origin}/missing.safetensors`), false);
      assert.deepEqual(s.seen, [
        { method: 'HEAD', path: '/model.safetensors', range: undefined },
        { method: 'GET', path: '/model.safetensors', range: 'bytes=0-0' },
        { method: 'HEAD', path: '/missing.safetensors', range: undefined },
        { method: 'GET', path: '/missing.safetensors', range: 'bytes=0-0' },
      ]);
    } finally {
      s.close();
    }
  });
}

test('exists(url): a server that is not there is false; a path that is no URL (in Node) is false', async () => {
  const s = await serve();
  const origin = s.origin;
  await new Promise<void>((resolve) => { s.close(); setTimeout(resolve, 50); });
  assert.equal(await urlExists(new URL(`${origin}/model.safetensors`)), false);
  assert.equal(await browserModelStore.exists('models/model.safetensors'), false);
});
