// PNG through libspng: rows streamed in both directions, spng's error codes turned into
// FileError and, when lenient, into warnings.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>

#include <spng.h>
#include <spng_on_demand.h>

#include "image/codecs.h"
#include "image/png_crc.h"

namespace lrn {
namespace {

// spng keeps ancillary chunks (text, ICC, EXIF) in memory; these caps bound what a hostile
// file can make it hold. Real ICC profiles and XMP packets are well under a megabyte.
// libspng 0.7 applies the first to what a compressed chunk (zTXt, iTXt, iCCP) inflates to,
// the second to everything it stores; it also stores at most 1000 chunks.
constexpr std::size_t kChunkLimit = 16u << 20;      // one chunk
constexpr std::size_t kCacheLimit = 64u << 20;      // all stored chunks together
constexpr std::uint32_t kSpngMaxSide = 0x7FFFFFFF;  // PNG's own limit, and spng's
// DEFLATE's best case: a 258-byte match coded in 2 bits. No zlib stream of n bytes inflates
// to more than n * 1032.
constexpr std::uint64_t kMaxDeflateRatio = 1032;
// Compressed bytes spng may have read ahead of what it inflated (it reads IDAT data in
// small pieces); counted as if still in the file, so the size check never refuses too much.
constexpr std::uint64_t kReadAheadSlack = 1u << 16;

struct SpngFree {
  void operator()(spng_ctx* ctx) const { spng_ctx_free(ctx); }
};
using Context = std::unique_ptr<spng_ctx, SpngFree>;

// A readable reason for an spng error code (spng_strerror's text is terse).
std::string describe(int rc) {
  switch (rc) {
    case SPNG_IO_EOF:
    case SPNG_EOF: return "truncated PNG data";
    case SPNG_ESIGNATURE: return "not a PNG file (bad signature)";
    case SPNG_ECHUNK_CRC: return "bad chunk CRC (damaged data)";
    case SPNG_EIDAT_STREAM:
    case SPNG_EZLIB: return "damaged image data (broken zlib stream)";
    case SPNG_EFILTER: return "damaged image data (invalid scanline filter)";
    case SPNG_EIDAT_TOO_SHORT: return "truncated image data (IDAT stream too short)";
    case SPNG_ECHUNK_LIMITS:  // ours, and libspng's own cap of 1000 stored chunks
      return "too much metadata (limits: " + std::to_string(kChunkLimit >> 20) +
             " MiB inflated per compressed chunk, " + std::to_string(kCacheLimit >> 20) +
             " MiB in all, 1000 chunks)";
    case SPNG_EMEM: return "out of memory";
    default: return spng_strerror(rc);
  }
}

// ---- Decoding ---------------------------------------------------------------------------

// What spng's read callback reads from, and what went wrong on our side.
struct Input {
  ByteSource* in = nullptr;
  ChunkCrcCheck* crc = nullptr;
  std::exception_ptr cause;  // an exception from the ByteSource, the CRC check or the sink
};

// spng wants exactly n bytes or SPNG_IO_EOF. Exceptions must not cross spng's C frames.
int read_fn(spng_ctx*, void* user, void* dst, size_t n) {
  auto* input = static_cast<Input*>(user);
  try {
    auto* out = static_cast<std::uint8_t*>(dst);
    for (std::size_t got = 0; got < n;) {
      const std::size_t r = input->in->read(out + got, n - got);
      if (r == 0) return SPNG_IO_EOF;
      got += r;
    }
    if (input->crc) input->crc->feed(out, n);
    return 0;
  } catch (...) {
    input->cause = std::current_exception();
    return SPNG_IO_ERROR;
  }
}

// How spng should hand us a PNG, and what that gives.
struct Layout {
  int fmt = SPNG_FMT_PNG;  // SPNG_FMT_PNG: the PNG's own layout, 16-bit in host byte order
  int flags = 0;
  std::size_t channels = 0;
  bool has_alpha = false;
  SampleType type = SampleType::U8;
};

// Keeps the PNG's depth (16-bit stays U16) and channels, adding alpha for tRNS and expanding
// palettes and 1/2/4-bit gray to 8 bits (spng scales those to 0..255).
Layout choose_layout(const spng_ihdr& h, bool has_trns) {
  const SampleType type = h.bit_depth == 16 ? SampleType::U16 : SampleType::U8;
  const bool deep = type == SampleType::U16;
  switch (h.color_type) {
    case SPNG_COLOR_TYPE_GRAYSCALE:
      if (has_trns) return {deep ? SPNG_FMT_GA16 : SPNG_FMT_GA8, SPNG_DECODE_TRNS, 2, true, type};
      return {deep ? SPNG_FMT_PNG : SPNG_FMT_G8, 0, 1, false, type};
    case SPNG_COLOR_TYPE_GRAYSCALE_ALPHA: return {SPNG_FMT_PNG, 0, 2, true, type};
    case SPNG_COLOR_TYPE_TRUECOLOR:
      if (has_trns)
        return {deep ? SPNG_FMT_RGBA16 : SPNG_FMT_RGBA8, SPNG_DECODE_TRNS, 4, true, type};
      return {SPNG_FMT_PNG, 0, 3, false, type};
    case SPNG_COLOR_TYPE_INDEXED:
      if (has_trns) return {SPNG_FMT_RGBA8, SPNG_DECODE_TRNS, 4, true, SampleType::U8};
      return {SPNG_FMT_RGB8, 0, 3, false, SampleType::U8};
    default: return {SPNG_FMT_PNG, 0, 4, true, type};  // truecolour + alpha
  }
}

class PngReader final : public ImageReader {
 public:
  PngReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt);
  PngReader(const PngReader&) = delete;  // spng and crc_ hold pointers into this object
  PngReader& operator=(const PngReader&) = delete;
  const ImageInfo& info() const override { return info_; }
  void read_rows(void* dst, std::size_t rows) override;
  const Metadata* metadata() const override { return opt_.keep_metadata ? &metadata_ : nullptr; }

 private:
  void open_context();
  void read_metadata();
  void read_header();
  void stream_row(std::uint8_t* dst);
  void decode_interlaced();
  void check_interlaced_size(const spng_ihdr& h);
  void read_trailer();
  void bad_crc(const std::string& type);
  void damaged(int rc, const std::string& where, bool rows_lost);
  [[noreturn]] void fail(int rc, const std::string& detail = {});

  std::unique_ptr<ByteSource> in_;
  DecodeOptions opt_;
  ChunkCrcCheck crc_;
  Input input_;
  Context ctx_;
  ImageInfo info_;
  Metadata metadata_;
  bool interlaced_ = false;
  // Interlaced images only. calloc: the pages of a large image stay untouched (not resident)
  // until a pass writes them, so memory grows with the data rather than with the header.
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<std::uint8_t[], Free> image_;
  std::size_t rows_done_ = 0;
  bool any_row_ = false;        // spng has decoded a complete row (of any interlace pass)
  bool broken_ = false;         // lenient: spng gave up; the remaining rows are zero
  std::exception_ptr failure_;  // strict: once spng has failed, every later call repeats it
};

PngReader::PngReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt)
    : in_(std::move(in)),
      opt_(opt),
      crc_(opt.lenient, [this](const std::string& type) { bad_crc(type); }) {
  open_context();
  read_header();
}

// A chunk whose stored CRC does not match, seen by crc_ inside read_fn (which passes an
// exception on to spng's caller). Critical chunks arrive here only when lenient: otherwise
// spng refuses them itself.
void PngReader::bad_crc(const std::string& type) {
  const std::string file = quoted(in_->name());
  const std::string chunk = escaped(type);  // the file's own bytes: any of the 256 values
  if (opt_.lenient) {
    if (opt_.warn)
      opt_.warn(file + ": bad CRC in " + chunk +
                " chunk (decoded anyway, the image may be damaged)");
    return;
  }
  // spng drops such a chunk without a word; without its tRNS an image would quietly lose
  // its transparency, which is damage, not lost metadata.
  if (opt_.strict || type == "tRNS")
    throw FileError("cannot decode " + file + ": bad CRC in " + chunk + " chunk (damaged data)");
  if (opt_.warn)
    opt_.warn(file + ": bad CRC in " + chunk + " chunk (ignored; the pixels are intact)");
}

void PngReader::open_context() {
  if (const char* missing = lrn_glue::spng_load_error())
    throw FileError(
        "cannot decode " + quoted(in_->name()) + ": PNG support unavailable: " + missing,
        in_->name());
  ctx_.reset(spng_ctx_new(0));
  if (!ctx_)
    throw FileError("cannot decode " + quoted(in_->name()) + ": out of memory", in_->name());
  input_.in = in_.get();
  input_.crc = &crc_;
  // By default a bad CRC on a critical chunk is an error, and spng drops an ancillary chunk
  // with a bad CRC (bad_crc() tells the user). Lenient: spng uses every chunk and bad_crc()
  // warns (spng has no "use but tell me").
  if (opt_.lenient) spng_set_crc_action(ctx_.get(), SPNG_CRC_USE, SPNG_CRC_USE);
  else spng_set_crc_action(ctx_.get(), SPNG_CRC_ERROR, SPNG_CRC_DISCARD);
  const std::uint32_t side =
      static_cast<std::uint32_t>(std::min<std::uint64_t>(opt_.max_pixels, kSpngMaxSide));
  spng_set_image_limits(ctx_.get(), std::max<std::uint32_t>(side, 1),
                        std::max<std::uint32_t>(side, 1));
  spng_set_chunk_limits(ctx_.get(), kChunkLimit, kCacheLimit);
  spng_set_png_stream(ctx_.get(), read_fn, &input_);
}

void PngReader::read_header() {
  spng_ihdr ihdr{};
  if (int rc = spng_get_ihdr(ctx_.get(), &ihdr)) {
    if (rc == SPNG_EUSER_WIDTH || rc == SPNG_EUSER_HEIGHT)
      throw LimitExceeded("cannot decode " + quoted(in_->name()) + ": the image " +
                              (rc == SPNG_EUSER_WIDTH ? "width" : "height") +
                              " alone is over the pixel budget of " +
                              std::to_string(opt_.max_pixels) + " pixels (raise it with " +
                              param("max_pixels") + ")",
                          in_->name(), lrn_img::Limit::Pixels, 0, opt_.max_pixels);
    fail(rc);
  }
  check_dimensions(in_->name(), ihdr.width, ihdr.height, opt_.max_pixels);
  spng_trns trns{};
  const int trns_rc = spng_get_trns(ctx_.get(), &trns);  // also reads every chunk before IDAT
  if (trns_rc != 0 && trns_rc != SPNG_ECHUNKAVAIL) fail(trns_rc);
  if (opt_.keep_metadata) read_metadata();
  const Layout layout = choose_layout(ihdr, trns_rc == 0);
  info_ = {ihdr.width, ihdr.height, layout.channels, layout.has_alpha, layout.type};
  // spng sizes its scanline buffers, and the pipeline its row blocks, from the header.
  check_row_bytes(in_->name(), info_.row_bytes(), opt_.max_row_bytes);
  interlaced_ = ihdr.interlace_method == SPNG_INTERLACE_ADAM7;
  if (interlaced_) check_interlaced_size(ihdr);
  if (int rc = spng_decode_image(ctx_.get(), nullptr, 0, layout.fmt,
                                 layout.flags | SPNG_DECODE_PROGRESSIVE))
    fail(rc);
}

// eXIf and iCCP before IDAT (spng has read them with tRNS, inflating iCCP within the chunk
// limits); a later eXIf is not looked for, the rows come first.
void PngReader::read_metadata() {
  spng_exif exif{};
  if (spng_get_exif(ctx_.get(), &exif) == 0 && exif.data) {
    metadata_.exif.assign(exif.data, exif.data + exif.length);
    const std::string why = normalise_exif(metadata_.exif);
    if (!why.empty()) {
      metadata_.exif.clear();
      if (opt_.strict)
        throw FileError("cannot decode " + quoted(in_->name()) + ": " + why + " (a warning; " +
                        param("strict") + " refuses it)");
      if (opt_.warn) opt_.warn(quoted(in_->name()) + ": " + why + " dropped");
    }
  }
  spng_iccp iccp{};
  if (spng_get_iccp(ctx_.get(), &iccp) == 0 && iccp.profile) {
    if (iccp.profile_len <= kMaxIccBytes) {
      metadata_.icc.assign(iccp.profile, iccp.profile + iccp.profile_len);
    } else {
      const std::string why =
          "an ICC profile over the cap of " + std::to_string(kMaxIccBytes) + " bytes";
      if (opt_.strict)
        throw FileError("cannot decode " + quoted(in_->name()) + ": " + why + " (a warning; " +
                        param("strict") + " refuses it)");
      if (opt_.warn) opt_.warn(quoted(in_->name()) + ": " + why + " dropped");
    }
  }
}

void PngReader::read_rows(void* dst, std::size_t rows) {
  if (failure_) std::rethrow_exception(failure_);
  if (rows > info_.height - rows_done_) throw std::logic_error("PNG: read past the last row");
  auto* out = static_cast<std::uint8_t*>(dst);
  const std::size_t row_bytes = info_.row_bytes();
  if (interlaced_ && !image_ && rows > 0) decode_interlaced();
  for (std::size_t i = 0; i < rows; ++i, ++rows_done_) {
    std::uint8_t* row = out + i * row_bytes;
    if (interlaced_) std::memcpy(row, image_.get() + rows_done_ * row_bytes, row_bytes);
    else stream_row(row);
  }
  if (rows > 0 && rows_done_ == info_.height && !broken_) read_trailer();
}

void PngReader::stream_row(std::uint8_t* dst) {
  if (broken_) {
    std::memset(dst, 0, info_.row_bytes());
    return;
  }
  // Lenient decoding keeps whatever spng wrote before failing; zero first so the rest is
  // defined.
  if (opt_.lenient) std::memset(dst, 0, info_.row_bytes());
  const int rc = spng_decode_row(ctx_.get(), dst, info_.row_bytes());
  if (rc == 0 || rc == SPNG_EOI) any_row_ = true;
  if (rc != 0 && rc != SPNG_EOI)
    damaged(rc, " at row " + std::to_string(rows_done_ + 1) + " of " + std::to_string(info_.height),
            true);
}

// Adam7 spreads every pass over the whole image: row 0 is not complete until pass 7, the
// last one, has been decoded. Serving rows in order therefore needs the whole image in
// memory; spng_decode_row puts each pass's pixels into their places in the full-size row.
// The image is allocated only once the first pass row has decoded, so a header alone (from a
// pipe, where check_interlaced_size cannot judge) costs one row.
void PngReader::decode_interlaced() {
  const std::size_t row_bytes = info_.row_bytes();
  std::vector<std::uint8_t> first(row_bytes);
  for (;;) {
    spng_row_info ri{};
    if (int rc = spng_get_row_info(ctx_.get(), &ri)) return damaged(rc, " (interlaced)", true);
    std::uint8_t* row = image_ ? image_.get() + ri.row_num * row_bytes : first.data();
    const int rc = spng_decode_row(ctx_.get(), row, row_bytes);
    if (rc != 0 && rc != SPNG_EOI)
      return damaged(rc, " in interlace pass " + std::to_string(ri.pass + 1) + " of 7", true);
    if (!image_) {
      // calloc: the pages stay untouched (not resident) until a pass writes them, so memory
      // grows with the data rather than with the header.
      image_.reset(static_cast<std::uint8_t*>(std::calloc(info_.height, row_bytes)));
      if (!image_) throw std::bad_alloc();
      std::memcpy(image_.get() + ri.row_num * row_bytes, first.data(), row_bytes);
      std::vector<std::uint8_t>().swap(first);
    }
    any_row_ = true;
    if (rc == SPNG_EOI) return;
  }
}

// An interlaced image is held whole (decode_interlaced), so a small file declaring a huge one
// would cost the whole image's memory before its data ran out. When the file's size is known
// and its bytes cannot inflate to the declared image, it is truncated: refuse it now. (From a
// pipe the size is unknown; memory then grows with the data, within the pixel budget.)
void PngReader::check_interlaced_size(const spng_ihdr& h) {
  const auto left = in_->remaining();
  if (opt_.lenient || !left) return;
  const std::uint64_t channels = h.color_type == SPNG_COLOR_TYPE_TRUECOLOR         ? 3
                                 : h.color_type == SPNG_COLOR_TYPE_GRAYSCALE_ALPHA ? 2
                                 : h.color_type == SPNG_COLOR_TYPE_TRUECOLOR_ALPHA ? 4
                                                                                   : 1;
  // At least this many bytes of filtered scanlines (in double: --max-pixels may be huge).
  const double raw = double(h.width) * h.height * double(channels * h.bit_depth) / 8;
  if (double(*left + kReadAheadSlack) * kMaxDeflateRatio >= raw) return;
  throw FileError("cannot decode " + quoted(in_->name()) + ": truncated image data (" +
                      std::to_string(*left) + " bytes left cannot hold a " +
                      std::to_string(h.width) + "x" + std::to_string(h.height) +
                      " interlaced image)",
                  in_->name());
}

// Reads the chunks after the image up to IEND: the CRC of the last IDAT chunk, and whether
// the file is complete, are only known there.
void PngReader::read_trailer() {
  if (int rc = spng_decode_chunks(ctx_.get())) damaged(rc, " after the last row", false);
}

// Damaged data: an error, or when lenient a warning, after which undecoded pixels are zero.
// Before the first complete row there is nothing to keep: an error even when lenient, so a
// header that declares a huge image never becomes a huge image of zeros.
void PngReader::damaged(int rc, const std::string& where, bool rows_lost) {
  if (!opt_.lenient || input_.cause) fail(rc);
  if (!any_row_) fail(rc, " before the first complete row");
  broken_ = true;
  if (opt_.warn)
    opt_.warn(quoted(in_->name()) + ": " + describe(rc) + where +
              (rows_lost ? " (decoded anyway, the missing pixels are zero)" : ""));
}

void PngReader::fail(int rc, const std::string& detail) {
  failure_ = input_.cause
                 ? input_.cause
                 : std::make_exception_ptr(FileError("cannot decode " + quoted(in_->name()) + ": " +
                                                     describe(rc) + detail));
  std::rethrow_exception(failure_);
}

// ---- Encoding ---------------------------------------------------------------------------

struct Output {
  ByteSink* out = nullptr;
  std::exception_ptr cause;
};

int write_fn(spng_ctx*, void* user, void* src, size_t n) {
  auto* output = static_cast<Output*>(user);
  try {
    output->out->write(src, n);
    return 0;
  } catch (...) {
    output->cause = std::current_exception();
    return SPNG_IO_ERROR;
  }
}

// Why PNG cannot take this image, or empty when it can.
std::string unsupported(const ImageInfo& info) {
  if (info.type != SampleType::U8 && info.type != SampleType::U16)
    return "PNG holds 8- or 16-bit samples, not " + std::to_string(8 * sample_size(info.type)) +
           "-bit float (write .npy instead)";
  if (info.channels < 1 || info.channels > 4)
    return "PNG holds 1 to 4 channels (gray, gray+alpha, RGB, RGBA), not " +
           std::to_string(info.channels) + " (write .npy instead)";
  if (info.width == 0 || info.height == 0) return "the image has no pixels";
  if (info.width > kSpngMaxSide || info.height > kSpngMaxSide)
    return "PNG is limited to " + std::to_string(kSpngMaxSide) + " pixels a side";
  return {};
}

std::uint8_t color_type(std::size_t channels) {
  switch (channels) {
    case 1: return SPNG_COLOR_TYPE_GRAYSCALE;
    case 2: return SPNG_COLOR_TYPE_GRAYSCALE_ALPHA;
    case 3: return SPNG_COLOR_TYPE_TRUECOLOR;
    default: return SPNG_COLOR_TYPE_TRUECOLOR_ALPHA;
  }
}

class PngWriter final : public ImageWriter {
 public:
  PngWriter(ByteSink& sink, const ImageInfo& info, const Metadata* metadata);
  PngWriter(const PngWriter&) = delete;  // spng holds a pointer to output_
  PngWriter& operator=(const PngWriter&) = delete;
  void write_rows(const void* src, std::size_t rows) override;
  void finish() override;

 private:
  void configure();
  void set_metadata();
  [[noreturn]] void fail(int rc);

  ByteSink& sink_;
  ImageInfo info_;
  const Metadata* metadata_;
  Output output_;
  Context ctx_;
  std::size_t rows_done_ = 0;
};

PngWriter::PngWriter(ByteSink& sink, const ImageInfo& info, const Metadata* metadata)
    : sink_(sink), info_(info), metadata_(metadata) {
  const std::string why = unsupported(info);
  if (!why.empty())
    throw FileError("cannot write " + quoted(sink.name()) + ": " + why, sink.name());
  if (const char* missing = lrn_glue::spng_load_error())
    throw FileError("cannot write " + quoted(sink.name()) + ": PNG support unavailable: " + missing,
                    sink.name());
  ctx_.reset(spng_ctx_new(SPNG_CTX_ENCODER));
  if (!ctx_)
    throw FileError("cannot write " + quoted(sink.name()) + ": out of memory", sink.name());
  output_.out = &sink;
  if (int rc = spng_set_png_stream(ctx_.get(), write_fn, &output_)) fail(rc);
  configure();
  if (metadata_) set_metadata();
  // SPNG_FMT_PNG: rows in the PNG's layout with 16-bit samples in host byte order; spng
  // swaps them to PNG's big-endian. The IEND marker is written by finish().
  if (int rc = spng_encode_image(ctx_.get(), nullptr, 0, SPNG_FMT_PNG, SPNG_ENCODE_PROGRESSIVE))
    fail(rc);
}

void PngWriter::configure() {
  spng_ihdr ihdr{};
  ihdr.width = static_cast<std::uint32_t>(info_.width);
  ihdr.height = static_cast<std::uint32_t>(info_.height);
  ihdr.bit_depth = info_.type == SampleType::U16 ? 16 : 8;
  ihdr.color_type = color_type(info_.channels);
  if (int rc = spng_set_ihdr(ctx_.get(), &ihdr)) fail(rc);
  // zlib level 4 with adaptive filtering (spng tries all five filters per row). Measured on
  // RGB8 photos (coffee, astronaut, chelsea) and a 4000x3000 plasma: level 4 encodes 1.2-2x
  // faster than zlib's default 6 for files at most 1.5% larger; 9 saves under 0.2% more and
  // is slower still; 1-3 are faster again but 5-15% larger; one fixed filter (Paeth) costs
  // 1-6% in size, no filtering 40-70%.
  spng_set_option(ctx_.get(), SPNG_IMG_COMPRESSION_LEVEL, 4);
  spng_set_option(ctx_.get(), SPNG_FILTER_CHOICE, SPNG_FILTER_CHOICE_ALL);
}

// spng keeps the pointers (Metadata outlives the writer) and writes eXIf and iCCP (deflated)
// before IDAT.
void PngWriter::set_metadata() {
  if (!metadata_->exif.empty()) {
    spng_exif exif{metadata_->exif.size(),
                   reinterpret_cast<char*>(const_cast<std::uint8_t*>(metadata_->exif.data()))};
    if (int rc = spng_set_exif(ctx_.get(), &exif)) fail(rc);
  }
  if (!metadata_->icc.empty()) {
    spng_iccp iccp{};
    std::strcpy(iccp.profile_name, "ICC profile");
    iccp.profile_len = metadata_->icc.size();
    iccp.profile = reinterpret_cast<char*>(const_cast<std::uint8_t*>(metadata_->icc.data()));
    if (int rc = spng_set_iccp(ctx_.get(), &iccp)) fail(rc);
  }
}

void PngWriter::write_rows(const void* src, std::size_t rows) {
  if (rows > info_.height - rows_done_) throw std::logic_error("PNG: wrote past the last row");
  const auto* in = static_cast<const std::uint8_t*>(src);
  const std::size_t row_bytes = info_.row_bytes();
  for (std::size_t i = 0; i < rows; ++i, ++rows_done_) {
    const int rc = spng_encode_row(ctx_.get(), in + i * row_bytes, row_bytes);
    if (rc != 0 && !(rc == SPNG_EOI && rows_done_ + 1 == info_.height)) fail(rc);
  }
}

void PngWriter::finish() {
  if (rows_done_ != info_.height) throw std::logic_error("PNG: finish() before the last row");
  if (int rc = spng_encode_chunks(ctx_.get())) fail(rc);  // writes IEND
}

void PngWriter::fail(int rc) {
  if (output_.cause) std::rethrow_exception(output_.cause);
  throw FileError("cannot write " + quoted(sink_.name()) + ": " + describe(rc), sink_.name());
}

}  // namespace

std::unique_ptr<ImageReader> open_png_reader(std::unique_ptr<ByteSource> src,
                                             const DecodeOptions& opt) {
  return std::make_unique<PngReader>(std::move(src), opt);
}

std::unique_ptr<ImageWriter> open_png_writer(ByteSink& sink, const ImageInfo& info,
                                             const Metadata* metadata) {
  return std::make_unique<PngWriter>(sink, info, metadata);
}

}  // namespace lrn
