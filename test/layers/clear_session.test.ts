// clearSession (Keras 3 `keras.utils.clear_session()`): the auto-naming counters restart, so the layers
// and models built next are named from the first index again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sequential, clearSession, layers } from '../../src/index.js';

test('clearSession: layer and model names restart at dense, dense_1, ... and sequential (Keras 3 naming)', () => {
  clearSession();
  const build = () => new Sequential([new layers.Dense(4, { inputShape: [2] }), new layers.Dense(4), new layers.BatchNormalization(), new layers.Dense(3)]);
  const first = build();
  // Keras 3: the first Dense of a session is `dense`, the next `dense_1` (uid 1 -> no suffix, uid n -> _{n-1}).
  assert.deepEqual(first.layers.map((l) => l.name), ['dense', 'dense_1', 'batch_normalization', 'dense_2']);
  assert.equal(first.name, 'sequential');
  // Without a reset the counters keep going, as in one Keras session.
  const second = build();
  assert.deepEqual(second.layers.map((l) => l.name), ['dense_3', 'dense_4', 'batch_normalization_1', 'dense_5']);
  assert.equal(second.name, 'sequential_1');
  clearSession();
  const third = build();
  assert.deepEqual(third.layers.map((l) => l.name), ['dense', 'dense_1', 'batch_normalization', 'dense_2']);
  assert.equal(third.name, 'sequential');
  // The explicit names stay explicit; layers.resetLayerNames is the same function.
  assert.equal(new layers.Dense(2, { name: 'head' }).name, 'head');
  assert.equal(layers.resetLayerNames, layers.clearSession);
});
