/**
 * Seeded, counter-based random numbers: Philox4x32-10 (Salmon et al., "Parallel Random Numbers:
 * As Easy as 1, 2, 3", SC 2011), the generator of JAX, TensorFlow's stateless ops and PyTorch's CUDA.
 *
 * An `Rng` is a key (from a seed) plus a 128-bit counter; each block of 10 rounds turns the counter
 * into 4 uint32 words. `derive(id)` makes an independent stream (a new key) for one consumer, so
 * each initializer, dropout layer and shuffle draws from its own stream, and `setSeed(n)` reproduces
 * a whole run bit for bit.
 *
 * The bulk fills (`fillUniform`, `fillNormal`, `fillTruncatedNormal`, `fillUint32`) draw their words
 * in batches of whole blocks (in WebAssembly when available) and give exactly the values of the
 * one-at-a-time methods, so a seed means the same weights whichever path drew them.
 */
import { ValueError } from './errors.js';
import type { TypedArray } from './dtype.js';
import { kernelsFromEnvironment } from './kernels_env.js';
import { PHILOX_WASM } from './philox_wasm.js';

/** Philox multipliers and Weyl key increments (Salmon et al. 2011, Table 2). */
const PHILOX_M0 = 0xd2511f53;
const PHILOX_M1 = 0xcd9e8d57;
const PHILOX_W0 = 0x9e3779b9;
const PHILOX_W1 = 0xbb67ae85;
const PHILOX_ROUNDS = 10;

/** The multipliers split into 16-bit halves, for the high word of a 32 x 32 -> 64-bit product. */
const PHILOX_M0_LO = PHILOX_M0 & 0xffff;
const PHILOX_M0_HI = PHILOX_M0 >>> 16;
const PHILOX_M1_LO = PHILOX_M1 & 0xffff;
const PHILOX_M1_HI = PHILOX_M1 >>> 16;

/**
 * Writes `blocks` consecutive Philox4x32-10 blocks into `out` from `offset`: the block for counter
 * (ctrLo + b, with carry into ctrHi, ctr2, ctr3) and key (k0, k1).
 *
 * The rounds are written out with every product in int32 arithmetic (`Math.imul` of 16-bit halves
 * for the high word, exact because each partial product is below 2^32), so V8 never leaves integer
 * registers: about 3x faster than a call per block with a helper for mulhi.
 */
function philoxBlocks(out: Uint32Array, offset: number, blocks: number, ctrLo: number, ctrHi: number, key0: number, key1: number, ctr2 = 0, ctr3 = 0): void {
  let lo = ctrLo >>> 0;
  let hi = ctrHi >>> 0;
  for (let b = 0; b < blocks; b++) {
    let c0 = lo | 0;
    let c1 = hi | 0;
    let c2 = ctr2 | 0;
    let c3 = ctr3 | 0;
    let k0 = key0 | 0;
    let k1 = key1 | 0;
    for (let r = 0; r < PHILOX_ROUNDS; r++) {
      // hi0:lo0 = M0 * c0, hi1:lo1 = M1 * c2 (64-bit products, in 16-bit pieces).
      let bLo = c0 & 0xffff;
      let bHi = c0 >>> 16;
      let mid1 = Math.imul(PHILOX_M0_HI, bLo);
      let mid2 = Math.imul(PHILOX_M0_LO, bHi);
      let carry = ((Math.imul(PHILOX_M0_LO, bLo) >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
      const hi0 = (Math.imul(PHILOX_M0_HI, bHi) + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
      const lo0 = Math.imul(PHILOX_M0, c0);
      bLo = c2 & 0xffff;
      bHi = c2 >>> 16;
      mid1 = Math.imul(PHILOX_M1_HI, bLo);
      mid2 = Math.imul(PHILOX_M1_LO, bHi);
      carry = ((Math.imul(PHILOX_M1_LO, bLo) >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff)) >>> 16;
      const hi1 = (Math.imul(PHILOX_M1_HI, bHi) + (mid1 >>> 16) + (mid2 >>> 16) + carry) | 0;
      const lo1 = Math.imul(PHILOX_M1, c2);
      c0 = hi1 ^ c1 ^ k0;
      c1 = lo1;
      c2 = hi0 ^ c3 ^ k1;
      c3 = lo0;
      k0 = (k0 + PHILOX_W0) | 0;
      k1 = (k1 + PHILOX_W1) | 0;
    }
    const o = offset + 4 * b;
    out[o] = c0;
    out[o + 1] = c1;
    out[o + 2] = c2;
    out[o + 3] = c3;
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi = (hi + 1) >>> 0;
  }
}

/** One Philox4x32-10 block: writes 4 uint32 words for counter (c0..c3) and key (k0, k1) into out. */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Uint32Array): void {
  philoxBlocks(out, 0, 1, c0, c1, k0, k1, c2, c3);
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

/** The parts of the WebAssembly JS API used here (lib ES2022 and @types/node do not declare them). */
interface PhiloxWasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
interface PhiloxWasmExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  blocks(ptr: number, blocks: number, ctrLo: number, ctrHi: number, k0: number, k1: number): void;
}

/** Words generated per batch by the bulk fills (a multiple of 4; 16 KiB, inside the wasm page). */
const SCRATCH_WORDS = 4096;

/** The batch buffer of the bulk fills and, when WebAssembly loaded, the generator writing into it. */
interface Batch {
  readonly words: Uint32Array;
  readonly wasm: PhiloxWasmExports | null;
}
let batch: Batch | null = null;

/**
 * The same Philox4x32-10 blocks in WebAssembly (`PHILOX_WASM`, compiled from assembly/philox.ts by
 * `npm run build:wasm`), where the 32 x 32 -> 64-bit products are one `i64.mul` each: about 3x the
 * speed of `philoxBlocks` (a [1000, 1000] uniform kernel draws its words in ~3 ms instead of ~10 ms).
 * Exports `blocks` and `memory` (one 64 KiB page, never grown, so a view on it stays valid). Used
 * only by the bulk fills; `DEEPWELL_KERNELS=ts`, or a runtime without WebAssembly, selects the
 * TypeScript rounds, which give the same words (the tests compare both).
 */
function loadBatch(): Batch {
  const api = (globalThis as { WebAssembly?: PhiloxWasmApi }).WebAssembly;
  const forceTs = kernelsFromEnvironment() === 'ts';
  if (api !== undefined && !forceTs) {
    try {
      const exports = new api.Instance(new api.Module(PHILOX_WASM), {}).exports as PhiloxWasmExports;
      return { words: new Uint32Array(exports.memory.buffer, 0, SCRATCH_WORDS), wasm: exports };
    } catch {
      // Compilation refused (e.g. a content security policy): the TypeScript rounds give the same words.
    }
  }
  return { words: new Uint32Array(SCRATCH_WORDS), wasm: null };
}

/** The shared batch buffer (single-threaded; never held across calls). */
function getBatch(): Batch {
  batch ??= loadBatch();
  return batch;
}

/** Whether the bulk fills generate their words in WebAssembly ('wasm') or TypeScript ('ts'). */
export function philoxBackend(): 'wasm' | 'ts' {
  return getBatch().wasm === null ? 'ts' : 'wasm';
}

/**
 * The full position of an `Rng` stream as JSON data: key, 64-bit block counter, the current block
 * and how many of its words were used, and the spare Box-Muller normal. `Rng.fromState` continues
 * the stream exactly where `getState` was taken (used to resume training bit for bit).
 */
export interface RngState {
  key: [number, number];
  counter: [number, number];
  block: [number, number, number, number];
  used: number;
  spareNormal: number | null;
}

/** True for an integer in [0, 2^32). */
const isUint32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff;

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

  /** The stream's position as JSON data (see `RngState`). */
  getState(): RngState {
    const b = this.block;
    return { key: [this.k0, this.k1], counter: [this.ctrLo, this.ctrHi], block: [b[0], b[1], b[2], b[3]], used: this.used, spareNormal: this.spareNormal };
  }

  /**
   * A generator that continues exactly where `getState()` was taken.
   * @throws ValueError when the state is not an `RngState` (words outside uint32, used outside 0..4,
   *   a non-finite spare normal), naming the field.
   */
  static fromState(state: RngState): Rng {
    const s = state as Partial<RngState> | null;
    const words = (name: string, v: unknown, n: number): number[] => {
      if (!Array.isArray(v) || v.length !== n || !v.every(isUint32)) {
        throw new ValueError(`Rng.fromState: '${name}' must be an array of ${n} uint32 words, received ${JSON.stringify(v)}. Pass the object returned by rng.getState().`);
      }
      return v;
    };
    if (s === null || typeof s !== 'object') throw new ValueError(`Rng.fromState: expected the object returned by rng.getState(), received ${String(state)}.`);
    const [k0, k1] = words('key', s.key, 2);
    const [lo, hi] = words('counter', s.counter, 2);
    const block = words('block', s.block, 4);
    if (typeof s.used !== 'number' || !Number.isInteger(s.used) || s.used < 0 || s.used > 4) {
      throw new ValueError(`Rng.fromState: 'used' must be an integer in 0..4, received ${String(s.used)}.`);
    }
    if (s.spareNormal !== null && (typeof s.spareNormal !== 'number' || !Number.isFinite(s.spareNormal))) {
      throw new ValueError(`Rng.fromState: 'spareNormal' must be null or a finite number, received ${String(s.spareNormal)}.`);
    }
    const rng = new Rng(k0, k1);
    rng.ctrLo = lo;
    rng.ctrHi = hi;
    rng.block.set(block);
    rng.used = s.used;
    rng.spareNormal = s.spareNormal ?? null;
    return rng;
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
      philoxBlocks(this.block, 0, 1, this.ctrLo, this.ctrHi, this.k0, this.k1);
      this.advanceCounter(1);
      this.used = 0;
    }
    return this.block[this.used++];
  }

  /** Moves the block counter on by `blocks`, with carry into the high word. */
  private advanceCounter(blocks: number): void {
    const lo = this.ctrLo + blocks;
    this.ctrLo = lo >>> 0;
    this.ctrHi = (this.ctrHi + Math.floor(lo / 0x100000000)) >>> 0;
  }

  /**
   * The next `count` (<= SCRATCH_WORDS) words of the stream, in the shared batch buffer: the same
   * values as `count` calls of `nextUint32`, with whole blocks generated in bulk. Valid until the
   * next batch.
   */
  private nextBatch(count: number): Uint32Array {
    const { words, wasm } = getBatch();
    let i = 0;
    while (this.used < 4 && i < count) words[i++] = this.block[this.used++];
    const blocks = (count - i) >>> 2;
    if (blocks > 0) {
      if (wasm !== null) wasm.blocks(4 * i, blocks, this.ctrLo, this.ctrHi, this.k0, this.k1);
      else philoxBlocks(words, i, blocks, this.ctrLo, this.ctrHi, this.k0, this.k1);
      this.advanceCounter(blocks);
      i += 4 * blocks;
    }
    while (i < count) words[i++] = this.nextUint32();
    return words;
  }

  /** Writes the next `out.length` uint32 of the stream into `out` (the same values as `nextUint32` calls). */
  fillUint32(out: Uint32Array): void {
    for (let start = 0; start < out.length; start += SCRATCH_WORDS) {
      const count = Math.min(SCRATCH_WORDS, out.length - start);
      out.set(this.nextBatch(count).subarray(0, count), start);
    }
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
    const n = out.length;
    if (out instanceof Float32Array) {
      // One word per value: u = w 2^-32 (32 random bits, enough for float32).
      for (let start = 0; start < n; start += SCRATCH_WORDS) {
        const count = Math.min(SCRATCH_WORDS, n - start);
        const words = this.nextBatch(count);
        for (let j = 0; j < count; j++) {
          const v = Math.fround(minval + range * (words[j] * TWO_POW_MINUS_32));
          // Rounding of minval + range * u can land on maxval; keep the bound open.
          out[start + j] = v >= maxval && range > 0 ? nextBelowFloat32(maxval) : v;
        }
      }
      return;
    }
    // Two words per value, as nextDouble: 27 + 26 = 53 random bits.
    const perChunk = SCRATCH_WORDS >>> 1;
    for (let start = 0; start < n; start += perChunk) {
      const count = Math.min(perChunk, n - start);
      const words = this.nextBatch(2 * count);
      for (let j = 0; j < count; j++) {
        const u = ((words[2 * j] >>> 5) * 67108864 + (words[2 * j + 1] >>> 6)) / 9007199254740992;
        const v = minval + range * u;
        out[start + j] = v >= maxval && range > 0 ? nextBelowFloat64(maxval) : v;
      }
    }
  }

  /** Fills `out` with N(mean, stddev^2). */
  fillNormal(out: TypedArray, mean: number, stddev: number): void {
    this.fillNormalImpl(out, mean, stddev, Infinity);
  }

  /**
   * Fills `out` with N(mean, stddev^2) truncated to [mean - 2 stddev, mean + 2 stddev]: values
   * beyond the bound are drawn again (as TensorFlow's truncated_normal). The result has standard
   * deviation 0.8796 * stddev; callers that want a given std divide by that factor first.
   */
  fillTruncatedNormal(out: TypedArray, mean: number, stddev: number): void {
    this.fillNormalImpl(out, mean, stddev, TRUNCATION_BOUND);
  }

  /**
   * Normals in bulk, the same stream as successive `nextNormal` calls: Box-Muller pairs from two
   * words each (cos first, sin kept as the spare), standard values beyond +-bound redrawn. It
   * generates only as many pairs as can still be used, so at most the last sine is left over, as
   * the spare, and the generator ends in the same state as the one-at-a-time loop.
   */
  private fillNormalImpl(out: TypedArray, mean: number, stddev: number, bound: number): void {
    const n = out.length;
    let i = 0;
    while (i < n) {
      if (this.spareNormal !== null) {
        const z = this.spareNormal;
        this.spareNormal = null;
        if (z <= bound && z >= -bound) out[i++] = mean + stddev * z;
        continue;
      }
      // Every candidate of this batch is used, except possibly the last sine (then the spare).
      const pairs = Math.min(SCRATCH_WORDS >>> 1, Math.ceil((n - i) / 2));
      const words = this.nextBatch(2 * pairs);
      for (let p = 0; p < pairs; p++) {
        // u1 in (0, 1] so log(u1) is finite.
        const u1 = 1 - words[2 * p] * TWO_POW_MINUS_32;
        const u2 = words[2 * p + 1] * TWO_POW_MINUS_32;
        const r = Math.sqrt(-2 * Math.log(u1));
        const theta = 2 * Math.PI * u2;
        const z0 = r * Math.cos(theta);
        const z1 = r * Math.sin(theta);
        if (z0 <= bound && z0 >= -bound) out[i++] = mean + stddev * z0;
        if (i === n) {
          this.spareNormal = z1;
          break;
        }
        if (z1 <= bound && z1 >= -bound) out[i++] = mean + stddev * z1;
      }
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
