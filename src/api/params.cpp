// The public parameters (include/lrn_img/params.h): resolution is lrn/resolve.h's, shared
// with the command line; describe() is what --print-params prints.
#include "lrn_img/params.h"

#include <fmt/format.h>

#include "lrn/resolve.h"
#include "lrn_img/version.h"

namespace lrn_img {

const char* version() { return LRN_IMG_VERSION_STRING; }

const char* convention_name(Convention c) { return lrn::convention_name(lrn::to_internal(c)); }

Resolved resolve(const Params& p) {
  const lrn::LrnParams r = lrn::resolve_params(p);
  return Resolved{p.method, r.before, r.after, r.bias, r.alpha, r.beta};
}

std::vector<Preset> presets() {
  std::vector<Preset> out;
  for (const lrn::PresetDef& d : lrn::preset_defs()) out.push_back({d.name, d.what});
  return out;
}

std::vector<Statement> restate(const Resolved& r) {
  const lrn::LrnParams p{r.before, r.after, r.bias, r.alpha, r.beta};
  std::vector<Statement> out;
  for (lrn::Convention c : {lrn::Convention::Tf, lrn::Convention::Torch, lrn::Convention::Onnx,
                            lrn::Convention::Caffe}) {
    Statement s;
    s.convention = lrn::to_public(c);
    if (const auto f = lrn::from_lrn(p, c)) {
      s.window = f->window;
      s.bias = f->bias;
      s.alpha = f->alpha;
      s.beta = f->beta;
    }
    out.push_back(s);
  }
  return out;
}

std::string describe(const Resolved& r) {
  std::string s = fmt::format("window: {} channel(s) before c, {} after c\n", r.before, r.after);
  s += fmt::format("{:<11} {:<10} {:<8} {:<24} {}\n", "convention", "window", "bias", "alpha",
                   "beta");
  for (const Statement& st : restate(r)) {
    const char* name = convention_name(st.convention);
    if (!st.window) {
      s += fmt::format("{:<11} n/a (cannot express this window)\n", name);
      continue;
    }
    const std::string window =
        fmt::format("{} {}", st.convention == Convention::Tf ? "--radius" : "--size", *st.window);
    s += fmt::format("{:<11} {:<10} {:<8} {:<24} {}\n", name, window, st.bias, st.alpha, st.beta);
  }
  return s;
}

}  // namespace lrn_img
