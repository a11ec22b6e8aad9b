// The build stamp scripts/prepare.mjs uses to skip a rebuild: a SHA-256 over the build's inputs (every
// file under src/, assembly/, scripts/, bench/ and test/, package.json, package-lock.json,
// tsconfig*.json; paths and contents, sorted by path), plus node's version, platform and architecture
// (the native addon depends on them). Taken after a build, so the files the build generates into src/
// are counted as the build leaves them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const INPUT_DIRS = ['src', 'assembly', 'scripts', 'bench', 'test'];
const INPUT_FILES = /^(package\.json|package-lock\.json|tsconfig.*\.json)$/;
/** Folders the build writes inside the input folders (node-gyp's output next to the C++ sources). */
const SKIP_DIRS = new Set(['node_modules', 'build', 'dist']);
/** Outputs that must exist for a build to count as current. */
export const BUILD_OUTPUTS = ['dist/src/cli/main.js', 'dist/src/index.js', 'dist/playground/index.html', 'build/gemm.wasm'];
/** Where the stamp of the last full build is kept, relative to the package root. */
export const STAMP_FILE = 'build/.build-stamp';

function walk(dir, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(p, out);
    } else if (entry.isFile()) {
      out.push(p);
    }
  }
  return out;
}

/** Hex SHA-256 of the inputs under `root` for the given runtime (`${version} ${platform} ${arch}`). */
export function inputStamp(root, runtime = `${process.version} ${process.platform} ${process.arch}`) {
  const files = INPUT_DIRS.filter((d) => existsSync(join(root, d))).flatMap((d) => walk(join(root, d), []));
  for (const name of readdirSync(root)) if (INPUT_FILES.test(name)) files.push(join(root, name));
  const hash = createHash('sha256');
  hash.update(`${runtime}\n`);
  for (const file of files.map((f) => relative(root, f)).sort()) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(join(root, file)));
  }
  return hash.digest('hex');
}

/** True when every output exists and the recorded stamp equals the stamp of today's inputs. */
export function buildIsCurrent(root, runtime) {
  const stamp = join(root, STAMP_FILE);
  return BUILD_OUTPUTS.every((o) => existsSync(join(root, o))) && existsSync(stamp) &&
    readFileSync(stamp, 'utf8').trim() === inputStamp(root, runtime);
}
