// The public parameters (include/lrn_img/params.h): resolution is lrn/resolve.h's, shared
// with the command line; describe() is what --print-params prints.
#include "lrn_img/params.h"

#include <fmt/format.h>

#include <cctype>

#include "api/family.h"
#include "image/npz.h"
#include "lrn/resolve.h"
#include "lrn_img/errors.h"
#include "lrn_img/version.h"

namespace lrn_img {
namespace {

// The public enums mirror lrn::Method value for value.
lrn::Method internal(Method m) { return static_cast<lrn::Method>(static_cast<int>(m)); }
static_assert(static_cast<int>(Method::Zca) == static_cast<int>(lrn::Method::Zca));
static_assert(static_cast<int>(Method::SpatialLrn) == static_cast<int>(lrn::Method::SpatialLrn));
static_assert(static_cast<int>(Method::Gcn) == static_cast<int>(lrn::Method::Gcn));

constexpr std::pair<Convention, const char*> kConventionNames[] = {
    {Convention::Tf, "tf"},
    {Convention::Torch, "torch"},
    {Convention::Onnx, "onnx"},
    {Convention::Caffe, "caffe"},
    {Convention::Onednn, "onednn"},
    {Convention::Matconvnet, "matconvnet"},
    {Convention::Torch7, "torch7"},
    {Convention::Jarrett, "jarrett"},
    {Convention::Pylearn2, "pylearn2"},
    {Convention::Pinto, "pinto"},
    {Convention::ZeroPad, "zero-pad"},
    {Convention::CaffeMvn, "caffe-mvn"}};

// "a, b or c".
std::string one_of(const std::vector<std::string>& names) {
  std::string list;
  for (std::size_t i = 0; i < names.size(); ++i)
    list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return list;
}

// The family's validation messages name parameters by their field names ("sqrt_bias must be
// ..."): marked here so each front end spells them its own way. The first one named is the
// parameter at fault.
const char* const kFamilyParams[] = {"size",      "alpha",  "beta",       "bias",
                                     "threshold", "scale",  "sqrt_bias",  "min_divisor",
                                     "use_std",   "kernel", "per_channel"};

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::string mark_params(const std::string& text, std::string* first) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    bool done = false;
    if (i == 0 || !word_char(text[i - 1]))
      for (const char* name : kFamilyParams) {
        const std::size_t n = std::char_traits<char>::length(name);
        if (text.compare(i, n, name) == 0 && (i + n == text.size() || !word_char(text[i + n]))) {
          out += param(name);
          if (first->empty()) *first = name;
          i += n;
          done = true;
          break;
        }
      }
    if (!done) out += text[i++];
  }
  return out;
}

// The parameters Params states, by name, in field order.
std::vector<const char*> stated(const Params& p) {
  std::vector<const char*> s;
  const std::pair<const char*, bool> all[] = {{"preset", p.preset.has_value()},
                                              {"convention", p.convention.has_value()},
                                              {"radius", p.radius.has_value()},
                                              {"size", p.size.has_value()},
                                              {"bias", p.bias.has_value()},
                                              {"alpha", p.alpha.has_value()},
                                              {"beta", p.beta.has_value()},
                                              {"kernel", p.kernel.has_value()},
                                              {"threshold", p.threshold.has_value()},
                                              {"per_channel", p.per_channel.has_value()},
                                              {"scale", p.scale.has_value()},
                                              {"sqrt_bias", p.sqrt_bias.has_value()},
                                              {"min_divisor", p.min_divisor.has_value()},
                                              {"use_std", p.use_std.has_value()},
                                              {"zca", p.zca.has_value()},
                                              {"zca_file", p.zca_file.has_value()}};
  for (const auto& [name, given] : all)
    if (given) s.push_back(name);
  return s;
}

}  // namespace

const char* version() { return LRN_IMG_VERSION_STRING; }

const char* method_name(Method m) { return lrn::method_name(internal(m)); }

std::optional<Method> parse_method(const std::string& name) {
  for (const Method m : methods())
    if (name == method_name(m)) return m;
  return std::nullopt;
}

std::vector<Method> methods() {
  return {Method::Lrn, Method::SpatialLrn, Method::Lcn, Method::Lms, Method::Gcn, Method::Zca};
}

bool method_takes(Method m, const std::string& name) {
  return lrn::method_takes(internal(m), name == "zca_file" ? "zca" : name);
}

const char* convention_name(Convention c) {
  for (const auto& [conv, name] : kConventionNames)
    if (conv == c) return name;
  return "tf";
}

std::optional<Convention> parse_convention(const std::string& name) {
  for (const auto& [conv, text] : kConventionNames)
    if (name == text) return conv;
  return std::nullopt;
}

std::vector<Convention> conventions(Method m) {
  std::vector<Convention> out;
  for (const std::string& name : lrn::method_conventions(internal(m)))
    out.push_back(*parse_convention(name));
  return out;
}

const char* kernel_name(Kernel k) { return k == Kernel::Gaussian ? "gaussian" : "box"; }

void check_method_params(const Params& p) {
  for (const char* name : stated(p)) {
    if (method_takes(p.method, name)) continue;
    std::vector<std::string> owners;
    for (const Method m : methods())
      if (method_takes(m, name)) owners.push_back(method_name(m));
    throw InvalidArgument(param(name) + " does not apply to method " + method_name(p.method) +
                              "; it belongs to method " + one_of(owners),
                          name);
  }
}

lrn::FamilyMethod resolve_family(const Params& p) {
  check_method_params(p);
  const char* mname = method_name(p.method);
  lrn::MethodRequest r;
  r.method = internal(p.method);
  if (p.convention) r.convention = convention_name(*p.convention);
  if (p.kernel) r.kernel = kernel_name(*p.kernel);
  r.preset = p.preset;
  if (p.size) r.size = *p.size;
  r.alpha = p.alpha;
  r.beta = p.beta;
  r.bias = p.bias;
  r.threshold = p.threshold;
  r.scale = p.scale;
  r.sqrt_bias = p.sqrt_bias;
  r.min_divisor = p.min_divisor;
  r.per_channel = p.per_channel;
  r.use_std = p.use_std;
  if (p.method == Method::Zca) {
    if (p.zca && p.zca_file)
      throw InvalidArgument(
          param("zca") + " and " + param("zca_file") + " contradict each other: give one of them",
          "zca_file");
    if (!p.zca && !p.zca_file)
      throw InvalidArgument("method zca needs its whitening: " + param("zca") +
                                " (mean, C values, and P, C x C) or " + param("zca_file") +
                                " (an .npz holding arrays mean and P)",
                            "zca");
    if (p.zca) r.zca = lrn::family::ZcaParams{p.zca->mean, p.zca->P};
    else r.zca = lrn::read_zca_npz(*p.zca_file);
  }
  try {
    return lrn::resolve_method(r);
  } catch (const lrn::MethodError& e) {
    if (!e.choices.empty())
      throw InvalidArgument(param(e.param) + ": '" + e.value + "' is not " + one_of(e.choices) +
                                " (method " + mname + ")",
                            e.param, e.value);
    std::string first;
    std::string text = mark_params(e.what(), &first);
    if (!e.param.empty()) first = e.param;
    throw InvalidArgument("method " + std::string(mname) + ": " + text, first);
  }
}

Resolved resolve(const Params& p) {
  if (p.method == Method::Lrn) {
    check_method_params(p);
    const lrn::LrnParams r = lrn::resolve_params(p);
    return Resolved{p.method, r.before, r.after, r.bias, r.alpha, r.beta, {}, {}, {}};
  }
  auto f = std::make_shared<ResolvedFamily>(ResolvedFamily{resolve_family(p)});
  Resolved out;
  out.method = p.method;
  out.convention = f->method.convention();
  out.values = f->method.describe();
  out.family = std::move(f);
  return out;
}

std::vector<Preset> presets() {
  std::vector<Preset> out;
  for (const lrn::PresetDef& d : lrn::preset_defs()) out.push_back({d.name, d.what});
  return out;
}

std::vector<Statement> restate(const Resolved& r) {
  if (r.method != Method::Lrn) return {};
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
  if (r.method != Method::Lrn) {
    std::string s =
        fmt::format("method: {}\nconvention: {}\n", method_name(r.method), r.convention);
    for (const auto& [k, v] : r.values) s += fmt::format("{}: {}\n", k, v);
    return s;
  }
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
