// The parameters of a normalization as a user states them, and their resolution: the same
// rules, defaults and presets as the lrn-img command line (one function serves both).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lrn_img/export.h"

namespace lrn_img {

/// The operation. Only Lrn (Local Response Normalization across channels) exists today; more
/// normalizations will be added as further enumerators, each with its own parameters, without
/// changing the meaning of what is here (code that uses Method::Lrn keeps compiling and
/// computing the same). A switch over Method should therefore keep a default branch.
enum class Method { Lrn };

/// How a framework states LRN's window and alpha:
/// - Tf:    radius r: channels c-r .. c+r; alpha used as given (tf.nn.lrn).
/// - Torch: size N: channels c - N/2 .. c + (N-1)/2; alpha/N (torch.nn.LocalResponseNorm).
/// - Onnx:  size N: channels c - floor((N-1)/2) .. c + ceil((N-1)/2); alpha/N.
/// - Caffe: size N, odd only: channels c - (N-1)/2 .. c + (N-1)/2; alpha/N.
/// All clip the window at the channel ends and keep the divisor N there.
enum class Convention { Tf, Torch, Onnx, Caffe };

/// "tf", "torch", "onnx", "caffe".
LRN_IMG_API const char* convention_name(Convention c);

/// The parameters as stated: anything left empty takes the preset's value, else the default
/// (the "blog" preset: tf, radius 2, bias 1, alpha 0.001/9, beta 0.75). These are exactly
/// lrn-img's --preset, --convention, --radius, --size, --bias, --alpha and --beta.
struct Params {
  Method method = Method::Lrn;
  std::optional<std::string> preset;        ///< see presets(); empty: "blog"
  std::optional<Convention> convention;     ///< empty: the preset's
  std::optional<int> radius;                ///< the window under Tf only, >= 0
  std::optional<int> size;                  ///< the window under Torch, Onnx, Caffe, >= 1
  std::optional<double> bias, alpha, beta;  ///< bias >= 0, alpha >= 0, not both 0; finite
};

/// The parameters resolved to one form: for output channel c of C,
///
///   sqr_sum[c] = sum of x[c']^2 for c' = max(0, c - before) .. min(C - 1, c + after)
///   y[c]       = x[c] / (bias + alpha * sqr_sum[c]) ^ beta
///
/// alpha exactly as used (not divided by the window size); where bias + alpha * sqr_sum is 0,
/// y is 0.
struct Resolved {
  Method method = Method::Lrn;
  int before = 2, after = 2;
  double bias = 1.0, alpha = 0.001 / 9, beta = 0.75;
};

/// Resolves p as lrn-img resolves its flags. Throws InvalidArgument naming the parameter for
/// an unknown preset, a convention that contradicts the preset, radius under a size
/// convention or size under tf, a missing size (preset torch-defaults), a window the
/// convention cannot take (even size under caffe), and values out of range (all range problems
/// in one message).
LRN_IMG_API Resolved resolve(const Params& p);

/// A preset: its name and what it reproduces.
struct Preset {
  std::string name, description;
};
/// The presets, in the order --help lists them.
LRN_IMG_API std::vector<Preset> presets();

/// How one convention states resolved parameters; window is the radius under Tf, the size
/// otherwise, and empty when the convention cannot express the window (then the numbers are
/// not meaningful).
struct Statement {
  Convention convention = Convention::Tf;
  std::optional<int> window;
  double bias = 0, alpha = 0, beta = 0;
};

/// r stated in every convention, Tf, Torch, Onnx, Caffe in that order.
LRN_IMG_API std::vector<Statement> restate(const Resolved& r);

/// What `lrn-img --print-params` prints for r: the window, then one line per convention.
LRN_IMG_API std::string describe(const Resolved& r);

}  // namespace lrn_img
