/** Builds the multilayer perceptron the CLI trains and diagnoses, from its flags. */
import { Dense } from '../layers/dense.js';
import { Flatten } from '../layers/flatten.js';
import { Sequential } from '../models/sequential.js';

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
}

/** Flatten -> Dense(h, activation, init) for each hidden size -> Dense(classes, softmax). */
export function buildMlp(spec: MlpSpec): Sequential {
  return new Sequential([
    new Flatten({ inputShape: spec.inputShape }),
    ...spec.hidden.map((units) => new Dense(units, { activation: spec.activation, kernelInitializer: spec.init })),
    new Dense(spec.classes, { activation: 'softmax' }),
  ]);
}
