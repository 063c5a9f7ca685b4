// Separable window sums: van Herk / Gil-Werman blocks for boxes, direct taps otherwise.
#include "lrn/family/window.h"

#include <algorithm>
#include <cmath>

namespace lrn::family::detail {

double Taps::sum() const {
  double s = 0;
  for (double v : w) s += v;
  return s;
}

Taps box_taps(std::size_t n) { return Taps{std::vector<double>(n, 1.0), true}; }

namespace {
Taps normalised(std::vector<double> w) {
  double s = 0;
  for (double v : w) s += v;
  for (double& v : w) v /= s;
  return Taps{std::move(w), false};
}
}  // namespace

Taps torch_gaussian_taps(std::size_t n) {
  const double size = static_cast<double>(n);
  const double center = 0.5 * size + 0.5;
  std::vector<double> w(n);
  for (std::size_t i = 1; i <= n; ++i) {
    const double d = (static_cast<double>(i) - center) / (0.25 * size);
    w[i - 1] = std::exp(-(d * d) / 2);
  }
  return normalised(std::move(w));
}

Taps sigma_gaussian_taps(std::size_t n, double sigma) {
  const double r = static_cast<double>(n / 2);
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(i) - r;
    w[i] = std::exp(-(d * d) / (2 * sigma * sigma));
  }
  return normalised(std::move(w));
}

double axis_mass(const Taps& t, std::size_t i, std::size_t len) {
  const std::ptrdiff_t r = static_cast<std::ptrdiff_t>(t.radius());
  double m = 0;
  for (std::ptrdiff_t p = 0; p < static_cast<std::ptrdiff_t>(t.size()); ++p) {
    const std::ptrdiff_t at = static_cast<std::ptrdiff_t>(i) + p - r;
    if (at >= 0 && at < static_cast<std::ptrdiff_t>(len)) m += t.w[static_cast<std::size_t>(p)];
  }
  return m;
}

namespace {

// Output rows per chunk: bounds the cached source rows to (kChunk + 2r) rows.
constexpr std::size_t kChunk = 32;

inline void add_into(double* dst, const double* a, const double* b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] + b[i];
}

/// Horizontal box sums of one row (n_pos positions of `lanes`), zero padded, block scheme on
/// padded coordinates u = x + r with anchors at multiples of n.
void box_row(const double* in, std::size_t n_pos, std::size_t lanes, std::size_t n,
             std::vector<double>& pad, std::vector<double>& suf, std::vector<double>& pre,
             double* out) {
  const std::size_t r = n / 2, len = n_pos + 2 * r;
  pad.assign(len * lanes, 0.0);
  std::copy(in, in + n_pos * lanes, pad.begin() + static_cast<std::ptrdiff_t>(r * lanes));
  suf.resize(len * lanes);
  pre.resize(len * lanes);
  for (std::size_t a = 0; a < len; a += n) {
    const std::size_t e = std::min(a + n, len);
    // prefix inside the block
    for (std::size_t l = 0; l < lanes; ++l) pre[a * lanes + l] = pad[a * lanes + l];
    for (std::size_t u = a + 1; u < e; ++u)
      add_into(&pre[u * lanes], &pre[(u - 1) * lanes], &pad[u * lanes], lanes);
    // suffix inside the block
    for (std::size_t l = 0; l < lanes; ++l) suf[(e - 1) * lanes + l] = pad[(e - 1) * lanes + l];
    for (std::size_t u = e - 1; u-- > a;)
      add_into(&suf[u * lanes], &suf[(u + 1) * lanes], &pad[u * lanes], lanes);
  }
  for (std::size_t x = 0; x < n_pos; ++x) {
    if (x % n == 0)
      std::copy(&suf[x * lanes], &suf[x * lanes] + lanes, out + x * lanes);
    else
      add_into(out + x * lanes, &suf[x * lanes], &pre[(x + n - 1) * lanes], lanes);
  }
}

/// Horizontal weighted sums of one row, taps in order, zero padded.
void taps_row(const double* in, std::size_t n_pos, std::size_t lanes, const Taps& t,
              std::vector<double>& pad, double* out) {
  const std::size_t n = t.size(), r = n / 2, len = n_pos + 2 * r;
  pad.assign(len * lanes, 0.0);
  std::copy(in, in + n_pos * lanes, pad.begin() + static_cast<std::ptrdiff_t>(r * lanes));
  const std::size_t m = n_pos * lanes;
  for (std::size_t i = 0; i < m; ++i) out[i] = 0;
  for (std::size_t p = 0; p < n; ++p) {
    const double w = t.w[p];
    const double* src = pad.data() + p * lanes;
    for (std::size_t i = 0; i < m; ++i) out[i] += w * src[i];
  }
}

}  // namespace

void window_sums(const Taps& t, std::size_t width, std::size_t height, std::size_t lanes,
                 std::size_t y0, std::size_t y1, const FillRow& fill, const EmitRow& emit) {
  const std::size_t n = t.size(), r = n / 2, m = width * lanes;
  std::vector<double> cache, vrow(m), hrow(m), pad, suf, pre, block, prefix(m);
  if (t.box) block.resize(n * m);
  for (std::size_t c0 = y0; c0 < y1; c0 += kChunk) {
    const std::size_t c1 = std::min(y1, c0 + kChunk);
    const std::size_t s0 = c0 >= r ? c0 - r : 0, s1 = std::min(height, c1 + r);
    cache.resize((s1 - s0) * m);
    for (std::size_t y = s0; y < s1; ++y) fill(y, &cache[(y - s0) * m]);
    // Source row at padded coordinate u (image row u - r), or nullptr outside the image.
    auto src = [&](std::size_t u) -> const double* {
      if (u < r || u - r >= height) return nullptr;
      return &cache[(u - r - s0) * m];
    };
    auto horizontal = [&](std::size_t y) {
      if (t.box)
        box_row(vrow.data(), width, lanes, n, pad, suf, pre, hrow.data());
      else
        taps_row(vrow.data(), width, lanes, t, pad, hrow.data());
      emit(y, hrow.data());
    };
    if (!t.box) {
      for (std::size_t y = c0; y < c1; ++y) {
        std::fill(vrow.begin(), vrow.end(), 0.0);
        for (std::size_t p = 0; p < n; ++p) {
          const double* s = src(y + p);
          if (!s) continue;
          const double w = t.w[p];
          for (std::size_t i = 0; i < m; ++i) vrow[i] += w * s[i];
        }
        horizontal(y);
      }
      continue;
    }
    // Box: window of output y is padded rows [y, y + n - 1]; blocks [a, a + n).
    for (std::size_t a = (c0 / n) * n; a < c1; a += n) {
      const std::size_t i_lo = std::max(a, c0), i_hi = std::min(a + n - 1, c1 - 1);
      // Suffix sums inside block a, from its last row down to i_lo.
      double* next = nullptr;
      for (std::size_t u = a + n; u-- > i_lo;) {
        double* cur = &block[(u - a) * m];
        const double* s = src(u);
        if (!next) {
          if (s) std::copy(s, s + m, cur); else std::fill(cur, cur + m, 0.0);
        } else if (s) {
          add_into(cur, next, s, m);
        } else {
          std::copy(next, next + m, cur);
        }
        next = cur;
      }
      // Prefix sums inside block a + n, up to i_hi + n - 1.
      std::fill(prefix.begin(), prefix.end(), 0.0);
      bool started = false;
      std::size_t j = a + n;  // next prefix row to add
      for (std::size_t i = i_lo; i <= i_hi; ++i) {
        if (i == a) {
          std::copy(&block[0], &block[0] + m, vrow.begin());
        } else {
          for (; j <= i + n - 1; ++j) {
            const double* s = src(j);
            if (!started) {
              if (s) std::copy(s, s + m, prefix.begin());
              started = true;
            } else if (s) {
              add_into(prefix.data(), prefix.data(), s, m);
            }
          }
          add_into(vrow.data(), &block[(i - a) * m], prefix.data(), m);
        }
        horizontal(i);
      }
    }
  }
}

}  // namespace lrn::family::detail
