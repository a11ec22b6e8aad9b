import type { TypedArray } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { type Shape, formatShape } from '../core/shape.js';
import { householderQr } from './householder_qr.js';
import type { InitializerConfig } from './initializer.js';
import { readFiniteNumber } from './options.js';
import { RandomInitializer } from './random_initializer.js';

/** Default multiplier of the orthogonal matrix (Keras 3 `Orthogonal(gain=1.0)`). */
const DEFAULT_GAIN = 1;

/** Options of {@link Orthogonal}. */
export interface OrthogonalOptions {
  /** Multiplier of the orthogonal matrix, a finite number. Default 1. Columns (or rows) get norm |gain|. */
  gain?: number;
  /** Integer seed: the same values on every call. Default: a new stream of the global generator per call. */
  seed?: number | null;
}

/** The matrix view of a kernel shape that `Orthogonal` makes orthogonal, and the resulting scale. */
export interface OrthogonalStats {
  /** Product of every dimension but the last. */
  readonly rows: number;
  /** The last dimension (output units). */
  readonly cols: number;
  /** 'columns' (rows >= cols: W^T W = gain^2 I) or 'rows' (rows < cols: W W^T = gain^2 I). */
  readonly orthonormal: 'columns' | 'rows';
  /** Root mean square of the elements: |gain| / sqrt(max(rows, cols)) (exact, not a sample estimate). */
  readonly stddev: number;
}

/**
 * The (rows, cols) matrix view of a kernel: rows = product of all dimensions but the last,
 * cols = the last (Keras; PyTorch instead keeps the first dimension as rows).
 * @throws ValueError when the rank is below 2.
 */
function matrixView(shape: Shape, owner: string): { rows: number; cols: number } {
  if (shape.length < 2) {
    throw new ValueError(
      `${owner}: received shape ${formatShape(shape)} of rank ${shape.length}; expected rank >= 2 (a matrix or a kernel ` +
        `[..., in, out]). For a vector (a bias) use 'zeros' or another elementwise initializer.`,
    );
  }
  let rows = 1;
  for (let i = 0; i < shape.length - 1; i++) rows *= shape[i];
  return { rows, cols: shape[shape.length - 1] };
}

/**
 * Orthogonal initializer: a random (semi-)orthogonal matrix, uniformly distributed over orthogonal
 * matrices (Haar measure), times `gain`.
 *
 * Algorithm (Keras 3):
 * ```
 * rows = prod(shape[:-1]); cols = shape[-1]
 * A ~ N(0, 1) of shape (max(rows, cols), min(rows, cols))
 * (Q, R) = reduced QR of A                          // Householder, float64
 * Q = Q * sign(diag(R))                             // column j times sign(R_jj): makes Q Haar-uniform
 * if rows < cols: Q = Q^T
 * W = gain * reshape(Q, shape)
 * ```
 * So W^T W = gain^2 I when rows >= cols (orthonormal columns), W W^T = gain^2 I when rows < cols
 * (orthonormal rows); every element has mean square gain^2 / max(rows, cols). The QR runs in float64
 * and the result is rounded once to the requested dtype. sign(0) is taken as +1 (probability 0).
 *
 * Keeping every singular value at |gain| preserves the norm of signals through deep linear networks
 * and recurrent steps; it is the Keras and TF.js default for recurrent kernels.
 *
 * Shapes: kernel `[..., in, out]` of rank >= 2 -> the same shape; seen as a matrix
 * `[prod(shape[:-1]), shape[-1]]`.
 *
 * Accepted names: `'orthogonal'`, `'Orthogonal'`, and Keras < 3.7's `'OrthogonalInitializer'`.
 * Config: `{ gain, seed }`.
 *
 * Follows Keras 3 (and TF.js >= 4.3, which uses the same flattening and sign fix). PyTorch's
 * `orthogonal_` flattens the other way (rows = shape[0]) because its kernels are `[out, in, ...]`;
 * both make the output units orthogonal in their own layout. Cost about 4 max(r,c) min(r,c)^2
 * flops in float64: an LSTM recurrent kernel [128, 512] takes about 50 ms, [1000, 1000] about 2 s
 * (TF.js 4.22 takes about 16 s for [128, 512], tfjs#245; see bench/initializers.ts).
 *
 * @throws ValueError at construction when gain is not a finite number or the seed is not an integer;
 *   from `apply`/`describe` when the shape has rank < 2.
 *
 * Reference: Saxe, McClelland & Ganguli 2014, "Exact solutions to the nonlinear dynamics of learning
 * in deep linear neural networks" (arXiv:1312.6120); Mezzadri 2007 (arXiv:math-ph/0609050) for the sign
 * fix; Keras 3 `keras/src/initializers/random_initializers.py` (`Orthogonal`).
 * @example
 * const w = new Orthogonal({ gain: 2, seed: 1 }).apply([5, 5]); // W^T W = 4 I (to float32 rounding)
 */
export class Orthogonal extends RandomInitializer {
  static override readonly className = 'Orthogonal';
  static override readonly configKeys = ['gain', 'seed'] as const;

  readonly gain: number;

  constructor(options: OrthogonalOptions = {}) {
    super(options);
    this.gain = readFiniteNumber(Orthogonal.className, 'gain', options.gain, DEFAULT_GAIN);
  }

  /**
   * The matrix view of `shape` and the resulting scale, without drawing.
   * @throws ValueError when the shape has rank < 2.
   * @example new Orthogonal().describe([3, 3, 4, 8]) // { rows: 36, cols: 8, orthonormal: 'columns', stddev: 1/6 }
   */
  describe(shape: Shape): OrthogonalStats {
    const { rows, cols } = matrixView(shape, Orthogonal.className);
    return {
      rows,
      cols,
      orthonormal: rows >= cols ? 'columns' : 'rows',
      stddev: Math.abs(this.gain) / Math.sqrt(Math.max(1, rows, cols)),
    };
  }

  protected fill(data: TypedArray, shape: Shape): void {
    const { rows, cols } = matrixView(shape, Orthogonal.className);
    if (data.length === 0) return;
    const m = Math.max(rows, cols);
    const n = Math.min(rows, cols);
    // A (m x n) drawn row by row, stored column-major for the QR.
    const normals = new Float64Array(m * n);
    this.rng().fillNormal(normals, 0, 1);
    const a = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = normals[i * n + j];
    const { q, rDiagonal } = householderQr(a, m, n);
    for (let j = 0; j < n; j++) {
      const s = rDiagonal[j] < 0 ? -this.gain : this.gain;
      const col = j * m;
      if (rows >= cols) {
        // W = Q (rows x cols): W[i][j] = Q[i][j].
        for (let i = 0; i < m; i++) data[i * cols + j] = s * q[col + i];
      } else {
        // W = Q^T (rows x cols): W[j][i] = Q[i][j], row j of W is column j of Q.
        const row = j * cols;
        for (let i = 0; i < m; i++) data[row + i] = s * q[col + i];
      }
    }
  }

  getConfig(): InitializerConfig {
    return { gain: this.gain, seed: this.seed };
  }
}
