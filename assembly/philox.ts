// Philox4x32-10 blocks in WebAssembly for deepwell (AssemblyScript, compiled by `npm run build:wasm`
// into src/core/philox_wasm.ts, which src/core/random.ts instantiates).
//
// Salmon, Moraes, Dror and Shaw, "Parallel Random Numbers: As Easy as 1, 2, 3", SC 2011: each block
// turns a 128-bit counter (c0..c3) and a 64-bit key (k0, k1) into 4 uint32 words by 10 rounds of
// two 32 x 32 -> 64-bit products, a permutation and xors with the key, the key advancing by the
// Weyl increments after each round. Here each product is one `i64.mul`: about 3x the speed of the
// TypeScript rounds (`philoxBlocks` in src/core/random.ts, the oracle), which give the same words.
//
// Memory: one 64 KiB page, never grown (the caller keeps a view on it); the caller chooses where the
// words go, inside that page. No imports, no allocation.

/** Philox multipliers (Salmon et al. 2011, Table 2). */
// @ts-ignore: decorator
@inline const PHILOX_M0: u64 = 0xd2511f53;
// @ts-ignore: decorator
@inline const PHILOX_M1: u64 = 0xcd9e8d57;
/** Weyl key increments: the golden ratio and sqrt(3) - 1, as 32-bit fractions (same table). */
// @ts-ignore: decorator
@inline const PHILOX_W0: u32 = 0x9e3779b9;
// @ts-ignore: decorator
@inline const PHILOX_W1: u32 = 0xbb67ae85;
/** Rounds per block: Philox4x32-10. */
// @ts-ignore: decorator
@inline const PHILOX_ROUNDS: i32 = 10;

/**
 * Writes `n` consecutive blocks at byte address `ptr` (16 bytes each): the block for counter
 * (lo + b, with carry into hi, 0, 0) and key (key0, key1), b = 0 .. n - 1.
 */
export function blocks(ptr: usize, n: u32, lo: u32, hi: u32, key0: u32, key1: u32): void {
  for (let b: u32 = 0; b < n; b++) {
    let c0 = lo, c1 = hi, c2: u32 = 0, c3: u32 = 0, k0 = key0, k1 = key1;
    for (let r = 0; r < PHILOX_ROUNDS; r++) {
      const p0 = PHILOX_M0 * (c0 as u64);
      const p1 = PHILOX_M1 * (c2 as u64);
      c0 = (<u32>(p1 >> 32)) ^ c1 ^ k0; c1 = <u32>p1; c2 = (<u32>(p0 >> 32)) ^ c3 ^ k1; c3 = <u32>p0;
      k0 += PHILOX_W0; k1 += PHILOX_W1;
    }
    const o = ptr + ((b as usize) << 4);
    store<u32>(o, c0); store<u32>(o, c1, 4); store<u32>(o, c2, 8); store<u32>(o, c3, 12);
    lo += 1; if (lo == 0) hi += 1;
  }
}
