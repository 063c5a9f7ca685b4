// Within-channel (spatial) LRN: each value divided by a power of its n x n neighbourhood's
// sum of squares in its own channel plane.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lrn/family/kernel_shape.h"
#include "lrn/family/operation.h"

namespace lrn::family {

/// Whose spatial LRN to compute (normalization-family.md section 1). For one channel plane x,
/// odd window side n = 2r + 1 and S = sum of x^2 over the n x n window centred on the pixel,
/// in-image samples only (zero padding):
///
///   y = x * (K + A * S)^(-beta)
///
/// - Caffe (default): K = 1 (Caffe's k is ignored: its Power layer hard-codes shift 1),
///   A = alpha / n^2 always, border or not (AVE pooling's divisor is computed before clipping).
///   BVLC/caffe src/caffe/layers/lrn_layer.cpp, WithinChannelForward. Defaults n 5, alpha 1.
/// - Onednn: K = k (bias), A = alpha / n^2 always. oneDNN src/cpu/ref_lrn.cpp
///   (summands = size^2). Defaults n 5, alpha 1e-4, k 1.
/// - Matconvnet: K = 1, A = alpha / (number of in-image samples in the window): the valid
///   divisor. vlfeat/matconvnet matlab/vl_nnspnorm.m. Defaults n 5, alpha 1e-4.
/// beta defaults to 0.75 everywhere. Even n is refused by all three.
enum class SpatialLrnConvention { Caffe, Onednn, Matconvnet };

const char* convention_name(SpatialLrnConvention c);  ///< "caffe", "onednn", "matconvnet"
std::optional<SpatialLrnConvention> parse_spatial_lrn_convention(const std::string& name);

struct SpatialLrnParams {
  SpatialLrnConvention convention = SpatialLrnConvention::Caffe;
  int size = 5;        ///< n, odd, 1..kMaxWindow
  double alpha = 1.0;  ///< >= 0, finite; divided by n^2 (or the valid count) as stated above
  double beta = 0.75;  ///< finite
  /// k: only the onednn convention takes one (>= 0, finite; unset means 1). Caffe and
  /// MatConvNet have none: setting it there is a problem that names onednn.
  std::optional<double> bias;

  /// The convention's own defaults (table above).
  static SpatialLrnParams defaults(SpatialLrnConvention c);
  /// K as computed: the bias under onednn (1 when unset), else 1.
  double k() const { return convention == SpatialLrnConvention::Onednn ? bias.value_or(1.0) : 1.0; }
};

/// Every problem with p, one message each (lowercase, no trailing period); empty when valid.
std::vector<std::string> validate(const SpatialLrnParams& p);

/// The operation: halo r, one pass. Sums of squares in double (block scheme, O(1) per sample,
/// window.h), or on 8-bit data (integers |x| <= 255, size <= 15, 1-4 interleaved channels)
/// exact running sums in float (box_exact.h: the same values, so the same bits), and K + A * S
/// in double. For beta 0.5, 0.75 and 1 the power is then taken in
/// float from that base rounded to float, with correctly rounded sqrt and division (within
/// 3e-7 relative of the float64 formula; bases outside [1e-30, 1e30] go the double way);
/// other betas use exp/log in double. Where K + A * S is 0 (k 0 and an all-zero window), y is
/// 0. Throws std::invalid_argument when p is invalid or g is not valid.
std::unique_ptr<Operation> make_spatial_lrn(const SpatialLrnParams& p, const Geometry& g);

}  // namespace lrn::family
