// Internal: x * d^(-beta) in double, with closed forms for the common betas.
#pragma once

#include <cmath>
#include <cstddef>

#include "lrn/family/loops.h"

namespace lrn::family::detail {

/// x * d^(-beta) for d >= 0; 0 where d is 0 (never NaN or infinity from a zero base), x where
/// beta is 0. beta 0.5, 0.75 and 1 use sqrt and division (correctly rounded steps), others
/// exp(-beta * log(d)).
class NegativePower {
 public:
  explicit NegativePower(double beta) : beta_(beta) {
    kind_ = beta == 0      ? Zero
            : beta == 0.5  ? Half
            : beta == 0.75 ? ThreeQuarters
            : beta == 1    ? One
                           : General;
  }
  double scale(double x, double d) const {
    if (kind_ == Zero) return x;
    if (!(d > 0)) return 0;
    switch (kind_) {
      case Half: return x / std::sqrt(d);
      case ThreeQuarters: {
        const double r = 1 / std::sqrt(d);
        return x * (r * std::sqrt(r));
      }
      case One: return x / d;
      default: return x * std::exp(-beta_ * std::log(d));
    }
  }

  /// y[i] = x[i] * d^(-beta) with d = k + a * s[i] (in double) for a row. beta 0.5, 0.75 and
  /// 1 are computed in float from d rounded to float (a few float roundings: within 3e-7
  /// relative of the double result), in a loop the compiler vectorises; d outside
  /// [1e-30, 1e30] (where a float power could overflow or lose precision) and other betas take
  /// the double path above.
  /// S is double, or float for box_exact.h's exact sums (each widened: the same d).
  template <class S>
  void apply(const float* __restrict x, const S* __restrict s, double k, double a,
             float* __restrict y, std::size_t n) const {
    bool outside = false;
    switch (kind_) {
      case Zero:
        for (std::size_t i = 0; i < n; ++i) y[i] = x[i];
        return;
      case Half: outside = pow_half(x, s, k, a, y, n); break;
      case ThreeQuarters: outside = pow_three_quarters(x, s, k, a, y, n); break;
      case One: outside = pow_one(x, s, k, a, y, n); break;
      case General:
        for (std::size_t i = 0; i < n; ++i)
          y[i] = static_cast<float>(scale(x[i], k + a * static_cast<double>(s[i])));
        return;
    }
    // Rare: bases a float power could overflow or lose; redone in double.
    if (!outside) return;
    for (std::size_t i = 0; i < n; ++i) {
      const double d = k + a * static_cast<double>(s[i]);
      if (!(d >= 1e-30 && d <= 1e30)) y[i] = static_cast<float>(scale(x[i], d));
    }
  }

 private:
  enum Kind { Zero, Half, ThreeQuarters, One, General };
  double beta_;
  Kind kind_;
};

}  // namespace lrn::family::detail
