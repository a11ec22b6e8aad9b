// The chapter's table (Glorot: none/tanh/sigmoid/softmax; He: ReLU family; LeCun: SELU) and the
// warnings compile() gives for pairings that depart from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, RandomNormal, VarianceScaling, Zeros,
  adviseInitializer, familyForActivation,
} from '../../src/initializers/index.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/models/sequential.js';

test('pairings that follow the table get no advice', () => {
  for (const [act, init] of [
    ['relu', new HeNormal()], ['relu', new HeUniform()], ['elu', new HeNormal()], ['leaky_relu', new HeUniform()],
    ['tanh', new GlorotUniform()], ['sigmoid', new GlorotNormal()], ['softmax', new GlorotUniform()], ['linear', new GlorotUniform()],
    ['selu', new LecunNormal()], ['selu', new VarianceScaling({ scale: 1, mode: 'fan_in', distribution: 'untruncated_normal' })],
  ] as const) {
    assert.equal(adviseInitializer(act, init), null, `${act} + ${init.getClassName()}`);
  }
});

test("the issue's three departures are named with the initializer to use", () => {
  const sigmoidHe = adviseInitializer('sigmoid', new HeNormal());
  assert.equal(sigmoidHe?.recommended, 'glorot_uniform');
  assert.match(sigmoidHe!.message, /'sigmoid' with kernel initializer 'he_normal'.*Use kernelInitializer: 'glorot_uniform'/);
  const reluGlorot = adviseInitializer('relu', new GlorotUniform());
  assert.equal(reluGlorot?.recommended, 'he_normal');
  assert.match(reluGlorot!.message, /halves/);
  for (const init of [new GlorotUniform(), new HeNormal(), new LecunUniform()]) {
    assert.equal(adviseInitializer('selu', init)?.recommended, 'lecun_normal', init.getClassName());
  }
});

test('fixed-scale and constant kernels depart from every row; custom VarianceScaling is left alone', () => {
  assert.match(adviseInitializer('relu', new RandomNormal({ stddev: 1 }))!.message, /ignores the layer's fan/);
  assert.match(adviseInitializer('tanh', new Zeros())!.message, /same thing/);
  // The book's VarianceScaling(scale=2, mode='fan_avg') is a deliberate choice: no advice.
  assert.equal(adviseInitializer('sigmoid', new VarianceScaling({ scale: 2, mode: 'fan_avg', distribution: 'uniform' })), null);
  assert.equal(familyForActivation('not_in_table'), undefined);
  assert.equal(adviseInitializer('not_in_table', new Zeros()), null);
});

test('compile warns once per departing layer, names it, and can be silenced', () => {
  const model = new Sequential([
    new Dense(8, { activation: 'sigmoid', kernelInitializer: 'he_normal', inputShape: [4] }),
    new Dense(8, { activation: 'relu', kernelInitializer: 'glorot_uniform' }),
    new Dense(8, { activation: 'relu', kernelInitializer: 'he_normal' }),
    new Dense(3, { activation: 'softmax' }),
  ]);
  const messages: string[] = [];
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', initializerAdvice: (m) => messages.push(m) });
  assert.equal(messages.length, 2);
  assert.match(messages[0], new RegExp(`Dense "${model.layers[0].name}".*'sigmoid'.*'he_normal'.*glorot_uniform`));
  assert.match(messages[1], new RegExp(`Dense "${model.layers[1].name}".*'relu'.*'glorot_uniform'.*he_normal`));
  model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd', initializerAdvice: (m) => messages.push(m) });
  assert.equal(messages.length, 2, 'once per layer');
  const quiet = new Sequential([new Dense(2, { activation: 'selu', kernelInitializer: 'glorot_uniform', inputShape: [2] })]);
  const none: string[] = [];
  quiet.compile({ loss: 'mean_squared_error', optimizer: 'sgd', initializerAdvice: false });
  assert.deepEqual(none, []);
});

test('PyTorch helpers are classified by the variance they give: xavier is Glorot, kaiming(relu) is He', async () => {
  const { XavierUniform, KaimingNormal } = await import('../../src/initializers/index.js');
  assert.equal(adviseInitializer('tanh', new XavierUniform()), null);
  assert.equal(adviseInitializer('relu', new KaimingNormal()), null);
  assert.equal(adviseInitializer('relu', new XavierUniform())?.recommended, 'he_normal');
  // kaiming_normal with nonlinearity 'linear' has variance 1/fan_in: the LeCun row, fine for SELU (a normal).
  assert.equal(adviseInitializer('selu', new KaimingNormal({ nonlinearity: 'linear' })), null);
});
