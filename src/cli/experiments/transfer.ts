/**
 * `deepwell experiment transfer` (HML ch. 11, D): reusing pretrained layers, the book's model A /
 * model B protocol (hml3 idx 63-76) on an analogous split of the data:
 *
 * - task A: every class but the pair of task B (8 classes, relabelled 0..7 in ascending order);
 *   model A = Flatten -> 3 x Dense(100, relu, he_normal) -> Dense(8, softmax), SGD 1e-3, trained on
 *   task A's share of the first `--train-size` training images;
 * - task B: the binary task pair[0] vs pair[1] (label 1 for the second) with only the first
 *   TASK_B_SIZE training images of those classes; model B = the same hidden stack + Dense(1, sigmoid)
 *   from scratch, SGD 1e-3, 20 epochs;
 * - B on A: model A's hidden layers (copied; A's output layer dropped), a new Dense(1, sigmoid); 4
 *   epochs with the reused layers frozen, then 16 epochs with them unfrozen (recompiled, SGD 1e-3).
 *
 * The pair (TRANSFER_PAIRS): on Fashion-MNIST the book's hml3 pair, T-shirt/top (0) vs pullover (2), two
 * classes that are hard to tell apart and whose features task A's shirt and coat share. On MNIST the
 * same logic gives 4 vs 9, the digits MNIST classifiers confuse most, built from strokes that task
 * A's 7 (the 9's slanted stem under a top bar) and 1 share. (The book's hml2 pair, sandal vs shirt, is
 * an easy pair the book admits it tortured into a 4.9 ratio; on MNIST its stand-in 5 vs 6 gave
 * ratios of 0.84 and 0.85.)
 * Error-rate ratio = (1 - test accuracy of B) / (1 - test accuracy of B on A): the book gets 1.33
 * (hml3: 91.85% -> 93.85%) and 4.9 (hml2: 97.05% -> 99.40%).
 */
import { Tensor } from '../../core/tensor.js';
import { setSeed } from '../../core/random.js';
import { Dense } from '../../layers/dense.js';
import { Flatten } from '../../layers/flatten.js';
import { resetLayerNames } from '../../layers/layer.js';
import { Sequential } from '../../models/sequential.js';
import { SGD } from '../../optimizers/sgd.js';
import { type CommonFlags, type Run, type Splits, at, claimOverSeeds, describeRun, finish, loadSplits, parseCommonFlags, pm, trainRun } from './common.js';

export const TRANSFER_SIZES = { trainSize: 55000, epochs: 20, quickTrainSize: 20000, quickEpochs: 10 };
/** The two classes of task B, [label 0, label 1]: hml3's T-shirt/top vs pullover; on MNIST 4 vs 9 (see above). */
export const TRANSFER_PAIRS = { fashion: [0, 2], mnist: [4, 9] } as const;
/** Training images of task B (the book's 200). */
export const TASK_B_SIZE = 200;
export const TRANSFER_LR = 1e-3;
/** Epochs of task B: frozen, then unfrozen (the book's 4 + 16; model B from scratch gets the 20). */
export const FROZEN_EPOCHS = 4;
export const UNFROZEN_EPOCHS = 16;
const HIDDEN = [100, 100, 100];

/** Task B's pair for the data set: the book's on Fashion-MNIST, 4 vs 9 otherwise. */
export function transferPair(splits: Splits): readonly [number, number] {
  return splits.kind === 'Fashion-MNIST' ? TRANSFER_PAIRS.fashion : TRANSFER_PAIRS.mnist;
}

/** The rows of x, y whose label passes `keep`, labels mapped, at most `limit` of them. */
function select(part: { x: Tensor; y: Tensor }, keep: (label: number) => boolean, map: (label: number) => number, limit = Infinity): { x: Tensor; y: Tensor } {
  const n = part.x.shape[0];
  const row = part.x.size / Math.max(n, 1);
  const idx: number[] = [];
  for (let i = 0; i < n && idx.length < limit; i++) if (keep(part.y.data[i])) idx.push(i);
  const x = new Float32Array(idx.length * row);
  const y = new Float32Array(idx.length);
  idx.forEach((src, j) => {
    x.set(part.x.data.subarray(src * row, (src + 1) * row), j * row);
    y[j] = map(part.y.data[src]);
  });
  return { x: new Tensor(x, [idx.length, ...part.x.shape.slice(1)]), y: new Tensor(y, [idx.length]) };
}

/** Task A and task B splits of the data. */
export function taskSplits(splits: Splits, pair: readonly [number, number]): { a: Splits; b: Splits } {
  const [c0, c1] = pair;
  const inB = (l: number): boolean => l === c0 || l === c1;
  // Task A's labels in ascending order of the classes kept (hml3's old_class_ids).
  const mapA = (l: number): number => l - (l > c0 ? 1 : 0) - (l > c1 ? 1 : 0);
  const mapB = (l: number): number => (l === c1 ? 1 : 0);
  const a = { ...splits, classes: splits.classes - 2, train: select(splits.train, (l) => !inB(l), mapA), val: select(splits.val, (l) => !inB(l), mapA), test: select(splits.test, (l) => !inB(l), mapA) };
  // Binary crossentropy wants the targets as [n, 1], like the sigmoid output.
  const column = (p: { x: Tensor; y: Tensor }): { x: Tensor; y: Tensor } => ({ x: p.x, y: new Tensor(p.y.data, [p.y.size, 1]) });
  const b = { ...splits, classes: 2, train: column(select(splits.train, inB, mapB, TASK_B_SIZE)), val: column(select(splits.val, inB, mapB)), test: column(select(splits.test, inB, mapB)) };
  return { a, b };
}

function stack(inputShape: readonly number[], output: Dense): Sequential {
  return new Sequential([new Flatten({ inputShape }), ...HIDDEN.map((u) => new Dense(u, { activation: 'relu', kernelInitializer: 'he_normal' })), output]);
}

const compileB = (m: Sequential): void => m.compile({ loss: 'binary_crossentropy', optimizer: new SGD({ learningRate: TRANSFER_LR }), metrics: ['accuracy'], initializerAdvice: false });

export async function runTransfer(flags: CommonFlags): Promise<Record<string, unknown>> {
  const started = performance.now();
  const s = parseCommonFlags(flags, TRANSFER_SIZES);
  const splits = await loadSplits(s, false);
  const pair = transferPair(splits);
  const { a, b } = taskSplits(splits, pair);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  log(`deepwell experiment transfer: ${describeRun(s, splits)}; task A ${a.train.x.shape[0]} images (8 classes), task B ${b.train.x.shape[0]} images (${pair[0]} vs ${pair[1]})`);
  const runs: Run[] = [];
  for (const seed of s.seeds) {
    const modelA = await trainRun({
      config: 'model A (task A)', seed, splits: a, epochs: s.epochs, build: () => stack(a.inputShape, new Dense(8, { activation: 'softmax' })),
      compile: (m) => m.compile({ loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ learningRate: TRANSFER_LR }), metrics: ['accuracy'], initializerAdvice: false }),
    }, log);
    runs.push({ ...modelA, model: undefined } as Run);
    const scratch = await trainRun({ config: 'model B from scratch', seed, splits: b, epochs: FROZEN_EPOCHS + UNFROZEN_EPOCHS, build: () => stack(b.inputShape, new Dense(1, { activation: 'sigmoid' })), compile: compileB }, log);
    runs.push({ ...scratch, model: undefined } as Run);
    // B on A: A's hidden weights copied into a fresh stack (A itself stays as trained), a new output layer.
    const t0 = performance.now();
    setSeed(seed);
    resetLayerNames();
    const bOnA = stack(b.inputShape, new Dense(1, { activation: 'sigmoid' }));
    const weightsA = modelA.model.getWeights();
    bOnA.setWeights([...weightsA.slice(0, -2), ...bOnA.getWeights().slice(-2)]);
    const hidden = bOnA.layers.slice(0, -1);
    for (const l of hidden) l.trainable = false;
    compileB(bOnA);
    const fitB = { batchSize: 32, seed, validationData: [b.val.x, b.val.y] as [Tensor, Tensor], verbose: 0 as const };
    const frozen = await bOnA.fit(b.train.x, b.train.y, { ...fitB, epochs: FROZEN_EPOCHS });
    for (const l of hidden) l.trainable = true;
    compileB(bOnA);
    const unfrozen = await bOnA.fit(b.train.x, b.train.y, { ...fitB, epochs: FROZEN_EPOCHS + UNFROZEN_EPOCHS, initialEpoch: FROZEN_EPOCHS });
    const history: Record<string, number[]> = {};
    for (const k of Object.keys(frozen.history)) history[k] = [...frozen.history[k], ...(unfrozen.history[k] ?? [])];
    const test = bOnA.evaluate(b.test.x, b.test.y, { batchSize: 256 });
    const seconds = (performance.now() - t0) / 1000;
    log(`  model B on A seed ${seed}: test accuracy ${(test.accuracy ?? NaN).toFixed(4)}, ${seconds.toFixed(1)}s`);
    runs.push({ config: 'model B on A', seed, history, test, seconds, stopped: null });
  }
  const acc = (config: string, seed: number): number => runs.find((r) => r.config === config && r.seed === seed)?.test.accuracy ?? NaN;
  const ratio = (seed: number): number => (1 - acc('model B from scratch', seed)) / (1 - acc('model B on A', seed));
  const ratios = s.seeds.map(ratio);
  for (const seed of s.seeds) {
    const r = runs.find((x) => x.config === 'model B on A' && x.seed === seed);
    if (r !== undefined) r.test.error_rate_ratio = ratio(seed);
  }
  const configs = ['model A (task A)', 'model B from scratch', 'model B on A'];
  const book = { 'model A (task A)': ['0.9027 (val)', '0.9200 (val)'], 'model B from scratch': ['0.9185', '0.9705'], 'model B on A': ['0.9385', '0.9940'] } as Record<string, string[]>;
  const rows = configs.map((c) => [c, pm(runs.filter((r) => r.config === c).map((r) => r.test.accuracy ?? NaN)), ...(book[c] ?? ['', ''])]);
  rows.push(['error-rate ratio B / B on A', pm(ratios, 2), '1.33', '4.9']);
  const claim = claimOverSeeds(runs, s.seeds, (rs) => ratio(rs[0]?.seed ?? NaN) > 1,
    'Reusing the layers of a model trained on a similar task (frozen, then fine-tuned) beats training the small task from scratch.',
    'test error rate of model B from scratch / that of model B on A > 1 (error-rate ratio)');
  return finish({
    experiment: 'transfer', settings: s, started, claim, runs,
    dataLine: `${describeRun(s, splits)}; task A: ${a.train.x.shape[0]} images of 8 classes (without ${pair.join(' and ')}), ${s.epochs} epochs; task B: ${b.train.x.shape[0]} images of ${pair.join(' vs ')}, ${FROZEN_EPOCHS} frozen + ${UNFROZEN_EPOCHS} unfrozen epochs`,
    table: { header: ['model', 'test accuracy (ours)', 'book hml3 (this protocol)', 'book hml2 (selu, other pair)'], rows },
    notes: [
      `Ours: hml3's model (3 x Dense(100, relu, he_normal)) and protocol. Task B: ${pair[0]} vs ${pair[1]}, ${splits.kind === 'Fashion-MNIST' ? "the book's T-shirt/top vs pullover" : "the MNIST pair chosen by the book's logic: the two digits classifiers confuse most (4 and 9), whose strokes task A's 7 and 1 share, as hml3's pullover and T-shirt share features with task A's shirt and coat (the book's data set's pair on Fashion-MNIST folders)"}.`,
      `Model A trains on task A's share of the first ${s.trainSize} training images, ${s.epochs} epochs (the book: 43,986 images, 20 epochs); its val_accuracy: ${pm(runs.filter((r) => r.config === 'model A (task A)').map((r) => at(r, 'val_accuracy')))} (book hml3 0.9027).`,
    ],
  });
}
