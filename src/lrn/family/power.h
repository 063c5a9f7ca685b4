// Internal: x * d^(-beta) in double, with closed forms for the common betas.
#pragma once

#include <cmath>

namespace lrn::family::detail {

/// x * d^(-beta) for d >= 0; 0 where d is 0 (never NaN or infinity from a zero base), x where
/// beta is 0. beta 0.5, 0.75 and 1 use sqrt and division (correctly rounded steps), others
/// exp(-beta * log(d)).
class NegativePower {
 public:
  explicit NegativePower(double beta) : beta_(beta) {
    kind_ = beta == 0 ? Zero : beta == 0.5 ? Half : beta == 0.75 ? ThreeQuarters
                                                    : beta == 1 ? One : General;
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

 private:
  enum Kind { Zero, Half, ThreeQuarters, One, General };
  double beta_;
  Kind kind_;
};

}  // namespace lrn::family::detail
