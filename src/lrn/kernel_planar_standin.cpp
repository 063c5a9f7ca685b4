// TEMPORARY STAND-IN for Kernel::run_planar until the SIMD planar kernel (branch `kernel`)
// lands; drop this file (and its line in src/CMakeLists.txt) when merging that one.
// It gathers a chunk of pixels into an interleaved buffer, runs run(), and scatters the
// result back: bit-identical to run() by construction, but it moves every value twice more.
#include <algorithm>
#include <vector>

#include "lrn/kernel.h"

namespace lrn {

void Kernel::run_planar(const float* in, std::size_t in_plane, float* out,
                        std::size_t out_plane, std::size_t pixels) const {
  constexpr std::size_t kChunkFloats = 8 * 1024;  // stays in L1/L2 between gather and scatter
  const std::size_t c_count = channels_;
  const std::size_t chunk = std::max<std::size_t>(1, kChunkFloats / c_count);
  std::vector<float> buf(std::min(chunk, pixels) * c_count);
  for (std::size_t first = 0; first < pixels; first += chunk) {
    const std::size_t n = std::min(chunk, pixels - first);
    for (std::size_t c = 0; c < c_count; ++c) {
      const float* src = in + c * in_plane + first;
      for (std::size_t i = 0; i < n; ++i) buf[i * c_count + c] = src[i];
    }
    run(buf.data(), buf.data(), n);
    for (std::size_t c = 0; c < c_count; ++c) {
      float* dst = out + c * out_plane + first;
      for (std::size_t i = 0; i < n; ++i) dst[i] = buf[i * c_count + c];
    }
  }
}

}  // namespace lrn
