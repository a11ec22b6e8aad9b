import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Constant,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  Identity,
  type Initializer,
  type InitializerClass,
  type InitializerJson,
  KaimingNormal,
  KaimingUniform,
  LecunNormal,
  LecunUniform,
  Ones,
  Orthogonal,
  RandomNormal,
  RandomUniform,
  TruncatedNormal,
  VarianceScaling,
  XavierNormal,
  XavierUniform,
  Zeros,
  fromConfig,
  get,
} from '../../src/initializers/index.js';
import { moments } from './moments.js';

/**
 * For every class: a seeded base configuration and, for each option, another value of it. The shape
 * [3, 5, 8] has fans (15, 24) by rank, so changing mode or giving axes changes the variance; in
 * PyTorch's layout its fans are (40, 24), so changing the layout changes them too. Identity, which
 * takes only matrices, uses [5, 8].
 */
const SHAPE = [3, 5, 8];
const MATRIX_SHAPE = [5, 8];
const XAVIER_VARIANTS: Record<string, unknown>[] = [{ gain: 0 }, { gain: 2 }, { layout: 'keras' }, { seed: 2 }];
const KAIMING_VARIANTS: Record<string, unknown>[] = [
  { a: 0.5 },
  { mode: 'fan_out' },
  { nonlinearity: 'tanh' },
  { layout: 'keras' },
  { seed: 2 },
];
const PRESET_VARIANTS: Record<string, unknown>[] = [{ seed: 2 }, { inputAxes: [0], outputAxes: [1, 2] }];
const CASES: [InitializerClass, Record<string, unknown>, Record<string, unknown>[]][] = [
  [Zeros, {}, []],
  [Ones, {}, []],
  [Constant, { value: 0.3 }, [{ value: 0 }, { value: -2 }]],
  [RandomUniform, { minval: -0.2, maxval: 0.4, seed: 1 }, [{ minval: 0 }, { maxval: 0.1 }, { seed: 2 }]],
  [RandomNormal, { mean: 0.1, stddev: 0.2, seed: 1 }, [{ mean: 0 }, { stddev: 0.3 }, { stddev: 0 }, { seed: 2 }]],
  [TruncatedNormal, { mean: 0.1, stddev: 0.2, seed: 1 }, [{ mean: 0 }, { stddev: 0.3 }, { seed: 2 }]],
  [
    VarianceScaling,
    { scale: 1.5, mode: 'fan_out', distribution: 'uniform', seed: 1 },
    [
      { scale: 3 },
      { mode: 'fan_in' },
      { mode: 'fan_avg' },
      { distribution: 'truncated_normal' },
      { distribution: 'untruncated_normal' },
      { seed: 2 },
      { inputAxes: [0, 1], outputAxes: [2] },
    ],
  ],
  [GlorotUniform, { seed: 1 }, PRESET_VARIANTS],
  [GlorotNormal, { seed: 1 }, PRESET_VARIANTS],
  [HeUniform, { seed: 1 }, PRESET_VARIANTS],
  [HeNormal, { seed: 1 }, PRESET_VARIANTS],
  [LecunUniform, { seed: 1 }, PRESET_VARIANTS],
  [LecunNormal, { seed: 1 }, PRESET_VARIANTS],
  [Orthogonal, { gain: 1.5, seed: 1 }, [{ gain: 1 }, { gain: -1 }, { seed: 2 }]],
  [Identity, { gain: 1.5 }, [{ gain: 1 }, { gain: 0 }]],
  [XavierUniform, { gain: 1.5, layout: 'pytorch', seed: 1 }, XAVIER_VARIANTS],
  [XavierNormal, { gain: 1.5, layout: 'pytorch', seed: 1 }, XAVIER_VARIANTS],
  [KaimingUniform, { a: 0.1, mode: 'fan_in', nonlinearity: 'leaky_relu', layout: 'pytorch', seed: 1 }, KAIMING_VARIANTS],
  [KaimingNormal, { a: 0.1, mode: 'fan_in', nonlinearity: 'leaky_relu', layout: 'pytorch', seed: 1 }, KAIMING_VARIANTS],
];

/** The shape a class is sampled on: a matrix for Identity, a rank-3 kernel for the others. */
function shapeFor(cls: InitializerClass): number[] {
  return cls === Identity ? MATRIX_SHAPE : SHAPE;
}

function make(cls: InitializerClass, options: Record<string, unknown>): Initializer {
  return new cls(options as never);
}

function assertRoundTrip(init: Initializer, label: string): void {
  const cls = init.constructor as InitializerClass;
  const shape = shapeFor(cls);
  const config = init.getConfig();
  // The config is JSON data whose keys are constructor options.
  assert.deepEqual(JSON.parse(JSON.stringify(config)), config, label);
  for (const key of Object.keys(config)) assert.ok(cls.configKeys.includes(key), `${label}: ${key} is not an option`);
  const copies = [
    cls.fromConfig(config),
    fromConfig(cls, config),
    get(JSON.parse(JSON.stringify(init)) as InitializerJson), // Keras 3 JSON text, snake_case keys
    get({ className: init.getClassName(), config } as InitializerJson), // TF.js form, camelCase keys
  ];
  for (const copy of copies) {
    assert.equal(copy.constructor, cls, label);
    assert.deepEqual(copy.getConfig(), config, label);
    assert.deepEqual(copy.apply(shape).data, init.apply(shape).data, `${label}: seeded samples differ after the round trip`);
  }
}

test('every class round-trips through getConfig/fromConfig and the Keras 3 JSON, for every option', () => {
  for (const [cls, base, variants] of CASES) {
    assertRoundTrip(make(cls, base), `${cls.className} ${JSON.stringify(base)}`);
    for (const variant of variants) assertRoundTrip(make(cls, { ...base, ...variant }), `${cls.className} ${JSON.stringify(variant)}`);
  }
});

test('every option is applied: changing it changes the config and the seeded samples', () => {
  for (const [cls, base, variants] of CASES) {
    const reference = make(cls, base);
    for (const variant of variants) {
      const changed = make(cls, { ...base, ...variant });
      const label = `${cls.className} ${JSON.stringify(variant)}`;
      assert.notDeepEqual(changed.getConfig(), reference.getConfig(), `${label}: option not stored`);
      const shape = shapeFor(cls);
      assert.notDeepEqual(changed.apply(shape).data, reference.apply(shape).data, `${label}: option stored but not applied`);
    }
  }
});

test('scale is applied exactly: doubling it doubles the variance of the same seeded uniform draws', () => {
  const shape = [100, 100];
  const v1 = moments(new VarianceScaling({ scale: 1.5, distribution: 'uniform', seed: 3 }).apply(shape, 'float64').data).variance;
  const v2 = moments(new VarianceScaling({ scale: 3, distribution: 'uniform', seed: 3 }).apply(shape, 'float64').data).variance;
  assert.ok(Math.abs(v2 / v1 - 2) < 1e-9, `ratio ${v2 / v1}`);
});

test('serialize writes the Keras 3 form: own class names for presets, snake_case keys, normalized values', () => {
  assert.deepEqual(new GlorotUniform().serialize(), {
    module: 'keras.initializers',
    class_name: 'GlorotUniform',
    config: { seed: null },
    registered_name: null,
  });
  assert.deepEqual(new LecunNormal({ seed: 4 }).serialize().class_name, 'LecunNormal'); // Keras spelling, not TF.js's LeCunNormal
  assert.deepEqual(new VarianceScaling({ mode: 'fanAvg', distribution: 'normal', inputAxes: [0], outputAxes: [1] }).serialize().config, {
    scale: 1,
    mode: 'fan_avg',
    distribution: 'truncated_normal',
    seed: null,
    input_axes: [0],
    output_axes: [1],
  });
  assert.equal(JSON.stringify(new Constant({ value: 2 })), '{"module":"keras.initializers","class_name":"Constant","config":{"value":2},"registered_name":null}');
});

test('the new classes serialize in the Keras 3 form; Keras < 3.7 class names and the Keras 2 LSTM config load', () => {
  assert.deepEqual(new Orthogonal({ gain: 2, seed: 3 }).serialize(), {
    module: 'keras.initializers',
    class_name: 'Orthogonal',
    config: { gain: 2, seed: 3 },
    registered_name: null,
  });
  assert.deepEqual(new Identity().serialize(), { module: 'keras.initializers', class_name: 'Identity', config: { gain: 1 }, registered_name: null });
  // Keras 3.0 to 3.6 wrote OrthogonalInitializer / IdentityInitializer.
  const old = get({ module: 'keras.initializers', class_name: 'OrthogonalInitializer', config: { seed: null, gain: 1.0 }, registered_name: null });
  assert.ok(old instanceof Orthogonal);
  assert.ok(get({ class_name: 'IdentityInitializer', config: { gain: 0.5 } }) instanceof Identity);
  // The PyTorch conventions are deepwell's own classes: module deepwell.initializers and a
  // registered_name as Keras writes for custom objects; snake_case keys.
  assert.deepEqual(new KaimingUniform({ a: Math.sqrt(5), layout: 'pytorch' }).serialize(), {
    module: 'deepwell.initializers',
    class_name: 'KaimingUniform',
    config: { a: Math.sqrt(5), mode: 'fan_in', nonlinearity: 'leaky_relu', layout: 'pytorch', seed: null },
    registered_name: 'deepwell>KaimingUniform',
  });
  assert.deepEqual(new XavierNormal().serialize().config, { gain: 1, layout: 'keras', seed: null });
});
