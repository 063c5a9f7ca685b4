// ZCA whitening applied per pixel (lrn/family/zca.h).
#include <catch2/catch.hpp>

#include "family_support.h"
#include "lrn/family/zca.h"

using namespace lrn::family;
using namespace lrn_test::family;

TEST_CASE("zca: identity P and zero mean give x; a general P the row-vector product",
          "[family][zca]") {
  const std::size_t w = 9, h = 7, C = 3;
  const auto x = random_image(w, h, C, 5);
  const ZcaParams id{{0, 0, 0}, {1, 0, 0, 0, 1, 0, 0, 0, 1}};
  auto op = make_zca(id, Geometry::interleaved(w, h, C));
  CHECK(op->halo_rows() == 0);
  CHECK(op->passes() == 1);
  CHECK(bit_identical(run_whole(*op, x), x));
  const ZcaParams p{{10, 20, 30}, {0.5, -1, 2, 0.25, 3, -0.5, 1, 0, 0.125}};
  auto general = make_zca(p, Geometry::interleaved(w, h, C));
  const auto y = run_whole(*general, x);
  std::vector<double> want(x.size());
  for (std::size_t px = 0; px < w * h; ++px)
    for (std::size_t j = 0; j < C; ++j) {
      double s = 0;
      for (std::size_t i = 0; i < C; ++i) s += (double(x[px * C + i]) - p.mean[i]) * p.P[i * C + j];
      want[px * C + j] = s;
    }
  CHECK(max_rel_error(y, want, 1e-3) < 1e-6);
  std::mt19937 rng(2);
  CHECK(bit_identical(run_whole(*general, x, random_splits(h, rng)), y));
  CHECK(bit_identical(run_stream(*general, x, 2), y));
}

TEST_CASE("zca: the mean and matrix must fit the channel count", "[family][zca]") {
  const ZcaParams p{{1, 2}, {1, 0, 0}};
  CHECK(validate(p, 2).size() == 1);
  CHECK(validate(p, 3).size() == 2);
  CHECK(validate(ZcaParams{{NAN}, {INFINITY}}, 1).size() == 2);
  CHECK(validate(ZcaParams{{1}, {2}}, 1).empty());
  CHECK_THROWS_AS(make_zca(p, Geometry::interleaved(2, 2, 3)), std::invalid_argument);
}
