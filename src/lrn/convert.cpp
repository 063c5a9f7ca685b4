// Sample conversions: the plain C++ reference (Target::Scalar) and the dispatch over the
// SIMD copies compiled in convert_hwy.cpp. The CPU is asked through supported_targets()
// (dispatch.cpp), once.
//
// Compiled with -ffp-contract=off (src/CMakeLists.txt): v * scale + offset must stay a
// multiply and an add on every target, or FMA-capable builds would round differently.
#include "lrn/hwy_config.h"  // before any Highway header: same HWY_TARGETS as convert_hwy.cpp

#include <hwy/detect_targets.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "lrn/convert.h"

// The entry points foreach_target compiled in convert_hwy.cpp (namespaces as Highway names
// them).
#define LRN_DECLARE_CONVERT(NS)                                                           \
  namespace lrn::NS {                                                                     \
  void ConvertU8ToF32(const std::uint8_t* src, float* dst, std::size_t n, float scale);   \
  void ConvertU16ToF32(const std::uint16_t* src, float* dst, std::size_t n, float scale); \
  void ConvertF32ToU8(const float* src, std::uint8_t* dst, std::size_t n, float scale,    \
                      float offset);                                                      \
  void ConvertF32ToU16(const float* src, std::uint16_t* dst, std::size_t n, float scale,  \
                       float offset);                                                     \
  }
#if HWY_TARGETS & HWY_AVX3
LRN_DECLARE_CONVERT(N_AVX3)
#endif
#if HWY_TARGETS & HWY_AVX2
LRN_DECLARE_CONVERT(N_AVX2)
#endif
#if HWY_TARGETS & HWY_SSE4
LRN_DECLARE_CONVERT(N_SSE4)
#endif
#undef LRN_DECLARE_CONVERT

namespace lrn {

namespace {

// ---------------------------------------------------------------------------------------
// The reference, one sample at a time (what src/pipeline/pipeline.cpp did inline).

template <typename T>
void int_to_f32(const T* src, float* dst, std::size_t n, float scale) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]) * scale;
}

template <typename T>
void f32_to_int(const float* src, T* dst, std::size_t n, float scale, float offset) {
  const float full = static_cast<float>(T(~T(0)));  // 255 or 65535, both exact floats
  for (std::size_t i = 0; i < n; ++i) {
    const float s = src[i] * scale + offset;  // not fused: -ffp-contract=off
    // In [0.5, full + 0.5] when positive, so the truncating conversion is defined.
    dst[i] = !(s > 0) ? T(0) : static_cast<T>(s < full ? s + 0.5f : full + 0.5f);
  }
}

void u8_to_f32_scalar(const std::uint8_t* src, float* dst, std::size_t n, float scale) {
  int_to_f32(src, dst, n, scale);
}
void u16_to_f32_scalar(const std::uint16_t* src, float* dst, std::size_t n, float scale) {
  int_to_f32(src, dst, n, scale);
}
void f32_to_u8_scalar(const float* src, std::uint8_t* dst, std::size_t n, float scale,
                      float offset) {
  f32_to_int(src, dst, n, scale, offset);
}
void f32_to_u16_scalar(const float* src, std::uint16_t* dst, std::size_t n, float scale,
                       float offset) {
  f32_to_int(src, dst, n, scale, offset);
}

// ---------------------------------------------------------------------------------------
// Dispatch.

struct Fns {
  void (*u8_to_f32)(const std::uint8_t*, float*, std::size_t, float);
  void (*u16_to_f32)(const std::uint16_t*, float*, std::size_t, float);
  void (*f32_to_u8)(const float*, std::uint8_t*, std::size_t, float, float);
  void (*f32_to_u16)(const float*, std::uint16_t*, std::size_t, float, float);
};

struct Entry {
  Target target;
  Fns fns;
};

#define LRN_CONVERT_FNS(NS) \
  Fns { &NS::ConvertU8ToF32, &NS::ConvertU16ToF32, &NS::ConvertF32ToU8, &NS::ConvertF32ToU16 }

// Best first, like dispatch.cpp's table.
constexpr Entry kCompiled[] = {
#if HWY_TARGETS & HWY_AVX3
    {Target::AVX3, LRN_CONVERT_FNS(N_AVX3)},
#endif
#if HWY_TARGETS & HWY_AVX2
    {Target::AVX2, LRN_CONVERT_FNS(N_AVX2)},
#endif
#if HWY_TARGETS & HWY_SSE4
    {Target::SSE4, LRN_CONVERT_FNS(N_SSE4)},
#endif
    {Target::Scalar,
     Fns{&u8_to_f32_scalar, &u16_to_f32_scalar, &f32_to_u8_scalar, &f32_to_u16_scalar}},
};
#undef LRN_CONVERT_FNS

/// t's functions; t must be compiled in (every supported target is).
const Fns& compiled_fns(Target t) {
  for (const Entry& e : kCompiled)
    if (e.target == t) return e.fns;
  return kCompiled[std::size(kCompiled) - 1].fns;  // unreachable for supported targets
}

/// The best supported target's functions, chosen on first use.
const Fns& best() {
  static const Fns& fns = compiled_fns(supported_targets().front());
  return fns;
}

const Fns& checked(Target t) {
  const std::vector<Target> ok = supported_targets();
  if (std::find(ok.begin(), ok.end(), t) == ok.end())
    throw std::invalid_argument(std::string("lrn convert: target not supported here: ") +
                                target_name(t));
  return compiled_fns(t);
}

}  // namespace

void u8_to_f32(const std::uint8_t* src, float* dst, std::size_t n, float scale) {
  best().u8_to_f32(src, dst, n, scale);
}
void u16_to_f32(const std::uint16_t* src, float* dst, std::size_t n, float scale) {
  best().u16_to_f32(src, dst, n, scale);
}
void f32_to_u8(const float* src, std::uint8_t* dst, std::size_t n, float scale, float offset) {
  best().f32_to_u8(src, dst, n, scale, offset);
}
void f32_to_u16(const float* src, std::uint16_t* dst, std::size_t n, float scale, float offset) {
  best().f32_to_u16(src, dst, n, scale, offset);
}

void u8_to_f32(const std::uint8_t* src, float* dst, std::size_t n, float scale, Target t) {
  checked(t).u8_to_f32(src, dst, n, scale);
}
void u16_to_f32(const std::uint16_t* src, float* dst, std::size_t n, float scale, Target t) {
  checked(t).u16_to_f32(src, dst, n, scale);
}
void f32_to_u8(const float* src, std::uint8_t* dst, std::size_t n, float scale, float offset,
               Target t) {
  checked(t).f32_to_u8(src, dst, n, scale, offset);
}
void f32_to_u16(const float* src, std::uint16_t* dst, std::size_t n, float scale, float offset,
                Target t) {
  checked(t).f32_to_u16(src, dst, n, scale, offset);
}

}  // namespace lrn
