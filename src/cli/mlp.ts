/** Builds the multilayer perceptron the CLI trains and diagnoses, from its flags. */
import type { Layer } from '../layers/layer.js';
import { UsageError, parseNumber } from './usage_error.js';
import { AlphaDropout } from '../layers/alpha_dropout.js';
import { BatchNormalization } from '../layers/batch_normalization.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { Sequential } from '../models/sequential.js';
import { L2 } from '../regularizers/l2.js';

/** The flags that describe the network and its data, shared by `train` and `diagnose`. */
export interface NetworkFlags {
  data: string;
  /** `--arch mlp|cnn|resnet`: the multilayer perceptron (default), the Keras-example convnet, or the residual convnet. */
  arch?: string;
  /** `--label COLUMN`: the column to predict of a CSV file. */
  label?: string;
  /** false with --no-standardize. */
  standardize?: boolean;
  /** `--std-floor F`: floor on each feature's std when standardizing, as a fraction of the value range. */
  stdFloor?: string;
  batchNorm?: boolean;
  dropout?: string;
  l2?: string;
  hidden?: string;
  depth?: string;
  units?: string;
  /** `--kernel-size N`: --arch cnn only, the side of both convolutions' square kernels. */
  kernelSize?: string;
  activation: string;
  init: string;
  batchSize: string;
  seed: string;
  report?: string;
  json?: boolean;
}

export interface MlpSpec {
  /** Sample shape without the batch dimension, e.g. [28, 28]. */
  inputShape: readonly number[];
  /** Units of each hidden layer, in order. */
  hidden: readonly number[];
  /** Activation of the hidden layers. */
  activation: string;
  /** Kernel initializer of the hidden layers. */
  init: string;
  /** Number of classes: the output layer is Dense(classes, softmax) with glorot_uniform. */
  classes: number;
  /** 'regression': the output layer is Dense(1) without activation (for mean squared error). Default 'classification'. */
  task?: 'classification' | 'regression';
  /** BatchNormalization after the input and after each hidden Dense (the book's model, HML ch. 11). */
  batchNorm?: boolean;
  /** Dropout rate after the input and after each hidden layer; AlphaDropout when the activation is selu. */
  dropout?: number;
  /** L2 factor on every Dense kernel (Keras `l2(factor)`: factor * sum(w^2)). */
  l2?: number;
}

/**
 * Flatten -> [BN] [Dropout] -> (Dense(h, activation, init) [BN] [Dropout]) for each hidden size ->
 * Dense(classes, softmax). Dropout sits after the input and each hidden layer as in HML3 ch. 11;
 * SELU networks get AlphaDropout, which keeps their self-normalization (Klambauer et al. 2017).
 */
export function buildMlp(spec: MlpSpec): Sequential {
  const regularizer = spec.l2 !== undefined && spec.l2 > 0 ? () => new L2({ l2: spec.l2 }) : () => undefined;
  const extras = (): Layer[] => [
    ...(spec.batchNorm === true ? [new BatchNormalization()] : []),
    ...(spec.dropout !== undefined && spec.dropout > 0 ? [spec.activation === 'selu' ? new AlphaDropout(spec.dropout) : new Dropout(spec.dropout)] : []),
  ];
  return new Sequential([
    new Flatten({ inputShape: spec.inputShape }),
    ...extras(),
    ...spec.hidden.flatMap((units) => [new Dense(units, { activation: spec.activation, kernelInitializer: spec.init, kernelRegularizer: regularizer() }), ...extras()]),
    spec.task === 'regression'
      ? new Dense(1, { kernelRegularizer: regularizer() })
      : new Dense(spec.classes, { activation: 'softmax', kernelRegularizer: regularizer() }),
  ]);
}

/** The architecture flags that train and diagnose share, validated. */
export interface ArchitectureSettings {
  batchNorm: boolean;
  dropout: number;
  l2: number;
  /**
   * `--standardize` (true) or `--no-standardize` (false); undefined: the data's default, see `resolveStandardize`.
   */
  standardize: boolean | undefined;
  /** `--std-floor`; undefined: the data's default (`defaultStdFloor`: 0.1 for images, 0 for CSV). */
  stdFloor: number | undefined;
}

/**
 * Whether train and diagnose standardize the inputs (the same rule for both, so "run diagnose with
 * the same flags" sees the same data): as the flag says, else yes for a CSV file (its features come
 * on unrelated scales) and no for images (pixel / 255, whose background pixels standardization
 * would blow up to the scale of the strokes).
 * @param stdFloor - the `--std-floor` given, if any: it only acts on standardized inputs.
 * @throws UsageError for a --std-floor with inputs that are not standardized (it would be ignored).
 */
export function resolveStandardize(flag: boolean | undefined, data: { task?: string }, stdFloor?: number): boolean {
  const standardized = flag ?? data.task !== undefined;
  if (!standardized && stdFloor !== undefined) {
    throw new UsageError(`--std-floor sets the floor of --standardize, but these inputs are not standardized (${flag === false ? '--no-standardize' : 'images are fed as pixel / 255 unless --standardize is given'}), so it would be ignored; remove it, or add --standardize.`);
  }
  return standardized;
}

/** Validates `--batch-norm`, `--dropout`, `--l2` and `--standardize`. @throws UsageError naming the flag and its range. */
export function parseArchitectureFlags(flags: Pick<NetworkFlags, 'batchNorm' | 'dropout' | 'l2' | 'standardize' | 'stdFloor'>): ArchitectureSettings {
  return {
    batchNorm: flags.batchNorm ?? false,
    dropout: flags.dropout === undefined ? 0 : parseNumber('--dropout', flags.dropout, 0, 1, true),
    l2: flags.l2 === undefined ? 0 : parseNumber('--l2', flags.l2, 0, Infinity, true),
    standardize: flags.standardize,
    stdFloor: flags.stdFloor === undefined ? undefined : parseNumber('--std-floor', flags.stdFloor, 0, 1, true),
  };
}
