// The adapter from the Python module's keywords to the public C++ API (python/engine.h).
#include "engine.h"

#include <algorithm>
#include <climits>

namespace lrn_py {
namespace {

using lrn_img::InvalidArgument;
using lrn_img::param;

constexpr long kMaxThreads = 1024;  // as lrn-img's -t

// A caller's text in single quotes, safe inside a message: control bytes (which would also
// collide with param()'s marks) become '?'.
std::string quoted(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  return out + "'";
}

// "(3, 4)", as Python prints a shape.
std::string py_shape(const std::vector<std::size_t>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

constexpr lrn_img::Convention kConventions[] = {lrn_img::Convention::Tf, lrn_img::Convention::Torch,
                                                lrn_img::Convention::Onnx,
                                                lrn_img::Convention::Caffe};
constexpr lrn_img::Layout kLayouts[] = {lrn_img::Layout::Hwc, lrn_img::Layout::Chw,
                                        lrn_img::Layout::Nhwc, lrn_img::Layout::Nchw};

lrn_img::Convention parse_convention(const std::string& name) {
  for (const lrn_img::Convention c : kConventions)
    if (name == lrn_img::convention_name(c)) return c;
  throw InvalidArgument(
      param("convention") + " " + quoted(name) + " is not 'tf', 'torch', 'onnx' or 'caffe'",
      "convention", name);
}

std::string written_as(const std::string& dst, lrn_img::Format f) {
  return "dst " + quoted(dst) + " is written as " + lrn_img::format_name(f);
}

lrn_img::Format output_format(const std::string& dst, const FileArgs& a) {
  std::optional<lrn_img::Format> chosen;
  if (a.format) {
    chosen = lrn_img::format_of_name("." + *a.format);
    if (!chosen)
      throw InvalidArgument(
          param("format") + " " + quoted(*a.format) + " is not 'jpg', 'png' or 'npy'", "format",
          *a.format);
  }
  const auto named = lrn_img::format_of_name(dst);
  if (chosen && named && *chosen != *named)
    throw InvalidArgument(param("format") + " " + quoted(*a.format) + " contradicts dst " +
                              quoted(dst) + ", a " + lrn_img::format_name(*named) +
                              " name; name dst for the format, or leave " + param("format") +
                              " out",
                          "format", *a.format);
  if (chosen) return *chosen;
  if (named) return *named;
  throw InvalidArgument("cannot tell the output format of dst " + quoted(dst) +
                            ": name it .jpg, .jpeg, .png or .npy, or give " + param("format") +
                            "='jpg', 'png' or 'npy'",
                        "format", dst);
}

}  // namespace

std::string keyword(std::string_view name) { return std::string(name); }

// "'a', 'b' or 'c'".
std::string choices(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i)
    s += std::string(i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + "'" + names[i] + "'";
  return s;
}

lrn_img::Params params(const ParamArgs& a) {
  lrn_img::Params p;
  const auto method = lrn_img::parse_method(a.method);
  if (!method) {
    std::vector<std::string> names;
    for (const lrn_img::Method m : lrn_img::methods()) names.push_back(lrn_img::method_name(m));
    throw InvalidArgument(param("method") + " " + quoted(a.method) + " is not " + choices(names),
                          "method", a.method);
  }
  p.method = *method;
  p.preset = a.preset;
  if (a.convention) {
    if (p.method == lrn_img::Method::Lrn) {
      p.convention = parse_convention(*a.convention);
    } else if (!lrn_img::method_takes(p.method, "convention")) {
      p.convention = lrn_img::Convention::Tf;  // any: resolve() refuses it, naming the method
    } else {
      std::vector<std::string> names;
      for (const lrn_img::Convention c : lrn_img::conventions(p.method)) {
        names.push_back(lrn_img::convention_name(c));
        if (*a.convention == names.back()) p.convention = c;
      }
      if (!p.convention)
        throw InvalidArgument(param("convention") + " " + quoted(*a.convention) + " is not " +
                                  choices(names) + " (method " + a.method + ")",
                              "convention", *a.convention);
    }
  }
  if (a.kernel) {
    if (*a.kernel == "box") p.kernel = lrn_img::Kernel::Box;
    else if (*a.kernel == "gaussian") p.kernel = lrn_img::Kernel::Gaussian;
    else if (!lrn_img::method_takes(p.method, "kernel")) p.kernel = lrn_img::Kernel::Box;
    else
      throw InvalidArgument(
          param("kernel") + " " + quoted(*a.kernel) + " is not 'box' or 'gaussian'", "kernel",
          *a.kernel);
  }
  p.threshold = a.threshold;
  p.per_channel = a.per_channel;
  p.scale = a.scale;
  p.sqrt_bias = a.sqrt_bias;
  p.use_std = a.use_std;
  p.min_divisor = a.min_divisor;
  p.zca_file = a.zca_file;
  if (a.zca_mean) p.zca = lrn_img::Whitening{*a.zca_mean, a.zca_p.value_or(std::vector<double>{})};
  p.radius = a.radius;
  p.size = a.size;
  p.bias = a.bias;
  p.alpha = a.alpha;
  p.beta = a.beta;
  return p;
}

unsigned thread_count(std::optional<long> threads) {
  // Read once: usable_cores() reads the cgroup quota file (~12 us), a tiny array's whole call.
  static const unsigned cores = std::min<unsigned>(lrn_img::usable_cores(), kMaxThreads);
  if (!threads) return cores;
  if (*threads < 1 || *threads > kMaxThreads)
    throw InvalidArgument(param("threads") + " must be 1.." + std::to_string(kMaxThreads) +
                              ", got " + std::to_string(*threads),
                          "threads", std::to_string(*threads));
  return static_cast<unsigned>(*threads);
}

lrn_img::Layout parse_layout(const std::string& name) {
  for (const lrn_img::Layout l : kLayouts)
    if (name == lrn_img::layout_name(l)) return l;
  throw InvalidArgument(
      param("layout") + " " + quoted(name) + " is not 'hwc', 'chw', 'nhwc' or 'nchw'", "layout",
      name);
}

lrn_img::TensorView view(float* data, const std::vector<std::size_t>& shape,
                         const std::vector<std::ptrdiff_t>& strides, lrn_img::Layout layout,
                         const std::string& layout_text) {
  using L = lrn_img::Layout;
  const bool batch = layout == L::Nhwc || layout == L::Nchw;
  const std::size_t rank = batch ? 4 : 3;
  lrn_img::TensorView v;
  v.data = data;
  v.layout = layout;
  if (shape.size() == 2) {  // (H, W): one channel
    v.height = shape[0], v.width = shape[1], v.channels = 1;
    v.row_stride = strides[0], v.column_stride = strides[1], v.channel_stride = 1;
    return v;
  }
  if (shape.size() != rank)
    throw InvalidArgument(param("layout") + " " + quoted(layout_text) + " needs a " +
                              std::to_string(rank) + "-D array (or a 2-D (H, W) one), got shape " +
                              py_shape(shape),
                          "layout", layout_text);
  // The axes' positions in NumPy's order: image, row, column, channel (-1: none).
  int n = -1, y, x, c;
  switch (layout) {
    case L::Chw: c = 0, y = 1, x = 2; break;
    case L::Nhwc: n = 0, y = 1, x = 2, c = 3; break;
    case L::Nchw: n = 0, c = 1, y = 2, x = 3; break;
    case L::Hwc:
    default: y = 0, x = 1, c = 2; break;
  }
  if (n >= 0) v.images = shape[n], v.image_stride = strides[n];
  v.height = shape[y], v.row_stride = strides[y];
  v.width = shape[x], v.column_stride = strides[x];
  v.channels = shape[c], v.channel_stride = strides[c];
  return v;
}

lrn_img::FileOptions file_options(const std::string& dst, const lrn_img::Params& p,
                                  const FileArgs& a) {
  lrn_img::FileOptions o;
  o.params = p;
  o.spelling = keyword;
  const lrn_img::Format f = output_format(dst, a);
  o.format = f;
  if (a.quality) {  // its range is process_file's to check
    if (f != lrn_img::Format::Jpeg)
      throw InvalidArgument(param("quality") + " applies to JPEG output, but " + written_as(dst, f),
                            "quality");
    o.quality = static_cast<int>(std::clamp<long>(*a.quality, INT_MIN, INT_MAX));
  }
  if (a.rescale && f == lrn_img::Format::Npy)
    throw InvalidArgument(param("rescale") + " applies to JPEG and PNG output, but " +
                              written_as(dst, f) + ", which keeps the values unclamped",
                          "rescale");
  o.rescale = a.rescale;
  if (a.pixel_scale) o.pixel_scale = *a.pixel_scale;  // process_file checks it: 255 or 1
  if (a.max_pixels) o.max_pixels = *a.max_pixels;     // and these: >= 1
  if (a.max_npy_bytes) o.max_npy_bytes = *a.max_npy_bytes;
  if (a.max_row_bytes) o.max_row_bytes = *a.max_row_bytes;
  if (a.layout) o.layout = parse_layout(*a.layout);
  if (a.dtype) {
    if (*a.dtype == "f16" || *a.dtype == "float16") o.dtype = lrn_img::Dtype::F16;
    else if (*a.dtype != "f32" && *a.dtype != "float32")
      throw InvalidArgument(
          param("dtype") + " " + quoted(*a.dtype) + " is not 'float32' or 'float16'", "dtype",
          *a.dtype);
    if (f != lrn_img::Format::Npy)
      throw InvalidArgument(param("dtype") + " applies to .npy output, but " + written_as(dst, f),
                            "dtype");
  }
  o.lenient = a.lenient;
  o.strict = a.strict;
  o.auto_orient = a.auto_orient;
  o.keep_metadata = a.keep_metadata;
  o.threads = thread_count(a.threads);
  return o;
}

}  // namespace lrn_py
