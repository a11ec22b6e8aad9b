/**
 * `deepwell experiment optimizers` (HML ch. 11, E): hml3's build_model (Flatten -> 3 x Dense(100,
 * relu, he_normal) -> softmax, pixels / 255, batch 32, 10 epochs) with each optimizer of the
 * section at the book's settings. Book figures: val_accuracy after epoch 10 (hml3 idx 80-105; its
 * plain-SGD cell is a stale copy of the momentum cell, so none is shown for plain SGD).
 */
import { Dense } from '../../layers/dense.js';
import { Flatten } from '../../layers/flatten.js';
import { Sequential } from '../../models/sequential.js';
import type { Optimizer } from '../../optimizers/optimizer.js';
import { SGD } from '../../optimizers/sgd.js';
import { Adagrad } from '../../optimizers/adagrad.js';
import { RMSprop } from '../../optimizers/rmsprop.js';
import { Adam } from '../../optimizers/adam.js';
import { Adamax } from '../../optimizers/adamax.js';
import { Nadam } from '../../optimizers/nadam.js';
import { AdamW } from '../../optimizers/adamw.js';
import type { Splits } from './common.js';
import { type CommonFlags, at, claimOverSeeds } from './common.js';
import { type CompareConfig, runCompare } from './compare.js';

export const OPTIMIZERS_SIZES = { trainSize: 10000, epochs: 10, quickTrainSize: 1000, quickEpochs: 2 };

/** hml3's build_model. */
export function buildModel3x100(sp: Splits): Sequential {
  return new Sequential([new Flatten({ inputShape: sp.inputShape }), ...[0, 1, 2].map(() => new Dense(100, { activation: 'relu', kernelInitializer: 'he_normal' })), new Dense(sp.classes, { activation: 'softmax' })]);
}

const OPTIMIZERS: readonly { name: string; make: () => Optimizer; book: string }[] = [
  { name: 'SGD 0.001', make: () => new SGD({ learningRate: 1e-3 }), book: '(stale cell)' },
  { name: 'SGD momentum 0.9', make: () => new SGD({ learningRate: 1e-3, momentum: 0.9 }), book: '0.8672' },
  { name: 'SGD Nesterov 0.9', make: () => new SGD({ learningRate: 1e-3, momentum: 0.9, nesterov: true }), book: '0.8708' },
  { name: 'Adagrad', make: () => new Adagrad({ learningRate: 1e-3 }), book: '0.8424' },
  { name: 'RMSprop rho 0.9', make: () => new RMSprop({ learningRate: 1e-3, rho: 0.9 }), book: '0.8636' },
  { name: 'Adam', make: () => new Adam({ learningRate: 1e-3 }), book: '0.8696' },
  { name: 'Adamax', make: () => new Adamax({ learningRate: 1e-3 }), book: '0.8780' },
  { name: 'Nadam', make: () => new Nadam({ learningRate: 1e-3 }), book: '0.8740' },
  { name: 'AdamW wd 1e-5', make: () => new AdamW({ learningRate: 1e-3, weightDecay: 1e-5 }), book: '0.8702' },
];

const CONFIGS: CompareConfig[] = OPTIMIZERS.map((o) => ({
  name: o.name, book: o.book, build: buildModel3x100,
  compile: (m) => m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: o.make(), metrics: ['accuracy'], initializerAdvice: false }),
}));

export function runOptimizers(flags: CommonFlags): Promise<Record<string, unknown>> {
  return runCompare({
    experiment: 'optimizers', sizes: OPTIMIZERS_SIZES, standardize: false, configs: CONFIGS,
    model: 'Flatten -> 3 x Dense(100, relu, he_normal) -> softmax (hml3 build_model), learning rate 0.001, batch 32, pixels / 255',
    claim: (runs, s) => claimOverSeeds([...runs], s.seeds, (rs) => {
      const v = (name: string): number => at(rs.find((r) => r.config === name) ?? rs[0], 'val_accuracy');
      return v('SGD momentum 0.9') > v('SGD 0.001') && v('Adam') > v('SGD 0.001');
    }, 'Momentum and adaptive optimizers train much faster than plain SGD at the same learning rate.', 'val_accuracy at the last epoch: SGD with momentum 0.9 > plain SGD, and Adam > plain SGD'),
    notes: ['Book: hml3 idx 80-105 (Fashion-MNIST, 55,000 images, 10 epochs).'],
  }, flags);
}
