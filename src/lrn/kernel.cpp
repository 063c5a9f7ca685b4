// Kernel construction (parameters -> Plan) and run().
#include "lrn/kernel.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "lrn/plan.h"

namespace lrn::detail {

namespace {

BetaKind beta_kind_of(double beta) {
  if (beta == 0) return BetaKind::Zero;
  if (beta == 0.5) return BetaKind::Half;
  if (beta == 0.75) return BetaKind::ThreeQuarters;
  if (beta == 1) return BetaKind::One;
  return BetaKind::General;
}

// Whether d^-beta lies well inside float's normal range for every d = bias + alpha * s that
// float sums can give: s = 0 or 2^-149 <= s <= FLT_MAX. d^-beta is monotonic in d, so the two
// ends decide; d = 0 is excluded (its y is 0 by rule).
bool factor_fits_float(const LrnParams& p) {
  const double smallest_s = std::ldexp(1.0, -149);
  const double d_low = p.bias > 0 ? p.bias : p.alpha * smallest_s;
  const double d_high = p.bias + p.alpha * double(FLT_MAX);
  for (double d : {d_low, d_high}) {
    const double f = std::pow(d, -p.beta);
    if (!(f >= 2 * double(FLT_MIN) && f <= double(FLT_MAX) / 2)) return false;
  }
  return true;
}

/// Smallest float >= v (v >= 0), or +inf when v is beyond float.
float float_at_least(double v) {
  if (!(v <= double(FLT_MAX))) return INFINITY;
  float f = static_cast<float>(v);
  if (double(f) < v) f = std::nextafter(f, INFINITY);
  return f;
}

/// Numbers for p; w is the widest window (channels summed). Numbers (plan.h) says what the
/// bounds guarantee.
Numbers make_numbers(const LrnParams& p, double w) {
  Numbers k;
  k.bias_f = static_cast<float>(p.bias);
  k.alpha_f = static_cast<float>(p.alpha);
  k.bias_d = p.bias;
  k.alpha_d = p.alpha;
  k.neg_beta = -p.beta;
  k.neg_beta_log2e = -p.beta / 0.69314718055994530942;

  // Named betas: float d. Squares, the product and bias_f each round by at most 2^-150
  // absolute when subnormal, so d >= (alpha_f * w + 2) * 2^-122 keeps that below 2^-28
  // relative. alpha_f must not have lost bits itself.
  const bool alpha_f_ok = p.alpha == 0 || (k.alpha_f >= FLT_MIN && k.alpha_f <= FLT_MAX);
  k.lo_d = alpha_f_ok
               ? float_at_least(std::max(double(FLT_MIN), (double(k.alpha_f) * w + 2) * 0x1p-122))
               : INFINITY;

  // Other betas: double d from the float s, whose squares lose at most w * 2^-150.
  const double d_high = p.bias + p.alpha * double(FLT_MAX);
  if (!(d_high <= DBL_MAX / 2)) {
    k.lo_s = INFINITY;
  } else if (p.bias >= DBL_MIN && p.bias >= p.alpha * w * 0x1p-124) {
    k.lo_s = 0;  // bias alone keeps d normal and the squares' error small
  } else {
    const double lo = w * 0x1p-122;
    k.lo_s = p.alpha * lo >= DBL_MIN ? float_at_least(lo) : INFINITY;
  }

  // Exact path: d = 2^K * (bias_x + alpha_x * s) with alpha_x in [1, 2), so the double d is
  // normal for every float window (s = 0 or 2^-298 <= s < w * 2^256) and any valid alpha.
  // Where alpha * s is below 2^-113 of bias for every float s, alpha is dropped instead.
  k.bias_x = p.bias;
  k.alpha_x = 0;
  int K = 0;
  if (p.alpha > 0 && !(p.bias >= std::ldexp(p.alpha, 400))) {
    K = std::ilogb(p.alpha);
    k.alpha_x = std::ldexp(p.alpha, -K);
    k.bias_x = std::ldexp(p.bias, -K);
  }
  k.exp_bias_x = Numbers::kExpBias - K;
  return k;
}

}  // namespace

Plan make_plan(const LrnParams& p, std::size_t channels) {
  Plan plan;
  plan.channels = channels;
  plan.bias = p.bias;
  plan.alpha = p.alpha;
  plan.beta = p.beta;
  plan.beta_kind = beta_kind_of(p.beta);
  plan.general_fits_float = factor_fits_float(p);
  // long long: before/after may be as large as INT_MAX, channels as large as size_t allows.
  const long long last = static_cast<long long>(channels) - 1;
  plan.full_cover = p.before >= last && p.after >= last;
  plan.reach_before = static_cast<int>(std::min<long long>(p.before, last));
  plan.reach_after = static_cast<int>(std::min<long long>(p.after, last));
  plan.windows.resize(channels);
  int widest = 1;
  for (std::size_t c = 0; c < channels; ++c) {
    const long long cc = static_cast<long long>(c);
    Window& w = plan.windows[c];
    w.lo = static_cast<int>(std::max(0LL, cc - p.before));
    w.hi = static_cast<int>(std::min(last, cc + p.after));
    w.same_as_prev = c > 0 && w.lo == plan.windows[c - 1].lo && w.hi == plan.windows[c - 1].hi;
    widest = std::max(widest, w.hi - w.lo + 1);
  }
  plan.k = make_numbers(p, widest);
  return plan;
}

}  // namespace lrn::detail

namespace lrn {

Kernel::Kernel(const LrnParams& p, std::size_t channels)
    : Kernel(p, channels, supported_targets().front()) {}

Kernel::Kernel(const LrnParams& p, std::size_t channels, Target t)
    : params_(p), channels_(channels), target_(t) {
  if (!validate(p).empty()) throw std::invalid_argument("lrn::Kernel: invalid LrnParams");
  if (channels == 0) throw std::invalid_argument("lrn::Kernel: channels must be >= 1");
  const std::vector<Target> ok = supported_targets();
  if (std::find(ok.begin(), ok.end(), t) == ok.end())
    throw std::invalid_argument(std::string("lrn::Kernel: target not supported here: ") +
                                target_name(t));
  auto plan = std::make_shared<detail::Plan>(detail::make_plan(p, channels));
  plan->run = t == Target::Scalar ? detail::run_scalar : detail::simd_run_fn(t);
  plan->run_planar =
      t == Target::Scalar ? detail::run_scalar_planar : detail::simd_run_planar_fn(t);
  plan_ = std::move(plan);
}

void Kernel::run(const float* in, float* out, std::size_t pixels) const {
  if (pixels == 0) return;
  // d^0 is 1 for every d, including 0: y is x bit for bit on every target.
  if (plan_->beta_kind == detail::BetaKind::Zero) {
    if (in != out) std::memcpy(out, in, pixels * channels_ * sizeof(float));
    return;
  }
  plan_->run(*plan_, in, out, pixels);
}

void Kernel::run_planar(const float* in, std::size_t in_plane, float* out, std::size_t out_plane,
                        std::size_t pixels) const {
  if (pixels == 0) return;
  if (plan_->beta_kind == detail::BetaKind::Zero) {
    if (in != out)
      for (std::size_t c = 0; c < channels_; ++c)
        std::memcpy(out + c * out_plane, in + c * in_plane, pixels * sizeof(float));
    return;
  }
  plan_->run_planar(*plan_, in, in_plane, out, out_plane, pixels);
}

}  // namespace lrn
