// The parameters of a normalization as a user states them, and their resolution: the same
// rules, defaults and presets as the lrn-img command line (one function serves both).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lrn_img/export.h"

namespace lrn_img {

/// The operation: Lrn (Local Response Normalization across channels, the default) or one of
/// the normalization family, exactly as lrn-img's --method computes them (README "Methods",
/// normalization-family.md): SpatialLrn (within-channel LRN), Lcn (local contrast
/// normalization), Lms (local mean subtraction), Gcn (global contrast normalization, statistics
/// per image), Zca (per-pixel colour whitening with a supplied mean and matrix). Further
/// methods may be added as enumerators without changing these; a switch over Method should
/// keep a default branch.
enum class Method { Lrn, SpatialLrn, Lcn, Lms, Gcn, Zca };

/// "lrn", "spatial-lrn", "lcn", "lms", "gcn", "zca": lrn-img's --method values.
LRN_IMG_API const char* method_name(Method m);
/// The Method of a --method value; empty for any other text.
LRN_IMG_API std::optional<Method> parse_method(const std::string& name);
/// Every method, Lrn first.
LRN_IMG_API std::vector<Method> methods();
/// Whether method m takes the parameter of Params named `param` ("size", "per_channel"; "zca"
/// stands for zca and zca_file). Giving a parameter m does not take is an InvalidArgument.
LRN_IMG_API bool method_takes(Method m, const std::string& param);

/// A convention: whose definition of the method to compute. Lrn's four state its window and
/// alpha:
/// - Tf:    radius r: channels c-r .. c+r; alpha used as given (tf.nn.lrn).
/// - Torch: size N: channels c - N/2 .. c + (N-1)/2; alpha/N (torch.nn.LocalResponseNorm).
/// - Onnx:  size N: channels c - floor((N-1)/2) .. c + ceil((N-1)/2); alpha/N.
/// - Caffe: size N, odd only: channels c - (N-1)/2 .. c + (N-1)/2; alpha/N.
/// All clip the window at the channel ends and keep the divisor N there.
/// The family's (README "Methods" gives each definition and source):
/// - SpatialLrn: Caffe (default), Onednn, Matconvnet.
/// - Lcn: Torch7 (default), Jarrett, Pylearn2, Pinto.
/// - Lms: Torch7 (default), ZeroPad ("zero-pad").
/// - Gcn: Pylearn2 (default), Tf (tf.image.per_image_standardization), CaffeMvn ("caffe-mvn").
/// - Zca: none (pylearn2's ZCA.apply).
/// A convention the method does not have is an InvalidArgument.
enum class Convention {
  Tf,
  Torch,
  Onnx,
  Caffe,
  Onednn,
  Matconvnet,
  Torch7,
  Jarrett,
  Pylearn2,
  Pinto,
  ZeroPad,
  CaffeMvn
};

/// "tf", "torch", "onnx", "caffe", "onednn", "matconvnet", "torch7", "jarrett", "pylearn2",
/// "pinto", "zero-pad", "caffe-mvn": lrn-img's --convention values.
LRN_IMG_API const char* convention_name(Convention c);
/// The Convention of a --convention value; empty for any other text.
LRN_IMG_API std::optional<Convention> parse_convention(const std::string& name);
/// The conventions of method m, its default first (Zca: none).
LRN_IMG_API std::vector<Convention> conventions(Method m);

/// The window of Lcn and Lms: n x n taps of 1, or the convention's separable Gaussian.
enum class Kernel { Box, Gaussian };
LRN_IMG_API const char* kernel_name(Kernel k);  ///< "box", "gaussian"

/// A ZCA whitening as pylearn2's ZCA stores it: y = (x - mean) P per pixel, mean C values, P
/// C x C row-major (P[i * C + j]: row i, column j, as NumPy stores a C-order array).
struct Whitening {
  std::vector<double> mean, P;
};

/// The parameters as stated: anything left empty takes the preset's value, else the method's
/// or its convention's default. Each field is lrn-img's option of the same name (per_channel
/// false is --joint), and each applies to the methods whose options table row lists it:
///
///   Lrn:        preset (lrn's, default "blog": tf, radius 2, bias 1, alpha 0.001/9, beta
///               0.75), convention, radius (tf), size (torch, onnx, caffe), bias, alpha, beta
///   SpatialLrn: convention, size (odd), alpha, beta, bias (onednn only)
///   Lcn:        convention, kernel, size (odd), threshold, per_channel
///   Lms:        convention, kernel, size (odd), per_channel
///   Gcn:        convention, preset ("maxout-cifar10", "coates"), scale, sqrt_bias, use_std,
///               min_divisor, per_channel
///   Zca:        zca (the data) or zca_file (an .npz holding arrays mean and P), one of them
///
/// Code written for Method::Lrn alone (method, preset, convention, radius, size, bias, alpha,
/// beta) compiles and computes as before (the fields added for the family come last, with
/// initializers, so an aggregate initialisation of the first eight stays warning-free).
struct Params {
  Method method = Method::Lrn;
  std::optional<std::string> preset;     ///< see presets(); Gcn: its own two
  std::optional<Convention> convention;  ///< empty: the preset's or the method's default
  std::optional<int> radius;             ///< the window under Tf only, >= 0
  std::optional<int> size;               ///< the window under Torch, Onnx, Caffe, >= 1; family: odd
  std::optional<double> bias, alpha, beta;  ///< Lrn: bias >= 0, alpha >= 0, not both 0; finite
  std::optional<Kernel> kernel{};           ///< Lcn, Lms
  std::optional<double> threshold{};        ///< Lcn, >= 0
  std::optional<bool> per_channel{};        ///< Lcn, Lms, Gcn; false: joint (--joint)
  std::optional<double> scale{}, sqrt_bias{}, min_divisor{};  ///< Gcn (pylearn2)
  std::optional<bool> use_std{};                              ///< Gcn (pylearn2)
  std::optional<Whitening> zca{};                             ///< Zca, given as data
  std::optional<std::string> zca_file{};  ///< Zca, read from this .npz by resolve()
};

struct ResolvedFamily;  // opaque: a family method resolved and validated (src/api)

/// The parameters resolved to one form: for output channel c of C,
///
///   sqr_sum[c] = sum of x[c']^2 for c' = max(0, c - before) .. min(C - 1, c + after)
///   y[c]       = x[c] / (bias + alpha * sqr_sum[c]) ^ beta
///
/// alpha exactly as used (not divided by the window size); where bias + alpha * sqr_sum is 0,
/// y is 0.
///
/// For a family method (method != Lrn) before .. beta are unused; convention and values say
/// what it computes, as `lrn-img --print-params` and --json state it, and `family` is what
/// normalize() runs (resolve() sets it; a Resolved made by hand for a family method is refused).
struct Resolved {
  Method method = Method::Lrn;
  int before = 2, after = 2;
  double bias = 1.0, alpha = 0.001 / 9, beta = 0.75;
  std::string convention{};  ///< family: the convention's name ("torch7"); Lrn: empty
  /// family: every parameter as (name, value) in --print-params order, values as text
  /// ("9", "true", "0.0001", zca: the matrix' size); Lrn: empty (see restate()).
  std::vector<std::pair<std::string, std::string>> values{};
  std::shared_ptr<const ResolvedFamily> family{};
};

/// Resolves p as lrn-img resolves its flags. Throws InvalidArgument naming the parameter for
/// a parameter the method does not take (the message names the method and the methods it
/// belongs to), an unknown preset or convention (or one the method does not have), a
/// convention that contradicts the preset, radius under a size convention or size under tf,
/// a missing size (preset torch-defaults), a window the convention cannot take (an even size
/// under caffe and for every family method), and values out of range (all range problems in
/// one message); Zca without zca or zca_file, or with both. Throws FileError for a zca_file
/// that cannot be read (lrn-img's --zca-file rules). Zca's channel count is checked against
/// the tensor by normalize().
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
LRN_IMG_API std::vector<Statement> restate(const Resolved& r);  ///< empty for a family method

/// What `lrn-img --print-params` prints for r: for Lrn the window, then one line per
/// convention; for a family method "method: M", "convention: C", then one "name: value" line
/// per parameter (values).
LRN_IMG_API std::string describe(const Resolved& r);

}  // namespace lrn_img
