// The codec boundary: image formats, the row-streaming reader and writer interfaces, and the
// factories that pick a codec. Everything else in lrn-img sees images only through this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "image/byte_stream.h"
#include "image/errors.h"
#include "image/metadata.h"
#include "lrn/layout.h"

namespace lrn {

/// The formats of the codec table (codec_table.h), one row each.
enum class Format { Jpeg, Png, Npy, Pnm, Tiff, Webp };
const char* format_name(Format f);  ///< "JPEG", "PNG", "PNM", ".npy"

/// Sample types as they sit in a codec's rows. U16 is PNG's 16-bit, F16 IEEE half precision
/// (.npy float16); both in host byte order here.
enum class SampleType { U8, U16, F16, F32, F64 };
std::size_t sample_size(SampleType t);

/// What a reader delivers or a writer accepts. Rows are packed: width * channels samples of
/// `type`, channels interleaved (HWC). When has_alpha, the last channel is alpha.
///
/// A .npy tensor (lrn/layout.h's TensorShape) may hold a batch of N images of H rows: its
/// `height` is then all N * H rows, one image after another. A planar one (CHW, NCHW) is
/// read and written in whole images, each its C channel planes of H * W samples one after
/// another: rows are counted in multiples of H, and a pixel's values are not adjacent.
struct ImageInfo {
  std::size_t width = 0;
  std::size_t height = 0;
  std::size_t channels = 0;  ///< including alpha
  bool has_alpha = false;
  SampleType type = SampleType::U8;

  std::size_t row_samples() const { return width * channels; }
  std::size_t pixel_bytes() const { return channels * sample_size(type); }
  std::size_t row_bytes() const { return width * pixel_bytes(); }
};

struct DecodeOptions {
  /// Images whose header declares more pixels than this are refused before any pixel buffer
  /// is allocated: FileError "cannot decode 'x': 30000x30000 is over the pixel budget ...".
  std::uint64_t max_pixels = std::uint64_t{1} << 28;
  /// Damaged pixel data (truncated, bad Huffman code, lost sync, bad CRC on a critical chunk,
  /// broken zlib stream) is a FileError by default. lenient: decode what can be decoded and
  /// report the damage through warn instead.
  bool lenient = false;
  /// Every warning about the file's bytes (libjpeg's "extraneous bytes", a bad CRC on a
  /// metadata chunk, CMYK converted) is a FileError instead. Not together with lenient.
  bool strict = false;
  /// .npy: refuse arrays whose data (N * H * W * C * sample size) is larger, before reading it.
  std::uint64_t max_npy_bytes = std::uint64_t{4} << 30;
  /// Images whose decoded row (width * channels * sample size, as the reader delivers it) is
  /// larger are refused from the header: decoders and the pipeline size row buffers from the
  /// header before any data arrives, so this bounds what a header alone can cost.
  std::uint64_t max_row_bytes = std::uint64_t{16} << 20;
  /// .npy: the array's layout. A shape that does not fit it is a UsageError naming the shape.
  /// Unset: (H, W), (H, W, C) or (N, H, W, C), with a warning when a 3-D or 4-D shape looks
  /// channel-first (lrn::looks_channel_first; a FileError under strict).
  std::optional<Layout> layout;
  /// JPEG: apply the EXIF orientation tag, so rows come out the way the photo is meant to be
  /// seen (as ImageMagick's -auto-orient and libvips' autorot do).
  bool auto_orient = true;
  /// Collect EXIF and ICC from the header (before any pixel) for ImageReader::metadata(), each
  /// within its cap (metadata.h); what is damaged or over a cap is dropped with a warning.
  bool keep_metadata = false;
  /// Non-fatal messages (CMYK converted, libjpeg warnings that leave pixels intact).
  WarningSink warn;
};

/// Streams an image's rows top to bottom. Damaged data throws FileError naming the source.
class ImageReader {
 public:
  virtual ~ImageReader() = default;
  virtual const ImageInfo& info() const = 0;
  /// The next `rows` rows into dst (rows * info().row_bytes() bytes). Reading past the last
  /// row is a logic error; so is a planar read that is not whole images.
  virtual void read_rows(void* dst, std::size_t rows) = 0;
  /// EXIF orientation 1..8 of the stored pixels (JPEG); rows are delivered as stored.
  virtual int orientation() const { return 1; }
  /// With DecodeOptions::keep_metadata: the file's EXIF and ICC (the EXIF's orientation already
  /// reset to 1 when the reader applied it); nullptr when the format carries none.
  virtual const Metadata* metadata() const { return nullptr; }
  /// .npy: the array's images, layout and the shape an output that keeps it writes back;
  /// nullptr for one interleaved image (JPEG, PNG).
  virtual const TensorShape* tensor() const { return nullptr; }
};

struct EncodeOptions {
  int quality = 90;       ///< JPEG and lossy WebP quality 1..100 (JPEG: 4:2:0 chroma subsampling)
  bool lossless = false;  ///< WebP: lossless instead of lossy
  /// .npy: the shape to write (its product must be height * width * channels); empty:
  /// (H, W, C).
  std::vector<std::uint64_t> npy_dims;
  /// EXIF and ICC to store (JPEG: APP1 and APP2 markers; PNG: eXIf and iCCP; WebP: EXIF and
  /// ICCP chunks; TIFF: the ICC tag, EXIF's descriptive IFD0 tags and its EXIF IFD), only what
  /// the codec row's `metadata` says it carries; nullptr: none. Must outlive the writer.
  const Metadata* metadata = nullptr;
};

/// Receives an image's rows top to bottom; finish() after the last one.
class ImageWriter {
 public:
  virtual ~ImageWriter() = default;
  virtual void write_rows(const void* src, std::size_t rows) = 0;
  virtual void finish() = 0;
};

/// The format of a stream from its first bytes (up to kSniffBytes), by the codec table's tests.
std::optional<Format> sniff_format(const std::vector<std::uint8_t>& head);

/// The format named by a path's extension (any of a codec row's extensions, any case).
std::optional<Format> format_from_extension(const std::string& path);

/// Opens a reader by content. Throws FileError: "'x' is a GIF image; lrn-img reads JPEG, PNG,
/// PNM and .npy" for a format in signatures.h, "cannot decode 'x': not an image; ..." for
/// anything else unknown, or the codec's reason.
std::unique_ptr<ImageReader> open_reader(std::unique_ptr<ByteSource> src, const DecodeOptions& opt);

/// Opens a writer. What each format accepts:
///   JPEG: U8, 1 or 3 channels, no alpha.   PNG: U8 or U16, 1..4 channels (2 = gray+alpha,
///   4 = RGBA).   PNM: U8 or U16, 1 channel (P5) or 3 (P6), no alpha.   TIFF: U8, U16 or
///   F32, 1..4 channels (alpha last), deflate.   WebP: U8, 1 or 3 colour channels, alpha or
///   not (grey is stored as RGB), lossy at quality or lossless.   .npy: F32 or F16,
///   any channel count, any batch and layout (written as
///   '<f4' or '<f2', shape opt.npy_dims or (H, W, C)).
/// Throws FileError for what the format cannot hold.
std::unique_ptr<ImageWriter> open_writer(Format f, ByteSink& sink, const ImageInfo& info,
                                         const EncodeOptions& opt);

}  // namespace lrn
