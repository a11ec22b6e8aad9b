// Finds every compiled test file under dist/test and runs them with node's test runner, then ends
// with a short summary (counts, failed tests, time) after the TAP.
// Node 20's `node --test` does not expand globs, so the list is built here.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

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

const started = Date.now();
// Every test process registers the native kernels first, as the package's Node entry does
// (src/index.node.ts), so DEEPWELL_KERNELS=native|wasm|ts picks the backend the whole suite runs on.
const registerNative = new URL('../dist/src/kernels/native/register.node.js', import.meta.url);
const env = { ...process.env };
if (existsSync(registerNative)) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${registerNative.href}`.trim();
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: ['inherit', 'pipe', 'inherit'], env });
// The TAP passes through unchanged; the runner's closing counts ('# pass 451') and the failed
// tests ('not ok 3 - name') are read on the way.
const counts = {};
const failed = [];
let pending = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (pending + chunk.toString()).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    const count = /^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
    if (count !== null) counts[count[1]] = Number(count[2]);
    const notOk = /^\s*not ok \d+ - (.*?)(?: # .*)?$/.exec(line);
    if (notOk !== null) failed.push(notOk[1]);
  }
});
child.on('close', (code) => {
  const seconds = (Date.now() - started) / 1000;
  const time = seconds >= 60 ? `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s` : `${seconds.toFixed(1)} s`;
  const n = (k) => counts[k] ?? 0;
  const extra = ['skipped', 'cancelled', 'todo'].filter((k) => n(k) > 0).map((k) => `, ${n(k)} ${k}`).join('');
  const plural = (k, word) => `${k} ${word}${k === 1 ? '' : 's'}`;
  const lines = ['', `Summary: ${plural(n('tests'), 'test')} in ${plural(files.length, 'file')}: ${n('pass')} passed, ${n('fail')} failed${extra}; ${time}.`];
  // A file that fails to load is reported as a failed test named after the file, so it shows here too.
  const shown = [...new Set(failed)];
  for (const name of shown.slice(0, 20)) lines.push(`  failed: ${name}`);
  if (shown.length > 20) lines.push(`  ... and ${shown.length - 20} more (search the TAP above for 'not ok')`);
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exit(code ?? 1);
});
