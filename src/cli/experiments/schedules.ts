/**
 * `deepwell experiment schedules` (HML ch. 11, F): hml3's build_model with plain SGD under the
 * section's learning-rate schedules: constant 0.01, power (InverseTimeDecay 0.01 / 10,000 steps),
 * exponential (ExponentialDecay 0.01, 0.1 per 20,000 steps), piecewise constant (0.01 / 0.005 / 0.001
 * at 50,000 and 80,000 steps), ReduceLROnPlateau (factor 0.5, patience 5) and 1cycle (max 0.1, batch
 * 32 here). Step boundaries are scaled to this run's steps (the book's assume 1,719 steps per epoch).
 * Book figures: val_accuracy at the last epoch (hml3 idx 113-160; 10 or 25 epochs).
 */
import type { Callback } from '../../callbacks/callback.js';
import { ReduceLROnPlateau } from '../../callbacks/reduce_lr_on_plateau.js';
import { SGD } from '../../optimizers/sgd.js';
import { ExponentialDecay } from '../../optimizers/schedules/exponential_decay.js';
import { InverseTimeDecay } from '../../optimizers/schedules/inverse_time_decay.js';
import { OneCycle } from '../../optimizers/schedules/one_cycle.js';
import { PiecewiseConstantDecay } from '../../optimizers/schedules/piecewise_constant_decay.js';
import type { LearningRateSchedule } from '../../optimizers/schedules/learning_rate_schedule.js';
import { type CommonFlags, type CommonSettings, type Splits, at, claimOverSeeds } from './common.js';
import { type CompareConfig, runCompare } from './compare.js';
import { buildModel3x100 } from './optimizers.js';

export const SCHEDULES_SIZES = { trainSize: 10000, epochs: 10, quickTrainSize: 1000, quickEpochs: 2 };
/** The book's steps per epoch (55,000 / 32). */
const BOOK_STEPS_PER_EPOCH = 1719;

const steps = (s: CommonSettings, sp: Splits): number => Math.ceil(sp.train.x.shape[0] / 32) * s.epochs;
/** A step count of the book's run scaled to this run (same share of the training). */
const scaled = (bookSteps: number, s: CommonSettings, sp: Splits, bookEpochs: number): number => Math.max(1, Math.round((bookSteps / (BOOK_STEPS_PER_EPOCH * bookEpochs)) * steps(s, sp)));

const SCHEDULES: readonly { name: string; lr: (s: CommonSettings, sp: Splits) => number | LearningRateSchedule; callbacks?: () => Callback[]; book: string }[] = [
  { name: 'constant 0.01', lr: () => 0.01, book: '' },
  { name: 'power (inverse time)', lr: (s, sp) => new InverseTimeDecay({ initialLearningRate: 0.01, decaySteps: scaled(10000, s, sp, 10), decayRate: 1 }), book: '0.8714 (10 ep.)' },
  { name: 'exponential', lr: (s, sp) => new ExponentialDecay({ initialLearningRate: 0.01, decaySteps: scaled(20000, s, sp, 10), decayRate: 0.1 }), book: '0.8662 (10 ep.)' },
  { name: 'piecewise constant', lr: (s, sp) => new PiecewiseConstantDecay({ boundaries: [scaled(50000, s, sp, 10), scaled(80000, s, sp, 10)], values: [0.01, 0.005, 0.001] }), book: '0.8716 (10 ep.)' },
  { name: 'reduce on plateau', lr: () => 0.01, callbacks: () => [new ReduceLROnPlateau({ factor: 0.5, patience: 5 })], book: '0.8868 (25 ep.)' },
  { name: '1cycle max 0.1', lr: (s, sp) => new OneCycle({ maxLearningRate: 0.1, totalSteps: steps(s, sp) }), book: '0.8920 (25 ep., batch 128)' },
];

const CONFIGS: CompareConfig[] = SCHEDULES.map((x) => ({
  name: x.name, book: x.book, build: buildModel3x100,
  compile: (m, s, sp) => m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: x.lr(s, sp) }), metrics: ['accuracy'], initializerAdvice: false }),
  callbacks: x.callbacks !== undefined ? () => x.callbacks?.() ?? [] : undefined,
}));

export function runSchedules(flags: CommonFlags): Promise<Record<string, unknown>> {
  return runCompare({
    experiment: 'schedules', sizes: SCHEDULES_SIZES, standardize: false, configs: CONFIGS,
    model: 'Flatten -> 3 x Dense(100, relu, he_normal) -> softmax, plain SGD, batch 32, pixels / 255; schedule boundaries scaled to this run',
    claim: (runs, s) => claimOverSeeds([...runs], s.seeds, (rs) => {
      const constant = at(rs.find((r) => r.config === 'constant 0.01') ?? rs[0], 'val_accuracy');
      return rs.some((r) => r.config !== 'constant 0.01' && at(r, 'val_accuracy') >= constant);
    }, 'A learning-rate schedule does at least as well as a constant learning rate.', 'some schedule has val_accuracy >= constant 0.01 at the last epoch'),
    notes: ['Book: hml3 idx 111-160 (Fashion-MNIST, 55,000 images); several of its cells ran 25 epochs (stale outputs, see the reference).'],
  }, flags);
}
