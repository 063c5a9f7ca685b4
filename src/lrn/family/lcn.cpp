// Local contrast normalization: parameters, validation and the operation.
#include "lrn/family/lcn.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "lrn/family/loops.h"
#include "lrn/family/window.h"

namespace lrn::family {

const char* convention_name(LcnConvention c) {
  switch (c) {
    case LcnConvention::Torch7: return "torch7";
    case LcnConvention::Jarrett: return "jarrett";
    case LcnConvention::Pylearn2: return "pylearn2";
    case LcnConvention::Pinto: return "pinto";
  }
  return "?";
}

std::optional<LcnConvention> parse_lcn_convention(const std::string& name) {
  for (auto c : {LcnConvention::Torch7, LcnConvention::Jarrett, LcnConvention::Pylearn2,
                 LcnConvention::Pinto})
    if (name == convention_name(c)) return c;
  return std::nullopt;
}

LcnParams LcnParams::defaults(LcnConvention c) {
  LcnParams p;
  p.convention = c;
  switch (c) {
    case LcnConvention::Torch7: break;
    case LcnConvention::Jarrett: p.kernel = KernelShape::Gaussian, p.threshold = 0; break;
    case LcnConvention::Pylearn2:
      p.kernel = KernelShape::Gaussian, p.size = 7, p.per_channel = true;
      break;
    case LcnConvention::Pinto: p.size = 3, p.threshold = 1; break;
  }
  return p;
}

std::vector<std::string> validate(const LcnParams& p) {
  std::vector<std::string> errors;
  if (p.size < 1 || p.size > kMaxWindow || p.size % 2 == 0)
    errors.push_back("the window size must be odd, 1.." + std::to_string(kMaxWindow));
  if (!std::isfinite(p.threshold) || p.threshold < 0)
    errors.push_back("the threshold must be a finite number >= 0");
  if (p.convention == LcnConvention::Pinto && p.kernel != KernelShape::Box)
    errors.push_back("the pinto convention uses a box window only");
  return errors;
}

namespace {

constexpr std::size_t kChunk = 64;  // output rows per internal step: bounds the v buffer

/// Box windows of torch7 and jarrett up to this size are summed as plain taps of 1 (pairs folded,
/// window.h): fewer passes than the block scheme, faster up to 11 (bench_lcn_bound: one box 9
/// window 27 vs 30 ms, 13 taps about even, 17 slower). Unit weights multiply exactly, so these
/// are sums of the same terms in another order: a rounding or two apart, as exact.
constexpr std::size_t kDirectBox = 11;

detail::Taps taps_for(const LcnParams& p) {
  const auto n = static_cast<std::size_t>(p.size);
  const bool chained =
      p.convention == LcnConvention::Torch7 || p.convention == LcnConvention::Jarrett;
  if (p.kernel == KernelShape::Box && chained && n >= 3 && n <= kDirectBox)
    return detail::Taps{std::vector<double>(n, 1.0), false};
  if (p.kernel == KernelShape::Box) return detail::box_taps(n);
  if (p.convention == LcnConvention::Pylearn2) return detail::sigma_gaussian_taps(n, 2.0);
  return detail::torch_gaussian_taps(n);
}

class Lcn final : public Operation {
 public:
  Lcn(const LcnParams& p, const Geometry& g)
      : Operation(g),
        p_(p),
        taps_(taps_for(p)),
        lanes_(p.per_channel ? g.channels : 1),
        totals_(lanes_, 0.0),
        means_(lanes_, 0.0) {
    const double s = taps_.sum();
    wnorm_ = 1 / (s * s);
    group_ = p.per_channel ? 1.0 : static_cast<double>(g.channels);
    col_mass_.resize(g.width);
    inv_col_mass_.resize(g.width);
    for (std::size_t x = 0; x < g.width; ++x) {
      col_mass_[x] = detail::axis_mass(taps_, x, g.width) / s;
      inv_col_mass_[x] = 1 / col_mass_[x];
    }
    // torch with its 1-D (Gaussian) kernel: see lcn.h.
    torch_1d_factor_ = p.kernel == KernelShape::Gaussian ? std::sqrt(group_) : 1.0;
  }

  std::size_t halo_rows() const override {
    const bool chained =
        p_.convention == LcnConvention::Torch7 || p_.convention == LcnConvention::Jarrett;
    return taps_.radius() * (chained ? 2 : 1);
  }
  int passes() const override {
    return p_.convention == LcnConvention::Jarrett || p_.convention == LcnConvention::Pylearn2 ? 2
                                                                                               : 1;
  }

  void accumulate(const RowSource& in, std::size_t y0, std::size_t y1) override {
    if (y0 == 0) totals_.assign(lanes_, 0.0);
    // Per row: the sum over x, strip by strip (fixed strips, in x order; one lane: each strip
    // summed by detail::sum4); then rows in order.
    std::vector<double> row_sums;
    std::size_t first = y0;
    rows(
        in, y0, y1,
        [&](std::size_t y, std::size_t xa, std::size_t xb, const double*, const double* den) {
          if (xa == 0) {
            if (y == first) row_sums.assign(kChunk * lanes_, 0.0);
          }
          double* rs = &row_sums[(y - first) * lanes_];
          if (lanes_ == 1) {  // joint: four interleaved accumulators (a fixed order)
            rs[0] += detail::sum4(den, xb - xa);
            return;
          }
          for (std::size_t l = 0; l < lanes_; ++l) {
            double s = 0;
            for (std::size_t x = xa; x < xb; ++x) s += den[(x - xa) * lanes_ + l];
            rs[l] += s;
          }
        },
        [&](std::size_t c0, std::size_t c1) {
          for (std::size_t y = c0; y < c1; ++y)
            for (std::size_t l = 0; l < lanes_; ++l) totals_[l] += row_sums[(y - c0) * lanes_ + l];
          first = c1;
        });
  }
  void finish() override {
    const double pixels = static_cast<double>(geometry_.width * geometry_.height);
    for (std::size_t l = 0; l < lanes_; ++l) means_[l] = totals_[l] / pixels;
  }

  void run_rows(const RowSource& in, const RowSink& out, std::size_t y0,
                std::size_t y1) const override {
    const Geometry& g = geometry_;
    const double t = p_.threshold;
    rows(
        in, y0, y1,
        [&](std::size_t y, std::size_t xa, std::size_t xb, const double* num, const double* den) {
          float* dst = out.row(y);
          const std::size_t C = g.channels, L = lanes_;
          // The final divisor per (pixel, lane), inverted once: y = v * (1 / d).
          auto inverse = [&](double s, std::size_t l) {
            double d = s;
            switch (p_.convention) {
              case LcnConvention::Torch7: d = s > t ? s : t; break;
              case LcnConvention::Jarrett:
              case LcnConvention::Pylearn2: d = std::max({s, means_[l], t}); break;
              case LcnConvention::Pinto: break;
            }
            return d > 0 ? 1 / d : 0.0;
          };
          if (packed() && L == 1 && C == 3)  // the common case, vectorised: d = max(s, floor)
            return detail::divide3(num, den, joint_floor(), dst + xa * 3, xb - xa);
          if (packed() && L == 3 && C == 3) {  // per channel, vectorised
            double floors[3];
            for (std::size_t l = 0; l < 3; ++l)
              floors[l] = p_.convention == LcnConvention::Torch7 ? t
                          : p_.convention == LcnConvention::Pinto
                              ? -std::numeric_limits<double>::infinity()
                              : std::max(means_[l], t);
            return detail::divide_each3(num, den, floors, dst + xa * 3, xb - xa);
          }
          for (std::size_t x = xa; x < xb; ++x) {
            const double* v = num + (x - xa) * C;
            const double* dn = den + (x - xa) * L;
            if (L == 1) {
              const double iv = inverse(dn[0], 0);
              for (std::size_t c = 0; c < C; ++c) dst[at(x, c)] = static_cast<float>(v[c] * iv);
            } else {
              for (std::size_t c = 0; c < C; ++c)
                dst[at(x, c)] = static_cast<float>(v[c] * inverse(dn[c], c));
            }
          }
        },
        nullptr, &out);
  }

 private:
  /// The joint divisor's floor: d = max(s, floor) (pinto: d = s).
  double joint_floor() const {
    switch (p_.convention) {
      case LcnConvention::Torch7: return p_.threshold;
      case LcnConvention::Jarrett:
      case LcnConvention::Pylearn2: return std::max(means_[0], p_.threshold);
      case LcnConvention::Pinto: break;
    }
    return -std::numeric_limits<double>::infinity();
  }

  /// Receives, for output row y and columns [xa, xb): num ((xb - xa) x C: the centred values;
  /// null in the statistics pass of joint packed RGB, which needs den only) and den ((xb - xa)
  /// x lanes: the local divisor before any image-wide floor).
  using RowFn = std::function<void(std::size_t y, std::size_t xa, std::size_t xb, const double* num,
                                   const double* den)>;
  /// Called after each tile of rows [c0, c1) has been handed out completely.
  using TileDone = std::function<void(std::size_t c0, std::size_t c1)>;

  bool packed() const {
    return geometry_.pixel_stride == static_cast<std::ptrdiff_t>(geometry_.channels) &&
           geometry_.channel_stride == 1;
  }
  std::ptrdiff_t at(std::size_t x, std::size_t c) const {
    return static_cast<std::ptrdiff_t>(x) * geometry_.pixel_stride +
           static_cast<std::ptrdiff_t>(c) * geometry_.channel_stride;
  }

  /// Columns [xa, xb) of a row, per lane: x (per channel) or the sum over channels (joint);
  /// squared first when asked. Lane l of column x goes to dst[(x - xa) * stride + l].
  void fill_x(const float* row, std::size_t xa, std::size_t xb, double* dst, std::size_t stride,
              bool squares) const {
    const Geometry& g = geometry_;
    const bool packed =
        g.pixel_stride == static_cast<std::ptrdiff_t>(g.channels) && g.channel_stride == 1;
    if (packed && !p_.per_channel && g.channels == 3) {  // the common case, same sums in order
      if (!squares) detail::prefetch_next_strip(row, xa, xb, g.width, 3);
      if (!squares && stride == 1) return detail::sum3(row + xa * 3, dst, xb - xa);
      const float* r = row + xa * 3;
      for (std::size_t i = 0; i < xb - xa; ++i) {
        const double a = r[3 * i], b = r[3 * i + 1], c = r[3 * i + 2];
        dst[i * stride] = squares ? ((0.0 + a * a) + b * b) + c * c : ((0.0 + a) + b) + c;
      }
      return;
    }
    for (std::size_t x = xa; x < xb; ++x) {
      double* d = dst + (x - xa) * stride;
      if (p_.per_channel) {
        for (std::size_t c = 0; c < g.channels; ++c) {
          const double v = row[at(x, c)];
          d[c] = squares ? v * v : v;
        }
      } else {
        double s = 0;
        for (std::size_t c = 0; c < g.channels; ++c) {
          const double v = row[at(x, c)];
          s += squares ? v * v : v;
        }
        d[0] = s;
      }
    }
  }

  /// Buffers of one rows() call: every value is written before it is read.
  struct Scratch {
    std::vector<double> v, q, num, den, mean;
    detail::WindowScratch first, second;
  };

  /// Tiles of kChunk rows by fixed strips of columns (anchored at column 0).
  /// With `out` (the output pass), the joint packed-RGB torch7 and jarrett rows are divided
  /// and written as their divisors are made (detail::roots_divide3: f's operations).
  void rows(const RowSource& in, std::size_t y0, std::size_t y1, const RowFn& f,
            const TileDone& done, const RowSink* out = nullptr) const {
    const std::size_t W = geometry_.width, strip = detail::strip_columns(geometry_.channels);
    Scratch scratch;  // reused by every tile and strip of this call
    for (std::size_t c0 = y0; c0 < y1; c0 += kChunk) {
      const std::size_t c1 = std::min(y1, c0 + kChunk);
      for (std::size_t x0 = 0; x0 < W; x0 += strip) {
        const std::size_t x1 = std::min(W, x0 + strip);
        if (p_.convention == LcnConvention::Torch7 || p_.convention == LcnConvention::Jarrett)
          chained(in, c0, c1, x0, x1, f, scratch, out);
        else single(in, c0, c1, x0, x1, f, scratch);
      }
      if (done) done(c0, c1);
    }
  }

  /// Torch7 and Jarrett: a mean window, then a deviation window over v = x - m.
  void chained(const RowSource& in, std::size_t c0, std::size_t c1, std::size_t x0, std::size_t x1,
               const RowFn& f, Scratch& scratch, const RowSink* out) const {
    const Geometry& g = geometry_;
    const std::size_t W = g.width, C = g.channels, r = taps_.radius(), L = lanes_;
    const bool torch = p_.convention == LcnConvention::Torch7;
    const std::size_t v0 = c0 >= r ? c0 - r : 0, v1 = std::min(g.height, c1 + r);
    const std::size_t u0 = x0 >= r ? x0 - r : 0, u1 = std::min(W, x1 + r);
    const std::size_t vm = (u1 - u0) * C;
    // The output pass of joint packed RGB keeps each pixel's mean (rows [c0, c1)) instead of
    // its centred values and centres again as it divides (centre_roots_divide3: the same bits,
    // 8 bytes a pixel kept instead of 24).
    const bool means = out && L == 1 && C == 3 && packed();
    std::vector<double>& v = scratch.v;
    if (!means) v.resize((v1 - v0) * vm);
    auto vat = [&](std::size_t y, std::size_t x) { return &v[(y - v0) * vm + (x - u0) * C]; };
    std::vector<double>& mean = scratch.mean;
    if (means) mean.resize((c1 - c0) * (u1 - u0));
    auto mat = [&](std::size_t y, std::size_t x) { return &mean[(y - c0) * (u1 - u0) + (x - u0)]; };
    // The deviation window's source, the per-pixel (per-lane) squares of v, made with v and
    // read in place: rows of columns [x0 - r, x1 + r), zeros outside the image.
    const std::size_t qm = (x1 - x0 + 2 * r) * L;
    std::vector<double>& q = scratch.q;
    q.resize((v1 - v0) * qm);
    auto qat = [&](std::size_t y, std::size_t x) { return &q[(y - v0) * qm + (x + r - x0) * L]; };
    detail::window_sums(
        taps_, W, g.height, L, v0, v1, u0, u1,
        [&](std::size_t y, std::size_t xa, std::size_t xb, double* dst) {
          fill_x(in.row(y), xa, xb, dst, L, false);
        },
        [&](std::size_t y, std::size_t xa, std::size_t xb, const double* sums) {
          if (xa == u0) {  // the row's padding
            double* row = &q[(y - v0) * qm];
            std::fill(row, qat(y, u0), 0.0);
            std::fill(qat(y, u1), row + qm, 0.0);
          }
          // mean = sums * wnorm / group / a, with 1 / a = (1 / row mass) (1 / column mass).
          const float* src = in.row(y);
          const double scale =
              torch ? wnorm_ / group_ / (detail::axis_mass(taps_, y, g.height) / taps_.sum())
                    : wnorm_ / group_;
          if (means)
            return detail::means3_squares(
                src + xa * 3, sums, scale, torch ? &inv_col_mass_[xa] : nullptr,
                y >= c0 && y < c1 ? mat(y, xa) : nullptr, qat(y, xa), xb - xa);
          if (packed() && !p_.per_channel && C == 3)  // the common case, vectorised
            return detail::centre3_squares(src + xa * 3, sums, scale,
                                           torch ? &inv_col_mass_[xa] : nullptr,
                                           out ? vat(y, xa) : nullptr, qat(y, xa), xb - xa);
          for (std::size_t x = xa; x < xb; ++x) {
            const double k = torch ? scale * inv_col_mass_[x] : scale;
            double* vx = vat(y, x);
            const double* sx = sums + (x - xa) * L;
            for (std::size_t c = 0; c < C; ++c)
              vx[c] = src[at(x, c)] - sx[p_.per_channel ? c : 0] * k;
            double* d = qat(y, x);
            if (p_.per_channel) {
              for (std::size_t c = 0; c < C; ++c) d[c] = vx[c] * vx[c];
            } else {
              double s = 0;
              for (std::size_t c = 0; c < C; ++c) s += vx[c] * vx[c];
              d[0] = s;
            }
          }
        },
        &scratch.first);
    std::vector<double>& den = scratch.den;
    den.resize((x1 - x0) * L);
    detail::window_sums_rows(
        taps_, g.height, L, c0, c1, x0, x1,
        [&](std::size_t y) -> const double* { return &q[(y - v0) * qm]; },
        [&](std::size_t y, std::size_t xa, std::size_t xb, const double* sums) {
          const double inside = wnorm_ / group_;
          const double scale =
              torch ? torch_1d_factor_ / (detail::axis_mass(taps_, y, g.height) / taps_.sum())
                    : 1.0;
          if (means)
            return detail::centre_roots_divide3(in.row(y) + xa * 3, mat(y, xa), sums, inside, scale,
                                                torch ? &inv_col_mass_[xa] : nullptr, joint_floor(),
                                                out->row(y) + xa * 3, xb - xa);
          if (L == 1) {
            detail::roots(sums, inside, scale, torch ? &inv_col_mass_[xa] : nullptr, den.data(),
                          xb - xa);
            const bool centred = out || !packed() || C != 3;  // as the first window's emit
            return f(y, xa, xb, centred ? vat(y, xa) : nullptr, den.data());
          }
          for (std::size_t x = xa; x < xb; ++x) {
            const double k = torch ? scale * inv_col_mass_[x] : 1.0;
            for (std::size_t l = 0; l < L; ++l) {
              const double sigma = std::sqrt(std::max(sums[(x - xa) * L + l] * inside, 0.0));
              den[(x - xa) * L + l] = sigma * k;
            }
          }
          f(y, xa, xb, vat(y, xa), den.data());
        },
        &scratch.second);
  }

  /// Pylearn2 and Pinto: sums of x and x^2 over one window.
  void single(const RowSource& in, std::size_t c0, std::size_t c1, std::size_t x0, std::size_t x1,
              const RowFn& f, Scratch& scratch) const {
    const Geometry& g = geometry_;
    const std::size_t C = g.channels, L = lanes_;
    const bool pinto = p_.convention == LcnConvention::Pinto;
    const double size = static_cast<double>(taps_.size() * taps_.size()) * group_;
    std::vector<double>&num = scratch.num, &den = scratch.den;
    num.resize((x1 - x0) * C);
    den.resize((x1 - x0) * L);
    detail::window_sums(
        taps_, g.width, g.height, 2 * L, c0, c1, x0, x1,
        [&](std::size_t y, std::size_t xa, std::size_t xb, double* dst) {
          const float* row = in.row(y);
          if (packed() && C == 3 && p_.per_channel) {  // vectorised
            detail::prefetch_next_strip(row, xa, xb, g.width, 3);
            return detail::values_and_squares3(row + xa * 3, dst, xb - xa);
          }
          fill_x(row, xa, xb, dst, 2 * L, false);
          fill_x(row, xa, xb, dst + L, 2 * L, true);
        },
        [&](std::size_t y, std::size_t xa, std::size_t xb, const double* sums) {
          const float* src = in.row(y);
          if (packed() && C == 3 && pinto && !p_.per_channel) {  // the defaults, vectorised
            detail::pinto3(src + xa * 3, sums, size, p_.threshold, num.data(), den.data(), xb - xa);
            return f(y, xa, xb, num.data(), den.data());
          }
          if (packed() && C == 3 && !pinto && p_.per_channel) {
            detail::pylearn2_3(src + xa * 3, sums, wnorm_, num.data(), den.data(), xb - xa);
            return f(y, xa, xb, num.data(), den.data());
          }
          for (std::size_t x = xa; x < xb; ++x) {
            const double* s = sums + (x - xa) * 2 * L;
            for (std::size_t l = 0; l < L; ++l) {
              if (pinto) {
                const double val = std::max(s[L + l] - s[l] * s[l] / size, 0.0);
                double d = std::sqrt(val) + 1e-5;
                if (d < p_.threshold + 1e-5) d = 1;
                den[(x - xa) * L + l] = d;
              } else {
                den[(x - xa) * L + l] = std::sqrt(std::max(s[L + l] * wnorm_ / group_, 0.0));
              }
            }
            for (std::size_t c = 0; c < C; ++c) {
              const std::size_t l = p_.per_channel ? c : 0;
              const double mean = pinto ? s[l] / size : s[l] * wnorm_ / group_;
              num[(x - xa) * C + c] = src[at(x, c)] - mean;
            }
          }
          f(y, xa, xb, num.data(), den.data());
        },
        &scratch.first);
  }

  LcnParams p_;
  detail::Taps taps_;
  std::size_t lanes_;
  double wnorm_ = 1, group_ = 1, torch_1d_factor_ = 1;
  std::vector<double> col_mass_, inv_col_mass_, totals_, means_;
};

}  // namespace

std::unique_ptr<Operation> make_lcn(const LcnParams& p, const Geometry& g) {
  require_valid(validate(p), g);
  return std::make_unique<Lcn>(p, g);
}

}  // namespace lrn::family
