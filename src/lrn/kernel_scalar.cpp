// The Scalar target: the SIMD kernel's operations (pow_hwy-inl.h, kernel_hwy.cpp) one lane at
// a time, in the same order and with the same constants, so it gives the same bits as every
// SIMD target. Compiled with -ffp-contract=off like them (src/CMakeLists.txt).
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "lrn/plan.h"

namespace lrn::detail {

namespace {

std::uint64_t bits_of(double d) {
  std::uint64_t u;
  std::memcpy(&u, &d, sizeof u);
  return u;
}

double from_bits(std::uint64_t u) {
  double d;
  std::memcpy(&d, &u, sizeof d);
  return d;
}

// hn::Max and hn::Min as x86 computes them (MAXPD/MINPD): the second operand when either is
// NaN, so NaN goes the same way as in the SIMD code.
double max_x86(double a, double b) { return a > b ? a : b; }
double min_x86(double a, double b) { return a < b ? a : b; }

/// pow_hwy-inl.h NegBetaLog2, one lane.
double neg_beta_log2(const Numbers& k, double exp_bias, double d) {
  const std::uint64_t bits = bits_of(max_x86(d, 2.2250738585072014e-308));
  const std::uint64_t e = (bits + 0x00095F619980C433ull) >> 52;
  const double m = from_bits((bits - (e << 52)) + 0x3FF0000000000000ull);
  const double e_d = from_bits(e | 0x4330000000000000ull) - exp_bias;
  const double u = m - 1.0;
  const double z2 = (u + u) / (m + 1.0);
  const double w = z2 * z2;
  double q = kLogPoly[0] * w + kLogPoly[1];
  for (int i = 2; i <= kLogDegree; ++i) q = q * w + kLogPoly[i];
  const double log_m = z2 * (q * w) + z2;
  return k.neg_beta * e_d + k.neg_beta_log2e * log_m;
}

/// pow_hwy-inl.h Exp2, one lane.
double exp2_poly(double t) {
  const double shifter = 6755399441055744.0;
  const double tc = min_x86(max_x86(t, -1021.0), 1000.0);
  const double r = tc + shifter;
  const double f = tc - (r - shifter);
  double p = kExp2Poly[0];
  for (int i = 1; i <= kExp2Degree; ++i) p = p * f + kExp2Poly[i];
  return from_bits(bits_of(p) + (bits_of(r) << 52));
}

/// pow_hwy-inl.h NegBetaPow, one lane.
double neg_beta_pow(const Numbers& k, double exp_bias, double d) {
  return exp2_poly(neg_beta_log2(k, exp_bias, d));
}

bool trusted(float lo, float v) { return v >= lo && v <= FLT_MAX; }

float float_base(const Numbers& k, float s) { return k.alpha_f * s + k.bias_f; }

// The Pow structs of pow_hwy-inl.h, one lane.
struct PowOne {
  using Factor = float;
  static Factor make(const Numbers& k, float s, bool& ok) {
    const float d = float_base(k, s);
    ok = trusted(k.lo_d, d);
    return d;
  }
  static float apply(float x, Factor f) { return x / f; }
};

struct PowHalf {
  using Factor = float;
  static Factor make(const Numbers& k, float s, bool& ok) {
    const float d = float_base(k, s);
    ok = trusted(k.lo_d, d);
    return std::sqrt(d);
  }
  static float apply(float x, Factor f) { return x / f; }
};

struct PowThreeQuarters {
  using Factor = float;
  static Factor make(const Numbers& k, float s, bool& ok) {
    const float d = float_base(k, s);
    ok = trusted(k.lo_d, d);
    const float r = 1.0f / std::sqrt(d);
    return r * std::sqrt(r);
  }
  static float apply(float x, Factor f) { return x * f; }
};

template <bool kFloatProduct>
struct PowGeneral {
  struct Factor {
    double v;
    float f;
  };
  static Factor make(const Numbers& k, float s, bool& ok) {
    ok = trusted(k.lo_s, s);
    Factor f;
    f.v = neg_beta_pow(k, Numbers::kExpBias, k.alpha_d * double(s) + k.bias_d);
    f.f = static_cast<float>(f.v);
    return f;
  }
  static float apply(float x, const Factor& f) {
    if constexpr (kFloatProduct) return x * f.f;
    return static_cast<float>(double(x) * f.v);
  }
};

/// Where a layout keeps value c of pixel i: at i * pixel_step + c * channel_step.
struct Layout {
  std::size_t pixel_step;
  std::size_t channel_step;
};

/// kernel_hwy.cpp's blocks, one pixel at a time: the float window sum, the fast factor, and
/// for the channels whose window it cannot be trusted for, x where x is 0 and the exact path
/// elsewhere.
template <class Pow>
void run_pixels(const Plan& plan, const float* in, Layout li, float* out, Layout lo,
                std::size_t pixels) {
  const std::size_t channels = plan.channels;
  const Numbers& k = plan.k;
  std::vector<float> x(channels), y(channels);  // copies, so in == out works
  for (std::size_t i = 0; i < pixels; ++i) {
    for (std::size_t c = 0; c < channels; ++c) x[c] = in[i * li.pixel_step + c * li.channel_step];
    typename Pow::Factor f{};
    bool ok = true;
    double exact = 0;
    bool have_exact = false;
    for (std::size_t c = 0; c < channels; ++c) {
      const Window& w = plan.windows[c];
      if (c == 0 || !w.same_as_prev) {
        float s = x[w.lo] * x[w.lo];
        for (int j = w.lo + 1; j <= w.hi; ++j) s = s + x[j] * x[j];
        f = Pow::make(k, s, ok);
        have_exact = false;
      }
      if (ok) {
        y[c] = Pow::apply(x[c], f);
        continue;
      }
      if (x[c] == 0) {
        y[c] = x[c];
        continue;
      }
      if (!have_exact) {
        double s = 0;
        for (int j = w.lo; j <= w.hi; ++j) s = s + double(x[j]) * double(x[j]);
        exact = neg_beta_pow(k, k.exp_bias_x, k.alpha_x * s + k.bias_x);
        have_exact = true;
      }
      y[c] = static_cast<float>(double(x[c]) * exact);
    }
    for (std::size_t c = 0; c < channels; ++c) out[i * lo.pixel_step + c * lo.channel_step] = y[c];
  }
}

void run_any(const Plan& plan, const float* in, Layout li, float* out, Layout lo,
             std::size_t pixels) {
  switch (plan.beta_kind) {
    case BetaKind::Half: return run_pixels<PowHalf>(plan, in, li, out, lo, pixels);
    case BetaKind::ThreeQuarters:
      return run_pixels<PowThreeQuarters>(plan, in, li, out, lo, pixels);
    case BetaKind::One: return run_pixels<PowOne>(plan, in, li, out, lo, pixels);
    case BetaKind::General:
      if (plan.general_fits_float)
        return run_pixels<PowGeneral<true>>(plan, in, li, out, lo, pixels);
      return run_pixels<PowGeneral<false>>(plan, in, li, out, lo, pixels);
    case BetaKind::Zero: break;  // Kernel::run copies; never dispatched here
  }
}

}  // namespace

void run_scalar(const Plan& plan, const float* in, float* out, std::size_t pixels) {
  const Layout hwc{plan.channels, 1};
  run_any(plan, in, hwc, out, hwc, pixels);
}

void run_scalar_planar(const Plan& plan, const float* in, std::size_t in_plane, float* out,
                       std::size_t out_plane, std::size_t pixels) {
  run_any(plan, in, Layout{1, in_plane}, out, Layout{1, out_plane}, pixels);
}

}  // namespace lrn::detail
