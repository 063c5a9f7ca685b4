// Internal, per-target (re-included by foreach_target through kernel_hwy.cpp): the
// d^-beta factors of the SIMD kernel, one struct per beta kind.
//
// Make() turns a vector of float window sums s into a factor once per window, and says in ok
// which lanes it can be trusted for (lrn/plan.h, Numbers); Apply() uses it for every channel
// sharing that window. Untrusted lanes may hold anything (d = 0 gives inf or NaN): the
// blocks replace them by x where x is 0 and by the exact path (ExactSum) elsewhere, where
// d > 0 since the window holds x's own square.
// No fused multiply-add anywhere, so every target rounds the same way (see MulThenAdd).

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
#include "lrn/plan.h"

HWY_BEFORE_NAMESPACE();
namespace lrn {
namespace HWY_NAMESPACE {
#if HWY_TARGET & LRN_KERNEL_TARGETS  // not the never-dispatched baseline copy
namespace hn = hwy::HWY_NAMESPACE;

using DF = hn::ScalableTag<float>;
using VF = hn::Vec<DF>;
using DH = hn::Half<DF>;                 // the floats of one double vector
using DD = hn::Repartition<double, DF>;  // half as many doubles as DF has floats
using VD = hn::Vec<DD>;
using DU = hn::RebindToUnsigned<DD>;
using VU = hn::Vec<DU>;

using MF = hn::Mask<DF>;
using Consts = detail::Numbers;  // lrn/plan.h

/// lo <= v <= FLT_MAX (false for NaN).
HWY_INLINE MF Trusted(float lo, VF v) {
  const DF df;
  return hn::And(hn::Ge(v, hn::Set(df, lo)), hn::Le(v, hn::Set(df, 3.40282347e+38f)));
}

/// d = alpha * s + bias in float: a multiply and an add, never fused, on every target.
HWY_INLINE VF FloatBase(const Consts& k, VF s) {
  const DF df;
  return hn::Add(hn::Mul(hn::Set(df, k.alpha_f), s), hn::Set(df, k.bias_f));
}

/// beta = 1: y = x / d.
struct PowOne {
  using Factor = VF;
  static HWY_INLINE Factor Make(const Consts& k, VF s, MF& ok) {
    const VF d = FloatBase(k, s);
    ok = Trusted(k.lo_d, d);
    return d;
  }
  static HWY_INLINE VF Apply(VF x, Factor f) { return hn::Div(x, f); }
};

/// beta = 0.5: y = x / sqrt(d).
struct PowHalf {
  using Factor = VF;
  static HWY_INLINE Factor Make(const Consts& k, VF s, MF& ok) {
    const VF d = FloatBase(k, s);
    ok = Trusted(k.lo_d, d);
    return hn::Sqrt(d);
  }
  static HWY_INLINE VF Apply(VF x, Factor f) { return hn::Div(x, f); }
};

/// beta = 0.75: r = 1/sqrt(d), d^-0.75 = r * sqrt(r); three correctly rounded operations, so
/// within ~2 ulp. Finite for every float d > 0 (at most 2^112), so x * f never overflows.
struct PowThreeQuarters {
  using Factor = VF;
  static HWY_INLINE Factor Make(const Consts& k, VF s, MF& ok) {
    const DF df;
    const VF d = FloatBase(k, s);
    ok = Trusted(k.lo_d, d);
    const VF r = hn::Div(hn::Set(df, 1.0f), hn::Sqrt(d));
    return hn::Mul(r, hn::Sqrt(r));
  }
  static HWY_INLINE VF Apply(VF x, Factor f) { return hn::Mul(x, f); }
};

/// G factors of any Pow, one Make after another in one basic block, so that the compiler and
/// the CPU can overlap their chains.
template <class Pow, std::size_t G>
struct MakeMany {
  static HWY_INLINE void Run(const Consts& k, const VF* s, MF* ok, typename Pow::Factor* f) {
    for (std::size_t j = 0; j < G; ++j) f[j] = Pow::Make(k, s[j], ok[j]);
  }
};

/// a * b + c rounded twice, as the Scalar target computes it. Highway's MulAdd fuses on
/// AVX2/AVX-512 and not on SSE4, which would make the targets' results differ.
template <class V>
HWY_INLINE V MulThenAdd(V a, V b, V c) {
  return hn::Add(hn::Mul(a, b), c);
}

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
/// (< 2e-10 absolute in log(m), < 7.5e-8 relative in 2^f; lrn/plan.h) is far below float
/// rounding. d is a normal double on every path that gets here (lrn/plan.h, Numbers); the
/// Max only keeps the bit tricks defined otherwise. Overwrites d with t.
HWY_INLINE void NegBetaLog2(const Consts& k, double exp_bias, Doubles& d) {
  const DD dd;
  const DU du;
  VD m[kHalves], e_d[kHalves], z2[kHalves], w[kHalves], q[kHalves];
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VU bits = hn::BitCast(du, hn::Max(d[j], hn::Set(dd, 2.2250738585072014e-308)));
    // Adding 2^52 - mantissa(sqrt 2) carries into the exponent exactly when the mantissa is
    // >= sqrt(2): e is the biased exponent that leaves m in [sqrt(1/2), sqrt(2)).
    const VU e = hn::ShiftRight<52>(hn::Add(bits, hn::Set(du, 0x00095F619980C433ull)));
    m[j] = hn::BitCast(
        dd, hn::Add(hn::Sub(bits, hn::ShiftLeft<52>(e)), hn::Set(du, 0x3FF0000000000000ull)));
    // e < 2^11 as a double without an int64 conversion (SSE4/AVX2 lack one): put it in the
    // mantissa of 2^52, then subtract 2^52 and the bias 1023 (exp_bias, which may also add
    // the exact path's K).
    e_d[j] = hn::Sub(hn::BitCast(dd, hn::Or(e, hn::Set(du, 0x4330000000000000ull))),
                     hn::Set(dd, exp_bias));
  }
  // log(m) = 2 atanh(z), z = (m-1)/(m+1), |z| <= 0.172. With z2 = 2z:
  // log(m) = z2 + z2 * w * q(w), w = z2^2, q close to sum_{i>=1} w^(i-1) / (4^i (2i+1)).
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VD u = hn::Sub(m[j], hn::Set(dd, 1.0));
    z2[j] = hn::Div(hn::Add(u, u), hn::Add(m[j], hn::Set(dd, 1.0)));
  }
  for (std::size_t j = 0; j < kHalves; ++j) w[j] = hn::Mul(z2[j], z2[j]);
  const double* kQ = detail::kLogPoly;  // lrn/plan.h
  for (std::size_t j = 0; j < kHalves; ++j)
    q[j] = MulThenAdd(hn::Set(dd, kQ[0]), w[j], hn::Set(dd, kQ[1]));
  for (int i = 2; i <= detail::kLogDegree; ++i)
    for (std::size_t j = 0; j < kHalves; ++j) q[j] = MulThenAdd(q[j], w[j], hn::Set(dd, kQ[i]));
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VD log_m = MulThenAdd(z2[j], hn::Mul(q[j], w[j]), z2[j]);
    d[j] =
        MulThenAdd(hn::Set(dd, k.neg_beta), e_d[j], hn::Mul(hn::Set(dd, k.neg_beta_log2e), log_m));
  }
}

/// 2^t for t clamped to [-1021, 1000], so always a normal double; the clamp only acts beyond
/// float's range. Overwrites t.
HWY_INLINE void Exp2(Doubles& t) {
  const DD dd;
  const DU du;
  const double* kC = detail::kExp2Poly;                // lrn/plan.h
  const VD shifter = hn::Set(dd, 6755399441055744.0);  // 1.5 * 2^52
  VD r[kHalves], f[kHalves], p[kHalves];
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VD tc = hn::Min(hn::Max(t[j], hn::Set(dd, -1021.0)), hn::Set(dd, 1000.0));
    r[j] = hn::Add(tc, shifter);                 // rounds tc to the integer n, left in r's low bits
    f[j] = hn::Sub(tc, hn::Sub(r[j], shifter));  // in [-0.5, 0.5]
    p[j] = hn::Set(dd, kC[0]);
  }
  for (int i = 1; i <= detail::kExp2Degree; ++i)
    for (std::size_t j = 0; j < kHalves; ++j) p[j] = MulThenAdd(p[j], f[j], hn::Set(dd, kC[i]));
  // Scale by 2^n: add n to the exponent field (n's low 12 bits, wrapping, suffice).
  for (std::size_t j = 0; j < kHalves; ++j) {
    const VU scale = hn::ShiftLeft<52>(hn::BitCast(du, r[j]));
    t[j] = hn::BitCast(dd, hn::Add(hn::BitCast(du, p[j]), scale));
  }
}

/// 2^-beta log2(d) for the normal double d in place; exp_bias as NegBetaLog2.
HWY_INLINE void NegBetaPow(const Consts& k, double exp_bias, Doubles& d) {
  NegBetaLog2(k, exp_bias, d);
  Exp2(d);
}

/// y = x * f with the product in double, rounded once to float.
HWY_INLINE VF MulInDouble(VF x, const Doubles& f) {
  const DF df;
  const DH dh;
  const DD dd;
  const VD lo = hn::Mul(hn::PromoteTo(dd, hn::LowerHalf(dh, x)), f[0]);
  const VD hi = hn::Mul(hn::PromoteTo(dd, hn::UpperHalf(dh, x)), f[1]);
  return hn::Combine(df, hn::DemoteTo(dh, hi), hn::DemoteTo(dh, lo));
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
  static HWY_INLINE Factor Make(const Consts& k, VF s, MF& ok) {
    const DF df;
    const DH dh;
    const DD dd;
    ok = Trusted(k.lo_s, s);
    Factor f;
    f.v[0] = hn::PromoteTo(dd, hn::LowerHalf(dh, s));
    f.v[1] = hn::PromoteTo(dd, hn::UpperHalf(dh, s));
    for (std::size_t j = 0; j < kHalves; ++j)
      f.v[j] = MulThenAdd(hn::Set(dd, k.alpha_d), f.v[j], hn::Set(dd, k.bias_d));
    NegBetaPow(k, Consts::kExpBias, f.v);
    if constexpr (kFloatProduct)
      f.f = hn::Combine(df, hn::DemoteTo(dh, f.v[1]), hn::DemoteTo(dh, f.v[0]));
    return f;
  }
  static HWY_INLINE VF Apply(VF x, const Factor& f) {
    if constexpr (kFloatProduct) {
      return hn::Mul(x, f.f);
    } else {
      return MulInDouble(x, f.v);
    }
  }
};

/// The exact path (lrn/plan.h, Numbers), for any beta: window sums of exact double squares,
/// added in channel order from 0. Start with Clear, add each channel with Add, then Finish
/// turns the sums into factors for MulInDouble.
struct ExactSum {
  Doubles s;

  HWY_INLINE void Clear() {
    for (std::size_t j = 0; j < kHalves; ++j) s[j] = hn::Zero(DD());
  }
  HWY_INLINE void Add(VF x) {
    const DD dd;
    const DH dh;
    const VD lo = hn::PromoteTo(dd, hn::LowerHalf(dh, x));
    const VD hi = hn::PromoteTo(dd, hn::UpperHalf(dh, x));
    s[0] = hn::Add(s[0], hn::Mul(lo, lo));
    s[1] = hn::Add(s[1], hn::Mul(hi, hi));
  }
  /// d = 2^K (bias_x + alpha_x * s), then s becomes d^-beta.
  HWY_INLINE void Finish(const Consts& k) {
    const DD dd;
    for (std::size_t j = 0; j < kHalves; ++j)
      s[j] = MulThenAdd(hn::Set(dd, k.alpha_x), s[j], hn::Set(dd, k.bias_x));
    NegBetaPow(k, k.exp_bias_x, s);
  }
};

#endif  // HWY_TARGET & LRN_KERNEL_TARGETS
}  // namespace HWY_NAMESPACE
}  // namespace lrn
HWY_AFTER_NAMESPACE();

#endif  // LRN_POW_HWY_INL_H_ per target
