// Half <-> float by bit manipulation: no F16C needed, and the same result on every CPU.
#include "lrn/half.h"

#include <cstring>

namespace lrn {

namespace {

float half_to_float(std::uint16_t h) {
  const std::uint32_t sign = static_cast<std::uint32_t>(h & 0x8000u) << 16;
  const std::uint32_t exp = (h >> 10) & 0x1Fu;
  std::uint32_t mant = h & 0x3FFu;
  std::uint32_t bits;
  if (exp == 0x1F) {
    bits = sign | 0x7F800000u | (mant << 13);  // inf, NaN
  } else if (exp != 0) {
    bits = sign | ((exp + 112) << 23) | (mant << 13);  // normal: rebias 15 -> 127
  } else if (mant == 0) {
    bits = sign;  // +-0
  } else {
    // Subnormal half: mant * 2^-24; normalise it into a float.
    std::uint32_t e = 113;  // exponent of 2^-14 in float's bias
    while (!(mant & 0x400u)) {
      mant <<= 1;
      --e;
    }
    bits = sign | (e << 23) | ((mant & 0x3FFu) << 13);
  }
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

std::uint16_t float_to_half(float f, bool* overflow) {
  std::uint32_t x;
  std::memcpy(&x, &f, 4);
  const std::uint16_t sign = static_cast<std::uint16_t>((x >> 16) & 0x8000u);
  const std::uint32_t abs = x & 0x7FFFFFFFu;
  if (abs >= 0x7F800000u) {  // inf or NaN
    if (abs == 0x7F800000u) return sign | 0x7C00u;
    return static_cast<std::uint16_t>(sign | 0x7E00u | ((abs >> 13) & 0x3FFu));
  }
  // 65520 = 65504 + half an ulp: from there on, round-to-nearest gives inf.
  if (abs >= 0x477FF000u) {
    *overflow = true;
    return sign | 0x7C00u;
  }
  if (abs < 0x38800000u) {  // below 2^-14: a half subnormal (or zero)
    // Value = abs_float; half subnormal unit is 2^-24. Shift the full mantissa accordingly.
    if (abs < 0x33000000u) return sign;  // below 2^-25: rounds to 0 (2^-25 itself ties to 0)
    const std::uint32_t e = abs >> 23;
    const std::uint32_t m = (abs & 0x7FFFFFu) | 0x800000u;
    const std::uint32_t shift = 126 - e;  // 14..24 for e in 102..112
    std::uint32_t q = m >> shift;
    const std::uint32_t rem = m & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rem > half || (rem == half && (q & 1))) ++q;
    return static_cast<std::uint16_t>(sign | q);
  }
  // Normal: drop 13 mantissa bits with round-to-nearest-even; a carry into the exponent is
  // the right answer (up to 65504 -> inf handled above).
  std::uint32_t h = ((abs - 0x38000000u) >> 13);
  const std::uint32_t rem = abs & 0x1FFFu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1))) ++h;
  return static_cast<std::uint16_t>(sign | h);
}

}  // namespace

void f16_to_f32(const std::uint16_t* src, float* dst, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = half_to_float(src[i]);
}

std::size_t f32_to_f16(const float* src, std::uint16_t* dst, std::size_t n) {
  std::size_t overflows = 0;
  for (std::size_t i = 0; i < n; ++i) {
    bool over = false;
    dst[i] = float_to_half(src[i], &over);
    overflows += over;
  }
  return overflows;
}

}  // namespace lrn
