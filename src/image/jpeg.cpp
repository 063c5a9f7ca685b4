// JPEG through libjpeg-turbo's libjpeg API, one scanline at a time in both directions.
//
// libjpeg reports errors by calling error_exit, which must not return. Throwing a C++
// exception from it would unwind through libjpeg's C frames, so error_exit (and emit_message,
// for warnings that mean damaged pixels) longjmp back to small try_* wrappers instead. Those
// wrappers hold no C++ objects, so the jump skips no destructors; the caller turns a false
// return into a FileError after the jump. Callbacks that do C++ work (reading the ByteSource,
// calling the warning sink) do it in noexcept helpers that have returned before any longjmp.
#include <algorithm>
#include <bitset>
#include <cctype>
#include <csetjmp>
#include <cstdio>  // jpeglib.h uses FILE and size_t without including their headers
#include <cstring>
#include <exception>
#include <stdexcept>

#include <jpeglib.h>
#include <jerror.h>

#include "image/codecs.h"
#include "image/orient.h"

namespace lrn {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;  // per ByteSource read and ByteSink write
// A progressive file needs about 10 scans; thousands only serve to burn CPU (each scan
// re-walks the whole coefficient buffer). djpeg's -maxscans guards the same way.
constexpr int kMaxScans = 1000;

// libjpeg's error manager plus where to jump and what went wrong. Callbacks find it through
// cinfo->client_data (it is not standard-layout, so no casting from &pub).
struct ErrorMgr {
  jpeg_error_mgr pub;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
  std::exception_ptr cause;  // an exception from our side (ByteSource, ByteSink, warning sink)
  // Decoder only: how to treat warnings.
  bool lenient = false;
  bool strict = false;  // every warning is an error, benign ones included
  WarningSink warn;
  std::string name;
  std::bitset<256> warned;  // message codes already reported, so a warning appears once
  bool damage_reported = false;  // damage usually cascades; the first message says it all
};

ErrorMgr* error_mgr(j_common_ptr c) { return static_cast<ErrorMgr*>(c->client_data); }
ErrorMgr* error_mgr(j_decompress_ptr c) { return static_cast<ErrorMgr*>(c->client_data); }
ErrorMgr* error_mgr(j_compress_ptr c) { return static_cast<ErrorMgr*>(c->client_data); }

// libjpeg's own text with our voice: lowercase start (unless an acronym), no "Warning: ".
std::string tidy(const char* text) {
  std::string s = text;
  if (s.rfind("Warning: ", 0) == 0) s.erase(0, 9);
  if (s.size() > 1 && !std::isupper(static_cast<unsigned char>(s[1])))
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  while (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

[[noreturn]] void error_exit(j_common_ptr c) {
  ErrorMgr* e = error_mgr(c);
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->jump, 1);
}

// Warnings that leave every pixel as the encoder meant it; all others mean damage.
bool is_benign(int code) {
  return code == JWRN_EXTRANEOUS_DATA || code == JWRN_ADOBE_XFORM || code == JWRN_JFIF_MAJOR ||
         code == JWRN_BOGUS_ICC;
}

// Returns false when decoding must stop (damage unless lenient, any warning when strict, or
// the sink threw); e->message then says why.
bool handle_warning(j_common_ptr c, ErrorMgr* e) noexcept {
  const int code = c->err->msg_code;
  const bool damage = !is_benign(code);
  (*c->err->format_message)(c, e->message);
  if (e->strict || (damage && !e->lenient)) return false;
  const std::size_t slot = static_cast<std::size_t>(code) % e->warned.size();
  if (e->warned.test(slot) || (damage && e->damage_reported) || !e->warn) return true;
  e->warned.set(slot);
  e->damage_reported = e->damage_reported || damage;
  try {
    e->warn(quoted(e->name) + ": " + tidy(e->message) +
            (damage ? " (decoded anyway, the image is damaged)" : ""));
    return true;
  } catch (...) {
    e->cause = std::current_exception();
    return false;
  }
}

void emit_message(j_common_ptr c, int level) {
  if (level >= 0) return;  // trace messages
  c->err->num_warnings++;
  ErrorMgr* e = error_mgr(c);
  if (!handle_warning(c, e)) std::longjmp(e->jump, 1);
}

void ignore_message(j_common_ptr, int) {}  // encoder warnings cannot affect our output

// Before jpeg_create_*, which keeps err and client_data.
template <typename Cinfo>
void install_error_mgr(ErrorMgr& e, Cinfo& cinfo, bool decoding) {
  cinfo.err = jpeg_std_error(&e.pub);
  cinfo.client_data = &e;
  e.pub.error_exit = error_exit;
  e.pub.emit_message = decoding ? emit_message : ignore_message;
}

// ---- Decoding ---------------------------------------------------------------------------

struct Source {
  jpeg_source_mgr pub;  // first member
  ByteSource* in = nullptr;
  bool at_end = false;  // the input ended and a fake EOI was fed
  JOCTET buffer[kChunkBytes];
};

Source* source(j_decompress_ptr c) { return reinterpret_cast<Source*>(c->src); }

// Up to a chunk from the ByteSource; on an exception records it and returns SIZE_MAX.
std::size_t read_chunk(Source* s, ErrorMgr* e, std::size_t n) noexcept {
  try {
    return s->in->read(s->buffer, n);
  } catch (...) {
    e->cause = std::current_exception();
    return SIZE_MAX;
  }
}

boolean fill_input_buffer(j_decompress_ptr c) {
  Source* s = source(c);
  std::size_t n = read_chunk(s, error_mgr(c), kChunkBytes);
  if (n == SIZE_MAX) std::longjmp(error_mgr(c)->jump, 1);
  if (n == 0) {
    // Premature end: a warning (an error unless lenient), then a fake EOI so libjpeg winds
    // down, filling what is missing with grey as the libjpeg docs recommend.
    WARNMS(c, JWRN_JPEG_EOF);
    s->at_end = true;
    s->buffer[0] = 0xFF;
    s->buffer[1] = JPEG_EOI;
    n = 2;
  }
  s->pub.next_input_byte = s->buffer;
  s->pub.bytes_in_buffer = n;
  return TRUE;
}

// Skips by reading, not by refilling: at end of input refilling would feed a fake EOI per
// call, and a marker can ask to skip 64 KB.
void skip_input_data(j_decompress_ptr c, long count) {
  if (count <= 0) return;
  Source* s = source(c);
  std::size_t left = static_cast<std::size_t>(count);
  while (left > s->pub.bytes_in_buffer) {
    left -= s->pub.bytes_in_buffer;
    s->pub.bytes_in_buffer = 0;
    fill_input_buffer(c);
    if (s->at_end) return;  // leave the fake EOI for the marker reader
  }
  s->pub.next_input_byte += left;
  s->pub.bytes_in_buffer -= left;
}

void init_source(j_decompress_ptr) {}
void term_source(j_decompress_ptr) {}

void install_source(Source& s, ByteSource* in, j_decompress_ptr c) {
  s.in = in;
  s.pub.next_input_byte = nullptr;
  s.pub.bytes_in_buffer = 0;
  s.pub.init_source = init_source;
  s.pub.fill_input_buffer = fill_input_buffer;
  s.pub.skip_input_data = skip_input_data;
  s.pub.resync_to_restart = jpeg_resync_to_restart;
  s.pub.term_source = term_source;
  c->src = &s.pub;
}

void check_scan_count(j_common_ptr c) {
  if (!c->is_decompressor) return;
  if (reinterpret_cast<j_decompress_ptr>(c)->input_scan_number <= kMaxScans) return;
  std::snprintf(error_mgr(c)->message, JMSG_LENGTH_MAX, "more than %d progressive scans",
                kMaxScans);
  std::longjmp(error_mgr(c)->jump, 1);
}

// The try_* wrappers: one libjpeg call each under setjmp; false when libjpeg bailed out.
bool try_create(j_decompress_ptr c, ErrorMgr* e) {
  if (setjmp(e->jump)) return false;
  jpeg_create_decompress(c);
  return true;
}
bool try_read_header(j_decompress_ptr c, ErrorMgr* e) {
  if (setjmp(e->jump)) return false;
  jpeg_read_header(c, TRUE);
  return true;
}
bool try_start(j_decompress_ptr c, ErrorMgr* e) {
  if (setjmp(e->jump)) return false;
  jpeg_start_decompress(c);
  return true;
}
bool try_read_scanlines(j_decompress_ptr c, ErrorMgr* e, JSAMPARRAY rows, JDIMENSION n,
                        JDIMENSION* got) {
  if (setjmp(e->jump)) return false;
  *got = jpeg_read_scanlines(c, rows, n);
  return true;
}
bool try_finish(j_decompress_ptr c, ErrorMgr* e) {
  if (setjmp(e->jump)) return false;
  jpeg_finish_decompress(c);
  return true;
}

// Adobe's APP14 marker means Photoshop-style CMYK, stored inverted (255 = no ink); without
// it the samples are ink amounts. RGB is the naive ink model, not a colour-managed one.
void cmyk_to_rgb(const JSAMPLE* cmyk, std::uint8_t* rgb, std::size_t width, bool inverted) {
  for (std::size_t x = 0; x < width; ++x, cmyk += 4, rgb += 3) {
    const unsigned flip = inverted ? 0 : 255;
    const unsigned k = cmyk[3] ^ flip;
    for (int i = 0; i < 3; ++i) rgb[i] = static_cast<std::uint8_t>(((cmyk[i] ^ flip) * k + 127) / 255);
  }
}

// Own the libjpeg objects, so that a constructor that throws still releases them.
// jpeg_destroy_* is safe on a zeroed or half-made object and after an error.
struct Decompressor {
  jpeg_decompress_struct cinfo{};
  ~Decompressor() { jpeg_destroy_decompress(&cinfo); }
};
struct Compressor {
  jpeg_compress_struct cinfo{};
  ~Compressor() { jpeg_destroy_compress(&cinfo); }
};

class JpegReader final : public ImageReader {
 public:
  JpegReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt);
  JpegReader(const JpegReader&) = delete;
  JpegReader& operator=(const JpegReader&) = delete;

  const ImageInfo& info() const override { return info_; }
  void read_rows(void* dst, std::size_t rows) override;
  int orientation() const override { return orientation_; }

 private:
  void choose_output();
  void read_direct(std::uint8_t* dst, std::size_t rows);
  void read_cmyk(std::uint8_t* dst, std::size_t rows);
  [[noreturn]] void fail();

  std::unique_ptr<ByteSource> in_;
  ErrorMgr err_;
  Source src_;
  jpeg_progress_mgr progress_{};
  Decompressor dec_;  // after the managers it points to, so it is destroyed first
  jpeg_decompress_struct& cinfo_ = dec_.cinfo;
  ImageInfo info_;
  bool cmyk_ = false;
  std::vector<JSAMPLE> cmyk_row_;
  std::vector<JSAMPROW> row_ptrs_;
  std::size_t rows_done_ = 0;
  int orientation_ = 1;
  std::exception_ptr failure_;  // once libjpeg has bailed out, every later call repeats it
};

JpegReader::JpegReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt)
    : in_(std::move(in)) {
  err_.lenient = opt.lenient;
  err_.strict = opt.strict;
  err_.warn = opt.warn;
  err_.name = in_->name();
  install_error_mgr(err_, cinfo_, true);
  if (!try_create(&cinfo_, &err_)) fail();
  install_source(src_, in_.get(), &cinfo_);
  progress_.progress_monitor = check_scan_count;
  cinfo_.progress = &progress_;
  jpeg_save_markers(&cinfo_, JPEG_APP0 + 1, 0xFFFF);  // EXIF, for the orientation tag
  if (!try_read_header(&cinfo_, &err_)) fail();
  for (jpeg_saved_marker_ptr m = cinfo_.marker_list; m; m = m->next)
    if (m->marker == JPEG_APP0 + 1 && orientation_ == 1)
      orientation_ = exif_orientation(m->data, m->data_length);
  check_dimensions(in_->name(), cinfo_.image_width, cinfo_.image_height, opt.max_pixels);
  choose_output();
  if (!try_start(&cinfo_, &err_)) fail();
  info_.width = cinfo_.output_width;
  info_.height = cinfo_.output_height;
  info_.type = SampleType::U8;
  info_.has_alpha = false;
}

void JpegReader::choose_output() {
  switch (cinfo_.jpeg_color_space) {
    case JCS_GRAYSCALE:
      cinfo_.out_color_space = JCS_GRAYSCALE;
      info_.channels = 1;
      return;
    case JCS_YCbCr:
    case JCS_RGB:
      cinfo_.out_color_space = JCS_RGB;
      info_.channels = 3;
      return;
    case JCS_CMYK:
    case JCS_YCCK:
      cinfo_.out_color_space = JCS_CMYK;  // libjpeg turns YCCK into CMYK; we do CMYK -> RGB
      info_.channels = 3;
      cmyk_ = true;
      cmyk_row_.resize(std::size_t{cinfo_.image_width} * 4);
      if (err_.strict)
        throw FileError("cannot decode " + quoted(err_.name) +
                        ": CMYK would be converted to RGB (a warning; --strict refuses it)");
      if (err_.warn) err_.warn(quoted(err_.name) + ": CMYK converted to RGB");
      return;
    default:
      throw FileError("cannot decode " + quoted(err_.name) + ": unsupported JPEG colour space (" +
                      std::to_string(cinfo_.num_components) + " components)");
  }
}

void JpegReader::read_rows(void* dst, std::size_t rows) {
  if (failure_) std::rethrow_exception(failure_);
  if (rows > info_.height - rows_done_) throw std::logic_error("JPEG: read past the last row");
  auto* out = static_cast<std::uint8_t*>(dst);
  if (cmyk_) read_cmyk(out, rows);
  else read_direct(out, rows);
  rows_done_ += rows;
  // Reading up to EOI catches a file cut short after the last scanline's data.
  if (rows > 0 && rows_done_ == info_.height && !try_finish(&cinfo_, &err_)) fail();
}

void JpegReader::read_direct(std::uint8_t* dst, std::size_t rows) {
  row_ptrs_.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) row_ptrs_[i] = dst + i * info_.row_bytes();
  std::size_t done = 0;
  while (done < rows) {
    JDIMENSION got = 0;
    if (!try_read_scanlines(&cinfo_, &err_, row_ptrs_.data() + done,
                            static_cast<JDIMENSION>(rows - done), &got))
      fail();
    if (got == 0) throw std::logic_error("JPEG: libjpeg returned no scanline");
    done += got;
  }
}

void JpegReader::read_cmyk(std::uint8_t* dst, std::size_t rows) {
  JSAMPROW row = cmyk_row_.data();
  const bool inverted = cinfo_.saw_Adobe_marker;
  for (std::size_t i = 0; i < rows; ++i) {
    JDIMENSION got = 0;
    if (!try_read_scanlines(&cinfo_, &err_, &row, 1, &got)) fail();
    if (got != 1) throw std::logic_error("JPEG: libjpeg returned no scanline");
    cmyk_to_rgb(row, dst + i * info_.row_bytes(), info_.width, inverted);
  }
}

void JpegReader::fail() {
  failure_ = err_.cause ? err_.cause
                        : std::make_exception_ptr(FileError(
                              "cannot decode " + quoted(err_.name) + ": " + tidy(err_.message)));
  std::rethrow_exception(failure_);
}

// ---- Encoding ---------------------------------------------------------------------------

struct Destination {
  jpeg_destination_mgr pub;  // first member
  ByteSink* out = nullptr;
  JOCTET buffer[kChunkBytes];
};

Destination* destination(j_compress_ptr c) { return reinterpret_cast<Destination*>(c->dest); }

bool write_chunk(Destination* d, ErrorMgr* e, std::size_t n) noexcept {
  try {
    if (n > 0) d->out->write(d->buffer, n);
    return true;
  } catch (...) {
    e->cause = std::current_exception();
    return false;
  }
}

void init_destination(j_compress_ptr c) {
  destination(c)->pub.next_output_byte = destination(c)->buffer;
  destination(c)->pub.free_in_buffer = kChunkBytes;
}

boolean empty_output_buffer(j_compress_ptr c) {
  // libjpeg's contract: write the whole buffer, whatever free_in_buffer says.
  if (!write_chunk(destination(c), error_mgr(c), kChunkBytes))
    std::longjmp(error_mgr(c)->jump, 1);
  init_destination(c);
  return TRUE;
}

void term_destination(j_compress_ptr c) {
  const std::size_t used = kChunkBytes - destination(c)->pub.free_in_buffer;
  if (!write_chunk(destination(c), error_mgr(c), used))
    std::longjmp(error_mgr(c)->jump, 1);
}

bool try_create(j_compress_ptr c, ErrorMgr* e) {
  if (setjmp(e->jump)) return false;
  jpeg_create_compress(c);
  return true;
}
bool try_start(j_compress_ptr c, ErrorMgr* e) {
  if (setjmp(e->jump)) return false;
  jpeg_start_compress(c, TRUE);
  return true;
}
bool try_write_scanlines(j_compress_ptr c, ErrorMgr* e, JSAMPARRAY rows, JDIMENSION n,
                         JDIMENSION* done) {
  if (setjmp(e->jump)) return false;
  *done = jpeg_write_scanlines(c, rows, n);
  return true;
}
bool try_finish(j_compress_ptr c, ErrorMgr* e) {
  if (setjmp(e->jump)) return false;
  jpeg_finish_compress(c);
  return true;
}

// Why JPEG cannot take this image, or empty when it can.
std::string unsupported(const ImageInfo& info) {
  if (info.type != SampleType::U8)
    return "JPEG holds 8-bit samples only, not " + std::to_string(8 * sample_size(info.type)) +
           "-bit (write PNG or .npy instead)";
  if (info.has_alpha) return "JPEG cannot hold an alpha channel (write PNG instead)";
  if (info.channels != 1 && info.channels != 3)
    return "JPEG holds 1 (gray) or 3 (RGB) channels, not " + std::to_string(info.channels) +
           " (write .npy instead)";
  if (info.width == 0 || info.height == 0) return "the image has no pixels";
  if (info.width > JPEG_MAX_DIMENSION || info.height > JPEG_MAX_DIMENSION)
    return "JPEG is limited to " + std::to_string(JPEG_MAX_DIMENSION) + " pixels a side, the image is " +
           std::to_string(info.width) + "x" + std::to_string(info.height);
  return {};
}

class JpegWriter final : public ImageWriter {
 public:
  JpegWriter(ByteSink& sink, const ImageInfo& info, const EncodeOptions& opt);
  JpegWriter(const JpegWriter&) = delete;
  JpegWriter& operator=(const JpegWriter&) = delete;

  void write_rows(const void* src, std::size_t rows) override;
  void finish() override;

 private:
  void configure(int quality);
  [[noreturn]] void fail();

  ByteSink& sink_;
  ImageInfo info_;
  ErrorMgr err_;
  Destination dest_;
  Compressor comp_;
  jpeg_compress_struct& cinfo_ = comp_.cinfo;
  std::vector<JSAMPROW> row_ptrs_;
  std::size_t rows_done_ = 0;
};

JpegWriter::JpegWriter(ByteSink& sink, const ImageInfo& info, const EncodeOptions& opt)
    : sink_(sink), info_(info) {
  const std::string why = unsupported(info);
  if (!why.empty()) throw FileError("cannot write " + quoted(sink.name()) + ": " + why);
  install_error_mgr(err_, cinfo_, false);
  if (!try_create(&cinfo_, &err_)) fail();
  dest_.out = &sink;
  dest_.pub.init_destination = init_destination;
  dest_.pub.empty_output_buffer = empty_output_buffer;
  dest_.pub.term_destination = term_destination;
  cinfo_.dest = &dest_.pub;
  configure(opt.quality);
  if (!try_start(&cinfo_, &err_)) fail();
}

void JpegWriter::configure(int quality) {
  cinfo_.image_width = static_cast<JDIMENSION>(info_.width);
  cinfo_.image_height = static_cast<JDIMENSION>(info_.height);
  cinfo_.input_components = static_cast<int>(info_.channels);
  cinfo_.in_color_space = info_.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&cinfo_);  // JFIF header, YCbCr for RGB; cannot fail once sizes are set
  jpeg_set_quality(&cinfo_, std::clamp(quality, 1, 100), TRUE);
  if (info_.channels == 3) {
    // 4:2:0, which jpeg_set_defaults picks already; spelled out because the README promises it.
    cinfo_.comp_info[0].h_samp_factor = 2;
    cinfo_.comp_info[0].v_samp_factor = 2;
    for (int i = 1; i < 3; ++i) cinfo_.comp_info[i].h_samp_factor = cinfo_.comp_info[i].v_samp_factor = 1;
  }
  // optimize_coding stays off: optimal Huffman tables need a full-image coefficient buffer,
  // which would end the streaming (memory would grow with the image).
  cinfo_.optimize_coding = FALSE;
}

void JpegWriter::write_rows(const void* src, std::size_t rows) {
  if (rows > info_.height - rows_done_) throw std::logic_error("JPEG: wrote past the last row");
  // libjpeg's prototype wants non-const rows but only reads them.
  auto* in = const_cast<std::uint8_t*>(static_cast<const std::uint8_t*>(src));
  row_ptrs_.resize(rows);
  for (std::size_t i = 0; i < rows; ++i) row_ptrs_[i] = in + i * info_.row_bytes();
  std::size_t done = 0;
  while (done < rows) {
    JDIMENSION n = 0;
    if (!try_write_scanlines(&cinfo_, &err_, row_ptrs_.data() + done,
                             static_cast<JDIMENSION>(rows - done), &n))
      fail();
    if (n == 0) throw std::logic_error("JPEG: libjpeg took no scanline");
    done += n;
  }
  rows_done_ += rows;
}

void JpegWriter::finish() {
  if (rows_done_ != info_.height) throw std::logic_error("JPEG: finish() before the last row");
  if (!try_finish(&cinfo_, &err_)) fail();
}

void JpegWriter::fail() {
  if (err_.cause) std::rethrow_exception(err_.cause);
  throw FileError("cannot write " + quoted(sink_.name()) + ": " + tidy(err_.message));
}

}  // namespace

std::unique_ptr<ImageReader> open_jpeg_reader(std::unique_ptr<ByteSource> src,
                                              const DecodeOptions& opt) {
  return std::make_unique<JpegReader>(std::move(src), opt);
}

std::unique_ptr<ImageWriter> open_jpeg_writer(ByteSink& sink, const ImageInfo& info,
                                              const EncodeOptions& opt) {
  return std::make_unique<JpegWriter>(sink, info, opt);
}

}  // namespace lrn
