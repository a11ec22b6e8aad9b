// The chapter's table (Glorot: none/tanh/sigmoid/softmax; He: ReLU family; LeCun: SELU) and the
// warnings compile() gives for pairings that depart from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, RandomNormal, VarianceScaling, Zeros,
  adviseInitializer, familyForActivation,
} from '../../src/initializers/index.js';
import { Dense } from '../../src/layers/dense.js';
import { Activation, Add, BatchNormalization, Conv2D, Dropout, Input } from '../../src/layers/index.js';
import { Model } from '../../src/models/model.js';
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

test('advice follows a linear layer through BatchNormalization / Add / Dropout to the activation its output reaches', () => {
  const advise = (model: Sequential | Model): string[] => {
    const messages: string[] = [];
    model.compile({ loss: 'mean_squared_error', optimizer: 'sgd', initializerAdvice: (m) => messages.push(m) });
    return messages;
  };
  // deepwell train --batch-norm: Dense(linear, lecun_normal) -> BN -> Activation('selu'): lecun_normal is SELU's, no advice
  // (before, the Dense was checked as 'linear' and glorot_uniform was suggested).
  assert.deepEqual(advise(new Sequential([
    new Dense(8, { kernelInitializer: 'lecun_normal', useBias: false, inputShape: [4] }), new BatchNormalization(), new Activation('selu'),
    new Dropout(0.1), new Dense(2, { activation: 'softmax' }),
  ])), []);
  // The same chain with he_normal is a real mismatch, for SELU (the effective activation), not for 'linear'.
  const bnHe = advise(new Sequential([new Dense(8, { kernelInitializer: 'he_normal', inputShape: [4] }), new BatchNormalization(), new Dropout(0.2), new Activation('selu')]));
  assert.equal(bnHe.length, 1);
  assert.match(bnHe[0], /Dense "dense_\d+": the layer is linear, its output reaches activation 'selu'; activation 'selu' with kernel initializer 'he_normal'.*lecun_normal/);
  // A functional residual block (the second conv of deepwell's resnet): conv(relu, he) -> conv(linear, he) -> BN -> Add(shortcut) -> relu.
  const x = Input({ shape: [6, 6, 4] });
  const c1 = new Conv2D(4, 3, { padding: 'same', activation: 'relu', kernelInitializer: 'he_normal' }).apply(x);
  const c2 = new BatchNormalization().apply(new Conv2D(4, 3, { padding: 'same', kernelInitializer: 'he_normal' }).apply(c1));
  const out = new Activation('relu').apply(new Add().apply([x, c2]));
  assert.deepEqual(advise(new Model({ inputs: x, outputs: out })), []);
  // A real mismatch in a plain layer still warns: Dense(relu) with lecun_normal.
  const relu = advise(new Sequential([new Dense(8, { activation: 'relu', kernelInitializer: 'lecun_normal', inputShape: [4] }), new Dense(1)]));
  assert.equal(relu.length, 1);
  assert.match(relu[0], /'relu' with kernel initializer 'lecun_normal'.*he_normal/);
  // A linear layer with no activation after it (the output, or another Dense) stays 'linear': he_normal there is advised glorot_uniform.
  const out2 = advise(new Sequential([new Dense(8, { kernelInitializer: 'he_normal', inputShape: [4] }), new Dense(1, { kernelInitializer: 'glorot_uniform' })]));
  assert.equal(out2.length, 1);
  assert.match(out2[0], /activation 'linear' with kernel initializer 'he_normal'.*glorot_uniform/);
});
