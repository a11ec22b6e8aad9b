// scripts/prepare.mjs (the package's `prepare`) skips `npm run build` when build/.build-stamp matches the
// sources: npm 11's `npx deepwell` in a checkout re-runs `prepare` on first use (it installs the checkout
// into npx's cache), which cost a hidden full rebuild of one to two minutes before the README's first
// command printed anything. These tests check the stamp on a small fake package: current after a build,
// stale after any change to an input, a missing output or another Node; the generated files count as left.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
type Stamp = {
  inputStamp(root: string, runtime?: string): string;
  buildIsCurrent(root: string, runtime?: string): boolean;
  BUILD_OUTPUTS: string[];
  STAMP_FILE: string;
};
const load = async (): Promise<Stamp> => (await import(new URL('scripts/build-stamp.mjs', `file://${ROOT}`).href)) as Stamp;

function fakePackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deepwell-stamp-'));
  const files: Record<string, string> = {
    'package.json': '{"name":"x"}', 'tsconfig.json': '{}', 'src/a.ts': 'export const a = 1;\n', 'test/a.test.ts': '//\n',
    'src/kernels/native/build/Release/obj.o': 'build output, not an input', 'node_modules/dep/index.js': 'not an input',
  };
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

test('the build stamp: current after a build, stale after a change to any input, a missing output or another Node', async () => {
  const { inputStamp, buildIsCurrent, BUILD_OUTPUTS, STAMP_FILE } = await load();
  const dir = fakePackage();
  try {
    const runtime = 'v20.0.0 linux x64';
    assert.equal(buildIsCurrent(dir, runtime), false, 'no outputs, no stamp: build');
    for (const o of BUILD_OUTPUTS) {
      mkdirSync(dirname(join(dir, o)), { recursive: true });
      writeFileSync(join(dir, o), 'output');
    }
    assert.equal(buildIsCurrent(dir, runtime), false, 'outputs without a stamp: build');
    writeFileSync(join(dir, STAMP_FILE), `${inputStamp(dir, runtime)}\n`);
    assert.equal(buildIsCurrent(dir, runtime), true, 'stamp of these inputs: skip');
    assert.equal(buildIsCurrent(dir, 'v22.0.0 linux x64'), false, 'another Node (the native addon): build');
    // Outputs and dependencies are not inputs.
    writeFileSync(join(dir, 'src/kernels/native/build/Release/obj.o'), 'rebuilt');
    writeFileSync(join(dir, 'node_modules/dep/index.js'), 'updated');
    assert.equal(buildIsCurrent(dir, runtime), true, 'build outputs and node_modules do not count');
    // Any input: a source, a test, package.json, a new file.
    for (const [f, text] of [['src/a.ts', 'export const a = 2;\n'], ['test/a.test.ts', '// 2\n'], ['package.json', '{"name":"y"}'], ['src/b.ts', '']] as const) {
      const before = (() => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return undefined; } })();
      writeFileSync(join(dir, f), text);
      assert.equal(buildIsCurrent(dir, runtime), false, `a change to ${f}: build`);
      if (before === undefined) rmSync(join(dir, f));
      else writeFileSync(join(dir, f), before);
      assert.equal(buildIsCurrent(dir, runtime), true, `${f} restored: skip`);
    }
    rmSync(join(dir, BUILD_OUTPUTS[0]));
    assert.equal(buildIsCurrent(dir, runtime), false, 'a missing output: build');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('package.json runs prepare through the stamp check, and the stamp is deterministic', async () => {
  const { inputStamp } = await load();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(pkg.scripts.prepare, 'node scripts/prepare.mjs');
  assert.match(pkg.scripts.build, /build:wasm.*build:native.*build:ts.*build:playground/);
  const dir = fakePackage();
  try {
    assert.equal(inputStamp(dir, 'r'), inputStamp(dir, 'r'));
    assert.match(inputStamp(dir, 'r'), /^[0-9a-f]{64}$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
