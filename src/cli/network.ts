/**
 * The network of `deepwell train` and `deepwell diagnose` from the architecture flags, one function
 * for both, so "run diagnose with the same flags" diagnoses the network that train trains:
 * `--arch mlp` (the multilayer perceptron of --hidden or --depth/--units), `--arch cnn` (the Keras
 * example convnet, 5x5 kernels by default: --kernel-size) or `--arch resnet` (the residual convnet of --depth blocks); each with
 * --activation, --init and --batch-norm.
 */
import type { LayersModel } from '../models/layers_model.js';
import { CNN_KERNEL_SIZE, type CliArchitecture, buildCnn } from './cnn.js';
import { describeHidden } from './hidden_layers.js';
import { buildMlp } from './mlp.js';
import { RESNET_DEPTH, RESNET_WIDTH, buildResnet, stageBlocks } from './resnet.js';
import { UsageError, parsePositiveInt } from './usage_error.js';

export interface NetworkSpec {
  arch: CliArchitecture;
  inputShape: readonly number[];
  /** mlp: hidden layer sizes. */
  hidden: readonly number[];
  /** resnet: residual blocks. */
  blocks: number;
  /** cnn: kernel size of both convolutions (CNN_KERNEL_SIZE when undefined). */
  kernelSize?: number;
  activation: string;
  init: string;
  classes: number;
  task?: 'classification' | 'regression';
  batchNorm: boolean;
  /** mlp only. */
  dropout: number;
  /** mlp only. */
  l2: number;
}

/**
 * `--depth` for `--arch resnet`: the number of residual blocks (default RESNET_DEPTH); --hidden and
 * --units describe MLP layers and are refused with it.
 * @throws UsageError for --hidden or --units with --arch resnet, or a bad --depth.
 */
export function resolveBlocks(flags: { hidden?: string; depth?: string; units?: string }): number {
  if (flags.hidden !== undefined || flags.units !== undefined) {
    throw new UsageError(`--arch resnet takes --depth N (residual blocks, default ${RESNET_DEPTH}), not ${flags.hidden !== undefined ? '--hidden' : '--units'} (MLP layer sizes).`);
  }
  return flags.depth === undefined ? RESNET_DEPTH : parsePositiveInt('--depth', flags.depth, RESNET_DEPTH);
}

/** Builds the network of `spec` (not compiled). @throws UsageError when the data do not suit the architecture (e.g. a CSV file with cnn). */
export function buildNetwork(spec: NetworkSpec): LayersModel {
  if (spec.arch !== 'mlp' && spec.task === 'regression') throw new UsageError(`--arch ${spec.arch} classifies images; use --arch mlp for regression on a CSV file.`);
  const common = { inputShape: spec.inputShape, activation: spec.activation, init: spec.init, classes: spec.classes, batchNorm: spec.batchNorm };
  switch (spec.arch) {
    case 'mlp': return buildMlp({ ...common, hidden: spec.hidden, task: spec.task, dropout: spec.dropout, l2: spec.l2 });
    case 'cnn': return buildCnn({ ...common, kernelSize: spec.kernelSize });
    case 'resnet': return buildResnet({ ...common, depth: spec.blocks });
    default: return spec.arch satisfies never;
  }
}

/**
 * The residual blocks of `--arch` (RESNET_DEPTH when the architecture has none). `--arch cnn` is the
 * Keras example convnet, fixed but for its kernel size: --hidden, --depth and --units, which size MLP layers or resnet blocks,
 * are refused with it rather than ignored. `--dropout` and `--l2`, which the MLP applies after and to
 * each hidden layer, are refused with cnn and resnet for the same reason (cnn keeps its own
 * Dropout(0.5) before the classifier; neither convnet applies L2 yet).
 * @throws UsageError for those flags with --arch cnn or resnet, and as resolveBlocks for --arch resnet.
 */
export function blocksFor(arch: string, flags: { hidden?: string; depth?: string; units?: string; dropout?: string; l2?: string }): number {
  if (arch !== 'mlp') {
    const given = (['dropout', 'l2'] as const).filter((k) => flags[k] !== undefined).map((k) => `--${k}`);
    if (given.length > 0) {
      throw new UsageError(`${given.join(' and ')} ${given.length > 1 ? 'apply' : 'applies'} to the hidden layers of --arch mlp; --arch ${arch} does not use ${given.length > 1 ? 'them' : 'it'}${arch === 'cnn' ? ' (it has its own Dropout(0.5) before the classifier)' : ''}, so ${given.length > 1 ? 'they' : 'it'} would be ignored; remove ${given.length > 1 ? 'them' : 'it'}, or use --arch mlp.`);
    }
  }
  if (arch === 'resnet') return resolveBlocks(flags);
  if (arch === 'cnn') {
    const given = (['hidden', 'depth', 'units'] as const).filter((k) => flags[k] !== undefined).map((k) => `--${k}`);
    if (given.length > 0) {
      throw new UsageError(`--arch cnn is the Keras example convnet (Conv2D 32 and 64; their kernel size is --kernel-size), so ${given.join(' and ')} would be ignored; remove ${given.length > 1 ? 'them' : 'it'}, or use --arch mlp (layer sizes) or --arch resnet --depth N (residual blocks).`);
    }
  }
  return RESNET_DEPTH;
}

/**
 * `--kernel-size` for `--arch cnn` (CNN_KERNEL_SIZE without it).
 * @throws UsageError when given with another architecture (it would be ignored) or not a positive integer.
 */
export function kernelSizeFor(arch: string, flag: string | undefined): number {
  if (flag === undefined) return CNN_KERNEL_SIZE;
  if (arch !== 'cnn') {
    throw new UsageError(`--kernel-size sets the convolutions of --arch cnn, so with --arch ${arch} it would be ignored; remove it, or add --arch cnn.`);
  }
  return parsePositiveInt('--kernel-size', flag, CNN_KERNEL_SIZE);
}

/** The network in a few words, for the header lines: 'hidden 300,100', 'cnn conv 32-64 5x5', 'resnet 3 blocks (10 layers with weights: 8 deep + 2 1x1 shortcut projections, 16-32-64 filters)'. */
export function describeNetwork(spec: Pick<NetworkSpec, 'arch' | 'hidden' | 'blocks' | 'kernelSize'>): string {
  switch (spec.arch) {
    case 'mlp': return `hidden ${describeHidden(spec.hidden)}`;
    case 'cnn': { const k = spec.kernelSize ?? CNN_KERNEL_SIZE; return `cnn conv 32-64 ${k}x${k}`; }
    case 'resnet': {
      const stages = stageBlocks(spec.blocks);
      const filters = stages.map((_, i) => RESNET_WIDTH * 2 ** i).join('-');
      // Every layer with weights, as diagnose lists them: the 2 * blocks + 2 of the main path (ResNet's
      // depth: stem, two convs per block, Dense) and a 1x1 projection shortcut where a stage widens.
      const deep = 2 * spec.blocks + 2;
      const projections = stages.length - 1;
      const layers = projections > 0 ? `${deep + projections} layers with weights: ${deep} deep + ${projections} 1x1 shortcut projection${projections === 1 ? '' : 's'}` : `${deep} layers`;
      return `resnet ${spec.blocks} block${spec.blocks === 1 ? '' : 's'} (${layers}, ${filters} filters)`;
    }
    default: return spec.arch satisfies never;
  }
}
