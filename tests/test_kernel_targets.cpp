// The kernel gives the same bytes on every target, and keeps its accuracy over the whole
// float range (subnormal, tiny and huge inputs), against the float64 reference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "lrn/kernel.h"
#include "reference.h"

namespace {

using lrn::Kernel;
using lrn::LrnParams;
using lrn::Target;

const double kBetaClasses[] = {0.5, 0.75, 1, 0.6, 1.7, 0, -0.6};

/// n values with random sign and magnitude 10^e, e uniform in [lo_exp, hi_exp], and a zero
/// now and then: every window mixes magnitudes.
std::vector<float> mixed_values(std::size_t n, double lo_exp, double hi_exp, std::size_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> e(lo_exp, hi_exp);
  std::uniform_int_distribution<int> pick(0, 15);
  std::vector<float> v(n);
  for (float& x : v) {
    const int p = pick(rng);
    x = p == 0 ? 0.0f : static_cast<float>((p % 2 ? 1 : -1) * std::pow(10.0, e(rng)));
  }
  return v;
}

/// Values spread around 10^e (a factor of 3 either way), positive, with zeros.
std::vector<float> values_near(std::size_t n, double e, std::size_t seed) {
  std::vector<float> v = mixed_values(n, e - 0.5, e + 0.5, seed);
  for (float& x : v) x = std::fabs(x);
  return v;
}

std::string describe(const LrnParams& p, std::size_t channels) {
  std::ostringstream s;
  s << "C=" << channels << " before=" << p.before << " after=" << p.after << " bias=" << p.bias
    << " alpha=" << p.alpha << " beta=" << p.beta;
  return s.str();
}

/// Index of the first float whose bytes differ, or n.
std::size_t first_difference(const std::vector<float>& a, const std::vector<float>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return i;
  return a.size();
}

/// The documented accuracy (lrn/kernel.h): relative 1e-6 (named betas) or 2e-6, plus one
/// subnormal step where y is below float's normal range; y beyond float must be inf.
bool within_contract(float y, double ref, double beta) {
  const double rel = beta == 0 ? 0 : (beta == 0.5 || beta == 0.75 || beta == 1) ? 1e-6 : 2e-6;
  const float ref_f = static_cast<float>(ref);
  if (std::isinf(ref_f)) return y == ref_f;
  return std::fabs(double(y) - ref) <= rel * std::fabs(ref) + 0x1p-149;
}

}  // namespace

TEST_CASE("kernel: every target gives the same bytes", "[lrn][kernel][targets]") {
  const std::vector<Target> targets = lrn::supported_targets();  // ends with Scalar
  const int radius = GENERATE(range(0, 7));
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 2, 3, 4, 5, 6, 7, 8, 64);
  const double bias = GENERATE(0.0, 1.0);
  const double alpha = GENERATE(1e-4, 0.001 / 9, 1.0, 1e-30);
  // 37 pixels: whole blocks and a tail on every target. Ordinary pixel values, then values
  // over the whole float range (the exact path), each through every beta class.
  const std::size_t pixels = 37;
  const std::vector<float> ordinary = mixed_values(pixels * channels, -2, 2.5, 5 + channels);
  const std::vector<float> extreme = mixed_values(pixels * channels, -45, 38, 9 + channels);
  for (double beta : kBetaClasses) {
    const LrnParams p{radius, radius, bias, alpha, beta};
    if (!lrn::validate(p).empty()) continue;
    for (const std::vector<float>* x : {&ordinary, &extreme}) {
      std::vector<float> want(x->size());
      Kernel(p, channels, Target::Scalar).run(x->data(), want.data(), pixels);
      for (Target t : targets) {
        std::vector<float> got(x->size(), -1.0f);
        Kernel(p, channels, t).run(x->data(), got.data(), pixels);
        const std::size_t i = first_difference(got, want);
        INFO(lrn::target_name(t) << " vs scalar, " << describe(p, channels)
                                 << (x == &extreme ? ", extreme values" : ", ordinary values")
                                 << ", first difference at " << i);
        if (i < got.size()) INFO("x=" << (*x)[i] << " got=" << got[i] << " scalar=" << want[i]);
        REQUIRE(i == got.size());
      }
    }
  }
}

TEST_CASE("kernel: asymmetric windows give the same bytes on every target",
          "[lrn][kernel][targets]") {
  const int before = GENERATE(0, 1, 3);
  const int after = GENERATE(0, 2, 5);
  const std::size_t channels = GENERATE(as<std::size_t>{}, 3, 5, 16);
  const std::vector<float> x = mixed_values(29 * channels, -45, 38, 3);
  for (double beta : kBetaClasses) {
    const LrnParams p{before, after, 0.0, 1e-4, beta};
    std::vector<float> want(x.size());
    Kernel(p, channels, Target::Scalar).run(x.data(), want.data(), 29);
    for (Target t : lrn::supported_targets()) {
      std::vector<float> got(x.size());
      Kernel(p, channels, t).run(x.data(), got.data(), 29);
      INFO(lrn::target_name(t) << ' ' << describe(p, channels));
      REQUIRE(first_difference(got, want) == got.size());
    }
  }
}

TEST_CASE("kernel: many channels (lanes across channels) give the same bytes on every target",
          "[lrn][kernel][targets]") {
  // Interleaved input with C >= the SIMD width goes through ChannelLanes (kernel_hwy.cpp):
  // channel counts with and without a partial last vector, windows up to its widest reach
  // (16) and past it, asymmetric ones, in place and not, ordinary values and values over
  // the whole float range (pixels that fall back to the Scalar target).
  const std::size_t channels = GENERATE(as<std::size_t>{}, 8, 16, 17, 20, 33, 96);
  const int before = GENERATE(0, 2, 5, 16, 17);
  const int after = GENERATE(0, 2, 16, 40);
  // Pixels 3 and 10 are all zero, and pixel 5 half zero: with bias 0 their windows are
  // untrusted, and y must be x there without the Scalar fallback changing a bit.
  const std::size_t pixels = 23;
  std::vector<float> ordinary = mixed_values(pixels * channels, -2, 2.5, 21);
  std::vector<float> extreme = mixed_values(pixels * channels, -45, 38, 22);
  for (std::vector<float>* v : {&ordinary, &extreme}) {
    std::fill(v->begin() + 3 * channels, v->begin() + 4 * channels, 0.0f);
    std::fill(v->begin() + 10 * channels, v->begin() + 11 * channels, -0.0f);
    std::fill(v->begin() + 5 * channels, v->begin() + 5 * channels + channels / 2, 0.0f);
  }
  for (const auto& [bias, beta] : {std::pair{1.0, 0.75}, {0.0, 0.75}, {1.0, 0.5}, {0.0, 0.6}}) {
    const LrnParams p{before, after, bias, 1e-4, beta};
    for (const std::vector<float>* x : {&ordinary, &extreme}) {
      std::vector<float> want(x->size());
      Kernel(p, channels, Target::Scalar).run(x->data(), want.data(), pixels);
      for (Target t : lrn::supported_targets()) {
        INFO(lrn::target_name(t) << ' ' << describe(p, channels)
                                 << (x == &extreme ? ", extreme values" : ", ordinary values"));
        std::vector<float> got(x->size(), -1.0f);
        Kernel(p, channels, t).run(x->data(), got.data(), pixels);
        REQUIRE(first_difference(got, want) == got.size());
        std::vector<float> inplace = *x;
        Kernel(p, channels, t).run(inplace.data(), inplace.data(), pixels);
        REQUIRE(first_difference(inplace, want) == inplace.size());
      }
    }
  }
}

TEST_CASE("kernel: beta 0.75 factor is within 2 ulp for bases across the float range",
          "[lrn][kernel][range]") {
  // One channel, bias 0, alpha 1: y = x * (x^2)^-0.75. x has 12 significant bits, so x^2 is
  // exact in float and y's error is the factor's (lrn/pow_hwy-inl.h, PowThreeQuarters: three
  // correctly rounded operations, within 2 ulp = 2.4e-7) plus the final product's rounding
  // (6e-8). Bases from 1e-36 to 3e38: 2^20 values, every exponent, mantissas spread.
  const LrnParams p{0, 0, 0.0, 1.0, 0.75};
  const std::size_t n = std::size_t{1} << 20;
  std::vector<float> x(n);
  const double lo = std::log2(1e-18), hi = std::log2(1.8e19);
  for (std::size_t i = 0; i < n; ++i) {
    const double v = std::exp2(lo + (hi - lo) * (double(i) + 0.5) / double(n));
    int e;
    const double m = std::frexp(v, &e);
    x[i] = static_cast<float>(std::ldexp(std::round(std::ldexp(m, 12)), e - 12));
  }
  for (Target t : lrn::supported_targets()) {
    std::vector<float> y(n);
    Kernel(p, 1, t).run(x.data(), y.data(), n);
    double worst = 0;
    std::size_t at = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double d = double(x[i]) * double(x[i]);
      const double want = double(x[i]) * std::pow(d, -0.75);
      const double err = std::fabs(double(y[i]) - want) / want;
      if (err > worst) {
        worst = err;
        at = i;
      }
    }
    INFO(lrn::target_name(t) << ": worst relative error " << worst << " at x=" << x[at]);
    REQUIRE(worst <= 3e-7);
  }
}

TEST_CASE("kernel: beta 0.75 is exact where d^-0.75 is a power of two, on every target",
          "[lrn][kernel][range]") {
  // alpha 0: d is the bias. d = 2^(4k) gives the factor 2^(-3k) exactly (each of the two
  // square roots and the division is exact there), so bias 1 is the identity bit for bit, and
  // bias 16 or 2^-8 scale x by 1/8 or 64 exactly. Random x of every magnitude, 1, 3 and 7
  // channels (the full-cover blocks, the C = 3 block and the planar blocks).
  const std::vector<float> x = mixed_values(7 * 1000, -10, 10, 11);
  for (const auto& [bias, scale] : {std::pair<double, float>{1, 1.0f}, {16, 0.125f},
                                    {0x1p-8, 64.0f}, {0x1p40, 0x1p-30f}}) {
    for (std::size_t channels : {std::size_t{1}, std::size_t{3}, std::size_t{7}}) {
      const LrnParams p = LrnParams::tf(2, bias, 0.0, 0.75);
      for (Target t : lrn::supported_targets()) {
        const std::size_t pixels = x.size() / channels;
        std::vector<float> y(pixels * channels);
        Kernel(p, channels, t).run(x.data(), y.data(), pixels);
        std::vector<float> want(x.begin(), x.begin() + pixels * channels);
        for (float& v : want) v *= scale;
        INFO(lrn::target_name(t) << " bias " << bias << " C=" << channels);
        REQUIRE(first_difference(y, want) == y.size());
      }
    }
  }
}

TEST_CASE("kernel: accuracy holds for tiny, huge and subnormal inputs", "[lrn][kernel][range]") {
  // Magnitudes where float squares underflow (1e-20 and below; 1e-40 and 1e-45 are
  // subnormal themselves), sit at float's edge (1e-18 with bias 0 makes alpha * sum
  // subnormal), or overflow (1e18 * 1e18 * channels and beyond).
  const double magnitude = GENERATE(-45.0, -40.0, -30.0, -20.0, -18.0, 0.0, 18.0, 30.0, 38.0);
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 3, 4, 12, 64);
  const int radius = GENERATE(0, 2, 6);
  const double bias = GENERATE(0.0, 1.0);
  const double alpha = GENERATE(1e-4 / 12, 1e-4, 1.0);
  const std::size_t pixels = 21;
  const std::vector<float> x = values_near(pixels * channels, magnitude, 17 + channels);
  for (double beta : kBetaClasses) {
    const LrnParams p{radius, radius, bias, alpha, beta};
    const std::vector<double> ref = lrn_test::lrn_reference(x, channels, p);
    for (Target t : lrn::supported_targets()) {
      std::vector<float> y(x.size(), -1.0f);
      Kernel(p, channels, t).run(x.data(), y.data(), pixels);
      for (std::size_t i = 0; i < y.size(); ++i) {
        if (within_contract(y[i], ref[i], beta)) continue;
        INFO(lrn::target_name(t) << ' ' << describe(p, channels) << " magnitude 1e" << magnitude
                                 << " i=" << i << ": x=" << x[i] << " y=" << y[i]
                                 << " ref=" << ref[i]);
        FAIL("outside the accuracy contract");
      }
    }
  }
}

TEST_CASE("kernel: accuracy holds when a window mixes huge and tiny values",
          "[lrn][kernel][range]") {
  const std::size_t channels = GENERATE(as<std::size_t>{}, 2, 3, 4, 7, 64);
  const int radius = GENERATE(1, 3);
  const double bias = GENERATE(0.0, 1.0);
  const std::vector<float> x = mixed_values(40 * channels, -45, 38, 23 + channels);
  for (double beta : kBetaClasses) {
    const LrnParams p{radius, radius, bias, 1e-4, beta};
    const std::vector<double> ref = lrn_test::lrn_reference(x, channels, p);
    for (Target t : lrn::supported_targets()) {
      std::vector<float> y(x.size(), -1.0f);
      Kernel(p, channels, t).run(x.data(), y.data(), 40);
      for (std::size_t i = 0; i < y.size(); ++i) {
        if (within_contract(y[i], ref[i], beta)) continue;
        INFO(lrn::target_name(t) << ' ' << describe(p, channels) << " i=" << i << ": x=" << x[i]
                                 << " y=" << y[i] << " ref=" << ref[i]);
        FAIL("outside the accuracy contract");
      }
    }
  }
}

TEST_CASE("kernel: extreme alpha and bias keep the accuracy", "[lrn][kernel][range]") {
  // alpha below float's range (the float paths cannot hold it), and far above or below
  // bias; the double reference stays in range for these.
  struct Shape {
    double bias, alpha;
  };
  const Shape shape =
      GENERATE(Shape{0, 1e-40}, Shape{1, 1e-40}, Shape{0, 1e-200}, Shape{1e-200, 1e-200},
               Shape{1e-30, 1e30}, Shape{0, 1e100}, Shape{1e30, 1e-30}, Shape{1e300, 1});
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 3, 5);
  const std::vector<float> x = mixed_values(25 * channels, -20, 20, 31);
  for (double beta : kBetaClasses) {
    const LrnParams p{2, 2, shape.bias, shape.alpha, beta};
    const std::vector<double> ref = lrn_test::lrn_reference(x, channels, p);
    for (Target t : lrn::supported_targets()) {
      std::vector<float> y(x.size(), -1.0f);
      Kernel(p, channels, t).run(x.data(), y.data(), 25);
      for (std::size_t i = 0; i < y.size(); ++i) {
        // x = 0 gives 0; the reference divides 0 by a power that underflowed to 0 here.
        if (x[i] == 0 ? y[i] == 0 : within_contract(y[i], ref[i], beta)) continue;
        INFO(lrn::target_name(t) << ' ' << describe(p, channels) << " i=" << i << ": x=" << x[i]
                                 << " y=" << y[i] << " ref=" << ref[i]);
        FAIL("outside the accuracy contract");
      }
    }
  }
}

TEST_CASE("kernel: the issue's case, bias 0 and inputs near 1e-18", "[lrn][kernel][range]") {
  // --convention torch --size 12 --alpha 1e-4 --bias 0 --beta 1: alpha / 12, window 12
  // (torch's before = 5, after = 6), 576 probes.
  const LrnParams p{5, 6, 0.0, 1e-4 / 12, 1.0};
  const std::size_t channels = 12;
  const std::vector<float> x = values_near(48 * channels, -18, 1);
  const std::vector<double> ref = lrn_test::lrn_reference(x, channels, p);
  for (Target t : lrn::supported_targets()) {
    std::vector<float> y(x.size());
    Kernel(p, channels, t).run(x.data(), y.data(), 48);
    int over = 0;
    for (std::size_t i = 0; i < y.size(); ++i) over += !within_contract(y[i], ref[i], 1.0);
    INFO(lrn::target_name(t));
    CHECK(over == 0);
  }
}

TEST_CASE("kernel: C = 3 full cover, every pixel count, unaligned and in place, same bytes",
          "[lrn][kernel][targets]") {
  // The AVX-512 three-channel block (FullCover3Avx3) and the other targets' full-cover C = 3
  // path: pixel counts 0..80 (every tail of a 16-pixel block and of two), the data at every
  // float offset within a cache line (never aligned the way the block loads would like),
  // out-of-place and in place, each beta class: the bytes of the Scalar target.
  const std::vector<Target> targets = lrn::supported_targets();
  const std::vector<float> values = mixed_values(81 * 3 + 16, -2, 2.5, 77);
  const std::vector<float> extreme = mixed_values(81 * 3 + 16, -45, 38, 78);
  for (double beta : kBetaClasses) {
    for (const int radius : {2, 5}) {
      const LrnParams p{radius, radius, 1.0, 0.001 / 9, beta};
      for (const std::vector<float>* src : {&values, &extreme}) {
        for (std::size_t pixels = 0; pixels <= 80; ++pixels) {
          const std::size_t offset = pixels % 16;  // floats past the vector's start
          const std::size_t n = pixels * 3;
          const std::vector<float> x(src->begin() + static_cast<long>(offset),
                                     src->begin() + static_cast<long>(offset + n));
          std::vector<float> want(n);
          Kernel(p, 3, Target::Scalar).run(x.data(), want.data(), pixels);
          for (Target t : targets) {
            std::vector<float> buf(n + 32, -7.0f);  // guard floats either side
            float* out = buf.data() + offset + 1;
            Kernel(p, 3, t).run(x.data(), out, pixels);
            std::vector<float> got(out, out + n);
            std::size_t i = first_difference(got, want);
            INFO(lrn::target_name(t)
                 << ", " << describe(p, 3) << ", " << pixels << " pixels at offset " << offset
                 << ", first difference at " << i);
            CHECK(i == n);
            CHECK(std::all_of(buf.begin(), buf.begin() + static_cast<long>(offset + 1),
                              [](float v) { return v == -7.0f; }));
            CHECK(std::all_of(buf.begin() + static_cast<long>(offset + 1 + n), buf.end(),
                              [](float v) { return v == -7.0f; }));
            std::copy(x.begin(), x.end(), out);  // in place, at the same odd offset
            Kernel(p, 3, t).run(out, out, pixels);
            got.assign(out, out + n);
            i = first_difference(got, want);
            INFO("in place, first difference at " << i);
            CHECK(i == n);
          }
        }
      }
    }
  }
}
