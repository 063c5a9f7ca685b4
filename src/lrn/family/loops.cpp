// The family's innermost loops, one AVX2 and one baseline clone each.
#include "lrn/family/loops.h"

#include <cmath>

// LRN_FAMILY_NO_CLONES builds the baseline loops only (to check that both give the same bits).
// Not under ThreadSanitizer either: a clone's ifunc resolver runs while the dynamic loader
// relocates, before TSan's runtime is up, and the instrumented resolver crashes there.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__AVX2__) && \
    !defined(LRN_FAMILY_NO_CLONES) && !defined(__SANITIZE_THREAD__)
#define LRN_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define LRN_CLONES
#endif

namespace lrn::family::detail {

LRN_CLONES void add_into(double* __restrict dst, const double* __restrict a,
                         const double* __restrict b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] + b[i];
}

LRN_CLONES void add_to(double* __restrict dst, const double* __restrict b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] += b[i];
}

LRN_CLONES void add_scaled(double* __restrict dst, double w, const double* __restrict src,
                           std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] += w * src[i];
}

LRN_CLONES void squares(const float* __restrict x, double* __restrict dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double v = x[i];
    dst[i] = v * v;
  }
}

LRN_CLONES void affine(const double* __restrict s, double k, double a, double* __restrict dst,
                       std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = k + a * s[i];
}

LRN_CLONES void widen(const float* __restrict x, double* __restrict dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = x[i];
}

LRN_CLONES double sum4(const double* __restrict v, std::size_t n) {
  double a[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (std::size_t k = 0; k < 4; ++k) a[k] += v[i + k];
  for (std::size_t k = 0; i < n; ++i, ++k) a[k] += v[i];
  return (a[0] + a[1]) + (a[2] + a[3]);
}

LRN_CLONES double centred_squares4(const double* __restrict v, double mean, std::size_t n) {
  double a[4] = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4)
    for (std::size_t k = 0; k < 4; ++k) {
      const double d = v[i + k] - mean;
      a[k] += d * d;
    }
  for (std::size_t k = 0; i < n; ++i, ++k) {
    const double d = v[i] - mean;
    a[k] += d * d;
  }
  return (a[0] + a[1]) + (a[2] + a[3]);
}

LRN_CLONES void standardize(const float* __restrict x, double mean, double inv,
                            float* __restrict y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>((x[i] - mean) * inv);
}

// Computed unconditionally, then selected: branch-free, so the loops vectorise.
LRN_CLONES bool pow_half(const float* __restrict x, const double* __restrict d,
                         float* __restrict y, std::size_t n) {
  int outside = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float f = static_cast<float>(d[i]);
    const float q = x[i] / std::sqrt(f);
    y[i] = f > 0 ? q : 0.0f;
    outside |= (d[i] < 1e-30) | (d[i] > 1e30) | (d[i] != d[i]);
  }
  return outside != 0;
}

LRN_CLONES bool pow_three_quarters(const float* __restrict x, const double* __restrict d,
                                   float* __restrict y, std::size_t n) {
  int outside = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float f = static_cast<float>(d[i]);
    const float r = 1.0f / std::sqrt(f);
    const float q = x[i] * (r * std::sqrt(r));
    y[i] = f > 0 ? q : 0.0f;
    outside |= (d[i] < 1e-30) | (d[i] > 1e30) | (d[i] != d[i]);
  }
  return outside != 0;
}

LRN_CLONES bool pow_one(const float* __restrict x, const double* __restrict d,
                        float* __restrict y, std::size_t n) {
  int outside = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float f = static_cast<float>(d[i]);
    const float q = x[i] / f;
    y[i] = f > 0 ? q : 0.0f;
    outside |= (d[i] < 1e-30) | (d[i] > 1e30) | (d[i] != d[i]);
  }
  return outside != 0;
}

}  // namespace lrn::family::detail
