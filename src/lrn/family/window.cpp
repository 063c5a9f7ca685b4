// Separable window sums: van Herk / Gil-Werman blocks for boxes, direct taps otherwise.
#include "lrn/family/window.h"

#include "lrn/family/loops.h"

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

/// Horizontal box sums for outputs x in [sx, ex) from v, the vertical sums of image columns
/// [sx - r, ex + r) (zeros outside the image). Block scheme on padded coordinates u = x + r
/// (v's index is u - sx), anchors at multiples of n: the same adds in the same order whatever
/// the strip. suf and pre hold one block each.
/// LanesT > 0 fixes the lane count at compile time (the inner loops unroll); 0 reads L.
template <std::size_t LanesT>
void box_strip_t(const double* __restrict v, std::size_t sx, std::size_t ex, std::size_t lanes,
                 std::size_t n, double* __restrict suf, double* __restrict pre,
                 double* __restrict out) {
  const std::size_t L = LanesT ? LanesT : lanes;
  for (std::size_t a = (sx / n) * n; a < ex; a += n) {
    const std::size_t xs = std::max(a, sx), xe = std::min(a + n, ex);
    // Suffix sums of block a from its last position down to xs.
    const double* va = v + (a + n - 1 - sx) * L;
    double* sa = suf + (n - 1) * L;
    for (std::size_t l = 0; l < L; ++l) sa[l] = va[l];
    for (std::size_t u = a + n - 1; u-- > xs;) {
      const double* vu = v + (u - sx) * L;
      double* su = suf + (u - a) * L;
      for (std::size_t l = 0; l < L; ++l) su[l] = su[l + L] + vu[l];
    }
    // Prefix sums of block a + n up to xe + n - 2.
    if (xe > a + 1) {  // some x > a needs a prefix of block a + n
      const std::size_t last = xe + n - 2;
      const double* vb = v + (a + n - sx) * L;
      for (std::size_t l = 0; l < L; ++l) pre[l] = vb[l];
      for (std::size_t u = a + n + 1; u <= last; ++u) {
        const double* vu = v + (u - sx) * L;
        double* pu = pre + (u - a - n) * L;
        for (std::size_t l = 0; l < L; ++l) pu[l] = pu[l - L] + vu[l];
      }
    }
    for (std::size_t x = xs; x < xe; ++x) {
      double* o = out + (x - sx) * L;
      const double* su = suf + (x - a) * L;
      if (x == a) {
        for (std::size_t l = 0; l < L; ++l) o[l] = su[l];
      } else {
        const double* pu = pre + (x - a - 1) * L;
        for (std::size_t l = 0; l < L; ++l) o[l] = su[l] + pu[l];
      }
    }
  }
}

void box_strip(const double* v, std::size_t sx, std::size_t ex, std::size_t L, std::size_t n,
               double* suf, double* pre, double* out) {
  switch (L) {
    case 1: return box_strip_t<1>(v, sx, ex, L, n, suf, pre, out);
    case 2: return box_strip_t<2>(v, sx, ex, L, n, suf, pre, out);
    case 3: return box_strip_t<3>(v, sx, ex, L, n, suf, pre, out);
    case 4: return box_strip_t<4>(v, sx, ex, L, n, suf, pre, out);
    case 6: return box_strip_t<6>(v, sx, ex, L, n, suf, pre, out);
    case 8: return box_strip_t<8>(v, sx, ex, L, n, suf, pre, out);
    default: return box_strip_t<0>(v, sx, ex, L, n, suf, pre, out);
  }
}

/// Horizontal weighted sums for outputs [sx, ex), taps in order, from v as above.
void taps_strip(const double* __restrict v, std::size_t sx, std::size_t ex, std::size_t L,
                const Taps& t, double* __restrict out) {
  const std::size_t m = (ex - sx) * L;
  for (std::size_t i = 0; i < m; ++i) out[i] = 0;
  for (std::size_t p = 0; p < t.size(); ++p) add_scaled(out, t.w[p], v + p * L, m);
}

}  // namespace

void window_sums(const Taps& t, std::size_t width, std::size_t height, std::size_t lanes,
                 std::size_t y0, std::size_t y1, std::size_t x0, std::size_t x1,
                 const FillRow& fill, const EmitRow& emit) {
  const std::size_t n = t.size(), r = n / 2, L = lanes, strip = strip_columns(L);
  std::vector<double> cache, block, prefix, vrow, hrow, zeros, suf(n * L), pre(n * L);
  std::vector<const double*> suffix(n);
  const double* vsum = nullptr;  // the vertical sums of the current output row
  // Tiles of rows outside, strips inside: the image is read row band by row band.
  for (std::size_t c0 = y0; c0 < y1; c0 += kTileRows) {
    const std::size_t c1 = std::min(y1, c0 + kTileRows);
    const std::size_t s0 = c0 >= r ? c0 - r : 0, s1 = std::min(height, c1 + r);
    for (std::size_t sx = x0; sx < x1; sx += strip) {
      const std::size_t ex = std::min(x1, sx + strip);
      const std::size_t span = ex - sx + 2 * r, m = span * L;
      // Image columns [ca, cb) land at offset (ca + r - sx) of a cache row.
      const std::size_t ca = sx >= r ? sx - r : 0, cb = std::min(width, ex + r);
      const std::size_t off = (ca + r - sx) * L, used = (cb - ca) * L;
      vrow.resize(m);
      hrow.resize((ex - sx) * L);
      prefix.resize(m);
      if (zeros.size() != m) zeros.assign(m, 0.0);
      if (t.box) block.resize(n * m);
      cache.resize((s1 - s0) * m);
      for (std::size_t y = s0; y < s1; ++y) {
        double* row = &cache[(y - s0) * m];
        std::fill(row, row + off, 0.0);
        fill(y, ca, cb, row + off);
        std::fill(row + off + used, row + m, 0.0);
      }
      // Source row at padded coordinate u (image row u - r), or nullptr outside the image.
      auto src = [&](std::size_t u) -> const double* {
        if (u < r || u - r >= height) return nullptr;
        return &cache[(u - r - s0) * m];
      };
      auto horizontal = [&](std::size_t y) {
        if (t.box)
          box_strip(vsum, sx, ex, L, n, suf.data(), pre.data(), hrow.data());
        else
          taps_strip(vsum, sx, ex, L, t, hrow.data());
        emit(y, sx, ex, hrow.data());
      };
      if (!t.box) {
        for (std::size_t y = c0; y < c1; ++y) {
          std::fill(vrow.begin(), vrow.end(), 0.0);
          vsum = vrow.data();
          for (std::size_t p = 0; p < n; ++p) {
            const double* s = src(y + p);
            if (s) add_scaled(vrow.data(), t.w[p], s, m);
          }
          horizontal(y);
        }
        continue;
      }
      // Box: the window of output y is padded rows [y, y + n - 1]; blocks [a, a + n).
      // Rows are used in place where a sum is a single row (no copies).
      for (std::size_t a = (c0 / n) * n; a < c1; a += n) {
        const std::size_t i_lo = std::max(a, c0), i_hi = std::min(a + n - 1, c1 - 1);
        // Suffix sums inside block a, from its last row down to i_lo.
        const double* next = nullptr;
        for (std::size_t u = a + n; u-- > i_lo;) {
          const double* s = src(u);
          double* cur = &block[(u - a) * m];
          if (!next) {
            suffix[u - a] = s ? s : zeros.data();
          } else if (s) {
            add_into(cur, next, s, m);
            suffix[u - a] = cur;
          } else {
            suffix[u - a] = next;
          }
          next = suffix[u - a];
        }
        // Prefix sums inside block a + n, up to i_hi + n - 1.
        const double* pre_sum = zeros.data();
        bool started = false;
        std::size_t j = a + n;  // next prefix row to add
        for (std::size_t i = i_lo; i <= i_hi; ++i) {
          if (i == a) {
            vsum = suffix[0];
          } else {
            for (; j <= i + n - 1; ++j) {
              const double* s = src(j);
              if (!started) {
                if (s) pre_sum = s;
                started = true;
              } else if (s) {
                if (pre_sum == prefix.data()) {
                  add_to(prefix.data(), s, m);
                } else {
                  add_into(prefix.data(), pre_sum, s, m);
                  pre_sum = prefix.data();
                }
              }
            }
            add_into(vrow.data(), suffix[i - a], pre_sum, m);
            vsum = vrow.data();
          }
          horizontal(i);
        }
      }
    }
  }
}

}  // namespace lrn::family::detail
