// EXIF orientation: reading the tag from a JPEG's APP1 segment, and a reader that turns
// stored pixels into the way the photo is meant to be seen.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "image/format.h"

namespace lrn {

/// The EXIF orientation (1..8) in an APP1 payload ("Exif\0\0" + TIFF); 1 when the payload
/// is not EXIF, has no orientation tag (one SHORT in IFD0: tiff_orientation), or is malformed
/// (never reads out of bounds).
int exif_orientation(const std::uint8_t* data, std::size_t size);

/// Wraps `stored` so rows come out in display orientation (1..8 as EXIF defines them; 5..8
/// swap width and height). Holds the stored image in its own sample type: a rotation needs
/// the whole image before its first row.
std::unique_ptr<ImageReader> oriented(std::unique_ptr<ImageReader> stored, int orientation);

}  // namespace lrn
