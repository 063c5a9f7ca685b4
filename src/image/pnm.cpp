// Binary PGM and PPM (netpbm's P5 and P6): streamed row by row in both directions. 8-bit
// when maxval <= 255, else 16-bit (big-endian in the file, host order in rows); samples are
// scaled from 0..maxval to the full 0..255 or 0..65535 range, so a 16-bit PPM means what a
// 16-bit PNG means (v / 65535 of full scale).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <stdexcept>

#include "image/codecs.h"

namespace lrn {
namespace {

constexpr bool kHostBigEndian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
// A header is a few dozen bytes; comments can make it longer, not this long. Bounds how much
// a file (or an endless pipe) can make the header parser read.
constexpr std::size_t kMaxHeaderBytes = std::size_t{1} << 20;
// Netpbm's own cap on a dimension (pm_readmagicnumber... libnetpbm refuses more than INT_MAX).
constexpr std::uint64_t kMaxSide = 0x7FFFFFFF;

bool is_space(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

class PnmReader final : public ImageReader {
 public:
  PnmReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt);
  const ImageInfo& info() const override { return info_; }
  void read_rows(void* dst, std::size_t rows) override;

 private:
  int next_byte();  // -1 at the end
  std::uint64_t header_number(const char* what);
  void read_row(std::uint8_t* dst);
  void scale_row(std::uint8_t* dst);
  void check_size_left();
  void after_last_row();
  [[noreturn]] void fail(const std::string& why) const {
    throw FileError("cannot decode " + quoted(in_->name()) + ": " + why);
  }

  std::unique_ptr<ByteSource> in_;
  DecodeOptions opt_;
  ImageInfo info_;
  std::uint32_t maxval_ = 255;
  std::size_t header_bytes_ = 0;
  std::size_t rows_done_ = 0;
  bool broken_ = false;          // lenient: the data ended; the remaining rows are zero
  std::size_t over_maxval_ = 0;  // lenient: samples above maxval, clamped
};

PnmReader::PnmReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt)
    : in_(std::move(in)), opt_(opt) {
  char magic[2];
  in_->read_exact(magic, 2, "the PNM header");
  header_bytes_ = 2;
  if (magic[0] != 'P' || (magic[1] != '5' && magic[1] != '6')) fail("not a binary PGM or PPM file");
  const std::uint64_t width = header_number("width");
  const std::uint64_t height = header_number("height");
  const std::uint64_t maxval = header_number("maxval");
  // Exactly one white-space byte separates maxval from the raster (header_number read it).
  if (maxval == 0 || maxval > 65535)
    fail("maxval " + std::to_string(maxval) + " is not in 1..65535");
  if (width > kMaxSide || height > kMaxSide) fail("a dimension is over 2147483647");
  check_dimensions(in_->name(), width, height, opt_.max_pixels);
  maxval_ = static_cast<std::uint32_t>(maxval);
  info_.width = static_cast<std::size_t>(width);
  info_.height = static_cast<std::size_t>(height);
  info_.channels = magic[1] == '5' ? 1 : 3;
  info_.type = maxval_ > 255 ? SampleType::U16 : SampleType::U8;
  check_row_bytes(in_->name(), info_.row_bytes(), opt_.max_row_bytes);
  check_size_left();
}

int PnmReader::next_byte() {
  std::uint8_t c;
  if (in_->read(&c, 1) == 0) return -1;
  if (++header_bytes_ > kMaxHeaderBytes) fail("the PNM header is longer than 1 MiB");
  return c;
}

// White space and '#' comments (to the end of the line), then decimal digits, then the one
// white-space byte that ends the number.
std::uint64_t PnmReader::header_number(const char* what) {
  int c = next_byte();
  for (;;) {
    if (c == '#') {
      while (c != '\n' && c != '\r' && c != -1) c = next_byte();
    } else if (c != -1 && is_space(c)) {
      c = next_byte();
    } else {
      break;
    }
  }
  if (c == -1) fail(std::string("the PNM header is truncated (no ") + what + ")");
  if (c < '0' || c > '9')
    fail(std::string("malformed PNM header: the ") + what + " is not a number");
  std::uint64_t v = 0;
  while (c >= '0' && c <= '9') {
    v = std::min<std::uint64_t>(v * 10 + static_cast<unsigned>(c - '0'), std::uint64_t{1} << 40);
    c = next_byte();
  }
  if (c == -1) fail(std::string("the PNM header is truncated (after the ") + what + ")");
  if (!is_space(c)) fail(std::string("malformed PNM header: the ") + what + " is not a number");
  return v;
}

// A regular file too short for its declared raster is truncated: refuse it before the
// pipeline sizes anything by the header (lenient decodes what is there instead).
void PnmReader::check_size_left() {
  const auto left = in_->remaining();
  if (opt_.lenient || !left) return;
  const std::uint64_t need = std::uint64_t{info_.row_bytes()} * info_.height;
  if (*left >= need) return;
  fail("truncated PNM data (" + std::to_string(*left) + " bytes left cannot hold a " +
       std::to_string(info_.width) + "x" + std::to_string(info_.height) + " image of " +
       std::to_string(need) + " bytes)");
}

void PnmReader::read_rows(void* dst, std::size_t rows) {
  if (rows > info_.height - rows_done_) throw std::logic_error("PNM: read past the last row");
  auto* out = static_cast<std::uint8_t*>(dst);
  for (std::size_t i = 0; i < rows; ++i, ++rows_done_) read_row(out + i * info_.row_bytes());
  if (rows > 0 && rows_done_ == info_.height) after_last_row();
}

void PnmReader::read_row(std::uint8_t* dst) {
  const std::size_t n = info_.row_bytes();
  if (broken_) {
    std::memset(dst, 0, n);
    return;
  }
  std::size_t got = 0;
  while (got < n) {
    const std::size_t r = in_->read(dst + got, n - got);
    if (r == 0) break;
    got += r;
  }
  if (got < n) {
    const std::string where = "truncated PNM data at row " + std::to_string(rows_done_ + 1) +
                              " of " + std::to_string(info_.height);
    if (!opt_.lenient) fail(where);
    if (rows_done_ == 0) fail(where + " before the first complete row");
    broken_ = true;
    std::memset(dst, 0, n);  // a partial row is not kept: its samples may be half a pair
    if (opt_.warn)
      opt_.warn(quoted(in_->name()) + ": " + where +
                " (decoded anyway, the missing pixels are zero)");
    return;
  }
  scale_row(dst);
}

// File order (big-endian) to host order, and 0..maxval to the full range. Samples above
// maxval are damaged data: an error, or clamped when lenient.
void PnmReader::scale_row(std::uint8_t* dst) {
  const std::size_t n = info_.row_samples();
  const std::uint32_t full = info_.type == SampleType::U16 ? 65535 : 255;
  std::size_t over = 0;
  if (info_.type == SampleType::U16) {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t v = (std::uint32_t{dst[2 * i]} << 8) | dst[2 * i + 1];
      if (v > maxval_) ++over, v = maxval_;
      if (maxval_ != full) v = (v * full + maxval_ / 2) / maxval_;
      const auto s = static_cast<std::uint16_t>(v);
      std::memcpy(dst + 2 * i, &s, 2);  // host order
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      std::uint32_t v = dst[i];
      if (v > maxval_) ++over, v = maxval_;
      if (maxval_ != full) v = (v * full + maxval_ / 2) / maxval_;
      dst[i] = static_cast<std::uint8_t>(v);
    }
  }
  if (!over) return;
  if (!opt_.lenient)
    fail("damaged PNM data: a sample at row " + std::to_string(rows_done_ + 1) +
         " is above maxval " + std::to_string(maxval_));
  over_maxval_ += over;
}

// What follows the raster: nothing, or (netpbm allows it) another image, which is not read.
void PnmReader::after_last_row() {
  if (over_maxval_ && opt_.warn)
    opt_.warn(quoted(in_->name()) + ": " + std::to_string(over_maxval_) +
              " sample(s) above maxval " + std::to_string(maxval_) + " (damaged data, clamped)");
  if (broken_) return;
  std::uint8_t next[2];
  const std::size_t got = in_->read(next, 2);
  if (got < 2 || next[0] != 'P' || next[1] < '1' || next[1] > '7') return;
  if (opt_.strict) fail("the file holds more than one image (only the first would be read)");
  if (opt_.warn)
    opt_.warn(quoted(in_->name()) + ": the file holds more than one image; the first was read");
}

// ---- Encoding ---------------------------------------------------------------------------

class PnmWriter final : public ImageWriter {
 public:
  PnmWriter(ByteSink& sink, const ImageInfo& info) : sink_(sink), info_(info) {
    const bool ok_type = info.type == SampleType::U8 || info.type == SampleType::U16;
    if (!ok_type || info.has_alpha || (info.channels != 1 && info.channels != 3))
      throw FileError("cannot write " + quoted(sink.name()) +
                      ": PNM (PGM, PPM) holds 1 or 3 channels of 8 or 16 bits, without alpha");
    const std::string header = std::string(info.channels == 1 ? "P5" : "P6") + "\n" +
                               std::to_string(info.width) + " " + std::to_string(info.height) +
                               "\n" + (info.type == SampleType::U16 ? "65535" : "255") + "\n";
    sink_.write(header.data(), header.size());
  }

  void write_rows(const void* src, std::size_t rows) override {
    const auto* in = static_cast<const std::uint8_t*>(src);
    const std::size_t n = rows * info_.row_bytes();
    if (info_.type == SampleType::U8 || kHostBigEndian) return sink_.write(in, n);
    swapped_.resize(std::min<std::size_t>(n, std::size_t{1} << 16));
    for (std::size_t done = 0; done < n;) {
      const std::size_t k = std::min(swapped_.size(), n - done);
      for (std::size_t i = 0; i < k; i += 2) {
        swapped_[i] = in[done + i + 1];
        swapped_[i + 1] = in[done + i];
      }
      sink_.write(swapped_.data(), k);
      done += k;
    }
  }

  void finish() override {}

 private:
  ByteSink& sink_;
  ImageInfo info_;
  std::vector<std::uint8_t> swapped_;
};

}  // namespace

bool sniff_pnm(const std::vector<std::uint8_t>& h) {
  return h.size() >= 3 && h[0] == 'P' && (h[1] == '5' || h[1] == '6') && is_space(h[2]);
}

std::unique_ptr<ImageReader> open_pnm_reader(std::unique_ptr<ByteSource> src,
                                             const DecodeOptions& opt) {
  return std::make_unique<PnmReader>(std::move(src), opt);
}

std::unique_ptr<ImageWriter> open_pnm_writer(ByteSink& sink, const ImageInfo& info,
                                             const EncodeOptions&) {
  return std::make_unique<PnmWriter>(sink, info);
}

}  // namespace lrn
