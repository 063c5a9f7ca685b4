// float16 <-> float32: every half widens exactly and narrows back to itself; rounding to
// nearest even, overflow and subnormals as IEEE 754 (and NumPy's astype) say.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include "lrn/half.h"

namespace {

std::uint16_t to_half(float f, std::size_t* overflows = nullptr) {
  std::uint16_t h;
  const std::size_t o = lrn::f32_to_f16(&f, &h, 1);
  if (overflows) *overflows = o;
  return h;
}

float to_float(std::uint16_t h) {
  float f;
  lrn::f16_to_f32(&h, &f, 1);
  return f;
}

}  // namespace

TEST_CASE("every float16 widens exactly and narrows back to itself", "[half]") {
  for (std::uint32_t h = 0; h <= 0xFFFF; ++h) {
    const float f = to_float(static_cast<std::uint16_t>(h));
    const bool nan = (h & 0x7C00) == 0x7C00 && (h & 0x3FF) != 0;
    if (nan) {
      REQUIRE(std::isnan(f));
      continue;
    }
    // The value, from the definition: (-1)^s * 2^(e-15) * (1 + m/1024), subnormal 2^-14 * m/1024.
    const int e = (h >> 10) & 0x1F, m = h & 0x3FF;
    double want = e == 0x1F ? std::numeric_limits<double>::infinity()
                  : e == 0  ? std::ldexp(m, -24)
                            : std::ldexp(1024 + m, e - 25);
    if (h & 0x8000) want = -want;
    REQUIRE(double(f) == want);
    REQUIRE(to_half(f) == h);
  }
}

TEST_CASE("float32 narrows to nearest, ties to even, overflow to inf", "[half]") {
  CHECK(to_half(1.0f) == 0x3C00);
  CHECK(to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);      // tie: down to even
  CHECK(to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3C02);  // tie: up to even
  CHECK(to_half(1.0f + std::ldexp(1.0f, -11) + std::ldexp(1.0f, -20)) == 0x3C01);
  std::size_t over = 0;
  CHECK(to_half(65504.0f, &over) == 0x7BFF);
  CHECK(over == 0);
  CHECK(to_half(65519.99f, &over) == 0x7BFF);
  CHECK(to_half(65520.0f, &over) == 0x7C00);
  CHECK(over == 1);
  CHECK(to_half(-1e10f, &over) == 0xFC00);
  CHECK(over == 1);
  CHECK(to_half(std::numeric_limits<float>::infinity(), &over) == 0x7C00);
  CHECK(over == 0);                                 // already inf: not an overflow
  CHECK(to_half(std::ldexp(1.0f, -24)) == 0x0001);  // smallest subnormal
  CHECK(to_half(std::ldexp(1.0f, -25)) == 0x0000);  // tie with 0: to even
  CHECK(to_half(std::ldexp(1.5f, -25)) == 0x0001);
  CHECK(to_half(std::ldexp(3.0f, -25)) == 0x0002);  // 1.5 units: tie, up to even
  CHECK(to_half(-0.0f) == 0x8000);
  CHECK(std::isnan(to_float(to_half(std::numeric_limits<float>::quiet_NaN()))));
}
