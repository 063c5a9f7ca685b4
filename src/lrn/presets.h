// Named parameter sets, and how a request (preset, convention, window, numbers) resolves into
// a framework's parameters: the rules every front end shares. Each front end words the errors.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "lrn/convention.h"

namespace lrn {

/// A preset fills in what its framework uses; explicit values win.
struct Preset {
  const char* name;
  const char* what;            ///< one line for help and did-you-mean messages
  Convention convention;
  std::optional<int> window;   ///< radius under tf, size otherwise; none: the user gives it
  double bias, alpha, beta;
};

/// Every preset, in the order help lists them; the first ("blog") is the default.
const std::vector<Preset>& presets();
/// The preset of that name, or nullptr.
const Preset* find_preset(const std::string& name);

/// What a user asked for; unset means "the preset's or the default's value". The window is
/// given as radius (tf) or size (the others); numbers are already parsed by the front end.
struct ParamRequest {
  const Preset* preset = nullptr;            ///< nullptr: none named (the default, "blog")
  std::optional<Convention> convention;
  std::optional<int> radius, size;
  std::optional<double> bias, alpha, beta;
};

/// A request whose parts contradict each other. Carries the data; the front end words it with
/// its own names for the parameters.
class ParamConflict : public std::invalid_argument {
 public:
  enum class Kind {
    PresetConvention,  ///< the preset uses `preset_convention`, the request names `convention`
    SizeUnderTf,       ///< size given, but the convention is tf (which takes a radius)
    RadiusNotTf,       ///< radius given, but the convention (`convention`) takes a size
    NeedsSize,         ///< `convention` takes a size and neither request nor preset gives one
  };
  ParamConflict(Kind k, Convention conv, const Preset* p)
      : std::invalid_argument("conflicting LRN parameters"), kind(k), convention(conv), preset(p) {}
  Kind kind;
  Convention convention;   ///< the convention the request resolved to (or named)
  const Preset* preset;    ///< the preset the user named, or nullptr
};

/// The framework parameters a request means: the convention from the request or the preset,
/// bias/alpha/beta from the request or the preset, the window from the request or (same
/// convention only) the preset. Throws ParamConflict. The result still goes through to_lrn()
/// and validate().
FrameworkParams resolve_request(const ParamRequest& r);

}  // namespace lrn
