// Sample conversions, compiled once per x86 target (SSE4, AVX2, AVX3) by foreach_target.h;
// convert.cpp picks one at run time and holds the scalar reference they all match bit for
// bit.
//
// Compiled with -ffp-contract=off (src/CMakeLists.txt): GCC writes Highway's Mul and Add as
// plain vector arithmetic, which it would otherwise fuse into an FMA on AVX2/AVX3.
#include "lrn/hwy_config.h"  // before any Highway header

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "lrn/convert_hwy.cpp"
#include <hwy/foreach_target.h>  // re-includes this file once per target

#include <hwy/highway.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

HWY_BEFORE_NAMESPACE();
namespace lrn {
namespace HWY_NAMESPACE {

#if HWY_TARGET & LRN_KERNEL_TARGETS  // not the never-dispatched baseline copy

namespace {  // kernel_hwy.cpp has its own helpers in this namespace

namespace hn = hwy::HWY_NAMESPACE;

// Lanes are floats: one float vector's worth of samples per step, the integer side being a
// fraction of a vector (Rebind).
using DF = hn::ScalableTag<float>;
using VF = hn::Vec<DF>;
using DI = hn::RebindToSigned<DF>;
using VI = hn::Vec<DI>;
constexpr std::size_t kMaxLanes = hn::MaxLanes(DF());

/// Runs op over [0, n): op.Four(src + i, dst + i) on 4N samples at a time, then op.One on
/// N at a time. A last partial step is the final N samples again, overlapping the previous
/// step: op is a pure per-sample map and src and dst do not overlap, so recomputed samples
/// get the same values. Fewer than N samples in all go through a zero-padded copy.
template <typename S, typename T, class Op>
HWY_INLINE void Drive(const S* src, T* dst, std::size_t n, const Op& op) {
  const std::size_t lanes = hn::Lanes(DF());
  if (n >= lanes) {
    std::size_t i = 0;
    for (; i + 4 * lanes <= n; i += 4 * lanes) op.Four(src + i, dst + i);
    for (; i + lanes <= n; i += lanes) op.One(src + i, dst + i);
    if (i < n) op.One(src + n - lanes, dst + n - lanes);
    return;
  }
  if (n == 0) return;
  S s[kMaxLanes] = {};
  T d[kMaxLanes];
  std::memcpy(s, src, n * sizeof(S));
  op.One(s, d);
  std::memcpy(dst, d, n * sizeof(T));
}

/// N integer samples -> N floats times scale. u8 and u16 are both exact in int32 and in float.
template <typename T>
struct ToFloat {
  VF scale;

  HWY_INLINE void One(const T* src, float* dst) const {
    const DF df;
    const hn::Rebind<T, DF> dt;
    const VF v = hn::ConvertTo(df, hn::PromoteTo(DI(), hn::LoadU(dt, src)));
    hn::StoreU(hn::Mul(v, scale), df, dst);
  }
  HWY_INLINE void Four(const T* src, float* dst) const {
    const std::size_t lanes = hn::Lanes(DF());
    for (std::size_t k = 0; k < 4; ++k) One(src + k * lanes, dst + k * lanes);
  }
};

/// ConvertTo without Highway's fix-up of out-of-range lanes (four more instructions per
/// vector): every lane of r here is in [0, 65536), where the truncating conversion is exact.
HWY_INLINE VI TruncateInRange(VF r) {
#if HWY_TARGET == HWY_AVX3
  return VI{_mm512_cvttps_epi32(r.raw)};
#elif HWY_TARGET == HWY_AVX2
  return VI{_mm256_cvttps_epi32(r.raw)};
#elif HWY_TARGET == HWY_SSE4
  return VI{_mm_cvttps_epi32(r.raw)};
#else
  return hn::ConvertTo(DI(), r);
#endif
}

/// N floats -> N quantised samples: see f32_to_u8 in lrn/convert.h.
template <typename T>
struct Quantise {
  VF scale, offset, full, half;

  /// The samples as int32 lanes in [0, full].
  HWY_INLINE VI Samples(const float* src) const {
    const DF df;
    const VF s = hn::Add(hn::Mul(hn::LoadU(df, src), scale), offset);  // never fused
    // Gt is false for NaN; the Min of a NaN is masked out, whatever it returns.
    const VF r = hn::IfThenElseZero(hn::Gt(s, hn::Zero(df)), hn::Add(hn::Min(s, full), half));
    // r is 0 or in [0.5, full + 0.5]: truncates into [0, full].
    return TruncateInRange(r);
  }

  HWY_INLINE void One(const float* src, T* dst) const {
    const hn::Rebind<T, DI> dt;
    hn::StoreU(hn::DemoteTo(dt, Samples(src)), dt, dst);
  }

  /// 4N samples, packed two vectors at a time: the low half of each lane, which holds the
  /// whole sample, by ConcatEven (fewer shuffles than four DemoteTo).
  HWY_INLINE void Four(const float* src, T* dst) const {
    const std::size_t lanes = hn::Lanes(DF());
    const hn::Repartition<std::uint16_t, DF> d16;  // 2N lanes
    const VI a = Samples(src), b = Samples(src + lanes);
    const VI c = Samples(src + 2 * lanes), d = Samples(src + 3 * lanes);
    const auto ab = hn::ConcatEven(d16, hn::BitCast(d16, b), hn::BitCast(d16, a));
    const auto cd = hn::ConcatEven(d16, hn::BitCast(d16, d), hn::BitCast(d16, c));
    if constexpr (sizeof(T) == 2) {
      hn::StoreU(ab, d16, dst);
      hn::StoreU(cd, d16, dst + 2 * lanes);
    } else {
      const hn::Repartition<std::uint8_t, DF> d8;  // 4N lanes
      hn::StoreU(hn::ConcatEven(d8, hn::BitCast(d8, cd), hn::BitCast(d8, ab)), d8, dst);
    }
  }
};

template <typename T>
HWY_INLINE void ToFloats(const T* src, float* dst, std::size_t n, float scale) {
  const DF df;
  Drive(src, dst, n, ToFloat<T>{hn::Set(df, scale)});
}

template <typename T>
HWY_INLINE void Quantised(const float* src, T* dst, std::size_t n, float scale, float offset) {
  const DF df;
  const float full = static_cast<float>(T(~T(0)));
  Drive(src, dst, n,
        Quantise<T>{hn::Set(df, scale), hn::Set(df, offset), hn::Set(df, full), hn::Set(df, 0.5f)});
}

}  // namespace

// This target's entry points, listed in convert.cpp.
void ConvertU8ToF32(const std::uint8_t* src, float* dst, std::size_t n, float scale) {
  ToFloats(src, dst, n, scale);
}
void ConvertU16ToF32(const std::uint16_t* src, float* dst, std::size_t n, float scale) {
  ToFloats(src, dst, n, scale);
}
void ConvertF32ToU8(const float* src, std::uint8_t* dst, std::size_t n, float scale, float offset) {
  Quantised(src, dst, n, scale, offset);
}
void ConvertF32ToU16(const float* src, std::uint16_t* dst, std::size_t n, float scale,
                     float offset) {
  Quantised(src, dst, n, scale, offset);
}

#endif  // HWY_TARGET & LRN_KERNEL_TARGETS

}  // namespace HWY_NAMESPACE
}  // namespace lrn
HWY_AFTER_NAMESPACE();
