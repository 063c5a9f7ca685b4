// Box sums of squares in exact float arithmetic for 8-bit image data (box_exact.h).
#include "lrn/family/box_exact.h"

// The generic 32-byte vectors below are internal: their ABI in the baseline clone is no concern.
#pragma GCC diagnostic ignored "-Wpsabi"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "lrn/family/clones.h"

namespace lrn::family::detail {

namespace {

// Eight floats in GCC's generic vectors (AVX2 registers in the avx2 and v4 clones, SSE2 pairs
// in the baseline one). Every value is an integer below 2^24, so every add is exact: the
// clones agree because there is nothing to round.
typedef float F8 __attribute__((vector_size(32)));

__attribute__((always_inline)) inline F8 load8(const float* p) {
  F8 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
__attribute__((always_inline)) inline void store8(float* p, F8 v) { std::memcpy(p, &v, sizeof v); }

/// Lane t of the result is v[t - S], or 0 for t < S.
template <int S>
__attribute__((always_inline)) inline F8 shift_up(F8 v) {
  const F8 z = {};
#define LRN_LANE(t) ((t) >= S ? 8 + (t) - S : 0)
  return __builtin_shufflevector(z, v, LRN_LANE(0), LRN_LANE(1), LRN_LANE(2), LRN_LANE(3),
                                 LRN_LANE(4), LRN_LANE(5), LRN_LANE(6), LRN_LANE(7));
#undef LRN_LANE
}

/// In-vector prefix sums with stride L: lane t gets d[t] + d[t - L] + d[t - 2L] + ... .
template <int L>
__attribute__((always_inline)) inline F8 scan(F8 d) {
  d += shift_up<L>(d);
  if constexpr (2 * L < 8) d += shift_up<2 * L>(d);
  if constexpr (4 * L < 8) d += shift_up<4 * L>(d);
  return d;
}

/// The carry for the next eight values: lane t gets the last value of lane t's channel in h,
/// h[8 - L + t mod L].
template <int L>
__attribute__((always_inline)) inline F8 carry(F8 h) {
#define LRN_LANE(t) (8 - L + (t) % L)
  return __builtin_shufflevector(h, h, LRN_LANE(0), LRN_LANE(1), LRN_LANE(2), LRN_LANE(3),
                                 LRN_LANE(4), LRN_LANE(5), LRN_LANE(6), LRN_LANE(7));
#undef LRN_LANE
}

// Columns per emit call. Smaller blocks spread the next row's prefetches (below) through the
// power's work: 12 cache lines before each block of packed RGB. bench_family, size 5, CPU ms:
// 256 columns 32.4-33.1, 128 30.7-31.0, 64 29.6-30.5, 48 30.1-30.5, 32 31.0-31.2. Doing the
// next row's column sums themselves between the blocks (real loads, not prefetches) ran at
// 34.8-35.4: the loads' misses stall the divider's work instead of hiding behind it.
constexpr std::size_t kPowerColumns = 64;
constexpr std::size_t kSegments = 4;  // independent scans per row (latency: permute + add)

/// One row's box sums along x: h[x L + c] = sum of v[p L + c], p = x .. x + n - 1 (v is padded:
/// image column x at p = x + r), x < width. Each of kSegments segments starts with a direct sum,
/// then h[i] = h[i - L] + (v[i + (n - 1) L] - v[i - L]), eight values at a time (scan + carry).
template <int L>
__attribute__((always_inline)) inline void roll_row_t(const float* __restrict v,
                                                      float* __restrict h, std::size_t width,
                                                      std::size_t n) {
  const std::size_t segments = width >= 64 ? kSegments : 1;
  const std::size_t seg = (width + segments - 1) / segments;
  const std::size_t ahead = (n - 1) * L;
  std::size_t at[kSegments], end[kSegments];
  F8 c8[kSegments];
  std::size_t count = 0;
  for (std::size_t s = 0; s < segments; ++s) {
    const std::size_t a = s * seg, b = std::min(width, a + seg);
    if (a >= b) break;
    float start[8];
    for (std::size_t c = 0; c < L; ++c) {
      float sum = 0;
      for (std::size_t p = a; p < a + n; ++p) sum += v[p * L + c];
      h[a * L + c] = sum;
    }
    for (std::size_t t = 0; t < 8; ++t) start[t] = h[a * L + t % L];
    c8[count] = load8(start);
    at[count] = (a + 1) * L;
    end[count] = b * L;
    ++count;
  }
  auto step = [&](std::size_t s) {
    const std::size_t i = at[s];
    const F8 d = load8(v + i + ahead) - load8(v + i - L);
    const F8 out = scan<L>(d) + c8[s];
    store8(h + i, out);
    c8[s] = carry<L>(out);
    at[s] = i + 8;
  };
  if (count == kSegments) {
    // All segments but the last have the same length; run them side by side.
    for (;;) {
      bool all = true;
      for (std::size_t s = 0; s < kSegments; ++s) all = all && at[s] + 8 <= end[s];
      if (!all) break;
      for (std::size_t s = 0; s < kSegments; ++s) step(s);
    }
  }
  for (std::size_t s = 0; s < count; ++s) {
    while (at[s] + 8 <= end[s]) step(s);
    for (std::size_t i = at[s]; i < end[s]; ++i) h[i] = h[i - L] + (v[i + ahead] - v[i - L]);
  }
}

/// Accepted: an integer with |a| <= kExactMaxValue. Adding and subtracting 1.5 * 2^23 (where
/// floats are integers, for |a| < 2^22) rounds a to an integer; NaN fails ==, and infinities
/// and large values fail the bound.
__attribute__((always_inline)) inline int rejected(float a) {
  const float m = 0x1.8p23f;
  return !((a + m) - m == a) | !(std::fabs(a) <= kExactMaxValue);
}

LRN_CLONES int roll_columns(float* __restrict v, const float* __restrict add,
                            const float* __restrict sub, std::size_t m) {
  int bad = 0;
  if (add && sub) {
    for (std::size_t i = 0; i < m; ++i) {
      const float a = add[i], b = sub[i];
      bad |= rejected(a);
      v[i] = (v[i] + a * a) - b * b;
    }
  } else if (add) {
    for (std::size_t i = 0; i < m; ++i) {
      const float a = add[i];
      bad |= rejected(a);
      v[i] = v[i] + a * a;
    }
  } else if (sub) {
    for (std::size_t i = 0; i < m; ++i) v[i] = v[i] - sub[i] * sub[i];
  }
  return bad;
}

LRN_CLONES void roll_row(const float* v, float* h, std::size_t width, std::size_t lanes,
                         std::size_t n) {
  switch (lanes) {
    case 1: return roll_row_t<1>(v, h, width, n);
    case 2: return roll_row_t<2>(v, h, width, n);
    case 3: return roll_row_t<3>(v, h, width, n);
    default: return roll_row_t<4>(v, h, width, n);
  }
}

}  // namespace

std::size_t box_squares_exact(const PackedRowAt& row, std::size_t width, std::size_t height,
                              std::size_t lanes, std::size_t n, std::size_t y0, std::size_t y1,
                              const EmitRowF& emit) {
  const std::size_t r = n / 2, L = lanes, m = width * L;
  // Column sums, padded with r zero columns on each side; h has room for an 8-float store.
  std::vector<float> v((width + 2 * r) * L, 0.0f), h(m + 8);
  float* columns = v.data() + r * L;
  // The window of row y0: rows [y0 - r, y0 + r] inside the image.
  const std::size_t top = y0 >= r ? y0 - r : 0, bottom = std::min(height, y0 + r + 1);
  for (std::size_t y = top; y < bottom; ++y)
    if (roll_columns(columns, row(y), nullptr, m)) return y0;
  for (std::size_t y = y0; y < y1; ++y) {
    if (y > y0) {
      const float* add = y + r < height ? row(y + r) : nullptr;
      const float* sub = y >= r + 1 ? row(y - r - 1) : nullptr;
      if (roll_columns(columns, add, sub, m)) return y;
    }
    roll_row(v.data(), h.data(), width, L, n);
    // The power is the slow part (square roots and a division per value): the next row to
    // enter the window is fetched from memory meanwhile, a piece before each block, so that
    // adding it waits for no cache miss (the phases would otherwise take turns: the memory
    // idle while the divider works, then the reverse).
    const float* next = y + 1 < y1 && y + 1 + r < height ? row(y + 1 + r) : nullptr;
    const std::size_t blocks = (width + kPowerColumns - 1) / kPowerColumns;
    const std::size_t per_block = (m + blocks - 1) / blocks;
    for (std::size_t b = 0; b < blocks; ++b) {
      if (next)
        for (std::size_t o = b * per_block; o < std::min(m, (b + 1) * per_block); o += 16)
          __builtin_prefetch(next + o, 0, 3);
      const std::size_t xa = b * kPowerColumns, xb = std::min(width, xa + kPowerColumns);
      emit(y, xa, xb, h.data() + xa * L);
    }
  }
  return y1;
}

}  // namespace lrn::family::detail
