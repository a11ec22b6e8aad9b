// Diagnostics on functional models: diagnoseModel reads each Dense layer's real input (a branch's input
// is not the layer before it in model.layers), measures merge layers, and the verdict recognises a
// plain deep network whose gradient dies before the input (advising skip connections or batch
// normalization); GradientMonitor reports merge layers during fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { diagnoseModel } from '../../src/diagnostics/diagnose.js';
import { GradientMonitor } from '../../src/diagnostics/gradient_monitor.js';
import { Add, Dense, Input, type SymbolicTensor } from '../../src/layers/index.js';
import { Model } from '../../src/models/model.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';

function data(n: number, features: number, seed: number): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * features);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < features; j++) x[features * i + j] = rng.nextNormal() + (y[i] - 1) * 0.5;
  }
  return { x: new Tensor(x, [n, features]), y: new Tensor(y, [n]) };
}

test('diagnoseModel on a functional model: each Dense layer is measured on its own input; merge layers get activation and gradient statistics', () => {
  setSeed(1);
  const { x, y } = data(64, 6, 2);
  const inp = Input({ shape: [6] });
  const a = new Dense(8, { activation: 'relu', kernelInitializer: 'he_normal', name: 'a' }).apply(inp);
  // 'b' reads the model input, although 'a' comes before it in model.layers.
  const b = new Dense(8, { activation: 'relu', kernelInitializer: 'he_normal', name: 'b' }).apply(inp);
  const sum = new Add({ name: 'sum' }).apply([a, b]);
  const model = new Model({ inputs: inp, outputs: new Dense(3, { activation: 'softmax', name: 'out' }).apply(sum) });
  assert.deepEqual(model.layers.slice(1).map((l) => l.name), ['a', 'b', 'sum', 'out']);
  const d = diagnoseModel(model, x, y);
  assert.deepEqual(d.layers.map((l) => l.name), ['a', 'b', 'out']);
  // E[x^2] of the model input, which is b's input (and a's); 'out' reads the sum.
  const qx = Array.from(x.data).reduce((s, v) => s + v * v, 0) / x.size;
  assert.ok(Math.abs(d.layers[1].inputSecondMoment - qx) < 1e-6 * qx, `${d.layers[1].inputSecondMoment} vs ${qx}`);
  const sumOut = model.layers[3].lastOutput as Tensor;
  const qs = Array.from(sumOut.data).reduce((s, v) => s + v * v, 0) / sumOut.size;
  assert.ok(Math.abs(d.layers[2].inputSecondMoment - qs) < 1e-6 * qs);
  assert.equal(d.merges.length, 1);
  const m = d.merges[0];
  assert.equal(m.name, 'sum');
  assert.equal(m.className, 'Add');
  // The sum of two ReLU outputs: mean and std of its values, and a gradient that reaches it.
  const mean = Array.from(sumOut.data).reduce((s, v) => s + v, 0) / sumOut.size;
  assert.ok(Math.abs(m.activationMean - mean) < 1e-6);
  assert.ok(m.gradientStd > 0 && Number.isFinite(m.gradientStd));
  assert.deepEqual(d.structure, { skipConnections: true, batchNormalization: false });
  // Diagnosing changes nothing: a second diagnosis gives the same numbers.
  assert.deepEqual(diagnoseModel(model, x, y).layers, d.layers);
});

/** depth x Dense(32, sigmoid, glorot_uniform: the chapter's initializer for sigmoid) -> Dense(3, softmax); residual: x + f(x) around each layer after the first. */
function sigmoidNet(depth: number, residual: boolean): Model | Sequential {
  setSeed(7);
  const dense = (): Dense => new Dense(32, { activation: 'sigmoid', kernelInitializer: 'glorot_uniform' });
  if (!residual) return new Sequential([new Dense(32, { activation: 'sigmoid', inputShape: [6] }), ...Array.from({ length: depth - 1 }, dense), new Dense(3, { activation: 'softmax' })]);
  const inp = Input({ shape: [6] });
  let h: SymbolicTensor = new Dense(32, { activation: 'sigmoid' }).apply(inp);
  for (let i = 1; i < depth; i++) h = new Add().apply([h, dense().apply(h)]);
  return new Model({ inputs: inp, outputs: new Dense(3, { activation: 'softmax' }).apply(h) });
}

test('a plain deep network whose gradient dies before the input: the verdict names it and advises skip connections or batch normalization; the residual one gets no such advice', () => {
  const { x, y } = data(128, 6, 3);
  const plain = diagnoseModel(sigmoidNet(20, false), x, y);
  // Each sigmoid layer multiplies the gradient by at most sigmoid' <= 1/4 times the weights' gain: over 19 layers it vanishes.
  assert.equal(plain.verdict.kind, 'vanishing');
  assert.ok(plain.verdict.gradientRatio < 1e-2, `gradient ratio ${plain.verdict.gradientRatio}`);
  assert.match(plain.verdict.cause, /plain network \(20 hidden layers, no skip connection\).*dies before it reaches the input layers/);
  assert.match(plain.verdict.fix, /skip connections: residual blocks y = x \+ F\(x\)/);
  assert.match(plain.verdict.fix, /batch normalization/);
  assert.deepEqual(plain.structure, { skipConnections: false, batchNormalization: false });
  const residual = diagnoseModel(sigmoidNet(20, true), x, y);
  assert.equal(residual.structure.skipConnections, true);
  assert.equal(residual.merges.length, 19);
  assert.doesNotMatch(residual.verdict.fix, /skip connections/);
  // The shortcut carries the gradient back: the first layer gets at least 100 times more of it than in the plain net.
  assert.ok(residual.layers[0].gradientStd > 100 * plain.layers[0].gradientStd, `${residual.layers[0].gradientStd} vs ${plain.layers[0].gradientStd}`);
  // A shallow plain network gets the verdict without the structural advice.
  assert.doesNotMatch(diagnoseModel(sigmoidNet(4, false), x, y).verdict.cause, /plain network/);
});

test('GradientMonitor during fit of a functional model: Dense rows with kernel statistics, merge rows with activation statistics', async () => {
  setSeed(5);
  const { x, y } = data(48, 6, 4);
  const inp = Input({ shape: [6] });
  const h = new Dense(8, { activation: 'relu', kernelInitializer: 'he_normal' }).apply(inp);
  const r = new Add().apply([h, new Dense(8, { activation: 'relu', kernelInitializer: 'he_normal' }).apply(h)]);
  const model = new Model({ inputs: inp, outputs: new Dense(3, { activation: 'softmax' }).apply(r) });
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.05 }), initializerAdvice: false });
  const monitor = new GradientMonitor();
  await model.fit(x, y, { epochs: 2, batchSize: 16, seed: 1, verbose: 0, callbacks: [monitor] });
  const rows = monitor.last;
  assert.deepEqual(rows.map((r) => r.className), ['Dense', 'Dense', 'Add', 'Dense']);
  for (const row of rows.filter((r) => r.className === 'Dense')) assert.ok(row.kernelGradNorm > 0 && Number.isFinite(row.kernelGradNorm), row.name);
  const add = rows[2];
  assert.ok(Number.isNaN(add.kernelGradNorm));
  // The Add of two ReLU outputs is >= 0 everywhere, with a positive mean and spread.
  assert.ok(add.activationMean > 0 && add.activationStd > 0);
  assert.equal(monitor.epochs.length, 2);
});

test('the HTML report draws the architecture with its residual paths: one box per layer, one red arc per skip connection', async () => {
  const { buildDiagnosisReport } = await import('../../src/diagnostics/report.js');
  const { architectureOf } = await import('../../src/diagnostics/architecture.js');
  const { x, y } = data(32, 6, 8);
  const residual = sigmoidNet(4, true);
  // input, d0, then 3 x (Dense, Add): each Add reads the previous block's output (an arc over its Dense).
  assert.deepEqual(residual.connections().filter(([a, b]) => b - a > 1), [[1, 3], [3, 5], [5, 7]]);
  const d = diagnoseModel(residual, x, y);
  const html = await buildDiagnosisReport({ title: 't', description: 'd', snapshots: [{ label: 'initialization', layers: d.layers }], verdict: d.verdict, architecture: architectureOf(residual) });
  assert.match(html, /<figure class="architecture" id="architecture" data-layers="9" data-connections="11" data-skips="3">/);
  assert.equal(html.match(/<rect class="layer"/g)?.length, 9);
  assert.equal(html.match(/<path class="skip"/g)?.length, 3);
  assert.equal(html.match(/<path class="connection"/g)?.length, 8);
  const plain = sigmoidNet(4, false);
  const html2 = await buildDiagnosisReport({ title: 't', description: 'd', snapshots: [{ label: 'initialization', layers: diagnoseModel(plain, x, y).layers }], architecture: architectureOf(plain) });
  assert.match(html2, /data-layers="5" data-connections="4" data-skips="0"/);
  assert.match(html2, /a plain chain with no skip connection/);
});
