// Resolving a family method: defaults, presets, stated values, validation, description.
#include "lrn/method.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace lrn {
namespace {

using namespace family;

struct MethodInfo {
  Method method;
  const char* name;
  std::vector<std::string> params;
};

const std::vector<MethodInfo>& methods() {
  static const std::vector<MethodInfo> all = {
      {Method::Lrn, "lrn", {"convention", "preset", "radius", "size", "alpha", "beta", "bias"}},
      {Method::SpatialLrn, "spatial-lrn", {"convention", "size", "alpha", "beta", "bias"}},
      {Method::Lcn, "lcn", {"convention", "kernel", "size", "threshold", "per_channel"}},
      {Method::Lms, "lms", {"convention", "kernel", "size", "per_channel"}},
      {Method::Gcn,
       "gcn",
       {"convention", "preset", "scale", "sqrt_bias", "use_std", "min_divisor", "per_channel"}},
      {Method::Zca, "zca", {"zca"}},
  };
  return all;
}

const MethodInfo& info(Method m) {
  for (const MethodInfo& i : methods())
    if (i.method == m) return i;
  return methods().front();
}

// The shortest decimal that reads back as v, written as Python's repr writes it: positional
// for 1e-4 <= |v| < 1e16, else with an exponent ("0.0001", "1e-08", "55").
std::string number(double v) {
  char buf[400];
  const double a = std::fabs(v);
  const bool positional = v == 0 || !std::isfinite(v) || (a >= 1e-4 && a < 1e16);
  const auto r = positional
                     ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed)
                     : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  return std::string(buf, r.ptr);
}

// "'x' is not a, b or c".
std::string not_one_of(const std::string& value, const std::vector<std::string>& names) {
  std::string s = "'" + value + "' is not ";
  for (std::size_t i = 0; i < names.size(); ++i)
    s += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return s;
}

template <class C>
C named(const std::optional<std::string>& text, C dflt,
        std::optional<C> (*parse)(const std::string&), const char* param,
        const std::vector<std::string>& names) {
  if (!text) return dflt;
  if (const auto c = parse(*text)) return *c;
  throw MethodError(param, std::string(param) + ": " + not_one_of(*text, names), *text, names);
}

int window(const std::optional<long long>& size, int dflt) {
  if (!size) return dflt;
  // Out of range sizes stay out of range (validate() words it) without overflowing int.
  return static_cast<int>(std::clamp<long long>(*size, -1, kMaxWindow + 1));
}

void check(const std::vector<std::string>& problems) {
  if (!problems.empty()) throw MethodError("", join_problems(problems));
}

}  // namespace

const char* method_name(Method m) { return info(m).name; }

std::optional<Method> parse_method(const std::string& name) {
  for (const MethodInfo& i : methods())
    if (name == i.name) return i.method;
  return std::nullopt;
}

std::vector<std::string> method_names() {
  std::vector<std::string> names;
  for (const MethodInfo& i : methods()) names.push_back(i.name);
  return names;
}

bool method_takes(Method m, const std::string& param) {
  const auto& p = info(m).params;
  return std::find(p.begin(), p.end(), param) != p.end();
}

std::vector<std::string> method_conventions(Method m) {
  switch (m) {
    case Method::Lrn: return {"tf", "torch", "onnx", "caffe"};
    case Method::SpatialLrn: return {"caffe", "onednn", "matconvnet"};
    case Method::Lcn: return {"torch7", "jarrett", "pylearn2", "pinto"};
    case Method::Lms: return {"torch7", "zero-pad"};
    case Method::Gcn: return {"pylearn2", "tf", "caffe-mvn"};
    case Method::Zca: return {};
  }
  return {};
}

std::vector<std::string> method_presets(Method m) {
  return m == Method::Gcn ? gcn_preset_names() : std::vector<std::string>{};
}

FamilyMethod resolve_method(const MethodRequest& r) {
  const MethodInfo& mi = info(r.method);
  if (r.method == Method::Lrn) throw MethodError("", "lrn is resolved by to_lrn (params.h)");
  // A stated parameter the method does not take.
  const std::pair<const char*, bool> stated[] = {{"convention", r.convention.has_value()},
                                                 {"kernel", r.kernel.has_value()},
                                                 {"preset", r.preset.has_value()},
                                                 {"size", r.size.has_value()},
                                                 {"alpha", r.alpha.has_value()},
                                                 {"beta", r.beta.has_value()},
                                                 {"bias", r.bias.has_value()},
                                                 {"threshold", r.threshold.has_value()},
                                                 {"scale", r.scale.has_value()},
                                                 {"sqrt_bias", r.sqrt_bias.has_value()},
                                                 {"min_divisor", r.min_divisor.has_value()},
                                                 {"per_channel", r.per_channel.has_value()},
                                                 {"use_std", r.use_std.has_value()},
                                                 {"zca", r.zca.has_value()}};
  for (const auto& [param, given] : stated)
    if (given && !method_takes(r.method, param))
      throw MethodError(param, std::string(param) + " does not apply to method " + mi.name);

  const std::vector<std::string> conventions = method_conventions(r.method);
  FamilyMethod f;
  f.method = r.method;
  switch (r.method) {
    case Method::SpatialLrn: {
      const auto c = named(r.convention, SpatialLrnConvention::Caffe, parse_spatial_lrn_convention,
                           "convention", conventions);
      SpatialLrnParams p = SpatialLrnParams::defaults(c);
      p.size = window(r.size, p.size);
      if (r.alpha) p.alpha = *r.alpha;
      if (r.beta) p.beta = *r.beta;
      if (r.bias) p.bias = *r.bias;
      check(validate(p));
      f.params = p;
      break;
    }
    case Method::Lcn: {
      const auto c = named(r.convention, LcnConvention::Torch7, parse_lcn_convention, "convention",
                           conventions);
      LcnParams p = LcnParams::defaults(c);
      p.kernel = named(r.kernel, p.kernel, parse_kernel, "kernel", {"box", "gaussian"});
      p.size = window(r.size, p.size);
      if (r.threshold) p.threshold = *r.threshold;
      if (r.per_channel) p.per_channel = *r.per_channel;
      check(validate(p));
      f.params = p;
      break;
    }
    case Method::Lms: {
      LmsParams p;
      p.convention = named(r.convention, LmsConvention::Torch7, parse_lms_convention, "convention",
                           conventions);
      p.kernel = named(r.kernel, p.kernel, parse_kernel, "kernel", {"box", "gaussian"});
      p.size = window(r.size, p.size);
      if (r.per_channel) p.per_channel = *r.per_channel;
      check(validate(p));
      f.params = p;
      break;
    }
    case Method::Gcn: {
      GcnParams p;
      if (r.preset) {
        const auto pre = GcnParams::preset(*r.preset);
        if (!pre)
          throw MethodError("preset", "preset: " + not_one_of(*r.preset, gcn_preset_names()),
                            *r.preset, gcn_preset_names());
        p = *pre;
        f.preset = *r.preset;
        if (r.convention && *r.convention != "pylearn2")
          throw MethodError("convention", "preset " + *r.preset +
                                              " is pylearn2's global_contrast_normalize; it "
                                              "cannot use convention " +
                                              *r.convention);
      } else {
        p = GcnParams::defaults(named(r.convention, GcnConvention::Pylearn2, parse_gcn_convention,
                                      "convention", conventions));
      }
      if (r.scale) p.scale = *r.scale;
      if (r.sqrt_bias) p.sqrt_bias = *r.sqrt_bias;
      if (r.use_std) p.use_std = *r.use_std;
      if (r.min_divisor) p.min_divisor = *r.min_divisor;
      if (r.per_channel) p.per_channel = *r.per_channel;
      check(validate(p));
      f.params = p;
      break;
    }
    case Method::Zca: {
      if (!r.zca) throw MethodError("zca", "method zca needs its mean and matrix P (a .npz file)");
      // Channel count is the image's: only finiteness can be checked here.
      const ZcaParams& z = *r.zca;
      std::size_t c = 0;
      while (c * c < z.P.size()) ++c;
      if (c * c != z.P.size() || z.mean.size() != c || c == 0)
        throw MethodError("zca", "the mean holds " + std::to_string(z.mean.size()) +
                                     " values and P " + std::to_string(z.P.size()) +
                                     ": P must be C x C for a mean of C values");
      check(validate(z, c));
      f.params = z;
      break;
    }
    case Method::Lrn: break;
  }
  return f;
}

const char* FamilyMethod::convention() const {
  switch (method) {
    case Method::SpatialLrn: return convention_name(std::get<SpatialLrnParams>(params).convention);
    case Method::Lcn: return convention_name(std::get<LcnParams>(params).convention);
    case Method::Lms: return convention_name(std::get<LmsParams>(params).convention);
    case Method::Gcn: return convention_name(std::get<GcnParams>(params).convention);
    case Method::Zca: return "pylearn2";
    case Method::Lrn: break;
  }
  return "";
}

std::vector<std::pair<std::string, std::string>> FamilyMethod::describe() const {
  std::vector<std::pair<std::string, std::string>> d;
  auto yes = [](bool b) { return std::string(b ? "true" : "false"); };
  switch (method) {
    case Method::SpatialLrn: {
      const auto& p = std::get<SpatialLrnParams>(params);
      d = {{"size", std::to_string(p.size)},
           {"alpha", number(p.alpha)},
           {"beta", number(p.beta)},
           {"bias", number(p.k())},
           {"alpha_divisor", p.convention == SpatialLrnConvention::Matconvnet
                                 ? "in-image samples"
                                 : std::to_string(p.size * p.size)}};
      break;
    }
    case Method::Lcn: {
      const auto& p = std::get<LcnParams>(params);
      d = {{"kernel", kernel_name(p.kernel)},
           {"size", std::to_string(p.size)},
           {"threshold", number(p.threshold)},
           {"per_channel", yes(p.per_channel)}};
      break;
    }
    case Method::Lms: {
      const auto& p = std::get<LmsParams>(params);
      d = {{"kernel", kernel_name(p.kernel)},
           {"size", std::to_string(p.size)},
           {"per_channel", yes(p.per_channel)}};
      break;
    }
    case Method::Gcn: {
      const auto& p = std::get<GcnParams>(params);
      if (!preset.empty()) d.push_back({"preset", preset});
      if (p.convention == GcnConvention::Pylearn2)
        d.insert(d.end(), {{"scale", number(p.scale)},
                           {"sqrt_bias", number(p.sqrt_bias)},
                           {"use_std", yes(p.use_std)},
                           {"min_divisor", number(p.min_divisor)}});
      d.push_back({"per_channel", yes(p.per_channel)});
      break;
    }
    case Method::Zca: {
      const auto& p = std::get<ZcaParams>(params);
      d = {{"channels", std::to_string(p.mean.size())}};
      break;
    }
    case Method::Lrn: break;
  }
  return d;
}

int FamilyMethod::passes() const {
  if (method == Method::Gcn) return 2;
  if (method == Method::Lcn) {
    const auto c = std::get<LcnParams>(params).convention;
    return c == LcnConvention::Jarrett || c == LcnConvention::Pylearn2 ? 2 : 1;
  }
  return 1;
}

std::unique_ptr<Operation> FamilyMethod::make(const Geometry& g) const {
  return std::visit(
      [&](const auto& p) -> std::unique_ptr<Operation> {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, SpatialLrnParams>) return make_spatial_lrn(p, g);
        else if constexpr (std::is_same_v<P, LcnParams>) return make_lcn(p, g);
        else if constexpr (std::is_same_v<P, LmsParams>) return make_lms(p, g);
        else if constexpr (std::is_same_v<P, GcnParams>) return make_gcn(p, g);
        else return make_zca(p, g);
      },
      params);
}

}  // namespace lrn
