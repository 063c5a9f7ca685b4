// Internal: what a Kernel precomputes from LrnParams, shared by the scalar and SIMD paths.
#pragma once

#include <cstddef>
#include <vector>

#include "lrn/kernel.h"
#include "lrn/params.h"

namespace lrn::detail {

/// Which formula turns the window sum into y. The named betas have exact closed forms built
/// from correctly rounded sqrt/div; everything else goes through exp/log in double.
enum class BetaKind {
  Zero,           ///< y = x
  Half,           ///< y = x / sqrt(d)
  ThreeQuarters,  ///< r = 1/sqrt(d), y = x * r * sqrt(r)
  One,            ///< y = x / d
  General,        ///< y = x * exp(-beta * log(d)), in double
};

/// The clipped channel range [lo, hi] summed for one output channel.
struct Window {
  int lo = 0;
  int hi = 0;
  /// Same range as the previous channel's: its pow can be reused. Windows only move forward
  /// with c, so equal windows are always neighbours.
  bool same_as_prev = false;
};

struct Plan;

/// One implementation of the kernel: `pixels` HWC pixels from in to out (in == out allowed).
using RunFn = void (*)(const Plan& plan, const float* in, float* out, std::size_t pixels);

/// Everything run() needs, fixed at construction.
struct Plan {
  std::size_t channels = 1;
  double bias = 1;
  double alpha = 0;
  double beta = 0;
  BetaKind beta_kind = BetaKind::General;
  /// Every channel's window covers all channels: one pow per pixel.
  bool full_cover = false;
  /// BetaKind::General only: d^-beta is a normal float (with margin) for every d the float
  /// window sums can produce, so the SIMD path may multiply x by it in float.
  bool general_fits_float = false;
  std::vector<Window> windows;  ///< one per channel
  RunFn run = nullptr;          ///< the chosen target's implementation
};

/// Windows, beta kind and full_cover for valid p and channels >= 1; run left unset.
Plan make_plan(const LrnParams& p, std::size_t channels);

/// The plain C++ path (Target::Scalar): sums and pow in double, rounded once to float.
void run_scalar(const Plan& plan, const float* in, float* out, std::size_t pixels);

/// The SIMD implementation compiled for t, or nullptr when t is Scalar or not compiled in.
RunFn simd_run_fn(Target t);

}  // namespace lrn::detail
