// The 2-D toy sets: each generator's geometry checked exactly with noise 0, the labels balanced,
// the draw reproducible by seed, and bad options rejected with the valid values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueError } from '../../src/core/errors.js';
import { TOY_2D_NAMES, toy2d } from '../../src/data/toy_2d.js';
import { datasets } from '../../src/index.js';

test('xor with noise 0: class 1 exactly where x0 * x1 < 0, points in [-1, 1]^2', () => {
  const { x, y, classes } = toy2d('xor', { samples: 500, noise: 0, seed: 3 });
  assert.deepEqual(x.shape, [500, 2]);
  assert.equal(classes, 2);
  let ones = 0;
  for (let i = 0; i < 500; i++) {
    const a = x.data[2 * i]!;
    const b = x.data[2 * i + 1]!;
    assert.ok(Math.abs(a) <= 1 && Math.abs(b) <= 1);
    assert.equal(y.data[i], a * b < 0 ? 1 : 0);
    ones += y.data[i]!;
  }
  // Half the square has x0 * x1 < 0: 250 expected, binomial sd sqrt(500/4) = 11; 5 sd = 56.
  assert.ok(Math.abs(ones - 250) < 56, `${ones} of 500 in class 1`);
});

test('circles with noise 0: class 0 on radius 0.5, class 1 on radius 1', () => {
  const { x, y } = toy2d('circles', { samples: 100, noise: 0 });
  for (let i = 0; i < 100; i++) {
    const r = Math.hypot(x.data[2 * i]!, x.data[2 * i + 1]!);
    assert.ok(Math.abs(r - (y.data[i] === 0 ? 0.5 : 1)) < 1e-6, `point ${i}: r ${r}, class ${y.data[i]}`);
  }
});

test('spiral with noise 0: arm c at angle 4 r + 2 pi c / classes (mod 2 pi)', () => {
  const { x, y, classes } = toy2d('spiral', { samples: 90, noise: 0, classes: 3 });
  assert.equal(classes, 3);
  for (let i = 0; i < 90; i++) {
    const px = x.data[2 * i]!;
    const py = x.data[2 * i + 1]!;
    const r = Math.hypot(px, py);
    if (r < 1e-3) continue;
    const expected = 4 * r + (2 * Math.PI * y.data[i]!) / 3;
    const diff = Math.atan2(py, px) - expected;
    const wrapped = Math.atan2(Math.sin(diff), Math.cos(diff));
    assert.ok(Math.abs(wrapped) < 1e-4, `point ${i}: angle off by ${wrapped}`);
  }
  assert.deepEqual([0, 1, 2].map((c) => y.data.filter((v) => v === c).length), [30, 30, 30]);
});

test('gaussians: class means near the centres on the 0.6 circle; reproducible by seed', () => {
  const a = toy2d('gaussians', { samples: 2000, classes: 4, seed: 7 });
  const b = datasets.toy2d('gaussians', { samples: 2000, classes: 4, seed: 7 });
  assert.deepEqual(a.x.data, b.x.data);
  assert.notDeepEqual(a.x.data, toy2d('gaussians', { samples: 2000, classes: 4, seed: 8 }).x.data);
  for (let c = 0; c < 4; c++) {
    let sx = 0;
    let sy = 0;
    for (let i = c; i < 2000; i += 4) {
      sx += a.x.data[2 * i]!;
      sy += a.x.data[2 * i + 1]!;
    }
    // 500 points of std sqrt(0.15^2 + 0.05^2) = 0.158 per coordinate: se of the mean 0.0071; 5 se = 0.035.
    const angle = (2 * Math.PI * c) / 4;
    assert.ok(Math.abs(sx / 500 - 0.6 * Math.cos(angle)) < 0.035 && Math.abs(sy / 500 - 0.6 * Math.sin(angle)) < 0.035);
  }
});

test('bad options: the valid names, positive samples, noise >= 0, classes >= 2', () => {
  assert.deepEqual([...TOY_2D_NAMES], ['spiral', 'circles', 'xor', 'gaussians']);
  assert.throws(() => toy2d('spirals' as 'spiral'), (e: unknown) => e instanceof ValueError && /spiral, circles, xor, gaussians/.test(e.message) && /Did you mean 'spiral'/.test(e.message));
  assert.throws(() => toy2d('xor', { samples: 0 }), ValueError);
  assert.throws(() => toy2d('xor', { noise: -1 }), ValueError);
  assert.throws(() => toy2d('spiral', { classes: 1 }), ValueError);
});
