// TIFF through libtiff: read 8/16-bit unsigned and 32-bit float, 1..4 channels, contiguous or
// planar, strips or tiles, any compression libtiff has; write 8/16-bit or float32 with deflate.
//
// Reading goes band by band: a band is one strip (or one row of tiles) of every plane, held in
// the file's own sample type and handed out row by row, so memory follows the file's strip or
// tile height, never the image's (a single-strip file is the exception it has to be). libtiff
// must seek: a regular file is read where it lies; a pipe is held in memory first, up to what
// the pixel budget allows. Writing: libtiff patches the header when it closes, which a regular
// output's temporary file allows (ByteSink::write_at); a pipe gets the file from memory. Rows
// are written a whole strip (~256 KB) at a time, which libtiff compresses with libdeflate.
#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>

#include "image/codecs.h"
#include "image/tiff_exif.h"
#include "on_demand.h"

namespace lrn {
namespace {

// Bytes a TIFF from a pipe may occupy in memory per pixel of --max-pixels: a 16-bit RGBA
// pixel uncompressed. Beyond that the pipe is refused, never silently truncated.
constexpr std::uint64_t kPipeBytesPerPixel = 8;
// Strips lrn-img writes: about this many bytes of samples each (deflate works on 32 KB
// windows; bigger strips only cost memory).
constexpr std::size_t kStripBytes = 256 * 1024;

// libtiff's messages for one file, through its per-file handlers (libtiff 4.5): nothing global
// is touched, and two files on two threads never mix messages.
struct Messages {
  std::string error;  // the first error
  std::vector<std::string> warnings;
};

std::string format_message(const char* fmt, va_list ap) {
  char buf[512];
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  return buf;
}

// libtiff starts some messages with the file's name ("x.tif: Can not read ..."); messages
// name the file once, quoted, so that goes.
// Whole-strip reads report "scanline 4294967295" (libtiff's -1): say nothing instead.
std::string without_name(std::string text, const char* name) {
  const std::string prefix = std::string(name ? name : "") + ": ";
  if (name && text.compare(0, prefix.size(), prefix) == 0) text.erase(0, prefix.size());
  const std::string bogus = " at scanline 4294967295";
  if (const auto at = text.find(bogus); at != std::string::npos) text.erase(at, bogus.size());
  return text;
}

int on_error(TIFF* tif, void* user, const char*, const char* fmt, va_list ap) {
  auto* m = static_cast<Messages*>(user);
  std::string text = without_name(format_message(fmt, ap), tif ? TIFFFileName(tif) : nullptr);
  if (m->error.empty()) m->error = std::move(text);
  return 1;
}

int on_warning(TIFF* tif, void* user, const char*, const char* fmt, va_list ap) {
  auto* m = static_cast<Messages*>(user);
  std::string text = without_name(format_message(fmt, ap), tif ? TIFFFileName(tif) : nullptr);
  // Private and unknown tags are everyday TIFF (cameras, scanners, GIS): not worth a word,
  // as libvips and ImageMagick keep quiet about them too.
  if (text.find("Unknown field with tag") != std::string::npos) return 1;
  if (m->warnings.size() < 8) m->warnings.push_back(std::move(text));
  return 1;
}

struct TiffClose {
  void operator()(TIFF* t) const { TIFFClose(t); }
};
using TiffPtr = std::unique_ptr<TIFF, TiffClose>;

struct OptionsFree {
  void operator()(TIFFOpenOptions* o) const { TIFFOpenOptionsFree(o); }
};

std::unique_ptr<TIFFOpenOptions, OptionsFree> open_options(Messages* m, std::uint64_t max_alloc) {
  std::unique_ptr<TIFFOpenOptions, OptionsFree> o(TIFFOpenOptionsAlloc());
  if (!o) throw std::bad_alloc();
  TIFFOpenOptionsSetErrorHandlerExtR(o.get(), on_error, m);
  TIFFOpenOptionsSetWarningHandlerExtR(o.get(), on_warning, m);
  TIFFOpenOptionsSetMaxSingleMemAlloc(o.get(), static_cast<tmsize_t>(max_alloc));
  return o;
}

toff_t seek_to(std::uint64_t& pos, std::uint64_t end, toff_t off, int whence) {
  const auto delta = static_cast<std::int64_t>(off);
  if (whence == SEEK_SET) pos = off;
  else if (whence == SEEK_CUR)
    pos = static_cast<std::uint64_t>(static_cast<std::int64_t>(pos) + delta);
  else pos = static_cast<std::uint64_t>(static_cast<std::int64_t>(end) + delta);
  return pos;
}

int no_map(thandle_t, void**, toff_t*) { return 0; }
void no_unmap(thandle_t, void*, toff_t) {}
int no_close(thandle_t) { return 0; }

// ---- Decoding ---------------------------------------------------------------------------

// What libtiff reads through. Exceptions must not cross libtiff's C frames.
struct Input {
  ByteSource* src = nullptr;
  std::uint64_t pos = 0;
  std::uint64_t size = 0;
  std::exception_ptr cause;
};

tmsize_t in_read(thandle_t h, void* dst, tmsize_t n) {
  auto* in = static_cast<Input*>(h);
  try {
    std::size_t got = 0;
    auto* out = static_cast<std::uint8_t*>(dst);
    while (got < static_cast<std::size_t>(n)) {
      const std::size_t r =
          in->src->read_at(in->pos + got, out + got, static_cast<std::size_t>(n) - got);
      if (r == 0) break;
      got += r;
    }
    in->pos += got;
    return static_cast<tmsize_t>(got);
  } catch (...) {
    in->cause = std::current_exception();
    return -1;
  }
}
tmsize_t in_write(thandle_t, void*, tmsize_t) { return -1; }
toff_t in_seek(thandle_t h, toff_t off, int whence) {
  auto* in = static_cast<Input*>(h);
  return seek_to(in->pos, in->size, off, whence);
}
toff_t in_size(thandle_t h) { return static_cast<Input*>(h)->size; }

class TiffReader final : public ImageReader {
 public:
  TiffReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt);
  TiffReader(const TiffReader&) = delete;  // libtiff holds pointers into this object
  TiffReader& operator=(const TiffReader&) = delete;
  const ImageInfo& info() const override { return info_; }
  void read_rows(void* dst, std::size_t rows) override;
  const Metadata* metadata() const override { return opt_.keep_metadata ? &metadata_ : nullptr; }

 private:
  void make_seekable();
  void read_metadata();
  void read_header();
  std::uint16_t sample_tag(ttag_t tag, std::uint16_t fallback);
  void load_band(std::size_t band);
  bool read_strips(std::size_t first, std::size_t rows);
  bool read_tiles(std::size_t first, std::size_t rows);
  void place(const std::uint8_t* src, std::size_t src_row_bytes, std::size_t rows, std::size_t x0,
             std::size_t width, std::size_t plane);
  void invert_band(std::size_t rows);
  void pass_warnings();
  void damaged(std::size_t first);
  [[noreturn]] void fail(const std::string& why) const;

  std::unique_ptr<ByteSource> in_;
  DecodeOptions opt_;
  Messages messages_;
  Input input_;
  TiffPtr tif_;
  ImageInfo info_;
  Metadata metadata_;
  bool tiled_ = false;
  bool planar_ = false;
  bool min_is_white_ = false;
  std::size_t band_rows_ = 0;  // rows per strip, or the tile height
  std::size_t tile_width_ = 0;
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<std::uint8_t[], Free> band_;  // band_rows_ rows, interleaved, file's samples
  std::vector<std::uint8_t> piece_;    // one strip or tile of one plane, when planar or tiled
  std::size_t band_index_ = SIZE_MAX;  // which band band_ holds
  std::size_t rows_done_ = 0;
  bool broken_ = false;  // lenient: a band failed; it and the rest are zero
};

TiffReader::TiffReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt)
    : in_(std::move(in)), opt_(opt) {
  if (const std::string why = lrn_glue::tiff_load_error(); !why.empty())
    throw FileError(quoted(in_->name()) + ": " + why, in_->name());
  make_seekable();
  input_.src = in_.get();
  input_.size = *in_->size();
  // libtiff's largest single allocation: one strip or tile, raw or decoded. Within the pixel
  // budget (16 bytes a pixel: float32 RGBA), at least 16 MiB for small budgets.
  const std::uint64_t max_alloc = std::clamp<std::uint64_t>(
      opt_.max_pixels * 16, std::uint64_t{16} << 20, std::uint64_t{2} << 30);
  auto options = open_options(&messages_, max_alloc);
  tif_.reset(TIFFClientOpenExt(in_->name().c_str(), "rm", &input_, in_read, in_write, in_seek,
                               no_close, in_size, no_map, no_unmap, options.get()));
  if (input_.cause) std::rethrow_exception(input_.cause);
  if (!tif_) fail(messages_.error.empty() ? "not a readable TIFF file" : messages_.error);
  read_header();
}

// A pipe is read into memory (libtiff seeks), up to what the pixel budget allows.
void TiffReader::make_seekable() {
  if (in_->size()) return;
  std::uint64_t limit;
  if (__builtin_mul_overflow(opt_.max_pixels, kPipeBytesPerPixel, &limit)) limit = UINT64_MAX;
  std::vector<std::uint8_t> all;
  std::vector<std::uint8_t> chunk(1 << 16);
  for (;;) {
    const std::size_t got = in_->read(chunk.data(), chunk.size());
    if (got == 0) break;
    if (all.size() + got > limit)
      throw LimitExceeded(
          "cannot decode " + quoted(in_->name()) +
              ": a TIFF from a pipe is held in memory (libtiff must seek), and this "
              "one is over the " +
              std::to_string(limit) +
              " bytes the pixel budget "
              "allows (8 bytes a pixel); save it to a file first, or raise " +
              param("max_pixels"),
          in_->name(), lrn_img::Limit::Pixels, all.size() + got, limit);
    all.insert(all.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got));
  }
  in_ = memory_source(std::move(all), in_->name());
}

std::uint16_t TiffReader::sample_tag(ttag_t tag, std::uint16_t fallback) {
  std::uint16_t v = fallback;
  if (!TIFFGetFieldDefaulted(tif_.get(), tag, &v)) v = fallback;
  return v;
}

void TiffReader::read_header() {
  TIFF* t = tif_.get();
  std::uint32_t width = 0, height = 0;
  TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(t, TIFFTAG_IMAGELENGTH, &height);
  check_dimensions(in_->name(), width, height, opt_.max_pixels);
  const std::uint16_t spp = sample_tag(TIFFTAG_SAMPLESPERPIXEL, 1);
  const std::uint16_t bits = sample_tag(TIFFTAG_BITSPERSAMPLE, 1);
  const std::uint16_t format = sample_tag(TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_UINT);
  std::uint16_t photometric = 0;
  if (!TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photometric))
    photometric = spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
  if (spp < 1 || spp > 4)
    fail(std::to_string(spp) + " samples per pixel; lrn-img reads TIFF with 1 to 4");
  if (bits == 8 && format == SAMPLEFORMAT_UINT) info_.type = SampleType::U8;
  else if (bits == 16 && format == SAMPLEFORMAT_UINT) info_.type = SampleType::U16;
  else if (bits == 32 && format == SAMPLEFORMAT_IEEEFP) info_.type = SampleType::F32;
  else
    fail(std::to_string(bits) + "-bit " +
         (format == SAMPLEFORMAT_IEEEFP ? "float"
          : format == SAMPLEFORMAT_INT  ? "signed"
                                        : "unsigned") +
         " samples; lrn-img reads 8- and 16-bit unsigned and 32-bit float TIFF");
  std::uint16_t compression = COMPRESSION_NONE;
  TIFFGetField(t, TIFFTAG_COMPRESSION, &compression);
  if (photometric == PHOTOMETRIC_YCBCR && compression == COMPRESSION_JPEG && spp == 3) {
    TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);  // libjpeg converts to RGB
    photometric = PHOTOMETRIC_RGB;
  }
  min_is_white_ = photometric == PHOTOMETRIC_MINISWHITE;
  if (min_is_white_ && info_.type == SampleType::F32)
    fail("float samples with white as zero (MinIsWhite) are not read");
  const bool grey = photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE;
  if (!grey && !(photometric == PHOTOMETRIC_RGB && spp >= 3))
    fail("photometric interpretation " + std::to_string(photometric) +
         " (palette, CMYK, YCbCr, Lab, ...) is not read; lrn-img reads grey and RGB TIFF");
  std::uint16_t extra_count = 0;
  std::uint16_t* extra = nullptr;
  TIFFGetField(t, TIFFTAG_EXTRASAMPLES, &extra_count, &extra);
  // The last extra sample is alpha; an RGB image with a fourth sample and no ExtraSamples tag
  // is taken as RGBA, as libvips does.
  info_.width = width;
  info_.height = height;
  info_.channels = spp;
  info_.has_alpha = (extra_count > 0 && spp > 1) || (photometric == PHOTOMETRIC_RGB && spp == 4) ||
                    (grey && spp == 2);
  check_row_bytes(in_->name(), info_.row_bytes(), opt_.max_row_bytes);
  planar_ =
      sample_tag(TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG) == PLANARCONFIG_SEPARATE && spp > 1;
  tiled_ = TIFFIsTiled(t) != 0;
  if (tiled_) {
    std::uint32_t tw = 0, th = 0;
    TIFFGetField(t, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(t, TIFFTAG_TILELENGTH, &th);
    if (tw == 0 || th == 0) fail("the tile size is zero");
    // A tile overhangs the image by less than the 16-pixel multiple TIFF rounds to; a larger
    // one is a header that would make each tile cost more than the image.
    if (tw > std::uint64_t{width} + 16 || th > std::uint64_t{height} + 16)
      fail("tiles of " + std::to_string(tw) + "x" + std::to_string(th) + " are larger than the " +
           std::to_string(width) + "x" + std::to_string(height) + " image");
    tile_width_ = tw;
    band_rows_ = std::min<std::size_t>(th, height);
  } else {
    std::uint32_t rps = 0;
    TIFFGetFieldDefaulted(t, TIFFTAG_ROWSPERSTRIP, &rps);
    band_rows_ = std::clamp<std::size_t>(rps, 1, height);
  }
  if (tiled_ && TIFFTileSize64(t) == 0)
    fail(messages_.error.empty() ? "bad tile size" : messages_.error);
  if (!TIFFLastDirectory(t)) {
    if (opt_.strict) fail("the file holds more than one page (only the first would be read)");
    if (opt_.warn)
      opt_.warn(quoted(in_->name()) + ": the file holds more than one page; the first was read");
  }
  if (opt_.keep_metadata) read_metadata();
  pass_warnings();
}

// The ICC profile tag (34675), and EXIF: IFD0's descriptive tags and the EXIF IFD, read from
// the file's own bytes (tiff_exif.h).
void TiffReader::read_metadata() {
  TIFF* t = tif_.get();
  std::uint32_t size = 0;
  void* data = nullptr;
  if (TIFFGetField(t, TIFFTAG_ICCPROFILE, &size, &data) && data && size > 0) {
    if (size <= kMaxIccBytes) {
      const auto* d = static_cast<const std::uint8_t*>(data);
      metadata_.icc.assign(d, d + size);
    } else if (opt_.warn) {
      opt_.warn(quoted(in_->name()) + ": an ICC profile over the cap of " +
                std::to_string(kMaxIccBytes) + " bytes dropped");
    }
  }
  std::string why;
  ByteSource* src = in_.get();
  metadata_.exif = exif_from_tiff(
      [src](std::uint64_t at, std::uint8_t* dst, std::size_t n) {
        std::size_t got = 0;
        while (got < n) {
          const std::size_t r = src->read_at(at + got, dst + got, n - got);
          if (r == 0) break;
          got += r;
        }
        return got;
      },
      input_.size, &why);
  if (!why.empty()) {
    if (opt_.strict)
      throw FileError("cannot decode " + quoted(in_->name()) + ": " + why + " (a warning; " +
                      param("strict") + " refuses it)");
    if (opt_.warn) opt_.warn(quoted(in_->name()) + ": " + why + " dropped");
  }
}

void TiffReader::read_rows(void* dst, std::size_t rows) {
  if (rows > info_.height - rows_done_) throw std::logic_error("TIFF: read past the last row");
  auto* out = static_cast<std::uint8_t*>(dst);
  const std::size_t row_bytes = info_.row_bytes();
  for (std::size_t i = 0; i < rows; ++i, ++rows_done_) {
    const std::size_t band = rows_done_ / band_rows_;
    if (band != band_index_) load_band(band);
    std::memcpy(out + i * row_bytes, band_.get() + (rows_done_ % band_rows_) * row_bytes,
                row_bytes);
  }
}

void TiffReader::load_band(std::size_t band) {
  const std::size_t first = band * band_rows_;
  const std::size_t rows = std::min(band_rows_, info_.height - first);
  const std::size_t bytes = band_rows_ * info_.row_bytes();
  // calloc: pages cost memory only once the decoder writes them, so a header that declares
  // one huge strip costs what its data fills, not what it declares.
  if (!band_) {
    band_.reset(static_cast<std::uint8_t*>(std::calloc(bytes, 1)));
    if (!band_) throw std::bad_alloc();
  }
  band_index_ = band;
  if (broken_) return;  // already zero (damaged() cleared it)
  const bool ok = tiled_ ? read_tiles(first, rows) : read_strips(first, rows);
  if (input_.cause) std::rethrow_exception(input_.cause);
  if (!ok) damaged(first);
  if (min_is_white_ && !broken_) invert_band(rows);
  pass_warnings();
}

bool TiffReader::read_strips(std::size_t first, std::size_t rows) {
  TIFF* t = tif_.get();
  const auto row = static_cast<std::uint32_t>(first);
  if (!planar_) {
    const tmsize_t want = static_cast<tmsize_t>(rows * info_.row_bytes());
    return TIFFReadEncodedStrip(t, TIFFComputeStrip(t, row, 0), band_.get(), want) == want;
  }
  const std::size_t plane_row = info_.width * sample_size(info_.type);
  piece_.resize(rows * plane_row);
  for (std::size_t s = 0; s < info_.channels; ++s) {
    const tmsize_t want = static_cast<tmsize_t>(piece_.size());
    if (TIFFReadEncodedStrip(t, TIFFComputeStrip(t, row, static_cast<std::uint16_t>(s)),
                             piece_.data(), want) != want)
      return false;
    place(piece_.data(), plane_row, rows, 0, info_.width, s);
  }
  return true;
}

bool TiffReader::read_tiles(std::size_t first, std::size_t rows) {
  TIFF* t = tif_.get();
  const std::size_t planes = planar_ ? info_.channels : 1;
  const std::size_t tile_row =
      tile_width_ * (planar_ ? 1 : info_.channels) * sample_size(info_.type);
  piece_.resize(static_cast<std::size_t>(TIFFTileSize64(t)));
  for (std::size_t x = 0; x < info_.width; x += tile_width_) {
    for (std::size_t s = 0; s < planes; ++s) {
      const ttile_t tile =
          TIFFComputeTile(t, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(first), 0,
                          static_cast<std::uint16_t>(s));
      if (TIFFReadEncodedTile(t, tile, piece_.data(), static_cast<tmsize_t>(piece_.size())) < 0)
        return false;
      place(piece_.data(), tile_row, rows, x, std::min(tile_width_, info_.width - x),
            planar_ ? s : SIZE_MAX);
    }
  }
  return true;
}

// Copies `rows` rows of `width` pixels from a strip or tile into the band at column x0: whole
// pixels (plane SIZE_MAX), or one channel `plane` of a planar file into its interleaved place.
void TiffReader::place(const std::uint8_t* src, std::size_t src_row_bytes, std::size_t rows,
                       std::size_t x0, std::size_t width, std::size_t plane) {
  const std::size_t ss = sample_size(info_.type), pixel = info_.pixel_bytes(),
                    row_bytes = info_.row_bytes();
  for (std::size_t y = 0; y < rows; ++y) {
    const std::uint8_t* from = src + y * src_row_bytes;
    std::uint8_t* to = band_.get() + y * row_bytes + x0 * pixel;
    if (plane == SIZE_MAX) {
      std::memcpy(to, from, width * pixel);
      continue;
    }
    for (std::size_t x = 0; x < width; ++x)
      std::memcpy(to + x * pixel + plane * ss, from + x * ss, ss);
  }
}

// MinIsWhite: 0 is white. Flip to the usual reading (libvips does the same); alpha untouched.
void TiffReader::invert_band(std::size_t rows) {
  const std::size_t n = rows * info_.width, c = info_.channels,
                    colour = c - (info_.has_alpha ? 1 : 0);
  if (info_.type == SampleType::U8) {
    std::uint8_t* p = band_.get();
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < colour; ++k)
        p[i * c + k] = static_cast<std::uint8_t>(255 - p[i * c + k]);
  } else {
    auto* p = reinterpret_cast<std::uint16_t*>(band_.get());
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < colour; ++k)
        p[i * c + k] = static_cast<std::uint16_t>(65535 - p[i * c + k]);
  }
}

// libtiff's warnings about the file: errors under strict, else passed on.
void TiffReader::pass_warnings() {
  if (messages_.warnings.empty()) return;
  if (opt_.strict) fail(messages_.warnings.front());
  for (const std::string& w : messages_.warnings)
    if (opt_.warn) opt_.warn(quoted(in_->name()) + ": " + escaped(w));
  messages_.warnings.clear();
}

// A strip or tile that does not decode: an error, or when lenient (after the first complete
// row) a warning, and that band and every later one zero.
void TiffReader::damaged(std::size_t first) {
  const std::string why = messages_.error.empty() ? "damaged TIFF data" : messages_.error;
  if (!opt_.lenient) fail(why);
  if (first == 0) fail(why + " before the first complete row");
  broken_ = true;
  std::memset(band_.get(), 0, band_rows_ * info_.row_bytes());
  if (opt_.warn)
    opt_.warn(quoted(in_->name()) + ": " + escaped(why) + " at row " + std::to_string(first + 1) +
              " of " + std::to_string(info_.height) +
              " (decoded anyway, the missing pixels are zero)");
}

void TiffReader::fail(const std::string& why) const {
  throw FileError("cannot decode " + quoted(in_->name()) + ": " + escaped(why));
}

// ---- Encoding ---------------------------------------------------------------------------

// What libtiff writes through: straight to the sink, patching earlier bytes with write_at;
// or, for a sink that cannot patch (a pipe), into memory until finish().
struct Output {
  ByteSink* sink = nullptr;
  bool in_memory = false;
  std::vector<std::uint8_t> memory;
  std::uint64_t pos = 0;
  std::uint64_t end = 0;  // bytes written so far
  std::exception_ptr cause;

  void put(const std::uint8_t* p, std::size_t n) {
    if (in_memory) {
      if (memory.size() < pos + n) memory.resize(pos + n);
      std::memcpy(memory.data() + pos, p, n);
      pos += n;
      end = std::max<std::uint64_t>(end, pos);
      return;
    }
    if (pos < end) {  // a patch of what was written
      const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n, end - pos));
      if (!sink->write_at(pos, p, k)) throw std::logic_error("TIFF: sink cannot patch");
      p += k, n -= k, pos += k;
    }
    static const std::uint8_t zeros[16] = {};
    while (pos > end) {  // a gap (libtiff aligns directories to even offsets)
      const std::size_t k =
          static_cast<std::size_t>(std::min<std::uint64_t>(sizeof zeros, pos - end));
      sink->write(zeros, k);
      end += k;
    }
    if (n > 0) {
      sink->write(p, n);
      pos += n;
      end = pos;
    }
  }
};

tmsize_t out_write(thandle_t h, void* src, tmsize_t n) {
  auto* out = static_cast<Output*>(h);
  try {
    out->put(static_cast<const std::uint8_t*>(src), static_cast<std::size_t>(n));
    return n;
  } catch (...) {
    if (!out->cause) out->cause = std::current_exception();
    return -1;
  }
}
tmsize_t out_read(thandle_t h, void* dst, tmsize_t n) {
  auto* out = static_cast<Output*>(h);
  if (!out->in_memory || out->pos >= out->memory.size()) return 0;
  const std::size_t k =
      std::min<std::size_t>(static_cast<std::size_t>(n), out->memory.size() - out->pos);
  std::memcpy(dst, out->memory.data() + out->pos, k);
  out->pos += k;
  return static_cast<tmsize_t>(k);
}
toff_t out_seek(thandle_t h, toff_t off, int whence) {
  auto* out = static_cast<Output*>(h);
  return seek_to(out->pos, out->end, off, whence);
}
toff_t out_size(thandle_t h) { return static_cast<Output*>(h)->end; }

class TiffWriter final : public ImageWriter {
 public:
  TiffWriter(ByteSink& sink, const ImageInfo& info, const Metadata* metadata) : info_(info) {
    if (const std::string why = lrn_glue::tiff_load_error(); !why.empty())
      throw FileError(quoted(sink.name()) + ": " + why, sink.name());
    const bool ok_type =
        info.type == SampleType::U8 || info.type == SampleType::U16 || info.type == SampleType::F32;
    if (!ok_type || info.channels < 1 || info.channels > 4)
      throw FileError("cannot write " + quoted(sink.name()) +
                      ": TIFF holds 1 to 4 channels of 8 or 16 bits or float32");
    out_.sink = &sink;
    out_.in_memory = !sink.write_at(0, nullptr, 0);
    auto options = open_options(&messages_, std::uint64_t{2} << 30);
    // BigTIFF when the samples alone could pass classic TIFF's 4 GiB.
    const double raw = double(info.row_bytes()) * double(info.height);
    const char* mode = raw > double(std::uint64_t{3} << 30) ? "w8" : "w";
    tif_.reset(TIFFClientOpenExt(sink.name().c_str(), mode, &out_, out_read, out_write, out_seek,
                                 no_close, out_size, no_map, no_unmap, options.get()));
    check(tif_ != nullptr);
    TIFF* t = tif_.get();
    const bool is_float = info.type == SampleType::F32;
    const std::size_t colour = info.channels - (info.has_alpha ? 1 : 0);
    TIFFSetField(t, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(info.width));
    TIFFSetField(t, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(info.height));
    TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, static_cast<std::uint16_t>(info.channels));
    TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, static_cast<std::uint16_t>(8 * sample_size(info.type)));
    TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, is_float ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT);
    TIFFSetField(t, TIFFTAG_PHOTOMETRIC, colour >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
    TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    // Differences compress better than samples (libvips' default predictor for deflate).
    // Float samples get none: the floating-point predictor (3) is beyond readers without
    // imagecodecs, Debian's tifffile among them.
    if (!is_float) TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
    const std::size_t extras = info.channels - (colour >= 3 ? 3 : 1);
    if (extras > 0) {
      std::uint16_t kinds[3] = {EXTRASAMPLE_UNSPECIFIED, EXTRASAMPLE_UNSPECIFIED,
                                EXTRASAMPLE_UNSPECIFIED};
      if (info.has_alpha) kinds[extras - 1] = EXTRASAMPLE_UNASSALPHA;
      TIFFSetField(t, TIFFTAG_EXTRASAMPLES, static_cast<std::uint16_t>(extras), kinds);
    }
    const std::size_t rows = std::clamp<std::size_t>(
        kStripBytes / std::max<std::size_t>(info.row_bytes(), 1), 1, info.height);
    TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, static_cast<std::uint32_t>(rows));
    strip_rows_ = rows;
    strip_.resize(rows * info.row_bytes());
    TIFFSetField(t, TIFFTAG_SOFTWARE, "lrn-img");
    if (metadata && !metadata->icc.empty())
      TIFFSetField(t, TIFFTAG_ICCPROFILE, static_cast<std::uint32_t>(metadata->icc.size()),
                   metadata->icc.data());
    // Classic TIFF only: a BigTIFF (over 3 GiB of samples) keeps the ICC profile alone.
    if (metadata && !metadata->exif.empty() && mode[1] != '8') write_exif(metadata->exif);
  }

  void write_rows(const void* src, std::size_t rows) override {
    // Rows gather into a whole strip, handed to libtiff in one call: only then does libtiff
    // (4.5, built with libdeflate as Debian's is) compress with libdeflate; given a row at a
    // time it feeds zlib row by row, 2-3x slower on the same data (bench/README.md, History
    // 2026-11-30). libtiff's predictor works on its own copy of a whole strip.
    const auto* p = static_cast<const std::uint8_t*>(src);
    const std::size_t row_bytes = info_.row_bytes();
    while (rows > 0) {
      const std::size_t take = std::min(rows, strip_rows_ - filled_);
      std::memcpy(strip_.data() + filled_ * row_bytes, p, take * row_bytes);
      p += take * row_bytes;
      rows -= take;
      filled_ += take;
      row_ += take;
      if (filled_ == strip_rows_ || row_ >= info_.height) flush_strip();
    }
  }

  void finish() override {
    if (filled_ > 0) flush_strip();
    check(TIFFFlush(tif_.get()) == 1);  // the directory, then the header's offset to it
    tif_.reset();
    if (out_.cause) std::rethrow_exception(out_.cause);
    if (out_.in_memory) out_.sink->write(out_.memory.data(), out_.memory.size());
  }

 private:
  // EXIF's descriptive IFD0 tags become this file's; its EXIF IFD is written as it is, right
  // after the header (before any strip: libtiff appends strips and the directory at the end
  // of the file), and tag 34665 points to it.
  void write_exif(const std::vector<std::uint8_t>& exif) {
    TIFF* t = tif_.get();
    std::vector<TiffEntry> ifd0, sub;
    exif_entries(exif, &ifd0, &sub);
    for (const TiffEntry& e : ifd0) {
      const auto u16 = [&] {
        std::uint16_t v;
        std::memcpy(&v, e.value.data(), 2);
        return v;
      };
      // Each tag only in the type libtiff's TIFFSetField takes for it (its varargs are read
      // as that type): text tags as ASCII, Orientation and ResolutionUnit as one SHORT, the
      // resolutions as one RATIONAL. Anything else is dropped.
      const bool numeric_tag = e.tag == 274 || e.tag == 282 || e.tag == 283 || e.tag == 296;
      if (e.type == 2 && !numeric_tag && !e.value.empty()) {  // ASCII, up to its NUL
        const std::string text(e.value.begin(), std::find(e.value.begin(), e.value.end(), 0));
        TIFFSetField(t, e.tag, text.c_str());
      } else if (e.type == 3 && e.count == 1 && (e.tag == 274 || e.tag == 296)) {
        if (e.tag != 274 || (u16() >= 1 && u16() <= 8)) TIFFSetField(t, e.tag, int{u16()});
      } else if (e.type == 5 && e.count == 1 && (e.tag == 282 || e.tag == 283)) {
        std::uint32_t r[2];
        std::memcpy(r, e.value.data(), 8);
        if (r[1] != 0) TIFFSetField(t, e.tag, double(r[0]) / r[1]);
      }
    }
    if (sub.empty() || out_.end > 0xFFFFFFF0u) return;
    const auto at = static_cast<std::uint32_t>(out_.end + out_.end % 2);
    const std::vector<std::uint8_t> bytes = directory_bytes(std::move(sub), at);
    out_.pos = at;
    out_.put(bytes.data(), bytes.size());
    check(!out_.cause);
    TIFFSetField(t, TIFFTAG_EXIFIFD, std::uint64_t{at});
  }

  void check(bool ok) {
    if (out_.cause) std::rethrow_exception(out_.cause);
    if (!ok)
      throw FileError("cannot write " + quoted(out_.sink->name()) + ": " +
                      escaped(messages_.error.empty() ? "libtiff failed" : messages_.error));
  }

  void flush_strip() {
    const auto size = static_cast<tmsize_t>(filled_ * info_.row_bytes());
    check(TIFFWriteEncodedStrip(tif_.get(), strip_index_++, strip_.data(), size) == size);
    filled_ = 0;
  }

  ImageInfo info_;
  Messages messages_;
  Output out_;
  TiffPtr tif_;
  std::vector<std::uint8_t> strip_;  // the strip being filled: strip_rows_ rows
  std::size_t strip_rows_ = 1;
  std::size_t filled_ = 0;  // rows in strip_
  std::uint32_t strip_index_ = 0;
  std::size_t row_ = 0;  // rows received
};

}  // namespace

bool sniff_tiff(const std::vector<std::uint8_t>& h) {
  if (h.size() < 4) return false;
  const bool ii = h[0] == 'I' && h[1] == 'I' && h[3] == 0 && (h[2] == 42 || h[2] == 43);
  const bool mm = h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43);
  return ii || mm;
}

std::unique_ptr<ImageReader> open_tiff_reader(std::unique_ptr<ByteSource> src,
                                              const DecodeOptions& opt) {
  return std::make_unique<TiffReader>(std::move(src), opt);
}

std::unique_ptr<ImageWriter> open_tiff_writer(ByteSink& sink, const ImageInfo& info,
                                              const EncodeOptions& opt) {
  return std::make_unique<TiffWriter>(sink, info, opt.metadata);
}

}  // namespace lrn
