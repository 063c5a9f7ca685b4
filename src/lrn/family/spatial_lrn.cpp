// Within-channel LRN: parameters, validation and the operation.
#include "lrn/family/spatial_lrn.h"

#include <cmath>
#include <stdexcept>

#include "lrn/family/box_exact.h"
#include "lrn/family/loops.h"
#include "lrn/family/power.h"
#include "lrn/family/window.h"

namespace lrn::family {

const char* convention_name(SpatialLrnConvention c) {
  switch (c) {
    case SpatialLrnConvention::Caffe: return "caffe";
    case SpatialLrnConvention::Onednn: return "onednn";
    case SpatialLrnConvention::Matconvnet: return "matconvnet";
  }
  return "?";
}

std::optional<SpatialLrnConvention> parse_spatial_lrn_convention(const std::string& name) {
  for (auto c : {SpatialLrnConvention::Caffe, SpatialLrnConvention::Onednn,
                 SpatialLrnConvention::Matconvnet})
    if (name == convention_name(c)) return c;
  return std::nullopt;
}

SpatialLrnParams SpatialLrnParams::defaults(SpatialLrnConvention c) {
  SpatialLrnParams p;
  p.convention = c;
  p.alpha = c == SpatialLrnConvention::Caffe ? 1.0 : 1e-4;
  return p;
}

std::vector<std::string> validate(const SpatialLrnParams& p) {
  std::vector<std::string> errors;
  if (p.size < 1 || p.size > kMaxWindow || p.size % 2 == 0)
    errors.push_back("the window size must be odd, 1.." + std::to_string(kMaxWindow));
  if (!std::isfinite(p.alpha) || p.alpha < 0)
    errors.push_back("alpha must be a finite number >= 0");
  if (!std::isfinite(p.beta)) errors.push_back("beta must be a finite number");
  if (p.bias) {
    if (p.convention == SpatialLrnConvention::Caffe)
      errors.push_back(
          "the caffe convention has no bias k (Caffe ignores it and adds 1); "
          "the onednn convention takes one");
    else if (p.convention == SpatialLrnConvention::Matconvnet)
      errors.push_back(
          "the matconvnet convention has no bias k (it adds 1); the onednn "
          "convention takes one");
    else if (!std::isfinite(*p.bias) || *p.bias < 0)
      errors.push_back("bias must be a finite number >= 0");
    else if (*p.bias == 0 && p.alpha == 0) errors.push_back("bias and alpha cannot both be 0");
  }
  return errors;
}

namespace {

class SpatialLrn final : public Operation {
 public:
  SpatialLrn(const SpatialLrnParams& p, const Geometry& g)
      : Operation(g),
        p_(p),
        taps_(detail::box_taps(static_cast<std::size_t>(p.size))),
        power_(p.beta),
        k_(p.k()) {
    col_mass_.resize(g.width);
    for (std::size_t x = 0; x < g.width; ++x) col_mass_[x] = detail::axis_mass(taps_, x, g.width);
  }
  std::size_t halo_rows() const override { return taps_.radius(); }

  void run_rows(const RowSource& in, const RowSink& out, std::size_t y0,
                std::size_t y1) const override {
    const Geometry& g = geometry_;
    const std::size_t C = g.channels;
    const double n2 = static_cast<double>(p_.size) * p_.size;
    const bool packed = g.pixel_stride == static_cast<std::ptrdiff_t>(C) && g.channel_stride == 1;
    auto fill = [&](std::size_t y, std::size_t xa, std::size_t xb, double* __restrict dst) {
      const float* __restrict row = in.row(y);
      if (packed) {
        detail::prefetch_next_strip(row, xa, xb, g.width, C);
        return detail::squares(row + xa * C, dst, (xb - xa) * C);
      }
      for (std::size_t x = xa; x < xb; ++x)
        for (std::size_t c = 0; c < C; ++c) {
          const double v = row[at(x, c)];
          dst[(x - xa) * C + c] = v * v;
        }
    };
    const std::size_t strip = detail::strip_columns(C) * C;
    std::vector<double> base(strip);
    std::vector<float> xs(strip), ys(strip);
    // Sums in double (window_sums) or float (box_exact.h: integers, the same values).
    auto emit = [&](std::size_t y, std::size_t xa, std::size_t xb, const auto* sums) {
      const float* src = in.row(y);
      float* dst = out.row(y);
      const std::size_t m = (xb - xa) * C;
      // K + A * S is formed inside the power loop; MatConvNet's A varies by pixel, so its
      // bases are formed here first (then k = 0, a = 1: the same doubles).
      auto power = [&](const auto* s, double k, double a) {
        if (packed) {
          power_.apply(src + xa * C, s, k, a, dst + xa * C, m);
          return;
        }
        for (std::size_t x = xa; x < xb; ++x)
          for (std::size_t c = 0; c < C; ++c) xs[(x - xa) * C + c] = src[at(x, c)];
        power_.apply(xs.data(), s, k, a, ys.data(), m);
        for (std::size_t x = xa; x < xb; ++x)
          for (std::size_t c = 0; c < C; ++c) dst[at(x, c)] = ys[(x - xa) * C + c];
      };
      if (p_.convention != SpatialLrnConvention::Matconvnet) return power(sums, k_, p_.alpha / n2);
      if (base.size() < m) base.resize(m);
      const double row_mass = detail::axis_mass(taps_, y, g.height);
      for (std::size_t x = xa; x < xb; ++x) {
        const double ax = p_.alpha / (row_mass * col_mass_[x]);
        for (std::size_t c = 0; c < C; ++c)
          base[(x - xa) * C + c] = k_ + ax * static_cast<double>(sums[(x - xa) * C + c]);
      }
      power(base.data(), 0.0, 1.0);
    };
    // 8-bit image data (integers 0..255) take the exact rolling sums, the same bits; the rest
    // (and any rows from the first that does not qualify) the block sums.
    std::size_t from = y0;
    if (packed && C <= 4 && static_cast<std::size_t>(p_.size) <= detail::kExactMaxSize)
      from = detail::box_squares_exact([&](std::size_t y) { return in.row(y); }, g.width,
                                       g.height, C, taps_.size(), y0, y1, emit);
    if (from < y1)
      detail::window_sums(taps_, g.width, g.height, C, from, y1, 0, g.width, fill, emit);
  }

 private:
  std::ptrdiff_t at(std::size_t x, std::size_t c) const {
    return static_cast<std::ptrdiff_t>(x) * geometry_.pixel_stride +
           static_cast<std::ptrdiff_t>(c) * geometry_.channel_stride;
  }
  SpatialLrnParams p_;
  detail::Taps taps_;
  detail::NegativePower power_;
  double k_;
  std::vector<double> col_mass_;
};

}  // namespace

std::unique_ptr<Operation> make_spatial_lrn(const SpatialLrnParams& p, const Geometry& g) {
  require_valid(validate(p), g);
  return std::make_unique<SpatialLrn>(p, g);
}

}  // namespace lrn::family
