// Local mean subtraction: each value minus the kernel-weighted mean of its n x n neighbourhood.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lrn/family/kernel_shape.h"
#include "lrn/family/operation.h"

namespace lrn::family {

/// y = x - m, m = sum over the window of w(p, q) x(. + p, . + q) / M (normalization-family.md
/// section 3). Window: n x n, n odd, centred; w = 1 (box) or torch/image gaussian1D(n) taps,
/// g[i] = exp(-((i - (n/2 + 0.5)) / (0.25 n))^2 / 2), i = 1..n, outer product with itself.
/// Samples outside the image are absent (zero padding); conventions differ in M:
/// - Torch7 (default): M = the weight of the in-image samples (the valid count for a box; the
///   in-image mass for a Gaussian, the product of the two axes' masses): the mean of what is
///   there. torch/nn SpatialSubtractiveNormalization.lua ("coef" map); scikit-image
///   filters.rank.mean; torch avg_pool2d(count_include_pad=False).
/// - ZeroPad: M = the whole window's weight (n^2 for a box), border or not: the mean of the
///   zero-padded window. pylearn2, DAAL, scipy uniform_filter(mode='constant'),
///   avg_pool2d(count_include_pad=True).
/// per_channel (default): each channel plane separately. Joint: one mean over all C channels
/// (weights divided by C, as torch's module does), subtracted from every channel.
/// Defaults: box, n 9.
enum class LmsConvention { Torch7, ZeroPad };

const char* convention_name(LmsConvention c);  ///< "torch7", "zero-pad"
std::optional<LmsConvention> parse_lms_convention(const std::string& name);

struct LmsParams {
  LmsConvention convention = LmsConvention::Torch7;
  KernelShape kernel = KernelShape::Box;
  int size = 9;             ///< n, odd, 1..kMaxWindow
  bool per_channel = true;  ///< false: one mean over all channels
};

std::vector<std::string> validate(const LmsParams& p);

/// Halo r, one pass; sums in double (box: block scheme, O(1) per sample), y rounded once to
/// float. Throws std::invalid_argument when p is invalid or g is not valid.
std::unique_ptr<Operation> make_lms(const LmsParams& p, const Geometry& g);

}  // namespace lrn::family
