// Test helpers for the normalization family: random images, naive float64 references written
// straight from normalization-family.md, and the split/stream identity check.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "lrn/family/operation.h"
#include "pipeline/driver.h"

namespace lrn_test::family {

using lrn::family::Geometry;
using lrn::family::Operation;

/// An HWC float image, values uniform in [lo, hi).
inline std::vector<float> random_image(std::size_t w, std::size_t h, std::size_t c,
                                       std::uint32_t seed, float lo = 0, float hi = 255) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(w * h * c);
  for (float& x : v) x = d(rng);
  return v;
}

/// Whole-image run of a fresh op (HWC, contiguous).
inline std::vector<float> run_whole(Operation& op, const std::vector<float>& in,
                                    const std::vector<std::size_t>& splits = {}) {
  const Geometry& g = op.geometry();
  std::vector<float> out(in.size(), -12345.0f);
  const auto stride = static_cast<std::ptrdiff_t>(g.width * g.channels);
  lrn::family::run_image(op, {in.data(), stride}, {out.data(), stride}, splits);
  return out;
}

/// Random increasing split ends of [0, h).
inline std::vector<std::size_t> random_splits(std::size_t h, std::mt19937& rng) {
  std::vector<std::size_t> ends;
  std::size_t y = 0;
  while (y < h) {
    y = std::min(h, y + 1 + rng() % std::max<std::size_t>(1, h / 3 + 1));
    ends.push_back(y);
  }
  return ends;
}

/// The streaming driver's output for in (HWC), block rows at a time.
inline std::vector<float> run_stream(Operation& op, const std::vector<float>& in,
                                     std::size_t block) {
  const Geometry& g = op.geometry();
  const std::size_t row = g.width * g.channels;
  std::vector<float> out(in.size(), -12345.0f);
  std::size_t next = 0;
  bool ordered = true;
  lrn::family::StreamDriver d(op, row, block, [&](std::size_t y, const float* r) {
    ordered = ordered && y == next++;
    std::copy(r, r + row, out.begin() + static_cast<std::ptrdiff_t>(y * row));
  });
  for (int p = 0; p < op.passes(); ++p) {
    for (std::size_t y = 0; y < g.height; ++y) d.push(in.data() + y * row);
    d.end_pass();
  }
  if (!ordered) out.assign(out.size(), -1.0f);
  return out;
}

/// Same values byte for byte (NaN-safe).
inline bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](float x, float y) {
           return std::memcmp(&x, &y, sizeof x) == 0;
         });
}

/// HWC -> CHW.
inline std::vector<float> to_planar(const std::vector<float>& v, std::size_t w, std::size_t h,
                                    std::size_t c) {
  std::vector<float> p(v.size());
  for (std::size_t i = 0; i < w * h; ++i)
    for (std::size_t k = 0; k < c; ++k) p[k * w * h + i] = v[i * c + k];
  return p;
}

/// Max |a - b| / max(|b|, floor) over all values.
inline double max_rel_error(const std::vector<float>& a, const std::vector<double>& b,
                            double floor = 1e-3) {
  double e = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    e = std::max(e, std::abs(a[i] - b[i]) / std::max(std::abs(b[i]), floor));
  return e;
}

/// Calls f(y, x, p, q, inside) bookkeeping: visits the in-image offsets of an n x n window.
template <class F>
void for_window(std::size_t w, std::size_t h, std::size_t y, std::size_t x, int n, F f) {
  const int r = n / 2;
  for (int p = -r; p <= r; ++p)
    for (int q = -r; q <= r; ++q) {
      const long yy = static_cast<long>(y) + p, xx = static_cast<long>(x) + q;
      if (yy < 0 || xx < 0 || yy >= static_cast<long>(h) || xx >= static_cast<long>(w)) continue;
      f(static_cast<std::size_t>(yy), static_cast<std::size_t>(xx), p + r, q + r);
    }
}

}  // namespace lrn_test::family
