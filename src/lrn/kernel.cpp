// Kernel construction (parameters -> Plan), run(), and the plain C++ Scalar path.
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
  plan.windows.resize(channels);
  for (std::size_t c = 0; c < channels; ++c) {
    const long long cc = static_cast<long long>(c);
    Window& w = plan.windows[c];
    w.lo = static_cast<int>(std::max(0LL, cc - p.before));
    w.hi = static_cast<int>(std::min(last, cc + p.after));
    w.same_as_prev = c > 0 && w.lo == plan.windows[c - 1].lo && w.hi == plan.windows[c - 1].hi;
  }
  return plan;
}

void run_scalar(const Plan& plan, const float* in, float* out, std::size_t pixels) {
  const std::size_t channels = plan.channels;
  // Squares of the current pixel, taken before any output is written so in == out works.
  std::vector<double> sq(channels);
  for (std::size_t i = 0; i < pixels; ++i) {
    const float* x = in + i * channels;
    float* y = out + i * channels;
    for (std::size_t c = 0; c < channels; ++c) sq[c] = double(x[c]) * double(x[c]);
    double factor = 0;
    for (std::size_t c = 0; c < channels; ++c) {
      const Window& w = plan.windows[c];
      if (!w.same_as_prev) {
        double sum = 0;
        for (int k = w.lo; k <= w.hi; ++k) sum += sq[k];
        const double d = plan.bias + plan.alpha * sum;
        // Capped so that x = 0 gives 0 rather than 0 * inf; any x != 0 still overflows float.
        factor = d == 0 ? 0.0 : std::min(std::pow(d, -plan.beta), DBL_MAX);
      }
      y[c] = static_cast<float>(double(x[c]) * factor);
    }
  }
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

}  // namespace lrn
