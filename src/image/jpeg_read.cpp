// JPEG decoding through libjpeg-turbo's libjpeg API, one scanline at a time: a ByteSource
// feeds libjpeg in 64 KB chunks, EXIF orientation is read from APP1, CMYK becomes RGB, and
// warnings follow the damaged-file policy (jpeg_common.h says how errors travel).
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>

#include <jerror.h>

#include "image/codecs.h"
#include "image/jpeg_common.h"
#include "image/orient.h"

namespace lrn {
namespace {

using namespace jpeg_detail;

// A progressive file needs about 10 scans; thousands only serve to burn CPU (each scan
// re-walks the whole coefficient buffer). djpeg's -maxscans guards the same way.
constexpr int kMaxScans = 1000;

// Warnings that leave every pixel as the encoder meant it; all others mean damage.
bool is_benign(int code) {
  return code == JWRN_EXTRANEOUS_DATA || code == JWRN_ADOBE_XFORM || code == JWRN_JFIF_MAJOR ||
         code == JWRN_BOGUS_ICC;
}

// The data ran out (the file ended, or a marker such as EOI came inside the entropy data)
// before the first iMCU row of the first scan was complete: no row holds real pixels, and
// libjpeg would make up every row of the declared size. An error even when lenient.
bool ended_before_first_row(j_common_ptr c, const ErrorMgr* e) {
  const int code = c->err->msg_code;
  if (!e->in_scans || (code != JWRN_JPEG_EOF && code != JWRN_HIT_MARKER)) return false;
  const auto* d = reinterpret_cast<j_decompress_ptr>(c);
  return d->input_scan_number <= 1 && d->input_iMCU_row == 0;
}

// Returns false when decoding must stop (damage unless lenient, any warning when strict, or
// the sink threw); e->message then says why.
bool handle_warning(j_common_ptr c, ErrorMgr* e) noexcept {
  const int code = c->err->msg_code;
  const bool damage = !is_benign(code);
  (*c->err->format_message)(c, e->message);
  if (e->strict || (damage && !e->lenient)) return false;
  if (ended_before_first_row(c, e)) {
    constexpr char kWhy[] = " before the first complete row";
    std::strncat(e->message, kWhy, JMSG_LENGTH_MAX - std::strlen(e->message) - 1);
    return false;
  }
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

// ---- Decoding ---------------------------------------------------------------------------

// APP1 (EXIF) and APP2 (ICC) markers as read_app_marker keeps them: the first EXIF only (for
// its orientation, and to copy with --keep-metadata), ICC chunks only when asked, up to
// kMaxIccBytes in all. Filled by noexcept code; read by the reader once the header is in.
struct Markers {
  bool keep_icc = false;
  // The marker being read (up to 65533 bytes): malloc'd on the first APP1/APP2 (a file without
  // one costs nothing), freed once the header is in.
  struct Free {
    void operator()(std::uint8_t* p) const { std::free(p); }
  };
  std::unique_ptr<std::uint8_t[], Free> payload;
  std::vector<std::uint8_t> exif;  // "Exif\0\0" + TIFF, as stored
  struct IccChunk {
    int seq, count;
    std::vector<std::uint8_t> data;
  };
  std::vector<IccChunk> icc;
  std::size_t icc_bytes = 0;
  bool icc_over = false;  // more than kMaxIccBytes: none of it is kept
};

struct Source {
  jpeg_source_mgr pub;  // first member
  ByteSource* in = nullptr;
  bool at_end = false;  // the input ended and a fake EOI was fed
  Markers* markers = nullptr;
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

// One byte of a marker; fill_input_buffer never suspends (it feeds a fake EOI at the end).
unsigned next_byte(j_decompress_ptr c) {
  if (c->src->bytes_in_buffer == 0) (*c->src->fill_input_buffer)(c);
  c->src->bytes_in_buffer--;
  return *c->src->next_input_byte++;
}

// Keeps the payload just read where it belongs (Markers says what is kept). False when the
// allocation failed (e->cause holds it).
bool keep_marker(Markers* m, int marker, std::size_t n, ErrorMgr* e) noexcept {
  const std::uint8_t* d = m->payload.get();
  try {
    if (marker == JPEG_APP0 + 1 && m->exif.empty() && n >= 6 && std::memcmp(d, "Exif\0\0", 6) == 0)
      m->exif.assign(d, d + n);
    constexpr std::size_t kIccHead = 14;  // "ICC_PROFILE\0", sequence number, count
    if (marker == JPEG_APP0 + 2 && m->keep_icc && n > kIccHead &&
        std::memcmp(d, "ICC_PROFILE\0", 12) == 0 && !m->icc_over) {
      m->icc_bytes += n - kIccHead;
      if (m->icc_bytes > kMaxIccBytes) {
        m->icc_over = true;
        std::vector<Markers::IccChunk>().swap(m->icc);
      } else {
        m->icc.push_back({d[12], d[13], std::vector<std::uint8_t>(d + kIccHead, d + n)});
      }
    }
    return true;
  } catch (...) {
    e->cause = std::current_exception();
    return false;
  }
}

// libjpeg's marker processor for APP1 and APP2 (jpeg_set_marker_processor): reads the marker
// into Markers::payload (plain malloc), so that nothing here owns C++ objects when
// fill_input_buffer or ERREXIT long-jumps. Memory is bounded by the caps in Markers, unlike
// jpeg_save_markers, which keeps every marker of a file that repeats them.
boolean read_app_marker(j_decompress_ptr c) {
  Markers* m = source(c)->markers;
  unsigned length = next_byte(c) << 8;
  length |= next_byte(c);
  if (length < 2) ERREXIT(c, JERR_BAD_LENGTH);
  const std::size_t n = length - 2;
  if (!m->payload) m->payload.reset(static_cast<std::uint8_t*>(std::malloc(0xFFFF)));
  if (!m->payload) ERREXIT1(c, JERR_OUT_OF_MEMORY, 0);
  std::uint8_t* out = m->payload.get();
  for (std::size_t got = 0; got < n;) {
    if (c->src->bytes_in_buffer == 0) (*c->src->fill_input_buffer)(c);
    const std::size_t take = std::min(n - got, c->src->bytes_in_buffer);
    std::memcpy(out + got, c->src->next_input_byte, take);
    c->src->next_input_byte += take;
    c->src->bytes_in_buffer -= take;
    got += take;
  }
  if (!keep_marker(m, c->unread_marker, n, error_mgr(c))) std::longjmp(error_mgr(c)->jump, 1);
  return TRUE;
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
    for (int i = 0; i < 3; ++i)
      rgb[i] = static_cast<std::uint8_t>(((cmyk[i] ^ flip) * k + 127) / 255);
  }
}

// Own the libjpeg objects, so that a constructor that throws still releases them.
// jpeg_destroy_* is safe on a zeroed or half-made object and after an error.
struct Decompressor {
  jpeg_decompress_struct cinfo{};
  ~Decompressor() { jpeg_destroy_decompress(&cinfo); }
};

class JpegReader final : public ImageReader {
 public:
  JpegReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt);
  JpegReader(const JpegReader&) = delete;
  JpegReader& operator=(const JpegReader&) = delete;

  const ImageInfo& info() const override { return info_; }
  void read_rows(void* dst, std::size_t rows) override;
  int orientation() const override { return orientation_; }
  const Metadata* metadata() const override { return keep_ ? &metadata_ : nullptr; }

 private:
  void collect_metadata(const DecodeOptions& opt);
  void metadata_warning(const std::string& what);
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
  Markers markers_;
  bool keep_ = false;
  Metadata metadata_;
  std::exception_ptr failure_;  // once libjpeg has bailed out, every later call repeats it
};

JpegReader::JpegReader(std::unique_ptr<ByteSource> in, const DecodeOptions& opt)
    : in_(std::move(in)) {
  err_.lenient = opt.lenient;
  err_.strict = opt.strict;
  err_.warn = opt.warn;
  err_.name = in_->name();
  install_error_mgr(err_, cinfo_, emit_message);
  if (!try_create(&cinfo_, &err_)) fail();
  install_source(src_, in_.get(), &cinfo_);
  progress_.progress_monitor = check_scan_count;
  cinfo_.progress = &progress_;
  // EXIF for the orientation tag; ICC profiles with --keep-metadata.
  keep_ = opt.keep_metadata;
  markers_.keep_icc = keep_;
  src_.markers = &markers_;
  jpeg_set_marker_processor(&cinfo_, JPEG_APP0 + 1, read_app_marker);
  if (keep_) jpeg_set_marker_processor(&cinfo_, JPEG_APP0 + 2, read_app_marker);
  if (!try_read_header(&cinfo_, &err_)) fail();
  markers_.payload.reset();
  orientation_ = exif_orientation(markers_.exif.data(), markers_.exif.size());
  if (keep_) collect_metadata(opt);
  check_dimensions(in_->name(), cinfo_.image_width, cinfo_.image_height, opt.max_pixels);
  choose_output();
  check_row_bytes(in_->name(), std::uint64_t{cinfo_.image_width} * (cmyk_ ? 4 : info_.channels),
                  opt.max_row_bytes);
  err_.in_scans = true;
  if (!try_start(&cinfo_, &err_)) fail();
  info_.width = cinfo_.output_width;
  info_.height = cinfo_.output_height;
  info_.type = SampleType::U8;
  info_.has_alpha = false;
}

// The EXIF (its orientation reset when it will be applied) and the ICC profile reassembled
// from its APP2 chunks in sequence order; a bad sequence is dropped with a warning.
void JpegReader::collect_metadata(const DecodeOptions& opt) {
  metadata_.exif = std::move(markers_.exif);
  if (!metadata_.exif.empty()) {
    const std::string why = normalise_exif(metadata_.exif);
    if (!why.empty()) {
      metadata_.exif.clear();
      metadata_warning(why);
    } else if (opt.auto_orient && orientation_ != 1) {
      reset_orientation(metadata_.exif);
    }
  }
  if (markers_.icc_over)
    return metadata_warning("an ICC profile over the cap of " + std::to_string(kMaxIccBytes) +
                            " bytes");
  auto& chunks = markers_.icc;
  if (chunks.empty()) return;
  const int count = chunks[0].count;
  bool good = count >= 1 && chunks.size() == static_cast<std::size_t>(count);
  std::vector<const Markers::IccChunk*> order(good ? count : 0, nullptr);
  for (const auto& ch : chunks) {
    if (!good) break;
    good = ch.count == count && ch.seq >= 1 && ch.seq <= count && !order[ch.seq - 1];
    if (good) order[ch.seq - 1] = &ch;
  }
  if (!good)
    return metadata_warning("an ICC profile whose " + std::to_string(chunks.size()) +
                            " APP2 markers are not one complete sequence");
  metadata_.icc.reserve(markers_.icc_bytes);
  for (const auto* ch : order)
    metadata_.icc.insert(metadata_.icc.end(), ch->data.begin(), ch->data.end());
  std::vector<Markers::IccChunk>().swap(chunks);
}

// Metadata that cannot be kept: dropped with a warning (under strict, an error), the pixels
// being intact.
void JpegReader::metadata_warning(const std::string& what) {
  if (err_.strict)
    throw FileError("cannot decode " + quoted(err_.name) + ": " + what + " (a warning; " +
                        param("strict") + " refuses it)",
                    err_.name);
  if (err_.warn) err_.warn(quoted(err_.name) + ": " + what + " dropped");
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
                            ": CMYK would be converted to RGB (a warning; " + param("strict") +
                            " refuses it)",
                        err_.name);
      if (err_.warn) err_.warn(quoted(err_.name) + ": CMYK converted to RGB");
      return;
    default:
      throw FileError("cannot decode " + quoted(err_.name) + ": unsupported JPEG colour space (" +
                          std::to_string(cinfo_.num_components) + " components)",
                      err_.name);
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
                        : std::make_exception_ptr(FileError("cannot decode " + quoted(err_.name) +
                                                            ": " + tidy(err_.message)));
  std::rethrow_exception(failure_);
}

}  // namespace

std::unique_ptr<ImageReader> open_jpeg_reader(std::unique_ptr<ByteSource> src,
                                              const DecodeOptions& opt) {
  return std::make_unique<JpegReader>(std::move(src), opt);
}

}  // namespace lrn
