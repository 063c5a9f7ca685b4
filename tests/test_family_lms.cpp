// Local mean subtraction (lrn/family/lms.h) against a naive float64 loop, both border rules,
// both kernels, joint and per channel.
#include <array>

#include <catch2/catch.hpp>

#include "family_support.h"
#include "lrn/family/lms.h"

using namespace lrn::family;
using namespace lrn_test::family;

namespace {

std::vector<double> taps1d(KernelShape k, int n) {
  std::vector<double> g(static_cast<std::size_t>(n), 1.0);
  if (k == KernelShape::Gaussian)
    for (int i = 1; i <= n; ++i) {
      const double d = (i - (n / 2.0 + 0.5)) / (0.25 * n);
      g[static_cast<std::size_t>(i - 1)] = std::exp(-d * d / 2);
    }
  return g;
}

std::vector<double> naive_lms(const std::vector<float>& x, std::size_t w, std::size_t h,
                              std::size_t C, const LmsParams& p) {
  const auto g = taps1d(p.kernel, p.size);
  double full = 0;
  for (double a : g)
    for (double b : g) full += a * b;
  std::vector<double> y(x.size());
  for (std::size_t yy = 0; yy < h; ++yy)
    for (std::size_t xx = 0; xx < w; ++xx)
      for (std::size_t c = 0; c < C; ++c) {
        double s = 0, mass = 0;
        for_window(w, h, yy, xx, p.size, [&](std::size_t a, std::size_t b, int i, int j) {
          const double wt = g[static_cast<std::size_t>(i)] * g[static_cast<std::size_t>(j)];
          if (p.per_channel) {
            s += wt * x[(a * w + b) * C + c];
            mass += wt;
          } else {
            for (std::size_t k = 0; k < C; ++k) s += wt * x[(a * w + b) * C + k];
            mass += wt * static_cast<double>(C);
          }
        });
        if (p.convention == LmsConvention::ZeroPad)
          mass = full * (p.per_channel ? 1.0 : static_cast<double>(C));
        y[(yy * w + xx) * C + c] = x[(yy * w + xx) * C + c] - s / mass;
      }
  return y;
}

}  // namespace

TEST_CASE("local mean subtraction matches the float64 formula", "[family][lms]") {
  const auto conv = GENERATE(LmsConvention::Torch7, LmsConvention::ZeroPad);
  const auto kernel = GENERATE(KernelShape::Box, KernelShape::Gaussian);
  const bool per_channel = GENERATE(true, false);
  const int size = GENERATE(1, 3, 9, 15);
  const auto shape =
      GENERATE(std::array<std::size_t, 3>{1, 1, 1}, std::array<std::size_t, 3>{9, 1, 3},
               std::array<std::size_t, 3>{1, 8, 2}, std::array<std::size_t, 3>{23, 17, 3});
  const auto [w, h, C] = shape;
  const LmsParams p{conv, kernel, size, per_channel};
  const auto x = random_image(w, h, C, 3);
  auto op = make_lms(p, Geometry::interleaved(w, h, C));
  CHECK(op->halo_rows() == static_cast<std::size_t>(size / 2));
  const auto y = run_whole(*op, x);
  CHECK(max_rel_error(y, naive_lms(x, w, h, C, p), 1.0) < 1e-6);
  std::mt19937 rng(9);
  CHECK(bit_identical(run_whole(*op, x, random_splits(h, rng)), y));
  CHECK(bit_identical(run_stream(*op, x, 3), y));
}

TEST_CASE("local mean subtraction: a constant image gives 0 under torch7", "[family][lms]") {
  const std::vector<float> x(7 * 5 * 3, 100.0f);
  const LmsParams p{LmsConvention::Torch7, KernelShape::Gaussian, 9, false};
  auto op = make_lms(p, Geometry::interleaved(7, 5, 3));
  for (float v : run_whole(*op, x)) CHECK(std::abs(v) < 1e-4);
}

TEST_CASE("local mean subtraction refuses even sizes", "[family][lms]") {
  CHECK(validate(LmsParams{}).empty());
  LmsParams p;
  p.size = 8;
  CHECK(validate(p).size() == 1);
  p.size = 0;
  CHECK(validate(p).size() == 1);
  CHECK(parse_lms_convention("zero-pad") == LmsConvention::ZeroPad);
  CHECK(parse_kernel("gaussian") == KernelShape::Gaussian);
}
