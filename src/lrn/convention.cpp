// Mapping between framework conventions and LrnParams (see convention.h for the rules).
#include "lrn/convention.h"

namespace lrn {

const char* convention_name(Convention c) {
  switch (c) {
    case Convention::Tf: return "tf";
    case Convention::Torch: return "torch";
    case Convention::Onnx: return "onnx";
    case Convention::Caffe: return "caffe";
  }
  return "?";
}

std::optional<Convention> parse_convention(const std::string& name) {
  for (Convention c : {Convention::Tf, Convention::Torch, Convention::Onnx, Convention::Caffe})
    if (name == convention_name(c)) return c;
  return std::nullopt;
}

namespace {
// The (before, after) offsets of a size-n window, or false when the convention rejects n.
bool window_of_size(Convention c, int n, int* before, int* after) {
  if (n < 1) return false;
  switch (c) {
    case Convention::Torch:
      *before = n / 2;
      *after = (n - 1) / 2;
      return true;
    case Convention::Onnx:
      *before = (n - 1) / 2;
      *after = n / 2;
      return true;
    case Convention::Caffe:
      if (n % 2 == 0) return false;
      *before = *after = (n - 1) / 2;
      return true;
    case Convention::Tf: break;
  }
  return false;
}
}  // namespace

std::optional<LrnParams> to_lrn(const FrameworkParams& f, std::string* why) {
  LrnParams p;
  p.bias = f.bias;
  p.beta = f.beta;
  if (f.convention == Convention::Tf) {
    if (f.window < 0) {
      if (why) *why = "the radius must be >= 0";
      return std::nullopt;
    }
    p.before = p.after = f.window;
    p.alpha = f.alpha;
    return p;
  }
  if (!window_of_size(f.convention, f.window, &p.before, &p.after)) {
    if (why) {
      *why = f.window < 1 ? "the size must be >= 1"
                          : "caffe takes an odd size only; torch and onnx accept an even size";
    }
    return std::nullopt;
  }
  p.alpha = f.alpha / f.window;
  return p;
}

std::optional<FrameworkParams> from_lrn(const LrnParams& p, Convention c) {
  FrameworkParams f{c, 0, p.bias, p.alpha, p.beta};
  if (c == Convention::Tf) {
    if (p.before != p.after) return std::nullopt;
    f.window = p.before;
    return f;
  }
  const int n = p.before + p.after + 1;
  int before = 0, after = 0;
  if (!window_of_size(c, n, &before, &after) || before != p.before || after != p.after)
    return std::nullopt;
  f.window = n;
  f.alpha = p.alpha * n;
  return f;
}

}  // namespace lrn
