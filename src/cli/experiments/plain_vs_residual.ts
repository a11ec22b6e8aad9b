/**
 * `deepwell experiment plain-vs-residual` (He et al. 2016, arXiv:1512.03385, Fig. 1 and section 4.2):
 * plain and residual convnets of the same depth, without batch normalization, on MNIST (or `--data
 * DIR`). For each depth (8, 20 and 32 weighted layers: 3, 9 and 15 blocks of two 3x3 convolutions,
 * between a stem convolution and the softmax layer; `src/cli/resnet.ts`) and each kind:
 *
 * - at initialization, on one batch of training images (`diagnoseModel`): the std of the gradient of
 *   the loss at the output of the first layer (the stem convolution) and at its kernel;
 * - the training loss after N steps of Adam (lr 1e-3, batch 32; N = epochs x train-size / 32),
 *   measured on that same batch of training images, and the test accuracy.
 *
 * The paper's trend (its Fig. 1, CIFAR-10 with batch norm): the deeper plain network has the higher
 * training error, the residual network of the same depth does not degrade. Here the networks have no
 * batch normalization, so the plain network's gradient dies on its way to the first layers (the
 * diagnosis shows by how much) while the shortcuts carry it around the blocks.
 *
 * Sizes: width 8 (filters 8, 16, 32 in the three stages) and a stride-2 stem (14 x 14 maps in the
 * first stage), a quarter of the work of the paper's stride-1 stem, so that a CPU runs the 32-layer
 * networks in minutes. `--quick`: width 4, 8 and 20 layers, 10 steps.
 */
import { setSeed } from '../../core/random.js';
import { type Diagnosis, diagnoseModel } from '../../diagnostics/diagnose.js';
import { depthPlot } from '../../diagnostics/plots.js';
import { figureHtml, formatNumber } from '../../diagnostics/report.js';
import { resetLayerNames } from '../../layers/layer.js';
import { rowRange } from '../../models/batches.js';
import { Adam } from '../../optimizers/adam.js';
import { sampleBatch } from '../dataset_prep.js';
import { parseInitializer } from '../parse_initializer.js';
import { buildResnet } from '../resnet.js';
import { type Claim, type CommonFlags, type Run, describeRun, finish, loadSplits, meanStd, parseCommonFlags, pm } from './common.js';

/** 4 epochs of 800 images: 100 steps of 32, with a point of the loss curve every 25 steps; --quick: 10 steps. */
export const PLAIN_VS_RESIDUAL_SIZES = { trainSize: 800, epochs: 4, quickTrainSize: 320, quickEpochs: 1 };
/** Residual blocks per network: 3, 9, 15 blocks = 8, 20, 32 weighted layers (He et al.'s 6n + 2 with n = 1, 3, 5). */
export const FULL_BLOCKS = [3, 9, 15] as const;
export const QUICK_BLOCKS = [3, 9] as const;
/** Filters of the first stage (then 2x, 4x). */
export const FULL_WIDTH = 8;
export const QUICK_WIDTH = 4;
/** Images in the batch diagnosed at initialization and on which the training loss is measured after training. */
export const PROBE_BATCH = 256;
export const QUICK_PROBE_BATCH = 64;
export const BATCH_SIZE = 32;
/** Test images evaluated after training (the first ones of the test set): the 32-layer nets' forward pass is the cost. */
export const TEST_SIZE = 1000;
export const QUICK_TEST_SIZE = 500;
export const LEARNING_RATE = 1e-3;
/** The init-time check: the deepest plain net's first-layer gradient std below this fraction of the residual one's. */
export const GRADIENT_GAP = 0.1;
/** The initializer without --init: Keras's default for Conv2D, which the plain networks' depth defeats. */
export const DEFAULT_INIT = 'glorot_uniform';

export interface PlainVsResidualFlags extends CommonFlags {
  /** `--init NAME`: kernel initializer of every convolution (default glorot_uniform). */
  init?: string;
}

/** 'plain 20' / 'residual 20': the kind and the number of weighted layers. */
function configName(residual: boolean, blocks: number): string {
  return `${residual ? 'residual' : 'plain'} ${2 * blocks + 2}`;
}

/** Per-seed checks, each over the deepest and the shallowest depth. */
function checks(runs: readonly Run[], blocks: readonly number[]): { gradient: (rs: Run[]) => boolean; training: (rs: Run[]) => boolean } {
  const deep = blocks[blocks.length - 1];
  const shallow = blocks[0];
  const fig = (rs: Run[], residual: boolean, b: number, key: string): number => rs.find((r) => r.config === configName(residual, b))?.test[key] ?? NaN;
  return {
    gradient: (rs) => fig(rs, false, deep, 'gradientStdAtInit') < GRADIENT_GAP * fig(rs, true, deep, 'gradientStdAtInit'),
    training: (rs) => fig(rs, false, deep, 'trainLoss') > fig(rs, false, shallow, 'trainLoss') && fig(rs, true, deep, 'trainLoss') < fig(rs, false, deep, 'trainLoss'),
  };
}

export async function runPlainVsResidual(flags: PlainVsResidualFlags): Promise<Record<string, unknown>> {
  const started = performance.now();
  const s = parseCommonFlags(flags, PLAIN_VS_RESIDUAL_SIZES);
  const init = parseInitializer(flags.init ?? DEFAULT_INIT);
  const blocks = s.quick ? QUICK_BLOCKS : FULL_BLOCKS;
  const width = s.quick ? QUICK_WIDTH : FULL_WIDTH;
  const loaded = await loadSplits(s, false);
  const nTest = Math.min(s.quick ? QUICK_TEST_SIZE : TEST_SIZE, loaded.test.x.shape[0]);
  const splits = { ...loaded, test: { x: rowRange(loaded.test.x, 0, nTest), y: rowRange(loaded.test.y, 0, nTest) } };
  const steps = s.epochs * Math.ceil(s.trainSize / BATCH_SIZE);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const model = `stem conv stride 2, blocks of two 3x3 convs (filters ${width}-${2 * width}-${4 * width}), global average pooling, softmax; relu, ${init}, no batch norm; Adam lr ${LEARNING_RATE}, batch ${BATCH_SIZE}, ${steps} steps`;
  log(`deepwell experiment plain-vs-residual: ${describeRun(s, splits)}; ${model}`);
  const runs: Run[] = [];
  const diagnoses = new Map<string, Diagnosis>();
  for (const seed of s.seeds) {
    const probe = sampleBatch(splits.train.x, splits.train.y, s.quick ? QUICK_PROBE_BATCH : PROBE_BATCH, seed);
    for (const b of blocks) {
      for (const residual of [false, true]) {
        const t0 = performance.now();
        const config = configName(residual, b);
        setSeed(seed);
        resetLayerNames();
        const net = buildResnet({ inputShape: splits.inputShape, depth: b, activation: 'relu', init, classes: splits.classes, residual, width, stemStrides: 2 });
        net.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new Adam({ learningRate: LEARNING_RATE }), metrics: ['accuracy'], initializerAdvice: false });
        const d = diagnoseModel(net, probe.x, probe.y);
        if (seed === s.seeds[0]) diagnoses.set(config, d);
        const history = await net.fit(splits.train.x, splits.train.y, { epochs: s.epochs, batchSize: BATCH_SIZE, seed, verbose: 0 });
        const trained = net.evaluate(probe.x, probe.y, { batchSize: 256 });
        const test = net.evaluate(splits.test.x, splits.test.y, { batchSize: 256 });
        const seconds = (performance.now() - t0) / 1000;
        const figures = {
          loss: test.loss, accuracy: test.accuracy ?? NaN, trainLoss: trained.loss, initialLoss: d.loss,
          gradientStdAtInit: d.layers[0].gradientStd, kernelGradientStdAtInit: d.layers[0].kernelGradientStd,
        };
        const stopped = Number.isFinite(trained.loss) ? null : `training loss ${trained.loss} after ${steps} steps`;
        runs.push({ config, seed, history: history.history, test: figures, seconds, stopped });
        log(`  ${config} seed ${seed}: first-layer gradient std at init ${formatNumber(figures.gradientStdAtInit)} (verdict ${d.verdict.kind}), training loss ${d.loss.toFixed(3)} -> ${trained.loss.toFixed(3)} after ${steps} steps, test accuracy ${figures.accuracy.toFixed(4)}, ${seconds.toFixed(1)}s`);
      }
    }
  }
  const of = (residual: boolean, b: number, key: string): string => pm(runs.filter((r) => r.config === configName(residual, b)).map((r) => r.test[key]), 4);
  const sci = (residual: boolean, b: number, key: string): string => {
    const v = meanStd(runs.filter((r) => r.config === configName(residual, b)).map((r) => r.test[key]));
    return v.n === 0 ? 'n/a' : v.n === 1 ? formatNumber(v.mean) : `${formatNumber(v.mean)} ± ${formatNumber(v.std)}`;
  };
  const rows = blocks.map((b) => [String(2 * b + 2), sci(false, b, 'gradientStdAtInit'), sci(true, b, 'gradientStdAtInit'),
    of(false, b, 'trainLoss'), of(true, b, 'trainLoss'), of(false, b, 'accuracy'), of(true, b, 'accuracy')]);
  const c = checks(runs, blocks);
  const deep = 2 * blocks[blocks.length - 1] + 2;
  const shallow = 2 * blocks[0] + 2;
  const bySeed = (ok: (rs: Run[]) => boolean): number => s.seeds.filter((seed) => ok(runs.filter((r) => r.seed === seed))).length;
  const gradientSeeds = bySeed(c.gradient);
  const trainingSeeds = bySeed(c.training);
  const heldSeeds = bySeed((rs) => c.gradient(rs) && c.training(rs));
  const claim: Claim = {
    statement: `He et al. 2016 (Fig. 1): the deeper plain network trains worse, the residual network of the same depth does not; without batch norm the plain network's gradient dies before its first layer, the shortcuts carry it there.`,
    criterion: `first-layer gradient std at init of plain ${deep} < ${GRADIENT_GAP} x residual ${deep}, and training loss after ${steps} steps of plain ${deep} > plain ${shallow} and residual ${deep} < plain ${deep}`,
    held: heldSeeds >= Math.ceil((2 * s.seeds.length) / 3), heldSeeds, seeds: s.seeds.length,
  };
  const layers = Math.max(...[...diagnoses.values()].map((d) => d.layers.length));
  const points = [...diagnoses].flatMap(([config, d]) => d.layers.map((l) => ({ series: config, depth: l.depth, layer: l.name, value: l.gradientStd })));
  return finish({
    experiment: 'plain-vs-residual', settings: s, started, claim, runs,
    dataLine: `${describeRun(s, splits)}; ${model}`,
    table: { header: ['layers', 'plain grad std (layer 1, init)', 'residual grad std (layer 1, init)', `plain train loss (${steps} steps)`, `residual train loss (${steps} steps)`, 'plain test acc', 'residual test acc'], rows },
    notes: [
      `Gradient std: of dLoss/d(output of the stem convolution) on ${s.quick ? QUICK_PROBE_BATCH : PROBE_BATCH} training images at initialization; training loss: on the same images after training.`,
      `Parts of the criterion: gradient held in ${gradientSeeds} of ${s.seeds.length} seed(s), training in ${trainingSeeds} of ${s.seeds.length}.`,
      'He et al. (CIFAR-10, with batch norm, SGD): plain-56 has a higher training error than plain-20 throughout training; ResNet-56 a lower one than ResNet-20. Here: no batch norm, MNIST, a short run: compare the trend, not the digits.',
      `With --init he_normal the plain networks keep more of their gradient, and the residual ones grow their signal with every block (variance x2 per block without batch norm): try both.`,
    ],
    sections: [{
      title: 'Gradients by layer at initialization',
      html: figureHtml({ id: 'gradient-std-init', title: 'Gradient std by layer at initialization (first seed)', layers, plot: await depthPlot(points, 'gradient std'),
        caption: 'Std of dLoss/d(output) of each layer with a kernel (1 = the stem convolution, last = the softmax layer, at its logits), on one batch of training images. The plain networks\' lines fall towards the first layer; the residual ones stay up.' }),
    }],
    extra: { checks: { gradient: { heldSeeds: gradientSeeds }, training: { heldSeeds: trainingSeeds } }, steps, blocks: [...blocks], width, init },
  });
}
