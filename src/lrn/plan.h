// Internal: what a Kernel precomputes from LrnParams, shared by the scalar and SIMD paths.
#pragma once

#include <cstddef>
#include <vector>

#include "lrn/kernel.h"
#include "lrn/params.h"

namespace lrn::detail {

/// Which formula turns the window sum into y. The named betas have exact closed forms built
/// from correctly rounded sqrt/div; everything else goes through exp/log in double. Windows
/// whose float sums leave the range where these are accurate (Numbers) take the exact path,
/// whatever the kind.
enum class BetaKind {
  Zero,           ///< y = x
  Half,           ///< y = x / sqrt(d)
  ThreeQuarters,  ///< r = 1/sqrt(d), y = x * r * sqrt(r)
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
/// - named betas (0.5, 0.75, 1): d = alpha_f * s + bias_f in float, then sqrt/div in float.
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
