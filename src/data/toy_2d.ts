/**
 * Two-dimensional toy classification sets, as TensorFlow Playground and scikit-learn's `make_*`
 * generators draw them: spiral, circles, xor, gaussians. Browser-clean (pure, seeded).
 *
 * Shapes: x float32 [samples, 2] (coordinates in about [-1, 1]), y float32 labels [samples] with
 * values 0 .. classes-1 (sparse, for `sparse_categorical_crossentropy`).
 *
 * - spiral: `classes` interleaved arms; point i of arm c has radius r = t and angle
 *   theta = 4 t + 2 pi c / classes, t uniform in [0, 1], plus N(0, noise^2) on each coordinate
 *   (the CS231n spiral).
 * - circles: two concentric rings of radius 0.5 (class 0) and 1 (class 1) plus noise
 *   (scikit-learn's make_circles with factor 0.5).
 * - xor: points uniform in [-1, 1]^2, class 1 when x0 * x1 < 0 (TensorFlow Playground's "exclusive or").
 * - gaussians: `classes` isotropic Gaussians of std 0.15 + noise, centres evenly spaced on a circle of
 *   radius 0.6 (make_blobs).
 *
 * @throws ValueError for an unknown name (with the valid names), a non-integer or non-positive
 *   sample count, a negative noise, or fewer than 2 classes.
 * @example
 * const { x, y } = toy2d('xor', { samples: 4, noise: 0 });  // x.shape [4, 2]; y[i] = x[i][0] * x[i][1] < 0 ? 1 : 0
 */
import { ValueError, nearestName } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { Tensor } from '../core/tensor.js';

/** The names of the toy sets. */
export const TOY_2D_NAMES = ['spiral', 'circles', 'xor', 'gaussians'] as const;
export type Toy2dName = (typeof TOY_2D_NAMES)[number];

export interface Toy2dOptions {
  /** Number of points (default 400). */
  samples?: number;
  /** Std of the Gaussian noise added to each coordinate (default 0.05; spiral 0.05, circles 0.05 look clean). */
  noise?: number;
  /** Classes for spiral and gaussians (default 2; circles and xor always have 2). */
  classes?: number;
  /** Seed of the generator (default 42). */
  seed?: number;
}

/** Std of each gaussians cluster before noise. */
const CLUSTER_STD = 0.15;
/** Radius of the circle on which the gaussians centres sit. */
const CLUSTER_RADIUS = 0.6;
/** Turns of a spiral arm: theta grows by SPIRAL_WINDING radians from centre to rim. */
const SPIRAL_WINDING = 4;

/** A toy 2-D classification set (see the module docs for each generator). */
export function toy2d(name: Toy2dName, options: Toy2dOptions = {}): { x: Tensor; y: Tensor; classes: number } {
  if (!(TOY_2D_NAMES as readonly string[]).includes(name)) {
    const near = nearestName(String(name), TOY_2D_NAMES);
    throw new ValueError(`toy2d: unknown dataset '${String(name)}'; expected one of ${TOY_2D_NAMES.join(', ')}.${near === undefined ? '' : ` Did you mean '${near}'?`}`);
  }
  const samples = options.samples ?? 400;
  const noise = options.noise ?? 0.05;
  const classes = name === 'circles' || name === 'xor' ? 2 : options.classes ?? 2;
  if (!Number.isInteger(samples) || samples <= 0) throw new ValueError(`toy2d: samples must be a positive integer, got ${samples}.`);
  if (!(noise >= 0)) throw new ValueError(`toy2d: noise must be >= 0, got ${noise}.`);
  if (!Number.isInteger(classes) || classes < 2) throw new ValueError(`toy2d: classes must be an integer >= 2, got ${classes}.`);
  const rng = new Rng(options.seed ?? 42).derive(`toy2d/${name}`);
  const x = new Float32Array(samples * 2);
  const y = new Float32Array(samples);
  for (let i = 0; i < samples; i++) {
    const c = i % classes;
    let px: number;
    let py: number;
    if (name === 'spiral') {
      const t = rng.nextDouble();
      const theta = SPIRAL_WINDING * t + (2 * Math.PI * c) / classes;
      px = t * Math.cos(theta);
      py = t * Math.sin(theta);
    } else if (name === 'circles') {
      const theta = 2 * Math.PI * rng.nextDouble();
      const r = c === 0 ? 0.5 : 1;
      px = r * Math.cos(theta);
      py = r * Math.sin(theta);
    } else if (name === 'xor') {
      px = 2 * rng.nextDouble() - 1;
      py = 2 * rng.nextDouble() - 1;
      y[i] = px * py < 0 ? 1 : 0;
    } else {
      const angle = (2 * Math.PI * c) / classes;
      px = CLUSTER_RADIUS * Math.cos(angle) + CLUSTER_STD * rng.nextNormal();
      py = CLUSTER_RADIUS * Math.sin(angle) + CLUSTER_STD * rng.nextNormal();
    }
    if (name !== 'xor') y[i] = c;
    x[2 * i] = px + noise * rng.nextNormal();
    x[2 * i + 1] = py + noise * rng.nextNormal();
  }
  return { x: new Tensor(x, [samples, 2]), y: new Tensor(y, [samples]), classes };
}
