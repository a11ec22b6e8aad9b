// WebAssembly SIMD GEMM for deepwell (AssemblyScript, compiled by `npm run build:wasm`).
//
// C = alpha * op(A) op(B) + beta * C, row-major, float32, with the same contract as
// `Kernels.gemm` in src/kernels/kernels.ts (oracle: src/kernels/ts/gemm.ts).
//
// Structure (Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication",
// ACM TOMS 34(3), 2008; the loop names follow BLIS, Van Zee & van de Geijn, ACM TOMS 41(3), 2015):
//
//   for jc in steps of NC over n:            B block  op(B)[pc:pc+kc, jc:jc+nc] -> packed B
//     for pc in steps of KC over k:
//       pack B into NR-wide column panels
//       for ic in steps of MC over m:        A block  op(A)[ic:ic+mc, pc:pc+kc] -> packed A (times alpha)
//         pack A into MR-tall row panels
//         for jr in steps of NR, ir in steps of MR:
//           micro-kernel: C[MR x NR tile] += packedA panel (kc x MR) * packedB panel (kc x NR)
//
// A non-transposed B is read in place instead of packed when that is faster (see DIRECT_B_MAX_M):
// its NR-wide panels are then rows of NR contiguous floats with a stride of n.
//
// Packing reads op(A) and op(B) through (row stride, column stride) pairs, so the four transpose
// combinations share every loop, and zero-pads the last panel so the micro-kernel always computes
// a full MR x NR tile (edge tiles are written back through a small scratch tile).
//
// Memory: the caller (src/kernels/wasm/gemm.ts) owns the layout. It places A, B, C and a scratch
// area of `scratchBytes(m, n, k)` bytes at or after `heapBase()`, growing memory as needed; this
// module never allocates.

/** Rows of the C micro-tile: MR values of op(A) are broadcast per step of k. */
// @ts-ignore: decorator
@inline const MR: i32 = 4;
/** Columns of the C micro-tile: NR / 4 f32x4 vectors of op(B) are loaded per step of k.
 * MR x NR = 4 x 8 uses 8 accumulators + 2 B vectors + 1 broadcast + 1 product, well inside the
 * 16 xmm registers V8 allocates from on x64; 6 x 8, 8 x 8, 3 x 12, 4 x 12 and 2 x 16 measured no
 * faster (within 5 %) on the benchmark shapes. */
// @ts-ignore: decorator
@inline const NR: i32 = 8;
/** Depth of a packed block: one KC x NR panel of B (8 KiB) stays in L1 while the A panels
 * (MR x KC each) stream from L2. */
// @ts-ignore: decorator
@inline const KC: i32 = 256;
/** Rows of A packed at once: MC x KC floats (128 KiB) fit in L2. */
// @ts-ignore: decorator
@inline const MC: i32 = 128;
/** Columns of B packed at once: KC x NC floats (1 MiB) fit in L2 or the last-level cache. */
// @ts-ignore: decorator
@inline const NC: i32 = 1024;
/**
 * A non-transposed B is read in place (its full NR-wide panels are not packed) when m is at most
 * DIRECT_B_MAX_M, because each packed panel would serve only m / MR micro-tiles, or when B's row
 * stride n is not a multiple of DIRECT_B_ALIAS_FLOATS: strides with a large power-of-two factor
 * put the KC rows of a panel in few L1 sets, and then the packed copy is faster.
 * Measured on bench shapes (GFLOP/s of the kernel, packed -> in place): 32x784x300 33.6 -> 36.4,
 * 128x784x300 35.1 -> 38.4, 32x100x100 30.0 -> 32.2, but 512x512x512 39.1 -> 36.2,
 * 128x1024x1024 33.0 -> 29.0.
 */
// @ts-ignore: decorator
@inline const DIRECT_B_MAX_M: i32 = 32;
// @ts-ignore: decorator
@inline const DIRECT_B_ALIAS_FLOATS: i32 = 128;
/** Bytes per float32. */
// @ts-ignore: decorator
@inline const F32: i32 = 4;
/** Alignment of the scratch buffers in bytes (one cache line). */
// @ts-ignore: decorator
@inline const ALIGN: usize = 64;

// @ts-ignore: decorator
@inline function roundUp(x: i32, to: i32): i32 {
  return (x + to - 1) / to * to;
}

/** First byte of linear memory the caller may use (after the module's static data), 64-aligned. */
export function heapBase(): usize {
  return (__heap_base + ALIGN - 1) & ~(ALIGN - 1);
}

/** Bytes of scratch `gemm` needs for these sizes: packed A block, packed B block, one edge tile. */
export function scratchBytes(m: i32, n: i32, k: i32): usize {
  const kc = min(k, KC);
  const mc = roundUp(min(m, MC), MR);
  const nc = roundUp(min(n, NC), NR);
  return <usize>(packedABytes(mc, kc) + packedBBytes(kc, nc) + MR * NR * F32);
}

// @ts-ignore: decorator
@inline function packedABytes(mc: i32, kc: i32): i32 {
  return roundUp(mc * kc * F32, <i32>ALIGN);
}

// @ts-ignore: decorator
@inline function packedBBytes(kc: i32, nc: i32): i32 {
  return roundUp(kc * nc * F32, <i32>ALIGN);
}

/**
 * C = alpha * op(A) op(B) + beta * C on float32 arrays in this module's memory.
 *
 * Shapes (row-major): A is [m, k] ([k, m] if transA), B is [k, n] ([n, k] if transB), C is [m, n].
 * When beta is 0, C's previous content is ignored (NaN in C does not propagate); when alpha is 0
 * or k is 0, A and B are not read.
 *
 * @param a byte offset of A; @param b byte offset of B; @param c byte offset of C;
 * @param scratch byte offset of `scratchBytes(m, n, k)` bytes, 64-aligned, not overlapping A, B, C.
 */
export function gemm(transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, b: usize, beta: f32, c: usize, scratch: usize): void {
  if (m <= 0 || n <= 0) return;
  scaleC(c, m * n, beta);
  if (alpha == 0 || k <= 0) return;

  // Element strides of op(A)[i, p] and op(B)[p, j] in the stored arrays.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;

  const kcMax = min(k, KC);
  const packedA = scratch;
  const packedB = packedA + <usize>packedABytes(roundUp(min(m, MC), MR), kcMax);
  const tile = packedB + <usize>packedBBytes(kcMax, roundUp(min(n, NC), NR));
  const bInPlace = !transB && (m <= DIRECT_B_MAX_M || n % DIRECT_B_ALIAS_FLOATS != 0);

  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // op(B)[pc + p, jc + j]: panels run along j (stride bCol), depth along p (stride bRow).
      // Columns [0, ncInPlace) are read in place; the rest are packed.
      const bBlock = b + <usize>((pc * bRow + jc * bCol) * F32);
      const ncInPlace = bInPlace ? nc & ~(NR - 1) : 0;
      packPanels(bBlock + <usize>(ncInPlace * bCol * F32), bCol, bRow, nc - ncInPlace, kc, NR, 1, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        // op(A)[ic + i, pc + p]: panels run along i (stride aRow), depth along p (stride aCol).
        packPanels(a + <usize>((ic * aRow + pc * aCol) * F32), aRow, aCol, mc, kc, MR, alpha, packedA);
        macroKernel(mc, nc, kc, packedA, bBlock, ncInPlace, packedB, c + <usize>((ic * n + jc) * F32), n, tile);
      }
    }
  }
}

/** C = beta * C over `count` floats; beta = 0 writes zeros without reading C. */
function scaleC(c: usize, count: i32, beta: f32): void {
  if (beta == 1) return;
  if (beta == 0) {
    memory.fill(c, 0, <usize>count * F32);
    return;
  }
  const vb = f32x4.splat(beta);
  const end = c + <usize>count * F32;
  const vecEnd = c + <usize>(count & ~3) * F32;
  let p = c;
  for (; p < vecEnd; p += 16) v128.store(p, f32x4.mul(v128.load(p), vb));
  for (; p < end; p += F32) f32.store(p, f32.load(p) * beta);
}

/**
 * Packs an `extent x depth` block of a strided matrix X into panels of `width` rows:
 * dst[panel][d][w] = scale * X[panel * width + w, d], zero-padded past `extent`.
 * X[e, d] lives at src + (e * eStride + d * dStride) * 4. Each panel is depth * width floats,
 * contiguous, in the order the micro-kernel reads it. Full panels take a SIMD path when either
 * stride is 1 (both widths, MR and NR, are multiples of 4).
 */
function packPanels(src: usize, eStride: i32, dStride: i32, extent: i32, depth: i32,
  width: i32, scale: f32, dst: usize): void {
  const vscale = f32x4.splat(scale);
  const panelBytes = <usize>(depth * width * F32);
  for (let e0 = 0; e0 < extent; e0 += width) {
    const w = min(width, extent - e0);
    const s0 = src + <usize>(e0 * eStride * F32);
    const simd = w == width && (width & 3) == 0;
    if (simd && eStride == 1) {
      // The `width` values of one depth step are contiguous: copy them as f32x4 vectors.
      for (let d = 0; d < depth; d++) {
        const s = s0 + <usize>(d * dStride * F32);
        const t = dst + <usize>(d * width * F32);
        for (let v = 0; v < width; v += 4) {
          v128.store(t + <usize>(v * F32), f32x4.mul(v128.load(s + <usize>(v * F32)), vscale));
        }
      }
    } else if (simd && dStride == 1) {
      // Depth is contiguous: transpose 4 x 4 blocks (4 lanes x 4 depth steps) in registers.
      const depth4 = depth & ~3;
      for (let d = 0; d < depth4; d += 4) {
        for (let l = 0; l < width; l += 4) {
          transpose4x4(s0 + <usize>((l * eStride + d) * F32), <usize>(eStride * F32), vscale,
            dst + <usize>((d * width + l) * F32), <usize>(width * F32));
        }
      }
      gather(s0, eStride, dStride, w, depth4, depth, width, scale, dst);
    } else {
      gather(s0, eStride, dStride, w, 0, depth, width, scale, dst);
      if (w < width) {
        for (let d = 0; d < depth; d++) {
          memory.fill(dst + <usize>((d * width + w) * F32), 0, <usize>((width - w) * F32));
        }
      }
    }
    dst += panelBytes;
  }
}

/** Scalar part of `packPanels`: lanes [0, lanes) and depth steps [d0, d1) of one panel. */
function gather(s0: usize, eStride: i32, dStride: i32, lanes: i32, d0: i32, d1: i32,
  width: i32, scale: f32, dst: usize): void {
  for (let l = 0; l < lanes; l++) {
    const s = s0 + <usize>(l * eStride * F32);
    const t = dst + <usize>(l * F32);
    for (let d = d0; d < d1; d++) {
      f32.store(t + <usize>(d * width * F32), scale * f32.load(s + <usize>(d * dStride * F32)));
    }
  }
}

/**
 * Reads 4 rows of 4 floats (row q at src + q * srcStride), scales them, and writes them
 * transposed: column q goes to dst + q * dstStride. Strides in bytes.
 */
// @ts-ignore: decorator
@inline function transpose4x4(src: usize, srcStride: usize, vscale: v128, dst: usize, dstStride: usize): void {
  const r0 = f32x4.mul(v128.load(src), vscale);
  const r1 = f32x4.mul(v128.load(src + srcStride), vscale);
  const r2 = f32x4.mul(v128.load(src + 2 * srcStride), vscale);
  const r3 = f32x4.mul(v128.load(src + 3 * srcStride), vscale);
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
  const t1 = f32x4.shuffle(r0, r1, 2, 6, 3, 7); // r0[2] r1[2] r0[3] r1[3]
  const t2 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t2, 0, 1, 4, 5)); // r0[0] r1[0] r2[0] r3[0]
  v128.store(dst + dstStride, f32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStride, f32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStride, f32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/**
 * C[mc x nc] += packedA (mc x kc, MR panels) * B block (kc x nc). Columns [0, ncInPlace) of the
 * B block are read in place from `bBlock` (row stride ldc, as B has n columns like C); the rest
 * are NR panels in `packedB`. ldc in floats.
 */
function macroKernel(mc: i32, nc: i32, kc: i32, packedA: usize, bBlock: usize, ncInPlace: i32,
  packedB: usize, c: usize, ldc: i32, tile: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const inPlace = jr < ncInPlace;
    const pb = inPlace ? bBlock + <usize>(jr * F32) : packedB + <usize>((jr - ncInPlace) * kc * F32);
    const bStep = inPlace ? <usize>(ldc * F32) : <usize>(NR * F32);
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      microKernel(kc, packedA + <usize>(ir * kc * F32), pb,
        c + <usize>((ir * ldc + jr) * F32), ldc, mr, nr, tile, bStep);
    }
  }
}

// @ts-ignore: decorator
@inline function madd(acc: v128, x: v128, y: v128): v128 {
  return f32x4.add(acc, f32x4.mul(x, y));
}

/** Adds one accumulated row (two f32x4) to C's row at `row` (full tiles). */
// @ts-ignore: decorator
@inline function addRow(row: usize, lo: v128, hi: v128): void {
  v128.store(row, f32x4.add(v128.load(row), lo));
  v128.store(row, f32x4.add(v128.load(row, 16), hi), 16);
}

/** Stores one accumulated row (two f32x4) into the edge tile. */
// @ts-ignore: decorator
@inline function storeRow(row: usize, lo: v128, hi: v128): void {
  v128.store(row, lo);
  v128.store(row, hi, 16);
}

/**
 * The 4 x 8 register tile: C[0:mr, 0:nr] += sum over p of pa[p][0:4] (outer) pb[p][0:8], where
 * pa[p] is at pa + 16 p and pb[p] at pb + bStep p (bytes). Accumulators c<i><h> hold row i,
 * columns 4h..4h+3. A partial tile (mr < MR or nr < NR) is computed in full from zero-padded
 * panels and only its valid part is added to C, through `tile`.
 */
function microKernel(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, mr: i32, nr: i32,
  tile: usize, bStep: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = pa + <usize>(kc * MR * F32);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(c00, av, b0); c01 = madd(c01, av, b1);
    av = v128.load32_splat(pa, 4);
    c10 = madd(c10, av, b0); c11 = madd(c11, av, b1);
    av = v128.load32_splat(pa, 8);
    c20 = madd(c20, av, b0); c21 = madd(c21, av, b1);
    av = v128.load32_splat(pa, 12);
    c30 = madd(c30, av, b0); c31 = madd(c31, av, b1);
    pa += MR * F32;
    pb += bStep;
  }
  const rowBytes = <usize>(ldc * F32);
  if (mr == MR && nr == NR) {
    addRow(c, c00, c01);
    addRow(c + rowBytes, c10, c11);
    addRow(c + 2 * rowBytes, c20, c21);
    addRow(c + 3 * rowBytes, c30, c31);
    return;
  }
  const tileRow = <usize>(NR * F32);
  storeRow(tile, c00, c01);
  storeRow(tile + tileRow, c10, c11);
  storeRow(tile + 2 * tileRow, c20, c21);
  storeRow(tile + 3 * tileRow, c30, c31);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * rowBytes;
    const t = tile + <usize>i * tileRow;
    for (let j = 0; j < nr; j++) {
      const q = row + <usize>(j * F32);
      f32.store(q, f32.load(q) + f32.load(t + <usize>(j * F32)));
    }
  }
}
