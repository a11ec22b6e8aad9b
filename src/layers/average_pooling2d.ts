/**
 * AveragePooling2D: y[b, oy, ox, c] = mean over the window taps inside the input of x[b, .., .., c]
 * (with 'same' padding the padded taps are not counted, as TensorFlow).
 *
 * Shapes: [batch, height, width, channels] -> [batch, outH, outW, channels] (see BasePooling2D).
 * Reference: Keras 3 keras/src/layers/pooling/average_pooling2d.py; TF.js tf.layers.averagePooling2d.
 * @example [[1, 2], [3, 4]] (one 2x2 channel), pool 2: [[2.5]]; the gradient 0.25 everywhere.
 */
import { BasePooling2D, type Pooling2DOptions } from './base_pooling2d.js';

export class AveragePooling2D extends BasePooling2D {
  static override readonly className = 'AveragePooling2D';

  constructor(options: Pooling2DOptions = {}) {
    super('avg', options);
  }

  /** `new AveragePooling2D(config)`. */
  static fromConfig(config: Record<string, unknown>): AveragePooling2D {
    return new AveragePooling2D(config as Pooling2DOptions);
  }
}
