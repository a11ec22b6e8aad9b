// BLIS-style single-precision GEMM, row-major, BLAS-shaped:
//   C = alpha * op(A) op(B) + beta * C,  op(A) [m, k], op(B) [k, n], C [m, n]
// with A stored [m, k] ([k, m] when transA) and B stored [k, n] ([n, k] when transB).
#pragma once

namespace deepwell {

/** The micro-kernel families, fastest first. */
enum class Isa { avx512, avx2, generic };

/** Name of an ISA ('avx512f', 'avx2+fma', 'generic'). */
const char* isa_name(Isa isa);

/** True when this CPU (and this build) can run `isa` (CPUID via __builtin_cpu_supports). */
bool isa_supported(Isa isa);

/** The ISA in use: the best supported one unless `set_isa` chose another. */
Isa current_isa();

/** Forces an ISA (for tests and benchmarks); false (and no change) when unsupported. */
bool set_isa(Isa isa);

/**
 * C = alpha * op(A) op(B) + beta * C. When beta is 0 C is not read (NaN in C does not propagate);
 * when alpha is 0 or k is 0, A and B are not read. Above GEMM_PARALLEL_MIN_FLOPS the output is
 * split over the thread pool by blocks of rows or columns (never over k), so every element is
 * computed by the same operations in the same order whatever the thread count.
 */
void sgemm(bool trans_a, bool trans_b, long m, long n, long k, float alpha, const float* a,
           const float* b, float beta, float* c);

}  // namespace deepwell
