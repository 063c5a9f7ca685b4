// Global contrast normalization: per-image statistics, then (x - mean) / divisor.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lrn/family/operation.h"

namespace lrn::family {

/// Statistics over all N = H x W x C values of one image (per_channel: over the N = H x W
/// values of each channel, each channel with its own mean and divisor). mean = sum x / N,
/// ssq = sum (x - mean)^2 (centred, never E[x^2] - E[x]^2). Then y = (x - mean) / d with
/// (normalization-family.md section 4):
/// - Pylearn2 (default): d = sqrt(sqrt_bias + ssq) / scale, or with use_std
///   d = sqrt(sqrt_bias + ssq / (N - 1)) / scale (NumPy var, ddof 1; N = 1 counts as var 0);
///   d < min_divisor -> d = 1. Defaults scale 1, sqrt_bias 0, use_std off, min_divisor 1e-8.
///   pylearn2 pylearn2/expr/preprocessing.py global_contrast_normalize.
/// - Tf: d = max(sqrt(ssq / N), 1 / sqrt(N)) (population std). tf.image.per_image_standardization.
/// - CaffeMvn: d = sqrt(ssq / N) + 1e-9 (population std plus Caffe's eps). BVLC/caffe
///   mvn_layer.cpp, normalize_variance true; per channel by default (across_channels false).
/// scale, sqrt_bias, use_std and min_divisor belong to pylearn2 only.
/// Presets: "maxout-cifar10" = pylearn2 with scale 55 (pylearn2 datasets/cifar10.py);
/// "coates" = pylearn2 with use_std and sqrt_bias 10 (pylearn2's docstring).
enum class GcnConvention { Pylearn2, Tf, CaffeMvn };

const char* convention_name(GcnConvention c);  ///< "pylearn2", "tf", "caffe-mvn"
std::optional<GcnConvention> parse_gcn_convention(const std::string& name);

struct GcnParams {
  GcnConvention convention = GcnConvention::Pylearn2;
  double scale = 1.0;         ///< pylearn2: > 0, finite
  double sqrt_bias = 0.0;     ///< pylearn2: >= 0, finite
  bool use_std = false;       ///< pylearn2: variance (ddof 1) instead of the sum of squares
  double min_divisor = 1e-8;  ///< pylearn2: >= 0, finite, <= scale; smaller divisors become 1
  bool per_channel = false;   ///< statistics per channel instead of over all values

  /// The convention's defaults (caffe-mvn: per channel).
  static GcnParams defaults(GcnConvention c);
  /// "maxout-cifar10" or "coates"; std::nullopt for other names.
  static std::optional<GcnParams> preset(const std::string& name);
};

/// The preset names, for help and error messages.
std::vector<std::string> gcn_preset_names();

std::vector<std::string> validate(const GcnParams& p);

/// Halo 0, two passes: accumulate() gathers, per row, the row's mean and centred sum of squares
/// in double (four fixed interleaved accumulators) and merges them in row order (Chan et al.'s
/// pairwise update), so the statistics do not depend on the row split; run_rows() applies
/// (x - mean) * (1 / d) in double, rounded once to float. Throws std::invalid_argument when p is invalid or g is not valid.
std::unique_ptr<Operation> make_gcn(const GcnParams& p, const Geometry& g);

}  // namespace lrn::family
