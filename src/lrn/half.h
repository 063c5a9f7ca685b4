// IEEE 754 half precision (binary16, NumPy's float16) to and from float, bit-exact.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lrn {

/// Widens n halves to floats: exact (every half is a float), subnormals, infinities and NaN
/// (payload kept) included.
void f16_to_f32(const std::uint16_t* src, float* dst, std::size_t n);

/// Narrows n floats to halves, rounding to nearest, ties to even (as NumPy's astype does).
/// Finite values whose magnitude rounds above 65504 become +-inf; returns how many did.
/// NaN stays NaN (quiet), with the top payload bits kept.
std::size_t f32_to_f16(const float* src, std::uint16_t* dst, std::size_t n);

}  // namespace lrn
