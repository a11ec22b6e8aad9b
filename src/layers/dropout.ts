/**
 * Dropout (inverted): in training, each element is zeroed with probability `rate` and the survivors
 * are scaled by 1 / (1 - rate), so the expected value of every element is unchanged; in inference
 * the input is returned as is (the same Tensor).
 *
 *   y = x * m / (1 - rate), m ~ Bernoulli(1 - rate) (kept where a uniform draw u >= rate, as Keras)
 *
 * Shapes: any -> same. With `noiseShape`, one mask value is shared along each axis where the noise
 * shape is 1 (e.g. [null, 1, features] drops the same features at every timestep).
 * Options: `rate` in [0, 1) (0 is the identity; 1 would divide by zero and is rejected);
 * `noiseShape` one entry per input axis, each null (the input's dim), the input's dim or 1;
 * `seed` an integer: the layer's own random stream starts from it, so the same seed repeats the same
 * mask sequence. Without a seed the layer takes a stream derived from the global generator at
 * construction (`setSeed(n)` before building the model reproduces it).
 * @throws ValueError for a rate outside [0, 1) or a non-integer seed; ShapeError for a noise shape
 *   that does not fit the input.
 * Reference: Srivastava et al. 2014 (JMLR 15, "Dropout"); Keras 3 keras/src/layers/regularization/dropout.py.
 * (TF.js once leaked tensors per training call, tfjs#7983; deepwell's memory is garbage-collected,
 * so there is nothing to dispose and no leak to guard against.)
 * @example new Dropout({ rate: 0.5, seed: 1 }).apply(ones([1, 1000]), { training: true }) // each element 0 or 2
 */
import { Tensor } from '../core/tensor.js';
import { binary } from '../autodiff/primitives.js';
import type { CallOptions } from './layer.js';
import { BaseDropout, type DropoutOptions } from './base_dropout.js';

export type { DropoutOptions };

export class Dropout extends BaseDropout {
  static override readonly className: string = 'Dropout';

  /** `new Dropout(config)`. */
  static fromConfig(config: Record<string, unknown>): Dropout {
    return new Dropout(config as unknown as DropoutOptions);
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (options.training !== true || this.rate === 0) return x;
    const mask = this.keepMask(x);
    const scale = 1 / (1 - this.rate);
    for (let i = 0; i < mask.size; i++) mask.data[i] *= scale;
    return binary('mul', x, mask);
  }
}
