// `deepwell initializers`: the theory column carries the reference's worked values and every sample
// agrees with its theory within sampling error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { INITIALIZER_NAMES } from '../../src/initializers/index.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
type Row = { name: string; fanIn: number; fanOut: number; theoryStd: number; bound: number | null; measuredStd: number; measuredMaxAbs: number; varianceRatio: number | null; distribution: string };

function table(shape: string): Row[] {
  const r = spawnSync(process.execPath, [MAIN, 'initializers', '--shape', shape, '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).initializers;
}

test('shape 256,128: worked values (Keras 3 formulas) and sample variances within 5 SE', () => {
  const rows = table('256,128');
  assert.deepEqual(rows.map((r) => r.name), [...INITIALIZER_NAMES]);
  const by = Object.fromEntries(rows.map((r) => [r.name, r]));
  assert.ok(Math.abs(by.glorot_uniform.bound! - 0.125) < 1e-12);
  assert.ok(Math.abs(by.he_normal.theoryStd - 0.0883883476) < 1e-10);
  assert.ok(Math.abs(by.he_normal.bound! - 0.2009680971) < 1e-10);
  assert.ok(Math.abs(by.lecun_uniform.bound! - 0.1082531755) < 1e-10);
  const n = 256 * 128;
  for (const r of rows) {
    if (r.varianceRatio === null) continue;
    // Relative SE of a sample variance: sqrt((kurtosis + 2) / n); kurtosis >= -1.2, <= 0 here (orthogonal
    // and identity are exact, their ratio is 1 up to rounding).
    const se = Math.sqrt(2 / n);
    assert.ok(Math.abs(r.varianceRatio - 1) < 5 * se, `${r.name}: ratio ${r.varianceRatio}`);
    if (r.bound !== null) assert.ok(r.measuredMaxAbs <= r.bound * (1 + 1e-6), `${r.name}: max ${r.measuredMaxAbs} > bound ${r.bound}`);
  }
});

test('a conv shape uses receptive-field fans, and identity (2-D only) has no row', () => {
  const rows = table('3,3,16,32');
  const he = rows.find((r) => r.name === 'he_normal')!;
  assert.equal(he.fanIn, 144);
  assert.equal(he.fanOut, 288);
  assert.ok(Math.abs(he.theoryStd - 0.1178511302) < 1e-10);
  assert.equal(rows.find((r) => r.name === 'identity'), undefined);
});

test('a bad shape exits 2', () => {
  const r = spawnSync(process.execPath, [MAIN, 'initializers', '--shape', '784,x'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--shape/);
});

test('a shape too large to sample exits 2; orthogonal is left out where its QR would take minutes', () => {
  const big = spawnSync(process.execPath, [MAIN, 'initializers', '--shape', '100000,100000'], { encoding: 'utf8' });
  assert.equal(big.status, 2);
  assert.match(big.stderr, /--shape.*10,000,000,000 values/);
  const rows = table('30000,1000');
  assert.equal(rows.find((r) => r.name === 'orthogonal'), undefined);
  assert.ok(rows.some((r) => r.name === 'he_normal'));
});
