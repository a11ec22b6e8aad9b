// BLIS-style GEMM (Goto & van de Geijn, ACM TOMS 34(3), 2008; Van Zee & van de Geijn, BLIS, ACM
// TOMS 41(3), 2015): the loops jc (NC columns of C) > pc (KC of the reduction) > ic (MC rows) >
// jr (NR) > ir (MR) around a register-blocked micro-kernel on packed panels.
//
// Packing: op(B)[pc:pc+kc, jc:jc+nc] into panels of NR columns, [panel][p][NR] (shared by the
// threads, L3/L2 resident); op(A)[ic:ic+mc, pc:pc+kc] into panels of MR rows, [panel][p][MR]
// (per thread, L2 resident). Edges are zero-padded, so the micro-kernel always computes a whole
// MR x NR tile; an edge tile goes through a small buffer and only its valid part is stored.
//
// Determinism: each C element is acc = sum_p a_ip b_pj accumulated in p order within each KC
// block by the same micro-kernel, then C = alpha * acc + beta * C (beta = 1 after the first KC
// block), mul and add rounded separately (built with -ffp-contract=off). Threads split C by rows
// (multiples of MR) or columns (multiples of NR), never k, so the result does not depend on the
// thread count.
#include "gemm.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include "parallel.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define DEEPWELL_X86 1
#endif

namespace deepwell {

/** Reduction block: a KC x NR panel of B (32 KiB at NR = 32) stays in L1 across the ir loop. */
constexpr long KC = 256;
/** Rows of A packed at once (rounded down to a multiple of MR): MC x KC floats, 128 KiB, in L2. */
constexpr long MC_TARGET = 128;
/** Columns of B packed at once (a multiple of every NR): KC x NC floats, 3 MiB, in L3. */
constexpr long NC = 3072;
/** Below this many flops (2 m n k) a GEMM stays on the calling thread (waking threads costs ~10 us). */
constexpr double GEMM_PARALLEL_MIN_FLOPS = 2.0e6;
/** Alignment of the packed buffers (one cache line, one zmm). */
constexpr size_t ALIGN = 64;
/** Largest MR x NR over the ISAs (edge-tile buffer). */
constexpr int MAX_TILE = 16 * 32;

/** tile = alpha * acc or C = alpha * acc + beta * C over a full MR x NR tile (beta 0: C not read). */
using MicroKernel = void (*)(long kc, const float* a, const float* b, float* c, long ldc, float alpha, float beta);

struct IsaKernel {
  Isa isa;
  int mr;
  int nr;
  MicroKernel kernel;
};

// ---- micro-kernels -------------------------------------------------------------------------

/** Portable MR x NR kernel (the compiler vectorizes it with the baseline ISA). */
template <int MR, int NR>
static void kernel_generic(long kc, const float* a, const float* b, float* c, long ldc, float alpha, float beta) {
  float acc[MR][NR] = {};
  for (long p = 0; p < kc; p++) {
    for (int i = 0; i < MR; i++) {
      const float ai = a[i];
      for (int j = 0; j < NR; j++) acc[i][j] += ai * b[j];
    }
    a += MR;
    b += NR;
  }
  for (int i = 0; i < MR; i++) {
    float* ci = c + i * ldc;
    for (int j = 0; j < NR; j++) {
      const float t = alpha * acc[i][j];
      ci[j] = beta == 0.0f ? t : t + beta * ci[j];
    }
  }
}

#ifdef DEEPWELL_X86
/** AVX2 + FMA, 6 x 16: 12 ymm accumulators, 2 loads of B and 6 broadcasts of A per k. */
__attribute__((target("avx2,fma")))
static void kernel_avx2_6x16(long kc, const float* a, const float* b, float* c, long ldc, float alpha, float beta) {
  __m256 c0[6], c1[6];
#pragma GCC unroll 6
  for (int i = 0; i < 6; i++) c0[i] = c1[i] = _mm256_setzero_ps();
  for (long p = 0; p < kc; p++) {
    const __m256 b0 = _mm256_load_ps(b);
    const __m256 b1 = _mm256_load_ps(b + 8);
#pragma GCC unroll 6
    for (int i = 0; i < 6; i++) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      c0[i] = _mm256_fmadd_ps(ai, b0, c0[i]);
      c1[i] = _mm256_fmadd_ps(ai, b1, c1[i]);
    }
    a += 6;
    b += 16;
  }
  const __m256 va = _mm256_set1_ps(alpha);
  const __m256 vb = _mm256_set1_ps(beta);
#pragma GCC unroll 6
  for (int i = 0; i < 6; i++) {
    float* ci = c + i * ldc;
    __m256 t0 = _mm256_mul_ps(va, c0[i]);
    __m256 t1 = _mm256_mul_ps(va, c1[i]);
    if (beta != 0.0f) {
      t0 = _mm256_add_ps(t0, _mm256_mul_ps(vb, _mm256_loadu_ps(ci)));
      t1 = _mm256_add_ps(t1, _mm256_mul_ps(vb, _mm256_loadu_ps(ci + 8)));
    }
    _mm256_storeu_ps(ci, t0);
    _mm256_storeu_ps(ci + 8, t1);
  }
}

/** AVX-512F, 8 x 32: 16 zmm accumulators, 2 loads of B and 8 broadcasts of A per k. */
__attribute__((target("avx512f")))
static void kernel_avx512_8x32(long kc, const float* a, const float* b, float* c, long ldc, float alpha, float beta) {
  __m512 c0[8], c1[8];
#pragma GCC unroll 8
  for (int i = 0; i < 8; i++) c0[i] = c1[i] = _mm512_setzero_ps();
  for (long p = 0; p < kc; p++) {
    const __m512 b0 = _mm512_load_ps(b);
    const __m512 b1 = _mm512_load_ps(b + 16);
#pragma GCC unroll 8
    for (int i = 0; i < 8; i++) {
      const __m512 ai = _mm512_set1_ps(a[i]);
      c0[i] = _mm512_fmadd_ps(ai, b0, c0[i]);
      c1[i] = _mm512_fmadd_ps(ai, b1, c1[i]);
    }
    a += 8;
    b += 32;
  }
  const __m512 va = _mm512_set1_ps(alpha);
  const __m512 vb = _mm512_set1_ps(beta);
#pragma GCC unroll 8
  for (int i = 0; i < 8; i++) {
    float* ci = c + i * ldc;
    __m512 t0 = _mm512_mul_ps(va, c0[i]);
    __m512 t1 = _mm512_mul_ps(va, c1[i]);
    if (beta != 0.0f) {
      t0 = _mm512_add_ps(t0, _mm512_mul_ps(vb, _mm512_loadu_ps(ci)));
      t1 = _mm512_add_ps(t1, _mm512_mul_ps(vb, _mm512_loadu_ps(ci + 16)));
    }
    _mm512_storeu_ps(ci, t0);
    _mm512_storeu_ps(ci + 16, t1);
  }
}
#endif

static const IsaKernel GENERIC = {Isa::generic, 4, 16, kernel_generic<4, 16>};
#ifdef DEEPWELL_X86
static const IsaKernel AVX2 = {Isa::avx2, 6, 16, kernel_avx2_6x16};
static const IsaKernel AVX512 = {Isa::avx512, 8, 32, kernel_avx512_8x32};
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

// ---- buffers and threads ---------------------------------------------------------------------

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

/** Packing buffers: B shared by the threads of a GEMM, A one per thread (kernel_mutex held). */
static Buffer g_packed_b;
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

/** op(A)[i0:i0+mc, p0:p0+kc] into MR-row panels [panel][p][MR], rows past mc zero. */
static void pack_a(const Operands& g, int mr, long i0, long mc, long p0, long kc, float* dst) {
  for (long ir = 0; ir < mc; ir += mr) {
    const long rows = std::min<long>(mr, mc - ir);
    float* panel = dst + ir * kc;
    if (!g.trans_a) {
      for (long r = 0; r < rows; r++) {
        const float* src = g.a + (i0 + ir + r) * g.k + p0;
        for (long p = 0; p < kc; p++) panel[p * mr + r] = src[p];
      }
    } else {
      for (long p = 0; p < kc; p++) {
        const float* src = g.a + (p0 + p) * g.m + i0 + ir;
        for (long r = 0; r < rows; r++) panel[p * mr + r] = src[r];
      }
    }
    for (long r = rows; r < mr; r++) {
      for (long p = 0; p < kc; p++) panel[p * mr + r] = 0.0f;
    }
  }
}

/** Panel `q` of op(B)[p0:p0+kc, j0:j0+nc]: NR columns [p][NR], columns past nc zero. */
static void pack_b_panel(const Operands& g, int nr, long j0, long nc, long p0, long kc, long q, float* dst) {
  const long jr = q * nr;
  const long cols = std::min<long>(nr, nc - jr);
  float* panel = dst + jr * kc;
  if (!g.trans_b) {
    for (long p = 0; p < kc; p++) {
      const float* src = g.b + (p0 + p) * g.n + j0 + jr;
      float* row = panel + p * nr;
      std::memcpy(row, src, static_cast<size_t>(cols) * sizeof(float));
      for (long j = cols; j < nr; j++) row[j] = 0.0f;
    }
  } else {
    for (long j = 0; j < cols; j++) {
      const float* src = g.b + (j0 + jr + j) * g.k + p0;
      for (long p = 0; p < kc; p++) panel[p * nr + j] = src[p];
    }
    for (long j = cols; j < nr; j++) {
      for (long p = 0; p < kc; p++) panel[p * nr + j] = 0.0f;
    }
  }
}

// ---- the loops -------------------------------------------------------------------------------

/** C[i0:i0+mc, j0 + q*NR ...] for panels q in [q0, q1) of packed B, rows of packed A. */
static void macro_kernel(const Operands& g, const IsaKernel& kern, long i0, long mc, long j0, long nc,
                         long kc, long q0, long q1, const float* pa, const float* pb, float beta) {
  const int mr = kern.mr;
  const int nr = kern.nr;
  alignas(ALIGN) float tile[MAX_TILE];
  for (long q = q0; q < q1; q++) {
    const long jr = q * nr;
    const long cols = std::min<long>(nr, nc - jr);
    const float* panel_b = pb + jr * kc;
    for (long ir = 0; ir < mc; ir += mr) {
      const long rows = std::min<long>(mr, mc - ir);
      float* cij = g.c + (i0 + ir) * g.n + j0 + jr;
      const float* panel_a = pa + ir * kc;
      if (rows == mr && cols == nr) {
        kern.kernel(kc, panel_a, panel_b, cij, g.n, g.alpha, beta);
      } else {
        kern.kernel(kc, panel_a, panel_b, tile, nr, g.alpha, 0.0f);
        for (long i = 0; i < rows; i++) {
          float* ci = cij + i * g.n;
          const float* ti = tile + i * nr;
          for (long j = 0; j < cols; j++) ci[j] = beta == 0.0f ? ti[j] : ti[j] + beta * ci[j];
        }
      }
    }
  }
}

/** Cap of the packed B buffer (floats, 64 MiB); NC shrinks for a call whose k x NC exceeds it. */
constexpr long MAX_PACKED_B = 16L << 20;

/**
 * The shared state of one GEMM over one NC block of columns: B is packed whole (every KC block,
 * [pc block][panel][kc][NR]) by the threads claiming panels, then the threads claim work units
 * (a block of rows x a range of B panels) until none is left. Claiming is dynamic, so a thread the
 * OS delays does not hold the others; a unit's result does not depend on who computes it.
 */
struct Block {
  const Operands* g;
  const IsaKernel* kern;
  long j0, nc, panels;
  float* pb;
  std::atomic<long> next_panel{0};
  std::atomic<long> packed{0};
  long rows_per_unit, row_units, col_units;
  std::atomic<long> next_unit{0};
};

static void pack_b_all(Block& blk) {
  const Operands& g = *blk.g;
  const int nr = blk.kern->nr;
  const long pad = blk.panels * nr;
  for (long q; (q = blk.next_panel.fetch_add(1)) < blk.panels;) {
    for (long p0 = 0; p0 < g.k; p0 += KC) {
      const long kc = std::min(KC, g.k - p0);
      pack_b_panel(g, nr, blk.j0, blk.nc, p0, kc, q, blk.pb + p0 * pad);
    }
    blk.packed.fetch_add(1, std::memory_order_release);
  }
  for (int i = 0; blk.packed.load(std::memory_order_acquire) < blk.panels; i++) {
    if (i < SPIN_ITERATIONS) cpu_relax(); else std::this_thread::yield();
  }
}

static void compute_units(Block& blk, float* pa) {
  const Operands& g = *blk.g;
  const IsaKernel& kern = *blk.kern;
  const long pad = blk.panels * kern.nr;
  const long units = blk.row_units * blk.col_units;
  for (long u; (u = blk.next_unit.fetch_add(1)) < units;) {
    const long r = u / blk.col_units;
    const long c = u % blk.col_units;
    const long i0 = r * blk.rows_per_unit;
    const long mc = std::min(blk.rows_per_unit, g.m - i0);
    const long q0 = blk.panels * c / blk.col_units;
    const long q1 = blk.panels * (c + 1) / blk.col_units;
    for (long p0 = 0; p0 < g.k; p0 += KC) {
      const long kc = std::min(KC, g.k - p0);
      pack_a(g, kern.mr, i0, mc, p0, kc, pa);
      macro_kernel(g, kern, i0, mc, blk.j0, blk.nc, kc, q0, q1, pa, blk.pb + p0 * pad, p0 == 0 ? g.beta : 1.0f);
    }
  }
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
  const int mr = kern.mr;
  const int nr = kern.nr;
  const double flops = 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  const int threads = flops < GEMM_PARALLEL_MIN_FLOPS ? 1 : pool().size();
  const long mc_max = std::max<long>(mr, (MC_TARGET / mr) * mr);
  const long nc_cap = std::max<long>(nr, std::min(NC, (MAX_PACKED_B / k) / nr * nr));
  const long nc_max = std::min(nc_cap, ((n + nr - 1) / nr) * nr);
  float* pb = g_packed_b.reserve(static_cast<size_t>(k * nc_max));
  if (g_packed_a.size() < static_cast<size_t>(threads)) g_packed_a.resize(static_cast<size_t>(threads));
  static std::vector<float*> pa;
  pa.resize(static_cast<size_t>(threads));
  for (int t = 0; t < threads; t++) pa[t] = g_packed_a[t].reserve(static_cast<size_t>(mc_max * std::min(KC, k)));
  // Units: blocks of rows (about 4 per thread, a multiple of MR, at most MC) and, when there are
  // too few of those for the threads, ranges of B panels as well.
  const long target_units = 4L * threads;
  const long rows_per_unit = threads == 1 ? mc_max
    : std::min(mc_max, std::max<long>(mr, ((m + target_units - 1) / target_units + mr - 1) / mr * mr));
  const long row_units = (m + rows_per_unit - 1) / rows_per_unit;
  for (long j0 = 0; j0 < n; j0 += nc_max) {
    Block blk;
    blk.g = &g;
    blk.kern = &kern;
    blk.j0 = j0;
    blk.nc = std::min(nc_max, n - j0);
    blk.panels = (blk.nc + nr - 1) / nr;
    blk.pb = pb;
    blk.rows_per_unit = rows_per_unit;
    blk.row_units = row_units;
    blk.col_units = row_units >= 2L * threads ? 1 : std::min(blk.panels, (target_units + row_units - 1) / row_units);
    if (threads == 1) {
      pack_b_all(blk);
      compute_units(blk, pa[0]);
    } else {
      pool().run(threads, [&](int t, int) {
        pack_b_all(blk);
        compute_units(blk, pa[t]);
      });
    }
  }
}

}  // namespace deepwell
