// BLIS-style GEMM (Goto & van de Geijn, ACM TOMS 34(3), 2008; Van Zee & van de Geijn, BLIS, ACM
// TOMS 41(3), 2015; the "sup" small-matrix kernels of BLIS, which read unpacked operands).
//
// Loops, per work unit (a range of B panels x a range of rows of C): pc (KC of the reduction) >
// ir (MR rows: the A micro-panel, L1 resident) > jr (NR columns: B panels, L2 resident) around an
// MR x NR register-blocked micro-kernel that broadcasts A and loads NR-wide rows of op(B).
//
// Operands are read in place when their layout allows it, packed otherwise:
// - op(A) = A (row-major [m, k]): the micro-kernel reads the MR rows directly (stride k);
//   op(A) = A^T ([k, m]): each micro-panel is packed ([p][MR], contiguous copies).
// - op(B) = B ([k, n]): read in place (rows of NR floats, stride n) when C has few rows; packed
//   into zero-padded [p][NR] panels per unit when enough rows reuse them; op(B) = B^T ([n, k]):
//   always packed (a transpose).
// Edges need no buffer: a micro-kernel exists for every row count <= MR, and columns past n are
// masked on load (of unpacked B and C) and on store.
//
// Determinism: each C element is acc = sum_p a_ip b_pj accumulated from 0 in p order within each
// KC block (one FMA per p, the same instruction whatever the tile size, mask or packing), then
// C = alpha * acc + beta * C (beta = 1 after the first KC block), mul and add rounded separately
// (built with -ffp-contract=off). The KC blocks depend on k only, and units split C by rows or
// columns, never k, so the result does not depend on the thread count or on which path ran.
#include "gemm.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "parallel.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DEEPWELL_X86 1
#endif

namespace deepwell {

/** Largest reduction block: the A micro-panel (MR x KC, 18 KiB at MR = 12) stays in L1. */
constexpr long KC_MAX = 384;
/** Widest unit of columns: its packed KC x NC slice of B (768 KiB) stays in this core's L2. */
constexpr long NC_MAX = 512;
/** Below this many flops (2 m n k) a GEMM stays on the calling thread (waking threads costs ~10 us). */
constexpr double GEMM_PARALLEL_MIN_FLOPS = 1.0e6;
/** op(B) = B is packed when C has at least this many rows (the pack is reused by each MR rows). */
constexpr long PACK_B_MIN_ROWS = 96;
/** Work units per thread when splitting (claimed dynamically, so a delayed thread does not hold the others). */
constexpr long UNITS_PER_THREAD = 3;
/** Alignment of the packed buffers (one cache line, one zmm). */
constexpr size_t ALIGN = 64;

/** One micro-kernel call: C[rows, cols] (=|+=) alpha * A[rows, kc] B[kc, cols]. */
struct Tile {
  long kc;
  /** A(i, p) = a[i * a_rs + p * a_cs] (one of the strides is 1). */
  const float* a;
  long a_rs, a_cs;
  /** B(p, j) = b[p * ldb + j]; padded: zeros follow up to the next multiple of NR (full loads are safe). */
  const float* b;
  long ldb;
  bool b_padded;
  float* c;
  long ldc;
  long cols;
  float alpha, beta;
};

/** Computes one tile of `rows` <= MR rows and `t.cols` <= NR columns. */
using MicroKernel = void (*)(const Tile& t, int rows);

struct IsaKernel {
  Isa isa;
  int mr;
  int nr;
  MicroKernel kernel;
};

// ---- micro-kernels -------------------------------------------------------------------------

/** Portable kernel: rows <= 4, cols <= 16 (scalar; the fallback where no vector ISA is found). */
static void kernel_generic(const Tile& t, int rows) {
  constexpr int MR = 4, NR = 16;
  float acc[MR][NR] = {};
  for (long p = 0; p < t.kc; p++) {
    const float* bp = t.b + p * t.ldb;
    for (int i = 0; i < rows; i++) {
      const float ai = t.a[i * t.a_rs + p * t.a_cs];
      for (long j = 0; j < t.cols; j++) acc[i][j] += ai * bp[j];
    }
  }
  for (int i = 0; i < rows; i++) {
    float* ci = t.c + i * t.ldc;
    for (long j = 0; j < t.cols; j++) {
      const float v = t.alpha * acc[i][j];
      ci[j] = t.beta == 0.0f ? v : v + t.beta * ci[j];
    }
  }
}

#ifdef DEEPWELL_X86
/**
 * AVX-512F, R x (16 V) with R <= 12, V <= 2: 2 R zmm accumulators, V loads of B and R broadcasts
 * of A per p. A_ROWS: A is read along rows (a_cs = 1), else along columns (a_rs = 1).
 */
template <int R, int V, bool A_ROWS>
__attribute__((target("avx512f"))) static void kernel_avx512(const Tile& t, int) {
  const long last = t.cols - 16 * (V - 1);  // 1..16
  const __mmask16 store_mask = last >= 16 ? 0xFFFF : static_cast<__mmask16>((1u << last) - 1);
  const __mmask16 load_mask = t.b_padded ? 0xFFFF : store_mask;
  __m512 acc[R][V];
#pragma GCC unroll 12
  for (int i = 0; i < R; i++) {
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) acc[i][v] = _mm512_setzero_ps();
  }
  const float* b = t.b;
  const long ldb = t.ldb;
  if (A_ROWS) {
    // Rows in groups of three off one base pointer each: row 3g + r at base[g] + r * rs.
    const long rs = t.a_rs;
    const float* base[(R + 2) / 3];
#pragma GCC unroll 4
    for (int g = 0; g < (R + 2) / 3; g++) base[g] = t.a + 3 * g * rs;
#pragma GCC unroll 4
    for (long p = 0; p < t.kc; p++) {
      __m512 bv[V];
#pragma GCC unroll 2
      for (int v = 0; v < V; v++) bv[v] = v == V - 1 ? _mm512_maskz_loadu_ps(load_mask, b + 16 * v) : _mm512_loadu_ps(b + 16 * v);
#pragma GCC unroll 12
      for (int i = 0; i < R; i++) {
        const __m512 ai = _mm512_set1_ps(base[i / 3][(i % 3) * rs + p]);
#pragma GCC unroll 2
        for (int v = 0; v < V; v++) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
      }
      b += ldb;
    }
  } else {
    const float* a = t.a;
    const long cs = t.a_cs;
#pragma GCC unroll 4
    for (long p = 0; p < t.kc; p++) {
      __m512 bv[V];
#pragma GCC unroll 2
      for (int v = 0; v < V; v++) bv[v] = v == V - 1 ? _mm512_maskz_loadu_ps(load_mask, b + 16 * v) : _mm512_loadu_ps(b + 16 * v);
#pragma GCC unroll 12
      for (int i = 0; i < R; i++) {
        const __m512 ai = _mm512_set1_ps(a[i]);
#pragma GCC unroll 2
        for (int v = 0; v < V; v++) acc[i][v] = _mm512_fmadd_ps(ai, bv[v], acc[i][v]);
      }
      a += cs;
      b += ldb;
    }
  }
  const __m512 va = _mm512_set1_ps(t.alpha);
  const __m512 vb = _mm512_set1_ps(t.beta);
  const bool read_c = t.beta != 0.0f;
#pragma GCC unroll 12
  for (int i = 0; i < R; i++) {
    float* ci = t.c + i * t.ldc;
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) {
      __m512 r = _mm512_mul_ps(va, acc[i][v]);
      if (v == V - 1) {
        if (read_c) r = _mm512_add_ps(r, _mm512_mul_ps(vb, _mm512_maskz_loadu_ps(store_mask, ci + 16 * v)));
        _mm512_mask_storeu_ps(ci + 16 * v, store_mask, r);
      } else {
        if (read_c) r = _mm512_add_ps(r, _mm512_mul_ps(vb, _mm512_loadu_ps(ci + 16 * v)));
        _mm512_storeu_ps(ci + 16 * v, r);
      }
    }
  }
}

/** The reduction of the AVX2 kernel; MASKED: the last vector of B is loaded under `mask`. */
template <int R, int V, bool A_ROWS, bool MASKED>
__attribute__((target("avx2,fma"))) static inline void accumulate_avx2(const Tile& t, __m256i mask, __m256 (&acc)[R][V]) {
  const float* b = t.b;
  for (long p = 0; p < t.kc; p++) {
    __m256 bv[V];
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) bv[v] = MASKED && v == V - 1 ? _mm256_maskload_ps(b + 8 * v, mask) : _mm256_loadu_ps(b + 8 * v);
#pragma GCC unroll 6
    for (int i = 0; i < R; i++) {
      const __m256 ai = _mm256_set1_ps(A_ROWS ? t.a[i * t.a_rs + p] : t.a[p * t.a_cs + i]);
#pragma GCC unroll 2
      for (int v = 0; v < V; v++) acc[i][v] = _mm256_fmadd_ps(ai, bv[v], acc[i][v]);
    }
    b += t.ldb;
  }
}

/**
 * AVX2 + FMA, R x (8 V) with R <= 6, V <= 2: the same scheme on ymm registers (a masked load,
 * slower than a plain one there, only when the columns end inside an unpadded vector).
 */
template <int R, int V, bool A_ROWS>
__attribute__((target("avx2,fma"))) static void kernel_avx2(const Tile& t, int) {
  const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i store_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(t.cols - 8 * (V - 1))), lane);
  __m256 acc[R][V];
#pragma GCC unroll 6
  for (int i = 0; i < R; i++) {
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) acc[i][v] = _mm256_setzero_ps();
  }
  if (t.b_padded || t.cols == 8 * V) accumulate_avx2<R, V, A_ROWS, false>(t, store_mask, acc);
  else accumulate_avx2<R, V, A_ROWS, true>(t, store_mask, acc);
  const __m256 va = _mm256_set1_ps(t.alpha);
  const __m256 vb = _mm256_set1_ps(t.beta);
  const bool read_c = t.beta != 0.0f;
#pragma GCC unroll 6
  for (int i = 0; i < R; i++) {
    float* ci = t.c + i * t.ldc;
#pragma GCC unroll 2
    for (int v = 0; v < V; v++) {
      __m256 r = _mm256_mul_ps(va, acc[i][v]);
      if (v == V - 1) {
        if (read_c) r = _mm256_add_ps(r, _mm256_mul_ps(vb, _mm256_maskload_ps(ci + 8 * v, store_mask)));
        _mm256_maskstore_ps(ci + 8 * v, store_mask, r);
      } else {
        if (read_c) r = _mm256_add_ps(r, _mm256_mul_ps(vb, _mm256_loadu_ps(ci + 8 * v)));
        _mm256_storeu_ps(ci + 8 * v, r);
      }
    }
  }
}

/** Table [A_ROWS][V - 1][R - 1] of instances of a kernel template. */
template <template <int, int, bool> class K, int MR, size_t... I>
static constexpr std::array<std::array<std::array<MicroKernel, MR>, 2>, 2> make_table(std::index_sequence<I...>) {
  return {{{{{K<I + 1, 1, false>::f...}, {K<I + 1, 2, false>::f...}}},
           {{{K<I + 1, 1, true>::f...}, {K<I + 1, 2, true>::f...}}}}};
}

template <int R, int V, bool A_ROWS>
struct Avx512Fn { static constexpr MicroKernel f = kernel_avx512<R, V, A_ROWS>; };
template <int R, int V, bool A_ROWS>
struct Avx2Fn { static constexpr MicroKernel f = kernel_avx2<R, V, A_ROWS>; };

constexpr int MR_AVX512 = 12;
constexpr int MR_AVX2 = 6;
static const auto AVX512_TABLE = make_table<Avx512Fn, MR_AVX512>(std::make_index_sequence<MR_AVX512>());
static const auto AVX2_TABLE = make_table<Avx2Fn, MR_AVX2>(std::make_index_sequence<MR_AVX2>());

/** Dispatch on rows, vectors (1 when the tile has at most one vector of columns) and A's layout. */
static void kernel_avx512_any(const Tile& t, int rows) {
  AVX512_TABLE[t.a_cs == 1][t.cols > 16][rows - 1](t, rows);
}
static void kernel_avx2_any(const Tile& t, int rows) {
  AVX2_TABLE[t.a_cs == 1][t.cols > 8][rows - 1](t, rows);
}
#endif

static const IsaKernel GENERIC = {Isa::generic, 4, 16, kernel_generic};
#ifdef DEEPWELL_X86
static const IsaKernel AVX2 = {Isa::avx2, MR_AVX2, 16, kernel_avx2_any};
static const IsaKernel AVX512 = {Isa::avx512, MR_AVX512, 32, kernel_avx512_any};
#endif

// ---- dispatch --------------------------------------------------------------------------------

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::avx512: return "avx512f";
    case Isa::avx2: return "avx2+fma";
    case Isa::generic: return "generic";
  }
  return "generic";
}

bool isa_supported(Isa isa) {
  switch (isa) {
#ifdef DEEPWELL_X86
    case Isa::avx512: return __builtin_cpu_supports("avx512f");
    case Isa::avx2: return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    case Isa::avx512: case Isa::avx2: return false;
#endif
    case Isa::generic: return true;
  }
  return false;
}

static const IsaKernel* kernel_for(Isa isa) {
#ifdef DEEPWELL_X86
  if (isa == Isa::avx512) return &AVX512;
  if (isa == Isa::avx2) return &AVX2;
#endif
  (void)isa;
  return &GENERIC;
}

static const IsaKernel* best_kernel() {
  for (Isa isa : {Isa::avx512, Isa::avx2, Isa::generic}) {
    if (isa_supported(isa)) return kernel_for(isa);
  }
  return &GENERIC;
}

static const IsaKernel* g_kernel = best_kernel();

Isa current_isa() { return g_kernel->isa; }

bool set_isa(Isa isa) {
  if (!isa_supported(isa)) return false;
  g_kernel = kernel_for(isa);
  return true;
}

// ---- buffers ---------------------------------------------------------------------------------

/** A 64-byte aligned float buffer that only grows. */
class Buffer {
 public:
  Buffer() = default;
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&& other) noexcept : data_(other.data_), capacity_(other.capacity_) {
    other.data_ = nullptr;
    other.capacity_ = 0;
  }
  ~Buffer() { std::free(data_); }
  float* reserve(size_t floats) {
    if (floats > capacity_) {
      std::free(data_);
      const size_t bytes = ((floats * sizeof(float) + ALIGN - 1) / ALIGN) * ALIGN;
      data_ = static_cast<float*>(std::aligned_alloc(ALIGN, bytes));
      if (data_ == nullptr) throw std::bad_alloc();
      capacity_ = floats;
    }
    return data_;
  }

 private:
  float* data_ = nullptr;
  size_t capacity_ = 0;
};

/** Per-thread packing buffers (kernel_mutex held): B slices of a unit, and one A micro-panel. */
static std::vector<Buffer> g_packed_b;
static std::vector<Buffer> g_packed_a;

// ---- packing ---------------------------------------------------------------------------------

struct Operands {
  bool trans_a, trans_b;
  long m, n, k;
  float alpha, beta;
  const float* a;
  const float* b;
  float* c;
};

/** op(A)[i0:i0+rows, p0:p0+kc] into [p][MR] (rows past `rows` are left as they are: never read). */
static void pack_a(const Operands& g, int mr, long i0, long rows, long p0, long kc, float* dst) {
  if (g.trans_a) {
    const float* src = g.a + p0 * g.m + i0;
    for (long p = 0; p < kc; p++) std::memcpy(dst + p * mr, src + p * g.m, static_cast<size_t>(rows) * sizeof(float));
  } else {
    for (long r = 0; r < rows; r++) {
      const float* src = g.a + (i0 + r) * g.k + p0;
      for (long p = 0; p < kc; p++) dst[p * mr + r] = src[p];
    }
  }
}

/** dst[p * ldd + j] = src[j * lds + p] for j < rows, p < cols (scalar, four source rows at a time). */
static void transpose_scalar(const float* src, long lds, long rows, long cols, float* dst, long ldd) {
  long j = 0;
  for (; j + 4 <= rows; j += 4) {
    const float* s0 = src + j * lds;
    const float* s1 = s0 + lds;
    const float* s2 = s1 + lds;
    const float* s3 = s2 + lds;
    for (long p = 0; p < cols; p++) {
      float* d = dst + p * ldd + j;
      d[0] = s0[p];
      d[1] = s1[p];
      d[2] = s2[p];
      d[3] = s3[p];
    }
  }
  if (j < rows) {
    for (long p = 0; p < cols; p++) {
      for (long r = j; r < rows; r++) dst[p * ldd + r] = src[r * lds + p];
    }
  }
}

#ifdef DEEPWELL_X86
/** The same, 16 x 16 blocks transposed in zmm registers (unpack, shuffle within and across lanes). */
__attribute__((target("avx512f"))) static void transpose_avx512(const float* src, long lds, long rows, long cols, float* dst, long ldd) {
  const long rows16 = rows / 16 * 16;
  const long cols16 = cols / 16 * 16;
  for (long j = 0; j < rows16; j += 16) {
    for (long p = 0; p < cols16; p += 16) {
      __m512 r[16], t[16];
#pragma GCC unroll 16
      for (int i = 0; i < 16; i++) r[i] = _mm512_loadu_ps(src + (j + i) * lds + p);
#pragma GCC unroll 8
      for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm512_unpackhi_ps(r[i], r[i + 1]);
      }
      // r[4 q + s]: within each 128-bit lane L, column 4 L + s of source rows 4 q .. 4 q + 3.
#pragma GCC unroll 4
      for (int q = 0; q < 4; q++) {
        r[4 * q + 0] = _mm512_shuffle_ps(t[4 * q], t[4 * q + 2], 0x44);
        r[4 * q + 1] = _mm512_shuffle_ps(t[4 * q], t[4 * q + 2], 0xEE);
        r[4 * q + 2] = _mm512_shuffle_ps(t[4 * q + 1], t[4 * q + 3], 0x44);
        r[4 * q + 3] = _mm512_shuffle_ps(t[4 * q + 1], t[4 * q + 3], 0xEE);
      }
#pragma GCC unroll 4
      for (int s = 0; s < 4; s++) {
        const __m512 v0 = _mm512_shuffle_f32x4(r[s], r[4 + s], 0x88);
        const __m512 w0 = _mm512_shuffle_f32x4(r[s], r[4 + s], 0xDD);
        const __m512 v1 = _mm512_shuffle_f32x4(r[8 + s], r[12 + s], 0x88);
        const __m512 w1 = _mm512_shuffle_f32x4(r[8 + s], r[12 + s], 0xDD);
        _mm512_storeu_ps(dst + (p + s) * ldd + j, _mm512_shuffle_f32x4(v0, v1, 0x88));
        _mm512_storeu_ps(dst + (p + 8 + s) * ldd + j, _mm512_shuffle_f32x4(v0, v1, 0xDD));
        _mm512_storeu_ps(dst + (p + 4 + s) * ldd + j, _mm512_shuffle_f32x4(w0, w1, 0x88));
        _mm512_storeu_ps(dst + (p + 12 + s) * ldd + j, _mm512_shuffle_f32x4(w0, w1, 0xDD));
      }
    }
    for (long p = cols16; p < cols; p++) {
      for (long i = 0; i < 16; i++) dst[p * ldd + j + i] = src[(j + i) * lds + p];
    }
  }
  if (rows16 < rows) transpose_scalar(src + rows16 * lds, lds, rows - rows16, cols, dst + rows16, ldd);
}
#endif

/** dst[p * ldd + j] = src[j * lds + p] for j < rows, p < cols. */
static void transpose_into(const float* src, long lds, long rows, long cols, float* dst, long ldd) {
#ifdef DEEPWELL_X86
  if (current_isa() == Isa::avx512) {
    transpose_avx512(src, lds, rows, cols, dst, ldd);
    return;
  }
#endif
  transpose_scalar(src, lds, rows, cols, dst, ldd);
}

/**
 * Panels q0..q1 of op(B)[p0:p0+kc, :] (NR columns each, columns past n zero) into
 * dst[(q - q0) * kc * NR + p * NR + j].
 */
static void pack_b(const Operands& g, int nr, long q0, long q1, long p0, long kc, float* dst) {
  for (long q = q0; q < q1; q++) {
    const long j0 = q * nr;
    const long cols = std::min<long>(nr, g.n - j0);
    float* panel = dst + (q - q0) * kc * nr;
    if (!g.trans_b) {
      for (long p = 0; p < kc; p++) {
        const float* src = g.b + (p0 + p) * g.n + j0;
        float* row = panel + p * nr;
        std::memcpy(row, src, static_cast<size_t>(cols) * sizeof(float));
        for (long j = cols; j < nr; j++) row[j] = 0.0f;
      }
    } else {
      transpose_into(g.b + j0 * g.k + p0, g.k, cols, kc, panel, nr);
      if (cols < nr) {
        for (long p = 0; p < kc; p++) std::fill(panel + p * nr + cols, panel + (p + 1) * nr, 0.0f);
      }
    }
  }
}

// ---- the loops -------------------------------------------------------------------------------

/** How one call is cut: KC blocks, which operands are packed, and the work units. */
struct Plan {
  const IsaKernel* kern;
  long kc_step;     // KC blocks start at multiples of kc_step
  bool packed_a, packed_b;
  long panels;      // ceil(n / NR)
  long micro_rows;  // ceil(m / MR)
  long col_units, row_units;
};

/** One unit: B panels [q0, q1) x micro-panels of rows [r0, r1), every KC block. */
static void run_unit(const Operands& g, const Plan& plan, long q0, long q1, long r0, long r1, float* pb, float* pa) {
  const IsaKernel& kern = *plan.kern;
  const int mr = kern.mr;
  const int nr = kern.nr;
  for (long p0 = 0; p0 < g.k; p0 += plan.kc_step) {
    const long kc = std::min(plan.kc_step, g.k - p0);
    const float beta = p0 == 0 ? g.beta : 1.0f;
    if (plan.packed_b) pack_b(g, nr, q0, q1, p0, kc, pb);
    for (long r = r0; r < r1; r++) {
      const long i0 = r * mr;
      const int rows = static_cast<int>(std::min<long>(mr, g.m - i0));
      Tile t;
      t.kc = kc;
      if (plan.packed_a) {
        pack_a(g, mr, i0, rows, p0, kc, pa);
        t.a = pa;
        t.a_rs = 1;
        t.a_cs = mr;
      } else {
        t.a = g.a + i0 * g.k + p0;
        t.a_rs = g.k;
        t.a_cs = 1;
      }
      t.b_padded = plan.packed_b;
      t.ldb = plan.packed_b ? nr : g.n;
      t.ldc = g.n;
      t.alpha = g.alpha;
      t.beta = beta;
      for (long q = q0; q < q1; q++) {
        const long j0 = q * nr;
        t.b = plan.packed_b ? pb + (q - q0) * kc * nr : g.b + p0 * g.n + j0;
        t.c = g.c + i0 * g.n + j0;
        t.cols = std::min<long>(nr, g.n - j0);
        kern.kernel(t, rows);
      }
    }
  }
}

static Plan make_plan(const Operands& g, const IsaKernel& kern, int threads) {
  Plan plan;
  plan.kern = &kern;
  const long blocks = (g.k + KC_MAX - 1) / KC_MAX;
  plan.kc_step = (g.k + blocks - 1) / blocks;
  // A^T has no contiguous rows; the rows of A are read in place (packing them costs more than the
  // L1 set conflicts it would spare, even at k = 1024, measured).
  plan.packed_a = g.trans_a;
  plan.packed_b = g.trans_b || g.m >= PACK_B_MIN_ROWS || (g.n % 256 == 0 && g.m > kern.mr);
  plan.panels = (g.n + kern.nr - 1) / kern.nr;
  plan.micro_rows = (g.m + kern.mr - 1) / kern.mr;
  const long max_panels = NC_MAX / kern.nr;
  // Units of columns first (each packs only its own B panels), then rows when columns are too few.
  const long want = threads == 1 ? 1 : UNITS_PER_THREAD * threads;
  plan.col_units = std::min(plan.panels, std::max((plan.panels + max_panels - 1) / max_panels, want));
  plan.row_units = std::min(plan.micro_rows, std::max<long>(1, (want + plan.col_units - 1) / plan.col_units));
  return plan;
}

void sgemm(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float* a,
           const float* b, float beta, float* c) {
  if (m <= 0 || n <= 0) return;
  if (alpha == 0.0f || k <= 0) {
    const long mn = m * n;
    if (beta == 0.0f) std::fill(c, c + mn, 0.0f);
    else if (beta != 1.0f) for (long i = 0; i < mn; i++) c[i] *= beta;
    return;
  }
  const Operands g{trans_a, trans_b, m, n, k, alpha, beta, a, b, c};
  std::lock_guard<std::mutex> lock(kernel_mutex());
  const IsaKernel& kern = *g_kernel;
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  const int threads = flops < GEMM_PARALLEL_MIN_FLOPS ? 1 : pool().size();
  const Plan plan = make_plan(g, kern, threads);
  const long units = plan.col_units * plan.row_units;
  const long unit_panels = (plan.panels + plan.col_units - 1) / plan.col_units;
  if (g_packed_a.size() < static_cast<size_t>(threads)) g_packed_a.resize(static_cast<size_t>(threads));
  if (g_packed_b.size() < static_cast<size_t>(threads)) g_packed_b.resize(static_cast<size_t>(threads));
  static std::vector<float*> pa, pb;
  pa.assign(static_cast<size_t>(threads), nullptr);
  pb.assign(static_cast<size_t>(threads), nullptr);
  for (int t = 0; t < threads; t++) {
    if (plan.packed_a) pa[t] = g_packed_a[t].reserve(static_cast<size_t>(kern.mr * plan.kc_step));
    if (plan.packed_b) pb[t] = g_packed_b[t].reserve(static_cast<size_t>(unit_panels * kern.nr * plan.kc_step));
  }
  const auto unit = [&](long u, int t) {
    const long cu = u % plan.col_units;
    const long ru = u / plan.col_units;
    run_unit(g, plan, plan.panels * cu / plan.col_units, plan.panels * (cu + 1) / plan.col_units,
             plan.micro_rows * ru / plan.row_units, plan.micro_rows * (ru + 1) / plan.row_units, pb[t], pa[t]);
  };
  if (threads == 1 || units == 1) {
    for (long u = 0; u < units; u++) unit(u, 0);
    return;
  }
  std::atomic<long> next{0};
  pool().run(threads, [&](int t, int) {
    for (long u; (u = next.fetch_add(1)) < units;) unit(u, t);
  });
}

}  // namespace deepwell
