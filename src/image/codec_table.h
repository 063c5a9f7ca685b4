// The one table of codecs (as libvips' foreign loaders declare themselves): each row says how
// its format is recognised, which extensions name it, what its writer can hold and how its
// reader delivers, and opens readers and writers. Sniffing, output naming, planning, messages
// and the help's format lists all read it; a new format is one codec file and one row.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "image/format.h"

namespace lrn {

using ReaderFactory = std::unique_ptr<ImageReader> (*)(std::unique_ptr<ByteSource>,
                                                       const DecodeOptions&);
using WriterFactory = std::unique_ptr<ImageWriter> (*)(ByteSink&, const ImageInfo&,
                                                       const EncodeOptions&);

/// A sample type as a bit of Codec::out_types.
constexpr unsigned type_bit(SampleType t) { return 1u << static_cast<unsigned>(t); }
/// A colour channel count 1..4 as a bit of Codec::out_colors.
constexpr unsigned colors_bit(std::size_t n) { return 1u << (n - 1); }

/// One row. Plain data (constant-initialised), defined next to its codec.
struct Codec {
  Format format;
  const char* name;           ///< in messages and lists: "JPEG"
  const char* extensions[4];  ///< lower case, without the dot; [0] names outputs; nullptr ends
  /// Does a file's head (its first bytes, up to kSniffBytes) belong to this codec?
  bool (*sniff)(const std::vector<std::uint8_t>& head);
  ReaderFactory open_reader;
  WriterFactory open_writer;

  // ---- What the writer can hold (make_plan and the option checks read these) ----
  unsigned out_colors;      ///< colors_bit()s of colour channel counts; 0: any count (.npy)
  const char* colors_text;  ///< the same in words, for messages: "1 or 3 channels"
  bool out_alpha;           ///< stores an alpha channel beside the colours
  unsigned out_types;       ///< type_bit()s of the sample types it writes
  bool batches;             ///< holds a batch of images and keeps the input's layout (.npy)
  bool quality;             ///< --quality applies (lossy)
  bool clamps;              ///< integer samples, clamped or --rescale'd to their range

  // ---- How the reader delivers ----
  bool values_as_stored;  ///< samples are LRN's values as they are, never pixel-scaled
  bool streams;           ///< row by row (false: the whole image is held)
  bool multi_page;        ///< may hold several pages; the first is read, with a warning

  // ---- --keep-metadata ----
  unsigned metadata = 0;  ///< kExif | kIcc: what the reader hands over and the writer stores
};

constexpr unsigned kExif = 1;  ///< Codec::metadata: EXIF
constexpr unsigned kIcc = 2;   ///< Codec::metadata: an ICC profile

/// Every codec, in sniffing order.
const std::vector<const Codec*>& codecs();

/// The row of a format.
const Codec& codec_of(Format f);

/// The codec whose extensions include `ext` (no dot, any case), or nullptr.
const Codec* codec_by_extension(const std::string& ext);

/// The readable formats' names joined for messages: "JPEG, PNG, PNM, TIFF, WebP and .npy".
std::string readable_names();

/// The names of the rows `pick` chooses, joined for messages: "JPEG and PNG".
std::string codec_names(bool (*pick)(const Codec&));

/// The output extensions, [0] of each row, each after `prefix`, joined with `last` before the
/// last one: ("or") -> "jpg, png, pnm, tif, webp or npy"; ("or", ".") -> ".jpg, .png, .pnm or .npy";
/// ("|") -> "jpg|png|pnm|tif|webp|npy".
std::string output_extensions(const std::string& last, const std::string& prefix = "");

/// Every extension of every row (the values --format accepts).
std::vector<std::string> all_extensions();

}  // namespace lrn
