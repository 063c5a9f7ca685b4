// WebP through libwebp: read lossy and lossless, with alpha, the first frame of an animation;
// write lossy (quality) or lossless. libwebp 1.2 decodes and encodes whole pictures, so a WebP
// is held in memory as 8-bit RGB(A) both ways, and has a pixel cap of its own (below).
#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "image/codecs.h"
#include "on_demand.h"

namespace lrn {
namespace {

// The whole picture is one buffer, so a file of a few bytes could otherwise claim WebP's
// largest picture (16383 x 16383 RGBA: 1 GiB). 2^25 pixels (a 33-megapixel photo, 8192 x 4096)
// is at most 128 MiB of RGBA; --max-pixels lowers it further, never raises it.
constexpr std::uint64_t kWebpMaxPixels = std::uint64_t{1} << 25;
// The file is held too (libwebp 1.2 wants all of it): a lossless file of kWebpMaxPixels random
// RGBA pixels is about 4 bytes a pixel, so this bounds every real file.
constexpr std::uint64_t kWebpMaxFileBytes = kWebpMaxPixels * 4 + (std::uint64_t{1} << 20);
constexpr std::size_t kWebpMaxSide = 16383;  // WEBP_MAX_DIMENSION

std::string describe(VP8StatusCode s) {
  switch (s) {
    case VP8_STATUS_SUSPENDED:
    case VP8_STATUS_NOT_ENOUGH_DATA: return "truncated WebP data";
    case VP8_STATUS_BITSTREAM_ERROR: return "damaged WebP data (bitstream error)";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported WebP feature";
    case VP8_STATUS_OUT_OF_MEMORY: return "out of memory";
    default: return "invalid WebP data";
  }
}

struct DemuxFree {
  void operator()(WebPDemuxer* d) const { WebPDemuxDelete(d); }
};
struct IdecFree {
  void operator()(WebPIDecoder* d) const { WebPIDelete(d); }
};
struct Free {
  void operator()(std::uint8_t* p) const { std::free(p); }
};

class WebpReader final : public ImageReader {
 public:
  WebpReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt);
  const ImageInfo& info() const override { return info_; }
  void read_rows(void* dst, std::size_t rows) override {
    if (rows > info_.height - rows_done_) throw std::logic_error("WebP: read past the last row");
    std::memcpy(dst, picture_.get() + rows_done_ * info_.row_bytes(), rows * info_.row_bytes());
    rows_done_ += rows;
  }
  const Metadata* metadata() const override { return opt_.keep_metadata ? &metadata_ : nullptr; }

 private:
  void read_file();
  void read_metadata(const WebPDemuxer* demux);
  void decode_frame(const WebPIterator& frame);
  [[noreturn]] void fail(const std::string& why) const {
    throw FileError("cannot decode " + quoted(in_->name()) + ": " + why);
  }

  std::unique_ptr<ByteSource> in_;
  DecodeOptions opt_;
  std::vector<std::uint8_t> file_;
  ImageInfo info_;
  Metadata metadata_;
  std::unique_ptr<std::uint8_t[], Free> picture_;
  std::size_t rows_done_ = 0;
};

WebpReader::WebpReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt)
    : in_(std::move(in)), opt_(opt) {
  if (const std::string why = lrn_glue::webp_load_error(); !why.empty())
    throw FileError(quoted(in_->name()) + ": " + why, in_->name());
  read_file();
  WebPData data{file_.data(), file_.size()};
  WebPDemuxState state = WEBP_DEMUX_PARSE_ERROR;
  std::unique_ptr<WebPDemuxer, DemuxFree> demux(WebPDemuxPartial(&data, &state));
  if (!demux || state < WEBP_DEMUX_PARSED_HEADER)
    fail(state == WEBP_DEMUX_PARSING_HEADER ? "truncated WebP header" : "damaged WebP header");
  const std::uint32_t width = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_WIDTH);
  const std::uint32_t height = WebPDemuxGetI(demux.get(), WEBP_FF_CANVAS_HEIGHT);
  if (std::uint64_t{width} * height > kWebpMaxPixels)
    throw LimitExceeded(
        "cannot decode " + quoted(in_->name()) + ": " + std::to_string(width) + "x" +
            std::to_string(height) + " is over WebP's own pixel cap of " +
            std::to_string(kWebpMaxPixels) +
            " pixels (libwebp decodes whole pictures; the cap holds that to 128 MiB)",
        in_->name(), lrn_img::Limit::Pixels, std::uint64_t{width} * height, kWebpMaxPixels);
  check_dimensions(in_->name(), width, height, opt_.max_pixels);
  WebPIterator frame;
  if (!WebPDemuxGetFrame(demux.get(), 1, &frame))
    fail(state == WEBP_DEMUX_DONE ? "the WebP file holds no image"
                                  : "truncated WebP data (no complete frame)");
  const std::uint32_t frames = WebPDemuxGetI(demux.get(), WEBP_FF_FRAME_COUNT);
  const bool animated = (WebPDemuxGetI(demux.get(), WEBP_FF_FORMAT_FLAGS) & ANIMATION_FLAG) != 0;
  const bool alpha =
      (WebPDemuxGetI(demux.get(), WEBP_FF_FORMAT_FLAGS) & ALPHA_FLAG) != 0 || frame.has_alpha;
  info_ = {width, height, alpha ? std::size_t{4} : std::size_t{3}, alpha, SampleType::U8};
  check_row_bytes(in_->name(), info_.row_bytes(), opt_.max_row_bytes);
  if (animated && (frames > 1 || state != WEBP_DEMUX_DONE)) {
    const std::string what =
        "an animated WebP (" +
        (state == WEBP_DEMUX_DONE ? std::to_string(frames) + " frames" : std::string("frames")) +
        ")";
    if (opt_.strict) fail(what + "; only the first frame would be read");
    if (opt_.warn) opt_.warn(quoted(in_->name()) + ": " + what + "; the first frame was read");
  }
  picture_.reset(static_cast<std::uint8_t*>(std::calloc(info_.height, info_.row_bytes())));
  if (!picture_) throw std::bad_alloc();
  decode_frame(frame);
  WebPDemuxReleaseIterator(&frame);
  if (opt_.keep_metadata) read_metadata(demux.get());
}

// The ICCP and EXIF chunks (VP8X files), copied out of the file held in memory.
void WebpReader::read_metadata(const WebPDemuxer* demux) {
  auto warn = [&](const std::string& why) {
    if (opt_.strict) fail(why + " (a warning; " + param("strict") + " refuses it)");
    if (opt_.warn) opt_.warn(quoted(in_->name()) + ": " + why + " dropped");
  };
  WebPChunkIterator it;
  if (WebPDemuxGetChunk(demux, "ICCP", 1, &it)) {
    if (it.chunk.size <= kMaxIccBytes)
      metadata_.icc.assign(it.chunk.bytes, it.chunk.bytes + it.chunk.size);
    else warn("an ICC profile over the cap of " + std::to_string(kMaxIccBytes) + " bytes");
  }
  WebPDemuxReleaseChunkIterator(&it);
  if (WebPDemuxGetChunk(demux, "EXIF", 1, &it)) {
    metadata_.exif.assign(it.chunk.bytes,
                          it.chunk.bytes + std::min(it.chunk.size, kMaxExifBytes + 7));
    const std::string why = normalise_exif(metadata_.exif);
    if (!why.empty()) {
      metadata_.exif.clear();
      warn(why);
    }
  }
  WebPDemuxReleaseChunkIterator(&it);
}

// All of the file, up to what the largest picture allowed could need.
void WebpReader::read_file() {
  if (const auto left = in_->remaining(); left && *left > kWebpMaxFileBytes)
    fail("a WebP file of " + std::to_string(*left) + " bytes is over lrn-img's limit of " +
         std::to_string(kWebpMaxFileBytes));
  std::vector<std::uint8_t> chunk(1 << 16);
  for (;;) {
    const std::size_t got = in_->read(chunk.data(), chunk.size());
    if (got == 0) break;
    if (file_.size() + got > kWebpMaxFileBytes)
      fail("a WebP file over lrn-img's limit of " + std::to_string(kWebpMaxFileBytes) + " bytes");
    file_.insert(file_.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got));
  }
}

// The first frame into its place on the canvas (the rest transparent black, as an animation's
// first frame is shown on a cleared canvas), through the incremental decoder so that a damaged
// file still gives the rows before the damage.
void WebpReader::decode_frame(const WebPIterator& frame) {
  const std::size_t ch = info_.channels, stride = info_.row_bytes();
  if (frame.x_offset + frame.width > static_cast<int>(info_.width) ||
      frame.y_offset + frame.height > static_cast<int>(info_.height))
    fail("damaged WebP data (the first frame lies outside the canvas)");
  std::uint8_t* at = picture_.get() + static_cast<std::size_t>(frame.y_offset) * stride +
                     static_cast<std::size_t>(frame.x_offset) * ch;
  const std::size_t size = (static_cast<std::size_t>(frame.height) - 1) * stride +
                           static_cast<std::size_t>(frame.width) * ch;
  std::unique_ptr<WebPIDecoder, IdecFree> idec(
      WebPINewRGB(ch == 4 ? MODE_RGBA : MODE_RGB, at, size, static_cast<int>(stride)));
  if (!idec) throw std::bad_alloc();
  const VP8StatusCode status = WebPIUpdate(idec.get(), frame.fragment.bytes, frame.fragment.size);
  if (status == VP8_STATUS_OK) return;
  int last_y = 0;
  WebPIDecGetRGB(idec.get(), &last_y, nullptr, nullptr, nullptr);
  const std::string why = describe(status);
  if (!opt_.lenient) fail(why);
  if (last_y <= 0) fail(why + " before the first complete row");
  // Rows past the last complete one may hold part of a row: zero them.
  const std::size_t done = static_cast<std::size_t>(frame.y_offset + last_y);
  std::memset(picture_.get() + done * stride, 0, (info_.height - done) * stride);
  if (opt_.warn)
    opt_.warn(quoted(in_->name()) + ": " + why + " at row " + std::to_string(done + 1) + " of " +
              std::to_string(info_.height) + " (decoded anyway, the missing pixels are zero)");
}

// ---- Encoding ---------------------------------------------------------------------------

class WebpWriter final : public ImageWriter {
 public:
  WebpWriter(ByteSink& sink, const ImageInfo& info, const EncodeOptions& opt)
      : sink_(sink), info_(info), opt_(opt) {
    if (const std::string why = lrn_glue::webp_load_error(); !why.empty())
      throw FileError(quoted(sink.name()) + ": " + why, sink.name());
    if (info.type != SampleType::U8 || info.channels < 1 || info.channels > 4)
      throw FileError("cannot write " + quoted(sink.name()) +
                      ": WebP holds 8-bit grey or RGB, with or without alpha");
    if (info.width > kWebpMaxSide || info.height > kWebpMaxSide)
      throw FileError("cannot write " + quoted(sink.name()) +
                      ": WebP holds at most 16383x16383 pixels, and this is " +
                      std::to_string(info.width) + "x" + std::to_string(info.height));
    out_channels_ = info.has_alpha ? 4 : 3;
    picture_.resize(info.width * info.height * out_channels_);
  }

  // Grey becomes RGB (WebP has no grey form), grey + alpha RGBA.
  void write_rows(const void* src, std::size_t rows) override {
    const auto* in = static_cast<const std::uint8_t*>(src);
    const std::size_t n = rows * info_.width, c = info_.channels, oc = out_channels_;
    std::uint8_t* out = picture_.data() + row_ * info_.width * oc;
    if (c == oc) {
      std::memcpy(out, in, n * c);
    } else {
      const std::size_t colour = c - (info_.has_alpha ? 1 : 0);
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = 0; k < 3; ++k) out[i * oc + k] = in[i * c + (colour == 1 ? 0 : k)];
        if (oc == 4) out[i * oc + 3] = in[i * c + c - 1];
      }
    }
    row_ += rows;
  }

  void finish() override {
    WebPConfig config;
    if (!WebPConfigInit(&config)) throw std::runtime_error("libwebp: version mismatch");
    config.quality = static_cast<float>(opt_.quality);
    if (opt_.lossless) {
      config.lossless = 1;
      config.quality = 75;  // effort, libwebp's default
      config.exact = 1;     // keep the colour under transparent pixels: lossless means all of it
    }
    WebPPicture pic;
    if (!WebPPictureInit(&pic)) throw std::runtime_error("libwebp: version mismatch");
    pic.use_argb = opt_.lossless ? 1 : 0;
    pic.width = static_cast<int>(info_.width);
    pic.height = static_cast<int>(info_.height);
    const int stride = static_cast<int>(info_.width * out_channels_);
    const int imported = out_channels_ == 4 ? WebPPictureImportRGBA(&pic, picture_.data(), stride)
                                            : WebPPictureImportRGB(&pic, picture_.data(), stride);
    std::vector<std::uint8_t>().swap(picture_);  // the encoder has its own copy now
    WebPMemoryWriter memory;
    WebPMemoryWriterInit(&memory);
    pic.writer = WebPMemoryWrite;
    pic.custom_ptr = &memory;
    const bool ok = imported && WebPEncode(&config, &pic);
    const WebPEncodingError why = pic.error_code;
    WebPPictureFree(&pic);
    if (!ok) {
      WebPMemoryWriterClear(&memory);
      throw FileError("cannot write " + quoted(sink_.name()) +
                      ": libwebp could not encode the image (error " +
                      std::to_string(static_cast<int>(why)) + ")");
    }
    try {
      if (opt_.metadata && !opt_.metadata->empty()) write_extended(memory.mem, memory.size);
      else sink_.write(memory.mem, memory.size);
    } catch (...) {
      WebPMemoryWriterClear(&memory);
      throw;
    }
    WebPMemoryWriterClear(&memory);
  }

 private:
  void write_extended(const std::uint8_t* file, std::size_t size);

  ByteSink& sink_;
  ImageInfo info_;
  EncodeOptions opt_;
  std::size_t out_channels_ = 3;
  std::vector<std::uint8_t> picture_;
  std::size_t row_ = 0;
};

void put32(std::vector<std::uint8_t>& v, std::uint32_t x) {
  for (int i = 0; i < 4; ++i) v.push_back(static_cast<std::uint8_t>(x >> (8 * i)));
}

void put_chunk(std::vector<std::uint8_t>& v, const char* fourcc, const std::uint8_t* data,
               std::size_t size) {
  v.insert(v.end(), fourcc, fourcc + 4);
  put32(v, static_cast<std::uint32_t>(size));
  v.insert(v.end(), data, data + size);
  if (size % 2) v.push_back(0);  // RIFF pads chunks to even sizes
}

// libwebp's simple file (VP8 or VP8L, or VP8X + ALPH + VP8 for lossy with alpha) made an
// extended one as the container spec orders it: VP8X (flags say ICC, alpha, EXIF), ICCP, the
// image chunks as encoded, EXIF. Done here rather than through libwebpmux, one library fewer.
void WebpWriter::write_extended(const std::uint8_t* file, std::size_t size) {
  constexpr std::uint8_t kIccFlag = 0x20, kAlphaFlag = 0x10, kExifFlag = 0x08;
  if (size < 20 || std::memcmp(file, "RIFF", 4) != 0 || std::memcmp(file + 8, "WEBP", 4) != 0)
    throw std::logic_error("WebP: libwebp wrote no RIFF container");
  const Metadata& m = *opt_.metadata;
  const std::uint8_t* image = file + 12;  // the chunks after the RIFF header
  std::size_t image_size = size - 12;
  std::uint8_t flags = info_.has_alpha ? kAlphaFlag : 0;
  if (std::memcmp(image, "VP8X", 4) == 0) {  // keep its flags, replace the chunk
    flags |= image[8];
    image += 18;
    image_size -= 18;
  }
  if (!m.icc.empty()) flags |= kIccFlag;
  if (!m.exif.empty()) flags |= kExifFlag;
  std::vector<std::uint8_t> out = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'E', 'B', 'P'};
  std::uint8_t vp8x[10] = {flags, 0, 0, 0};
  const std::uint32_t w = static_cast<std::uint32_t>(info_.width - 1),
                      h = static_cast<std::uint32_t>(info_.height - 1);
  for (int i = 0; i < 3; ++i) {
    vp8x[4 + i] = static_cast<std::uint8_t>(w >> (8 * i));
    vp8x[7 + i] = static_cast<std::uint8_t>(h >> (8 * i));
  }
  put_chunk(out, "VP8X", vp8x, sizeof vp8x);
  if (!m.icc.empty()) put_chunk(out, "ICCP", m.icc.data(), m.icc.size());
  out.insert(out.end(), image, image + image_size);
  if (!m.exif.empty()) put_chunk(out, "EXIF", m.exif.data(), m.exif.size());
  const std::uint32_t riff = static_cast<std::uint32_t>(out.size() - 8);
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<std::uint8_t>(riff >> (8 * i));
  sink_.write(out.data(), out.size());
}

}  // namespace

bool sniff_webp(const std::vector<std::uint8_t>& h) {
  return h.size() >= 12 && std::memcmp(h.data(), "RIFF", 4) == 0 &&
         std::memcmp(h.data() + 8, "WEBP", 4) == 0;
}

std::unique_ptr<ImageReader> open_webp_reader(std::unique_ptr<ByteSource> src,
                                              const DecodeOptions& opt) {
  return std::make_unique<WebpReader>(std::move(src), opt);
}

std::unique_ptr<ImageWriter> open_webp_writer(ByteSink& sink, const ImageInfo& info,
                                              const EncodeOptions& opt) {
  return std::make_unique<WebpWriter>(sink, info, opt);
}

}  // namespace lrn
