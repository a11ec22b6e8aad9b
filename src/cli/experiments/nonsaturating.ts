/**
 * `deepwell experiment nonsaturating` (HML ch. 11, A4 / A5): the 300/100 MLP of A4 (Dense with
 * he_normal, SGD 1e-3, pixels / 255) with each non-saturating activation: ReLU, leaky ReLU (0.2, as
 * the book), PReLU, ELU, SELU (lecun_normal), GELU, Swish. The book trains leaky ReLU (val_accuracy
 * 0.8396 after 10 epochs) and PReLU (0.8398); the others are the chapter's text.
 */
import { Activation } from '../../layers/activation.js';
import { Dense } from '../../layers/dense.js';
import { Flatten } from '../../layers/flatten.js';
import { LeakyReLU } from '../../layers/leaky_relu.js';
import { PReLU } from '../../layers/prelu.js';
import type { Layer } from '../../layers/layer.js';
import { Sequential } from '../../models/sequential.js';
import { SGD } from '../../optimizers/sgd.js';
import { type CommonFlags, at, claimOverSeeds } from './common.js';
import { type CompareConfig, runCompare } from './compare.js';

export const NONSATURATING_SIZES = { trainSize: 10000, epochs: 10, quickTrainSize: 1000, quickEpochs: 2 };
const ACTIVATIONS: readonly { name: string; layer: () => Layer; init: string; book: string }[] = [
  { name: 'relu', layer: () => new Activation('relu'), init: 'he_normal', book: '' },
  { name: 'leaky_relu 0.2', layer: () => new LeakyReLU({ negativeSlope: 0.2 }), init: 'he_normal', book: '0.8396 (A4)' },
  { name: 'prelu', layer: () => new PReLU(), init: 'he_normal', book: '0.8398 (A5)' },
  { name: 'elu', layer: () => new Activation('elu'), init: 'he_normal', book: '' },
  { name: 'selu', layer: () => new Activation('selu'), init: 'lecun_normal', book: '' },
  { name: 'gelu', layer: () => new Activation('gelu'), init: 'he_normal', book: '' },
  { name: 'swish', layer: () => new Activation('swish'), init: 'he_normal', book: '' },
];

const CONFIGS: CompareConfig[] = ACTIVATIONS.map((a) => ({
  name: a.name, book: a.book,
  build: (sp) => new Sequential([new Flatten({ inputShape: sp.inputShape }), new Dense(300, { kernelInitializer: a.init }), a.layer(), new Dense(100, { kernelInitializer: a.init }), a.layer(), new Dense(sp.classes, { activation: 'softmax' })]),
  compile: (m) => m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: 1e-3 }), metrics: ['accuracy'], initializerAdvice: false }),
}));

export function runNonsaturating(flags: CommonFlags): Promise<Record<string, unknown>> {
  return runCompare({
    experiment: 'nonsaturating', sizes: NONSATURATING_SIZES, standardize: false, configs: CONFIGS,
    model: 'Flatten -> Dense(300) -> act -> Dense(100) -> act -> softmax, he_normal (selu: lecun_normal), SGD lr 0.001, batch 32, pixels / 255',
    claim: (runs, s) => claimOverSeeds([...runs], s.seeds, (rs) => {
      const relu = at(rs.find((r) => r.config === 'relu') ?? rs[0], 'val_accuracy');
      return rs.some((r) => r.config !== 'relu' && at(r, 'val_accuracy') > relu);
    }, 'Variants of ReLU (leaky ReLU, PReLU, ELU, SELU, GELU, Swish) do at least as well as ReLU.', `some non-ReLU activation has a higher val_accuracy than ReLU at the last epoch`),
    notes: ['Book: hml2 idx 21-27 (Fashion-MNIST, 55,000 images, 10 epochs); only leaky ReLU and PReLU are trained there.'],
  }, flags);
}
