// JPEG encoding through libjpeg-turbo's libjpeg API, one scanline at a time into a ByteSink
// (jpeg_common.h says how errors travel).
#include <cstring>
#include <stdexcept>
#include <vector>

#include "image/codecs.h"
#include "image/jpeg_common.h"

namespace lrn {
namespace {

using namespace jpeg_detail;

void ignore_message(j_common_ptr, int) {}  // encoder warnings cannot affect our output

struct Compressor {
  jpeg_compress_struct cinfo{};
  ~Compressor() { jpeg_destroy_compress(&cinfo); }
};

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
  if (!write_chunk(destination(c), error_mgr(c), kChunkBytes)) std::longjmp(error_mgr(c)->jump, 1);
  init_destination(c);
  return TRUE;
}

void term_destination(j_compress_ptr c) {
  const std::size_t used = kChunkBytes - destination(c)->pub.free_in_buffer;
  if (!write_chunk(destination(c), error_mgr(c), used)) std::longjmp(error_mgr(c)->jump, 1);
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
bool try_write_marker(j_compress_ptr c, ErrorMgr* e, const JOCTET* data, unsigned len) {
  if (setjmp(e->jump)) return false;
  jpeg_write_marker(c, JPEG_APP0 + 1, data, len);
  return true;
}
bool try_write_icc(j_compress_ptr c, ErrorMgr* e, const JOCTET* data, unsigned len) {
  if (setjmp(e->jump)) return false;
  jpeg_write_icc_profile(c, data, len);  // split over APP2 markers as the ICC spec says
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
    return "JPEG is limited to " + std::to_string(JPEG_MAX_DIMENSION) +
           " pixels a side, the image is " + std::to_string(info.width) + "x" +
           std::to_string(info.height);
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
  void write_metadata(const Metadata& m);
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
  if (!why.empty())
    throw FileError("cannot write " + quoted(sink.name()) + ": " + why, sink.name());
  install_error_mgr(err_, cinfo_, ignore_message);
  if (!try_create(&cinfo_, &err_)) fail();
  dest_.out = &sink;
  dest_.pub.init_destination = init_destination;
  dest_.pub.empty_output_buffer = empty_output_buffer;
  dest_.pub.term_destination = term_destination;
  cinfo_.dest = &dest_.pub;
  configure(opt.quality);
  if (!try_start(&cinfo_, &err_)) fail();
  if (opt.metadata) write_metadata(*opt.metadata);
}

// APP1 "Exif\0\0" + TIFF, then the ICC profile; after SOI and JFIF's APP0, before the frame.
// EXIF over one marker's size is the pipeline's to drop (kMaxJpegExifBytes), not ours.
void JpegWriter::write_metadata(const Metadata& m) {
  if (!m.exif.empty() && m.exif.size() <= kMaxJpegExifBytes) {
    std::vector<JOCTET> app1(6 + m.exif.size());
    std::memcpy(app1.data(), "Exif\0\0", 6);
    std::memcpy(app1.data() + 6, m.exif.data(), m.exif.size());
    if (!try_write_marker(&cinfo_, &err_, app1.data(), static_cast<unsigned>(app1.size()))) fail();
  }
  if (!m.icc.empty() &&
      !try_write_icc(&cinfo_, &err_, m.icc.data(), static_cast<unsigned>(m.icc.size())))
    fail();
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
    for (int i = 1; i < 3; ++i)
      cinfo_.comp_info[i].h_samp_factor = cinfo_.comp_info[i].v_samp_factor = 1;
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
  throw FileError("cannot write " + quoted(sink_.name()) + ": " + tidy(err_.message), sink_.name());
}

}  // namespace

std::unique_ptr<ImageWriter> open_jpeg_writer(ByteSink& sink, const ImageInfo& info,
                                              const EncodeOptions& opt) {
  return std::make_unique<JpegWriter>(sink, info, opt);
}

}  // namespace lrn
