/**
 * Step-scoped reuse of typed arrays, so that after its first step a training loop allocates nothing
 * proportional to the model: every array `allocate` hands out while a pool is active (activations,
 * gradients, the temporaries of the loss and of backpropagation) is taken from the pool, and
 * `recycle()` makes all of them available again at the start of the next step, when nothing of the
 * previous step's tape is needed any more. `fit` owns one pool per call (src/models/fit.ts); outside
 * an active pool `allocate` returns fresh garbage-collected arrays, so users never dispose anything.
 *
 * Arrays are matched by dtype and exact length (a step asks for the same sizes each time, so after
 * warm-up every request is served from the free lists). Arrays shorter than `POOL_MIN_LENGTH` are
 * left to the garbage collector: V8 allocates them on its young heap almost for free.
 *
 * Browser-clean.
 *
 * @example
 * const pool = new BufferPool();
 * for (const batch of batches) {
 *   pool.recycle();                         // the previous step's arrays are free again
 *   withPool(pool, () => trainStep(batch)); // allocate() draws from the pool
 * }
 */
import type { DType, TypedArray } from './dtype.js';

/** Arrays shorter than this are not pooled (young-generation allocation is cheaper than a lookup). */
export const POOL_MIN_LENGTH = 64;

export class BufferPool {
  private readonly free32 = new Map<number, Float32Array[]>();
  private readonly free64 = new Map<number, Float64Array[]>();
  /** Arrays handed out since the last `recycle()`. */
  private used: TypedArray[] = [];
  /** Total bytes of every array the pool owns (free or handed out). */
  bytes = 0;
  /** Arrays created (not reused) over the pool's life; flat after warm-up. */
  created = 0;

  /**
   * An array of `length` elements of `dtype`, reused when one is free. Zero-filled when `zero`,
   * else its content is whatever the previous step left (for outputs a kernel overwrites entirely).
   */
  take(dtype: DType, length: number, zero: boolean): TypedArray {
    const lists = dtype === 'float64' ? this.free64 : this.free32;
    const list = lists.get(length) as TypedArray[] | undefined;
    let a = list?.pop();
    if (a === undefined) {
      a = dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
      this.bytes += a.byteLength;
      this.created++;
    } else if (zero) {
      a.fill(0);
    }
    this.used.push(a);
    return a;
  }

  /** Makes every array handed out since the last call free again (their contents become garbage). */
  recycle(): void {
    for (const a of this.used) {
      const lists = (a instanceof Float64Array ? this.free64 : this.free32) as Map<number, TypedArray[]>;
      let list = lists.get(a.length);
      if (list === undefined) {
        list = [];
        lists.set(a.length, list);
      }
      list.push(a);
    }
    this.used = [];
  }
}

let active: BufferPool | null = null;

/** The pool `allocate` draws from, or null (fresh arrays). */
export function activePool(): BufferPool | null {
  return active;
}

/** Runs `fn` with `pool` active (null: no pool), restoring the previous one after, even on throw. */
export function withPool<T>(pool: BufferPool | null, fn: () => T): T {
  const prev = active;
  active = pool;
  try {
    return fn();
  } finally {
    active = prev;
  }
}
