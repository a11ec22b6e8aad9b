// NumPy's legacy generator (cli/experiments/numpy_random.ts) against numpy's own outputs, and the
// book's A3 simulation run on it: the same draws and float64 arithmetic give the book's printed lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NumpyRandomState } from '../../../src/cli/experiments/numpy_random.js';
import { BOOK_A3, simulate } from '../../../src/cli/experiments/selu_simulation.js';

test('NumpyRandomState: the values numpy prints after np.random.seed(42)', () => {
  // np.random.seed(42); np.random.random() -> 0.3745401188473625 (MT19937 init_genrand(42), 53-bit double).
  assert.equal(new NumpyRandomState(42).random(), 0.3745401188473625);
  // np.random.seed(42); np.random.normal(size=3) -> [0.4967141530112327, -0.13826430117118466, 0.6476885381006925]
  // (polar method: the second value is the cached partner of the first pair).
  const r = new NumpyRandomState(42);
  assert.deepEqual([r.gauss(), r.gauss(), r.gauss()], [0.4967141530112327, -0.13826430117118466, 0.6476885381006925]);
  assert.throws(() => new NumpyRandomState(-1), /integer in \[0, 2\^32\); received -1/);
});

test('selu-simulation in float64 on numpy seed 42 prints the book\'s "Layer 0" and "Layer 100" lines', () => {
  // The book (hml2 idx 39): "Layer 0: mean -0.00, std deviation 1.00", "Layer 100: mean 0.02, std deviation 0.96";
  // its "Layer k" is the output of the (k+1)-th layer: index k + 1 of simulate's arrays.
  const r = simulate('selu', 1, 500, 100, 101, new NumpyRandomState(42), { float64: true });
  for (const [i, layer] of [[0, 0], [1, 100]] as const) {
    assert.equal(BOOK_A3[i][0], layer);
    assert.equal(r.mean[layer + 1].toFixed(2).replace(/^-0\.00$/, '0.00'), BOOK_A3[i][1].toFixed(2), `mean at layer ${layer}`);
    assert.equal(r.std[layer + 1].toFixed(2), BOOK_A3[i][2].toFixed(2), `std at layer ${layer}`);
  }
});
