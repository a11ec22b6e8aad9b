// GradientMonitor: per-layer statistics during fit, the update-to-weight ratio, and the first
// non-finite value (training that explodes to NaN is stopped at the first non-finite step, which is
// named with its layer and direction; dead ReLUs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, setSeed } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import { Callback, type StepInfo } from '../../src/callbacks/callback.js';
import { GradientMonitor, type NonFiniteEvent } from '../../src/diagnostics/gradient_monitor.js';
import { firstNonFinite } from '../../src/diagnostics/layer_statistics.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';

/** 256 samples of 20 standard-normal features, labels i mod 3. */
function data(): { x: Tensor; y: Tensor } {
  const rng = new Rng(7);
  const x = new Float32Array(256 * 20);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextNormal();
  const y = new Float32Array(256).map((_, i) => i % 3);
  return { x: new Tensor(x, [256, 20]), y: new Tensor(y, [256]) };
}

function mlp(depth: number, learningRate: number, units = 32): Sequential {
  setSeed(1);
  const model = new Sequential([
    ...Array.from({ length: depth }, (_, i) => new Dense(units, { activation: 'relu', kernelInitializer: 'he_normal', ...(i === 0 ? { inputShape: [20] } : {}) })),
    new Dense(3, { activation: 'softmax' }),
  ]);
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate }), metrics: ['accuracy'], initializerAdvice: false });
  return model;
}

/** Records, for every step, whether any activation, the loss or any gradient was non-finite. */
class Recorder extends Callback {
  readonly bad: boolean[] = [];
  override onGradients(step: StepInfo): void {
    const forward = step.layers.some((l) => l.lastOutput !== null && firstNonFinite(l.lastOutput.data) >= 0);
    const backward = step.grads.some((g) => g !== null && firstNonFinite(g) >= 0);
    this.bad.push(forward || backward || !Number.isFinite(step.loss));
  }
}

test('case 11: SGD with learning rate 3 on a 5-layer ReLU net explodes; the first non-finite step is named and training stops there', async () => {
  const { x, y } = data();
  // The reference run, not stopped, says at which step a value first became non-finite.
  const reference = new Recorder();
  await mlp(5, 3).fit(x, y, { epochs: 5, batchSize: 32, seed: 1, callbacks: [reference, new GradientMonitor({ stopOnNonFinite: false })] });
  const firstBad = reference.bad.indexOf(true) + 1;
  assert.ok(firstBad > 1, `the run diverges after some steps (first non-finite step ${firstBad})`);

  const model = mlp(5, 3);
  const events: NonFiniteEvent[] = [];
  const monitor = new GradientMonitor({ onNonFinite: (e) => events.push(e) });
  const steps = new Recorder();
  const history = await model.fit(x, y, { epochs: 5, batchSize: 32, seed: 1, callbacks: [monitor, steps] });
  const stopped = monitor.stopped;
  assert.ok(stopped !== null);
  assert.equal(events.length, 1);
  assert.equal(stopped.step, firstBad);
  assert.equal(stopped.epoch, 1);
  assert.equal(stopped.batch, firstBad);
  assert.equal(stopped.direction, 'forward');
  assert.equal(stopped.tensor, 'activation');
  assert.ok(model.layers.some((l) => l.name === stopped.layer), stopped.layer);
  assert.match(stopped.message, new RegExp(`step ${firstBad} .*'${stopped.layer}'.*forward pass`));
  assert.ok(['NaN', 'Infinity', '-Infinity'].includes(stopped.value));
  // Training stopped at that step: no later step ran, and the history keeps the epoch so far.
  assert.equal(model.stopTraining, true);
  assert.equal(steps.bad.length, firstBad);
  assert.equal(history.history.loss.length, 1);
  assert.equal(monitor.epochs.length, 1);
});

test('backward and update directions: a gradient or a weight that is not finite is named with its layer', () => {
  const model = mlp(2, 0.1, 4);
  const x = tensor([[...Array(20).keys()].map((v) => v / 20)]);
  model.call(x, { training: true });
  const monitor = new GradientMonitor();
  model.withCallbacks([monitor]);
  monitor.onTrainBegin();
  monitor.onEpochBegin(0);
  const weights = model.trainableWeights;
  const grads = weights.map((w) => new Float32Array(w.size));
  // The first layer's bias gradient is NaN: found going backward, named by its owner layer.
  grads[1][2] = NaN;
  monitor.onGradients({ epoch: 0, batch: 0, layers: model.layers, weights, grads, loss: 1 });
  assert.equal(monitor.stopped?.direction, 'backward');
  assert.equal(monitor.stopped?.tensor, 'gradient');
  assert.equal(monitor.stopped?.layer, model.layers[0].name);
  assert.equal(monitor.stopped?.weight, `${model.layers[0].name}/bias`);
  assert.equal(model.stopTraining, true);

  const second = new GradientMonitor();
  model.stopTraining = false;
  model.withCallbacks([second]);
  second.onTrainBegin();
  second.onEpochBegin(0);
  second.onGradients({ epoch: 0, batch: 0, layers: model.layers, weights, grads: weights.map((w) => new Float32Array(w.size)), loss: 1 });
  assert.equal(second.stopped, null);
  // An optimizer step that overflows the second layer's kernel.
  (model.layers[1] as Dense).kernel!.data[0] = Infinity;
  second.onBatchEnd(0);
  const update = second.stopped as NonFiniteEvent | null;
  assert.equal(update?.direction, 'update');
  assert.equal(update?.tensor, 'weight');
  assert.equal(update?.layer, model.layers[1].name);
  assert.equal(update?.step, 1);
});

test('update-to-weight ratio: one SGD step of a single Dense layer, by hand', async () => {
  // Dense(1) without bias, kernel [3, 4] (norm 5), x = [1, 0], target 0, MSE: loss = (3)^2 = 9,
  // dL/dW = 2 * 3 * x = [6, 0]; SGD lr 0.1 moves W by [0.6, 0]: ratio 0.6 / 5 = 0.12.
  const layer = new Dense(1, { useBias: false, kernelInitializer: 'zeros', inputShape: [2] });
  const model = new Sequential([layer]);
  layer.kernel!.assign([3, 4]);
  model.compile({ loss: 'mean_squared_error', optimizer: new SGD({ learningRate: 0.1 }) });
  const monitor = new GradientMonitor();
  await model.fit(tensor([[1, 0]]), tensor([[0]]), { epochs: 1, batchSize: 1, callbacks: [monitor] });
  const [row] = monitor.last;
  assert.ok(Math.abs(row.updateRatio - 0.12) < 1e-6, `${row.updateRatio}`);
  assert.ok(Math.abs(row.kernelGradNorm - 6) < 1e-5, `${row.kernelGradNorm}`);
  assert.equal(monitor.stopped, null);
});

test('case 12 during training: a dead ReLU layer is 100% dead with zero kernel gradient; sigmoid saturation is measured', async () => {
  setSeed(2);
  const dead = new Dense(8, { activation: 'relu', biasInitializer: { class_name: 'Constant', config: { value: -100 } }, inputShape: [20] });
  const sat = new Dense(8, { activation: 'sigmoid', kernelInitializer: { class_name: 'RandomNormal', config: { stddev: 10 } }, inputShape: [20] });
  for (const [layer, check] of [[dead, 'dead'], [sat, 'saturated']] as const) {
    const model = new Sequential([layer, new Dense(3, { activation: 'softmax' })]);
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 0.1 }), initializerAdvice: false });
    const monitor = new GradientMonitor();
    const { x, y } = data();
    await model.fit(x, y, { epochs: 2, batchSize: 64, seed: 1, callbacks: [monitor] });
    const row = monitor.last[0];
    if (check === 'dead') {
      assert.equal(row.deadFraction, 1);
      assert.equal(row.kernelGradNorm, 0);
      assert.equal(row.updateRatio, 0);
    } else {
      // z ~ N(0, 20 * 100) per unit: |z| > ln(49) = 3.89 (sigmoid outside [0.02, 0.98]) for 93% of values.
      assert.ok(row.saturatedFraction > 0.85, `${row.saturatedFraction}`);
    }
  }
});

/** Each step's L2 norm of every kernel gradient, in layer order. */
class KernelGradNorms extends Callback {
  readonly steps: number[][] = [];
  override onGradients(step: StepInfo): void {
    const norms: number[] = [];
    step.weights.forEach((w, i) => {
      const g = step.grads[i];
      if (!w.name.endsWith('/kernel') || g === null) return;
      let sq = 0;
      for (let k = 0; k < g.length; k++) sq += g[k] * g[k];
      norms.push(Math.sqrt(sq));
    });
    this.steps.push(norms);
  }
}

test('statsEvery: the epoch row averages the sampled batches only (0, 3, 6 of 8); a non-finite value is still found on its own step', async () => {
  const { x, y } = data();
  const norms = new KernelGradNorms();
  const monitor = new GradientMonitor({ statsEvery: 3 });
  await mlp(2, 0.05).fit(x, y, { epochs: 1, batchSize: 32, seed: 1, callbacks: [norms, monitor] });
  assert.equal(norms.steps.length, 8);
  monitor.last.forEach((row, layer) => {
    const sampled = [0, 3, 6].map((s) => norms.steps[s][layer]);
    const expected = sampled.reduce((a, b) => a + b, 0) / 3;
    const everyStep = norms.steps.reduce((a, s) => a + s[layer], 0) / 8;
    assert.ok(Math.abs(row.kernelGradNorm - expected) <= 1e-5 * expected, `${row.name}: ${row.kernelGradNorm} vs ${expected}`);
    assert.notEqual(expected, everyStep); // the test can tell sampling from averaging every step
  });
  // The exploding run of case 11: sampling the statistics every 7th batch names the same first step.
  const reference = new GradientMonitor();
  const a = mlp(5, 3);
  await a.fit(x, y, { epochs: 5, batchSize: 32, seed: 1, callbacks: [reference] });
  const sampled = new GradientMonitor({ statsEvery: 7 });
  const b = mlp(5, 3);
  await b.fit(x, y, { epochs: 5, batchSize: 32, seed: 1, callbacks: [sampled] });
  assert.ok(reference.stopped !== null && sampled.stopped !== null);
  assert.ok(reference.stopped.batch % 7 !== 0, `the first non-finite batch (${reference.stopped.batch}) is not a sampled one`);
  const where = (m: Sequential, layer: string): number => m.layers.findIndex((l) => l.name === layer);
  assert.deepEqual([sampled.stopped.step, where(b, sampled.stopped.layer), sampled.stopped.direction], [reference.stopped.step, where(a, reference.stopped.layer), reference.stopped.direction]);
  assert.throws(() => new GradientMonitor({ statsEvery: 0 }), /statsEvery must be a positive integer, received 0/);
});
