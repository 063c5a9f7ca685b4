// Global contrast normalization (lrn/family/gcn.h): closed forms, invariants, splits, presets.
// The pylearn2/tf/caffe-mvn values themselves are checked by tests/family/ref_gcn.py.
#include <catch2/catch.hpp>

#include "family_support.h"
#include "lrn/family/gcn.h"

using namespace lrn::family;
using namespace lrn_test::family;

TEST_CASE("gcn: two passes, no halo, output independent of splits and streaming",
          "[threads][family][gcn]") {
  const auto conv = GENERATE(GcnConvention::Pylearn2, GcnConvention::Tf, GcnConvention::CaffeMvn);
  const bool per_channel = GENERATE(false, true);
  GcnParams p = GcnParams::defaults(conv);
  p.per_channel = per_channel;
  const std::size_t w = 29, h = 41, C = 3;
  const auto x = random_image(w, h, C, 21);
  auto op = make_gcn(p, Geometry::interleaved(w, h, C));
  CHECK(op->passes() == 2);
  CHECK(op->halo_rows() == 0);
  const auto whole = run_whole(*op, x);
  std::mt19937 rng(4);
  for (int i = 0; i < 6; ++i) CHECK(bit_identical(run_whole(*op, x, random_splits(h, rng)), whole));
  CHECK(bit_identical(run_stream(*op, x, 5), whole));
  // Standardised: mean 0 per statistics group; tf and caffe-mvn give unit population std.
  double sum = 0, ssq = 0;
  for (float v : whole) sum += v, ssq += double(v) * v;
  const double n = static_cast<double>(whole.size());
  CHECK(std::abs(sum / n) < 1e-6);
  if (conv != GcnConvention::Pylearn2) CHECK(std::abs(ssq / n - 1) < 1e-5);
  else CHECK(std::abs(ssq - (per_channel ? 3.0 : 1.0)) < 1e-5);  // unit norm per group
}

TEST_CASE("gcn: a constant image gives 0 in every convention", "[family][gcn]") {
  const auto conv = GENERATE(GcnConvention::Pylearn2, GcnConvention::Tf, GcnConvention::CaffeMvn);
  const std::vector<float> x(4 * 3 * 2, 42.0f);
  auto op = make_gcn(GcnParams::defaults(conv), Geometry::interleaved(4, 3, 2));
  for (float v : run_whole(*op, x)) CHECK(v == 0.0f);
  const std::vector<float> one{5.0f};
  auto single = make_gcn(*GcnParams::preset("coates"), Geometry::interleaved(1, 1, 1));
  CHECK(run_whole(*single, one)[0] == 0.0f);
}

TEST_CASE("gcn: presets and validation", "[family][gcn]") {
  CHECK(GcnParams::preset("maxout-cifar10")->scale == 55);
  const GcnParams coates = *GcnParams::preset("coates");
  CHECK((coates.use_std && coates.sqrt_bias == 10 && coates.convention == GcnConvention::Pylearn2));
  CHECK(!GcnParams::preset("zca"));
  CHECK(gcn_preset_names().size() == 2);
  CHECK(GcnParams::defaults(GcnConvention::CaffeMvn).per_channel);
  GcnParams bad;
  bad.scale = 0;
  bad.sqrt_bias = -1;
  bad.min_divisor = NAN;
  CHECK(validate(bad).size() == 3);
  GcnParams tf = GcnParams::defaults(GcnConvention::Tf);
  tf.use_std = true;
  REQUIRE(validate(tf).size() == 1);
  CHECK_THAT(validate(tf)[0], Catch::Matchers::Contains("pylearn2"));
  GcnParams order;
  order.scale = 1e-9;
  CHECK(validate(order).size() == 1);  // scale < min_divisor: pylearn2 asserts against it
  CHECK(parse_gcn_convention("caffe-mvn") == GcnConvention::CaffeMvn);
}
