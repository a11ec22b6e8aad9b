// `deepwell experiment plain-vs-residual --quick`: the JSON shape of the experiments (issue 11), the
// claim's robust part (at initialization, glorot_uniform, no batch norm: the 20-layer plain network's
// first-layer gradient is a small fraction of the residual one's; measured 1.4e-8 against 7.7e-5, seed
// 42), and the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './helpers.js';

interface Out {
  experiment: string;
  data: string;
  claim: { statement: string; criterion: string; held: boolean; heldSeeds: number; seeds: number };
  runs: { config: string; seed: number; history: Record<string, number[]>; test: Record<string, number>; stopped: string | null }[];
  checks: { gradient: { heldSeeds: number }; training: { heldSeeds: number } };
  steps: number;
}

test('plain-vs-residual --quick: plain and residual nets of 8 and 20 layers; the deep plain net\'s first-layer gradient is far below the residual one\'s', { timeout: 900_000 }, () => {
  const report = join(mkdtempSync(join(tmpdir(), 'deepwell-pvr-')), 'pvr.html');
  const r = run(['experiment', 'plain-vs-residual', '--quick', '--seeds', '1', '--json', '--report', report], 900_000);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Out;
  assert.equal(out.experiment, 'plain-vs-residual');
  assert.match(out.data, /^MNIST/);
  assert.deepEqual(out.runs.map((x) => x.config), ['plain 8', 'residual 8', 'plain 20', 'residual 20']);
  // 320 images in batches of 32, one epoch: 10 steps, one history entry.
  assert.equal(out.steps, 10);
  for (const x of out.runs) {
    assert.equal(x.history.loss?.length, 1);
    for (const k of ['loss', 'accuracy', 'trainLoss', 'initialLoss', 'gradientStdAtInit', 'kernelGradientStdAtInit']) assert.equal(typeof x.test[k], 'number', `${x.config}: test.${k}`);
    // Ten classes at initialization: the loss is near ln 10 = 2.303 for every net (glorot_uniform keeps the logits small).
    assert.ok(Math.abs(x.test.initialLoss - Math.log(10)) < 0.1, `${x.config}: initial loss ${x.test.initialLoss}`);
  }
  const grad = (config: string): number => out.runs.find((x) => x.config === config)?.test.gradientStdAtInit ?? NaN;
  assert.ok(grad('plain 20') < 0.01 * grad('residual 20'), `plain 20 ${grad('plain 20')} vs residual 20 ${grad('residual 20')}`);
  // The plain net loses gradient with depth; the residual one does not.
  assert.ok(grad('plain 20') < 0.1 * grad('plain 8'));
  assert.ok(grad('residual 20') > 0.1 * grad('residual 8'));
  assert.equal(out.checks.gradient.heldSeeds, 1);
  assert.equal(out.claim.seeds, 1);
  assert.match(out.claim.criterion, /plain 20 < 0\.1 x residual 20/);
  assert.ok(existsSync(report));
  const html = readFileSync(report, 'utf8');
  assert.match(html, /id="gradient-std-init"/);
  assert.match(html, /Claim: He et al\. 2016/);
});

test('experiment list names plain-vs-residual with its paper', () => {
  const r = run(['experiment', 'list']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^plain-vs-residual\s+He 2016 Fig\. 1\s/m);
});
