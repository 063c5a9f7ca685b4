// Internal, per-target (re-included by foreach_target through kernel_hwy.cpp): the
// d^-beta factors of the SIMD kernel, one struct per beta kind.
//
// Make() turns a vector of window sums s into a factor once per window; Apply() uses it for
// every channel sharing that window. Where d = bias + alpha * s is 0, y is 0.

// Per-target include guard, as Highway's own -inl headers do.
#if defined(LRN_POW_HWY_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef LRN_POW_HWY_INL_H_
#undef LRN_POW_HWY_INL_H_
#else
#define LRN_POW_HWY_INL_H_
#endif

#include <hwy/highway.h>

#include <cstddef>
#include <cstdint>

#include "lrn/hwy_config.h"

HWY_BEFORE_NAMESPACE();
namespace lrn {
namespace HWY_NAMESPACE {
#if HWY_TARGET & LRN_KERNEL_TARGETS  // not the never-dispatched baseline copy
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using VF = hn::Vec<DF>;
using DH = hn::Half<DF>;                  // the floats of one double vector
using DD = hn::Repartition<double, DF>;  // half as many doubles as DF has floats
using VD = hn::Vec<DD>;
using DU = hn::RebindToUnsigned<DD>;
using VU = hn::Vec<DU>;

/// The plan's numbers in the precision each path computes in.
struct Consts {
  float bias;
  float alpha;
  double bias_d;
  double alpha_d;
  double neg_beta;          ///< -beta
  double neg_beta_log2e;    ///< -beta / ln 2
};

/// beta = 1: y = x / d.
struct PowOne {
  using Factor = VF;
  static HWY_INLINE Factor Make(const Consts& k, VF s) {
    const DF df;
    const VF d = hn::MulAdd(hn::Set(df, k.alpha), s, hn::Set(df, k.bias));
    return hn::IfThenElse(hn::Eq(d, hn::Zero(df)), hn::Inf(df), d);  // finite x / inf = 0
  }
  static HWY_INLINE VF Apply(VF x, Factor f) { return hn::Div(x, f); }
};

/// beta = 0.5: y = x / sqrt(d).
struct PowHalf {
  using Factor = VF;
  static HWY_INLINE Factor Make(const Consts& k, VF s) {
    const DF df;
    const VF d = hn::MulAdd(hn::Set(df, k.alpha), s, hn::Set(df, k.bias));
    return hn::IfThenElse(hn::Eq(d, hn::Zero(df)), hn::Inf(df), hn::Sqrt(d));
  }
  static HWY_INLINE VF Apply(VF x, Factor f) { return hn::Div(x, f); }
};

/// beta = 0.75: r = 1/sqrt(d), d^-0.75 = r * sqrt(r); three correctly rounded operations, so
/// within ~2 ulp. Finite for every float d > 0 (at most 2^112), so x * f never overflows.
struct PowThreeQuarters {
  using Factor = VF;
  static HWY_INLINE Factor Make(const Consts& k, VF s) {
    const DF df;
    const VF d = hn::MulAdd(hn::Set(df, k.alpha), s, hn::Set(df, k.bias));
    const VF r = hn::Div(hn::Set(df, 1.0f), hn::Sqrt(d));
    return hn::IfThenZeroElse(hn::Eq(d, hn::Zero(df)), hn::Mul(r, hn::Sqrt(r)));
  }
  static HWY_INLINE VF Apply(VF x, Factor f) { return hn::Mul(x, f); }
};

/// Number of double vectors per float vector: the general path runs them in lockstep, one
/// statement for all of them at a time, so their long dependency chains overlap; written one
/// after the other they leave the FP scheduler waiting on a single chain.
constexpr std::size_t kHalves = 2;
using Doubles = VD[kHalves];

/// t = -beta * log2(d) for d > 0, in double: log2(d) is split into exponent e and log(m),
/// m in [sqrt(1/2), sqrt(2)), so t keeps double precision even when log2(d) is large
/// (Highway's float Log loses ~1e-6 there). Together with Exp2 this replaces Highway's
/// full-precision double Log and Exp (contrib/math), which cost about 1.6x as much and kept
/// the beta 0.6 benchmark near 3x memcpy: the polynomials here stop where their error
/// (< 2e-11 absolute in log(m), < 3e-10 relative in 2^f) is far below float rounding. Below
/// DBL_MIN (bias and alpha both tiny) d is taken as DBL_MIN, whose power is out of float's
/// range anyway for |beta| >= 0.2. Overwrites d with t.
HWY_INLINE void NegBetaLog2(const Consts& k, Doubles& d) {
  const DD dd;
  const DU du;
  VD m[kHalves], e_d[kHalves], z2[kHalves], w[kHalves], q[kHalves];
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VU bits = hn::BitCast(du, hn::Max(d[j], hn::Set(dd, 2.2250738585072014e-308)));
    // Adding 2^52 - mantissa(sqrt 2) carries into the exponent exactly when the mantissa is
    // >= sqrt(2): e is the biased exponent that leaves m in [sqrt(1/2), sqrt(2)).
    const VU e = hn::ShiftRight<52>(hn::Add(bits, hn::Set(du, 0x00095F619980C433ull)));
    m[j] = hn::BitCast(dd, hn::Add(hn::Sub(bits, hn::ShiftLeft<52>(e)),
                                   hn::Set(du, 0x3FF0000000000000ull)));
    // e < 2^11 as a double without an int64 conversion (SSE4/AVX2 lack one): put it in the
    // mantissa of 2^52, then subtract 2^52 and the bias 1023.
    e_d[j] = hn::Sub(hn::BitCast(dd, hn::Or(e, hn::Set(du, 0x4330000000000000ull))),
                     hn::Set(dd, 4503599627371519.0));
  }
  // log(m) = 2 atanh(z), z = (m-1)/(m+1), |z| <= 0.172. With z2 = 2z:
  // log(m) = z2 + z2 * w * q(w), w = z2^2, q = sum_{i>=1} w^(i-1) / (4^i (2i+1)).
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VD u = hn::Sub(m[j], hn::Set(dd, 1.0));
    z2[j] = hn::Div(hn::Add(u, u), hn::Add(m[j], hn::Set(dd, 1.0)));
  }
  for (std::size_t j = 0; j < kHalves; ++j) w[j] = hn::Mul(z2[j], z2[j]);
  for (std::size_t j = 0; j < kHalves; ++j)
    q[j] = hn::MulAdd(hn::Set(dd, 1.0 / (1024.0 * 11)), w[j], hn::Set(dd, 1.0 / (256.0 * 9)));
  for (std::size_t j = 0; j < kHalves; ++j)
    q[j] = hn::MulAdd(q[j], w[j], hn::Set(dd, 1.0 / (64.0 * 7)));
  for (std::size_t j = 0; j < kHalves; ++j)
    q[j] = hn::MulAdd(q[j], w[j], hn::Set(dd, 1.0 / (16.0 * 5)));
  for (std::size_t j = 0; j < kHalves; ++j)
    q[j] = hn::MulAdd(q[j], w[j], hn::Set(dd, 1.0 / (4.0 * 3)));
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VD log_m = hn::MulAdd(z2[j], hn::Mul(q[j], w[j]), z2[j]);
    d[j] = hn::MulAdd(hn::Set(dd, k.neg_beta), e_d[j],
                      hn::Mul(hn::Set(dd, k.neg_beta_log2e), log_m));
  }
}

/// 2^t for t clamped to [-1021, 1000], so always a normal double; the clamp only acts beyond
/// float's range. Overwrites t.
HWY_INLINE void Exp2(Doubles& t) {
  const DD dd;
  const DU du;
  // ln2^i / i!, i = 8 .. 0: Taylor on |f| <= 0.5, error < 3e-10 relative.
  constexpr double kC[9] = {1.3215486790144305e-06, 1.5252733804059838e-05,
                            1.5403530393381606e-04, 1.3333558146428441e-03,
                            9.6181291076284770e-03, 5.5504108664821576e-02,
                            2.4022650695910070e-01, 6.9314718055994530e-01, 1.0};
  const VD shifter = hn::Set(dd, 6755399441055744.0);  // 1.5 * 2^52
  VD r[kHalves], f[kHalves], p[kHalves];
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VD tc = hn::Min(hn::Max(t[j], hn::Set(dd, -1021.0)), hn::Set(dd, 1000.0));
    r[j] = hn::Add(tc, shifter);  // rounds tc to the integer n, left in r's low bits
    f[j] = hn::Sub(tc, hn::Sub(r[j], shifter));  // in [-0.5, 0.5]
    p[j] = hn::Set(dd, kC[0]);
  }
  for (std::size_t i = 1; i < 9; ++i)
    for (std::size_t j = 0; j < kHalves; ++j) p[j] = hn::MulAdd(p[j], f[j], hn::Set(dd, kC[i]));
  // Scale by 2^n: add n to the exponent field (n's low 12 bits, wrapping, suffice).
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VU scale = hn::ShiftLeft<52>(hn::BitCast(du, r[j]));
    t[j] = hn::BitCast(dd, hn::Add(hn::BitCast(du, p[j]), scale));
  }
}

/// Any other beta: d^-beta = 2^(-beta log2 d) in double (see NegBetaLog2).
/// kFloatProduct: the plan proved every factor a normal float (Plan::general_fits_float), so
/// y = x * float(factor), within 1 ulp of the double product. Otherwise the product is taken in
/// double, so factors outside float's range (tiny bias, large |beta|) still give the right y.
template <bool kFloatProduct>
struct PowGeneral {
  struct Factor {
    Doubles v;
    VF f;  ///< the factor as float (kFloatProduct only)
  };
  static HWY_INLINE Factor Make(const Consts& k, VF s) {
    const DF df;
    const DH dh;
    const DD dd;
    Factor f;
    f.v[0] = hn::PromoteTo(dd, hn::LowerHalf(dh, s));
    f.v[1] = hn::PromoteTo(dd, hn::UpperHalf(dh, s));
    hn::Mask<DD> zero[kHalves];
    for (std::size_t j = 0; j < kHalves; ++j) {
      f.v[j] = hn::MulAdd(hn::Set(dd, k.alpha_d), f.v[j], hn::Set(dd, k.bias_d));
      zero[j] = hn::Eq(f.v[j], hn::Zero(dd));
    }
    NegBetaLog2(k, f.v);
    Exp2(f.v);
    for (std::size_t j = 0; j < kHalves; ++j) f.v[j] = hn::IfThenZeroElse(zero[j], f.v[j]);
    if constexpr (kFloatProduct)
      f.f = hn::Combine(df, hn::DemoteTo(dh, f.v[1]), hn::DemoteTo(dh, f.v[0]));
    return f;
  }
  static HWY_INLINE VF Apply(VF x, const Factor& f) {
    if constexpr (kFloatProduct) {
      return hn::Mul(x, f.f);
    } else {
      const DF df;
      const DH dh;
      const DD dd;
      const VD lo = hn::Mul(hn::PromoteTo(dd, hn::LowerHalf(dh, x)), f.v[0]);
      const VD hi = hn::Mul(hn::PromoteTo(dd, hn::UpperHalf(dh, x)), f.v[1]);
      return hn::Combine(df, hn::DemoteTo(dh, hi), hn::DemoteTo(dh, lo));
    }
  }
};

#endif  // HWY_TARGET & LRN_KERNEL_TARGETS
}  // namespace HWY_NAMESPACE
}  // namespace lrn
HWY_AFTER_NAMESPACE();

#endif  // LRN_POW_HWY_INL_H_ per target
