// The kernel-backend registry (src/kernels/registry.ts): priority order, subset fallback,
// setBackend / resetBackend, DEEPWELL_KERNELS (read in one place), async registration and ready().
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  backendInfo, getBackend, kernels, ready, registerBackend, resetBackend, setBackend, tsKernels, type Kernels,
} from '../../src/kernels/index.js';
import { ValueError } from '../../src/core/errors.js';
import { kernelsFromEnvironment } from '../../src/core/kernels_env.js';

const indexUrl = new URL('../../src/kernels/index.js', import.meta.url).href;
const nativeUrl = new URL('../../src/kernels/native/register.node.js', import.meta.url).href;

/** getBackend() and the backend serving gemm in a fresh process with the given DEEPWELL_KERNELS. */
function inChild(kernelsEnv: string, withNative: boolean): { backend: string; gemm: string; reason: string } {
  const script = `${withNative ? `import ${JSON.stringify(nativeUrl)};` : ''}
    import { backendInfo } from ${JSON.stringify(indexUrl)};
    const i = backendInfo(); console.log(JSON.stringify({ backend: i.backend, gemm: i.servedBy.gemm, reason: i.reason }));`;
  const env = { ...process.env, DEEPWELL_KERNELS: kernelsEnv, NODE_OPTIONS: '' };
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { backend: string; gemm: string; reason: string };
}

describe('kernel registry', () => {
  it('DEEPWELL_KERNELS selects ts or wasm; unset, the highest priority that runs', () => {
    assert.deepEqual({ ...inChild('ts', false), reason: '' }, { backend: 'ts', gemm: 'ts', reason: '' });
    assert.match(inChild('ts', false).reason, /DEEPWELL_KERNELS=ts/);
    assert.equal(inChild('wasm', true).backend, 'wasm');
    assert.equal(inChild('', false).backend, 'wasm');
    const native = inChild('', true);
    // native when its addon was built, else wasm with the reason native cannot run.
    if (native.backend === 'wasm') assert.match(native.reason, /native addon not/);
    else assert.deepEqual([native.backend, native.gemm], ['native', 'native']);
  });

  it('an unknown DEEPWELL_KERNELS falls back to the default and says so', () => {
    const r = inChild('nativ', false);
    assert.equal(r.backend, 'wasm');
    assert.match(r.reason, /DEEPWELL_KERNELS=nativ names no registered backend/);
  });

  it('a backend with a subset of kernels serves those; the rest come from the next backend below', () => {
    const calls: string[] = [];
    const fakeGemm: Kernels['gemm'] = (...args) => {
      calls.push('gemm');
      tsKernels.gemm(...args);
    };
    const below = getBackend();
    registerBackend('fake', { gemm: fakeGemm }, 10_000);
    if (kernelsFromEnvironment() === undefined) assert.equal(getBackend(), 'fake');
    setBackend('fake');
    assert.equal(getBackend(), 'fake');
    assert.equal(kernels.gemm, fakeGemm);
    // binary: no backend but ts has it (native serves unary since its activations run natively).
    assert.equal(kernels.binary, tsKernels.binary);
    assert.equal(backendInfo().servedBy.binary, 'ts');
    const c = new Float32Array(1);
    kernels.gemm(false, false, 1, 1, 1, 1, new Float32Array([2]), new Float32Array([3]), 0, c);
    assert.deepEqual([calls, c[0]], [['gemm'], 6]);
    setBackend('ts');
    assert.equal(kernels.gemm, tsKernels.gemm);
    assert.equal(backendInfo().servedBy.gemm, 'ts');
    // A backend registered as unable to run is listed with its reason and never chosen.
    registerBackend('fake', { gemm: fakeGemm }, 10_000, { unavailableReason: 'fake: no such hardware' });
    resetBackend();
    assert.equal(getBackend(), kernelsFromEnvironment() ?? below);
    assert.deepEqual(backendInfo().backends[0], { name: 'fake', priority: 10_000, available: false, reason: 'fake: no such hardware', kernels: ['gemm'] });
    assert.throws(() => setBackend('fake'), (e: unknown) => e instanceof ValueError && /cannot run here: fake: no such hardware/.test(e.message));
  });

  it('setBackend rejects an unknown name with the registered names and the nearest one', () => {
    assert.throws(() => setBackend('wsam'), (e: unknown) => e instanceof ValueError
      && /no kernel backend 'wsam'; registered: .*wasm.*Did you mean 'wasm'\?/.test(e.message));
  });

  it('ready() waits for a backend whose kernels load asynchronously; a failed load is reported', async () => {
    const gemm: Kernels['gemm'] = (...args) => tsKernels.gemm(...args);
    registerBackend('later', new Promise((resolve) => setTimeout(() => resolve({ gemm }), 10)), 20_000);
    assert.throws(() => setBackend('later'), /still loading/);
    await ready();
    setBackend('later');
    assert.equal(kernels.gemm, gemm);
    registerBackend('broken', Promise.reject(new Error('no device')), 30_000);
    await ready();
    assert.equal(backendInfo().backends[0].reason, 'broken failed to load: no device');
    assert.equal(getBackend(), 'later');
    resetBackend();
  });
});
