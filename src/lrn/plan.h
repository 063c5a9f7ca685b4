// Internal: what a Kernel precomputes from LrnParams, shared by the scalar and SIMD paths.
#pragma once

#include <cstddef>
#include <vector>

#include "lrn/kernel.h"
#include "lrn/params.h"

namespace lrn::detail {

/// Which formula turns the window sum into y. The named betas have closed forms (0.5 and 1
/// from correctly rounded sqrt/div, 0.75 from a table and a cubic); everything else goes
/// through exp/log in double. Windows whose float sums leave the range where these are
/// accurate (Numbers) take the exact path, whatever the kind.
enum class BetaKind {
  Zero,           ///< y = x
  Half,           ///< y = x / sqrt(d)
  ThreeQuarters,  ///< y = x * d^-0.75 from a table and a cubic (kPow34Poly)
  One,            ///< y = x / d
  General,        ///< y = x * exp(-beta * log(d)), in double
};

/// The clipped channel range [lo, hi] summed for one output channel.
struct Window {
  int lo = 0;
  int hi = 0;
  /// Same range as the previous channel's: its pow can be reused. Windows only move forward
  /// with c, so equal windows are always neighbours.
  bool same_as_prev = false;
};

/// The plan's numbers in the precision each path computes in. Every target (Scalar
/// included) runs the same IEEE operations on them in the same order, with no fused
/// multiply-add, so every target gives the same bits.
///
/// Three paths, chosen per pixel and window from the float window sum s (squares added in
/// channel order, in float):
/// - named betas (0.5, 0.75, 1): d = alpha_f * s + bias_f in float, then sqrt/div (or, for
///   0.75, kPow34Poly) in float.
///   Trusted where lo_d <= d <= FLT_MAX: d is normal and any underflow in the squares, the
///   product or bias_f moved it by less than 2^-28 relative.
/// - other betas: d = alpha_d * s + bias_d in double, then exp/log in double. Trusted where
///   lo_s <= s <= FLT_MAX: the same 2^-28 bound, and d a normal double.
/// - exact (any beta, windows not trusted above: values beyond about 1e-19 .. 1e19, or
///   subnormal): squares and sums in double (exact squares, no overflow or underflow for
///   any float), d scaled by 2^-K so it stays a normal double for any valid alpha and bias,
///   then the exp/log path with log2(d) + K. Slower, and only taken where needed.
/// Where x itself is 0, y is 0 on every path, so zero pixels never force the exact path.
struct Numbers {
  float bias_f = 1;
  float alpha_f = 0;
  float lo_d = 0;  ///< named betas: smallest trusted d; +inf when never trusted
  float lo_s = 0;  ///< other betas: smallest trusted s; +inf when never trusted
  double bias_d = 1;
  double alpha_d = 0;
  double neg_beta = 0;        ///< -beta
  double neg_beta_log2e = 0;  ///< -beta / ln 2
  double bias_x = 1;          ///< exact path: bias * 2^-K
  double alpha_x = 0;         ///< exact path: alpha * 2^-K
  double exp_bias_x = 0;      ///< exact path: kExpBias - K
  /// 2^52 + 1023: subtracting it from 2^52 + e (the biased exponent put in a mantissa)
  /// gives the unbiased exponent as a double; kExpBias - K adds K on the way.
  static constexpr double kExpBias = 4503599627371519.0;
};

/// The exp/log path's polynomials, shared by pow_hwy-inl.h and the Scalar target.
/// log(m) = z2 + z2 * w * q(w), w = z2^2, |z2| <= 0.344: q of degree 2, highest power
/// first, fitted for the absolute error in log(m) (below 1.8e-10; the atanh series' own
/// coefficients 1 / (4^i (2i + 1)) need five terms for that).
inline constexpr int kLogDegree = 2;
inline constexpr double kLogPoly[kLogDegree + 1] = {0.0023407238547783816, 0.01249175108469852,
                                                    0.08333352087885719};
/// 2^f on |f| <= 0.5, highest power first: degree 5, fitted for relative error (7.5e-8 in
/// double, 13 times below float's rounding; the degree 8 Taylor polynomial it replaced
/// was far more precise than float output can show, and cost three more multiply-adds).
inline constexpr int kExp2Degree = 5;
inline constexpr double kExp2Poly[kExp2Degree + 1] = {0.0013276471518831531, 0.00967554133065579,
                                                      0.055507132749627576,  0.24022119723934343,
                                                      0.6931469670638639,    1.0000000716546542};

/// beta 0.75's factor d^-0.75 for a normal float d = 2^(e - 127) * m, m in [1, 2), e the
/// biased exponent: with 381 - 3e = 4q + r (r in 0..3), d^-0.75 = 2^q * 2^(r/4) * m^-0.75.
/// m^-0.75 is a cubic in u = m - (1 + j/16) on each sixteenth j of [1, 2) (u and j are m's
/// mantissa bits, so u is exact), evaluated by Horner in float without FMA; 2^(r/4) comes from
/// kPow34Scale indexed by e's last 4 bits (r = (1 + e) mod 4); 2^q is added to the exponent
/// field (the product stays normal: d^-0.75 is within 2^-96 .. 2^95.5 for normal d).
/// Coefficients: near-minimax fits of the relative error in float64 (Lawson's iteration), c0
/// rounded to float first (1 exactly for j = 0, so d = 2^(4k) gives 2^(-3k) exactly and
/// alpha 0 with bias 1 is the identity) and c1..c3 refitted around it, then rounded;
/// `tests/kernel/pow34_table.py --fit` prints them, and without it checks this table. Worst
/// error over every float mantissa and all four r, rounding to float at each step: 1.85e-7
/// relative (2.2 ulp), against 2.1e-7 (3.1 ulp) for r = 1/sqrt(d), r * sqrt(r), which it
/// replaced because the divider's two roots and a division took twice as long (AVX-512, a
/// loop of y = x * d^-0.75 alone: 2.8x memcpy, this form 1.4x).
alignas(64) inline constexpr float kPow34Poly[4][16] = {
    {0x1p+0f, 0x1.e93ddp-1f, 0x1.d4b62p-1f, 0x1.c215dp-1f,
     0x1.b1196ap-1f, 0x1.a18998p-1f, 0x1.933886p-1f, 0x1.85ffep-1f,
     0x1.79bf58p-1f, 0x1.6e5b7cp-1f, 0x1.63bcdcp-1f, 0x1.59cf46p-1f,
     0x1.508142p-1f, 0x1.47c3ap-1f, 0x1.3f8912p-1f, 0x1.37c5ecp-1f},
    {-0x1.7ffd0ep-1f, -0x1.595644p-1f, -0x1.3875fap-1f, -0x1.1c41fcp-1f,
     -0x1.03db2ap-1f, -0x1.dd2c2cp-2f, -0x1.b7dd6ap-2f, -0x1.96f328p-2f,
     -0x1.79bf32p-2f, -0x1.5fb0fcp-2f, -0x1.485e8ep-2f, -0x1.33624ep-2f,
     -0x1.206ccap-2f, -0x1.0f41d2p-2f, -0x1.ff43ep-3f, -0x1.e2bff4p-3f},
    {0x1.4ede5ap-1f, 0x1.1b823ap-1f, 0x1.e42c98p-2f, 0x1.a1ce3cp-2f,
     0x1.6b0bdap-2f, 0x1.3d32a8p-2f, 0x1.1718ccp-2f, 0x1.ee7644p-3f,
     0x1.b83c4ep-3f, 0x1.8891fep-3f, 0x1.61094ep-3f, 0x1.3e5a9cp-3f,
     0x1.1f90a4p-3f, 0x1.060feep-3f, 0x1.dd963p-4f, 0x1.b4225p-4f},
    {-0x1.13f392p-1f, -0x1.b9b086p-2f, -0x1.608694p-2f, -0x1.25d2dp-2f,
     -0x1.e94b36p-3f, -0x1.92061ap-3f, -0x1.51715ap-3f, -0x1.234cb6p-3f,
     -0x1.f877f2p-4f, -0x1.9dac48p-4f, -0x1.71d588p-4f, -0x1.43d5fcp-4f,
     -0x1.0fe9c8p-4f, -0x1.025bep-4f, -0x1.ca4b32p-5f, -0x1.903bbep-5f},
};
alignas(64) inline constexpr float kPow34Scale[16] = {
    0x1.306fep+0f, 0x1.6a09e6p+0f, 0x1.ae89fap+0f, 0x1p+0f,
    0x1.306fep+0f, 0x1.6a09e6p+0f, 0x1.ae89fap+0f, 0x1p+0f,
    0x1.306fep+0f, 0x1.6a09e6p+0f, 0x1.ae89fap+0f, 0x1p+0f,
    0x1.306fep+0f, 0x1.6a09e6p+0f, 0x1.ae89fap+0f, 0x1p+0f};

struct Plan;

/// One implementation of the kernel: `pixels` HWC pixels from in to out (in == out allowed).
using RunFn = void (*)(const Plan& plan, const float* in, float* out, std::size_t pixels);
/// The planar form (Kernel::run_planar): `pixels` pixels of CHW planes.
using PlanarRunFn = void (*)(const Plan& plan, const float* in, std::size_t in_plane, float* out,
                             std::size_t out_plane, std::size_t pixels);

/// Everything run() needs, fixed at construction.
struct Plan {
  std::size_t channels = 1;
  double bias = 1;
  double alpha = 0;
  double beta = 0;
  BetaKind beta_kind = BetaKind::General;
  Numbers k;
  /// Every channel's window covers all channels: one pow per pixel.
  bool full_cover = false;
  /// BetaKind::General only: d^-beta is a normal float (with margin) for every d the float
  /// window sums can produce, so the SIMD path may multiply x by it in float.
  bool general_fits_float = false;
  std::vector<Window> windows;  ///< one per channel
  /// The window's reach, min(before, C - 1) and min(after, C - 1): window c is
  /// [c - reach_before, c + reach_after] clipped to the channels.
  int reach_before = 0;
  int reach_after = 0;
  RunFn run = nullptr;               ///< the chosen target's implementation
  PlanarRunFn run_planar = nullptr;  ///< and its planar form
};

/// Windows, beta kind and full_cover for valid p and channels >= 1; run left unset.
Plan make_plan(const LrnParams& p, std::size_t channels);

/// The plain C++ path (Target::Scalar): the SIMD targets' operations, one lane at a time.
void run_scalar(const Plan& plan, const float* in, float* out, std::size_t pixels);

/// The same on CHW planes.
void run_scalar_planar(const Plan& plan, const float* in, std::size_t in_plane, float* out,
                       std::size_t out_plane, std::size_t pixels);

/// The SIMD implementation compiled for t, or nullptr when t is Scalar or not compiled in.
RunFn simd_run_fn(Target t);
/// Its planar form, likewise.
PlanarRunFn simd_run_planar_fn(Target t);

}  // namespace lrn::detail
