// The streaming pipeline: decoder rows -> float row blocks (HWC, or CHW planes for planar
// tensors) -> LRN -> quantise -> encoder rows. The full-size float image is never allocated
// for image-to-image runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "image/errors.h"
#include "image/format.h"
#include "image/stop.h"  // Cancelled, thrown when RunOptions::cancel is raised
#include "lrn/method.h"
#include "lrn/params.h"

namespace lrn {

/// Per-channel statistics of the colour channels, as LRN sees them (input) and as LRN
/// produced them before clamping or rounding (output).
struct ChannelStats {
  std::vector<double> min, max, mean;
};
/// One file's statistics: input[i] and output[i] are image i's (a .npy batch holds several).
struct ImageStats {
  std::size_t width = 0, height = 0, channels = 0;
  std::size_t images = 1;
  bool batch = false;  ///< the array has a batch axis (N, ...): report per image as a list
  std::vector<ChannelStats> input, output;
};

/// What a run found out about the file, whether or not stats were asked for (free).
struct FileFacts {
  Format in_format = Format::Npy, out_format = Format::Npy;
  std::size_t width = 0, height = 0, channels = 0;  ///< channels: the colour channels
  std::size_t images = 1;
  bool batch = false;  ///< the array has a batch axis (N, ...)
};

struct RunOptions {
  LrnParams params;                    ///< the cross-channel LRN (when method is unset)
  std::optional<FamilyMethod> method;  ///< a method of the family instead (lrn/method.h)
  int quality = 90;                    ///< JPEG and lossy WebP quality 1..100
  bool lossless = false;               ///< WebP output: lossless
  bool rescale = false;                ///< map output min..max to the full range (image outputs)
  double pixel_scale = 255.0;          ///< value of a full-scale sample seen by LRN: 255 or 1
  std::uint64_t max_pixels = std::uint64_t{1} << 28;
  std::uint64_t max_npy_bytes = std::uint64_t{4} << 30;   ///< see DecodeOptions
  std::uint64_t max_row_bytes = std::uint64_t{16} << 20;  ///< see DecodeOptions
  std::optional<Layout> layout;           ///< .npy input's layout (see DecodeOptions); a UsageError
                                          ///< with JPEG or PNG input
  SampleType npy_type = SampleType::F32;  ///< .npy output: F32 or F16 (overflow warns)
  /// npy_type was asked for (--dtype): then it also sets the sample type of every other output
  /// that can hold floats (TIFF: F32), which otherwise keeps the input's depth.
  bool dtype_given = false;
  bool lenient = false;              ///< decode what can be decoded from damaged files, warning
  bool strict = false;               ///< every warning is an error (codecs and warn's callers)
  unsigned threads = 1;              ///< row-block threads inside one image, >= 1
  std::optional<Format> out_format;  ///< default: from OUT's extension
  bool auto_orient = true;           ///< apply JPEG EXIF orientation
  /// Copy EXIF and ICC from input to output where both formats carry them; what the output
  /// cannot hold is dropped with one warning naming the input (none when there was nothing).
  bool keep_metadata = false;
  WarningSink warn;                           ///< non-fatal messages, already naming the file
  const std::atomic<bool>* cancel = nullptr;  ///< checked between row blocks
  ImageStats* stats = nullptr;                ///< filled when set (costs a pass over the values)
  FileFacts* facts = nullptr;                 ///< filled when set, once the header is read
};

/// The format OUT is written in: opt.out_format, else OUT's extension. Throws UsageError when
/// neither says.
Format output_format(const std::string& out, const RunOptions& opt);

/// Applies LRN to the image in `in` and writes `out` all-or-nothing (see OutputFile).
/// Throws FileError (exit 1) for anything about either file, including OUT naming IN;
/// UsageError (exit 2) when OUT's extension names no supported format.
void process_file(const std::string& in, const std::string& out, const RunOptions& opt);

/// The same between streams: reads any supported format from src, writes format f to sink.
void process_stream(std::unique_ptr<ByteSource> src, ByteSink& sink, Format f,
                    const RunOptions& opt);

}  // namespace lrn
