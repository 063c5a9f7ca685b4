// The SIMD LRN kernel, compiled once per x86 target (SSE4, AVX2, AVX3) by foreach_target.h;
// dispatch.cpp picks one at run time.
//
// The build compiles this file through kernel_hwy_{avx3,avx2,sse4}.cpp, each defining
// LRN_KERNEL_TU to one target, so that the three copies are three translation units that
// build in parallel (each copy instantiates every channel count and power; under ASan+UBSan
// one copy takes minutes). Compiled directly, it builds all of LRN_KERNEL_TARGETS.
//
// Lanes are pixels: a block of N pixels (N = float lanes) is split into one vector per
// channel, so every lane runs the same instructions and a pixel's result cannot depend on
// which lane it landed in. Channel counts 1-4 deinterleave with LoadInterleaved{2,3,4}; other
// counts transpose the block through planar scratch with scalar moves (any C works). Except
// interleaved pixels with C >= N and narrow windows (ChannelLanes): there the lanes are a
// pixel's channels, with the same operations per value, and nothing is transposed (the
// transposes cost as much as the powers at C = 96). The window is just (lo, hi) per channel,
// so asymmetric windows cost the same as symmetric ones.
#include "lrn/hwy_config.h"  // before any Highway header

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "lrn/kernel_hwy.cpp"
#include <hwy/foreach_target.h>  // re-includes this file once per target

#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include "lrn/pow_hwy-inl.h"  // per target, like Highway's own -inl headers

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>
#include <vector>

#include "lrn/plan.h"

HWY_BEFORE_NAMESPACE();
namespace lrn {
namespace HWY_NAMESPACE {

#ifndef LRN_KERNEL_TU
#define LRN_KERNEL_TU LRN_KERNEL_TARGETS
#endif

// Not the never-dispatched baseline copy, and only this translation unit's target.
#if HWY_TARGET & LRN_KERNEL_TARGETS & LRN_KERNEL_TU

// hn, DF, VF, the Pow structs: lrn/pow_hwy-inl.h.
constexpr std::size_t kMaxLanes = hn::MaxLanes(DF());

// ---------------------------------------------------------------------------------------
// Moving a block of N interleaved pixels to and from one vector per channel.

template <std::size_t C>
HWY_INLINE void LoadChannels(const float* p, VF* v) {
  const DF df;
  if constexpr (C == 1) {
    v[0] = hn::LoadU(df, p);
  } else if constexpr (C == 2) {
    hn::LoadInterleaved2(df, p, v[0], v[1]);
  } else if constexpr (C == 3) {
    hn::LoadInterleaved3(df, p, v[0], v[1], v[2]);
  } else {
    static_assert(C == 4, "1-4 channels only");
    hn::LoadInterleaved4(df, p, v[0], v[1], v[2], v[3]);
  }
}

template <std::size_t C>
HWY_INLINE void StoreChannels(const VF* v, float* p) {
  const DF df;
  if constexpr (C == 1) {
    hn::StoreU(v[0], df, p);
  } else if constexpr (C == 2) {
    hn::StoreInterleaved2(v[0], v[1], df, p);
  } else if constexpr (C == 3) {
    hn::StoreInterleaved3(v[0], v[1], v[2], df, p);
  } else {
    static_assert(C == 4, "1-4 channels only");
    hn::StoreInterleaved4(v[0], v[1], v[2], v[3], df, p);
  }
}

/// Interleaved block -> planes[c * N + lane]. kC is the channel count, or 0 for any (then c).
template <std::size_t kC>
HWY_INLINE void ToPlanes(const float* in, std::size_t c, float* planes) {
  const DF df;
  const std::size_t n = hn::Lanes(df);
  if constexpr (kC != 0) {
    VF v[kC];
    LoadChannels<kC>(in, v);
    for (std::size_t ch = 0; ch < kC; ++ch) hn::StoreU(v[ch], df, planes + ch * n);
  } else {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t ch = 0; ch < c; ++ch) planes[ch * n + i] = in[i * c + ch];
  }
}

/// The reverse of ToPlanes.
template <std::size_t kC>
HWY_INLINE void FromPlanes(const float* planes, std::size_t c, float* out) {
  const DF df;
  const std::size_t n = hn::Lanes(df);
  if constexpr (kC != 0) {
    VF v[kC];
    for (std::size_t ch = 0; ch < kC; ++ch) v[ch] = hn::LoadU(df, planes + ch * n);
    StoreChannels<kC>(v, out);
  } else {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t ch = 0; ch < c; ++ch) out[i * c + ch] = planes[ch * n + i];
  }
}

// ---------------------------------------------------------------------------------------
// Blocks: each processes exactly N pixels; in == out is allowed.

/// Every window covers all C <= 4 channels: one sum and one pow per pixel, all in registers.
template <std::size_t C, class Pow>
struct FullCoverBlock {
  Consts k;

  HWY_INLINE void operator()(const float* in, float* out) const {
    const DF df;
    VF x[C], y[C];
    LoadChannels<C>(in, x);
    VF s = hn::Mul(x[0], x[0]);
    for (std::size_t c = 1; c < C; ++c) s = hn::Add(s, hn::Mul(x[c], x[c]));
    MF ok;
    const typename Pow::Factor f = Pow::Make(k, s, ok);
    for (std::size_t c = 0; c < C; ++c) y[c] = Pow::Apply(x[c], f);
    if (HWY_UNLIKELY(!hn::AllTrue(df, ok))) {
      // Through memory, so that x and y stay in registers on the usual path.
      const std::size_t n = hn::Lanes(df);
      HWY_ALIGN float xy[2 * C * kMaxLanes];
      for (std::size_t c = 0; c < C; ++c) {
        hn::Store(x[c], df, xy + c * n);
        hn::Store(y[c], df, xy + (C + c) * n);
      }
      Fix(ok, xy);
      for (std::size_t c = 0; c < C; ++c) y[c] = hn::Load(df, xy + (C + c) * n);
    }
    StoreChannels<C>(y, out);
  }

  /// Lanes the fast path cannot be trusted for get x where x is 0 (y is then 0 of x's
  /// sign, as x * factor would give), the exact path elsewhere. xy: the C vectors of x, then
  /// the C vectors of y, which are updated.
  HWY_NOINLINE void Fix(MF ok, float* xy) const {
    const DF df;
    const std::size_t n = hn::Lanes(df);
    ExactSum e;
    bool have = false;
    for (std::size_t c = 0; c < C; ++c) {
      const VF xc = hn::Load(df, xy + c * n);
      float* yc = xy + (C + c) * n;
      hn::Store(hn::IfThenElse(ok, hn::Load(df, yc), xc), df, yc);  // right where x is 0
      const MF good = hn::Or(ok, hn::Eq(xc, hn::Zero(df)));
      if (hn::AllTrue(df, good)) continue;
      if (!have) {
        e.Clear();
        for (std::size_t i = 0; i < C; ++i) e.Add(hn::Load(df, xy + i * n));
        e.Finish(k);
        have = true;
      }
      hn::Store(hn::IfThenElse(good, hn::Load(df, yc), MulInDouble(xc, e.s)), df, yc);
    }
  }
};

#if HWY_TARGET == HWY_AVX3
/// FullCoverBlock<3> on AVX-512 without Highway's generic (de)interleave: the three
/// channels are gathered from the block's three vectors with two two-table permutes each,
/// and the pixels' factors are spread back to the interleaved positions with one permute per
/// vector, so x * f (or x / f) is computed and stored where x lies. Same operations on every
/// value as FullCoverBlock (x * x, the squares added in channel order, one Make per pixel,
/// Apply per value), so the same bits, with 9 permutes a block instead of ~25 shuffles. A
/// block with an untrusted lane goes through FullCoverBlock whole (nothing is stored before).
template <class Pow>
struct FullCover3Avx3 {
  Consts k;

  HWY_INLINE void operator()(const float* in, float* out) const {
    const DF df;
    alignas(64) static constexpr int32_t kFirst[3][16] = {
        {0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 0, 0, 0, 0, 0},
        {1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 0, 0, 0, 0, 0},
        {2, 5, 8, 11, 14, 17, 20, 23, 26, 29, 0, 0, 0, 0, 0, 0}};
    alignas(64) static constexpr int32_t kSecond[3][16] = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17, 20, 23, 26, 29},
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 18, 21, 24, 27, 30},
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 19, 22, 25, 28, 31}};
    alignas(64) static constexpr int32_t kSpread[3][16] = {
        {0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5},
        {5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9, 10, 10},
        {10, 11, 11, 11, 12, 12, 12, 13, 13, 13, 14, 14, 14, 15, 15, 15}};
    const VF v[3] = {hn::LoadU(df, in), hn::LoadU(df, in + 16), hn::LoadU(df, in + 32)};
    VF x[3];
    for (std::size_t c = 0; c < 3; ++c) {
      const __m512 t = _mm512_permutex2var_ps(v[0].raw, _mm512_load_si512(kFirst[c]), v[1].raw);
      x[c] = VF{_mm512_permutex2var_ps(t, _mm512_load_si512(kSecond[c]), v[2].raw)};
    }
    VF s = hn::Mul(x[0], x[0]);
    for (std::size_t c = 1; c < 3; ++c) s = hn::Add(s, hn::Mul(x[c], x[c]));
    MF ok;
    const typename Pow::Factor f = Pow::Make(k, s, ok);
    if (HWY_UNLIKELY(!hn::AllTrue(df, ok))) return FullCoverBlock<3, Pow>{k}(in, out);
    for (std::size_t j = 0; j < 3; ++j) {
      const VF fj{_mm512_permutexvar_ps(_mm512_load_si512(kSpread[j]), f.raw)};
      hn::StoreU(Pow::Apply(v[j], fj), df, out + 16 * j);
    }
  }
};

/// Pow's factor is one float vector (the named betas).
template <class Pow>
constexpr bool kVectorFactor = std::is_same_v<typename Pow::Factor, VF>;
#endif

/// Any windows, any channel count (kC = 0: plan.channels), on N pixels held as planes: x
/// value of channel c, lane i at x[c * xs + i], y written likewise with stride ys (y must not
/// overlap x). A pow per distinct window. Each window is summed directly, its squares added
/// from lo to hi (O(window) adds per channel) rather than as a difference of running sums,
/// which could cancel catastrophically when a small window sits next to large values. Used by
/// the interleaved kernel (on a transposed copy, PlanarBlock) and the planar one (on the
/// caller's planes, RunPlanarForm): the same operations in the same order as FullCoverBlock,
/// ChannelLanes and the Scalar target, so all give the same bits.
///
/// With more than 4 channels, two passes over the channels: the first squares every x once
/// into sq (C * N * G floats), the second sums the windows from sq. Squaring once saves a load
/// and a multiply per window term, and the first pass issues the loads of all C planes back
/// to back, so their cache misses overlap instead of waiting behind the powers of the
/// second pass (the planes are H * W floats apart). On AVX-512, radius-2 windows keep the
/// squares in registers instead (Rolling2).
template <std::size_t kC, class Pow>
struct PlanarCore {
  /// The planes are many streams, more than the hardware prefetcher follows: the loads of a
  /// group ask for the same place kAheadGroups groups ahead. A hint only, so the address may
  /// lie past the plane (the next plane, or past the buffer: it is computed as an integer,
  /// never as an out-of-range pointer, and a prefetch never faults).
  static constexpr std::size_t kAheadGroups = 2;
  static HWY_INLINE void PrefetchAhead(const float* p, std::size_t floats) {
    hwy::Prefetch(reinterpret_cast<const float*>(reinterpret_cast<std::uintptr_t>(p) +
                                                 floats * sizeof(float)));
  }
  Consts k;
  const detail::Plan* plan;
  float* sq;  ///< C * N * G floats of scratch for a group of G blocks

  HWY_INLINE VF WindowSum(const detail::Window& w, const float* x, std::size_t xs) const {
    const DF df;
    VF v = hn::LoadU(df, x + static_cast<std::size_t>(w.lo) * xs);
    VF s = hn::Mul(v, v);
    for (std::size_t c = static_cast<std::size_t>(w.lo) + 1; c <= static_cast<std::size_t>(w.hi);
         ++c) {
      v = hn::LoadU(df, x + c * xs);
      s = hn::Add(s, hn::Mul(v, v));
    }
    return s;
  }

  /// N pixels.
  HWY_INLINE void operator()(const float* x, std::size_t xs, float* y, std::size_t ys) const {
    Group<1>(x, xs, y, ys);
  }

  /// N pixels, each window summed from x (WindowSum).
  HWY_INLINE void Direct(const float* x, std::size_t xs, float* y, std::size_t ys) const {
    const DF df;
    const std::size_t channels = kC != 0 ? kC : plan->channels;
    MF ok;
    typename Pow::Factor f = Pow::Make(k, WindowSum(plan->windows[0], x, xs), ok);
    MF all_ok = ok;
    for (std::size_t c = 0; c < channels; ++c) {
      const detail::Window& w = plan->windows[c];
      if (c > 0 && !w.same_as_prev) {
        f = Pow::Make(k, WindowSum(w, x, xs), ok);
        all_ok = hn::And(all_ok, ok);
      }
      hn::StoreU(Pow::Apply(hn::LoadU(df, x + c * xs), f), df, y + c * ys);
    }
    if (HWY_UNLIKELY(!hn::AllTrue(df, all_ok))) Fix(x, xs, y, ys);
  }

  /// G blocks of N pixels side by side (x + j * N, y + j * N): each plane is read G * N
  /// floats at a time, whole cache lines in a row, and the G factors of a channel are made
  /// in one basic block (MakeMany), so their dependency chains overlap.
  template <std::size_t G>
  HWY_INLINE void Group(const float* x, std::size_t xs, float* y, std::size_t ys) const {
    const DF df;
    const std::size_t n = hn::Lanes(df);
    if constexpr (kC != 0 && kC <= 4) {
      // A few channels: the windows straight from x, in registers; the squares pass and the
      // side-by-side factors only pay off with many channels.
      for (std::size_t j = 0; j < G; ++j) Direct(x + j * n, xs, y + j * n, ys);
      return;
    }
    const std::size_t channels = kC != 0 ? kC : plan->channels;
#if HWY_TARGET == HWY_AVX3
    // Only with AVX-512's 32 registers: G * 5 rolling squares spill on AVX2 and SSE4's 16
    // (measured there: 1.3-1.5x slower than the squares pass).
    if constexpr (kC == 0) {
      if (plan->reach_before == 2 && plan->reach_after == 2 && channels >= 5)
        return Rolling2<G>(x, xs, y, ys);
    }
#endif
    for (std::size_t c = 0; c < channels; ++c) {
      for (std::size_t j = 0; j < G; ++j) {
        PrefetchAhead(x + c * xs + j * n, kAheadGroups * G * n);
        const VF v = hn::LoadU(df, x + c * xs + j * n);
        hn::StoreU(hn::Mul(v, v), df, sq + (c * G + j) * n);
      }
    }
    MF ok[G], all_ok[G];
    typename Pow::Factor f[G];
    for (std::size_t c = 0; c < channels; ++c) {
      const detail::Window& w = plan->windows[c];
      if (c == 0 || !w.same_as_prev) {
        VF s[G];
        for (std::size_t j = 0; j < G; ++j) s[j] = hn::LoadU(df, sq + (w.lo * G + j) * n);
        for (int i = w.lo + 1; i <= w.hi; ++i)
          for (std::size_t j = 0; j < G; ++j)
            s[j] = hn::Add(s[j], hn::LoadU(df, sq + (i * G + j) * n));
        MakeMany<Pow, G>::Run(k, s, ok, f);
        for (std::size_t j = 0; j < G; ++j) all_ok[j] = c == 0 ? ok[j] : hn::And(all_ok[j], ok[j]);
      }
      for (std::size_t j = 0; j < G; ++j)
        hn::StoreU(Pow::Apply(hn::LoadU(df, x + c * xs + j * n), f[j]), df, y + c * ys + j * n);
    }
    for (std::size_t j = 0; j < G; ++j)
      if (HWY_UNLIKELY(!hn::AllTrue(df, all_ok[j]))) Fix(x + j * n, xs, y + j * n, ys);
  }

  /// Group (AVX-512) for windows of radius 2 (size 5, the usual LRN) over 5 or more
  /// channels: the squares of channels c - 2 .. c + 2 stay in registers and roll along c, so
  /// no squares pass goes through memory. Each window is summed from its first channel to its
  /// last as in WindowSum; a clipped window's missing channels are +0, added first (0 + 0 + s
  /// is s) or last (s + 0 is s), so the sums have the same bits. Every window differs
  /// (C >= 5), so there is one Make per channel.
  template <std::size_t G>
  HWY_INLINE void Rolling2(const float* x, std::size_t xs, float* y, std::size_t ys) const {
    const DF df;
    const std::size_t n = hn::Lanes(df);
    const std::size_t channels = plan->channels;
    auto square = [&](std::size_t c, std::size_t j) {
      PrefetchAhead(x + c * xs + j * n, kAheadGroups * G * n);
      const VF v = hn::LoadU(df, x + c * xs + j * n);
      return hn::Mul(v, v);
    };
    VF q0[G], q1[G], q2[G], q3[G], q4[G];
    MF ok[G], all_ok[G];
    for (std::size_t j = 0; j < G; ++j) {
      q0[j] = q1[j] = hn::Zero(df);
      q2[j] = square(0, j);
      q3[j] = square(1, j);
      q4[j] = square(2, j);
      all_ok[j] = hn::FirstN(df, n);
    }
    for (std::size_t c = 0; c < channels; ++c) {
      VF s[G];
      typename Pow::Factor f[G];
      for (std::size_t j = 0; j < G; ++j)
        s[j] = hn::Add(hn::Add(hn::Add(hn::Add(q0[j], q1[j]), q2[j]), q3[j]), q4[j]);
      MakeMany<Pow, G>::Run(k, s, ok, f);
      for (std::size_t j = 0; j < G; ++j) {
        all_ok[j] = hn::And(all_ok[j], ok[j]);
        hn::StoreU(Pow::Apply(hn::LoadU(df, x + c * xs + j * n), f[j]), df, y + c * ys + j * n);
        q0[j] = q1[j];
        q1[j] = q2[j];
        q2[j] = q3[j];
        q3[j] = q4[j];
        q4[j] = c + 3 < channels ? square(c + 3, j) : hn::Zero(df);
      }
    }
    for (std::size_t j = 0; j < G; ++j)
      if (HWY_UNLIKELY(!hn::AllTrue(df, all_ok[j]))) Fix(x + j * n, xs, y + j * n, ys);
  }

  /// Lanes the fast path cannot be trusted for get x where x is 0 (y is then 0 of x's
  /// sign, as x * factor would give), the exact path elsewhere.
  HWY_NOINLINE void Fix(const float* x, std::size_t xs, float* y, std::size_t ys) const {
    const DF df;
    const std::size_t channels = kC != 0 ? kC : plan->channels;
    MF ok;
    ExactSum e;
    bool have = false;
    for (std::size_t c = 0; c < channels; ++c) {
      const detail::Window& w = plan->windows[c];
      if (c == 0 || !w.same_as_prev) {
        (void)Pow::Make(k, WindowSum(w, x, xs), ok);
        have = false;
      }
      const VF xc = hn::LoadU(df, x + c * xs);
      float* yc = y + c * ys;
      hn::StoreU(hn::IfThenElse(ok, hn::LoadU(df, yc), xc), df, yc);  // right where x is 0
      const MF good = hn::Or(ok, hn::Eq(xc, hn::Zero(df)));
      if (hn::AllTrue(df, good)) continue;
      if (!have) {
        e.Clear();
        for (int i = w.lo; i <= w.hi; ++i)
          e.Add(hn::LoadU(df, x + static_cast<std::size_t>(i) * xs));
        e.Finish(k);
        have = true;
      }
      hn::StoreU(hn::IfThenElse(good, hn::LoadU(df, yc), MulInDouble(xc, e.s)), df, yc);
    }
  }
};

/// N interleaved pixels through PlanarCore, via planar scratch x and y of C * N floats each.
template <std::size_t kC, class Pow>
struct PlanarBlock {
  PlanarCore<kC, Pow> core;
  float* x;
  float* y;

  HWY_INLINE void operator()(const float* in, float* out) const {
    const std::size_t n = hn::Lanes(DF());
    const std::size_t channels = kC != 0 ? kC : core.plan->channels;
    ToPlanes<kC>(in, channels, x);
    core(x, n, y, n);
    FromPlanes<kC>(y, channels, out);
  }
};

/// Runs block over every N pixels. The last pixels go through the same block on a
/// zero-padded copy in tail (C * N floats), so no pixel's result depends on where a caller
/// split the buffer into run() calls.
template <class Block>
HWY_INLINE void Drive(const Block& block, std::size_t channels, const float* in, float* out,
                      std::size_t pixels, float* tail) {
  const std::size_t n = hn::Lanes(DF());
  const std::size_t whole = pixels - pixels % n;
  for (std::size_t i = 0; i < whole; i += n) block(in + i * channels, out + i * channels);
  if (whole == pixels) return;
  const std::size_t count = (pixels - whole) * channels;
  std::memcpy(tail, in + whole * channels, count * sizeof(float));
  std::fill(tail + count, tail + n * channels, 0.0f);
  block(tail, tail);
  std::memcpy(out + whole * channels, tail, count * sizeof(float));
}

template <std::size_t kC, class Pow>
HWY_INLINE void RunPlanar(const Consts& k, const detail::Plan& plan, const float* in, float* out,
                          std::size_t pixels, float* scratch) {
  const std::size_t block_floats = plan.channels * hn::Lanes(DF());
  const PlanarBlock<kC, Pow> block{
      {k, &plan, scratch + 3 * block_floats}, scratch, scratch + block_floats};
  Drive(block, plan.channels, in, out, pixels, scratch + 2 * block_floats);
}

/// p rounded up to a multiple of 64 bytes (p must have 15 floats to spare).
inline float* AlignedLine(float* p) {
  const auto bits = reinterpret_cast<std::uintptr_t>(p);
  return p + ((64 - bits % 64) % 64) / sizeof(float);
}

/// The widest reach (Plan::reach_before/after) ChannelLanes takes; wider windows go through
/// PlanarBlock.
constexpr int kMaxReach = 16;

/// Many channels, narrow windows, interleaved (HWC): lanes are a pixel's channels, read where
/// they lie, so nothing is transposed. The squares of a pixel go to a buffer with kMaxReach
/// zeros either side, and window c sums sq[c - before .. c + after] in that order: the zeros
/// the clipped window leaves out are added first (to +0, giving +0) or last (s + 0 is s), so
/// the sum has the same bits as PlanarCore's and the Scalar target's over the clipped window.
/// The squares are written kAhead pixels before their windows read them back, unaligned: read
/// right after the store, each load would wait for it to reach the cache.
/// Lanes the fast path cannot be trusted for get x where x is 0, as in Fix; a pixel with such
/// a lane where x is not 0 goes through the Scalar target whole, which gives the same bits as
/// every SIMD path (Fix's exact path) and is rare.
template <class Pow>
struct ChannelLanes {
  static constexpr std::size_t kAhead = 3;
  static constexpr std::size_t kSlots = kAhead + 1;
  /// Vectors whose factors are computed side by side (MakeMany).
  static constexpr std::size_t kChunk = 3;

  Consts k;
  const detail::Plan* plan;
  std::size_t rounded;  ///< C rounded up to N
  float* buf;           ///< kSlots * Stride(): per slot sq (padded), then x (N)
  float* y;             ///< rounded: a pixel's y when in == out

  std::size_t Stride() const { return 2 * kMaxReach + rounded + hn::Lanes(DF()); }

  /// Lanes whose y is right without the Scalar target: trusted ones, and x = 0, whose y is x
  /// (0 of x's sign, as in Fix; an all-zero window with bias 0 is common in ReLU maps).
  static HWY_INLINE MF Settled(MF ok, VF x) { return hn::Or(ok, hn::Eq(x, hn::Zero(DF()))); }
  float* Sq(std::size_t slot) const { return buf + slot * Stride() + kMaxReach; }
  float* X(std::size_t slot) const { return buf + slot * Stride() + 2 * kMaxReach + rounded; }

  /// The squares of the pixel at in into slot (and its last channels, zero-padded, in X).
  HWY_INLINE void Squares(const float* in, std::size_t slot) const {
    const DF df;
    const std::size_t n = hn::Lanes(df);
    const std::size_t channels = plan->channels;
    const std::size_t whole = channels - channels % n;
    float* const s0 = Sq(slot);
    for (std::size_t c = 0; c < whole; c += n) {
      const VF v = hn::LoadU(df, in + c);
      hn::StoreU(hn::Mul(v, v), df, s0 + c);
    }
    if (whole != channels) {
      float* x = X(slot);
      std::memcpy(x, in + whole, (channels - whole) * sizeof(float));
      const VF v = hn::LoadU(df, x);
      hn::StoreU(hn::Mul(v, v), df, s0 + whole);
    }
  }

  /// The pixel at in, whose squares are in slot, to out (in == out allowed).
  HWY_INLINE void Windows(const float* in, float* out, std::size_t slot) const {
    const DF df;
    const std::size_t n = hn::Lanes(df);
    const std::size_t channels = plan->channels;
    const std::size_t whole = channels - channels % n;
    const float* const s0 = Sq(slot);
    float* const dst = in == out ? y : out;
    const std::ptrdiff_t before = plan->reach_before, after = plan->reach_after;
    MF all_ok = hn::FirstN(df, n);
    std::size_t c = 0;
    for (; c + kChunk * n <= whole; c += kChunk * n) {
      VF s[kChunk];
      for (std::size_t j = 0; j < kChunk; ++j) s[j] = hn::LoadU(df, s0 + c + j * n - before);
      for (std::ptrdiff_t i = 1 - before; i <= after; ++i)
        for (std::size_t j = 0; j < kChunk; ++j)
          s[j] = hn::Add(s[j], hn::LoadU(df, s0 + c + j * n + i));
      MF ok[kChunk];
      typename Pow::Factor f[kChunk];
      MakeMany<Pow, kChunk>::Run(k, s, ok, f);
      for (std::size_t j = 0; j < kChunk; ++j) {
        const VF x = hn::LoadU(df, in + c + j * n);
        all_ok = hn::And(all_ok, Settled(ok[j], x));
        hn::StoreU(hn::IfThenElse(ok[j], Pow::Apply(x, f[j]), x), df, dst + c + j * n);
      }
    }
    for (; c < channels; c += n) {
      const float* w = s0 + c;
      VF s = hn::LoadU(df, w - before);
      for (std::ptrdiff_t j = 1 - before; j <= after; ++j) s = hn::Add(s, hn::LoadU(df, w + j));
      MF ok;
      const typename Pow::Factor f = Pow::Make(k, s, ok);
      if (c < whole) {
        const VF x = hn::LoadU(df, in + c);
        all_ok = hn::And(all_ok, Settled(ok, x));
        hn::StoreU(hn::IfThenElse(ok, Pow::Apply(x, f), x), df, dst + c);
      } else {
        const VF x = hn::LoadU(df, X(slot));  // zero past the channels, so those lanes settle
        all_ok = hn::And(all_ok, Settled(ok, x));
        hn::StoreU(hn::IfThenElse(ok, Pow::Apply(x, f), x), df, y + whole);
        if (dst != y) std::memcpy(dst + whole, y + whole, (channels - whole) * sizeof(float));
      }
    }
    if (HWY_UNLIKELY(!hn::AllTrue(df, all_ok))) return detail::run_scalar(*plan, in, out, 1);
    if (dst == y) std::memcpy(out, y, channels * sizeof(float));
  }
};

template <class Pow>
HWY_NOINLINE void RunChannelLanes(const Consts& k, const detail::Plan& plan, const float* in,
                                  float* out, std::size_t pixels) {
  using Lanes = ChannelLanes<Pow>;
  const std::size_t n = hn::Lanes(DF());
  const std::size_t rounded = (plan.channels + n - 1) / n * n;
  const std::size_t stride = 2 * kMaxReach + rounded + n;
  // 64-byte aligned, so that window centres and y are whole cache lines.
  std::vector<float> scratch(Lanes::kSlots * stride + rounded + 16, 0.0f);
  float* const base = AlignedLine(scratch.data());
  const Lanes lanes{k, &plan, rounded, base, base + Lanes::kSlots * stride};
  const std::size_t channels = plan.channels;
  for (std::size_t i = 0; i < std::min(pixels, Lanes::kAhead); ++i)
    lanes.Squares(in + i * channels, i % Lanes::kSlots);
  for (std::size_t i = 0; i < pixels; ++i) {
    const std::size_t next = i + Lanes::kAhead;
    // Before pixel i is written: in place, pixel next's x is still intact.
    if (next < pixels) lanes.Squares(in + next * channels, next % Lanes::kSlots);
    lanes.Windows(in + i * channels, out + i * channels, i % Lanes::kSlots);
  }
}

template <class Pow>
HWY_NOINLINE void RunWithPow(const detail::Plan& plan, const float* in, float* out,
                             std::size_t pixels) {
  const Consts& k = plan.k;
  HWY_ALIGN float small[4 * 4 * kMaxLanes];  // scratch for <= 4 channels
  if (plan.full_cover) {
    switch (plan.channels) {
      case 1: return Drive(FullCoverBlock<1, Pow>{k}, 1, in, out, pixels, small);
      case 2: return Drive(FullCoverBlock<2, Pow>{k}, 2, in, out, pixels, small);
      case 3:
#if HWY_TARGET == HWY_AVX3
        if constexpr (kVectorFactor<Pow>)
          return Drive(FullCover3Avx3<Pow>{k}, 3, in, out, pixels, small);
#endif
        return Drive(FullCoverBlock<3, Pow>{k}, 3, in, out, pixels, small);
      case 4: return Drive(FullCoverBlock<4, Pow>{k}, 4, in, out, pixels, small);
      default: break;
    }
  }
  if (!plan.full_cover && plan.channels >= hn::Lanes(DF()) && plan.reach_before <= kMaxReach &&
      plan.reach_after <= kMaxReach)
    return RunChannelLanes<Pow>(k, plan, in, out, pixels);
  switch (plan.channels) {
    case 2: return RunPlanar<2, Pow>(k, plan, in, out, pixels, small);
    case 3: return RunPlanar<3, Pow>(k, plan, in, out, pixels, small);
    case 4: return RunPlanar<4, Pow>(k, plan, in, out, pixels, small);
    default: break;
  }
  std::vector<float> scratch(4 * plan.channels * hn::Lanes(DF()));
  RunPlanar<0, Pow>(k, plan, in, out, pixels, scratch.data());
}

/// Blocks per PlanarCore::Group in the planar form: 4 (64 pixels, 4 cache lines per plane on
/// AVX-512) keeps the squares of 96 channels within L1.
constexpr std::size_t kGroup = 4;

/// The planar form (Kernel::run_planar): groups of kGroup blocks of N pixels straight from the
/// caller's planes, then single blocks. In place (in == out), y goes through scratch first,
/// since later windows still read its x. The last pixels go through a zero-padded copy, as in
/// Drive. scratch: (2 * kGroup + 1) * C * N floats.
template <std::size_t kC, class Pow>
HWY_INLINE void RunPlanarForm(const Consts& k, const detail::Plan& plan, const float* in,
                              std::size_t in_plane, float* out, std::size_t out_plane,
                              std::size_t pixels, float* scratch) {
  const DF df;
  const std::size_t n = hn::Lanes(df);
  const std::size_t channels = plan.channels;
  float* y = scratch;                                             // C * N * kGroup
  float* tail = scratch + kGroup * channels * n;                  // C * N
  const PlanarCore<kC, Pow> core{k, &plan, tail + channels * n};  // C * N * kGroup
  const std::size_t whole = pixels - pixels % n;
  for (std::size_t i = 0; i < whole;) {
    const std::size_t g = whole - i >= kGroup * n ? kGroup : 1;
    if (in != out) {
      if (g == kGroup) core.template Group<kGroup>(in + i, in_plane, out + i, out_plane);
      else core(in + i, in_plane, out + i, out_plane);
    } else {
      if (g == kGroup) core.template Group<kGroup>(in + i, in_plane, y, g * n);
      else core(in + i, in_plane, y, n);
      for (std::size_t c = 0; c < channels; ++c)
        std::memcpy(out + c * out_plane + i, y + c * g * n, g * n * sizeof(float));
    }
    i += g * n;
  }
  if (whole == pixels) return;
  const std::size_t rest = pixels - whole;
  for (std::size_t c = 0; c < channels; ++c) {
    std::memcpy(tail + c * n, in + c * in_plane + whole, rest * sizeof(float));
    std::fill(tail + c * n + rest, tail + (c + 1) * n, 0.0f);
  }
  core(tail, n, y, n);
  for (std::size_t c = 0; c < channels; ++c)
    std::memcpy(out + c * out_plane + whole, y + c * n, rest * sizeof(float));
}

template <class Pow>
HWY_NOINLINE void RunPlanarWithPow(const detail::Plan& plan, const float* in, std::size_t in_plane,
                                   float* out, std::size_t out_plane, std::size_t pixels) {
  const Consts& k = plan.k;
  constexpr std::size_t kScratch = 2 * kGroup + 1;
  HWY_ALIGN float small[kScratch * 16 * kMaxLanes];  // scratch for <= 16 channels
  switch (plan.channels) {
    case 1: return RunPlanarForm<1, Pow>(k, plan, in, in_plane, out, out_plane, pixels, small);
    case 2: return RunPlanarForm<2, Pow>(k, plan, in, in_plane, out, out_plane, pixels, small);
    case 3: return RunPlanarForm<3, Pow>(k, plan, in, in_plane, out, out_plane, pixels, small);
    case 4: return RunPlanarForm<4, Pow>(k, plan, in, in_plane, out, out_plane, pixels, small);
    default: break;
  }
  if (plan.channels <= 16)
    return RunPlanarForm<0, Pow>(k, plan, in, in_plane, out, out_plane, pixels, small);
  // Every float of the scratch is written before it is read (y and sq by PlanarCore, the
  // tail by RunPlanarForm), so it is not zero-filled: at C = 96 that was 55 KB a call.
  const std::unique_ptr<float[]> scratch(new float[kScratch * plan.channels * hn::Lanes(DF())]);
  RunPlanarForm<0, Pow>(k, plan, in, in_plane, out, out_plane, pixels, scratch.get());
}

/// This target's planar entry point, listed in dispatch.cpp (beta 0 never gets here).
void RunLrnPlanar(const detail::Plan& plan, const float* in, std::size_t in_plane, float* out,
                  std::size_t out_plane, std::size_t pixels) {
  switch (plan.beta_kind) {
    case detail::BetaKind::Half:
      return RunPlanarWithPow<PowHalf>(plan, in, in_plane, out, out_plane, pixels);
    case detail::BetaKind::ThreeQuarters:
      return RunPlanarWithPow<PowThreeQuarters>(plan, in, in_plane, out, out_plane, pixels);
    case detail::BetaKind::One:
      return RunPlanarWithPow<PowOne>(plan, in, in_plane, out, out_plane, pixels);
    case detail::BetaKind::General:
      if (plan.general_fits_float)
        return RunPlanarWithPow<PowGeneral<true>>(plan, in, in_plane, out, out_plane, pixels);
      return RunPlanarWithPow<PowGeneral<false>>(plan, in, in_plane, out, out_plane, pixels);
    case detail::BetaKind::Zero: break;
  }
}

/// This target's entry point, listed in dispatch.cpp.
void RunLrn(const detail::Plan& plan, const float* in, float* out, std::size_t pixels) {
  switch (plan.beta_kind) {
    case detail::BetaKind::Half: return RunWithPow<PowHalf>(plan, in, out, pixels);
    case detail::BetaKind::ThreeQuarters:
      return RunWithPow<PowThreeQuarters>(plan, in, out, pixels);
    case detail::BetaKind::One: return RunWithPow<PowOne>(plan, in, out, pixels);
    case detail::BetaKind::General:
      if (plan.general_fits_float) return RunWithPow<PowGeneral<true>>(plan, in, out, pixels);
      return RunWithPow<PowGeneral<false>>(plan, in, out, pixels);
    case detail::BetaKind::Zero: break;  // Kernel::run copies; never dispatched here
  }
  if (in != out) std::memcpy(out, in, pixels * plan.channels * sizeof(float));
}

#endif  // HWY_TARGET & LRN_KERNEL_TARGETS & LRN_KERNEL_TU

}  // namespace HWY_NAMESPACE
}  // namespace lrn
HWY_AFTER_NAMESPACE();
