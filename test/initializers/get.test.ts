import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { type DType } from '../../src/core/dtype.js';
import { type Tensor, fill, zeros } from '../../src/core/tensor.js';
import {
  Constant,
  FunctionInitializer,
  GlorotNormal,
  GlorotUniform,
  HeNormal,
  HeUniform,
  INITIALIZER_NAMES,
  Identity,
  Initializer,
  type InitializerClass,
  type InitializerConfig,
  type InitializerIdentifier,
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
  deserialize,
  get,
  isInitializerName,
  registerInitializer,
} from '../../src/initializers/index.js';

/** Every accepted spelling and the class it names. */
const SPELLINGS: [string, InitializerClass][] = [
  // Keras snake_case (canonical).
  ['zeros', Zeros], ['ones', Ones], ['constant', Constant], ['random_uniform', RandomUniform], ['random_normal', RandomNormal],
  ['truncated_normal', TruncatedNormal], ['variance_scaling', VarianceScaling], ['glorot_uniform', GlorotUniform],
  ['glorot_normal', GlorotNormal], ['he_uniform', HeUniform], ['he_normal', HeNormal], ['lecun_uniform', LecunUniform],
  ['lecun_normal', LecunNormal], ['orthogonal', Orthogonal], ['identity', Identity],
  // PyTorch conventions (canonical snake_case, class names, camelCase).
  ['xavier_uniform', XavierUniform], ['xavier_normal', XavierNormal], ['kaiming_uniform', KaimingUniform],
  ['kaiming_normal', KaimingNormal], ['XavierUniform', XavierUniform], ['XavierNormal', XavierNormal],
  ['KaimingUniform', KaimingUniform], ['KaimingNormal', KaimingNormal], ['xavierUniform', XavierUniform],
  ['xavierNormal', XavierNormal], ['kaimingUniform', KaimingUniform], ['kaimingNormal', KaimingNormal],
  // Keras class names.
  ['Zeros', Zeros], ['Ones', Ones], ['Constant', Constant], ['RandomUniform', RandomUniform], ['RandomNormal', RandomNormal],
  ['TruncatedNormal', TruncatedNormal], ['VarianceScaling', VarianceScaling], ['GlorotUniform', GlorotUniform],
  ['GlorotNormal', GlorotNormal], ['HeUniform', HeUniform], ['HeNormal', HeNormal], ['LecunUniform', LecunUniform],
  ['LecunNormal', LecunNormal], ['Orthogonal', Orthogonal], ['Identity', Identity],
  // Keras aliases, including the class names of Keras < 3.7.
  ['normal', RandomNormal], ['uniform', RandomUniform], ['one', Ones], ['zero', Zeros],
  ['OrthogonalInitializer', Orthogonal], ['IdentityInitializer', Identity],
  // TF.js camelCase keys.
  ['randomUniform', RandomUniform], ['randomNormal', RandomNormal], ['truncatedNormal', TruncatedNormal],
  ['varianceScaling', VarianceScaling], ['glorotUniform', GlorotUniform], ['glorotNormal', GlorotNormal],
  ['heUniform', HeUniform], ['heNormal', HeNormal], ['leCunUniform', LecunUniform], ['leCunNormal', LecunNormal],
  // TF.js class names.
  ['LeCunUniform', LecunUniform], ['LeCunNormal', LecunNormal],
];

test('get accepts every Keras and TF.js spelling and makes a fresh default instance of the right class', () => {
  for (const [name, cls] of SPELLINGS) {
    const init = get(name as InitializerIdentifier);
    assert.equal(init.constructor, cls, name);
    assert.equal(init.getClassName(), cls.className, name);
    assert.deepEqual(init.getConfig(), new cls().getConfig(), name);
    assert.notEqual(get(name as InitializerIdentifier), init, `${name}: a new instance per call`);
    assert.ok(isInitializerName(name));
  }
  // Every canonical name is covered, and every class's className resolves to that class.
  assert.deepEqual(new Set(SPELLINGS.map(([n]) => n).filter((n) => (INITIALIZER_NAMES as readonly string[]).includes(n))), new Set(INITIALIZER_NAMES));
  for (const name of INITIALIZER_NAMES) {
    const cls = get(name).constructor as InitializerClass;
    assert.equal(get(cls.className as InitializerIdentifier).constructor, cls);
  }
  assert.equal(get('he_normal').apply([784, 300]).shape.join(','), '784,300');
});

test('unknown names throw a ValueError with the canonical names and the nearest spelling', () => {
  const cases: [string, RegExp][] = [
    ['glorot_unifrom', /did you mean 'glorot_uniform'\?/i],
    ['he_normall', /did you mean 'he_normal'\?/i],
    ['heNormall', /did you mean 'heNormal'\?/i],
    ['GLOROT_UNIFORM', /did you mean 'glorot_uniform'\?/i], // lookup is case-sensitive, as in Keras and TF.js
    ['lecunnormal', /did you mean 'LecunNormal'\?/i], // case-insensitive nearest: the class name
    ['xavier_uniform_', /did you mean 'xavier_uniform'\?/i], // PyTorch's function names: suggested, not accepted
    ['kaiming_normal_', /did you mean 'kaiming_normal'\?/i],
    ['trunc_normal_', /did you mean 'truncated_normal'\?/i],
    ['eye_', /did you mean 'identity'\?/i],
    ['orthogonal_', /did you mean 'orthogonal'\?/i],
    ['orthogonl', /did you mean 'orthogonal'\?/i],
    ['xavier', /received 'xavier'; expected one of 'zeros', 'ones', .*'lecun_normal', 'orthogonal', 'identity', .*'kaiming_normal'/],
  ];
  for (const [name, pattern] of cases) {
    assert.throws(() => get(name as InitializerIdentifier), (e: unknown) => e instanceof ValueError && pattern.test(e.message), name);
  }
  assert.equal(isInitializerName('xavier'), false);
});

test('get returns an instance as is, instantiates a class, and rejects other values', () => {
  const init = new HeNormal({ seed: 3 });
  assert.equal(get(init), init);
  assert.ok(get(HeNormal) instanceof HeNormal);
  for (const bad of [null, undefined, 42, true, [], ['he_normal']]) {
    assert.throws(() => get(bad as unknown as InitializerIdentifier), (e: unknown) => e instanceof ValueError && /Could not interpret initializer/.test(e.message));
  }
});

test('get wraps a function (shape, dtype) => Tensor and checks what it returns', () => {
  const half = (shape: readonly number[], dtype: DType): Tensor => fill(shape, 0.5, dtype);
  const init = get(half);
  assert.ok(init instanceof FunctionInitializer);
  assert.deepEqual(init.apply([2, 2]).data, new Float32Array([0.5, 0.5, 0.5, 0.5]));
  assert.ok(init.apply([3], 'float64').data instanceof Float64Array);
  const wrong = get(function wrongShape(_shape: readonly number[], dtype: DType) {
    return zeros([5], dtype);
  });
  assert.throws(() => wrong.apply([2, 2]), (e: unknown) => e instanceof ShapeError && /wrongShape: expected a Tensor of shape \[2, 2\], got a Tensor of shape \[5\]/.test(e.message));
  assert.throws(() => init.getConfig(), ValueError); // a function cannot be serialized
});

test('config objects: Keras 2, Keras 3 and TF.js forms, snake_case or camelCase keys and values', () => {
  const cases: [InitializerJson, InitializerClass, InitializerConfig][] = [
    // Keras 2 / tf.keras legacy form.
    [{ class_name: 'GlorotUniform', config: { seed: null } }, GlorotUniform, { seed: null }],
    [{ class_name: 'RandomUniform', config: { maxval: 0.05, seed: null, minval: -0.05 } }, RandomUniform, { minval: -0.05, maxval: 0.05, seed: null }],
    // Keras 3 form.
    [{ module: 'keras.initializers', class_name: 'HeNormal', config: { seed: 5 }, registered_name: null }, HeNormal, { seed: 5 }],
    [{ module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, Zeros, {}],
    // Keras >= 3.15 writes the axes (null when unset) into preset configs.
    [{ module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null, input_axes: null, output_axes: null }, registered_name: null }, GlorotUniform, { seed: null }],
    [{ class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 1, input_axes: [0], output_axes: [1, 2] } },
      VarianceScaling, { scale: 2, mode: 'fan_out', distribution: 'uniform', seed: 1, inputAxes: [0], outputAxes: [1, 2] }],
    // TF.js form, camelCase keys and values (TF.js getConfig before its snake_case conversion).
    [{ className: 'VarianceScaling', config: { scale: 1, mode: 'fanAvg', distribution: 'normal', seed: null } },
      VarianceScaling, { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: null }],
    [{ className: 'LeCunNormal', config: { seed: 9 } }, LecunNormal, { seed: 9 }],
    [{ className: 'Constant', config: { value: 0 } }, Constant, { value: 0 }],
    // A snake_case class name and a missing config are accepted too.
    [{ class_name: 'he_uniform' }, HeUniform, { seed: null }],
    // tf.keras <= 2.1 wrote a dtype into every config; it carries no option and is skipped.
    [{ class_name: 'GlorotUniform', config: { seed: null, dtype: 'float32' } }, GlorotUniform, { seed: null }],
  ];
  for (const [json, cls, config] of cases) {
    const init = get(json);
    assert.equal(init.constructor, cls, JSON.stringify(json));
    assert.deepEqual(init.getConfig(), config, JSON.stringify(json));
    assert.deepEqual(deserialize(json).getConfig(), config);
  }
});

test('bad config objects: unknown class (did-you-mean), unknown option (did-you-mean), invalid value, missing class name', () => {
  const cases: [unknown, RegExp][] = [
    [{ class_name: 'GlorotUnifrom', config: {} }, /Unknown initializer: received 'GlorotUnifrom'.*did you mean 'GlorotUniform'\?/i],
    [{ class_name: 'RandomNormal', config: { stdev: 0.1 } }, /RandomNormal config: unknown option 'stdev'.*did you mean 'stddev'\?/i],
    [{ class_name: 'HeNormal', config: { scale: 2 } }, /HeNormal config: unknown option 'scale'; expected options 'seed', 'inputAxes', 'outputAxes'/],
    [{ class_name: 'Zeros', config: { value: 1 } }, /Zeros config: unknown option 'value'; expected no options/],
    [{ class_name: 'VarianceScaling', config: { mode: 'fav_avg' } }, /did you mean 'fan_avg'\?/i],
    [{ class_name: 'RandomUniform', config: 'minval=0' }, /RandomUniform config: received minval=0; expected an object/],
    [{ config: { seed: 1 } }, /expected \{ class_name, config \} \(Keras\) or \{ className, config \} \(TF\.js\)/],
  ];
  for (const [json, pattern] of cases) {
    assert.throws(() => get(json as InitializerJson), (e: unknown) => e instanceof ValueError && pattern.test(e.message), String(pattern));
  }
});

test('registerInitializer makes a user class readable from configs; built-in names are protected', () => {
  class Halves extends Initializer {
    static override readonly className: string = 'Halves';
    protected fill(data: Float32Array | Float64Array): void {
      data.fill(0.5);
    }
    getConfig(): InitializerConfig {
      return {};
    }
  }
  assert.throws(() => get('Halves' as InitializerIdentifier), ValueError);
  registerInitializer(Halves);
  assert.ok(get({ class_name: 'Halves', config: {}, module: 'my_package', registered_name: 'Halves' }) instanceof Halves);
  assert.deepEqual(get(new Halves().serialize()).apply([2]).data, new Float32Array([0.5, 0.5]));
  class Impostor extends Halves {
    static override readonly className = 'HeNormal';
  }
  assert.throws(() => registerInitializer(Impostor), /built-in initializer name/);
});

// Real model files from the project workspace's shared data folder (outside the repository): these
// tests skip when it is absent.
const MODELS = fileURLToPath(new URL('../../../../shared/data/models/', import.meta.url));
const TFJS_MODEL = `${MODELS}tfjs-layers1.7.4-ml5-color-mlp/model.json`;
const KERAS3_MODEL = `${MODELS}tfjs-keras3.8-titanic-mlp/model.json`;
const KERAS2_MODEL = `${MODELS}keras2.0.9-to_json-imdb-config-only/model.json`;

/** Every `*_initializer` object of a model file, in file order. */
function initializersOf(path: string): InitializerJson[] {
  const found: InitializerJson[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key.endsWith('_initializer') && typeof value === 'object' && value !== null) found.push(value as InitializerJson);
        else walk(value);
      }
    }
  };
  walk(JSON.parse(readFileSync(path, 'utf8')));
  return found;
}

test('a real TF.js 1.7.4 model.json: VarianceScaling "normal" presets and Zeros', { skip: !existsSync(TFJS_MODEL) && `${TFJS_MODEL} is absent` }, () => {
  const inits = initializersOf(TFJS_MODEL).map((json) => get(json));
  assert.ok(inits.length >= 4);
  const kernels = inits.filter((i) => i instanceof VarianceScaling);
  assert.ok(kernels.length >= 2);
  for (const k of kernels) {
    // TF.js writes glorotNormal as VarianceScaling(1, fan_avg, 'normal'): Keras's truncated normal, corrected.
    assert.equal(k.constructor, VarianceScaling);
    assert.deepEqual(k.getConfig(), { scale: 1, mode: 'fan_avg', distribution: 'truncated_normal', seed: null });
  }
  assert.ok(inits.some((i) => i instanceof Zeros));
});

test('a real Keras 3.8 model.json: GlorotUniform and Zeros in the module/registered_name form', { skip: !existsSync(KERAS3_MODEL) && `${KERAS3_MODEL} is absent` }, () => {
  const inits = initializersOf(KERAS3_MODEL).map((json) => get(json));
  assert.ok(inits.length >= 2);
  for (const i of inits) assert.ok(i instanceof GlorotUniform || i instanceof Zeros, i.getClassName());
  const glorot = inits.find((i) => i instanceof GlorotUniform);
  assert.ok(glorot !== undefined);
  // Written back in the same form Keras 3 wrote.
  assert.deepEqual(glorot.serialize(), { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null });
});

test('a real Keras 2.0.9 model.json: RandomUniform, VarianceScaling, Zeros and the LSTM\'s Orthogonal', { skip: !existsSync(KERAS2_MODEL) && `${KERAS2_MODEL} is absent` }, () => {
  const inits = initializersOf(KERAS2_MODEL).map((json) => get(json));
  for (const init of inits) {
    assert.ok(init instanceof RandomUniform || init instanceof VarianceScaling || init instanceof Zeros || init instanceof Orthogonal, init.getClassName());
  }
  const orthogonal = inits.find((i) => i instanceof Orthogonal);
  assert.ok(orthogonal !== undefined, 'the recurrent_initializer');
  assert.deepEqual(orthogonal.getConfig(), { gain: 1, seed: null });
});
