// Sample conversions between the codecs' integer samples and the kernel's floats, SIMD and
// dispatched at run time like the kernel (same targets: lrn::Target, lrn/kernel.h).
//
// Every target gives bit-identical results to the plain C++ Scalar target: each output is
// one correctly rounded float multiply (and, quantising, one add: never fused into an FMA),
// then the same clamp and truncation. So output never depends on the CPU, the target chosen,
// or how a row is split into calls.
//
// n may be any count, 0 included (then the pointers are not used). src and dst must not
// overlap. No alignment is required.
#pragma once

#include <cstddef>
#include <cstdint>

#include "lrn/kernel.h"  // Target, supported_targets()

namespace lrn {

/// dst[i] = float(src[i]) * scale, for n samples.
void u8_to_f32(const std::uint8_t* src, float* dst, std::size_t n, float scale);
void u16_to_f32(const std::uint16_t* src, float* dst, std::size_t n, float scale);

/// Quantise n floats: s = v * scale + offset (a multiply, then an add, each rounded to float);
/// if !(s > 0) the sample is 0 (NaN included); else it is min(s, full) + 0.5f (rounded to
/// float) truncated to an integer, full being 255 for u8 and 65535 for u16. +inf gives full.
void f32_to_u8(const float* src, std::uint8_t* dst, std::size_t n, float scale, float offset);
void f32_to_u16(const float* src, std::uint16_t* dst, std::size_t n, float scale, float offset);

/// The same on an explicit target (for tests and benchmarks): t must be in
/// supported_targets(), else std::invalid_argument. The overloads above use the best one.
void u8_to_f32(const std::uint8_t* src, float* dst, std::size_t n, float scale, Target t);
void u16_to_f32(const std::uint16_t* src, float* dst, std::size_t n, float scale, Target t);
void f32_to_u8(const float* src, std::uint8_t* dst, std::size_t n, float scale, float offset,
               Target t);
void f32_to_u16(const float* src, std::uint16_t* dst, std::size_t n, float scale, float offset,
                Target t);

}  // namespace lrn
