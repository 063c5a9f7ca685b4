// Sample conversions (lrn/convert.h) on every target this CPU runs: bit-identical to the
// Scalar reference, which is itself checked against an oracle that cannot be contracted into
// an FMA (each float operation done exactly in double, then rounded once to float).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "lrn/convert.h"

namespace {

using lrn::Target;

// ---------------------------------------------------------------------------------------
// Oracles. A product of two floats (or of a float and a 16-bit integer) is exact in double,
// and float sums rounded through double are correctly rounded (53 >= 2 * 24 + 2), so these
// give the unfused float results whatever this file's -ffp-contract is.

float mul_f(float a, float b) { return static_cast<float>(double(a) * double(b)); }
float add_f(float a, float b) { return static_cast<float>(double(a) + double(b)); }

template <typename T>
float to_f32_oracle(T x, float scale) {
  return mul_f(static_cast<float>(x), scale);
}

template <typename T>
constexpr float full_of() {
  return static_cast<float>(std::numeric_limits<T>::max());
}

template <typename T>
T quantise_oracle(float v, float scale, float offset) {
  const float s = add_f(mul_f(v, scale), offset);
  if (!(s > 0)) return 0;
  return static_cast<T>(add_f(std::fmin(s, full_of<T>()), 0.5f));
}

/// What a fused multiply-add would give (to find inputs where fusing changes the output).
template <typename T>
T quantise_fused(float v, float scale, float offset) {
  const float s = std::fma(v, scale, offset);
  if (!(s > 0)) return 0;
  return static_cast<T>(add_f(std::fmin(s, full_of<T>()), 0.5f));
}

// ---------------------------------------------------------------------------------------
// Running every target.

void run(const std::uint8_t* s, float* d, std::size_t n, float scale, Target t) {
  lrn::u8_to_f32(s, d, n, scale, t);
}
void run(const std::uint16_t* s, float* d, std::size_t n, float scale, Target t) {
  lrn::u16_to_f32(s, d, n, scale, t);
}
void run(const float* s, std::uint8_t* d, std::size_t n, float scale, float offset, Target t) {
  lrn::f32_to_u8(s, d, n, scale, offset, t);
}
void run(const float* s, std::uint16_t* d, std::size_t n, float scale, float offset, Target t) {
  lrn::f32_to_u16(s, d, n, scale, offset, t);
}

template <typename T>
std::string hex_bits(T v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof v);
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(bits));
  return buf;
}

/// Index of the first sample whose bits differ, or n.
template <typename T>
std::size_t first_difference(const std::vector<T>& a, const std::vector<T>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(T)) != 0) return i;
  return a.size();
}

/// Integer samples -> floats on every target, against the oracle and the Scalar target.
template <typename T>
void check_to_f32(const std::vector<T>& src, float scale) {
  std::vector<float> want(src.size());
  for (std::size_t i = 0; i < src.size(); ++i) want[i] = to_f32_oracle(src[i], scale);
  for (Target t : lrn::supported_targets()) {
    std::vector<float> got(src.size(), -1.0f);
    run(src.data(), got.data(), src.size(), scale, t);
    const std::size_t i = first_difference(got, want);
    INFO("target " << lrn::target_name(t) << " scale " << hex_bits(scale) << " (" << scale << ")");
    if (i < src.size())
      FAIL_CHECK("sample " << i << " = " << +src[i] << ": got " << hex_bits(got[i]) << " want "
                           << hex_bits(want[i]));
  }
  std::vector<float> best(src.size(), -1.0f);
  if constexpr (sizeof(T) == 1) lrn::u8_to_f32(src.data(), best.data(), src.size(), scale);
  else lrn::u16_to_f32(src.data(), best.data(), src.size(), scale);
  CHECK(first_difference(best, want) == src.size());
}

/// Floats -> samples on every target, against the oracle and the Scalar target.
template <typename T>
void check_quantise(const std::vector<float>& src, float scale, float offset) {
  std::vector<T> want(src.size());
  for (std::size_t i = 0; i < src.size(); ++i) want[i] = quantise_oracle<T>(src[i], scale, offset);
  for (Target t : lrn::supported_targets()) {
    std::vector<T> got(src.size(), T(123));
    run(src.data(), got.data(), src.size(), scale, offset, t);
    const std::size_t i = first_difference(got, want);
    INFO("target " << lrn::target_name(t) << " scale " << scale << " offset " << offset);
    if (i < src.size())
      FAIL_CHECK("sample " << i << " = " << src[i] << " (" << hex_bits(src[i]) << "): got "
                           << +got[i] << " want " << +want[i]);
  }
  std::vector<T> best(src.size(), T(123));
  if constexpr (sizeof(T) == 1) lrn::f32_to_u8(src.data(), best.data(), src.size(), scale, offset);
  else lrn::f32_to_u16(src.data(), best.data(), src.size(), scale, offset);
  CHECK(first_difference(best, want) == src.size());
}

const float kInf = std::numeric_limits<float>::infinity();
const float kNaN = std::numeric_limits<float>::quiet_NaN();

std::vector<float> special_floats() {
  std::vector<float> v = {0.0f,
                          -0.0f,
                          kInf,
                          -kInf,
                          kNaN,
                          -kNaN,
                          std::numeric_limits<float>::signaling_NaN(),
                          std::numeric_limits<float>::denorm_min(),
                          -std::numeric_limits<float>::denorm_min(),
                          FLT_MIN,
                          -FLT_MIN,
                          FLT_MIN / 3,
                          -FLT_MIN / 3,
                          FLT_MAX,
                          -FLT_MAX,
                          FLT_EPSILON,
                          0.5f,
                          -0.5f,
                          1.0f,
                          -1.0f,
                          255.0f,
                          65535.0f,
                          1e10f,
                          -1e10f};
  v.push_back(std::nextafter(0.5f, 0.0f));  // +0.5f rounds up to 1 (ties to even)
  v.push_back(std::nextafter(0.5f, 1.0f));
  return v;
}

/// Inputs for quantising with (scale, offset): specials, every boundary k + 0.5 and integer
/// k of the output range with float neighbours, values around 0 and full, random values in
/// and around the range, and random bit patterns. Also appends to `fused_differs` the count
/// of inputs whose output an FMA would change.
template <typename T>
std::vector<float> quantise_inputs(float scale, float offset, unsigned seed,
                                   std::size_t* fused_differs) {
  std::vector<float> v = special_floats();
  const double full = full_of<T>();
  auto preimage = [&](double s) { return static_cast<float>((s - offset) / scale); };
  auto with_neighbours = [&](float x) {
    v.push_back(x);
    float up = x, down = x;
    for (int i = 0; i < 3; ++i) {
      up = std::nextafter(up, kInf);
      down = std::nextafter(down, -kInf);
      v.push_back(up);
      v.push_back(down);
    }
  };
  for (double k = -2; k <= full + 2; k += 1) {
    with_neighbours(preimage(k + 0.5));
    with_neighbours(preimage(k));
  }
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> in_range(-0.05 * full, 1.05 * full);
  for (int i = 0; i < 100000; ++i) v.push_back(preimage(in_range(rng)));
  std::uniform_int_distribution<std::uint32_t> bits;
  for (int i = 0; i < 20000; ++i) {
    const std::uint32_t b = bits(rng);
    float x;
    std::memcpy(&x, &b, sizeof x);
    v.push_back(x);
  }
  // Inputs where fusing v * scale + offset would change the sample: searched for among the
  // floats nearest the rounding boundaries k + 0.5, where one ulp of s can matter.
  std::uniform_real_distribution<double> k_of(0, full);
  std::size_t found = 0;
  for (int i = 0; i < 200000 && found < 200; ++i) {
    float x = preimage(std::floor(k_of(rng)) + 0.5);
    for (int j = 0; j < 3; ++j) x = std::nextafter(x, -kInf);
    for (int j = 0; j < 7; ++j, x = std::nextafter(x, kInf)) {
      if (quantise_fused<T>(x, scale, offset) != quantise_oracle<T>(x, scale, offset)) {
        v.push_back(x);
        ++found;
      }
    }
  }
  *fused_differs += found;
  return v;
}

struct Affine {
  float scale, offset;
};

/// (scale, offset) pairs as the pipeline makes them: to_sample with no offset, and rescales
/// full / (hi - lo), -lo * scale; plus a few odd ones.
template <typename T>
std::vector<Affine> affines() {
  const float full = full_of<T>();
  std::vector<Affine> a = {{1.0f, 0.0f},   {full, 0.0f},      {full / 255.0f, 0.0f},
                           {3.7f, -0.25f}, {-2.0f, full / 2}, {1e-3f, 0.4999f}};
  for (auto [lo, hi] : {std::pair{-3.7f, 812.2f}, std::pair{0.013f, 0.97f},
                        std::pair{-1e-4f, 2e-4f}, std::pair{120.5f, 65000.25f}}) {
    const float scale = full / (hi - lo);
    a.push_back({scale, -lo * scale});
  }
  return a;
}

template <typename T>
void check_quantise_all() {
  std::size_t fused_differs = 0;
  unsigned seed = 1;
  for (const Affine& a : affines<T>()) {
    const std::vector<float> in = quantise_inputs<T>(a.scale, a.offset, seed++, &fused_differs);
    check_quantise<T>(in, a.scale, a.offset);
  }
  // The inputs include some that an FMA would quantise differently, so a fused build fails.
  CHECK(fused_differs > 50);
}

}  // namespace

TEST_CASE("convert: u8 -> f32, every value, every target", "[convert]") {
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(i);
  for (float scale :
       {1.0f, 1.0f / 255, 255.0f / 65535, 3.7f, -2.5f, 0.0f, -0.0f, 1e-40f, 1e37f, kInf, kNaN})
    check_to_f32(all, scale);
}

TEST_CASE("convert: u16 -> f32, every value, every target", "[convert]") {
  std::vector<std::uint16_t> all(65536);
  for (int i = 0; i < 65536; ++i) all[i] = static_cast<std::uint16_t>(i);
  for (float scale : {1.0f, 1.0f / 65535, 255.0f / 65535, 1.0f / 255, 3.7f, -2.5f, 0.0f, 1e-40f,
                      1e35f, kInf, kNaN})
    check_to_f32(all, scale);
}

TEST_CASE("convert: f32 -> u8 matches the reference on every target", "[convert]") {
  check_quantise_all<std::uint8_t>();
}

TEST_CASE("convert: f32 -> u16 matches the reference on every target", "[convert]") {
  check_quantise_all<std::uint16_t>();
}

TEST_CASE("convert: quantising rounds half up, clamps, and maps NaN to 0", "[convert]") {
  const std::vector<float> in = {-1.0f,  -0.0f, 0.0f,    0.49f,  0.5f,
                                 1.5f,   2.5f,  254.49f, 254.5f, 255.0f,
                                 300.0f, kInf,  -kInf,   kNaN,   std::nextafter(0.5f, 0.0f),
                                 1e-45f};
  const std::vector<std::uint8_t> want = {0, 0, 0, 0, 1, 2, 3, 254, 255, 255, 255, 255, 0, 0, 1, 0};
  for (Target t : lrn::supported_targets()) {
    std::vector<std::uint8_t> got(in.size());
    lrn::f32_to_u8(in.data(), got.data(), in.size(), 1.0f, 0.0f, t);
    CHECK(got == want);
    std::vector<std::uint16_t> got16(in.size());
    lrn::f32_to_u16(in.data(), got16.data(), in.size(), 257.0f, 0.0f, t);
    CHECK(got16[9] == 65535);   // 255 * 257
    CHECK(got16[10] == 65535);  // clamped
    CHECK(got16[4] == 129);     // 128.5 + 0.5
  }
}

TEST_CASE("convert: every length and start, nothing written outside", "[convert]") {
  constexpr std::size_t kMax = 131, kGuard = 8;
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255), word(0, 65535);
  std::uniform_real_distribution<float> value(-20.0f, 300.0f);
  std::vector<std::uint8_t> u8(kMax + 4);
  std::vector<std::uint16_t> u16(kMax + 4);
  std::vector<float> f(kMax + 4);
  for (auto& x : u8) x = static_cast<std::uint8_t>(byte(rng));
  for (auto& x : u16) x = static_cast<std::uint16_t>(word(rng));
  for (auto& x : f) x = value(rng);
  f[5] = kNaN;
  f[17] = -kInf;

  for (Target t : lrn::supported_targets()) {
    INFO("target " << lrn::target_name(t));
    for (std::size_t start = 0; start < 4; ++start) {
      for (std::size_t n = 0; n <= kMax; ++n) {
        INFO("start " << start << " n " << n);
        // Outputs sit between guard samples at an odd offset, so stores are unaligned too.
        std::vector<float> fo(n + 2 * kGuard + 1, -7.0f);
        lrn::u8_to_f32(u8.data() + start, fo.data() + kGuard + 1, n, 0.5f, t);
        for (std::size_t i = 0; i < fo.size(); ++i) {
          const bool inside = i >= kGuard + 1 && i < kGuard + 1 + n;
          const float want = inside ? float(u8[start + i - kGuard - 1]) * 0.5f : -7.0f;
          if (fo[i] != want) FAIL_CHECK("u8_to_f32 at " << i);
        }
        std::fill(fo.begin(), fo.end(), -7.0f);
        lrn::u16_to_f32(u16.data() + start, fo.data() + kGuard + 1, n, 0.25f, t);
        for (std::size_t i = 0; i < fo.size(); ++i) {
          const bool inside = i >= kGuard + 1 && i < kGuard + 1 + n;
          const float want = inside ? float(u16[start + i - kGuard - 1]) * 0.25f : -7.0f;
          if (fo[i] != want) FAIL_CHECK("u16_to_f32 at " << i);
        }
        std::vector<std::uint8_t> bo(n + 2 * kGuard + 1, 0xA5);
        lrn::f32_to_u8(f.data() + start, bo.data() + kGuard + 1, n, 1.0f, 0.0f, t);
        for (std::size_t i = 0; i < bo.size(); ++i) {
          const bool inside = i >= kGuard + 1 && i < kGuard + 1 + n;
          const std::uint8_t want =
              inside ? quantise_oracle<std::uint8_t>(f[start + i - kGuard - 1], 1.0f, 0.0f) : 0xA5;
          if (bo[i] != want) FAIL_CHECK("f32_to_u8 at " << i);
        }
        std::vector<std::uint16_t> wo(n + 2 * kGuard + 1, 0xA5A5);
        lrn::f32_to_u16(f.data() + start, wo.data() + kGuard + 1, n, 200.0f, 3.0f, t);
        for (std::size_t i = 0; i < wo.size(); ++i) {
          const bool inside = i >= kGuard + 1 && i < kGuard + 1 + n;
          const std::uint16_t want =
              inside ? quantise_oracle<std::uint16_t>(f[start + i - kGuard - 1], 200.0f, 3.0f)
                     : 0xA5A5;
          if (wo[i] != want) FAIL_CHECK("f32_to_u16 at " << i);
        }
      }
    }
  }
}

TEST_CASE("convert: n = 0 touches nothing, unknown targets are refused", "[convert]") {
  for (Target t : lrn::supported_targets()) {
    lrn::u8_to_f32(nullptr, nullptr, 0, 1.0f, t);
    lrn::u16_to_f32(nullptr, nullptr, 0, 1.0f, t);
    lrn::f32_to_u8(nullptr, nullptr, 0, 1.0f, 0.0f, t);
    lrn::f32_to_u16(nullptr, nullptr, 0, 1.0f, 0.0f, t);
  }
  lrn::u8_to_f32(nullptr, nullptr, 0, 1.0f);
  lrn::f32_to_u8(nullptr, nullptr, 0, 1.0f, 0.0f);
  float f = 0;
  std::uint8_t b = 0;
  CHECK_THROWS_AS(lrn::u8_to_f32(&b, &f, 1, 1.0f, static_cast<Target>(99)), std::invalid_argument);
  CHECK_THROWS_AS(lrn::f32_to_u8(&f, &b, 1, 1.0f, 0.0f, static_cast<Target>(99)),
                  std::invalid_argument);
}
