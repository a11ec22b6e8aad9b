// Fused optimizer updates: one pass over each weight, in place. Arithmetic in double with the
// operations of the TypeScript oracle (src/kernels/ts/optimizers.ts) in the same order, each
// stored value rounded to float once, so both give the same bits (built with -ffp-contract=off).
#pragma once

namespace deepwell {

/** m <- m + (g - m) c1; v <- v + (g^2 - v) c2; w <- w - alpha m / (sqrt(v) + eps), c = 1 - beta. */
void adam_update(float* w, const float* g, float* m, float* v, long n, double alpha, double beta1,
                 double beta2, double epsilon);

/** velocity null: w <- w - lr g; else v <- mu v - lr g; w <- w + v (Nesterov: w <- w + mu v - lr g). */
void sgd_update(float* w, const float* g, float* velocity, long n, double lr, double momentum, bool nesterov);

}  // namespace deepwell
