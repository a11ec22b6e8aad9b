// Public reports that concern initializers, each as a test with its value: initializer correctness
// (tensorflow/tfjs#8594, #8568), reproducibility and seeds (tfjs#7104, #7376), Keras 3 formats (tfjs#8489).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setSeed } from '../../src/core/random.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';
import {
  GlorotUniform,
  HeNormal,
  Identity,
  type Initializer,
  type InitializerClass,
  type InitializerJson,
  LecunNormal,
  Orthogonal,
  VarianceScaling,
  Zeros,
  get,
} from '../../src/initializers/index.js';
import { EXCESS_KURTOSIS, moments, varianceStandardError } from './moments.js';

const Z = 5;

// --- Case 11: initializer correctness and options (tfjs#8594, tfjs#8568) ----------------------------

test('case 11 (tensorflow/tfjs#8594): lecun_normal on a [2000, 500] kernel has variance 1/fan_in = 5e-4, not 0.7735/fan_in', () => {
  const fanIn = 2000;
  const data = new LecunNormal({ seed: 11 }).apply([fanIn, 500]).data;
  const m = moments(data);
  const se = varianceStandardError(1 / fanIn, EXCESS_KURTOSIS.truncated_normal, data.length);
  assert.ok(Math.abs(m.variance - 1 / fanIn) <= Z * se, `variance ${m.variance}`);
  // The report measured 0.7735 of the target in TF.js: that is more than 100 SE away here.
  assert.ok(m.variance - 0.7735 / fanIn > 100 * se);
  // Still a truncated normal: kurtosis -0.634 and |w| <= 2.2737 / sqrt(fan_in).
  assert.ok(Math.abs(m.excessKurtosis - EXCESS_KURTOSIS.truncated_normal) <= Z * Math.sqrt(24 / data.length));
  assert.ok(m.maxAbs <= (2 / 0.87962566103423978) / Math.sqrt(fanIn) * (1 + 1e-6));
});

test('case 11 (tensorflow/tfjs#8568): depthwise kernels [3, 3, C, m] get their true fans (9, 9 m) from explicit axes', () => {
  // DepthwiseConv2D(3x3, depth multiplier 2) on 32 channels: kernel [3, 3, 32, 2]. Each output sees 9
  // inputs and each input feeds 9 * 2 outputs; reading it as a conv kernel would give (288, 18).
  const shape = [3, 3, 32, 2];
  const axes = { inputAxes: [0, 1], outputAxes: [0, 1, 3] };
  const he = new VarianceScaling({ scale: 2, mode: 'fan_in', ...axes, seed: 3 });
  const stats = he.describe(shape);
  assert.deepEqual([stats.fanIn, stats.fanOut, stats.variance], [9, 18, 2 / 9]);
  assert.equal(new HeNormal().describe(shape).fanIn, 288); // without axes: the conv reading (TF.js's)
  // The preset takes the axes too, and the sample has the variance of the true fan_in.
  const data = new HeNormal({ ...axes, seed: 4 }).apply([3, 3, 512, 4]).data; // fans (9, 36); N = 18432
  const m = moments(data);
  assert.ok(Math.abs(m.variance - 2 / 9) <= Z * varianceStandardError(2 / 9, EXCESS_KURTOSIS.truncated_normal, data.length), `variance ${m.variance}`);
});

test('case 11: seeded initializers reproduce on every call, across instances and through a JSON round trip', () => {
  const inits: Initializer[] = [new LecunNormal({ seed: 8 }), new Orthogonal({ seed: 8, gain: 1.5 }), new GlorotUniform({ seed: 8 })];
  for (const init of inits) {
    const first = init.apply([16, 24]).data;
    assert.deepEqual(init.apply([16, 24]).data, first);
    const copy = get(JSON.parse(JSON.stringify(init)) as InitializerJson);
    assert.deepEqual(copy.apply([16, 24]).data, first, init.getClassName());
  }
});

// --- Case 3: reproducibility and seeds everywhere (tfjs#7104, #7376, #316, #896) ------------------

/** A model of Dense layers built at construction, with a mix of initializers. */
function buildModel(): Sequential {
  return new Sequential([
    new Dense(64, { activation: 'relu', kernelInitializer: 'he_normal', inputShape: [32] }),
    new Dense(64, { activation: 'tanh' }), // default glorot_uniform
    new Dense(48, { activation: 'tanh', kernelInitializer: 'orthogonal' }),
    new Dense(32, { activation: 'relu', kernelInitializer: 'kaiming_uniform', biasInitializer: 'random_normal' }),
    new Dense(10, { activation: 'softmax', kernelInitializer: 'lecun_uniform' }),
  ]);
}

/** Every weight's bits (float32 as uint32, so -0 and NaN payloads would count too). */
function weightBits(model: Sequential): number[][] {
  return model.weights.map((w) => [...new Uint32Array(Float32Array.from(w.data).buffer)]);
}

test('case 3: setSeed(42) reproduces every weight of a whole Sequential model bit for bit', () => {
  setSeed(42);
  const a = weightBits(buildModel());
  setSeed(42);
  const b = weightBits(buildModel());
  assert.equal(a.length, 10); // 5 kernels + 5 biases
  assert.deepEqual(b, a);
  setSeed(43);
  assert.notDeepEqual(weightBits(buildModel())[0], a[0]);
});

test('case 3: two Dense layers given the same string initializer get different weights', () => {
  setSeed(1);
  for (const name of ['he_normal', 'glorot_uniform', 'orthogonal', 'kaiming_normal']) {
    const model = new Sequential([
      new Dense(20, { kernelInitializer: name, inputShape: [20] }),
      new Dense(20, { kernelInitializer: name }),
    ]);
    const [k1, , k2] = model.weights;
    assert.deepEqual(k1.shape, k2.shape);
    assert.notDeepEqual(k1.data, k2.data, `${name}: both layers got the same kernel`);
  }
});

// --- Case 7: Keras 3 format compatibility (tfjs#8489) ----------------------------------------------

test('case 7: Keras 3 initializer configs (module, class_name, config, registered_name) load, Orthogonal included', () => {
  const cases: [InitializerJson, InitializerClass][] = [
    [{ module: 'keras.initializers', class_name: 'Orthogonal', config: { seed: null, gain: 1.0 }, registered_name: null }, Orthogonal],
    [{ module: 'keras.initializers', class_name: 'OrthogonalInitializer', config: { seed: 7, gain: 2.0 }, registered_name: null }, Orthogonal],
    [{ module: 'keras.initializers', class_name: 'Identity', config: { gain: 1.0 }, registered_name: null }, Identity],
    [{ module: 'keras.initializers', class_name: 'IdentityInitializer', config: { gain: 1.0 }, registered_name: null }, Identity],
    [{ module: 'keras.initializers', class_name: 'HeNormal', config: { seed: null, input_axes: null, output_axes: null }, registered_name: null }, HeNormal],
    [{ module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null }, Zeros],
  ];
  for (const [json, cls] of cases) {
    const init = get(json);
    assert.equal(init.constructor, cls, JSON.stringify(json));
    // Written back in the same form, under the current class name.
    assert.equal(init.serialize().module, 'keras.initializers');
    assert.equal(init.serialize().class_name, cls.className);
  }
  assert.deepEqual(get(cases[1][0]).getConfig(), { gain: 2, seed: 7 });
});

const MODELS = fileURLToPath(new URL('../../../../shared/data/models/', import.meta.url));
const MODEL_FILES = new Set(['model.json', 'config.json', 'model_config.json']);

/** Every model.json / config.json / model_config.json below `dir`. */
function modelFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modelFiles(path);
    return MODEL_FILES.has(name) ? [path] : [];
  });
}

/** Every `*_initializer` value of a JSON document (objects and strings; null means "none"). */
function initializerConfigs(node: unknown, found: unknown[] = []): unknown[] {
  if (Array.isArray(node)) for (const item of node) initializerConfigs(item, found);
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (/_initializer$|Initializer$/.test(key)) {
        if (value !== null) found.push(value);
      } else initializerConfigs(value, found);
    }
  }
  return found;
}

test('case 7: every initializer config of every real model file in the shared data folder loads through get', { skip: !existsSync(MODELS) && `${MODELS} is absent` }, () => {
  const files = modelFiles(MODELS);
  assert.ok(files.length >= 9, `found ${files.length} model files`);
  const seen = new Map<string, number>();
  for (const file of files) {
    for (const config of initializerConfigs(JSON.parse(readFileSync(file, 'utf8')))) {
      let init: Initializer;
      try {
        init = get(config as InitializerJson);
      } catch (e) {
        assert.fail(`${file}: ${JSON.stringify(config)} does not load: ${(e as Error).message}`);
      }
      // Every loaded initializer draws on a kernel shape and writes itself back.
      assert.equal(init.apply([4, 3]).data.length, 12);
      assert.doesNotThrow(() => get(init.serialize()));
      seen.set(init.getClassName(), (seen.get(init.getClassName()) ?? 0) + 1);
    }
  }
  for (const name of ['GlorotUniform', 'HeNormal', 'Zeros', 'RandomUniform', 'VarianceScaling', 'Orthogonal']) {
    assert.ok(seen.has(name), `no ${name} among ${[...seen.keys()].join(', ')}`);
  }
});
