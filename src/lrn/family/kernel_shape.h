// The window shapes the windowed family methods share.
#pragma once

#include <optional>
#include <string>

namespace lrn::family {

/// Largest window side any family method accepts (a sane bound on scratch memory).
constexpr int kMaxWindow = 1023;

/// Box: n x n taps of 1. Gaussian: the separable Gaussian of the method's convention (named in
/// its header), normalised to sum 1 over the whole window; never a recursive approximation.
enum class KernelShape { Box, Gaussian };

const char* kernel_name(KernelShape k);  ///< "box", "gaussian"
std::optional<KernelShape> parse_kernel(const std::string& name);

}  // namespace lrn::family
