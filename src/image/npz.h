// Reading a ZCA whitening (mean and matrix P) from a NumPy .npz file: np.savez or
// np.savez_compressed of two arrays named `mean` (C values) and `P` (C x C).
#pragma once

#include <cstdint>
#include <string>

#include "lrn/family/zca.h"

namespace lrn {

/// Largest .npz file read_zca_npz accepts (a 3 x 3 whitening is under 1 KB; 4096 channels in
/// float64 are 128 MB).
constexpr std::uint64_t kMaxZcaBytes = std::uint64_t{256} << 20;

/// Reads `mean` and `P` from the .npz at path: a zip of .npy members, stored or deflated
/// (what np.savez and np.savez_compressed write), float32 or float64 little-endian, C or
/// Fortran order; P is returned row-major. Throws FileError naming the file for anything else:
/// not a zip, zip64, a member missing, damaged or over-long, a checksum that does not match,
/// a wrong dtype or shape, a non-finite value.
family::ZcaParams read_zca_npz(const std::string& path);

}  // namespace lrn
