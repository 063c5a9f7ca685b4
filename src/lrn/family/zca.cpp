// ZCA whitening: validation and the per-pixel operation.
#include "lrn/family/zca.h"

#include <cmath>
#include <stdexcept>

namespace lrn::family {

std::vector<std::string> validate(const ZcaParams& p, std::size_t channels) {
  std::vector<std::string> errors;
  const std::string c = std::to_string(channels);
  if (p.mean.size() != channels)
    errors.push_back("the mean holds " + std::to_string(p.mean.size()) + " values, the image has " +
                     c + " channels");
  if (p.P.size() != channels * channels)
    errors.push_back("the matrix P holds " + std::to_string(p.P.size()) + " values, not " + c +
                     " x " + c);
  for (double v : p.mean)
    if (!std::isfinite(v)) {
      errors.push_back("the mean holds a value that is not finite");
      break;
    }
  for (double v : p.P)
    if (!std::isfinite(v)) {
      errors.push_back("the matrix P holds a value that is not finite");
      break;
    }
  return errors;
}

namespace {

class Zca final : public Operation {
 public:
  Zca(const ZcaParams& p, const Geometry& g) : Operation(g), p_(p) {}
  std::size_t halo_rows() const override { return 0; }

  void run_rows(const RowSource& in, const RowSink& out, std::size_t y0,
                std::size_t y1) const override {
    const Geometry& g = geometry_;
    const std::size_t C = g.channels;
    std::vector<double> centred(C);
    for (std::size_t y = y0; y < y1; ++y) {
      const float* src = in.row(y);
      float* dst = out.row(y);
      for (std::size_t x = 0; x < g.width; ++x) {
        const std::ptrdiff_t base = static_cast<std::ptrdiff_t>(x) * g.pixel_stride;
        for (std::size_t i = 0; i < C; ++i)
          centred[i] = src[base + static_cast<std::ptrdiff_t>(i) * g.channel_stride] - p_.mean[i];
        for (std::size_t j = 0; j < C; ++j) {
          double s = 0;
          for (std::size_t i = 0; i < C; ++i) s += centred[i] * p_.P[i * C + j];
          dst[base + static_cast<std::ptrdiff_t>(j) * g.channel_stride] = static_cast<float>(s);
        }
      }
    }
  }

 private:
  ZcaParams p_;
};

}  // namespace

std::unique_ptr<Operation> make_zca(const ZcaParams& p, const Geometry& g) {
  if (!g.valid()) throw std::invalid_argument("invalid image geometry");
  const auto problems = validate(p, g.channels);
  if (!problems.empty()) throw std::invalid_argument(join_problems(problems));
  return std::make_unique<Zca>(p, g);
}

}  // namespace lrn::family
