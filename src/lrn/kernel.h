// The LRN kernel: interleaved float pixels in, interleaved float pixels out. Cannot fail once
// its parameters are valid.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "lrn/params.h"

namespace lrn {

namespace detail {
struct Plan;
}

/// Instruction sets the kernel is compiled for, best last. Scalar is plain C++ doing the SIMD
/// targets' operations one value at a time, used on CPUs without SSE4.2. The SIMD targets
/// take any channel count (1-4 specialised, others through a planar transpose). All give the
/// same bytes for the same input and parameters (see Kernel).
enum class Target { Scalar, SSE4, AVX2, AVX3 };

/// Human-readable name: "scalar", "sse4", "avx2", "avx3" (AVX-512 F/VL/DQ/BW).
const char* target_name(Target t);

/// Targets compiled into this binary, best first, whether or not this CPU can run them.
std::vector<Target> compiled_targets();

/// Targets compiled in AND supported by this CPU and OS, best first; always ends with Scalar.
/// Read once from glibc's start-up answers (<sys/platform/x86.h>: usable features, so the OS
/// saves the AVX/AVX-512 registers), or libgcc's __builtin_cpu_supports with other C
/// libraries (src/lrn/dispatch.cpp says why).
std::vector<Target> supported_targets();

/// A prepared LRN for a fixed parameter set and channel count.
///
/// Layout: HWC, that is pixels one after another with their `channels` values interleaved
/// (what decoders produce, so no transpose is needed on the way in or out), or CHW planes
/// (run_planar, what NCHW tensors hold): both are native, so neither layout is ever
/// transposed into the other and back. The planar form's SIMD lanes are pixels, read from the
/// planes where they are. The interleaved form's lanes are a pixel's channels where it has at
/// least as many channels as lanes and windows reach at most 16 channels either way (read
/// where they lie; the window sums are unaligned loads of the squares), and pixels otherwise
/// (blocks moved into planes in registers or cache). Each value goes through the same
/// operations whichever lane holds it. A row block of any number of pixels is processed in
/// one call.
///
/// Results are bit-identical however a buffer is split into calls (the SIMD tail uses the
/// same vector code on a padded copy), so thread count and block size never change output,
/// and bit-identical on every Target: each value goes through the same IEEE operations in the
/// same order everywhere (no fused multiply-add, one exp/log polynomial; lrn/plan.h).
/// Accuracy against a float64 reference, for every float x (subnormal and huge included) and
/// any valid parameters: 1e-6 relative on the beta 0.5/0.75/1 fast paths, 2e-6 on the general
/// exp/log path (computed in double), plus one subnormal step (1.4e-45) where y is below
/// float's normal range; y beyond float's range is inf; beta 0 copies x exactly. Windows whose
/// float sums would leave float's normal range (squares of |x| beyond about 1e-19 .. 1e19)
/// are recomputed exactly in double with a power-of-two scale, per value, so ordinary data
/// pays only a range check.
///
/// Where every channel's window covers all channels, one pow is computed per pixel.
/// Immutable after construction: run() may be called from many threads at once.
class Kernel {
 public:
  /// p must be valid (validate(p) empty); channels >= 1. Picks the best supported target.
  /// Throws std::invalid_argument when a precondition is broken (a caller bug).
  Kernel(const LrnParams& p, std::size_t channels);
  /// Same, on an explicit target; it must be in supported_targets() (else
  /// std::invalid_argument).
  Kernel(const LrnParams& p, std::size_t channels, Target t);

  /// in and out hold `pixels * channels()` floats; in == out (in place) is allowed, other
  /// overlap is not. No alignment is required.
  void run(const float* in, float* out, std::size_t pixels) const;

  /// Planar form (CHW): value c of pixel i is in[c * in_plane + i] for i < pixels, and is
  /// written to out[c * out_plane + i]. Bit-identical to run() on the same values
  /// interleaved. in == out with in_plane == out_plane (in place) is allowed; other overlap
  /// is not. in_plane, out_plane >= pixels.
  void run_planar(const float* in, std::size_t in_plane, float* out, std::size_t out_plane,
                  std::size_t pixels) const;

  Target target() const { return target_; }
  std::size_t channels() const { return channels_; }
  const LrnParams& params() const { return params_; }

 private:
  LrnParams params_;
  std::size_t channels_;
  Target target_;
  std::shared_ptr<const detail::Plan> plan_;  ///< shared so copies stay cheap
};

}  // namespace lrn
