// The Python module's one adapter to the engine: everything python/module.cpp needs, in plain
// types, so that module.cpp includes nothing from src/. When the public API (include/lrn_img/)
// lands, only engine.cpp is repointed to it.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lrn_py {

/// A bad argument, worded with the Python keyword names: raised as ValueError.
class ArgError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};
/// Anything about a file (missing, unreadable, damaged, unwritable): raised as OSError.
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The normalization keywords, None (unset) meaning the preset's or the default's value,
/// resolved as lrn-img resolves its flags (lrn/presets.h).
struct ParamArgs {
  std::optional<int> radius, size;
  std::optional<double> bias, alpha, beta;
  std::optional<std::string> convention, preset;
};

/// An opaque resolved parameter set (lrn::LrnParams).
struct Params {
  int before = 0, after = 0;
  double bias = 0, alpha = 0, beta = 0;
};

/// Resolves and validates; throws ArgError.
Params resolve(const ParamArgs& a);

/// How one convention states p; nullopt when it cannot express p's window.
struct Stated {
  int window;  ///< radius under tf, size under the others
  double bias, alpha, beta;
};
std::optional<Stated> state_as(const Params& p, const std::string& convention);
/// "tf", "torch", "onnx", "caffe".
const std::vector<std::string>& convention_names();

/// An array's geometry under a layout ("hwc", "chw", "nhwc", "nchw"; a 2-D (H, W) array is one
/// channel in every layout). Throws ArgError for an unknown layout or a shape it cannot take.
struct Geometry {
  std::size_t images = 1, height = 0, width = 0, channels = 1;
  bool planar = false;
  std::size_t values() const { return images * height * width * channels; }
};
Geometry geometry(const std::vector<std::size_t>& shape, const std::string& layout);

/// threads None: the usable cores (as lrn-img -t); else 1..1024 (ArgError).
unsigned thread_count(std::optional<long> threads);

/// LRN over a C-ordered float32 array of that geometry. in == out (in place) is allowed;
/// other overlap is not. Bit-identical for every thread count. Call without the GIL.
void normalize(const float* in, float* out, const Geometry& g, const Params& p,
               unsigned threads);

/// process_file's keywords beyond the normalization ones; unset means the CLI's default.
struct FileArgs {
  std::optional<std::string> layout, format, dtype;
  std::optional<long> threads, quality;
  std::optional<double> pixel_scale;
  std::optional<unsigned long long> max_pixels, max_npy_bytes, max_row_bytes;
  bool rescale = false, lenient = false, strict = false, auto_orient = true;
};

/// A checked file job: what the CLI does for one IN OUT pair.
struct FileJob {
  std::string src, dst;
  Params params;
  FileArgs args;
};
/// Checks the keywords against each other and against dst's name (ArgError), as lrn-img does.
FileJob prepare_file(const std::string& src, const std::string& dst, const Params& p,
                     const FileArgs& a);
/// Runs it; returns the warnings (already naming the file). Throws FileError, or ArgError for
/// what only the input's content reveals (layout= given for a JPEG). Call without the GIL.
std::vector<std::string> run_file(const FileJob& job);

/// The project version, "1.0.0".
const char* version();

}  // namespace lrn_py
