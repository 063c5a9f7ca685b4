// EXIF orientation tag parsing and the reader that applies it.
#include "image/orient.h"

#include <algorithm>
#include <cstring>

#include "image/grow_buffer.h"
#include "image/metadata.h"

namespace lrn {

int exif_orientation(const std::uint8_t* d, std::size_t size) {
  if (size < 6 + 8 || std::memcmp(d, "Exif\0\0", 6) != 0) return 1;
  // The same rule as reset_orientation (one SHORT in IFD0), so that an orientation applied to
  // the pixels is always the one --keep-metadata resets in the copied EXIF.
  return tiff_orientation(d + 6, size - 6);
}

namespace {

class OrientedReader final : public ImageReader {
 public:
  OrientedReader(std::unique_ptr<ImageReader> stored, int orientation)
      : stored_(std::move(stored)), orientation_(orientation) {
    const ImageInfo& s = stored_->info();
    info_ = s;
    if (orientation_ >= 5) std::swap(info_.width, info_.height);
  }
  const ImageInfo& info() const override { return info_; }
  const Metadata* metadata() const override { return stored_->metadata(); }

  void read_rows(void* dst, std::size_t rows) override {
    if (pixels_.empty()) read_stored();
    const std::size_t px = info_.channels * sample_size(info_.type);
    auto* out = static_cast<std::uint8_t*>(dst);
    for (std::size_t r = 0; r < rows; ++r, ++next_row_)
      for (std::size_t x = 0; x < info_.width; ++x)
        std::memcpy(out + (r * info_.width + x) * px, source(x, next_row_), px);
  }

 private:
  // The whole stored image, grown block by block as it decodes: a small file that declares a
  // huge image fails when its data runs out, having cost only the rows it delivered.
  void read_stored() {
    const ImageInfo& s = stored_->info();
    const std::size_t row_bytes = s.row_bytes();
    const std::size_t block = std::max<std::size_t>(1, (std::size_t{1} << 20) / row_bytes);
    for (std::size_t y = 0; y < s.height; y += block) {
      const std::size_t n = std::min(block, s.height - y);
      pixels_.grow((y + n) * row_bytes);
      stored_->read_rows(pixels_.data() + y * row_bytes, n);
    }
  }

  // The stored pixel shown at display position (x, y), as EXIF defines orientations 1..8.
  const std::uint8_t* source(std::size_t x, std::size_t y) const {
    const ImageInfo& s = stored_->info();
    const std::size_t w = s.width, h = s.height;
    std::size_t sx = x, sy = y;
    switch (orientation_) {
      case 2: sx = w - 1 - x; break;  // mirrored left-right
      case 3:
        sx = w - 1 - x;
        sy = h - 1 - y;
        break;                        // rotated 180
      case 4: sy = h - 1 - y; break;  // mirrored top-bottom
      case 5:
        sx = y;
        sy = x;
        break;  // transposed
      case 6:
        sx = y;
        sy = h - 1 - x;
        break;  // needs 90 clockwise
      case 7:
        sx = w - 1 - y;
        sy = h - 1 - x;
        break;  // transversed
      case 8:
        sx = w - 1 - y;
        sy = x;
        break;  // needs 90 counter-clockwise
      default: break;
    }
    return pixels_.data() + (sy * w + sx) * s.channels * sample_size(s.type);
  }

  std::unique_ptr<ImageReader> stored_;
  const int orientation_;
  ImageInfo info_;
  GrowBuffer pixels_;
  std::size_t next_row_ = 0;
};

}  // namespace

std::unique_ptr<ImageReader> oriented(std::unique_ptr<ImageReader> stored, int orientation) {
  if (orientation <= 1 || orientation > 8) return stored;
  return std::make_unique<OrientedReader>(std::move(stored), orientation);
}

}  // namespace lrn
