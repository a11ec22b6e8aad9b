// A setback between epochs explained (diagnostics/collapse.ts) from the SpikeTracker's evidence
// (diagnostics/spike_tracker.ts), on hand-made steps whose figures are derived in the comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/core/tensor.js';
import type { StepInfo } from '../../src/callbacks/callback.js';
import { SpikeTracker, SPIKE_WARMUP_STEPS } from '../../src/diagnostics/spike_tracker.js';
import { describeSetback, explainCollapse } from '../../src/diagnostics/collapse.js';
import { setSeed } from '../../src/core/random.js';
import { Dense, resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';

/** A step of a fake model flatten -> dense -> dense_1: inputs x, loss, and each kernel gradient filled with one value. */
function step(batch: number, loss: number, x: number[], g0: number, g1: number): StepInfo {
  const layers = [{ name: 'flatten', lastOutput: tensor(x, [1, x.length]) }, { name: 'dense', lastOutput: null }, { name: 'dense_1', lastOutput: null }];
  return {
    epoch: 0, batch, loss, layers: layers as unknown as StepInfo['layers'],
    weights: [{ name: 'dense/kernel' }, { name: 'dense/bias' }, { name: 'dense_1/kernel' }] as unknown as StepInfo['weights'],
    grads: [new Float32Array(4).fill(g0), null, new Float32Array(4).fill(g1)],
  };
}

test('SpikeTracker: the step whose loss jumps most above its running average, with each layer against its own', () => {
  const t = new SpikeTracker();
  t.onEpochBegin();
  // Warm-up: loss 1, kernel gradients of 4 elements of 0.5 -> norm sqrt(4 * 0.25) = 1; the running averages stay 1.
  for (let b = 0; b < SPIKE_WARMUP_STEPS; b++) t.onGradients(step(b, 1, [0.5, -0.5], 0.5, 0.5));
  // The spike: loss 10 (10x the average 1); dense's gradient 25 -> norm 50 (50x), dense_1's 1 -> norm 2 (2x);
  // one input of 300 std (beyond 10).
  t.onGradients(step(SPIKE_WARMUP_STEPS, 10, [300, 0.5], 25, 1));
  t.onGradients(step(SPIKE_WARMUP_STEPS + 1, 1.5, [0.5, 0.5], 0.5, 0.5));
  t.onEpochEnd();
  const s = t.spikes[0];
  assert.ok(s !== null);
  assert.equal(s.batch, SPIKE_WARMUP_STEPS);
  assert.equal(s.loss, 10);
  assert.equal(s.baseline, 1);
  assert.deepEqual(s.layers.map((l) => [l.name, l.depth, l.ratio]), [['dense', 1, 50], ['dense_1', 2, 2]]);
  assert.equal(s.inputMaxAbs, 300);
  assert.equal(s.inputOutliers, 1);
  // 22 batches of 2 values, one value beyond 10 std: 1/44 of the values, 1/22 of the batches.
  assert.equal(t.inputs[0].maxAbs, 300);
  assert.equal(t.inputs[0].outlierShare, 1 / 44);
  assert.equal(t.inputs[0].batchShare, 1 / 22);
});

test('explainCollapse: names the setback, the layer that moved first, the input outliers, the cause and the fix', () => {
  assert.equal(explainCollapse({ epoch: 1, previous: { loss: 0.6, val_accuracy: 0.8 }, current: { loss: 0.55, val_accuracy: 0.78 } }), null);
  assert.equal(describeSetback({ loss: 0.6 }, { loss: 0.8 }), 'the training loss rose from 0.6 to 0.8');
  const spike = { epoch: 1, batch: 411, loss: 12, baseline: 0.6, inputMaxAbs: 245, inputOutliers: 3,
    layers: [{ name: 'dense', depth: 1, gradNorm: 80, ratio: 400 }, { name: 'dense_1', depth: 2, gradNorm: 9, ratio: 30 }, { name: 'dense_2', depth: 3, gradNorm: 1, ratio: 1.5 }] };
  const row = (name: string, gradStd: number, actStd: number) => ({ name, className: 'Dense', kernelGradNorm: 1, kernelGradStd: gradStd, activationMean: 0, activationStd: actStd, deadFraction: 0, saturatedFraction: 0, updateRatio: 1e-3 });
  const text = explainCollapse({
    epoch: 1, previous: { loss: 0.6, val_accuracy: 0.81 }, current: { loss: 1.9, val_accuracy: 0.45 },
    before: [row('dense', 0.01, 1), row('dense_1', 0.01, 1), row('dense_2', 0.01, 1)],
    after: [row('dense', 0.01, 1.1), row('dense_1', 0.05, 1), row('dense_2', 0.01, 3)],
    spike, input: { maxAbs: 245, outlierShare: 0.0005, batchShare: 0.17 },
  });
  assert.ok(text !== null);
  assert.match(text, /^Epoch 2: val_accuracy fell from 0\.8100 to 0\.4500 and the training loss rose from 0\.6 to 1\.9\./);
  // 12 / 0.6 = 20x; dense moved 400x, the most, and 400 > 2 * 1.5: the jump entered at the input.
  assert.match(text, /at step 412 of the epoch the batch loss jumped to 12, 20x its running average 0\.6/);
  assert.match(text, /dense \(layer 1\) 400x, dense_1 \(layer 2\) 30x, dense_2 \(layer 3\) 1\.5x/);
  assert.match(text, /the jump entered at the input/);
  // dense moved less than 2x; dense_1's gradient std 0.01 -> 0.05 is the first move beyond 2x.
  assert.match(text, /is dense_1 \(layer 2 of 3\): kernel gradient std 0\.01 -> 0\.05 \(5x\)/);
  assert.match(text, /17\.0% of this epoch's batches hold values beyond 10 std/);
  assert.match(text, /Likely cause: per-feature standardization of near-constant features/);
  assert.match(text, /Fix: standardize with a floor on each feature's std/);
  // Without input outliers: the step size.
  const noInput = explainCollapse({ epoch: 3, previous: { loss: 0.5 }, current: { loss: 2 }, spike: { ...spike, inputMaxAbs: 3, inputOutliers: 0 }, input: { maxAbs: 3, outlierShare: 0, batchShare: 0 } });
  assert.match(noInput ?? '', /^Epoch 4: the training loss rose from 0\.5 to 2\..*lower the learning rate/);
});

test('explainCollapse: a collapse inside an epoch whose averages still improve (one batch above the untrained loss)', () => {
  const t = new SpikeTracker();
  t.onEpochBegin();
  // Step 1 (the untrained network): loss 2.3, then losses of 1 up to the end of the warm-up. The running
  // average starts at 2.3 and after 19 steps of 1 is 1 + 1.3 * 0.95^19 = 1.4906.
  t.onGradients(step(0, 2.3, [0.5, -0.5], 0.5, 0.5));
  for (let b = 1; b < SPIKE_WARMUP_STEPS; b++) t.onGradients(step(b, 1, [0.5, -0.5], 0.5, 0.5));
  // The collapse: one batch with an input of 245 std, loss 8 (8 / 1.4906 = 5.4x its average, above 2.3);
  // dense's gradient norm 100x its average, dense_1's 2x: largest in the first layer.
  t.onGradients(step(SPIKE_WARMUP_STEPS, 8, [245, 0.5], 50, 1));
  for (let b = SPIKE_WARMUP_STEPS + 1; b < SPIKE_WARMUP_STEPS + 10; b++) t.onGradients(step(b, 1, [0.5, 0.5], 0.5, 0.5));
  t.onEpochEnd();
  const spike = t.spikes[0];
  assert.ok(spike !== null);
  assert.equal(spike.startLoss, 2.3);
  assert.ok(Math.abs(spike.baseline - (1 + 1.3 * 0.95 ** 19)) < 1e-9);
  // The epoch's figures improve (val_accuracy 0.27 -> 0.45, loss 1.6 -> 1.1): only the spike reveals the collapse.
  assert.equal(describeSetback({ loss: 1.6, val_accuracy: 0.27 }, { loss: 1.1, val_accuracy: 0.45 }), null);
  const text = explainCollapse({ epoch: 1, previous: { loss: 1.6, val_accuracy: 0.27 }, current: { loss: 1.1, val_accuracy: 0.45 }, spike, input: t.inputs[0], standardization: 'per-feature' });
  assert.ok(text !== null);
  assert.match(text, /^Epoch 2: within the epoch a batch loss jumped to 8, above the untrained network's 2\.3 \(step 1 of training\)\./);
  assert.match(text, /at step 21 of the epoch the batch loss jumped to 8, 5\.37x its running average 1\.49/);
  assert.match(text, /dense \(layer 1\) 100x, dense_1 \(layer 2\) 2x.*the jump entered at the input/);
  assert.match(text, /That batch's inputs reach \|x\| = 245 \(1 value\(s\) beyond 10 std\)/);
  assert.match(text, /Likely cause: per-feature standardization of near-constant features/);
  assert.match(text, /Fix: standardize with a floor on each feature's std/);
  // The same spike in the first epoch is reported too (no previous epoch needed).
  assert.match(explainCollapse({ epoch: 0, previous: {}, current: { loss: 1.1 }, spike }) ?? '', /^Epoch 1: within the epoch a batch loss jumped to 8/);
  // A spike 5x its average but below the untrained network's loss is ordinary noise late in training: no setback.
  assert.equal(explainCollapse({ epoch: 1, previous: { loss: 0.2 }, current: { loss: 0.19 }, spike: { ...spike, loss: 2, baseline: 0.4 } }), null);
  // Without the first loss (an older record), no spike setback either.
  assert.equal(describeSetback({ loss: 0.2 }, { loss: 0.19 }, { ...spike, startLoss: undefined }), null);
});

test('explainCollapse: a stall with outlier inputs (the loss barely falls while batches hold inputs of hundreds of std)', () => {
  const input = { maxAbs: 245, outlierShare: 0.0005, batchShare: 0.17 };
  // Loss 1.83 -> 1.74: (1.83 - 1.74) / 1.83 = 4.9% < 10%; 17% of the batches > 1%: a stall.
  assert.equal(describeSetback({ loss: 1.83 }, { loss: 1.74 }, null, input), 'training stalled: the loss fell only 4.9% (1.83 to 1.74) while 17.0% of the epoch\'s batches held inputs beyond 10 std');
  const text = explainCollapse({ epoch: 1, previous: { loss: 1.83, val_accuracy: 0.27 }, current: { loss: 1.74, val_accuracy: 0.45 }, input, standardization: 'per-feature' });
  assert.match(text ?? '', /^Epoch 2: training stalled: .* Inputs: 17\.0% of this epoch's batches hold values beyond 10 std .*Likely cause: per-feature standardization/);
  // The same slow epoch with clean inputs (late training, a hard task) is no setback; nor a 20% fall with outliers.
  assert.equal(describeSetback({ loss: 1.83 }, { loss: 1.74 }, null, { ...input, batchShare: 0 }), null);
  assert.equal(describeSetback({ loss: 1.83 }, { loss: 1.4 }, null, input), null);
});

/**
 * The epoch of the collapse test above, fed to `t` as epoch `epoch`: step 1 loss 2.3, then 1s, one batch
 * of loss 8 (5.4x its running average, above 2.3), then 1s.
 */
function collapseEpoch(t: SpikeTracker, epoch: number): void {
  t.onEpochBegin(epoch);
  const at = (b: number, loss: number, g0 = 0.5): StepInfo => ({ ...step(b, loss, [0.5, -0.5], g0, 0.5), epoch });
  t.onGradients(at(0, 2.3));
  for (let b = 1; b < SPIKE_WARMUP_STEPS; b++) t.onGradients(at(b, 1));
  t.onGradients(at(SPIKE_WARMUP_STEPS, 8, 50));
  for (let b = SPIKE_WARMUP_STEPS + 1; b < SPIKE_WARMUP_STEPS + 10; b++) t.onGradients(at(b, 1));
  t.onEpochEnd();
}

test('SpikeTracker: a run that does not start from fresh weights has no untrained baseline (no false "above the untrained network" setback)', () => {
  const explain = (t: SpikeTracker) => explainCollapse({ epoch: 1, previous: { loss: 1.6 }, current: { loss: 1.1 }, spike: t.spikes[0] });
  // Fresh run (first epoch 0, no training position): the rule fires, as in the test above.
  const fresh = new SpikeTracker();
  fresh.onTrainBegin();
  collapseEpoch(fresh, 0);
  assert.equal(fresh.spikes[0]?.startLoss, 2.3);
  assert.match(explain(fresh) ?? '', /above the untrained network's 2\.3/);
  // The same steps in a resumed fit (first epoch 2, as fit({ initialEpoch: 2 })): the first loss is a trained network's.
  const resumed = new SpikeTracker();
  resumed.onTrainBegin();
  collapseEpoch(resumed, 2);
  assert.ok(resumed.spikes[0] !== null && Number.isNaN(resumed.spikes[0].startLoss));
  assert.equal(explain(resumed), null);
  // A loaded model (the caller says so), and a model that already holds a training position: the same.
  const loaded = new SpikeTracker({ untrained: false });
  loaded.onTrainBegin();
  collapseEpoch(loaded, 0);
  assert.equal(explain(loaded), null);
  const trained = new SpikeTracker();
  trained.model = { stopTraining: false, layers: [], trainingState: { epoch: 3 } } as unknown as SpikeTracker['model'];
  trained.onTrainBegin();
  collapseEpoch(trained, 0);
  assert.equal(explain(trained), null);
  // The other rules still apply to a resumed run: the loss jump between epochs.
  assert.match(explainCollapse({ epoch: 3, previous: { loss: 0.5 }, current: { loss: 2 }, spike: resumed.spikes[0] }) ?? '', /^Epoch 4: the training loss rose from 0\.5 to 2\./);
  assert.throws(() => new SpikeTracker({ untrainde: false } as never), /untrained/);
});

test('SpikeTracker in fit: resuming with initialEpoch records no untrained loss; a fresh fit does', async () => {
  setSeed(3);
  resetLayerNames();
  const m = new Sequential([new Dense(4, { activation: 'relu', inputShape: [2] }), new Dense(2, { activation: 'softmax' })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', initializerAdvice: false });
  // 50 samples of batch 2: 25 steps per epoch, beyond the warm-up, so each epoch records a spike.
  const x = tensor(Array.from({ length: 100 }, (_, i) => ((i * 7) % 11) / 11 - 0.5), [50, 2]);
  const y = tensor(Array.from({ length: 50 }, (_, i) => i % 2), [50]);
  const first = new SpikeTracker();
  await m.fit(x, y, { epochs: 1, batchSize: 2, seed: 1, verbose: 0, callbacks: [first] });
  assert.ok(first.spikes[0] !== null && Number.isFinite(first.spikes[0].startLoss));
  const again = new SpikeTracker();
  await m.fit(x, y, { epochs: 2, initialEpoch: 1, batchSize: 2, seed: 1, verbose: 0, callbacks: [again] });
  assert.equal(again.spikes.length, 1);
  assert.ok(again.spikes[0] !== null && Number.isNaN(again.spikes[0].startLoss));
});
