// Finds every compiled test file under dist/test and runs them with node's test runner.
// Node 20's `node --test` does not expand globs, so the list is built here.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('../dist/test', import.meta.url).pathname;
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.js') ? [p] : [];
  });
}
const filter = process.argv.slice(2);
const files = walk(root).filter((f) => filter.length === 0 || filter.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error(`no test files found under ${root}`);
  process.exit(1);
}
// Every test process registers the native kernels first, as the package's Node entry does
// (src/index.node.ts), so DEEPWELL_KERNELS=native|wasm|ts picks the backend the whole suite runs on.
const registerNative = new URL('../dist/src/kernels/native/register.node.js', import.meta.url);
const env = { ...process.env };
if (existsSync(registerNative)) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${registerNative.href}`.trim();
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
