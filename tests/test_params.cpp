// LrnParams validation and the framework conventions' mapping onto (before, after, alpha).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

#include "lrn/convention.h"
#include "lrn/params.h"

using lrn::Convention;
using lrn::FrameworkParams;
using lrn::LrnParams;

TEST_CASE("params: the defaults and TensorFlow's form are valid", "[lrn][params]") {
  CHECK(lrn::validate(LrnParams{}).empty());
  const LrnParams tf = LrnParams::tf(5, 2.0, 1e-4, 0.75);
  CHECK(tf.before == 5);
  CHECK(tf.after == 5);
  CHECK(lrn::validate(tf).empty());
  CHECK(lrn::validate(LrnParams{0, 0, 0.0, 1.0, -2.5}).empty());  // bias 0, negative beta
  CHECK(lrn::validate(LrnParams{3, 0, 1.0, 0.0, 0.0}).empty());   // alpha 0, beta 0
}

TEST_CASE("params: each problem is reported once", "[lrn][params]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  SECTION("negative window") {
    CHECK(lrn::validate(LrnParams{-1, 2, 1, 1, 0.75}).size() == 1);
    CHECK(lrn::validate(LrnParams{2, -3, 1, 1, 0.75}).size() == 1);
  }
  SECTION("bias") {
    CHECK(lrn::validate(LrnParams{2, 2, -1, 1, 0.75}).size() == 1);
    CHECK(lrn::validate(LrnParams{2, 2, nan, 1, 0.75}).size() == 1);
    CHECK(lrn::validate(LrnParams{2, 2, inf, 1, 0.75}).size() == 1);
  }
  SECTION("alpha") {
    CHECK(lrn::validate(LrnParams{2, 2, 1, -1e-4, 0.75}).size() == 1);
    CHECK(lrn::validate(LrnParams{2, 2, 1, nan, 0.75}).size() == 1);
    CHECK(lrn::validate(LrnParams{2, 2, 1, inf, 0.75}).size() == 1);
  }
  SECTION("beta") {
    CHECK(lrn::validate(LrnParams{2, 2, 1, 1, nan}).size() == 1);
    CHECK(lrn::validate(LrnParams{2, 2, 1, 1, -inf}).size() == 1);
  }
  SECTION("bias and alpha both 0") {
    const auto errors = lrn::validate(LrnParams{2, 2, 0, 0, 0.75});
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].find("both") != std::string::npos);
  }
  SECTION("all at once, in the house style") {
    const auto errors = lrn::validate(LrnParams{-1, -1, -1, nan, inf});
    CHECK(errors.size() == 4);  // window, bias, alpha, beta
    for (const std::string& e : errors) {
      INFO(e);
      CHECK(!e.empty());
      CHECK(e.back() != '.');
      CHECK(!std::isupper(static_cast<unsigned char>(e.front())));
    }
  }
}

TEST_CASE("params: conventions map size N onto before and after", "[lrn][params][convention]") {
  struct Row {
    Convention c;
    int n, before, after;
  };
  // torch: c - N/2 .. c + (N-1)/2; onnx: c - floor((N-1)/2) .. c + ceil((N-1)/2); caffe: odd.
  const Row rows[] = {
      {Convention::Torch, 1, 0, 0}, {Convention::Torch, 2, 1, 0}, {Convention::Torch, 4, 2, 1},
      {Convention::Torch, 5, 2, 2}, {Convention::Onnx, 1, 0, 0},  {Convention::Onnx, 2, 0, 1},
      {Convention::Onnx, 4, 1, 2},  {Convention::Onnx, 5, 2, 2},  {Convention::Caffe, 1, 0, 0},
      {Convention::Caffe, 5, 2, 2}, {Convention::Caffe, 7, 3, 3},
  };
  for (const Row& r : rows) {
    INFO(lrn::convention_name(r.c) << " N=" << r.n);
    std::string why;
    const auto p = lrn::to_lrn(FrameworkParams{r.c, r.n, 2.0, 1e-4, 0.75}, &why);
    REQUIRE(p.has_value());
    CHECK(p->before == r.before);
    CHECK(p->after == r.after);
    CHECK(p->alpha == Approx(1e-4 / r.n));  // alpha / N
    CHECK(p->bias == 2.0);
    CHECK(p->beta == 0.75);
  }
}

TEST_CASE("params: TensorFlow's radius keeps alpha as given", "[lrn][params][convention]") {
  const auto p = lrn::to_lrn(FrameworkParams{Convention::Tf, 3, 1.0, 0.5, 0.75}, nullptr);
  REQUIRE(p.has_value());
  CHECK(p->before == 3);
  CHECK(p->after == 3);
  CHECK(p->alpha == 0.5);
}

TEST_CASE("params: conventions refuse windows they cannot state", "[lrn][params][convention]") {
  std::string why;
  CHECK_FALSE(lrn::to_lrn(FrameworkParams{Convention::Caffe, 4, 1, 1, 0.75}, &why));
  CHECK(why.find("odd") != std::string::npos);
  for (Convention c : {Convention::Torch, Convention::Onnx, Convention::Caffe}) {
    why.clear();
    CHECK_FALSE(lrn::to_lrn(FrameworkParams{c, 0, 1, 1, 0.75}, &why));
    CHECK(!why.empty());
  }
  CHECK_FALSE(lrn::to_lrn(FrameworkParams{Convention::Tf, -1, 1, 1, 0.75}, &why));
  // from_lrn: asymmetric windows only where the convention has that asymmetry.
  CHECK_FALSE(lrn::from_lrn(LrnParams{1, 2, 1, 1, 0.75}, Convention::Tf));
  CHECK_FALSE(lrn::from_lrn(LrnParams{1, 2, 1, 1, 0.75}, Convention::Torch));
  CHECK_FALSE(lrn::from_lrn(LrnParams{2, 1, 1, 1, 0.75}, Convention::Onnx));
  CHECK_FALSE(lrn::from_lrn(LrnParams{2, 1, 1, 1, 0.75}, Convention::Caffe));
  CHECK_FALSE(lrn::from_lrn(LrnParams{0, 3, 1, 1, 0.75}, Convention::Torch));
}

TEST_CASE("params: to_lrn and from_lrn round-trip", "[lrn][params][convention]") {
  const Convention c =
      GENERATE(Convention::Tf, Convention::Torch, Convention::Onnx, Convention::Caffe);
  const int window = GENERATE(range(0, 9));
  const FrameworkParams f{c, window, 1.5, 3e-4, 0.6};
  const auto p = lrn::to_lrn(f, nullptr);
  if (!p) return;  // e.g. even N under caffe, N = 0: covered above
  const auto back = lrn::from_lrn(*p, c);
  INFO(lrn::convention_name(c) << " window=" << window);
  REQUIRE(back.has_value());
  CHECK(back->convention == c);
  CHECK(back->window == window);
  CHECK(back->alpha == Approx(f.alpha));
  CHECK(back->bias == f.bias);
  CHECK(back->beta == f.beta);
}

TEST_CASE("params: convention names parse back", "[lrn][params][convention]") {
  for (Convention c : {Convention::Tf, Convention::Torch, Convention::Onnx, Convention::Caffe})
    CHECK(lrn::parse_convention(lrn::convention_name(c)) == c);
  CHECK_FALSE(lrn::parse_convention("keras"));
  CHECK_FALSE(lrn::parse_convention("TF"));
}
