// What fit says: Keras's progress lines for verbose 1 and 2 (captured through setProgressOutput),
// the callbacks' verbose messages with Keras 3's wording, the default non-finite monitor, the
// batch-size warning, and plain-object callbacks as in TF.js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { EarlyStopping } from '../../src/callbacks/early_stopping.js';
import { LambdaCallback } from '../../src/callbacks/lambda_callback.js';
import { NonFiniteMonitor } from '../../src/callbacks/non_finite_monitor.js';
import { formatLogValue } from '../../src/callbacks/progress_logger.js';
import { type ProgressOutput, setProgressOutput } from '../../src/callbacks/progress_output.js';
import { nodeProgressOutput } from '../../src/callbacks/progress_output.node.js';
import { ReduceLROnPlateau } from '../../src/callbacks/reduce_lr_on_plateau.js';
import { TerminateOnNaN } from '../../src/callbacks/terminate_on_nan.js';
import { ValueError } from '../../src/core/errors.js';
import { tensor } from '../../src/core/tensor.js';
import { Dense } from '../../src/layers/dense.js';
import { resetLayerNames } from '../../src/layers/index.js';
import { Sequential } from '../../src/models/sequential.js';
import { SGD } from '../../src/optimizers/sgd.js';

/** An output that records lines and bar updates. */
function recorder(interactive = false): ProgressOutput & { lines: string[]; bars: string[] } {
  const lines: string[] = [];
  const bars: string[] = [];
  return {
    interactive, lines, bars,
    line: (t) => lines.push(t),
    startBar: (total) => ({ update: (v, text) => bars.push(`${v}/${total} ${text}`), stop: () => bars.push('stop') }),
  };
}

/** Runs `fn` with the output set to a recorder, restoring the previous output after. */
async function capture(fn: () => Promise<unknown>, interactive = false): Promise<{ lines: string[]; bars: string[] }> {
  const out = recorder(interactive);
  const previous = setProgressOutput(out);
  try {
    await fn();
  } finally {
    setProgressOutput(previous);
  }
  return { lines: out.lines, bars: out.bars };
}

const X = tensor([[0, 1], [1, 0], [0.5, 0.5], [1, 1], [0, 0]]);
const Y = tensor([0, 1, 0, 1, 0]);

function model(lr = 0.1): Sequential {
  resetLayerNames();
  const m = new Sequential([new Dense(2, { activation: 'softmax', inputShape: [2] })]);
  m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: lr }), metrics: ['accuracy'], initializerAdvice: false });
  return m;
}

/** The line Keras's verbose 2 prints, with the time replaced: `3/3 - Ts - Tms/step - loss: ...`. */
const timeless = (l: string): string => l.replace(/ - \d+s - \d+(s|ms|us)\/step/, ' - Ts - T/step');

test('verbose 2 prints "Epoch e/E" and one Keras line per epoch with the logged values', async () => {
  const m = model();
  let history: Record<string, number[]> = {};
  const out = await capture(async () => {
    history = (await m.fit(X, Y, { epochs: 2, batchSize: 2, shuffle: false, verbose: 2, validationData: [X, Y] })).history;
  });
  const f = (k: string, e: number): string => formatLogValue(history[k][e]);
  assert.deepEqual(out.lines.map(timeless), [
    'Epoch 1/2',
    `3/3 - Ts - T/step - loss: ${f('loss', 0)} - accuracy: ${f('accuracy', 0)} - val_loss: ${f('val_loss', 0)} - val_accuracy: ${f('val_accuracy', 0)}`,
    'Epoch 2/2',
    `3/3 - Ts - T/step - loss: ${f('loss', 1)} - accuracy: ${f('accuracy', 1)} - val_loss: ${f('val_loss', 1)} - val_accuracy: ${f('val_accuracy', 1)}`,
  ]);
  assert.deepEqual(out.bars, []);
});

test("verbose 1 and 'auto' draw a bar per epoch on an interactive output and print plain lines elsewhere; verbose 0 prints nothing", async () => {
  const bar = await capture(() => model().fit(X, Y, { epochs: 1, batchSize: 2, verbose: 1 }), true);
  assert.deepEqual(bar.lines, [], 'one epoch: no "Epoch 1/1" header (Keras prints it only when epochs > 1)');
  assert.equal(bar.bars.length, 5, bar.bars.join('\n')); // 3 batch updates, the final one with the epoch logs, stop
  assert.match(bar.bars[0], /^1\/3 \d+s \d+(s|ms|us)\/step - loss: \d\.\d{4} - accuracy: \d\.\d{4}$/);
  assert.equal(bar.bars[4], 'stop');
  const auto = await capture(() => model().fit(X, Y, { epochs: 1, batchSize: 2 }), true);
  assert.equal(auto.bars.length, 5, "'auto' is 1, as in Keras 3");
  const plain = await capture(() => model().fit(X, Y, { epochs: 1, batchSize: 2, verbose: 1 }), false);
  assert.equal(plain.lines.length, 1);
  assert.match(plain.lines[0], /^3\/3 - \d+s - /);
  const silent = await capture(() => model().fit(X, Y, { epochs: 2, batchSize: 2, verbose: 0 }), true);
  assert.deepEqual(silent, { lines: [], bars: [] });
});

test('logged values print as Keras\'s Progbar prints them', () => {
  assert.equal(formatLogValue(0.3), '0.3000');
  assert.equal(formatLogValue(1e-4), '1.0000e-04'); // below 1e-3: Python's '%.4e'
  assert.equal(formatLogValue(0), '0.0000');
  assert.equal(formatLogValue(Number.NaN), 'nan');
});

test('the Node output writes plain lines when the stream is not a terminal', () => {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let written = '';
  (stream as unknown as PassThrough).on('data', (d: Buffer) => { written += d.toString(); });
  const out = nodeProgressOutput(stream);
  assert.equal(out.interactive, false);
  out.line('Epoch 1/5');
  (stream as unknown as PassThrough).end();
  assert.equal(written, 'Epoch 1/5\n');
});

test('the Node output on a terminal draws a cli-progress bar; a message during the bar ends the bar\'s line first and the bar goes on below', () => {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { isTTY: boolean; columns: number };
  stream.isTTY = true;
  stream.columns = 200;
  let written = '';
  (stream as unknown as PassThrough).on('data', (d: Buffer) => { written += d.toString(); });
  const out = nodeProgressOutput(stream);
  assert.equal(out.interactive, true);
  const bar = out.startBar!(3);
  bar.update(2, '- loss: 0.5000');
  out.line('Epoch 1: ReduceLROnPlateau reducing learning rate to 0.05.');
  bar.update(3, '- loss: 0.4000');
  bar.stop();
  (stream as unknown as PassThrough).end();
  // Without the terminal's escape codes: the bar at 2/3, the message on its own line, the bar again, finished at 3/3.
  const plain = written.replace(/\x1b\[[0-9;?]*[a-zA-Z]|\x1b[78]/g, '');
  const message = plain.indexOf('\nEpoch 1: ReduceLROnPlateau reducing learning rate to 0.05.\n');
  assert.ok(message > 0, JSON.stringify(plain));
  assert.match(plain.slice(0, message), /2\/3 \u2501+\u2500+ - loss: 0\.5000$/);
  assert.match(plain.slice(message), /3\/3 \u2501{20} - loss: 0\.4000\n$/);
});

test('EarlyStopping with verbose 1 says when it stopped and which epoch it restored (Keras 3\'s words, 1-based)', async () => {
  const m = model();
  // minDelta 1e9: only epoch 1 (the first) improves on Infinity, so patience 1 stops at epoch 2.
  const es = new EarlyStopping({ monitor: 'loss', minDelta: 1e9, patience: 1, restoreBestWeights: true, verbose: 1 });
  const out = await capture(() => m.fit(X, Y, { epochs: 10, batchSize: 5, callbacks: [es], verbose: 0 }));
  assert.deepEqual(out.lines, ['Epoch 2: early stopping', 'Restoring model weights from the end of the best epoch: 1.']);
  const quiet = await capture(() => model().fit(X, Y, { epochs: 10, batchSize: 5, callbacks: [new EarlyStopping({ monitor: 'loss', minDelta: 1e9, patience: 1 })], verbose: 0 }));
  assert.deepEqual(quiet.lines, [], 'verbose 0 is the default, as in Keras');
  assert.throws(() => new EarlyStopping({ verbose: 2 as never }), (e: unknown) => e instanceof ValueError && e.message === 'EarlyStopping: verbose must be 0 (silent) or 1 (print what it does), received 2.');
});

test('ReduceLROnPlateau with verbose 1 prints each reduction with the new rate', async () => {
  const m = model(0.1);
  // mode max on a loss that falls: never an improvement after the first epoch, so with patience 1
  // the rate halves at the end of epochs 2 and 3: 0.05, then 0.025.
  const plateau = new ReduceLROnPlateau({ monitor: 'loss', mode: 'max', factor: 0.5, patience: 1, minDelta: 0, verbose: 1 });
  const out = await capture(() => m.fit(X, Y, { epochs: 3, batchSize: 5, shuffle: false, callbacks: [plateau], verbose: 0 }));
  assert.deepEqual(out.lines, ['Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05.', 'Epoch 3: ReduceLROnPlateau reducing learning rate to 0.025.']);
});

test('TerminateOnNaN prints Keras\'s line by default; the default monitor names where the NaN started', async () => {
  const m = model();
  m.layers[0].weights[0].data[1] = Number.NaN; // every output is NaN from the first batch
  const out = await capture(() => m.fit(X, Y, { epochs: 3, batchSize: 2, shuffle: false, callbacks: [new TerminateOnNaN()], verbose: 0 }));
  assert.deepEqual(out.lines, [
    "deepwell: Non-finite value at step 1 (epoch 1, batch 1): the outputs of layer 'dense' became NaN in the forward pass. Training stopped; the weights are those of the last finite step. Lower the learning rate, clip gradients (clipNorm), or check the data.",
    'Batch 0: Invalid loss, terminating training',
  ]);
  // fit({ monitor: false }): only TerminateOnNaN speaks; with verbose 0 it is silent.
  const m2 = model();
  m2.layers[0].weights[0].data[1] = Number.NaN;
  const off = await capture(() => m2.fit(X, Y, { epochs: 3, batchSize: 2, callbacks: [new TerminateOnNaN({ verbose: 0 })], monitor: false, verbose: 0 }));
  assert.deepEqual(off.lines, []);
});

test('the default monitor stops at the first non-finite step and keeps the last finite weights; a user monitor replaces it', async () => {
  const m = model();
  const before = m.getWeights();
  m.layers[0].weights[1].data[0] = Infinity; // the bias: outputs become NaN (softmax of Infinity)
  const out = await capture(() => m.fit(X, Y, { epochs: 3, batchSize: 2, verbose: 0 }));
  assert.equal(out.lines.length, 1);
  assert.match(out.lines[0], /the outputs of layer 'dense' became NaN in the forward pass/);
  const after = m.getWeights();
  assert.deepEqual(after[0], before[0], 'the update of the bad step was skipped');
  // A NonFiniteMonitor of the user's: fit adds none, so nothing is printed unless it does.
  const m2 = model();
  m2.layers[0].weights[1].data[0] = Infinity;
  const mine = new NonFiniteMonitor();
  const quiet = await capture(() => m2.fit(X, Y, { epochs: 3, batchSize: 2, callbacks: [mine], verbose: 0 }));
  assert.deepEqual(quiet.lines, []);
  assert.equal(mine.stopped?.layer, 'dense');
  assert.equal(mine.stopped?.step, 1);
});

test('a batch size larger than the data is said once per fit', async () => {
  const out = await capture(() => model().fit(X, Y, { epochs: 3, batchSize: 64, verbose: 0 }));
  assert.deepEqual(out.lines, ['deepwell: warning: batchSize 64 is larger than the 5 training samples, so each epoch is a single step of 5 samples. Pass a smaller batchSize (Keras\'s default is 32) for more updates per epoch.']);
});

test('plain objects with some hooks work as callbacks (TF.js), async hooks awaited in order', async () => {
  const events: string[] = [];
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  await model().fit(X, Y, {
    epochs: 2, batchSize: 5, verbose: 0,
    callbacks: [{
      onEpochEnd: async (epoch, logs) => { await sleep(5); events.push(`epoch ${epoch} loss ${typeof logs?.loss}`); },
      onBatchEnd: async (batch) => { await sleep(1); events.push(`batch ${batch}`); },
      onTrainEnd: () => { events.push('end'); },
    }],
  });
  assert.deepEqual(events, ['batch 0', 'epoch 0 loss number', 'batch 0', 'epoch 1 loss number', 'end']);
});

test('a plain object with a misspelt hook or a hook that is not a function is refused', async () => {
  await assert.rejects(model().fit(X, Y, { verbose: 0, callbacks: [{ onEpochEnds: () => {} } as never] }), (e: unknown) => e instanceof ValueError && e.message.startsWith("fit: callbacks[0]: unknown option 'onEpochEnds'; valid options are the hooks 'onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd',") && e.message.endsWith("Did you mean 'onEpochEnd'?"));
  await assert.rejects(model().fit(X, Y, { verbose: 0, callbacks: [{ onEpochEnd: 3 } as never] }), /fit: callbacks\[0\]: hook 'onEpochEnd' must be a function, received number/);
  await assert.rejects(model().fit(X, Y, { verbose: 0, callbacks: [null as never] }), /fit: callbacks\[0\]: expected a Callback or an object of hooks/);
  assert.ok(new LambdaCallback({ onTrainBegin: () => {} }));
});
