// Resolving stated parameters: presets, conventions, windows, ranges (lrn/resolve.h).
#include "lrn/resolve.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lrn_img/errors.h"

namespace lrn {
namespace {

using lrn_img::InvalidArgument;
using lrn_img::param;

// Text a caller typed, safe inside a message: control bytes (which would also collide with
// param()'s marks) become '?'. The command line checks names before this with its own words.
std::string plain(const std::string& s) {
  std::string out = s;
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}

// The shortest text that reads back as v ("-1", "0.0001", "nan", "inf"), for "got V".
std::string number(double v) {
  char buf[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (!std::isfinite(v) || std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

// The numbers' ranges, all problems in one message naming each parameter and its value.
void check_numbers(double bias, double alpha, double beta) {
  std::string all, first;
  auto problem = [&](const char* name, const std::string& text) {
    all += (all.empty() ? "" : "; ") + text;
    if (first.empty()) first = name;
  };
  if (!std::isfinite(bias) || bias < 0)
    problem("bias", param("bias") + " must be a finite number >= 0, got " + number(bias));
  if (!std::isfinite(alpha) || alpha < 0)
    problem("alpha", param("alpha") + " must be a finite number >= 0, got " + number(alpha));
  if (!std::isfinite(beta))
    problem("beta", param("beta") + " must be a finite number, got " + number(beta));
  if (bias == 0 && alpha == 0)
    problem("bias", param("bias") + " and " + param("alpha") + " cannot both be 0");
  if (!all.empty()) throw InvalidArgument(all, first);
}

}  // namespace

const std::vector<PresetDef>& preset_defs() {
  static const std::vector<PresetDef> defs = {
      {"blog", "the blog's experiment (the defaults)", Convention::Tf, 2, 1.0, 0.001 / 9, 0.75},
      {"tf-cifar10", "TensorFlow's CIFAR-10 tutorial", Convention::Tf, 4, 1.0, 0.001 / 9, 0.75},
      {"tf-defaults", "tf.nn.lrn's own defaults", Convention::Tf, 5, 1.0, 1.0, 0.5},
      {"alexnet-paper", "Krizhevsky et al. 2012 (n=5, k=2; the paper does not divide alpha)",
       Convention::Tf, 2, 2.0, 1e-4, 0.75},
      {"caffe-alexnet", "Caffe's AlexNet LRN layer", Convention::Caffe, 5, 1.0, 1e-4, 0.75},
      {"torch-defaults", "torch.nn.LocalResponseNorm's defaults (the size must be given)",
       Convention::Torch, std::nullopt, 1.0, 1e-4, 0.75},
  };
  return defs;
}

const PresetDef* find_preset(const std::string& name) {
  for (const PresetDef& p : preset_defs())
    if (name == p.name) return &p;
  return nullptr;
}

Convention to_internal(lrn_img::Convention c) {
  switch (c) {
    case lrn_img::Convention::Torch: return Convention::Torch;
    case lrn_img::Convention::Onnx: return Convention::Onnx;
    case lrn_img::Convention::Caffe: return Convention::Caffe;
    default: break;  // Tf; the family's are refused by resolve_params before
  }
  return Convention::Tf;
}

lrn_img::Convention to_public(Convention c) {
  switch (c) {
    case Convention::Torch: return lrn_img::Convention::Torch;
    case Convention::Onnx: return lrn_img::Convention::Onnx;
    case Convention::Caffe: return lrn_img::Convention::Caffe;
    case Convention::Tf: break;
  }
  return lrn_img::Convention::Tf;
}

LrnParams resolve_params(const lrn_img::Params& in, FrameworkParams* stated) {
  const PresetDef* preset = find_preset(in.preset.value_or("blog"));
  if (!preset) {
    std::string list;
    const auto& defs = preset_defs();
    for (std::size_t i = 0; i < defs.size(); ++i)
      list += std::string(i == 0 ? "" : i + 1 == defs.size() ? " or " : ", ") + defs[i].name;
    throw InvalidArgument(param("preset") + ": '" + plain(*in.preset) + "' is not " + list,
                          "preset", *in.preset);
  }
  FrameworkParams f;
  f.convention = preset->convention;
  if (in.convention) {
    const lrn_img::Convention pc = *in.convention;
    if (pc != lrn_img::Convention::Tf && pc != lrn_img::Convention::Torch &&
        pc != lrn_img::Convention::Onnx && pc != lrn_img::Convention::Caffe)
      throw InvalidArgument(param("convention") + ": '" + lrn_img::convention_name(pc) +
                                "' is not tf, torch, onnx or caffe (method lrn)",
                            "convention", lrn_img::convention_name(pc));
    const Convention c = to_internal(pc);
    if (in.preset && c != preset->convention)
      throw InvalidArgument(param("preset") + " " + preset->name + " uses " + param("convention") +
                                " " + convention_name(preset->convention) + ", not " +
                                convention_name(c),
                            "convention", convention_name(c));
    f.convention = c;
  }
  f.bias = in.bias.value_or(preset->bias);
  f.alpha = in.alpha.value_or(preset->alpha);
  f.beta = in.beta.value_or(preset->beta);

  const bool tf = f.convention == Convention::Tf;
  const std::string where = in.preset ? " (from " + param("preset") + ")" : "";
  const std::string conv = convention_name(f.convention);
  if (tf && in.size)
    throw InvalidArgument(
        param("size") + " belongs to " + param("convention") + " torch, onnx or caffe" + where +
            "; under tf give " + param("radius") + " (" + param("size") +
            " 5 under torch == " + param("radius") + " 2 " + param("alpha") + " alpha/5 under tf)",
        "size", std::to_string(*in.size));
  if (!tf && in.radius)
    throw InvalidArgument(param("radius") + " belongs to " + param("convention") +
                              " tf, but this run uses " + conv + where + "; give " + param("size") +
                              " N instead (" + param("radius") + " 2 " + param("alpha") +
                              " a under tf == " + param("size") + " 5 " + param("alpha") +
                              " 5*a under " + conv + ")",
                          "radius", std::to_string(*in.radius));
  const std::optional<int> window = tf ? in.radius : in.size;
  if (window) {
    const char* name = tf ? "radius" : "size";
    const int least = tf ? 0 : 1;
    if (*window < least)
      throw InvalidArgument(
          param(name) + " must be >= " + std::to_string(least) + ", got " + std::to_string(*window),
          name, std::to_string(*window));
    if (*window > kMaxWindow)
      throw InvalidArgument(
          param(name) + ": " + std::to_string(*window) + " is over " + std::to_string(kMaxWindow),
          name, std::to_string(*window));
    f.window = *window;
  } else if (preset->window && preset->convention == f.convention) {
    f.window = *preset->window;
  } else if (!tf) {
    throw InvalidArgument(
        param("convention") + " " + conv + " needs " + param("size") + " N (the window size)",
        "size");
  }
  check_numbers(f.bias, f.alpha, f.beta);
  std::string why;
  const auto p = to_lrn(f, &why);
  if (!p) throw InvalidArgument(why, tf ? "radius" : "size", std::to_string(f.window));
  const std::vector<std::string> problems = validate(*p);
  if (!problems.empty()) {
    std::string all = problems[0];
    for (std::size_t i = 1; i < problems.size(); ++i) all += "; " + problems[i];
    throw InvalidArgument(all);
  }
  if (stated) *stated = f;
  return *p;
}

}  // namespace lrn
