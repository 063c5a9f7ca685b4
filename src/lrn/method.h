// Which method of the normalization family a run applies, from parameters as a user states
// them (unset ones take the method's or the convention's default) to a validated description.
// Shared by every front end (the CLI, the C++ API, the Python module): no option names here,
// parameters are named as in the family's structs ("size", "sqrt_bias").
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "lrn/family/gcn.h"
#include "lrn/family/lcn.h"
#include "lrn/family/lms.h"
#include "lrn/family/spatial_lrn.h"
#include "lrn/family/zca.h"

namespace lrn {

/// lrn: the cross-channel LRN of params.h (the default, resolved elsewhere); the others are
/// the family of lrn/family/ (normalization-family.md sections 1-5).
enum class Method { Lrn, SpatialLrn, Lcn, Lms, Gcn, Zca };

const char* method_name(Method m);  ///< "lrn", "spatial-lrn", "lcn", "lms", "gcn", "zca"
std::optional<Method> parse_method(const std::string& name);
std::vector<std::string> method_names();

/// The parameters a family method takes, by name: convention, kernel, size, alpha, beta, bias,
/// threshold, per_channel, scale, sqrt_bias, use_std, min_divisor, preset, zca. (lrn's own
/// are params.h's: radius, size, alpha, beta, bias, convention, preset.)
bool method_takes(Method m, const std::string& param);
/// The convention names of a family method, its default first.
std::vector<std::string> method_conventions(Method m);
/// The preset names of a family method (gcn: maxout-cifar10, coates; others none).
std::vector<std::string> method_presets(Method m);

/// Parameters as stated; std::nullopt = not stated (the default applies).
struct MethodRequest {
  Method method = Method::SpatialLrn;
  std::optional<std::string> convention, kernel, preset;
  std::optional<long long> size;
  std::optional<double> alpha, beta, bias, threshold, scale, sqrt_bias, min_divisor;
  std::optional<bool> per_channel, use_std;
  std::optional<family::ZcaParams> zca;  ///< zca: required
};

/// What resolve_method refuses. param names the parameter at fault ("" for several);
/// choices and value are set for an unknown name (convention, kernel, preset).
class MethodError : public std::invalid_argument {
 public:
  MethodError(std::string param_name, const std::string& what, std::string value_given = {},
              std::vector<std::string> accepted = {})
      : std::invalid_argument(what),
        param(std::move(param_name)),
        value(std::move(value_given)),
        choices(std::move(accepted)) {}
  std::string param, value;
  std::vector<std::string> choices;
};

/// A resolved, validated family method.
struct FamilyMethod {
  Method method = Method::SpatialLrn;
  std::variant<family::SpatialLrnParams, family::LcnParams, family::LmsParams, family::GcnParams,
               family::ZcaParams>
      params;
  std::string preset;  ///< gcn: the preset it came from, else ""

  const char* convention() const;  ///< the convention's name ("caffe"); zca: "pylearn2"
  /// Every parameter as (name, value) in a fixed order, values as text (shortest round-trip
  /// decimals; zca: the matrix' size), for --print-params and --json.
  std::vector<std::pair<std::string, std::string>> describe() const;
  /// Passes over an image (2: gcn, lcn jarrett and pylearn2) and halo rows.
  int passes() const;
  /// The operation for one image. Throws std::invalid_argument when g does not fit (zca's
  /// channel count, or an invalid geometry).
  std::unique_ptr<family::Operation> make(const family::Geometry& g) const;
};

/// Resolves r: the method's or convention's defaults (a preset's values under gcn), then the
/// stated values. Throws MethodError for a parameter the method does not take (param set),
/// an unknown convention, kernel or preset, and every problem family's validate() reports
/// (joined). zca's channel count is checked against each image (make()).
FamilyMethod resolve_method(const MethodRequest& r);

}  // namespace lrn
