// Local contrast normalization: subtract a local mean, then divide by a local deviation.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lrn/family/kernel_shape.h"
#include "lrn/family/operation.h"

namespace lrn::family {

/// Whose LCN to compute (normalization-family.md section 2). Notation: n = 2r + 1 odd;
/// w(p, q) = t[p] t[q] / (sum t)^2, the window's 2-D weights normalised to 1; a(y, x) = the
/// in-image part of that mass (product of the two axes' in-image masses). Samples outside the
/// image are absent (zero padding) unless a convention corrects for them. "Joint" (one mean
/// and one deviation map for all C channels) weighs each channel w / C; "per channel" runs the
/// formulas on each plane alone (C = 1). All sums in double; y rounded once to float; where a
/// final divisor is 0 (only possible where the numerator is 0 too), y is 0.
///
/// - Torch7 (default; joint, box 9, threshold 1e-4): torch/nn SpatialContrastiveNormalization =
///   SpatialSubtractiveNormalization then SpatialDivisiveNormalization, Threshold(t, t).
///     m = sum_c sum w x_c / C / a            (the "coef" map a corrects the border)
///     v = x - m
///     sigma = sqrt(sum_c sum w v_c^2 / C) / a   (divided by a, not sqrt(a))
///     sigma' = sigma if sigma > t else t;  y = v / sigma'
///   Box = the module's default 2-D kernel ones(9, 9). Gaussian = torch/image gaussian1D(n),
///   g[i] = exp(-((i - (n/2 + 0.5)) / (0.25 n))^2 / 2), which is 1-D: torch then divides the
///   kernel by C on each of its two axes, so its sigma is sqrt(C) times the formula above
///   (and a is a / C); we compute exactly that (no difference for C = 1 or per channel).
/// - Jarrett (joint, Gaussian 9 with gaussian1D's shape, threshold 0; two passes): Jarrett et
///   al. 2009 as Intel DAAL's LCN layer computes it.
///     v = x - sum_c sum w x_c / C;  sigma = sqrt(sum_c sum w v_c^2 / C)   (no correction)
///     y = v / max(sigma, mean of sigma over the image's pixels, t)
/// - Pylearn2 (per channel, Gaussian 7 with sigma 2 px: exp(-(p^2 + q^2) / 8) normalised,
///   threshold 1e-4; two passes): pylearn2/datasets/preprocessing.py lecun_lcn.
///     m = sum w x;  denom = sqrt(sum w x^2)   (of the raw x, not of x - m)
///     y = (x - m) / max(mean of denom over the image's pixels, denom, t)
/// - Pinto (joint, box 3, threshold 1; box only): npinto/v1like v1like_funcs.py v1like_norm,
///   'same' mode. With s = n^2 C (n^2 per channel), S1 = box sum of x, S2 = box sum of x^2:
///     num = x - S1 / s;  div = sqrt(max(S2 - S1^2 / s, 0)) + 1e-5;
///     div < t + 1e-5 -> div = 1;  y = num / div
/// Even n is refused (every source pads n/2 on each side and would change the image's size).
enum class LcnConvention { Torch7, Jarrett, Pylearn2, Pinto };

const char* convention_name(LcnConvention c);  ///< "torch7", "jarrett", "pylearn2", "pinto"
std::optional<LcnConvention> parse_lcn_convention(const std::string& name);

struct LcnParams {
  LcnConvention convention = LcnConvention::Torch7;
  KernelShape kernel = KernelShape::Box;
  int size = 9;             ///< n, odd, 1..kMaxWindow
  double threshold = 1e-4;  ///< t, >= 0, finite
  bool per_channel = false;

  /// The convention's defaults (table above).
  static LcnParams defaults(LcnConvention c);
};

std::vector<std::string> validate(const LcnParams& p);

/// Torch7 and Jarrett: halo 2r (a mean window, then a deviation window over its result);
/// Pylearn2 and Pinto: halo r. Jarrett and Pylearn2 make two passes (the image-wide mean of the
/// deviation map first, summed per row in x order and over rows in row order). Throws
/// std::invalid_argument when p is invalid or g is not valid.
std::unique_ptr<Operation> make_lcn(const LcnParams& p, const Geometry& g);

}  // namespace lrn::family
