// Local mean subtraction: parameters, validation and the operation.
#include "lrn/family/lms.h"

#include <stdexcept>

#include "lrn/family/loops.h"
#include "lrn/family/window.h"

namespace lrn::family {

const char* kernel_name(KernelShape k) { return k == KernelShape::Box ? "box" : "gaussian"; }

std::optional<KernelShape> parse_kernel(const std::string& name) {
  if (name == "box") return KernelShape::Box;
  if (name == "gaussian") return KernelShape::Gaussian;
  return std::nullopt;
}

const char* convention_name(LmsConvention c) {
  return c == LmsConvention::Torch7 ? "torch7" : "zero-pad";
}

std::optional<LmsConvention> parse_lms_convention(const std::string& name) {
  if (name == "torch7") return LmsConvention::Torch7;
  if (name == "zero-pad") return LmsConvention::ZeroPad;
  return std::nullopt;
}

std::vector<std::string> validate(const LmsParams& p) {
  std::vector<std::string> errors;
  if (p.size < 1 || p.size > kMaxWindow || p.size % 2 == 0)
    errors.push_back("the window size must be odd, 1.." + std::to_string(kMaxWindow));
  return errors;
}

namespace {

class Lms final : public Operation {
 public:
  Lms(const LmsParams& p, const Geometry& g)
      : Operation(g),
        p_(p),
        taps_(p.kernel == KernelShape::Box
                  ? detail::box_taps(static_cast<std::size_t>(p.size))
                  : detail::torch_gaussian_taps(static_cast<std::size_t>(p.size))) {
    col_mass_.resize(g.width);
    for (std::size_t x = 0; x < g.width; ++x) col_mass_[x] = detail::axis_mass(taps_, x, g.width);
    full_mass_ = taps_.sum() * taps_.sum();
  }
  std::size_t halo_rows() const override { return taps_.radius(); }

  void run_rows(const RowSource& in, const RowSink& out, std::size_t y0,
                std::size_t y1) const override {
    const Geometry& g = geometry_;
    const std::size_t C = g.channels, lanes = p_.per_channel ? C : 1;
    auto at = [&](std::size_t x, std::size_t c) {
      return static_cast<std::ptrdiff_t>(x) * g.pixel_stride +
             static_cast<std::ptrdiff_t>(c) * g.channel_stride;
    };
    auto fill = [&](std::size_t y, std::size_t xa, std::size_t xb, double* dst) {
      const float* row = in.row(y);
      if (p_.per_channel && g.pixel_stride == static_cast<std::ptrdiff_t>(C) &&
          g.channel_stride == 1) {
        detail::prefetch_next_strip(row, xa, xb, g.width, C);
        return detail::widen(row + xa * C, dst, (xb - xa) * C);
      }
      for (std::size_t x = xa; x < xb; ++x) {
        if (p_.per_channel) {
          for (std::size_t c = 0; c < C; ++c) dst[(x - xa) * C + c] = row[at(x, c)];
        } else {
          double s = 0;
          for (std::size_t c = 0; c < C; ++c) s += row[at(x, c)];
          dst[x - xa] = s;
        }
      }
    };
    const double per_lane = p_.per_channel ? 1.0 : static_cast<double>(C);
    auto emit = [&](std::size_t y, std::size_t xa, std::size_t xb, const double* sums) {
      const float* src = in.row(y);
      float* dst = out.row(y);
      const double row_mass = detail::axis_mass(taps_, y, g.height);
      if (C == 3 && g.pixel_stride == 3 && g.channel_stride == 1)  // packed RGB, vectorised
        return detail::subtract_means3(
            src + xa * 3, sums, p_.per_channel, row_mass,
            p_.convention == LmsConvention::Torch7 ? &col_mass_[xa] : nullptr, full_mass_, per_lane,
            dst + xa * 3, xb - xa);
      for (std::size_t x = xa; x < xb; ++x) {
        const double mass =
            (p_.convention == LmsConvention::Torch7 ? row_mass * col_mass_[x] : full_mass_) *
            per_lane;
        const double inv = 1 / mass;  // one division per pixel
        for (std::size_t c = 0; c < C; ++c) {
          const double m = sums[(x - xa) * lanes + (p_.per_channel ? c : 0)] * inv;
          dst[at(x, c)] = static_cast<float>(src[at(x, c)] - m);
        }
      }
    };
    detail::window_sums(taps_, g.width, g.height, lanes, y0, y1, 0, g.width, fill, emit);
  }

 private:
  LmsParams p_;
  detail::Taps taps_;
  std::vector<double> col_mass_;
  double full_mass_;
};

}  // namespace

std::unique_ptr<Operation> make_lms(const LmsParams& p, const Geometry& g) {
  require_valid(validate(p), g);
  return std::make_unique<Lms>(p, g);
}

}  // namespace lrn::family
