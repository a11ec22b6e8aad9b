// `npm ci` / `npm install` run this (the package's `prepare`): a full `npm run build`, unless the last
// build here was made from exactly these sources with this Node on this platform (scripts/build-stamp.mjs).
//
// Why: npm 11's `npx deepwell` in a checkout installs the checkout into npx's cache as the package that
// owns the `deepwell` command (libnpmexec: "self-execution of a local bin"), and that install runs
// `prepare` again: a full rebuild of about a minute, its output hidden, before the README's first
// command printed anything. With the stamp, that second `prepare` finds the build current and returns.
// `npm run build` always builds in full; DEEPWELL_REBUILD=1 forces a build here.
import { spawnSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAMP_FILE, buildIsCurrent, inputStamp } from './build-stamp.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
if (process.env.DEEPWELL_REBUILD !== '1' && buildIsCurrent(root)) {
  console.log(`deepwell: the build is current (${STAMP_FILE} matches the sources); skipping npm run build`);
} else {
  const npm = process.env.npm_execpath;
  const r = npm !== undefined && npm !== ''
    ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  const stamp = join(root, STAMP_FILE);
  writeFileSync(`${stamp}.tmp`, `${inputStamp(root)}\n`);
  renameSync(`${stamp}.tmp`, stamp);
}
