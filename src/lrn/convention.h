// Framework conventions for LRN's window and alpha, mapped onto LrnParams.
#pragma once

#include <optional>
#include <string>

#include "lrn/params.h"

namespace lrn {

/// How a framework states the window and alpha:
/// - Tf:    depth_radius r: channels c-r .. c+r; alpha used as given.
/// - Torch: size N: channels c - N/2 .. c + (N-1)/2 (integer division); alpha/N.
/// - Onnx:  size N: channels c - floor((N-1)/2) .. c + ceil((N-1)/2); alpha/N.
/// - Caffe: size N, odd only: channels c - (N-1)/2 .. c + (N-1)/2; alpha/N.
/// All clip the window at the channel ends and keep the divisor N there.
enum class Convention { Tf, Torch, Onnx, Caffe };

const char* convention_name(Convention c);
std::optional<Convention> parse_convention(const std::string& name);

/// A framework's own statement of the parameters. `window` is depth_radius under Tf and the
/// size N under the others.
struct FrameworkParams {
  Convention convention = Convention::Tf;
  int window = 2;
  double bias = 1.0;
  double alpha = 0.001 / 9;
  double beta = 0.75;
};

/// The LrnParams that compute exactly what the framework computes; std::nullopt with a reason
/// in *why when the convention cannot take that window (N < 1, even N under Caffe, r < 0).
std::optional<LrnParams> to_lrn(const FrameworkParams& f, std::string* why);

/// The reverse: how convention c states p; std::nullopt when it cannot express p's window.
std::optional<FrameworkParams> from_lrn(const LrnParams& p, Convention c);

}  // namespace lrn
