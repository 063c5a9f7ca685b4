// LrnParams: the one set of numbers that defines an LRN, and its validation.
#pragma once

#include <string>
#include <vector>

namespace lrn {

/// Local Response Normalization across channels, for one pixel of C channels:
///
///   sqr_sum[c] = sum of x[c']^2 for c' = max(0, c - before) .. min(C - 1, c + after)
///   y[c]       = x[c] / (bias + alpha * sqr_sum[c]) ^ beta
///
/// - alpha is used exactly as given: it is NOT divided by the window size. Conventions that
///   divide (Caffe, PyTorch, ONNX) are mapped onto this form by lrn/convention.h.
/// - The window is clipped at the channel ends (same as zero padding) and the divisor does not
///   change near the ends.
/// - TensorFlow's depth_radius r is before = after = r.
/// - Where bias + alpha * sqr_sum is 0 (bias 0 and an all-zero window, or a sum that
///   underflows), y is 0, never NaN or infinity.
/// - Values are whatever the caller feeds: for decoded images 0..255 by default (LRN is not
///   scale-invariant, so the range is part of the parameters' meaning).
struct LrnParams {
  int before = 2;            ///< channels before c in the window, >= 0
  int after = 2;             ///< channels after c in the window, >= 0
  double bias = 1.0;         ///< k, >= 0, finite
  double alpha = 0.001 / 9;  ///< >= 0, finite; bias and alpha are not both 0
  double beta = 0.75;        ///< finite, any sign

  /// TensorFlow's form: a symmetric window of depth_radius r.
  static LrnParams tf(int radius, double bias, double alpha, double beta) {
    return LrnParams{radius, radius, bias, alpha, beta};
  }
};

/// Every problem with p, one message each (lowercase, no trailing period); empty when valid.
std::vector<std::string> validate(const LrnParams& p);

}  // namespace lrn
