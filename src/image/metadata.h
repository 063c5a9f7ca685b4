// EXIF and ICC data carried from an input to an output on request (--keep-metadata): the form
// readers hand it over in, the caps that keep a hostile file from claiming memory with it, and
// the one edit lrn-img makes to it (the orientation tag, once the rotation has been applied).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace lrn {

/// EXIF larger than this is dropped with a warning (a JPEG's APP1 holds at most 64 KB; PNG,
/// WebP could hold more, but no camera writes it).
constexpr std::size_t kMaxExifBytes = std::size_t{1} << 20;
/// ICC profiles larger than this are dropped with a warning (real ones, LUT-based printer
/// profiles included, are under 1 MB; a JPEG can spread 16 MB over 255 APP2 markers).
constexpr std::size_t kMaxIccBytes = std::size_t{4} << 20;
/// The EXIF a JPEG's single APP1 marker can hold (65533 bytes of payload less "Exif\0\0").
constexpr std::size_t kMaxJpegExifBytes = 65533 - 6;

/// What a reader found, as the formats store it in common. Empty vectors: none.
struct Metadata {
  /// A TIFF structure ("II*\0" or "MM\0*", then IFD0 ...) as in a JPEG's APP1 after
  /// "Exif\0\0", a PNG's eXIf or a WebP's EXIF chunk.
  std::vector<std::uint8_t> exif;
  /// An ICC profile, as the profile's own bytes (uncompressed, reassembled).
  std::vector<std::uint8_t> icc;

  bool empty() const { return exif.empty() && icc.empty(); }
};

/// "EXIF (1234 bytes)", "an ICC profile (3144 bytes)" or both joined with "and", for messages.
std::string describe(const Metadata& m);

/// EXIF bytes as a codec found them, made the TIFF structure Metadata::exif holds: a leading
/// "Exif\0\0" (JPEG's APP1 form, which some WebP writers copy) is cut. Returns why they cannot
/// be kept ("not a TIFF structure", "over the cap ...") or empty when `exif` is now usable.
std::string normalise_exif(std::vector<std::uint8_t>& exif);

/// The EXIF orientation (1..8) in a TIFF structure's IFD0; 1 when there is none or the data
/// is malformed (never reads out of bounds).
int tiff_orientation(const std::uint8_t* tiff, std::size_t size);

/// Sets IFD0's Orientation tag to 1 (top-left) in place, when there is one: the pixels have been
/// turned already. Nothing else changes (no EXIF is rebuilt).
void reset_orientation(std::vector<std::uint8_t>& tiff);

}  // namespace lrn
