// From the parameters a user states (lrn_img::Params: preset, convention, window, numbers) to
// the LrnParams the kernel runs: the one resolution the command line and the library share.
#pragma once

#include "lrn/convention.h"
#include "lrn/params.h"
#include "lrn_img/params.h"

namespace lrn {

/// A preset fills in what its framework uses; stated values win.
struct PresetDef {
  const char* name;
  const char* what;
  Convention convention;
  std::optional<int> window;  ///< radius under tf, size otherwise; none: the user must give it
  double bias, alpha, beta;
};

/// The presets, "blog" (the defaults) first; nullptr when `name` is none of them.
const PresetDef* find_preset(const std::string& name);
const std::vector<PresetDef>& preset_defs();

/// Largest radius or size accepted: far beyond any channel count.
constexpr int kMaxWindow = 1 << 20;

/// p resolved; `stated` (when set) receives the framework's own statement. Throws
/// lrn_img::InvalidArgument with the parameter names marked (lrn_img::param), in the order the
/// command line has always checked them.
LrnParams resolve_params(const lrn_img::Params& p, FrameworkParams* stated = nullptr);

Convention to_internal(lrn_img::Convention c);
lrn_img::Convention to_public(Convention c);

}  // namespace lrn
