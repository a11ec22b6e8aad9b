// Native im2col / col2im, pooling and the fused bias + activation of a convolution (float32), the
// kernels of src/kernels/ts/conv.ts with the same loops. Work is split over units with disjoint
// outputs: rows of windows (im2col, pooling, bias + activation) or whole images (the scatter-adds
// col2im and pooling's backward, whose windows overlap inside an image). Inside a unit the order is
// the oracle's, so im2col, col2im and pooling give the oracle's bits for any thread count.
#include "conv.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "parallel.h"

namespace deepwell {

namespace {

/** Floats a chunk of work should touch at least (about 30 microseconds): smaller work stays on one thread. */
constexpr long GRAIN_FLOATS = 1L << 15;

/** Rows per block of the bias-gradient sum: fixed, so the sum's order does not depend on the thread count. */
constexpr long BIAS_GRAD_BLOCK_ROWS = 256;

/** Units per chunk so that a chunk touches about GRAIN_FLOATS floats, given the floats of one unit. */
long grain_for(long floats_per_unit) { return std::max(1L, GRAIN_FLOATS / std::max(1L, floats_per_unit)); }

/** Copies (or zero-fills) the patches of output row (b, oy) of the window into `dst`. */
void im2col_row(const float* x, const ConvGeometry& g, long b, long oy, float* dst) {
  const long c = g.in_c;
  const float* xb = x + b * g.in_h * g.in_w * c;
  const long y0 = oy * g.stride_h - g.pad_top;
  for (long ox = 0; ox < g.out_w; ox++) {
    const long x0 = ox * g.stride_w - g.pad_left;
    for (long i = 0; i < g.k_h; i++) {
      const long y = y0 + i * g.dilation_h;
      const bool row_inside = y >= 0 && y < g.in_h;
      for (long j = 0; j < g.k_w; j++, dst += c) {
        const long xx = x0 + j * g.dilation_w;
        if (row_inside && xx >= 0 && xx < g.in_w) {
          const float* src = xb + (y * g.in_w + xx) * c;
          if (c == 1) *dst = *src; else std::memcpy(dst, src, static_cast<size_t>(c) * sizeof(float));
        } else {
          std::fill(dst, dst + c, 0.0f);
        }
      }
    }
  }
}

/** Calls tap(i, j, offset of the input pixel) for every tap of window (oy, ox) inside the input. */
template <typename F>
inline void for_each_tap(const ConvGeometry& g, long oy, long ox, F tap) {
  const long y0 = oy * g.stride_h - g.pad_top;
  const long x0 = ox * g.stride_w - g.pad_left;
  for (long i = 0; i < g.k_h; i++) {
    const long y = y0 + i * g.dilation_h;
    if (y < 0 || y >= g.in_h) continue;
    for (long j = 0; j < g.k_w; j++) {
      const long xx = x0 + j * g.dilation_w;
      if (xx < 0 || xx >= g.in_w) continue;
      tap(i, j, (y * g.in_w + xx) * g.in_c);
    }
  }
}

/** Writes the offsets of the taps of window (oy, ox) inside the input (in window order) to `offsets`; returns their count. */
long window_taps(const ConvGeometry& g, long oy, long ox, long* offsets) {
  long count = 0;
  for_each_tap(g, oy, ox, [&](long, long, long p) { offsets[count++] = p; });
  return count;
}

}  // namespace

void im2col(const float* x, const ConvGeometry& g, float* out) {
  const long width = g.k_h * g.k_w * g.in_c;
  const long row_floats = g.out_w * width;
  parallel_range(g.batch * g.out_h, grain_for(row_floats), [&](long begin, long end) {
    for (long r = begin; r < end; r++) im2col_row(x, g, r / g.out_h, r % g.out_h, out + r * row_floats);
  });
}

void col2im(const float* cols, const ConvGeometry& g, float* out) {
  const long c = g.in_c;
  const long width = g.k_h * g.k_w * c;
  const long image = g.in_h * g.in_w * c;
  const long image_rows = g.out_h * g.out_w;
  parallel_range(g.batch, grain_for(image_rows * width), [&](long begin, long end) {
    for (long b = begin; b < end; b++) {
      float* ob = out + b * image;
      std::fill(ob, ob + image, 0.0f);
      const float* src_b = cols + b * image_rows * width;
      for (long oy = 0; oy < g.out_h; oy++) {
        for (long ox = 0; ox < g.out_w; ox++) {
          const float* src = src_b + (oy * g.out_w + ox) * width;
          for_each_tap(g, oy, ox, [&](long i, long j, long p) {
            const float* s = src + (i * g.k_w + j) * c;
            float* d = ob + p;
            for (long k = 0; k < c; k++) d[k] += s[k];
          });
        }
      }
    }
  });
}

void pool2d(bool is_max, const float* x, const ConvGeometry& g, float* out) {
  const long c = g.in_c;
  const long image = g.in_h * g.in_w * c;
  const long row_floats = g.out_w * g.k_h * g.k_w * c;
  parallel_range(g.batch * g.out_h, grain_for(row_floats), [&](long begin, long end) {
    std::vector<double> acc(static_cast<size_t>(c));
    std::vector<float> best(static_cast<size_t>(c));
    for (long r = begin; r < end; r++) {
      const long b = r / g.out_h, oy = r % g.out_h;
      const float* xb = x + b * image;
      for (long ox = 0; ox < g.out_w; ox++) {
        float* o = out + (r * g.out_w + ox) * c;
        if (is_max) {
          // Float max is exact, so a float accumulator gives the oracle's (float64) result. The
          // select (not a branch) vectorizes to maxps: NaN never wins, as `v > acc` in the oracle.
          float* __restrict m = best.data();
          std::fill(m, m + c, -INFINITY);
          for_each_tap(g, oy, ox, [&](long, long, long p) {
            const float* __restrict s = xb + p;
            for (long k = 0; k < c; k++) m[k] = s[k] > m[k] ? s[k] : m[k];
          });
          std::memcpy(o, m, static_cast<size_t>(c) * sizeof(float));
        } else {
          std::fill(acc.begin(), acc.end(), 0.0);
          long count = 0;
          for_each_tap(g, oy, ox, [&](long, long, long p) {
            const float* s = xb + p;
            count++;
            for (long k = 0; k < c; k++) acc[k] += s[k];
          });
          for (long k = 0; k < c; k++) o[k] = static_cast<float>(acc[k] / static_cast<double>(count));
        }
      }
    }
  });
}

void pool2d_backward(bool is_max, const float* x, const float* dy, const ConvGeometry& g, float* out) {
  const long c = g.in_c;
  const long image = g.in_h * g.in_w * c;
  const long out_image = g.out_h * g.out_w * c;
  parallel_range(g.batch, grain_for(out_image * g.k_h * g.k_w), [&](long begin, long end) {
    std::vector<float> best(static_cast<size_t>(c));
    std::vector<int32_t> where(static_cast<size_t>(c));  // offset of the pixel in its image
    std::vector<long> offsets(static_cast<size_t>(g.k_h * g.k_w));
    for (long b = begin; b < end; b++) {
      const float* xb = x + b * image;
      float* ob = out + b * image;
      std::fill(ob, ob + image, 0.0f);
      for (long oy = 0; oy < g.out_h; oy++) {
        for (long ox = 0; ox < g.out_w; ox++) {
          const float* d = dy + b * out_image + (oy * g.out_w + ox) * c;
          if (is_max) {
            // The first tap strictly greater than all before it (the first tap when all are NaN):
            // the first tap inside sets best and where, the others replace them by selects
            // (vectorized; a branch per value mispredicts on real data).
            const long count = window_taps(g, oy, ox, offsets.data());
            if (count == 0) continue;
            float* __restrict bv = best.data();
            int32_t* __restrict wv = where.data();
            const float* __restrict s0 = xb + offsets[0];
            for (long k = 0; k < c; k++) { bv[k] = s0[k]; wv[k] = static_cast<int32_t>(offsets[0]); }
            for (long t = 1; t < count; t++) {
              const float* __restrict s = xb + offsets[static_cast<size_t>(t)];
              const int32_t at = static_cast<int32_t>(offsets[static_cast<size_t>(t)]);
              for (long k = 0; k < c; k++) {
                // An all-ones mask where this tap wins (written so that GCC vectorizes it).
                const int32_t take = -static_cast<int32_t>(s[k] > bv[k]);
                wv[k] = (at & take) | (wv[k] & ~take);
                bv[k] = s[k] > bv[k] ? s[k] : bv[k];
              }
            }
            for (long k = 0; k < c; k++) ob[wv[k] + k] += d[k];
          } else {
            long count = 0;
            for_each_tap(g, oy, ox, [&](long, long, long) { count++; });
            for_each_tap(g, oy, ox, [&](long, long, long p) {
              for (long k = 0; k < c; k++) {
                ob[p + k] = static_cast<float>(static_cast<double>(ob[p + k]) + static_cast<double>(d[k]) / static_cast<double>(count));
              }
            });
          }
        }
      }
    }
  });
}

void bias_activation(const float* x, const float* bias, long rows, long channels, Activation act, double alpha, float* out) {
  const long grain = grain_for(channels);
  parallel_range(rows, grain, [&](long begin, long end) {
    for (long r = begin; r < end; r++) {
      const float* xr = x + r * channels;
      float* o = out + r * channels;
      if (bias != nullptr) {
        for (long k = 0; k < channels; k++) o[k] = xr[k] + bias[k];
      } else if (o != xr) {
        std::memcpy(o, xr, static_cast<size_t>(channels) * sizeof(float));
      }
    }
    activate(out + begin * channels, (end - begin) * channels, act, alpha);
  });
}

void bias_activation_backward(const float* y, const float* dy, long rows, long channels, Activation act, double alpha,
                              float* dz, float* db) {
  const long blocks = (rows + BIAS_GRAD_BLOCK_ROWS - 1) / BIAS_GRAD_BLOCK_ROWS;
  std::vector<double> partial(db != nullptr ? static_cast<size_t>(blocks * channels) : 0);
  const long grain = std::max(1L, grain_for(BIAS_GRAD_BLOCK_ROWS * channels));
  parallel_range(blocks, grain, [&](long begin, long end) {
    for (long blk = begin; blk < end; blk++) {
      const long r0 = blk * BIAS_GRAD_BLOCK_ROWS, r1 = std::min(rows, r0 + BIAS_GRAD_BLOCK_ROWS);
      const long n = (r1 - r0) * channels;
      const float* d = dy + r0 * channels;
      if (act != Activation::linear) {
        derivative(y + r0 * channels, dy + r0 * channels, dz + r0 * channels, n, act, alpha);
        d = dz + r0 * channels;
      } else if (dz != dy) {
        std::memcpy(dz + r0 * channels, d, static_cast<size_t>(n) * sizeof(float));
      }
      if (db == nullptr) continue;
      double* p = partial.data() + blk * channels;
      for (long r = r0; r < r1; r++, d += channels) {
        for (long k = 0; k < channels; k++) p[k] += d[k];
      }
    }
  });
  if (db == nullptr) return;
  for (long k = 0; k < channels; k++) {
    double s = 0;
    for (long blk = 0; blk < blocks; blk++) s += partial[static_cast<size_t>(blk * channels + k)];
    db[k] = static_cast<float>(s);
  }
}

}  // namespace deepwell
