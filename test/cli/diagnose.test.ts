// deepwell diagnose, deepwell experiment init-grid and train's --report / GradientMonitor as a user
// meets them: the --json shapes (the README's "Diagnosing gradient flow"), reports written, exit codes (0 success,
// 1 a run that diverged, 2 bad usage), on a small IDX folder written here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeIdxFolder, run } from './helpers.js';


const DIAGNOSE_LAYER_KEYS = ['name', 'activation', 'initializer', 'activationMean', 'activationStd', 'gradientStd', 'kernelGradientStd',
  'saturatedFraction', 'deadFraction', 'theoryVarianceRatio', 'measuredVarianceRatio'];

test('diagnose --json prints one object in the documented shape: hidden layers in order, the output layer last, and a verdict', () => {
  const dir = makeIdxFolder();
  const r = run(['diagnose', '--data', dir, '--depth', '4', '--units', '16', '--activation', 'relu', '--init', 'glorot_uniform', '--batch-size', '64', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  const out = JSON.parse(lines[0]);
  assert.equal(out.layers.length, 5);
  for (const l of out.layers) for (const k of DIAGNOSE_LAYER_KEYS) assert.ok(k in l, k);
  assert.deepEqual(out.layers.map((l: { activation: string }) => l.activation), ['relu', 'relu', 'relu', 'relu', 'softmax']);
  assert.equal(out.layers[0].initializer, 'glorot_uniform');
  // Square ReLU layers with glorot_uniform: theory 0.5.
  for (const l of out.layers.slice(1, 4)) assert.ok(Math.abs(l.theoryVarianceRatio - 0.5) < 1e-9);
  assert.ok(['healthy', 'vanishing', 'exploding', 'saturation', 'dead_units'].includes(out.verdict.kind));
  for (const k of ['kind', 'layers', 'cause', 'fix']) assert.ok(k in out.verdict, k);
  assert.equal(out.batchSize, 64);
  // train's default for images: pixel / 255, not standardized (the same data train sees).
  assert.equal(out.standardized, false);
  assert.doesNotMatch(r.stderr, /standardized/);
  assert.match(r.stderr, /deepwell diagnose: .*4 x 16 relu glorot_uniform/);
});

test('diagnose: text output, --report writes an HTML file with inline SVG, --no-standardize is accepted', () => {
  const dir = makeIdxFolder();
  const report = join(dir, 'out', '..', 'diagnose.html');
  const r = run(['diagnose', '--data', dir, '--hidden', '16,16', '--activation', 'sigmoid', '--init', 'glorot_uniform', '--report', report, '--no-standardize']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Verdict: /);
  assert.match(r.stdout, /Fix: /);
  const html = readFileSync(report, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.ok((html.match(/<svg/g) ?? []).length >= 3);
  assert.match(html, /data-plot="activation-std" data-points="3" data-series="1" data-layers="3"/);
});

test('diagnose: bad values exit 2 naming the option and the nearest valid value', () => {
  const r = run(['diagnose', '--activation', 'relux']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--activation.*Did you mean 'relu'\?/);
  const b = run(['diagnose', '--batch-size', '0']);
  assert.equal(b.code, 2);
  assert.match(b.stderr, /--batch-size/);
});

test('train: the GradientMonitor rows in --json, --report written, stopped: null on a healthy run', () => {
  const dir = makeIdxFolder();
  const report = join(dir, 'train.html');
  const r = run(['train', '--data', dir, '--hidden', '16,8', '--epochs', '2', '--batch-size', '16', '--seed', '1', '--report', report, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim());
  assert.equal(out.stopped, null);
  assert.equal(out.history.loss.length, 2);
  assert.equal(out.layers.length, 3);
  for (const l of out.layers) {
    for (const k of ['kernelGradNorm', 'kernelGradStd', 'activationMean', 'activationStd', 'deadFraction', 'saturatedFraction', 'updateRatio']) {
      assert.ok(Number.isFinite(l[k]), `${l.name} ${k}`);
    }
    assert.ok(l.updateRatio > 0);
  }
  const html = readFileSync(report, 'utf8');
  // Initialization and two epochs, 3 layers each, in the two by-depth plots.
  assert.match(html, /data-plot="activation-std" data-points="9" data-series="3" data-layers="3"/);
  assert.match(html, /data-plot="gradient-std" data-points="9" data-series="3" data-layers="3"/);
  assert.match(html, /data-plot="loss" data-points="4"/);
  assert.match(r.stderr, /update/);
});

test('train: a run that explodes to NaN stops at the first non-finite step, keeps its history, prints the JSON and exits 1', () => {
  const dir = makeIdxFolder();
  const report = join(dir, 'diverged.html');
  const r = run(['train', '--data', dir, '--depth', '6', '--units', '32', '--optimizer', 'sgd', '--lr', '1000000', '--epochs', '3', '--batch-size', '16', '--report', report, '--json']);
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout.trim());
  assert.ok(out.stopped !== null);
  assert.ok(Number.isInteger(out.stopped.step) && out.stopped.step >= 1);
  assert.ok(['forward', 'backward', 'update'].includes(out.stopped.direction));
  assert.equal(typeof out.stopped.layer, 'string');
  assert.equal(out.history.loss.length, 1, 'stopped in the first epoch; that epoch is kept');
  assert.match(r.stderr, new RegExp(`Non-finite value at step ${out.stopped.step} `));
  assert.match(r.stderr, /deepwell train: exploding values: Non-finite value at step/);
  // The final message names the problem with the per-layer figures of the epoch (activations growing 1e26-fold here).
  assert.match(r.stderr, /deepwell: training diverged \(exploding values\) and was stopped: .* In that epoch: .*exploding activations: the activation std goes from \S+ \(dense\) to \S+ \(dense_5\) on the way forward, \S+-fold \(above 100\)/);
  assert.ok(existsSync(report));
  assert.match(readFileSync(report, 'utf8'), /Training stopped/);
});

test('experiment init-grid: one row per (activation, initializer) with ratio, verdict and validation accuracy', () => {
  const dir = makeIdxFolder();
  const report = join(dir, 'grid.html');
  const r = run(['experiment', 'init-grid', '--data', dir, '--depth', '8', '--units', '16', '--epochs', '1', '--train-size', '200',
    '--activations', 'relu,sigmoid', '--inits', 'random_normal,he_normal', '--report', report, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim());
  assert.equal(out.rows.length, 4);
  const row = (a: string, i: string): { verdict: string; gradientRatio: number; valAccuracy: number | null } => out.rows.find((x: { activation: string; initializer: string }) => x.activation === a && x.initializer === i);
  assert.equal(row('relu', 'random_normal').verdict, 'exploding');
  assert.ok(row('relu', 'random_normal').gradientRatio > 100);
  assert.equal(row('sigmoid', 'random_normal').verdict, 'saturation');
  assert.equal(row('relu', 'he_normal').verdict, 'healthy');
  assert.ok((row('relu', 'he_normal').valAccuracy ?? 0) > 0.3);
  assert.equal(out.diagnoses.length, 4);
  assert.equal(out.diagnoses[0].layers.length, 9);
  const html = readFileSync(report, 'utf8');
  assert.match(html, /data-plot="activation-std" data-points="\d+" data-series="2" data-layers="9"/);
  const bad = run(['experiment', 'init-grid', '--inits', 'he_normla']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Did you mean 'he_normal'/);
});
