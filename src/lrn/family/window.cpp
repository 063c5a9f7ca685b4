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

/// Taps that weigh p and n - 1 - p alike (the Gaussians: the same bits by construction), n >= 3.
bool symmetric(const Taps& t) {
  const std::size_t n = t.size();
  if (n < 3) return false;
  for (std::size_t p = 0; p < n / 2; ++p)
    if (t.w[p] != t.w[n - 1 - p]) return false;
  return true;
}

/// The sums of one strip [sx, ex) for output rows [c0, c1): src(u) is the padded row u
/// (image row u - r: columns [sx - r, ex + r), m doubles, zeros outside the image) or nullptr
/// outside the image.
template <class Src>
void strip_sums(const Taps& t, std::size_t L, std::size_t c0, std::size_t c1, std::size_t sx,
                std::size_t ex, std::size_t m, const Src& src, const EmitRow& emit,
                WindowScratch& b) {
  const std::size_t n = t.size();
  auto &vrow = b.vrow, &hrow = b.hrow, &zeros = b.zeros, &minus_zeros = b.minus_zeros;
  auto &block = b.block, &rows4 = b.rows4, &hrows4 = b.hrows4, &t4 = b.t4, &o4 = b.o4, &suf = b.suf;
  suf.resize(4 * n * L);
  vrow.resize(m);
  hrow.resize((ex - sx) * L);
  if (zeros.size() != m) zeros.assign(m, 0.0);
  b.suffix.resize(n);
  b.rows.resize(n);
  b.weights.resize(n);
  auto &suffix = b.suffix, &rows = b.rows;
  auto& weights = b.weights;
  if (!t.box && symmetric(t)) {
    // Pairs of taps folded (weighted_rows_symmetric), rows outside the image read as zeros;
    // the vertical pass makes up to four output rows at once (each source row read once for
    // all of them).
    rows.resize(n + 3);
    vrow.resize(4 * m);
    for (std::size_t y = c0; y < c1;) {
      const std::size_t count = c1 - y >= 4 ? 4 : c1 - y >= 2 ? 2 : 1;
      for (std::size_t p = 0; p < n + count - 1; ++p) {
        const double* s = src(y + p);
        rows[p] = s ? s : zeros.data();
      }
      double* outs[4] = {vrow.data(), vrow.data() + m, vrow.data() + 2 * m, vrow.data() + 3 * m};
      weighted_rows_symmetric_rows(rows.data(), t.w.data(), n, outs, count, m);
      for (std::size_t k = 0; k < count; ++k, ++y) {
        weighted_row_symmetric(outs[k], L, t.w.data(), n, hrow.data(), (ex - sx) * L);
        emit(y, sx, ex, hrow.data());
      }
    }
    return;
  }
  if (!t.box) {
    // Taps in order, rows outside the image skipped; then the horizontal taps on v.
    for (std::size_t y = c0; y < c1; ++y) {
      std::size_t count = 0;
      for (std::size_t p = 0; p < n; ++p)
        if (const double* s = src(y + p)) rows[count] = s, weights[count++] = t.w[p];
      weighted_rows(rows.data(), weights.data(), count, vrow.data(), m);
      for (std::size_t p = 0; p < n; ++p) rows[p] = vrow.data() + p * L;
      weighted_rows(rows.data(), t.w.data(), n, hrow.data(), (ex - sx) * L);
      emit(y, sx, ex, hrow.data());
    }
    return;
  }
  // Box. Output rows go four at a time through the horizontal sums (interleave4_add puts
  // the four rows' suffix + prefix side by side: one vector per position and lane, so the
  // block scans are vector adds). A row's suffix and prefix rows must live until its
  // group is done: suffix rows alternate between two block buffers, prefix rows are
  // built in the row's slot of rows4.
  const std::size_t hm = (ex - sx) * L;
  block.resize(2 * n * m);
  rows4.resize(4 * m);
  hrows4.resize(4 * hm);
  t4.resize(4 * m);
  o4.resize(4 * hm);
  if (minus_zeros.size() != m) minus_zeros.assign(m, -0.0);  // x + -0 == x, even for -0
  std::size_t group_y[4], pending = 0;
  const double *sp[4], *pp[4];
  auto flush = [&] {
    if (pending == 0) return;
    const double *a4[4], *b4[4];
    double* out4[4];
    for (std::size_t k = 0; k < 4; ++k) {
      const std::size_t q = std::min(k, pending - 1);  // a short group repeats its last row
      a4[k] = sp[q], b4[k] = pp[q];
      out4[k] = &hrows4[k * hm];
    }
    interleave4_add(a4, b4, t4.data(), m);
    box_sums4(t4.data(), sx, ex, L, n, suf.data(), o4.data());
    deinterleave4(o4.data(), out4, hm);
    for (std::size_t k = 0; k < pending; ++k) emit(group_y[k], sx, ex, out4[k]);
    pending = 0;
  };
  // The window of output y is padded rows [y, y + n - 1]; blocks [a, a + n).
  // Rows are used in place where a sum is a single row (no copies).
  for (std::size_t a = (c0 / n) * n; a < c1; a += n) {
    const std::size_t i_lo = std::max(a, c0), i_hi = std::min(a + n - 1, c1 - 1);
    double* blk = &block[(a / n) % 2 * n * m];
    // Suffix sums inside block a, from its last row down to i_lo.
    const double* next = nullptr;
    for (std::size_t u = a + n; u-- > i_lo;) {
      const double* s = src(u);
      double* cur = blk + (u - a) * m;
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
      double* slot = &rows4[pending * m];
      if (i == a) {
        sp[pending] = suffix[0], pp[pending] = minus_zeros.data();
      } else {
        for (; j <= i + n - 1; ++j) {
          const double* s = src(j);
          if (!started) {
            if (s) pre_sum = s;
            started = true;
          } else if (s) {
            if (pre_sum == slot) {
              add_to(slot, s, m);
            } else {
              add_into(slot, pre_sum, s, m);
              pre_sum = slot;
            }
          }
        }
        sp[pending] = suffix[i - a], pp[pending] = pre_sum;
      }
      group_y[pending++] = i;
      if (pending == 4) flush();
    }
  }
  flush();
}

}  // namespace

void window_sums(const Taps& t, std::size_t width, std::size_t height, std::size_t lanes,
                 std::size_t y0, std::size_t y1, std::size_t x0, std::size_t x1,
                 const FillRow& fill, const EmitRow& emit, WindowScratch* scratch) {
  const std::size_t n = t.size(), r = n / 2, L = lanes, strip = strip_columns(L);
  WindowScratch own;
  WindowScratch& b = scratch ? *scratch : own;
  auto& cache = b.cache;
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
      strip_sums(t, L, c0, c1, sx, ex, m, src, emit, b);
    }
  }
}

void window_sums_rows(const Taps& t, std::size_t height, std::size_t lanes, std::size_t y0,
                      std::size_t y1, std::size_t x0, std::size_t x1, const RowAt& row_at,
                      const EmitRow& emit, WindowScratch* scratch) {
  const std::size_t n = t.size(), r = n / 2, L = lanes, strip = strip_columns(L);
  WindowScratch own;
  WindowScratch& b = scratch ? *scratch : own;
  for (std::size_t c0 = y0; c0 < y1; c0 += kTileRows) {
    const std::size_t c1 = std::min(y1, c0 + kTileRows);
    for (std::size_t sx = x0; sx < x1; sx += strip) {
      const std::size_t ex = std::min(x1, sx + strip), m = (ex - sx + 2 * r) * L;
      auto src = [&](std::size_t u) -> const double* {
        if (u < r || u - r >= height) return nullptr;
        return row_at(u - r) + (sx - x0) * L;
      };
      strip_sums(t, L, c0, c1, sx, ex, m, src, emit, b);
    }
  }
}

}  // namespace lrn::family::detail
