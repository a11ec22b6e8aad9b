// Names and options that JavaScript callers (whom the types do not protect) could pass and that were
// accepted and then ignored or mis-dispatched: each now works or throws with the valid values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { tensor, zeros, fill } from '../../src/core/tensor.js';
import { binary, sum, unary } from '../../src/autodiff/primitives.js';
import { activate, gelu } from '../../src/activations/activations.js';
import { countCorrect } from '../../src/metrics/accuracy.js';
import { categoricalCrossentropy } from '../../src/losses/losses.js';
import { CategoricalCrossentropy } from '../../src/losses/loss.js';
import { Dense } from '../../src/layers/dense.js';
import { Dropout } from '../../src/layers/dropout.js';
import { BatchNormalization } from '../../src/layers/batch_normalization.js';
import { Sequential } from '../../src/models/sequential.js';

const x = tensor([[1, -2], [3, 4]]);
const valueError = (pattern: RegExp) => (e: unknown): boolean => e instanceof ValueError && pattern.test(e.message);

test('ops by name: unknown unary and binary ops throw with the nearest name (they gave zeros or a TypeError)', () => {
  assert.throws(() => unary('relu7' as never, x), valueError(/Invalid unary op: received 'relu7'.*Did you mean 'relu'/));
  assert.throws(() => binary('pow2' as never, x, x), valueError(/Invalid binary op: received 'pow2'.*Did you mean 'pow'/));
  assert.throws(() => activate('relu_6' as never, x), valueError(/Did you mean 'relu6'/));
  assert.throws(() => sum(x, 'a' as never), ShapeError);
});

test('boolean options refuse strings that would read as true (or as false)', () => {
  assert.throws(() => gelu(x, { approximate: 'yes' as never }), valueError(/approximate must be true or false/));
  assert.throws(() => categoricalCrossentropy(x, x, { fromLogits: 'yes' as never }), valueError(/fromLogits must be true or false/));
  assert.throws(() => new CategoricalCrossentropy({ fromLogits: 1 as never }), valueError(/fromLogits must be true or false/));
  assert.throws(() => new Dense(2, { useBias: 'no' as never }), valueError(/useBias must be true or false/));
  assert.throws(() => new BatchNormalization({ center: 'no' as never }), valueError(/center must be true or false/));
  assert.throws(() => new Dropout(0.5).apply(x, { training: 'yes' as never }), valueError(/training must be true or false/));
  const m = new Sequential([new Dense(1, { inputShape: [2] })]);
  assert.throws(() => m.predict(x, { training: 'yes' as never }), valueError(/training must be true or false/));
  m.compile({ loss: 'mse', optimizer: 'sgd' });
  return assert.rejects(m.fit(x, tensor([[1], [2]]), { shuffle: 'no' as never, verbose: 0 }), valueError(/shuffle must be true or false/));
});

test('other names: accuracy kind, dtype of zeros/fill, compile metrics as a string, summary printFn', () => {
  assert.throws(() => countCorrect('accuracy' as never, x, x), valueError(/Invalid accuracy kind: received 'accuracy'/));
  assert.throws(() => zeros([2], 'int8' as never), valueError(/Invalid dtype/));
  assert.throws(() => fill([2], 1, 'int8' as never), valueError(/Invalid dtype/));
  const m = new Sequential([new Dense(2, { inputShape: [2] })]);
  assert.throws(() => m.compile({ loss: 'mse', optimizer: 'sgd', metrics: 'accuracy' as never }), valueError(/metrics must be an array of metric names/));
  assert.throws(() => m.summary('x' as never), valueError(/printFn must be a function/));
});
