// The Python module's one adapter to the public C++ API (include/lrn_img/): keyword values as
// Python gives them (strings, None) turned into lrn_img's types, checked the way lrn-img checks
// its flags. Errors are lrn_img's own (InvalidArgument, FileError), parameter names marked with
// lrn_img::param() so that module.cpp words them as keywords. Nothing here includes src/.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lrn_img/lrn_img.h"

namespace lrn_py {

/// Python's spelling of a parameter in messages: the keyword itself ("max_pixels").
std::string keyword(std::string_view name);

/// The normalization keywords, None (unset) meaning the preset's or the default's value.
/// method and the family's keywords are lrn-img's --method and its options (per_channel False
/// is --joint; zca_mean and zca_p are the data of zca=(mean, P)).
struct ParamArgs {
  std::optional<int> radius, size;
  std::optional<double> bias, alpha, beta;
  std::optional<std::string> convention, preset;
  std::string method = "lrn";
  std::optional<std::string> kernel, zca_file;
  std::optional<double> threshold, scale, sqrt_bias, min_divisor;
  std::optional<bool> per_channel, use_std;
  std::optional<std::vector<double>> zca_mean, zca_p;
};

/// The keywords as lrn_img::Params (method, convention and kernel parsed; InvalidArgument for
/// an unknown one, naming the method's own choices). lrn_img::resolve() checks the rest.
lrn_img::Params params(const ParamArgs& a);

/// threads None: lrn_img::usable_cores(), read once per process; else 1..1024, as lrn-img -t.
unsigned thread_count(std::optional<long> threads);

/// 'hwc', 'chw', 'nhwc' or 'nchw'; InvalidArgument otherwise.
lrn_img::Layout parse_layout(const std::string& name);

/// A view of a NumPy array's float32 values under `layout`: `shape` as NumPy gives it, `strides`
/// in elements (NumPy's byte strides / 4). A 2-D (H, W) array is one channel in every layout.
/// InvalidArgument when the rank does not fit the layout.
lrn_img::TensorView view(float* data, const std::vector<std::size_t>& shape,
                         const std::vector<std::ptrdiff_t>& strides, lrn_img::Layout layout,
                         const std::string& layout_text);

/// process_file's keywords beyond the normalization ones; unset means the CLI's default.
struct FileArgs {
  std::optional<std::string> layout, format, dtype;
  std::optional<long> threads, quality;
  std::optional<double> pixel_scale;
  std::optional<unsigned long long> max_pixels, max_npy_bytes, max_row_bytes;
  bool rescale = false, lenient = false, strict = false, auto_orient = true;
  bool keep_metadata = false;
};

/// FileOptions for writing `dst`, with the checks lrn-img makes between its flags and OUT's
/// name (format against the extension; quality, rescale and dtype only where they apply).
/// Throws InvalidArgument. The options' spelling is keyword(); warn and cancel are the
/// caller's to set.
lrn_img::FileOptions file_options(const std::string& dst, const lrn_img::Params& p,
                                  const FileArgs& a);

}  // namespace lrn_py
