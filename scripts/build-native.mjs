// Builds the native kernels (src/kernels/native, a Node-API addon) with node-gyp and copies the
// result to build/deepwell_native.node. Optional by design: where there is no compiler, no Python
// or no Node headers, it prints one line, records the reason in build/native-build-error.txt
// (deepwell info shows it) and exits 0, and deepwell runs on WebAssembly, then TypeScript.
// DEEPWELL_SKIP_NATIVE=1 skips the build (to try the fallback).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'kernels', 'native');
const outDir = join(root, 'build');
const target = join(outDir, 'deepwell_native.node');
const errorFile = join(outDir, 'native-build-error.txt');

function fail(reason) {
  const line = reason.replace(/\s+/g, ' ').trim().slice(0, 300);
  mkdirSync(outDir, { recursive: true });
  rmSync(target, { force: true });
  writeFileSync(errorFile, `${line}\n`);
  console.log(`deepwell: native kernels not built (${line}); deepwell will use its WebAssembly or TypeScript kernels`);
  process.exit(0);
}

/** node-gyp: the one npm runs scripts with (npm sets npm_config_node_gyp), else npm's copy next to node. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p !== undefined && p !== '' && existsSync(p));
}

if (process.env.DEEPWELL_SKIP_NATIVE === '1') fail('skipped: DEEPWELL_SKIP_NATIVE=1');
const nodeGyp = findNodeGyp();
if (nodeGyp === undefined) fail('node-gyp not found');
const args = [nodeGyp, 'rebuild', '-C', source];
// Headers installed next to node (Debian, nvm, the official tarballs) spare node-gyp a download.
const prefix = join(dirname(process.execPath), '..');
if (existsSync(join(prefix, 'include', 'node', 'node_api.h')) && existsSync(join(prefix, 'include', 'node', 'common.gypi'))) {
  args.push(`--nodedir=${prefix}`);
}
let r;
try {
  r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000 });
} catch (e) {
  fail(`node-gyp could not start: ${e.message}`);
}
if (r.error !== undefined || r.status !== 0) {
  const output = `${r.stdout ?? ''}\n${r.stderr ?? ''}`;
  const lines = output.split('\n').filter((l) => /error|not found|No such|cannot|failed/i.test(l) && !/^gyp (info|verb)/.test(l));
  fail(r.error?.message ?? lines[0] ?? `node-gyp exited with status ${r.status}`);
}
const built = join(source, 'build', 'Release', 'deepwell_native.node');
if (!existsSync(built)) fail(`node-gyp succeeded but ${built} is missing`);
mkdirSync(outDir, { recursive: true });
// Copy then rename: a process that has the old addon loaded keeps its (unlinked) file intact.
copyFileSync(built, `${target}.tmp`);
renameSync(`${target}.tmp`, target);
rmSync(errorFile, { force: true });
console.log(`deepwell: native kernels built (${target})`);
