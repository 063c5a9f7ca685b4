// ZCA whitening, applied per pixel with a supplied mean and matrix (fitting is a data-set job).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "lrn/family/operation.h"

namespace lrn::family {

/// y = (x - mean) P for each pixel's C values as a row vector (normalization-family.md
/// section 5; pylearn2 ZCA.apply: `(X - mean_) . P_`):
///   y[j] = sum over i of (x[i] - mean[i]) * P[i * C + j]
/// in double, i in order, rounded once to float. P is row-major C x C (P[i * C + j] is row i,
/// column j, as NumPy stores a C-order array). pylearn2 fits P = V diag(1 / sqrt(lambda)) V^T
/// on cov = Xc^T Xc / N + 0.1 I; any C x C matrix is accepted here.
struct ZcaParams {
  std::vector<double> mean;  ///< C values, finite
  std::vector<double> P;     ///< C * C values, finite
};

/// Every problem with p for an image of `channels` channels (mean must hold C values, P C x C,
/// all finite); empty when valid.
std::vector<std::string> validate(const ZcaParams& p, std::size_t channels);

/// Halo 0, one pass. Throws std::invalid_argument when p does not fit g (validate) or g is not
/// valid.
std::unique_ptr<Operation> make_zca(const ZcaParams& p, const Geometry& g);

}  // namespace lrn::family
