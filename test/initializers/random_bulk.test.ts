// The bulk fills of core/random.ts (used by every random initializer) must give exactly the values of
// the one-at-a-time methods, in both word generators (WebAssembly and TypeScript), so that a seed
// means the same weights whichever path drew them. (Kept beside the initializer tests, whose speed
// work it guards; it belongs with test/core/random.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Rng, TRUNCATION_BOUND, philoxBackend } from '../../src/core/random.js';
import { kernelsFromEnvironment } from '../../src/core/kernels_env.js';

/** Lengths around the 4096-word batch and the 4-word block, odd and even. */
const LENGTHS = [0, 1, 2, 3, 5, 4095, 4096, 4097, 8193, 10001];

test('WebAssembly Philox is used in Node (unless DEEPWELL_KERNELS=ts), and fillUint32 equals nextUint32 word for word (any starting offset)', () => {
  assert.equal(philoxBackend(), kernelsFromEnvironment() === 'ts' ? 'ts' : 'wasm');
  for (const skip of [0, 1, 2, 3]) {
    for (const n of LENGTHS) {
      const bulk = new Rng(99);
      const single = new Rng(99);
      for (let i = 0; i < skip; i++) assert.equal(bulk.nextUint32(), single.nextUint32());
      const out = new Uint32Array(n);
      bulk.fillUint32(out);
      for (let i = 0; i < n; i++) assert.equal(out[i], single.nextUint32(), `skip ${skip}, n ${n}, word ${i}`);
      assert.equal(bulk.nextUint32(), single.nextUint32(), 'both generators end in the same state');
    }
  }
});

test('fillUniform, fillNormal and fillTruncatedNormal equal their one-at-a-time definitions, including the spare normal', () => {
  const bulk = new Rng(7);
  const single = new Rng(7);
  for (const n of LENGTHS) {
    // Uniform float32: fround(min + range u), u = w 2^-32; float64: 53-bit nextDouble.
    const f = new Float32Array(n);
    bulk.fillUniform(f, -0.3, 0.7);
    for (let i = 0; i < n; i++) assert.equal(f[i], Math.fround(-0.3 + 1.0 * single.nextFloat()), `uniform f32 n ${n} i ${i}`);
    const d = new Float64Array(n);
    bulk.fillUniform(d, -2, 3);
    for (let i = 0; i < n; i++) assert.equal(d[i], -2 + 5 * single.nextDouble(), `uniform f64 n ${n} i ${i}`);
    // Normals: an odd n leaves the pair's sine as the spare, which the next draw uses first.
    bulk.fillNormal(d, 0.5, 2);
    for (let i = 0; i < n; i++) assert.equal(d[i], 0.5 + 2 * single.nextNormal(), `normal n ${n} i ${i}`);
    assert.equal(bulk.nextNormal(), single.nextNormal(), `spare after normal n ${n}`);
    bulk.fillTruncatedNormal(f, -1, 0.25);
    for (let i = 0; i < n; i++) {
      let z = single.nextNormal();
      while (z > TRUNCATION_BOUND || z < -TRUNCATION_BOUND) z = single.nextNormal();
      assert.equal(f[i], Math.fround(-1 + 0.25 * z), `truncated n ${n} i ${i}`);
    }
    assert.equal(bulk.nextUint32(), single.nextUint32(), `state after n ${n}`);
  }
});

/** A digest of many mixed draws: the same in any process whose generator is correct. */
const DIGEST_SCRIPT = (randomUrl: string): string => `
import { Rng, philoxBackend } from ${JSON.stringify(randomUrl)};
import { createHash } from 'node:crypto';
const h = createHash('sha256');
const add = (a) => h.update(Buffer.from(a.buffer, a.byteOffset, a.byteLength));
const r = new Rng(2024);
for (const n of [1, 3, 4097, 10001]) {
  const f = new Float32Array(n), d = new Float64Array(n);
  r.fillUniform(f, -1, 1); add(f);
  r.fillNormal(d, 0, 1); add(d);
  r.fillTruncatedNormal(f, 0, 1); add(f);
  r.fillUniform(d, 0, 1); add(d);
}
process.stdout.write(philoxBackend() + ' ' + h.digest('hex'));
`;

test('DEEPWELL_KERNELS=ts selects the TypeScript rounds, which draw the same values as WebAssembly', () => {
  const randomUrl = new URL('../../src/core/random.js', import.meta.url).href;
  const run = (env: NodeJS.ProcessEnv): string => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', DIGEST_SCRIPT(randomUrl)], { env: { ...process.env, ...env }, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const wasm = run({ DEEPWELL_KERNELS: '' });
  const ts = run({ DEEPWELL_KERNELS: 'ts' });
  assert.match(wasm, /^wasm [0-9a-f]{64}$/);
  assert.match(ts, /^ts [0-9a-f]{64}$/);
  assert.equal(ts.slice(3), wasm.slice(5));
});
