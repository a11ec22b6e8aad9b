/** Builds the multilayer perceptron the CLI trains and diagnoses, from its flags. */
import type { Layer } from '../layers/layer.js';
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
  hidden?: string;
  depth?: string;
  units?: string;
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
    new Dense(spec.classes, { activation: 'softmax', kernelRegularizer: regularizer() }),
  ]);
}
