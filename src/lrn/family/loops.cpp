// The family's innermost loops, one AVX-512 (x86-64-v4), one AVX2 and one baseline clone each.
#include "lrn/family/loops.h"

// The generic 32-byte vectors below are internal: their ABI in the baseline clone is no concern.
#pragma GCC diagnostic ignored "-Wpsabi"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "lrn/family/clones.h"

namespace lrn::family::detail {

namespace {

// Four doubles in GCC's generic vectors: AVX2 registers in the avx2 clone, SSE2 pairs in the
// baseline one; the shuffles only move bits, so both clones agree. __builtin_shufflevector
// (GCC >= 12 and clang) rather than GCC's own __builtin_shuffle, which clang lacks.
typedef double V4 __attribute__((vector_size(32)));

__attribute__((always_inline)) inline V4 load4(const double* p) {
  V4 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
__attribute__((always_inline)) inline void store4(double* p, V4 v) { std::memcpy(p, &v, sizeof v); }
typedef float F4 __attribute__((vector_size(16)));

/// y[3 i + c] = float(v[3 i + c] * q[i]) for i < n: q widened to the interleaved layout by
/// shuffles (four pixels: three vectors of v, three of q), each product the same IEEE multiply.
__attribute__((always_inline)) inline void times_q3(const double* __restrict v,
                                                    const double* __restrict q, float* __restrict y,
                                                    std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const V4 q4 = load4(q + i);
    const V4 e0 = __builtin_shufflevector(q4, q4, 0, 0, 0, 1);
    const V4 e1 = __builtin_shufflevector(q4, q4, 1, 1, 2, 2);
    const V4 e2 = __builtin_shufflevector(q4, q4, 2, 3, 3, 3);
    const double* vi = v + 3 * i;
    const F4 f0 = __builtin_convertvector(load4(vi) * e0, F4);
    const F4 f1 = __builtin_convertvector(load4(vi + 4) * e1, F4);
    const F4 f2 = __builtin_convertvector(load4(vi + 8) * e2, F4);
    std::memcpy(y + 3 * i, &f0, sizeof f0);
    std::memcpy(y + 3 * i + 4, &f1, sizeof f1);
    std::memcpy(y + 3 * i + 8, &f2, sizeof f2);
  }
  for (; i < n; ++i)
    for (std::size_t c = 0; c < 3; ++c) y[3 * i + c] = static_cast<float>(v[3 * i + c] * q[i]);
}

constexpr std::size_t kQBlock = 256;  // pixels per block of divisors (on the stack)

}  // namespace

LRN_CLONES void add_into(double* __restrict dst, const double* __restrict a,
                         const double* __restrict b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] + b[i];
}

LRN_CLONES void add_to(double* __restrict dst, const double* __restrict b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] += b[i];
}

LRN_CLONES void squares(const float* __restrict x, double* __restrict dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double v = x[i];
    dst[i] = v * v;
  }
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

LRN_CLONES void standardize(const float* __restrict x, double mean, double inv, float* __restrict y,
                            std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<float>((x[i] - mean) * inv);
}

// Computed unconditionally, then selected: branch-free, so the loops vectorise. The sums come
// in double or (box_exact.h's exact sums) float: d = k + a * double(s) is the same double.
// scale(x, f) is the power's own step: x f^(-1/2), x f^(-3/4) or x / f.
namespace {
template <class S, class Scale>
__attribute__((always_inline)) inline bool pow_t(const float* __restrict x, const S* __restrict s,
                                                 double k, double a, float* __restrict y,
                                                 std::size_t n, Scale scale) {
  int outside = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = k + a * static_cast<double>(s[i]);
    const float f = static_cast<float>(d);
    const float q = scale(x[i], f);
    y[i] = f > 0 ? q : 0.0f;
    outside |= (f <= 1e-30f) | (f >= 1e30f) | (f != f);  // see loops.h
  }
  return outside != 0;
}
constexpr auto half = [](float x, float f) { return x / std::sqrt(f); };
constexpr auto three_quarters = [](float x, float f) {
  const float r = 1.0f / std::sqrt(f);
  return x * (r * std::sqrt(r));
};
constexpr auto one = [](float x, float f) { return x / f; };
}  // namespace

LRN_CLONES bool pow_half(const float* x, const double* s, double k, double a, float* y,
                         std::size_t n) {
  return pow_t(x, s, k, a, y, n, half);
}
LRN_CLONES bool pow_half(const float* x, const float* s, double k, double a, float* y,
                         std::size_t n) {
  return pow_t(x, s, k, a, y, n, half);
}
LRN_CLONES bool pow_three_quarters(const float* x, const double* s, double k, double a, float* y,
                                   std::size_t n) {
  return pow_t(x, s, k, a, y, n, three_quarters);
}
LRN_CLONES bool pow_three_quarters(const float* x, const float* s, double k, double a, float* y,
                                   std::size_t n) {
  return pow_t(x, s, k, a, y, n, three_quarters);
}
LRN_CLONES bool pow_one(const float* x, const double* s, double k, double a, float* y,
                        std::size_t n) {
  return pow_t(x, s, k, a, y, n, one);
}
LRN_CLONES bool pow_one(const float* x, const float* s, double k, double a, float* y,
                        std::size_t n) {
  return pow_t(x, s, k, a, y, n, one);
}

LRN_CLONES void sum3(const float* __restrict x, double* __restrict dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    dst[i] = ((0.0 + static_cast<double>(x[3 * i])) + static_cast<double>(x[3 * i + 1])) +
             static_cast<double>(x[3 * i + 2]);
}

LRN_CLONES void sum3_squares(const double* __restrict v, double* __restrict dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double a = v[3 * i], b = v[3 * i + 1], c = v[3 * i + 2];
    dst[i] = ((0.0 + a * a) + b * b) + c * c;
  }
}

LRN_CLONES void centre3(const float* __restrict x, const double* __restrict s, double scale,
                        const double* __restrict icm, double* __restrict v, std::size_t n) {
  if (icm) {
    for (std::size_t i = 0; i < n; ++i) {
      const double m = s[i] * (scale * icm[i]);
      for (std::size_t c = 0; c < 3; ++c) v[3 * i + c] = x[3 * i + c] - m;
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const double m = s[i] * scale;
      for (std::size_t c = 0; c < 3; ++c) v[3 * i + c] = x[3 * i + c] - m;
    }
  }
}

namespace {
template <bool Columns, bool Centred>
__attribute__((always_inline)) inline void centre3_squares_t(
    const float* __restrict x, const double* __restrict s, double scale,
    const double* __restrict icm, double* __restrict v, double* __restrict q, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double m = s[i] * (Columns ? scale * icm[i] : scale);
    const double a = x[3 * i] - m, b = x[3 * i + 1] - m, c = x[3 * i + 2] - m;
    if (Centred) v[3 * i] = a, v[3 * i + 1] = b, v[3 * i + 2] = c;
    q[i] = ((0.0 + a * a) + b * b) + c * c;
  }
}
}  // namespace

LRN_CLONES void centre3_squares(const float* x, const double* s, double scale, const double* icm,
                                double* v, double* q, std::size_t n) {
  if (icm && v) centre3_squares_t<true, true>(x, s, scale, icm, v, q, n);
  else if (icm) centre3_squares_t<true, false>(x, s, scale, icm, v, q, n);
  else if (v) centre3_squares_t<false, true>(x, s, scale, icm, v, q, n);
  else centre3_squares_t<false, false>(x, s, scale, icm, v, q, n);
}

LRN_CLONES void roots(const double* __restrict s, double inside, double scale,
                      const double* __restrict icm, double* __restrict out, std::size_t n) {
  if (icm) {
    for (std::size_t i = 0; i < n; ++i) {
      const double p = s[i] * inside;
      out[i] = std::sqrt(p < 0.0 ? 0.0 : p) * (scale * icm[i]);  // std::max(p, 0.0)
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      const double p = s[i] * inside;
      out[i] = std::sqrt(p < 0.0 ? 0.0 : p) * 1.0;
    }
  }
}

LRN_CLONES void divide3(const double* __restrict v, const double* __restrict den, double floor,
                        float* __restrict y, std::size_t n) {
  double q[kQBlock];
  for (std::size_t i0 = 0; i0 < n; i0 += kQBlock) {
    const std::size_t b = std::min(kQBlock, n - i0);
    for (std::size_t i = 0; i < b; ++i) {
      const double d = den[i0 + i] > floor ? den[i0 + i] : floor;
      q[i] = d > 0 ? 1 / d : 0.0;
    }
    times_q3(v + 3 * i0, q, y + 3 * i0, b);
  }
}

namespace {
template <bool Columns>
__attribute__((always_inline)) inline void roots_divide3_t(
    const double* __restrict v, const double* __restrict s, double inside, double scale,
    const double* __restrict icm, double floor, float* __restrict y, std::size_t n) {
  double q[kQBlock];
  for (std::size_t i0 = 0; i0 < n; i0 += kQBlock) {
    const std::size_t b = std::min(kQBlock, n - i0);
    for (std::size_t i = 0; i < b; ++i) {
      const double p = s[i0 + i] * inside;
      const double e = std::sqrt(p < 0.0 ? 0.0 : p) * (Columns ? scale * icm[i0 + i] : 1.0);
      const double d = e > floor ? e : floor;
      q[i] = d > 0 ? 1 / d : 0.0;
    }
    times_q3(v + 3 * i0, q, y + 3 * i0, b);
  }
}
}  // namespace

LRN_CLONES void roots_divide3(const double* v, const double* s, double inside, double scale,
                              const double* icm, double floor, float* y, std::size_t n) {
  if (icm) roots_divide3_t<true>(v, s, inside, scale, icm, floor, y, n);
  else roots_divide3_t<false>(v, s, inside, scale, icm, floor, y, n);
}

LRN_CLONES void pinto3(const float* __restrict x, const double* __restrict s, double size, double t,
                       double* __restrict num, double* __restrict den, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double s1 = s[2 * i], s2 = s[2 * i + 1];
    const double val = s2 - s1 * s1 / size;
    double d = std::sqrt(val < 0.0 ? 0.0 : val) + 1e-5;
    d = d < t + 1e-5 ? 1.0 : d;
    den[i] = d;
    const double mean = s1 / size;
    for (std::size_t c = 0; c < 3; ++c) num[3 * i + c] = x[3 * i + c] - mean;
  }
}

LRN_CLONES void pylearn2_3(const float* __restrict x, const double* __restrict s, double a,
                           double* __restrict num, double* __restrict den, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < 3; ++c) {
      const double p = s[6 * i + 3 + c] * a;
      den[3 * i + c] = std::sqrt(p < 0.0 ? 0.0 : p);
      num[3 * i + c] = x[3 * i + c] - s[6 * i + c] * a;
    }
}

LRN_CLONES void values_and_squares3(const float* __restrict x, double* __restrict dst,
                                    std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t c = 0; c < 3; ++c) {
      const double v = x[3 * i + c];
      dst[6 * i + c] = v;
      dst[6 * i + 3 + c] = v * v;
    }
}

LRN_CLONES void divide_each3(const double* __restrict v, const double* __restrict den,
                             const double* __restrict floor, float* __restrict y, std::size_t n) {
  const double f0 = floor[0], f1 = floor[1], f2 = floor[2];
  for (std::size_t i = 0; i < n; ++i) {
    const double f[3] = {f0, f1, f2};
    for (std::size_t c = 0; c < 3; ++c) {
      const double e = den[3 * i + c];
      const double d = e > f[c] ? e : f[c];
      const double q = d > 0 ? 1 / d : 0.0;
      y[3 * i + c] = static_cast<float>(v[3 * i + c] * q);
    }
  }
}

namespace {
template <bool PerChannel, bool Columns>
__attribute__((always_inline)) inline void subtract_means3_t(const float* __restrict x,
                                                             const double* __restrict s,
                                                             double row_mass,
                                                             const double* __restrict col_mass,
                                                             double full_mass, double per_lane,
                                                             float* __restrict y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double mass = (Columns ? row_mass * col_mass[i] : full_mass) * per_lane;
    const double inv = 1 / mass;
    for (std::size_t c = 0; c < 3; ++c) {
      const double m = (PerChannel ? s[3 * i + c] : s[i]) * inv;
      y[3 * i + c] = static_cast<float>(x[3 * i + c] - m);
    }
  }
}
}  // namespace

LRN_CLONES void subtract_means3(const float* x, const double* s, bool per_channel, double row_mass,
                                const double* col_mass, double full_mass, double per_lane, float* y,
                                std::size_t n) {
  if (per_channel && col_mass)
    subtract_means3_t<true, true>(x, s, row_mass, col_mass, full_mass, per_lane, y, n);
  else if (per_channel)
    subtract_means3_t<true, false>(x, s, row_mass, col_mass, full_mass, per_lane, y, n);
  else if (col_mass)
    subtract_means3_t<false, true>(x, s, row_mass, col_mass, full_mass, per_lane, y, n);
  else subtract_means3_t<false, false>(x, s, row_mass, col_mass, full_mass, per_lane, y, n);
}

namespace {

/// Rows r[0..3] (four doubles each) become columns, in place: r[i] = (r0[i], r1[i], r2[i], r3[i]).
__attribute__((always_inline)) inline void transpose4(V4* r) {
  const V4 t0 = __builtin_shufflevector(r[0], r[1], 0, 4, 2, 6);
  const V4 t1 = __builtin_shufflevector(r[0], r[1], 1, 5, 3, 7);
  const V4 t2 = __builtin_shufflevector(r[2], r[3], 0, 4, 2, 6);
  const V4 t3 = __builtin_shufflevector(r[2], r[3], 1, 5, 3, 7);
  r[0] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
  r[1] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
  r[2] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
  r[3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
}

/// The block scheme on padded coordinates u = x + r (v's index is u - sx), anchors at
/// multiples of n: the same adds in the same order whatever the strip. A position holds L
/// vectors (4 L doubles). LT > 0 fixes L at compile time; 0 reads `lanes`. Written with
/// explicit vectors: the same scans written per scalar lane gave wrong sums for 4 lanes when
/// GCC 12 vectorised them at -O3 -mavx2 (found by testing, not reduced further).
template <std::size_t LT>
__attribute__((always_inline)) inline void box_sums_t(const double* __restrict v, std::size_t sx,
                                                      std::size_t ex, std::size_t lanes,
                                                      std::size_t n, double* __restrict suf,
                                                      double* __restrict out) {
  const std::size_t L = LT ? LT : lanes, P = 4 * L;  // vectors, doubles per position
  double fixed[LT ? 4 * LT : 4] = {};                // the running prefix (registers once inlined)
  std::vector<double> dynamic(LT ? 0 : 4 * L);
  double* acc = LT ? fixed : dynamic.data();
  for (std::size_t a = (sx / n) * n; a < ex; a += n) {
    const std::size_t xs = std::max(a, sx), xe = std::min(a + n, ex);
    // Suffix sums of block a from its last position down to xs.
    const double* va = v + (a + n - 1 - sx) * P;
    double* sa = suf + (n - 1) * P;
    for (std::size_t l = 0; l < L; ++l) store4(sa + 4 * l, load4(va + 4 * l));
    for (std::size_t u = a + n - 1; u-- > xs;) {
      const double* vu = v + (u - sx) * P;
      double* su = suf + (u - a) * P;
      for (std::size_t l = 0; l < L; ++l)
        store4(su + 4 * l, load4(su + P + 4 * l) + load4(vu + 4 * l));
    }
    // Forwards: the prefix sum of block a + n up to x + n - 1 grows with x (in registers when
    // L is fixed), and each output is suffix + prefix.
    bool started = false;
    std::size_t next = a + n;  // the next position the prefix takes in
    for (std::size_t x = xs; x < xe; ++x) {
      double* o = out + (x - sx) * P;
      const double* su = suf + (x - a) * P;
      if (x == a) {
        for (std::size_t l = 0; l < L; ++l) store4(o + 4 * l, load4(su + 4 * l));
        continue;
      }
      for (; next <= x + n - 1; ++next) {
        const double* vu = v + (next - sx) * P;
        if (!started) {
          for (std::size_t l = 0; l < L; ++l) store4(acc + 4 * l, load4(vu + 4 * l));
          started = true;
        } else {
          for (std::size_t l = 0; l < L; ++l)
            store4(acc + 4 * l, load4(acc + 4 * l) + load4(vu + 4 * l));
        }
      }
      for (std::size_t l = 0; l < L; ++l) store4(o + 4 * l, load4(su + 4 * l) + load4(acc + 4 * l));
    }
  }
}

}  // namespace

LRN_CLONES void weighted_rows(const double* const* rows, const double* w, std::size_t count,
                              double* __restrict out, std::size_t m) {
  // Each output is a chain of count dependent adds: enough independent chains (four vectors)
  // keep the adder busy instead of waiting on its latency.
  std::size_t i = 0;
  for (; i + 16 <= m; i += 16) {
    V4 a = {0, 0, 0, 0}, b = a, c = a, d = a;
    for (std::size_t p = 0; p < count; ++p) {
      const V4 wp = {w[p], w[p], w[p], w[p]};
      const double* r = rows[p] + i;
      a = a + wp * load4(r);
      b = b + wp * load4(r + 4);
      c = c + wp * load4(r + 8);
      d = d + wp * load4(r + 12);
    }
    store4(out + i, a);
    store4(out + i + 4, b);
    store4(out + i + 8, c);
    store4(out + i + 12, d);
  }
  for (; i + 4 <= m; i += 4) {
    V4 a = {0, 0, 0, 0};
    for (std::size_t p = 0; p < count; ++p) {
      const V4 wp = {w[p], w[p], w[p], w[p]};
      a = a + wp * load4(rows[p] + i);
    }
    store4(out + i, a);
  }
  for (; i < m; ++i) {
    double a = 0;
    for (std::size_t p = 0; p < count; ++p) a = a + w[p] * rows[p][i];
    out[i] = a;
  }
}

namespace {

/// weighted_rows_symmetric's sum for one sample i (the order every path follows).
__attribute__((always_inline)) inline double symmetric_one(const double* const* rows,
                                                           const double* w, std::size_t R,
                                                           std::size_t i) {
  const std::size_t n = 2 * R + 1;
  double a = 0, b = 0;
  for (std::size_t p = 0; p < R; ++p) {
    const double s = w[p] * (rows[p][i] + rows[n - 1 - p][i]);
    if (p == 0) a = s;
    else if (p == 1) b = s;
    else if (p % 2 == 0) a = a + s;
    else b = b + s;
  }
  if (R >= 2) a = a + b;
  return a + w[R] * rows[R][i];
}

/// w x, or x itself for unit taps (Unit: every w is 1, so the product is x exactly: the same
/// bits without the multiply).
template <bool Unit>
__attribute__((always_inline)) inline V4 tap(V4 w, V4 x) {
  if constexpr (Unit) return x;
  else return w * x;
}

/// The vector body for a radius R known at compile time (unrolled: row pointers and weights
/// in registers), 8 samples a step; returns the first sample it did not do.
template <std::size_t R, bool Unit>
__attribute__((always_inline)) inline std::size_t symmetric_fixed(const double* const* rows,
                                                                  const double* w,
                                                                  double* __restrict out,
                                                                  std::size_t m) {
  constexpr std::size_t n = 2 * R + 1;
  const double* r[n];
  V4 wv[R + 1];
  for (std::size_t p = 0; p < n; ++p) r[p] = rows[p];
  for (std::size_t p = 0; p <= R; ++p) wv[p] = V4{w[p], w[p], w[p], w[p]};
  std::size_t i = 0;
  for (; i + 8 <= m; i += 8) {
    V4 a0 = tap<Unit>(wv[0], load4(r[0] + i) + load4(r[n - 1] + i));
    V4 a1 = tap<Unit>(wv[0], load4(r[0] + i + 4) + load4(r[n - 1] + i + 4));
    V4 b0 = a0, b1 = a1;
    if constexpr (R >= 2) {
      b0 = tap<Unit>(wv[1], load4(r[1] + i) + load4(r[n - 2] + i));
      b1 = tap<Unit>(wv[1], load4(r[1] + i + 4) + load4(r[n - 2] + i + 4));
    }
    for (std::size_t p = 2; p < R; ++p) {
      const V4 s0 = tap<Unit>(wv[p], load4(r[p] + i) + load4(r[n - 1 - p] + i));
      const V4 s1 = tap<Unit>(wv[p], load4(r[p] + i + 4) + load4(r[n - 1 - p] + i + 4));
      if (p % 2 == 0) a0 = a0 + s0, a1 = a1 + s1;
      else b0 = b0 + s0, b1 = b1 + s1;
    }
    if constexpr (R >= 2) a0 = a0 + b0, a1 = a1 + b1;
    store4(out + i, a0 + tap<Unit>(wv[R], load4(r[R] + i)));
    store4(out + i + 4, a1 + tap<Unit>(wv[R], load4(r[R] + i + 4)));
  }
  return i;
}

/// symmetric_fixed along one row with Lc values per position (rows[p] = v + p Lc): one base
/// pointer, the taps at constant offsets; 8 samples a step.
template <std::size_t R, std::size_t Lc, bool Unit>
__attribute__((always_inline)) inline std::size_t symmetric_fixed_row(const double* v,
                                                                      const double* w,
                                                                      double* __restrict out,
                                                                      std::size_t m) {
  constexpr std::size_t n = 2 * R + 1;
  V4 wv[R + 1];
  for (std::size_t p = 0; p <= R; ++p) wv[p] = V4{w[p], w[p], w[p], w[p]};
  auto at = [](const double* x, std::size_t p, std::size_t j) { return load4(x + p * Lc + j); };
  std::size_t i = 0;
  for (; i + 8 <= m; i += 8) {
    const double* x = v + i;
    V4 a0 = tap<Unit>(wv[0], at(x, 0, 0) + at(x, n - 1, 0));
    V4 a1 = tap<Unit>(wv[0], at(x, 0, 4) + at(x, n - 1, 4));
    V4 b0 = a0, b1 = a1;
    if constexpr (R >= 2) {
      b0 = tap<Unit>(wv[1], at(x, 1, 0) + at(x, n - 2, 0));
      b1 = tap<Unit>(wv[1], at(x, 1, 4) + at(x, n - 2, 4));
    }
    for (std::size_t p = 2; p < R; ++p) {
      const V4 s0 = tap<Unit>(wv[p], at(x, p, 0) + at(x, n - 1 - p, 0));
      const V4 s1 = tap<Unit>(wv[p], at(x, p, 4) + at(x, n - 1 - p, 4));
      if (p % 2 == 0) a0 = a0 + s0, a1 = a1 + s1;
      else b0 = b0 + s0, b1 = b1 + s1;
    }
    if constexpr (R >= 2) a0 = a0 + b0, a1 = a1 + b1;
    store4(out + i, a0 + tap<Unit>(wv[R], at(x, R, 0)));
    store4(out + i + 4, a1 + tap<Unit>(wv[R], at(x, R, 4)));
  }
  return i;
}

template <std::size_t Lc, bool Unit>
__attribute__((always_inline)) inline std::size_t symmetric_row_lanes(
    const double* v, const double* w, std::size_t n, double* __restrict out, std::size_t m) {
  switch (n / 2) {  // the common sizes unrolled (3..17 taps)
    case 1: return symmetric_fixed_row<1, Lc, Unit>(v, w, out, m);
    case 2: return symmetric_fixed_row<2, Lc, Unit>(v, w, out, m);
    case 3: return symmetric_fixed_row<3, Lc, Unit>(v, w, out, m);
    case 4: return symmetric_fixed_row<4, Lc, Unit>(v, w, out, m);
    case 5: return symmetric_fixed_row<5, Lc, Unit>(v, w, out, m);
    case 6: return symmetric_fixed_row<6, Lc, Unit>(v, w, out, m);
    case 7: return symmetric_fixed_row<7, Lc, Unit>(v, w, out, m);
    case 8: return symmetric_fixed_row<8, Lc, Unit>(v, w, out, m);
    default: return 0;
  }
}

/// symmetric_row_lanes for the lane counts unrolled: joint (1), per channel RGB (3), RGB values
/// and squares (6); 0 (nothing done) for others.
template <bool Unit>
__attribute__((always_inline)) inline std::size_t row_symmetric_t(const double* v, std::size_t L,
                                                                  const double* w, std::size_t n,
                                                                  double* __restrict out,
                                                                  std::size_t m) {
  switch (L) {
    case 1: return symmetric_row_lanes<1, Unit>(v, w, n, out, m);
    case 3: return symmetric_row_lanes<3, Unit>(v, w, n, out, m);
    case 6: return symmetric_row_lanes<6, Unit>(v, w, n, out, m);
    default: return 0;
  }
}

/// K outputs from n + K - 1 rows: out[k] from rows [k, k + n), each loaded row used by all
/// that need it; the same sums as symmetric_fixed, 4 samples a step.
template <std::size_t R, std::size_t K, bool Unit>
__attribute__((always_inline)) inline std::size_t symmetric_fixed_k(const double* const* rows,
                                                                    const double* w,
                                                                    double* const* out,
                                                                    std::size_t m) {
  constexpr std::size_t n = 2 * R + 1;
  const double* r[n + K - 1];
  double* o[K];
  V4 wv[R + 1];
  for (std::size_t p = 0; p < n + K - 1; ++p) r[p] = rows[p];
  for (std::size_t k = 0; k < K; ++k) o[k] = out[k];
  for (std::size_t p = 0; p <= R; ++p) wv[p] = V4{w[p], w[p], w[p], w[p]};
  std::size_t i = 0;
  for (; i + 4 <= m; i += 4) {
    V4 x[n + K - 1];
    for (std::size_t p = 0; p < n + K - 1; ++p) x[p] = load4(r[p] + i);
    for (std::size_t k = 0; k < K; ++k) {
      const V4* y = x + k;
      V4 a = tap<Unit>(wv[0], y[0] + y[n - 1]), b = a;
      if constexpr (R >= 2) b = tap<Unit>(wv[1], y[1] + y[n - 2]);
      for (std::size_t p = 2; p < R; ++p) {
        const V4 s = tap<Unit>(wv[p], y[p] + y[n - 1 - p]);
        if (p % 2 == 0) a = a + s;
        else b = b + s;
      }
      if constexpr (R >= 2) a = a + b;
      store4(o[k] + i, a + tap<Unit>(wv[R], y[R]));
    }
  }
  return i;
}

template <std::size_t K, bool Unit>
__attribute__((always_inline)) inline void symmetric_k(const double* const* rows, const double* w,
                                                       std::size_t n, double* const* out,
                                                       std::size_t m) {
  const std::size_t R = n / 2;
  std::size_t i = 0;
  switch (R) {  // the common sizes unrolled (3..17 taps); the rest below, the same order
    case 1: i = symmetric_fixed_k<1, K, Unit>(rows, w, out, m); break;
    case 2: i = symmetric_fixed_k<2, K, Unit>(rows, w, out, m); break;
    case 3: i = symmetric_fixed_k<3, K, Unit>(rows, w, out, m); break;
    case 4: i = symmetric_fixed_k<4, K, Unit>(rows, w, out, m); break;
    case 5: i = symmetric_fixed_k<5, K, Unit>(rows, w, out, m); break;
    case 6: i = symmetric_fixed_k<6, K, Unit>(rows, w, out, m); break;
    case 7: i = symmetric_fixed_k<7, K, Unit>(rows, w, out, m); break;
    case 8: i = symmetric_fixed_k<8, K, Unit>(rows, w, out, m); break;
    default: break;
  }
  for (std::size_t k = 0; k < K; ++k)
    for (std::size_t j = i; j < m; ++j) out[k][j] = symmetric_one(rows + k, w, R, j);
}

template <bool Unit>
__attribute__((always_inline)) inline void rows_symmetric_t(const double* const* rows,
                                                            const double* w, std::size_t n,
                                                            double* __restrict out, std::size_t m) {
  // n = 2 R + 1 >= 3. Pair sums s_p = rows[p] + rows[n - 1 - p], products w[p] s_p; two
  // accumulators (even p, odd p, each in increasing p), then (A + B) + w[R] rows[R]: the chain
  // of dependent adds is about R / 2 + 2 long instead of n, and R + 1 multiplies instead of n.
  const std::size_t R = n / 2;
  std::size_t i = 0;
  switch (R) {  // the common sizes unrolled (3..17 taps); the rest below, the same order
    case 1: i = symmetric_fixed<1, Unit>(rows, w, out, m); break;
    case 2: i = symmetric_fixed<2, Unit>(rows, w, out, m); break;
    case 3: i = symmetric_fixed<3, Unit>(rows, w, out, m); break;
    case 4: i = symmetric_fixed<4, Unit>(rows, w, out, m); break;
    case 5: i = symmetric_fixed<5, Unit>(rows, w, out, m); break;
    case 6: i = symmetric_fixed<6, Unit>(rows, w, out, m); break;
    case 7: i = symmetric_fixed<7, Unit>(rows, w, out, m); break;
    case 8: i = symmetric_fixed<8, Unit>(rows, w, out, m); break;
    default: break;
  }
  for (; i < m; ++i) out[i] = symmetric_one(rows, w, R, i);
}

/// weighted_rows_symmetric_rows' body: 2 or 4 outputs read each row once for all of them
/// (symmetric_k); other counts go output by output through weighted_rows_symmetric.
template <bool Unit>
__attribute__((always_inline)) inline void rows_symmetric_rows_t(const double* const* rows,
                                                                 const double* w, std::size_t n,
                                                                 double* const* out,
                                                                 std::size_t count, std::size_t m) {
  switch (count) {
    case 2: return symmetric_k<2, Unit>(rows, w, n, out, m);
    case 4: return symmetric_k<4, Unit>(rows, w, n, out, m);
    default:
      for (std::size_t k = 0; k < count; ++k) weighted_rows_symmetric(rows + k, w, n, out[k], m);
  }
}

/// Every tap is 1 (torch7's and jarrett's box windows as plain taps): the products are skipped.
inline bool unit_taps(const double* w, std::size_t n) {
  for (std::size_t p = 0; p < n; ++p)
    if (w[p] != 1.0) return false;
  return true;
}

}  // namespace

LRN_CLONES void weighted_row_symmetric(const double* v, std::size_t lanes, const double* w,
                                       std::size_t n, double* __restrict out, std::size_t m) {
  const std::size_t R = n / 2, L = lanes;
  std::size_t i = unit_taps(w, n) ? row_symmetric_t<true>(v, L, w, n, out, m)
                                  : row_symmetric_t<false>(v, L, w, n, out, m);
  for (; i < m; ++i) {  // symmetric_one with rows[p] = v + p L
    const double* x = v + i;
    double a = 0, b = 0;
    for (std::size_t p = 0; p < R; ++p) {
      const double t = w[p] * (x[p * L] + x[(n - 1 - p) * L]);
      if (p == 0) a = t;
      else if (p == 1) b = t;
      else if (p % 2 == 0) a = a + t;
      else b = b + t;
    }
    if (R >= 2) a = a + b;
    out[i] = a + w[R] * x[R * L];
  }
}

LRN_CLONES void weighted_rows_symmetric(const double* const* rows, const double* w, std::size_t n,
                                        double* __restrict out, std::size_t m) {
  if (unit_taps(w, n)) rows_symmetric_t<true>(rows, w, n, out, m);
  else rows_symmetric_t<false>(rows, w, n, out, m);
}

LRN_CLONES void weighted_rows_symmetric_rows(const double* const* rows, const double* w,
                                             std::size_t n, double* const* out, std::size_t count,
                                             std::size_t m) {
  if (unit_taps(w, n)) rows_symmetric_rows_t<true>(rows, w, n, out, count, m);
  else rows_symmetric_rows_t<false>(rows, w, n, out, count, m);
}

LRN_CLONES void interleave4_add(const double* const* a, const double* const* b,
                                double* __restrict t, std::size_t m) {
  std::size_t j = 0;
  for (; j + 4 <= m; j += 4) {
    V4 r[4];
    for (std::size_t k = 0; k < 4; ++k) r[k] = load4(a[k] + j) + load4(b[k] + j);
    transpose4(r);
    for (std::size_t i = 0; i < 4; ++i) store4(t + 4 * (j + i), r[i]);
  }
  for (; j < m; ++j)
    for (std::size_t k = 0; k < 4; ++k) t[4 * j + k] = a[k][j] + b[k][j];
}

LRN_CLONES void deinterleave4(const double* __restrict t, double* const* out, std::size_t m) {
  std::size_t j = 0;
  for (; j + 4 <= m; j += 4) {
    V4 r[4] = {load4(t + 4 * j), load4(t + 4 * j + 4), load4(t + 4 * j + 8), load4(t + 4 * j + 12)};
    transpose4(r);
    for (std::size_t k = 0; k < 4; ++k) store4(out[k] + j, r[k]);
  }
  for (; j < m; ++j)
    for (std::size_t k = 0; k < 4; ++k) out[k][j] = t[4 * j + k];
}

LRN_CLONES void box_sums4(const double* v, std::size_t sx, std::size_t ex, std::size_t lanes,
                          std::size_t n, double* suf, double* out) {
  switch (lanes) {
    case 1: return box_sums_t<1>(v, sx, ex, lanes, n, suf, out);
    case 2: return box_sums_t<2>(v, sx, ex, lanes, n, suf, out);
    case 3: return box_sums_t<3>(v, sx, ex, lanes, n, suf, out);
    case 4: return box_sums_t<4>(v, sx, ex, lanes, n, suf, out);
    case 6: return box_sums_t<6>(v, sx, ex, lanes, n, suf, out);
    default: return box_sums_t<0>(v, sx, ex, lanes, n, suf, out);
  }
}

namespace {

template <bool Columns, bool Means>
__attribute__((always_inline)) inline void means3_squares_t(
    const float* __restrict x, const double* __restrict s, double scale,
    const double* __restrict icm, double* __restrict m, double* __restrict q, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double mi = s[i] * (Columns ? scale * icm[i] : scale);
    const double a = x[3 * i] - mi, b = x[3 * i + 1] - mi, c = x[3 * i + 2] - mi;
    if (Means) m[i] = mi;
    q[i] = ((0.0 + a * a) + b * b) + c * c;
  }
}

/// times_q3 with v[3 i + c] = x[3 i + c] - m[i]: the means widened by the same shuffles as q.
__attribute__((always_inline)) inline void centred_times_q3(const float* __restrict x,
                                                            const double* __restrict m,
                                                            const double* __restrict q,
                                                            float* __restrict y, std::size_t n) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const V4 q4 = load4(q + i), m4 = load4(m + i);
    const V4 e0 = __builtin_shufflevector(q4, q4, 0, 0, 0, 1);
    const V4 e1 = __builtin_shufflevector(q4, q4, 1, 1, 2, 2);
    const V4 e2 = __builtin_shufflevector(q4, q4, 2, 3, 3, 3);
    const V4 g0 = __builtin_shufflevector(m4, m4, 0, 0, 0, 1);
    const V4 g1 = __builtin_shufflevector(m4, m4, 1, 1, 2, 2);
    const V4 g2 = __builtin_shufflevector(m4, m4, 2, 3, 3, 3);
    F4 x0, x1, x2;
    std::memcpy(&x0, x + 3 * i, sizeof x0);
    std::memcpy(&x1, x + 3 * i + 4, sizeof x1);
    std::memcpy(&x2, x + 3 * i + 8, sizeof x2);
    const V4 v0 = __builtin_convertvector(x0, V4) - g0;
    const V4 v1 = __builtin_convertvector(x1, V4) - g1;
    const V4 v2 = __builtin_convertvector(x2, V4) - g2;
    const F4 f0 = __builtin_convertvector(v0 * e0, F4);
    const F4 f1 = __builtin_convertvector(v1 * e1, F4);
    const F4 f2 = __builtin_convertvector(v2 * e2, F4);
    std::memcpy(y + 3 * i, &f0, sizeof f0);
    std::memcpy(y + 3 * i + 4, &f1, sizeof f1);
    std::memcpy(y + 3 * i + 8, &f2, sizeof f2);
  }
  for (; i < n; ++i)
    for (std::size_t c = 0; c < 3; ++c) {
      const double v = x[3 * i + c] - m[i];
      y[3 * i + c] = static_cast<float>(v * q[i]);
    }
}

template <bool Columns>
__attribute__((always_inline)) inline void centre_roots_divide3_t(
    const float* __restrict x, const double* __restrict m, const double* __restrict s,
    double inside, double scale, const double* __restrict icm, double floor, float* __restrict y,
    std::size_t n) {
  double q[kQBlock];
  for (std::size_t i0 = 0; i0 < n; i0 += kQBlock) {
    const std::size_t b = std::min(kQBlock, n - i0);
    for (std::size_t i = 0; i < b; ++i) {  // as roots_divide3_t
      const double p = s[i0 + i] * inside;
      const double e = std::sqrt(p < 0.0 ? 0.0 : p) * (Columns ? scale * icm[i0 + i] : 1.0);
      const double d = e > floor ? e : floor;
      q[i] = d > 0 ? 1 / d : 0.0;
    }
    centred_times_q3(x + 3 * i0, m + i0, q, y + 3 * i0, b);
  }
}

}  // namespace

LRN_CLONES void means3_squares(const float* x, const double* s, double scale, const double* icm,
                               double* m, double* q, std::size_t n) {
  if (icm && m) means3_squares_t<true, true>(x, s, scale, icm, m, q, n);
  else if (icm) means3_squares_t<true, false>(x, s, scale, icm, m, q, n);
  else if (m) means3_squares_t<false, true>(x, s, scale, icm, m, q, n);
  else means3_squares_t<false, false>(x, s, scale, icm, m, q, n);
}

LRN_CLONES void centre_roots_divide3(const float* x, const double* m, const double* s,
                                     double inside, double scale, const double* icm, double floor,
                                     float* y, std::size_t n) {
  if (icm) centre_roots_divide3_t<true>(x, m, s, inside, scale, icm, floor, y, n);
  else centre_roots_divide3_t<false>(x, m, s, inside, scale, icm, floor, y, n);
}

}  // namespace lrn::family::detail
