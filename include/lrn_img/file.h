// Normalizing a file: what `lrn-img IN OUT` does for one pair of files.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lrn_img/errors.h"
#include "lrn_img/export.h"
#include "lrn_img/params.h"
#include "lrn_img/tensor.h"

namespace lrn_img {

/// File formats, read by content and written by OUT's extension or FileOptions::format.
enum class Format { Jpeg, Png, Npy, Pnm, Tiff, Webp };  ///< Pnm: binary PGM (1 channel) or PPM (3)

/// The format a file name asks for by its extension, any case: .jpg .jpeg (JPEG), .png, .npy,
/// .pgm .ppm .pnm (PNM), .tif .tiff (TIFF), .webp; as process_file reads OUT's name. Empty when
/// it names none.
LRN_IMG_API std::optional<Format> format_of_name(const std::string& name);
/// "JPEG", "PNG", ".npy", "PNM", "TIFF", "WebP", as messages name them.
LRN_IMG_API const char* format_name(Format f);

/// The sample type of a .npy output.
enum class Dtype { F32, F16 };

/// Everything `lrn-img IN OUT` takes besides the two names, with the same defaults. Each field
/// is the command-line option of the same name (field max_pixels is --max-pixels); the README
/// and `man lrn-img` describe them.
struct FileOptions {
  Params params;
  int quality = 90;            ///< JPEG and lossy WebP output quality, 1..100
  bool lossless = false;       ///< WebP output: lossless instead of lossy
  bool rescale = false;        ///< map output min..max to the full range (images)
  double pixel_scale = 255.0;  ///< a full-scale image sample is this value: 255 or 1
  std::uint64_t max_pixels = std::uint64_t{1} << 28;      ///< see Limit::Pixels
  std::uint64_t max_npy_bytes = std::uint64_t{4} << 30;   ///< see Limit::NpyBytes
  std::uint64_t max_row_bytes = std::uint64_t{16} << 20;  ///< see Limit::RowBytes
  std::optional<Layout> layout;  ///< .npy input's layout; empty: (H,W), (H,W,C), (N,H,W,C)
  /// .npy output's sample type (empty: F32); given, it also makes TIFF output float32 (F32;
  /// F16 is .npy only). Empty: TIFF keeps the input's depth.
  std::optional<Dtype> dtype;
  bool lenient = false;     ///< decode what can be decoded of a damaged file
  bool strict = false;      ///< every warning is a FileError
  bool auto_orient = true;  ///< apply a JPEG's EXIF orientation
  /// copy EXIF and ICC to OUT where both formats carry them (JPEG, PNG, WebP, TIFF); the rest
  /// is dropped with one warning. EXIF's orientation becomes 1 when it was applied.
  bool keep_metadata = false;
  unsigned threads = 1;          ///< threads for this file, >= 1 (0: usable_cores())
  std::optional<Format> format;  ///< OUT's format; empty: from OUT's extension
  /// Receives each warning (alpha dropped, CMYK converted, ...), one line naming the file,
  /// spelled by `spelling`. Empty: warnings are dropped (with strict they still throw).
  std::function<void(const std::string&)> warn;
  Spelling spelling;  ///< empty: C++ field names as they are
  /// Checked between row blocks; once true, process_file stops, writes nothing and throws
  /// FileError. May be raised from another thread or a signal handler.
  const std::atomic<bool>* cancel = nullptr;
  /// Fill FileReport::stats (what --stats and --json print); costs a pass over the values.
  bool stats = false;
  /// The parameters already resolved (resolve(params), once for many files: a zca_file is
  /// then read once). Set, it is used instead of `params`.
  std::optional<Resolved> resolved{};
};

/// Per-channel statistics of an image's colour channels (alpha is not normalized and not
/// counted): min[c], max[c], mean[c] are channel c's. NaN values are skipped by min and max
/// and make the mean NaN.
struct ChannelStats {
  std::vector<double> min, max, mean;
};

/// One image's statistics: `input` as the method sees it (samples times pixel_scale / full
/// scale; .npy values as they are), `output` as it computed them, before clamping, rounding or
/// rescaling for the output format.
struct ImageStats {
  ChannelStats input, output;
};

/// What process_file did: the numbers `lrn-img --stats` and `--json` print for the file.
struct FileReport {
  Format input_format = Format::Npy;   ///< IN's format, as read from its content
  Format output_format = Format::Npy;  ///< the format OUT was written in
  std::size_t width = 0, height = 0;   ///< of each image
  std::size_t channels = 0;            ///< colour channels (alpha, when kept, comes on top)
  std::size_t images = 1;              ///< a .npy batch (N, ...) holds N; any other file 1
  bool batch = false;                  ///< IN has a batch axis (a 4-D .npy array, even N = 1)
  std::size_t warnings = 0;            ///< warnings given to FileOptions::warn (or dropped)
  std::vector<ImageStats> stats;       ///< one per image with FileOptions::stats; else empty
};

/// Reads IN (JPEG, PNG, .npy, PNM, TIFF or WebP, by content; "-" is standard input),
/// normalizes it and writes OUT all-or-nothing (a temporary file renamed into place; "-" is
/// standard output, which then needs options.format). Exactly what `lrn-img IN OUT` with the
/// same options writes; the lrn-img command line runs every IN OUT pair through this call.
/// Returns what it did (existing callers may ignore it).
///
/// Throws InvalidArgument for bad options (as resolve(), and quality, pixel_scale, lenient
/// with strict, max_* of 0, layout with an image input, an OUT that names no format),
/// FileError for anything about either file (LimitExceeded for a file over a limit,
/// FileCancelled when options.cancel stopped it). OUT is untouched then.
LRN_IMG_API FileReport process_file(const std::string& in, const std::string& out,
                                    const FileOptions& options = {});

}  // namespace lrn_img
