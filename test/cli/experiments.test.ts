// The chapter's experiments (deepwell experiment ...) as a reader runs them: each with --quick (and
// smaller sizes where the claim does not need them), the --json shape of issue 11, and the claim
// line for the experiments whose claim is robust at these sizes (selu-simulation, batch-norm, clipping, transfer).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeIdxFolder, run } from './helpers.js';

const TIMEOUT = 900_000;

interface Out {
  experiment: string;
  data: string;
  claim: { statement: string; criterion: string; held: boolean; heldSeeds: number; seeds: number };
  runs: { config: string; seed: number; history: Record<string, number[]>; test: Record<string, number> }[];
  configs?: { config: string; seed: number; mean: number[]; std: number[] }[];
}

function json(args: string[]): Out {
  const r = run(['experiment', ...args, '--json'], TIMEOUT);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'one JSON object on stdout');
  return JSON.parse(lines[0]) as Out;
}

function checkRuns(out: Out, configs: number, seeds: number, epochs: number): void {
  assert.equal(out.runs.length, configs * seeds);
  for (const r of out.runs) {
    assert.equal(typeof r.config, 'string');
    assert.equal(r.history.val_accuracy?.length, epochs, `${r.config}: one val_accuracy per epoch`);
    assert.equal(r.history.loss?.length, epochs);
    assert.ok('accuracy' in r.test && 'loss' in r.test);
  }
}

test('experiment list names every experiment with its book section', () => {
  const r = run(['experiment', 'list']);
  assert.equal(r.code, 0, r.stderr);
  for (const name of ['selu-simulation', 'deep-selu', 'batch-norm', 'clipping', 'transfer', 'nonsaturating', 'optimizers', 'schedules', 'regularization', 'init-grid']) {
    assert.match(r.stdout, new RegExp(`^${name} `, 'm'));
  }
});

// The experiments run on images only: a wrong --data names what they take, without offering a CSV file
// (the general loader's message did, and a CSV file then failed later with another message).
test('experiments: a bad --data or a CSV file is refused (exit 2) naming mnist and IDX folders only', () => {
  for (const cmd of [['experiment', 'batch-norm'], ['experiment', 'init-grid']]) {
    const missing = run([...cmd, '--data', 'no-such-folder']);
    assert.equal(missing.code, 2, missing.stderr);
    assert.match(missing.stderr, /received 'no-such-folder'; expected 'mnist' or an existing folder of MNIST-style IDX files/);
    assert.doesNotMatch(missing.stderr, /CSV/);
    const csv = run([...cmd, '--data', 'table.csv']);
    assert.equal(csv.code, 2, csv.stderr);
    assert.match(csv.stderr, /--data table\.csv: this command runs on images \(mnist or a folder of MNIST-style IDX files\), not on a CSV file; train an MLP on a CSV file with deepwell train --data FILE\.csv --label COLUMN\./);
  }
  // train still offers the CSV form.
  const train = run(['train', '--data', 'no-such-folder']);
  assert.equal(train.code, 2, train.stderr);
  assert.match(train.stderr, /expected 'mnist', a CSV file \(FILE\.csv with --label COLUMN\), or an existing folder/);
});

test('selu-simulation --quick: SELU + LeCun stays near mean 0 / std 1 over 1,000 layers, ReLU + LeCun vanishes (claim held)', { timeout: TIMEOUT }, () => {
  // Seed 42 draws the book's numbers (numpy's generator); one seed keeps the test short.
  const out = json(['selu-simulation', '--quick', '--seeds', '1']);
  assert.equal(out.experiment, 'selu-simulation');
  assert.equal(out.claim.held, true, out.claim.criterion);
  assert.match(out.claim.criterion, /at the layers the book prints/);
  assert.equal(out.configs?.length, 3);
  const selu = out.configs?.find((c) => c.config === 'selu + lecun');
  const relu = out.configs?.find((c) => c.config === 'relu + lecun');
  assert.equal(selu?.std.length, 1001, 'the inputs and 1,000 layers');
  // The layers the book prints ("Layer k" = index k + 1): std in [0.8, 1.1], |mean| < 0.1.
  for (let l = 0; l <= 900; l += 100) {
    assert.ok(Math.abs(selu?.mean[l + 1] ?? 1) < 0.1 && (selu?.std[l + 1] ?? 0) >= 0.8 && (selu?.std[l + 1] ?? 2) <= 1.1, `layer ${l}`);
  }
  // ReLU + LeCun halves the variance per layer: (1/2)^(100/2) ~ 1e-15 of the std by layer 100.
  assert.ok((relu?.std[100] ?? 1) < 1e-10);
});

test('batch-norm --quick: BN ahead of no BN after epoch 1 and at the end (claim held), text beside the book', { timeout: TIMEOUT }, () => {
  const out = json(['batch-norm', '--quick', '--seeds', '1']);
  assert.match(out.data, /^MNIST \(the book uses Fashion-MNIST/);
  checkRuns(out, 3, 1, 2);
  assert.equal(out.claim.held, true, out.claim.criterion);
  assert.deepEqual([out.claim.heldSeeds, out.claim.seeds], [1, 1]);
});

test('clipping --quick: global-norm clipping trains where no clipping fails (claim held)', { timeout: TIMEOUT }, () => {
  const r = run(['experiment', 'clipping', '--quick', '--seeds', '1'], TIMEOUT);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Claim: Gradient clipping keeps a run with exploding gradients from blowing up\. Criterion: .*: held in 1 of 1 seed -> HELD\.$/m);
  assert.match(r.stdout, /^global_clipnorm 1\.0 /m);
});

// The claim is asserted (hml3's protocol, task B = 4 vs 9 on MNIST, model A from 20,000 images for 10
// epochs at val_accuracy ~0.92 like the book's 0.90). Both B models stay short of converged on MNIST
// (SGD 1e-3, 140 steps; TF.js gives B from scratch 0.48-0.62 too), so the criterion is only ratio > 1.
// Measured: ratios 1.41, 1.43, 1.18 (seeds 42-44); held-out seeds 1-5: 1.46, 1.08, 0.97, 1.11, 1.09 (4 of 5),
// so the claim line (>= 2 of 3 seeds) is asserted, not every seed.
test('transfer --quick: model A, model B from scratch, model B on A (4 frozen + 16 epochs), the error-rate ratio (claim held)', { timeout: TIMEOUT }, () => {
  const out = json(['transfer', '--quick']);
  assert.match(out.data, /task B: 200 images of 4 vs 9/);
  const seeds = [42, 43, 44];
  for (const seed of seeds) {
    const bOnA = out.runs.find((r) => r.config === 'model B on A' && r.seed === seed);
    const scratch = out.runs.find((r) => r.config === 'model B from scratch' && r.seed === seed);
    // 4 frozen + 16 unfrozen epochs, as the book.
    assert.equal(bOnA?.history.val_accuracy.length, 20);
    const ratio = (1 - (scratch?.test.accuracy ?? 0)) / (1 - (bOnA?.test.accuracy ?? 0));
    assert.ok(Math.abs((bOnA?.test.error_rate_ratio ?? 0) - ratio) < 1e-9);
  }
  assert.equal(out.claim.held, true, out.claim.criterion);
  assert.ok(out.claim.heldSeeds >= 2 && out.claim.seeds === 3, `${out.claim.heldSeeds} of ${out.claim.seeds} seeds`);
});

test('deep-selu on an IDX folder: says which data it ran on, writes the report, one run per (config, seed)', { timeout: TIMEOUT }, () => {
  const dir = makeIdxFolder();
  const report = join(dir, 'deep.html');
  const out = json(['deep-selu', '--data', dir, '--quick', '--seeds', '2', '--depth', '4', '--train-size', '200', '--epochs', '2', '--report', report]);
  assert.match(out.data, new RegExp(`^IDX folder ${dir}`));
  checkRuns(out, 2, 2, 2);
  assert.deepEqual(out.runs.map((r) => r.seed), [42, 42, 43, 43]);
  assert.ok(existsSync(report));
  assert.match(readFileSync(report, 'utf8'), /Claim: A 100-layer SELU network/);
});

for (const [name, configs] of [['nonsaturating', 7], ['optimizers', 9], ['schedules', 6], ['regularization', 5]] as const) {
  test(`${name} --quick runs every configuration and states its claim`, { timeout: TIMEOUT }, () => {
    const out = json([name, '--quick', '--seeds', '1', '--train-size', '300', '--epochs', '1']);
    assert.equal(out.experiment, name);
    checkRuns(out, configs, 1, 1);
    assert.equal(typeof out.claim.held, 'boolean');
    assert.ok(out.claim.statement.length > 20 && out.claim.criterion.length > 10);
  });
}
