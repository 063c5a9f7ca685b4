// EXIF in a TIFF file, which holds it as tags of its own first directory (Make, Model, ...)
// and a sub-directory (the EXIF IFD) that tag 34665 points to: moved between a TIFF file and
// the TIFF structure Metadata::exif holds (metadata.h), values copied byte for byte. Internal
// to the TIFF codec.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lrn {

/// The IFD0 tags that travel with EXIF (a TIFF's own IFD0 holds the image's structure too):
/// ImageDescription, Make, Model, Orientation, X/YResolution, ResolutionUnit, DateTime,
/// Artist, Copyright.
bool is_descriptive_tag(std::uint16_t tag);

/// One directory entry, its value's bytes in the byte order of the structure it came from.
struct TiffEntry {
  std::uint16_t tag = 0, type = 0;
  std::uint32_t count = 0;
  std::vector<std::uint8_t> value;
};

/// Reads `n` bytes at an offset of a TIFF file; returns how many there were.
using ReadAt = std::function<std::size_t(std::uint64_t, std::uint8_t*, std::size_t)>;

/// A classic TIFF file's EXIF as a TIFF structure ("II*" or "MM*", in the file's byte order):
/// IFD0's descriptive tags, and the EXIF IFD's entries (pointers to other directories, such
/// as Interop's, GPS's or one back to IFD0, are left out). Empty when there is none. Returns why it cannot be kept (BigTIFF,
/// malformed, over kMaxExifBytes) in `why`.
std::vector<std::uint8_t> exif_from_tiff(const ReadAt& read, std::uint64_t size, std::string* why);

/// The entries of an EXIF TIFF structure: IFD0's descriptive tags and the EXIF IFD's, each
/// value converted to host byte order. Malformed parts are left out.
void exif_entries(const std::vector<std::uint8_t>& exif, std::vector<TiffEntry>* ifd0,
                  std::vector<TiffEntry>* exif_ifd);

/// A directory of `entries` (host byte order, sorted here by tag) to be placed at file offset
/// `at` (even), its long values after it: the bytes to write there.
std::vector<std::uint8_t> directory_bytes(std::vector<TiffEntry> entries, std::uint32_t at);

}  // namespace lrn
