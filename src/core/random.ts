/**
 * Seeded, counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel Random Numbers:
 * As Easy as 1, 2, 3", SC 2011), the generator of JAX, TensorFlow's stateless ops and PyTorch's CUDA.
 *
 * An `Rng` is a key (from a seed) plus a 128-bit counter; each block of 10 rounds turns the counter
 * into 4 uint32 words. `derive(id)` makes an independent stream (a new key) for one consumer, so
 * each initializer, dropout layer and shuffle draws from its own stream, and `setSeed(n)` reproduces
 * a whole run bit for bit.
 */
import { ValueError } from './errors.js';
import type { TypedArray } from './dtype.js';

/** Philox multipliers and Weyl key increments (Salmon et al. 2011, Table 2). */
const PHILOX_M0 = 0xd2511f53;
const PHILOX_M1 = 0xcd9e8d57;
const PHILOX_W0 = 0x9e3779b9;
const PHILOX_W1 = 0xbb67ae85;
const PHILOX_ROUNDS = 10;

/** High 32 bits of the 64-bit product of two uint32 values. */
function mulhi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = ((lolo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + carry) >>> 0;
}

/** One Philox4x32-10 block: writes 4 uint32 words for counter (c0..c3) and key (k0, k1) into out. */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  for (let r = 0; r < PHILOX_ROUNDS; r++) {
    const hi0 = mulhi32(PHILOX_M0, c0);
    const lo0 = Math.imul(PHILOX_M0, c0) >>> 0;
    const hi1 = mulhi32(PHILOX_M1, c2);
    const lo1 = Math.imul(PHILOX_M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + PHILOX_W0) >>> 0;
    k1 = (k1 + PHILOX_W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/** 32-bit FNV-1a hash of a string (names a derived stream). */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** 2^-32: scales a uint32 to [0, 1). */
const TWO_POW_MINUS_32 = 2 ** -32;
/** Truncation bound of the truncated normal, in standard deviations (Keras, TF, TF.js, JAX). */
export const TRUNCATION_BOUND = 2;

/** Checks that a seed is a finite integer (any sign; it is folded to 64 bits). */
export function checkSeed(seed: unknown, what = 'seed'): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new ValueError(`Invalid ${what}: received ${String(seed)}; expected an integer (for example 42).`);
  }
  return seed;
}

export class Rng {
  private readonly k0: number;
  private readonly k1: number;
  /** 64-bit block counter as two words. */
  private ctrLo = 0;
  private ctrHi = 0;
  private readonly block = new Uint32Array(4);
  private used = 4;
  /** The second Box-Muller normal, kept for the next call. */
  private spareNormal: number | null = null;

  /** @param seed - an integer; equal seeds give equal streams. */
  constructor(seed: number, k1?: number) {
    if (k1 === undefined) {
      checkSeed(seed);
      this.k0 = (seed >>> 0) ^ 0x5bd1e995;
      this.k1 = Math.floor(seed / 2 ** 32) >>> 0;
    } else {
      this.k0 = seed >>> 0;
      this.k1 = k1 >>> 0;
    }
  }

  /** An independent stream for one consumer, identified by a name or number. */
  derive(id: string | number): Rng {
    const h = typeof id === 'number' ? id >>> 0 : hashString(id);
    const out = new Uint32Array(4);
    philox4x32(h, 0x6a09e667, 0xbb67ae85, 0xffffffff, this.k0, this.k1, out);
    return new Rng(out[0] ^ out[2], out[1] ^ out[3]);
  }

  /** The next uint32. */
  nextUint32(): number {
    if (this.used === 4) {
      philox4x32(this.ctrLo, this.ctrHi, 0, 0, this.k0, this.k1, this.block);
      this.ctrLo = (this.ctrLo + 1) >>> 0;
      if (this.ctrLo === 0) this.ctrHi = (this.ctrHi + 1) >>> 0;
      this.used = 0;
    }
    return this.block[this.used++];
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [0, 1) with 32 random bits (enough for float32 results). */
  nextFloat(): number {
    return this.nextUint32() * TWO_POW_MINUS_32;
  }

  /** A standard normal N(0, 1) by the Box-Muller transform. */
  nextNormal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    // u1 in (0, 1] so log(u1) is finite.
    const u1 = 1 - this.nextFloat();
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    const theta = 2 * Math.PI * u2;
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** An integer in [0, n), without modulo bias. */
  nextInt(n: number): number {
    if (n <= 0) return 0;
    if (n <= 0x100000000) {
      const limit = Math.floor(0x100000000 / n) * n;
      let u = this.nextUint32();
      while (u >= limit) u = this.nextUint32();
      return u % n;
    }
    return Math.floor(this.nextDouble() * n);
  }

  /** Fills `out` with U[minval, maxval): the upper bound is never reached, even after rounding to float32. */
  fillUniform(out: TypedArray, minval: number, maxval: number): void {
    const range = maxval - minval;
    const f32 = out instanceof Float32Array;
    for (let i = 0; i < out.length; i++) {
      let v = minval + range * (f32 ? this.nextFloat() : this.nextDouble());
      if (f32) v = Math.fround(v);
      // Rounding of minval + range * u can land on maxval (in either dtype); keep the bound open.
      if (v >= maxval && range > 0) v = f32 ? nextBelowFloat32(maxval) : nextBelowFloat64(maxval);
      out[i] = v;
    }
  }

  /** Fills `out` with N(mean, stddev^2). */
  fillNormal(out: TypedArray, mean: number, stddev: number): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + stddev * this.nextNormal();
  }

  /**
   * Fills `out` with N(mean, stddev^2) truncated to [mean - 2 stddev, mean + 2 stddev]: values
   * beyond the bound are drawn again (as TensorFlow's truncated_normal). The result has standard
   * deviation 0.8796 * stddev; callers that want a given std divide by that factor first.
   */
  fillTruncatedNormal(out: TypedArray, mean: number, stddev: number): void {
    for (let i = 0; i < out.length; i++) {
      let z = this.nextNormal();
      while (z > TRUNCATION_BOUND || z < -TRUNCATION_BOUND) z = this.nextNormal();
      out[i] = mean + stddev * z;
    }
  }

  /** Fisher-Yates shuffle of an index array, in place. */
  shuffle(indices: Uint32Array | Int32Array | number[]): void {
    for (let i = indices.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = indices[i];
      indices[i] = indices[j];
      indices[j] = t;
    }
  }
}

/** The largest double strictly below a finite double x. */
function nextBelowFloat64(x: number): number {
  const f = new Float64Array([x]);
  const u = new BigInt64Array(f.buffer);
  if (x > 0) u[0] -= 1n;
  else if (x < 0) u[0] += 1n;
  else return -Number.MIN_VALUE;
  return f[0];
}

/** The largest float32 strictly below a positive or negative float32 value x. */
function nextBelowFloat32(x: number): number {
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer);
  if (x > 0) u[0] -= 1;
  else if (x < 0) u[0] += 1;
  else u[0] = 0x80000001; // -smallest subnormal
  return f[0];
}

/** Seed used when none was set: fixed, so an unseeded program is still reproducible run to run. */
const DEFAULT_GLOBAL_SEED = 1337;
let globalRng = new Rng(DEFAULT_GLOBAL_SEED);

/**
 * Reseeds the global generator. Everything unseeded that draws afterwards (initializers without a
 * seed, dropout, shuffling) is reproduced bit for bit by calling `setSeed` with the same value.
 */
export function setSeed(seed: number): void {
  globalRng = new Rng(checkSeed(seed));
}

/** The global generator (unseeded consumers draw from it in order). */
export function getGlobalRng(): Rng {
  return globalRng;
}
