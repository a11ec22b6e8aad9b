/**
 * MaxPooling2D: y[b, oy, ox, c] = max over the window of x[b, oy sh + i, ox sw + j, c].
 * The gradient of each window goes to ONE element: the first maximum in row-major window order
 * (on ties the top-left-most one, as TensorFlow's CPU kernel and TF.js).
 *
 * Shapes: [batch, height, width, channels] -> [batch, outH, outW, channels] (see BasePooling2D).
 * Reference: Keras 3 keras/src/layers/pooling/max_pooling2d.py; TF.js tf.layers.maxPooling2d.
 * @example [[1, 2], [3, 4]] (one 2x2 channel), pool 2: [[4]]; the gradient [[0, 0], [0, 1]].
 */
import { BasePooling2D, type Pooling2DOptions } from './base_pooling2d.js';

export class MaxPooling2D extends BasePooling2D {
  static override readonly className = 'MaxPooling2D';

  constructor(options: Pooling2DOptions = {}) {
    super('max', options);
  }

  /** `new MaxPooling2D(config)`. */
  static fromConfig(config: Record<string, unknown>): MaxPooling2D {
    return new MaxPooling2D(config as Pooling2DOptions);
  }
}
