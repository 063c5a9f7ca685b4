// The LRN kernel on every target this CPU runs: against the float64 reference, invariants,
// split and in-place invariance, and contract checks.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "lrn/kernel.h"
#include "reference.h"

namespace {

using lrn::Kernel;
using lrn::LrnParams;
using lrn::Target;

/// n values uniform in [lo, hi], or log-uniform when log_scale (lo > 0).
std::vector<float> random_values(std::size_t n, double lo, double hi, std::size_t seed,
                                 bool log_scale = false) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(log_scale ? std::log(lo) : lo,
                                           log_scale ? std::log(hi) : hi);
  std::vector<float> v(n);
  for (float& x : v) x = static_cast<float>(log_scale ? std::exp(u(rng)) : u(rng));
  return v;
}

/// The documented accuracy: exact for beta 0, 1e-6 on the sqrt/div fast paths, 2e-6 on the
/// exp/log path. No absolute slack: y = x * factor, so its relative error does not grow near
/// x = 0, and a zero reference must give exactly 0.
double tolerance(double beta) {
  if (beta == 0) return 0;
  if (beta == 0.5 || beta == 0.75 || beta == 1) return 1e-6;
  return 2e-6;
}

struct Worst {
  double error = 0;
  std::size_t index = 0;
};

Worst worst_relative_error(const std::vector<float>& y, const std::vector<double>& ref) {
  Worst w;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double diff = std::fabs(double(y[i]) - ref[i]);
    const double e = ref[i] == 0 ? (diff == 0 ? 0 : INFINITY) : diff / std::fabs(ref[i]);
    if (!(e <= w.error)) w = Worst{e, i};  // also catches NaN
  }
  return w;
}

std::string describe(const LrnParams& p, std::size_t channels, std::size_t pixels) {
  std::ostringstream s;
  s << "C=" << channels << " pixels=" << pixels << " before=" << p.before << " after=" << p.after
    << " bias=" << p.bias << " alpha=" << p.alpha << " beta=" << p.beta;
  return s.str();
}

/// Runs x through every supported target and checks each against the reference.
void check_against_reference(const LrnParams& p, std::size_t channels,
                             const std::vector<float>& x) {
  const std::vector<double> ref = lrn_test::lrn_reference(x, channels, p);
  const std::size_t pixels = x.size() / channels;
  for (Target t : lrn::supported_targets()) {
    std::vector<float> y(x.size(), -1.0f);
    Kernel(p, channels, t).run(x.data(), y.data(), pixels);
    const Worst w = worst_relative_error(y, ref);
    INFO(lrn::target_name(t) << ' ' << describe(p, channels, pixels) << " worst at " << w.index
                             << ": x=" << x[w.index] << " y=" << y[w.index]
                             << " ref=" << ref[w.index]);
    CHECK(w.error <= tolerance(p.beta));
  }
}

const double kBetas[] = {0.5, 0.75, 1, 0.3, 1.7, 0, -0.6};

}  // namespace

TEST_CASE("kernel: compiled targets, and the ones this CPU cannot run", "[lrn][kernel]") {
  const std::vector<Target> compiled = lrn::compiled_targets();
  const std::vector<Target> supported = lrn::supported_targets();
  REQUIRE(!supported.empty());
  CHECK(supported.back() == Target::Scalar);
  CHECK(compiled.back() == Target::Scalar);
  std::string skipped;
  for (Target t : compiled) {
    bool runs = false;
    for (Target s : supported) runs = runs || s == t;
    if (!runs) skipped += std::string(" ") + lrn::target_name(t);
  }
  std::string tested;
  for (Target t : supported) tested += std::string(" ") + lrn::target_name(t);
  if (!skipped.empty()) WARN("compiled but not run on this CPU:" << skipped);
  CHECK(Kernel(LrnParams{}, 3).target() == supported.front());
  SUCCEED("targets tested:" << tested);
}

TEST_CASE("kernel: matches the reference for every window and channel count", "[lrn][kernel]") {
  const int before = GENERATE(range(0, 7));
  const int after = GENERATE(range(0, 7));
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 2, 3, 4, 5, 6, 7, 8, 64);
  const std::size_t pixels = 33;  // two or more whole blocks plus a tail on every target
  const std::vector<float> x = random_values(pixels * channels, 0, 255, 7 * channels + 1);
  for (double beta : kBetas) {
    check_against_reference(LrnParams{before, after, 1.0, 0.001 / 9, beta}, channels, x);
    check_against_reference(LrnParams{before, after, 2.0, 1e-3, beta}, channels, x);
  }
}

TEST_CASE("kernel: matches the reference for every pixel count", "[lrn][kernel]") {
  const std::size_t pixels = GENERATE(as<std::size_t>{}, 1, 2, 3, 7, 33, 1000);
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 2, 3, 4, 5, 8, 64);
  const std::vector<float> x = random_values(pixels * channels, 0, 255, unsigned(pixels));
  for (double beta : kBetas) {
    check_against_reference(LrnParams{2, 2, 1.0, 0.001 / 9, beta}, channels, x);
    check_against_reference(LrnParams{0, 3, 1.0, 1e-3, beta}, channels, x);
  }
}

TEST_CASE("kernel: matches the reference across value ranges and parameters", "[lrn][kernel]") {
  struct Range {
    double lo, hi;
    bool log_scale;
  };
  const Range range =
      GENERATE(Range{0, 255, false}, Range{0, 1, false}, Range{-1, 1, false},
               Range{-255, 255, false}, Range{0, 1e4, false}, Range{1e-3, 1e3, true});
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 3, 4, 64);
  const int radius = GENERATE(0, 2, 5);
  const LrnParams shapes[] = {
      {radius, radius, 1.0, 0.001 / 9, 0.75},  // TensorFlow's defaults for images
      {radius, radius, 2.0, 1e-4, 0.75},       // AlexNet
      {radius, radius, 1.0, 1.0, 0.5},        {radius, radius, 0.0, 1.0, 0.75},  // no bias
      {radius, radius, 0.0, 1.0, 1.7},  // factors outside float: product in double
      {radius, radius, 0.5, 1e-2, 1.0},       {radius, radius, 1e-3, 1e-6, 0.3},
      {radius, radius, 1.0, 0.1, -0.5},
  };
  const std::vector<float> x =
      random_values(101 * channels, range.lo, range.hi, 99, range.log_scale);
  for (const LrnParams& p : shapes) check_against_reference(p, channels, x);
}

TEST_CASE("kernel: alpha 0 gives x / bias^beta", "[lrn][kernel]") {
  const double beta = GENERATE(0.5, 0.75, 1.0, 0.6, -1.3);
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 3, 4, 9);
  const std::vector<float> x = random_values(50 * channels, -255, 255, 3);
  const LrnParams p{2, 2, 2.0, 0.0, beta};
  for (Target t : lrn::supported_targets()) {
    std::vector<float> y(x.size());
    Kernel(p, channels, t).run(x.data(), y.data(), 50);
    for (std::size_t i = 0; i < x.size(); ++i) {
      INFO(lrn::target_name(t) << " beta=" << beta << " i=" << i);
      REQUIRE_THAT(y[i], Catch::Matchers::WithinRel(x[i] / std::pow(2.0, beta), tolerance(beta)));
    }
  }
}

TEST_CASE("kernel: the exp/log path holds for bases from 1e-20 to 1e20", "[lrn][kernel]") {
  // alpha 0 makes the base exactly bias, so y = x * bias^-beta is known; the bases sweep many
  // binades and both sides of the sqrt(2) mantissa split of the double log.
  std::vector<double> bases;
  for (int e = -66; e <= 66; ++e) {
    const double sqrt2 = std::ldexp(std::sqrt(2.0), e);
    for (double b : {std::ldexp(1.0, e), std::nextafter(sqrt2, 0.0), std::nextafter(sqrt2, 4.0),
                     std::ldexp(1.7, e)})
      bases.push_back(b);
  }
  const std::vector<float> x = random_values(17, 1, 255, 5);
  for (double beta : {0.3, 0.6, 1.7, -0.6}) {
    for (double base : bases) {
      const LrnParams p{1, 1, base, 0.0, beta};
      for (Target t : lrn::supported_targets()) {
        std::vector<float> y(x.size());
        Kernel(p, 1, t).run(x.data(), y.data(), x.size());
        for (std::size_t i = 0; i < x.size(); ++i) {
          INFO(lrn::target_name(t) << " base=" << base << " beta=" << beta);
          REQUIRE_THAT(y[i], Catch::Matchers::WithinRel(x[i] * std::pow(base, -beta), 2e-6));
        }
      }
    }
  }
}

TEST_CASE("kernel: a constant image has the closed form", "[lrn][kernel]") {
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 2, 3, 4, 7);
  const int before = GENERATE(0, 1, 4);
  const int after = GENERATE(0, 2);
  const double beta = GENERATE(0.75, 0.6);
  const double v = 173;
  const LrnParams p{before, after, 1.0, 1e-3, beta};
  const std::vector<float> x(20 * channels, float(v));
  for (Target t : lrn::supported_targets()) {
    std::vector<float> y(x.size());
    Kernel(p, channels, t).run(x.data(), y.data(), 20);
    for (std::size_t i = 0; i < y.size(); ++i) {
      // Channel c sums n = (last - first + 1) equal squares.
      const long long c = static_cast<long long>(i % channels);
      const long long n =
          std::min<long long>(channels - 1, c + after) - std::max<long long>(0, c - before) + 1;
      const double expected = v / std::pow(1.0 + 1e-3 * double(n) * v * v, beta);
      INFO(lrn::target_name(t) << " C=" << channels << " c=" << c);
      REQUIRE_THAT(y[i], Catch::Matchers::WithinRel(expected, tolerance(beta)));
    }
  }
}

TEST_CASE("kernel: bias 0 with zero pixels gives 0, not NaN", "[lrn][kernel]") {
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 2, 3, 4, 5, 16);
  const int radius = GENERATE(0, 1, 3);
  // Zero pixels, pixels with one non-zero channel, and a tail on every target.
  std::vector<float> x(19 * channels, 0.0f);
  for (std::size_t i = 3; i < 19; i += 4) x[i * channels + i % channels] = 5.0f;
  for (double beta : kBetas) {
    const LrnParams p{radius, radius, 0.0, 1.0, beta};
    const std::vector<double> ref = lrn_test::lrn_reference(x, channels, p);
    for (Target t : lrn::supported_targets()) {
      std::vector<float> y(x.size(), -1.0f);
      Kernel(p, channels, t).run(x.data(), y.data(), 19);
      for (std::size_t i = 0; i < y.size(); ++i) {
        INFO(lrn::target_name(t) << ' ' << describe(p, channels, 19) << " i=" << i);
        REQUIRE(std::isfinite(y[i]));
        if (ref[i] == 0) REQUIRE(y[i] == 0.0f);
        else REQUIRE_THAT(y[i], Catch::Matchers::WithinRel(ref[i], tolerance(beta)));
      }
    }
  }
}

TEST_CASE("kernel: output bytes do not depend on how the buffer is split", "[lrn][kernel]") {
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 2, 3, 4, 5, 64);
  const double beta = GENERATE(0.75, 0.6, 0.5, 1.0, 1.7);
  const int before = GENERATE(2, 0);
  const LrnParams p{before, 1, 1.0, 1e-3, beta};
  const std::size_t pixels = 40;
  const std::size_t n = pixels * channels;
  const std::vector<float> x = random_values(n, 0, 255, 11);
  for (Target t : lrn::supported_targets()) {
    INFO(lrn::target_name(t) << ' ' << describe(p, channels, pixels));
    const Kernel k(p, channels, t);
    std::vector<float> whole(n);
    k.run(x.data(), whole.data(), pixels);
    for (std::size_t cut = 0; cut <= pixels; ++cut) {
      INFO("split at pixel " << cut);
      std::vector<float> parts(n, -1.0f);
      k.run(x.data(), parts.data(), cut);
      k.run(x.data() + cut * channels, parts.data() + cut * channels, pixels - cut);
      REQUIRE(std::memcmp(parts.data(), whole.data(), n * sizeof(float)) == 0);
      // Three calls, the middle one short.
      const std::size_t cut2 = std::min(pixels, cut + 5);
      std::fill(parts.begin(), parts.end(), -1.0f);
      k.run(x.data(), parts.data(), cut);
      k.run(x.data() + cut * channels, parts.data() + cut * channels, cut2 - cut);
      k.run(x.data() + cut2 * channels, parts.data() + cut2 * channels, pixels - cut2);
      REQUIRE(std::memcmp(parts.data(), whole.data(), n * sizeof(float)) == 0);
    }
    // In place, whole and split: the same bytes again.
    std::vector<float> inplace = x;
    k.run(inplace.data(), inplace.data(), pixels);
    REQUIRE(std::memcmp(inplace.data(), whole.data(), n * sizeof(float)) == 0);
    inplace = x;
    k.run(inplace.data(), inplace.data(), 17);
    k.run(inplace.data() + 17 * channels, inplace.data() + 17 * channels, pixels - 17);
    REQUIRE(std::memcmp(inplace.data(), whole.data(), n * sizeof(float)) == 0);
  }
}

TEST_CASE("kernel: broken preconditions throw, zero pixels do nothing", "[lrn][kernel]") {
  CHECK_THROWS_AS(Kernel(LrnParams{-1, 2, 1, 1, 0.75}, 3), std::invalid_argument);
  CHECK_THROWS_AS(Kernel(LrnParams{2, 2, 0, 0, 0.75}, 3), std::invalid_argument);
  CHECK_THROWS_AS(Kernel(LrnParams{}, 0), std::invalid_argument);
  const Kernel k(LrnParams{}, 3);
  CHECK(k.channels() == 3);
  CHECK(k.params().beta == 0.75);
  float guard = 42.0f;
  k.run(&guard, &guard, 0);
  CHECK(guard == 42.0f);
}
