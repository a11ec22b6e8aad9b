import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setSeed } from '../../src/core/random.js';
import {
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  KaimingNormal,
  KaimingUniform,
  LecunNormal,
  LecunUniform,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  XavierNormal,
  XavierUniform,
  get,
  type RandomInitializer,
} from '../../src/initializers/index.js';

const SHAPE = [20, 30];

/** One instance of every random class, seeded or not. */
function randomInitializers(seed?: number | null): RandomInitializer[] {
  return [
    new RandomUniform({ seed }),
    new RandomNormal({ seed }),
    new TruncatedNormal({ seed }),
    new VarianceScaling({ seed }),
    new VarianceScaling({ seed, distribution: 'uniform' }),
    new VarianceScaling({ seed, distribution: 'untruncated_normal' }),
    new GlorotUniform({ seed }),
    new GlorotNormal({ seed }),
    new HeUniform({ seed }),
    new HeNormal({ seed }),
    new LecunUniform({ seed }),
    new LecunNormal({ seed }),
    new Orthogonal({ seed }),
    new XavierUniform({ seed }),
    new XavierNormal({ seed }),
    new KaimingUniform({ seed }),
    new KaimingNormal({ seed }),
  ];
}

test('a seeded initializer returns the same values on every call (both dtypes)', () => {
  for (const init of randomInitializers(42)) {
    const first = init.apply(SHAPE).data;
    assert.deepEqual(init.apply(SHAPE).data, first, init.getClassName());
    assert.deepEqual(init.apply(SHAPE).data, first, init.getClassName());
    assert.deepEqual(init.apply(SHAPE, 'float64').data, init.apply(SHAPE, 'float64').data, init.getClassName());
  }
});

test('seed 0 is a seed (Keras 3.0 treated it as unseeded)', () => {
  const init = new HeNormal({ seed: 0 });
  assert.deepEqual(init.apply(SHAPE).data, init.apply(SHAPE).data);
  assert.deepEqual(new RandomUniform({ seed: 0 }).apply(SHAPE).data, new RandomUniform({ seed: 0 }).apply(SHAPE).data);
});

test('equal seeds give equal values across instances; different seeds differ', () => {
  assert.deepEqual(new HeNormal({ seed: 7 }).apply(SHAPE).data, new HeNormal({ seed: 7 }).apply(SHAPE).data);
  assert.notDeepEqual(new HeNormal({ seed: 7 }).apply(SHAPE).data, new HeNormal({ seed: 8 }).apply(SHAPE).data);
  assert.notDeepEqual(new HeNormal({ seed: 7 }).apply(SHAPE).data, new HeNormal({ seed: -7 }).apply(SHAPE).data);
});

test('an unseeded initializer draws new values on each call, and two layers given the same name differ', () => {
  for (const init of randomInitializers()) {
    assert.notDeepEqual(init.apply(SHAPE).data, init.apply(SHAPE).data, init.getClassName());
  }
  for (const init of randomInitializers(null)) {
    assert.equal(init.seed, null);
    assert.notDeepEqual(init.apply(SHAPE).data, init.apply(SHAPE).data, init.getClassName());
  }
  assert.notDeepEqual(get('he_normal').apply(SHAPE).data, get('he_normal').apply(SHAPE).data);
});

test('setSeed(42) reproduces every unseeded draw', () => {
  const run = (): Float32Array[] => {
    setSeed(42);
    const a = get('glorot_uniform');
    const b = new HeNormal();
    return [a.apply(SHAPE), b.apply(SHAPE), a.apply(SHAPE), new RandomNormal().apply([5])].map((t) => t.data as Float32Array);
  };
  const first = run();
  const second = run();
  assert.deepEqual(second, first);
  assert.notDeepEqual(first[0], first[2]); // the same instance still moves on between calls
  setSeed(43);
  assert.notDeepEqual(get('glorot_uniform').apply(SHAPE).data, first[0]);
});

test('a seeded apply leaves the global generator alone; an unseeded apply advances it by one draw whatever the size', () => {
  setSeed(5);
  const expected = new HeNormal().apply(SHAPE).data;
  setSeed(5);
  new HeNormal({ seed: 1 }).apply([100, 100]);
  assert.deepEqual(new HeNormal().apply(SHAPE).data, expected);
  // The size of one unseeded draw does not shift the next consumer.
  setSeed(5);
  new GlorotUniform().apply([3]);
  const afterSmall = new HeNormal().apply(SHAPE).data;
  setSeed(5);
  new GlorotUniform().apply([300, 300]);
  assert.deepEqual(new HeNormal().apply(SHAPE).data, afterSmall);
});
