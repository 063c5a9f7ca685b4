// The preset table and the resolution rules (lrn/presets.h).
#include "lrn/presets.h"

namespace lrn {

const std::vector<Preset>& presets() {
  static const std::vector<Preset> table = {
      {"blog", "the blog's experiment (the defaults)", Convention::Tf, 2, 1.0, 0.001 / 9, 0.75},
      {"tf-cifar10", "TensorFlow's CIFAR-10 tutorial", Convention::Tf, 4, 1.0, 0.001 / 9, 0.75},
      {"tf-defaults", "tf.nn.lrn's own defaults", Convention::Tf, 5, 1.0, 1.0, 0.5},
      {"alexnet-paper", "Krizhevsky et al. 2012 (n=5, k=2; the paper does not divide alpha)",
       Convention::Tf, 2, 2.0, 1e-4, 0.75},
      {"caffe-alexnet", "Caffe's AlexNet LRN layer", Convention::Caffe, 5, 1.0, 1e-4, 0.75},
      {"torch-defaults", "torch.nn.LocalResponseNorm's defaults (the size must be given)",
       Convention::Torch, std::nullopt, 1.0, 1e-4, 0.75},
  };
  return table;
}

const Preset* find_preset(const std::string& name) {
  for (const Preset& p : presets())
    if (name == p.name) return &p;
  return nullptr;
}

FrameworkParams resolve_request(const ParamRequest& r) {
  using K = ParamConflict::Kind;
  const Preset& preset = r.preset ? *r.preset : presets().front();
  FrameworkParams f;
  f.convention = preset.convention;
  if (r.convention) {
    if (r.preset && *r.convention != preset.convention)
      throw ParamConflict(K::PresetConvention, *r.convention, r.preset);
    f.convention = *r.convention;
  }
  f.bias = r.bias.value_or(preset.bias);
  f.alpha = r.alpha.value_or(preset.alpha);
  f.beta = r.beta.value_or(preset.beta);
  const bool tf = f.convention == Convention::Tf;
  if (tf && r.size) throw ParamConflict(K::SizeUnderTf, f.convention, r.preset);
  if (!tf && r.radius) throw ParamConflict(K::RadiusNotTf, f.convention, r.preset);
  const std::optional<int>& window = tf ? r.radius : r.size;
  if (window) {
    f.window = *window;
  } else if (preset.window && preset.convention == f.convention) {
    f.window = *preset.window;
  } else if (!tf) {
    throw ParamConflict(K::NeedsSize, f.convention, r.preset);
  }
  return f;
}

}  // namespace lrn
