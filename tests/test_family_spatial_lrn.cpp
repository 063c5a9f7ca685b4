// Within-channel LRN (lrn/family/spatial_lrn.h) against a naive float64 loop, on every border
// shape, split and layout.
#include <array>

#include <catch2/catch.hpp>

#include "family_support.h"
#include "lrn/family/spatial_lrn.h"

using namespace lrn::family;
using namespace lrn_test::family;

namespace {

std::vector<double> naive_spatial(const std::vector<float>& x, std::size_t w, std::size_t h,
                                  std::size_t C, const SpatialLrnParams& p) {
  std::vector<double> y(x.size());
  const double n2 = static_cast<double>(p.size) * p.size;
  for (std::size_t yy = 0; yy < h; ++yy)
    for (std::size_t xx = 0; xx < w; ++xx)
      for (std::size_t c = 0; c < C; ++c) {
        double s = 0, count = 0;
        for_window(w, h, yy, xx, p.size, [&](std::size_t a, std::size_t b, int, int) {
          const double v = x[(a * w + b) * C + c];
          s += v * v;
          count += 1;
        });
        const double div = p.convention == SpatialLrnConvention::Matconvnet ? count : n2;
        const double d = p.k() + p.alpha / div * s;
        const double v = x[(yy * w + xx) * C + c];
        y[(yy * w + xx) * C + c] = p.beta == 0 ? v : d == 0 ? 0 : v * std::pow(d, -p.beta);
      }
  return y;
}

}  // namespace

TEST_CASE("spatial LRN matches the float64 formula for each convention", "[family][spatial-lrn]") {
  const auto conv = GENERATE(SpatialLrnConvention::Caffe, SpatialLrnConvention::Onednn,
                             SpatialLrnConvention::Matconvnet);
  const int size = GENERATE(1, 3, 5, 7, 15);
  const auto shape =
      GENERATE(std::array<std::size_t, 3>{1, 1, 1}, std::array<std::size_t, 3>{9, 1, 3},
               std::array<std::size_t, 3>{1, 8, 2}, std::array<std::size_t, 3>{23, 17, 3},
               std::array<std::size_t, 3>{6, 5, 4});
  const auto [w, h, C] = shape;
  SpatialLrnParams p = SpatialLrnParams::defaults(conv);
  p.size = size;
  p.alpha = 0.01;
  p.beta = GENERATE(0.75, 0.5, 1.0, 0.3, 0.0);
  if (conv == SpatialLrnConvention::Onednn) p.bias = 2.5;
  const auto x = random_image(w, h, C, 7, -40, 255);
  auto op = make_spatial_lrn(p, Geometry::interleaved(w, h, C));
  CHECK(op->halo_rows() == static_cast<std::size_t>(size / 2));
  CHECK(op->passes() == 1);
  const auto y = run_whole(*op, x);
  CHECK(max_rel_error(y, naive_spatial(x, w, h, C, p)) < 1e-6);
}

TEST_CASE("spatial LRN conventions differ only in K and the border divisor",
          "[family][spatial-lrn]") {
  // A corner pixel with n = 5 sums 9 samples: caffe divides by 25, matconvnet by 9.
  const std::vector<float> x(5 * 5, 2.0f);
  SpatialLrnParams caffe = SpatialLrnParams::defaults(SpatialLrnConvention::Caffe);
  SpatialLrnParams mcn = SpatialLrnParams::defaults(SpatialLrnConvention::Matconvnet);
  caffe.beta = mcn.beta = 1;
  mcn.alpha = caffe.alpha = 1;
  auto a = make_spatial_lrn(caffe, Geometry::interleaved(5, 5, 1));
  auto b = make_spatial_lrn(mcn, Geometry::interleaved(5, 5, 1));
  const auto ya = run_whole(*a, x), yb = run_whole(*b, x);
  CHECK(ya[0] == static_cast<float>(2.0 / (1 + 36.0 / 25)));
  CHECK(yb[0] == static_cast<float>(2.0 / (1 + 36.0 / 9)));
  CHECK(ya[12] == yb[12]);  // the centre sees the whole window
}

TEST_CASE("spatial LRN output does not depend on row splits, streaming or layout",
          "[threads][family][spatial-lrn][driver]") {
  const int size = GENERATE(1, 3, 5, 9, 15, 41);
  const std::size_t w = 31, h = 57, C = 3;
  SpatialLrnParams p;
  p.size = size;
  p.alpha = 0.3;
  const auto x = random_image(w, h, C, 11);
  auto op = make_spatial_lrn(p, Geometry::interleaved(w, h, C));
  const auto whole = run_whole(*op, x);
  std::mt19937 rng(static_cast<unsigned>(size));
  for (int i = 0; i < 8; ++i) CHECK(bit_identical(run_whole(*op, x, random_splits(h, rng)), whole));
  for (std::size_t block : {1, 2, 7, 64}) CHECK(bit_identical(run_stream(*op, x, block), whole));
  // Planar CHW through the same operation.
  const auto xp = to_planar(x, w, h, C);
  auto planar = make_spatial_lrn(p, Geometry::planar(w, h, C));
  std::vector<float> yp(xp.size());
  run_image(*planar, {xp.data(), static_cast<std::ptrdiff_t>(w)},
            {yp.data(), static_cast<std::ptrdiff_t>(w)});
  CHECK(bit_identical(yp, to_planar(whole, w, h, C)));
}

TEST_CASE("spatial LRN parameters are validated all at once", "[family][spatial-lrn]") {
  SpatialLrnParams p;
  CHECK(validate(p).empty());
  p.size = 4;
  p.alpha = -1;
  p.bias = 2;
  const auto errors = validate(p);
  REQUIRE(errors.size() == 3);
  CHECK_THAT(errors[0], Catch::Matchers::Contains("odd"));
  CHECK_THAT(errors[2], Catch::Matchers::Contains("onednn"));
  CHECK_THROWS_AS(make_spatial_lrn(p, Geometry::interleaved(2, 2, 1)), std::invalid_argument);
  SpatialLrnParams o = SpatialLrnParams::defaults(SpatialLrnConvention::Onednn);
  o.bias = 0;
  CHECK(validate(o).empty());
  o.alpha = 0;
  CHECK(validate(o).size() == 1);
  CHECK(parse_spatial_lrn_convention("matconvnet") == SpatialLrnConvention::Matconvnet);
  CHECK(!parse_spatial_lrn_convention("tf"));
}

TEST_CASE("spatial LRN keeps its accuracy where the float power would not (huge and tiny bases)",
          "[family][spatial-lrn]") {
  const std::size_t w = 6, h = 5, C = 2;
  for (const float scale : {1e17f, 1e-17f}) {
    auto x = random_image(w, h, C, 4, 0.5f, 2.0f);
    for (float& v : x) v *= scale;
    for (const double beta : {0.5, 0.75, 1.0}) {
      SpatialLrnParams p = SpatialLrnParams::defaults(SpatialLrnConvention::Onednn);
      p.size = 3;
      p.alpha = 1;
      p.beta = beta;
      p.bias = scale > 1 ? 1.0 : 1e-40;  // bases near 1e34, or near 1e-33
      auto op = make_spatial_lrn(p, Geometry::interleaved(w, h, C));
      const auto y = run_whole(*op, x);
      CHECK(max_rel_error(y, naive_spatial(x, w, h, C, p), 0) < 1e-6);
    }
  }
}
