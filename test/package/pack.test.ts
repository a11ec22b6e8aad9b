// Use from another project: `npm pack` the package, install the tarball into an empty temporary
// project, and run a short script that trains and predicts, from ESM, from CommonJS (dynamic
// import) and type-checked as TypeScript with the settings the README gives. The dependencies come
// from npm's cache when they are there (--prefer-offline), else from the npm registry.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Trains XOR from nested arrays and predicts it: the README's "Use it in your project" script. */
const SCRIPT = `import { Sequential, layers, optimizers, setSeed } from 'deepwell';
setSeed(1);
const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [0, 1, 1, 0];
const model = new Sequential([new layers.Dense(8, { activation: 'tanh', inputShape: [2] }), new layers.Dense(2, { activation: 'softmax' })]);
model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new optimizers.Adam({ learningRate: 0.05 }), metrics: ['accuracy'] });
const history = await model.fit(x, y, { epochs: 200, batchSize: 4, verbose: 0 });
const classes = (model.predict(x).toArray() as number[][]).map((p) => (p[1] > p[0] ? 1 : 0));
console.log(JSON.stringify({ classes, epochs: history.history.loss.length, loss: history.history.loss.at(-1) }));
`;

test('npm pack, install the tarball into an empty project, train and predict from ESM, CommonJS and TypeScript', { timeout: 300_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'deepwell-pack-'));
  // The package is built already (npm test builds it); --ignore-scripts skips prepare's rebuild.
  execFileSync(NPM, ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, stdio: 'pipe' });
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball !== undefined, 'npm pack wrote a tarball');
  const project = join(work, 'consumer');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  const install = spawnSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, tarball)], { cwd: project, encoding: 'utf8', timeout: 240_000 });
  assert.equal(install.status, 0, `npm install failed:\n${install.stderr}`);

  // ESM, as TypeScript compiles it (the script is valid JavaScript once its one cast is removed).
  writeFileSync(join(project, 'train.mjs'), SCRIPT.replace(' as number[][]', ''));
  const esm = spawnSync(process.execPath, ['train.mjs'], { cwd: project, encoding: 'utf8' });
  assert.equal(esm.status, 0, esm.stderr);
  const out = JSON.parse(esm.stdout) as { classes: number[]; epochs: number; loss: number };
  assert.deepEqual(out.classes, [0, 1, 1, 0], 'XOR learned');
  assert.equal(out.epochs, 200);
  assert.ok(out.loss < 0.2, `final loss ${out.loss}`);

  // CommonJS reaches the ESM package by dynamic import.
  writeFileSync(join(project, 'train.cjs'), `(async () => {
  const { Sequential, layers, tensor } = await import('deepwell');
  const model = new Sequential([new layers.Dense(3, { inputShape: [2] })]);
  console.log(model.predict(tensor([[1, 2]])).shape.join('x'));
})();
`);
  const cjs = spawnSync(process.execPath, ['train.cjs'], { cwd: project, encoding: 'utf8' });
  assert.equal(cjs.status, 0, cjs.stderr);
  assert.equal(cjs.stdout.trim(), '1x3');

  // TypeScript with the README's settings resolves the package's types through its exports.
  writeFileSync(join(project, 'train.ts'), SCRIPT);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['train.ts'] }));
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
  assert.equal(tsc.status, 0, `tsc:\n${tsc.stdout}${tsc.stderr}`);
});
