// Local contrast normalization (lrn/family/lcn.h): invariants, splits, layouts, validation.
// The values themselves are checked against NumPy transcriptions by tests/family/ref_lcn.py.
#include <array>

#include <catch2/catch.hpp>

#include "family_support.h"
#include "lrn/family/lcn.h"

using namespace lrn::family;
using namespace lrn_test::family;

namespace {
const LcnConvention kAll[] = {LcnConvention::Torch7, LcnConvention::Jarrett,
                              LcnConvention::Pylearn2, LcnConvention::Pinto};
}

TEST_CASE("lcn: halo and passes per convention", "[family][lcn]") {
  const Geometry g = Geometry::interleaved(8, 8, 3);
  CHECK(make_lcn(LcnParams::defaults(LcnConvention::Torch7), g)->halo_rows() == 8);
  CHECK(make_lcn(LcnParams::defaults(LcnConvention::Torch7), g)->passes() == 1);
  CHECK(make_lcn(LcnParams::defaults(LcnConvention::Jarrett), g)->halo_rows() == 8);
  CHECK(make_lcn(LcnParams::defaults(LcnConvention::Jarrett), g)->passes() == 2);
  CHECK(make_lcn(LcnParams::defaults(LcnConvention::Pylearn2), g)->halo_rows() == 3);
  CHECK(make_lcn(LcnParams::defaults(LcnConvention::Pylearn2), g)->passes() == 2);
  CHECK(make_lcn(LcnParams::defaults(LcnConvention::Pinto), g)->halo_rows() == 1);
  CHECK(make_lcn(LcnParams::defaults(LcnConvention::Pinto), g)->passes() == 1);
}

TEST_CASE("lcn: output independent of splits, streaming and layout",
          "[threads][family][lcn][driver]") {
  for (LcnConvention conv : kAll) {
    for (bool per_channel : {false, true}) {
      LcnParams p = LcnParams::defaults(conv);
      p.per_channel = per_channel;
      const std::size_t w = 27, h = 75, C = 3;
      const auto x = random_image(w, h, C, 31);
      auto op = make_lcn(p, Geometry::interleaved(w, h, C));
      const auto whole = run_whole(*op, x);
      std::mt19937 rng(6);
      for (int i = 0; i < 5; ++i)
        CHECK(bit_identical(run_whole(*op, x, random_splits(h, rng)), whole));
      for (std::size_t block : {1, 5, 40}) CHECK(bit_identical(run_stream(*op, x, block), whole));
      const auto xp = to_planar(x, w, h, C);
      auto planar = make_lcn(p, Geometry::planar(w, h, C));
      std::vector<float> yp(xp.size());
      run_image(*planar, {xp.data(), static_cast<std::ptrdiff_t>(w)},
                {yp.data(), static_cast<std::ptrdiff_t>(w)});
      CHECK(bit_identical(yp, to_planar(whole, w, h, C)));
    }
  }
}

TEST_CASE("lcn: a constant image gives 0 (everywhere for torch7, away from the border else)",
          "[family][lcn]") {
  const std::size_t w = 30, h = 30, C = 3;
  const std::vector<float> x(w * h * C, 77.0f);
  for (LcnConvention conv : kAll) {
    const LcnParams p = LcnParams::defaults(conv);
    auto op = make_lcn(p, Geometry::interleaved(w, h, C));
    const auto y = run_whole(*op, x);
    const std::size_t margin = conv == LcnConvention::Torch7 ? 0 : op->halo_rows();
    for (std::size_t yy = margin; yy < h - margin; ++yy)
      for (std::size_t xx = margin; xx < w - margin; ++xx)
        for (std::size_t c = 0; c < C; ++c) CHECK(std::abs(y[(yy * w + xx) * C + c]) < 1e-6);
  }
  // Gaussian torch7 too (the in-image mass correction is exact for a constant).
  LcnParams g = LcnParams::defaults(LcnConvention::Torch7);
  g.kernel = KernelShape::Gaussian;
  for (float v : run_whole(*make_lcn(g, Geometry::interleaved(w, h, C)), x))
    CHECK(std::abs(v) < 1e-6);
}

TEST_CASE("lcn: shifting the image leaves torch7 (and pinto's interior) unchanged",
          "[family][lcn]") {
  const std::size_t w = 25, h = 21, C = 3;
  const auto x = random_image(w, h, C, 8, 0, 100);
  std::vector<float> shifted(x);
  for (float& v : shifted) v += 64.0f;  // exact in float for these values
  for (LcnConvention conv : {LcnConvention::Torch7, LcnConvention::Pinto}) {
    for (KernelShape k : {KernelShape::Box, KernelShape::Gaussian}) {
      LcnParams p = LcnParams::defaults(conv);
      p.kernel = k;
      if (conv == LcnConvention::Pinto && k == KernelShape::Gaussian) continue;
      const auto a = run_whole(*make_lcn(p, Geometry::interleaved(w, h, C)), x);
      const auto b = run_whole(*make_lcn(p, Geometry::interleaved(w, h, C)), shifted);
      const std::size_t m =
          conv == LcnConvention::Torch7 ? 0 : static_cast<std::size_t>(p.size / 2);
      for (std::size_t yy = m; yy < h - m; ++yy)
        for (std::size_t xx = m; xx < w - m; ++xx)
          for (std::size_t c = 0; c < C; ++c) {
            const std::size_t i = (yy * w + xx) * C + c;
            CHECK(std::abs(a[i] - b[i]) <= 1e-5 * std::max(1.0f, std::abs(a[i])));
          }
    }
  }
}

TEST_CASE("lcn: per channel equals joint for one channel", "[family][lcn]") {
  const std::size_t w = 17, h = 13;
  const auto x = random_image(w, h, 1, 12);
  for (LcnConvention conv : kAll)
    for (KernelShape k : {KernelShape::Box, KernelShape::Gaussian}) {
      if (conv == LcnConvention::Pinto && k == KernelShape::Gaussian) continue;
      LcnParams p = LcnParams::defaults(conv);
      p.kernel = k;
      p.per_channel = true;
      const auto a = run_whole(*make_lcn(p, Geometry::interleaved(w, h, 1)), x);
      p.per_channel = false;
      const auto b = run_whole(*make_lcn(p, Geometry::interleaved(w, h, 1)), x);
      CHECK(bit_identical(a, b));
    }
}

TEST_CASE("lcn: border shapes and windows larger than the image stay finite", "[family][lcn]") {
  const auto shape = GENERATE(std::array<std::size_t, 2>{1, 1}, std::array<std::size_t, 2>{1, 9},
                              std::array<std::size_t, 2>{9, 1}, std::array<std::size_t, 2>{2, 3});
  for (LcnConvention conv : kAll) {
    LcnParams p = LcnParams::defaults(conv);
    p.size = 15;
    const auto x = random_image(shape[0], shape[1], 3, 2);
    auto op = make_lcn(p, Geometry::interleaved(shape[0], shape[1], 3));
    const auto y = run_whole(*op, x);
    for (float v : y) CHECK(std::isfinite(v));
    CHECK(bit_identical(run_stream(*op, x, 1), y));
  }
}

TEST_CASE("lcn: defaults and validation", "[family][lcn]") {
  const LcnParams torch = LcnParams::defaults(LcnConvention::Torch7);
  CHECK((torch.kernel == KernelShape::Box && torch.size == 9 && torch.threshold == 1e-4 &&
         !torch.per_channel));
  const LcnParams jarrett = LcnParams::defaults(LcnConvention::Jarrett);
  CHECK((jarrett.kernel == KernelShape::Gaussian && jarrett.size == 9));
  const LcnParams py = LcnParams::defaults(LcnConvention::Pylearn2);
  CHECK((py.kernel == KernelShape::Gaussian && py.size == 7 && py.per_channel));
  const LcnParams pinto = LcnParams::defaults(LcnConvention::Pinto);
  CHECK((pinto.kernel == KernelShape::Box && pinto.size == 3 && pinto.threshold == 1));
  for (LcnConvention c : kAll) CHECK(validate(LcnParams::defaults(c)).empty());
  LcnParams bad = pinto;
  bad.size = 4;
  bad.threshold = -1;
  bad.kernel = KernelShape::Gaussian;
  CHECK(validate(bad).size() == 3);
  CHECK_THROWS_AS(make_lcn(bad, Geometry::interleaved(3, 3, 1)), std::invalid_argument);
  CHECK(parse_lcn_convention("jarrett") == LcnConvention::Jarrett);
  CHECK(!parse_lcn_convention("lecun"));
}
