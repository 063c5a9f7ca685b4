// Kernel::run_planar (CHW planes) against Kernel::run (HWC) on the same values: bit for bit,
// on every target, whatever the channel count, plane padding, split points and in place.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lrn/kernel.h"

namespace {

using lrn::Kernel;
using lrn::LrnParams;
using lrn::Target;

/// Pixel values: ordinary (0..255 and signed), or over the whole float range with zeros.
std::vector<float> values(std::size_t n, bool extreme, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> e(-45, 38), u(-255, 255);
  std::uniform_int_distribution<int> pick(0, 15);
  std::vector<float> v(n);
  for (float& x : v) {
    const int p = pick(rng);
    if (p == 0) x = 0;
    else x = static_cast<float>(extreme ? (p % 2 ? 1 : -1) * std::pow(10.0, e(rng)) : u(rng));
  }
  return v;
}

/// HWC values -> CHW planes of `plane` floats each (padding filled with a marker).
std::vector<float> to_planes(const std::vector<float>& hwc, std::size_t channels,
                             std::size_t plane) {
  const std::size_t pixels = hwc.size() / channels;
  std::vector<float> chw(channels * plane, -7.0f);
  for (std::size_t i = 0; i < pixels; ++i)
    for (std::size_t c = 0; c < channels; ++c) chw[c * plane + i] = hwc[i * channels + c];
  return chw;
}

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

std::string describe(const LrnParams& p, std::size_t channels, std::size_t pixels) {
  std::ostringstream s;
  s << "C=" << channels << " pixels=" << pixels << " before=" << p.before << " after=" << p.after
    << " bias=" << p.bias << " alpha=" << p.alpha << " beta=" << p.beta;
  return s.str();
}

const double kBetas[] = {0.5, 0.75, 1, 0.6, 1.7, 0, -0.6};

}  // namespace

TEST_CASE("kernel: run_planar gives run's bytes on every target", "[lrn][kernel][planar]") {
  // 150 pixels: whole groups of blocks (PlanarCore::Group, Rolling2 for radius 2) on every
  // target, and a tail.
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 2, 3, 4, 5, 6, 7, 8, 16, 96, 256);
  const std::size_t pixels = GENERATE(as<std::size_t>{}, 1, 7, 33, 61, 150);
  const int radius = GENERATE(0, 2, 5);
  const bool extreme = GENERATE(false, true);
  const std::vector<float> hwc = values(pixels * channels, extreme, unsigned(channels + pixels));
  for (double beta : kBetas) {
    for (double bias : {0.0, 1.0}) {
      const LrnParams p{radius, radius, bias, 1e-4, beta};
      for (Target t : lrn::supported_targets()) {
        INFO(lrn::target_name(t) << ' ' << describe(p, channels, pixels)
                                 << (extreme ? " extreme" : " ordinary"));
        const Kernel k(p, channels, t);
        std::vector<float> want(hwc.size());
        k.run(hwc.data(), want.data(), pixels);
        const std::vector<float> want_chw = to_planes(want, channels, pixels);
        const std::vector<float> in = to_planes(hwc, channels, pixels);

        std::vector<float> got(in.size(), -1.0f);
        k.run_planar(in.data(), pixels, got.data(), pixels, pixels);
        REQUIRE(same_bytes(got, want_chw));

        // Padded planes of different strides: values land where they belong, padding is
        // left alone.
        const std::vector<float> in_padded = to_planes(hwc, channels, pixels + 3);
        std::vector<float> out_padded(channels * (pixels + 5), -7.0f);
        k.run_planar(in_padded.data(), pixels + 3, out_padded.data(), pixels + 5, pixels);
        REQUIRE(same_bytes(out_padded, to_planes(want, channels, pixels + 5)));

        // In place.
        std::vector<float> inplace = in;
        k.run_planar(inplace.data(), pixels, inplace.data(), pixels, pixels);
        REQUIRE(same_bytes(inplace, want_chw));
      }
    }
  }
}

TEST_CASE("kernel: run_planar bytes do not depend on how the planes are split",
          "[lrn][kernel][planar]") {
  const std::size_t channels = GENERATE(as<std::size_t>{}, 1, 3, 4, 5, 16, 96);
  const double beta = GENERATE(0.75, 0.6, 1.0);
  const bool extreme = GENERATE(false, true);
  const std::size_t pixels = 45;
  const LrnParams p{2, 2, extreme ? 0.0 : 1.0, 1e-4, beta};
  const std::vector<float> hwc = values(pixels * channels, extreme, 77);
  const std::vector<float> in = to_planes(hwc, channels, pixels);
  for (Target t : lrn::supported_targets()) {
    const Kernel k(p, channels, t);
    std::vector<float> whole(in.size());
    k.run_planar(in.data(), pixels, whole.data(), pixels, pixels);
    for (std::size_t cut = 0; cut <= pixels; ++cut) {
      INFO(lrn::target_name(t) << ' ' << describe(p, channels, pixels) << " cut at " << cut);
      // Three calls, the middle one short; the planes keep their stride.
      const std::size_t cut2 = std::min(pixels, cut + 5);
      std::vector<float> parts(in.size(), -1.0f);
      k.run_planar(in.data(), pixels, parts.data(), pixels, cut);
      k.run_planar(in.data() + cut, pixels, parts.data() + cut, pixels, cut2 - cut);
      k.run_planar(in.data() + cut2, pixels, parts.data() + cut2, pixels, pixels - cut2);
      REQUIRE(same_bytes(parts, whole));
      std::vector<float> inplace = in;
      k.run_planar(inplace.data(), pixels, inplace.data(), pixels, cut);
      k.run_planar(inplace.data() + cut, pixels, inplace.data() + cut, pixels, pixels - cut);
      REQUIRE(same_bytes(inplace, whole));
    }
  }
}

TEST_CASE("kernel: run_planar with zero pixels does nothing", "[lrn][kernel][planar]") {
  const Kernel k(LrnParams{}, 3);
  float guard[3] = {1, 2, 3};
  k.run_planar(guard, 1, guard, 1, 0);
  CHECK(guard[0] == 1.0f);
  CHECK(guard[2] == 3.0f);
}
