// Helpers of the browser tests: Debian's Chromium (headless, driven by playwright-core, as
// test/diagnostics/report.test.ts does) and a static server on 127.0.0.1.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags this machine needs (no sandbox as root; no background traffic on a closed network). */
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Whether Chromium is here; skips the test when it is not, except in CI (CI=true), where a missing
 * browser fails it.
 */
export function haveChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') assert.fail(`${CHROMIUM} is missing: CI must install it (README: apt-get install -y chromium).`);
  t.skip(`${CHROMIUM} is not installed (apt-get install -y chromium); skipping the browser check outside CI.`);
  return false;
}

/** A fresh headless Chromium profile. */
export async function launchChromium(): Promise<BrowserContext> {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'deepwell-chromium-')), {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 800 },
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/**
 * Serves `files` (path -> text or bytes) on 127.0.0.1 at a free port; resolves with its origin and
 * the server. Files added to the record later are served too.
 */
export async function serveFiles(files: Record<string, string | Uint8Array>): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = files[path === '/' ? '/index.html' : path];
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    const type = TYPES[path.slice(path.lastIndexOf('.'))] ?? (typeof body === 'string' ? TYPES['.html'] : 'application/octet-stream');
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** Distinct colours and the share of pixels unlike the top-left one, decoded by the browser itself. */
export async function imageStats(page: Page, png: Buffer): Promise<{ colors: number; changed: number }> {
  // Runs in the page (the test is compiled without the DOM's types, hence a string).
  return page.evaluate(`(async () => {
    const img = new Image();
    img.src = 'data:image/png;base64,${png.toString('base64')}';
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    const colors = new Set();
    let changed = 0;
    for (let i = 0; i < d.length; i += 4) {
      colors.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 30) changed++;
    }
    return { colors: colors.size, changed: changed / (d.length / 4) };
  })()`);
}
