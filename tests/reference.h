// A naive float64 LRN written straight from the formula in lrn/params.h: the yardstick that
// the kernel (every target) and other tests compare against.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "lrn/params.h"

namespace lrn_test {

/// y for HWC pixels x with `channels` values each (x.size() a multiple of channels), every
/// square, sum and power in double:
///   sqr_sum[c] = sum of x[c']^2, c' = max(0, c - before) .. min(C - 1, c + after)
///   y[c]       = x[c] / (bias + alpha * sqr_sum[c])^beta
/// beta 0 gives x (d^0 = 1 for every d); a zero base gives 0.
inline std::vector<double> lrn_reference(const std::vector<double>& x, std::size_t channels,
                                         const lrn::LrnParams& p) {
  const long long last = static_cast<long long>(channels) - 1;
  std::vector<double> y(x.size());
  for (std::size_t pixel = 0; pixel < x.size(); pixel += channels) {
    for (long long c = 0; c <= last; ++c) {
      double sum = 0;
      for (long long k = std::max(0LL, c - p.before); k <= std::min(last, c + p.after); ++k)
        sum += x[pixel + k] * x[pixel + k];
      const double base = p.bias + p.alpha * sum;
      const double xc = x[pixel + c];
      double yc = 0;
      if (p.beta == 0) yc = xc;
      else if (base != 0) yc = xc / std::pow(base, p.beta);
      y[pixel + c] = yc;
    }
  }
  return y;
}

/// The same for float input (widened exactly to double).
inline std::vector<double> lrn_reference(const std::vector<float>& x, std::size_t channels,
                                         const lrn::LrnParams& p) {
  return lrn_reference(std::vector<double>(x.begin(), x.end()), channels, p);
}

}  // namespace lrn_test
