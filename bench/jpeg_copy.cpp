// The floor for `lrn-img in.jpg out.jpg`: a streaming JPEG decode + encode and nothing else.
//
// Usage: jpeg_copy IN.jpg OUT.jpg [-q QUALITY]
//
// Same library (libjpeg-turbo through its libjpeg API) and the same settings as
// src/image/jpeg_read.cpp and jpeg_write.cpp, so that the only difference left is the LRN
// work in between:
//   decode: libjpeg's defaults for everything lrn-img leaves alone: JDCT_ISLOW (accurate
//           integer IDCT), fancy upsampling on, block smoothing on, no scaling, no quantising
//           of colours; out_color_space JCS_RGB for YCbCr/RGB files, JCS_GRAYSCALE for grey.
//   encode: jpeg_set_defaults (JFIF, YCbCr, JDCT_ISLOW forward DCT), jpeg_set_quality(q, TRUE),
//           4:2:0 for RGB (h/v sampling 2,2 / 1,1 / 1,1), optimize_coding off, baseline.
//   I/O:    64 KB reads (lrn-img's ByteSource chunk) and a 256 KB output buffer (lrn-img's
//           OutputFile); the rows go through one buffer of a block of scanlines, never the
//           whole image.
// Not matched (not codec work): lrn-img writes a temporary file and renames it over OUT.
// Errors: libjpeg's standard error_exit (prints and exits), enough for a benchmark.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <jerror.h>
#include <jpeglib.h>

namespace {

constexpr std::size_t kReadChunk = 64 * 1024;
constexpr std::size_t kWriteBuffer = 256 * 1024;
constexpr JDIMENSION kBlockRows = 16;  // rows handed over per jpeg_write_scanlines call

[[noreturn]] void usage(const char* why) {
  std::fprintf(stderr, "jpeg_copy: %s\nusage: jpeg_copy IN.jpg OUT.jpg [-q QUALITY]\n", why);
  std::exit(2);
}

// A source manager reading the file in 64 KB chunks, like lrn-img's (jpeg_stdio_src reads 4 KB).
struct Source {
  jpeg_source_mgr pub;
  std::FILE* file;
  JOCTET buffer[kReadChunk];
};

void init_source(j_decompress_ptr) {}
void term_source(j_decompress_ptr) {}

boolean fill_input_buffer(j_decompress_ptr c) {
  auto* s = reinterpret_cast<Source*>(c->src);
  std::size_t n = std::fread(s->buffer, 1, kReadChunk, s->file);
  if (n == 0) {  // premature end: a fake EOI, as libjpeg's own managers do
    WARNMS(c, JWRN_JPEG_EOF);
    s->buffer[0] = 0xFF;
    s->buffer[1] = JPEG_EOI;
    n = 2;
  }
  s->pub.next_input_byte = s->buffer;
  s->pub.bytes_in_buffer = n;
  return TRUE;
}

void skip_input_data(j_decompress_ptr c, long count) {
  auto* s = reinterpret_cast<Source*>(c->src);
  while (count > static_cast<long>(s->pub.bytes_in_buffer)) {
    count -= static_cast<long>(s->pub.bytes_in_buffer);
    fill_input_buffer(c);
  }
  if (count > 0) {
    s->pub.next_input_byte += count;
    s->pub.bytes_in_buffer -= static_cast<std::size_t>(count);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 5) usage("wrong number of arguments");
  int quality = 90;
  if (argc == 5) {
    if (std::strcmp(argv[3], "-q") != 0) usage("unknown option");
    quality = std::atoi(argv[4]);
    if (quality < 1 || quality > 100) usage("quality must be 1..100");
  }
  std::FILE* in = std::fopen(argv[1], "rb");
  if (!in) usage("cannot open the input");
  std::setvbuf(in, nullptr, _IONBF, 0);  // our 64 KB buffer is the only one, as in lrn-img
  std::FILE* out = std::fopen(argv[2], "wb");
  if (!out) usage("cannot open the output");
  std::vector<char> out_buffer(kWriteBuffer);
  std::setvbuf(out, out_buffer.data(), _IOFBF, out_buffer.size());

  jpeg_error_mgr derr, cerr;
  jpeg_decompress_struct d;
  d.err = jpeg_std_error(&derr);
  jpeg_create_decompress(&d);
  Source src;
  src.file = in;
  src.pub.next_input_byte = nullptr;
  src.pub.bytes_in_buffer = 0;
  src.pub.init_source = init_source;
  src.pub.fill_input_buffer = fill_input_buffer;
  src.pub.skip_input_data = skip_input_data;
  src.pub.resync_to_restart = jpeg_resync_to_restart;
  src.pub.term_source = term_source;
  d.src = &src.pub;
  jpeg_read_header(&d, TRUE);
  const bool grey = d.jpeg_color_space == JCS_GRAYSCALE;
  if (!grey && d.jpeg_color_space != JCS_YCbCr && d.jpeg_color_space != JCS_RGB)
    usage("only grey, YCbCr and RGB JPEGs");
  d.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;  // everything else: libjpeg's defaults
  jpeg_start_decompress(&d);

  jpeg_compress_struct c;
  c.err = jpeg_std_error(&cerr);
  jpeg_create_compress(&c);
  jpeg_stdio_dest(&c, out);
  c.image_width = d.output_width;
  c.image_height = d.output_height;
  c.input_components = d.output_components;
  c.in_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, quality, TRUE);
  if (!grey) {
    c.comp_info[0].h_samp_factor = c.comp_info[0].v_samp_factor = 2;
    for (int i = 1; i < 3; ++i) c.comp_info[i].h_samp_factor = c.comp_info[i].v_samp_factor = 1;
  }
  c.optimize_coding = FALSE;
  jpeg_start_compress(&c, TRUE);

  const std::size_t row_bytes = std::size_t{d.output_width} * d.output_components;
  std::vector<JSAMPLE> rows(row_bytes * kBlockRows);
  JSAMPROW ptrs[kBlockRows];
  for (JDIMENSION i = 0; i < kBlockRows; ++i) ptrs[i] = rows.data() + i * row_bytes;
  while (d.output_scanline < d.output_height) {
    const JDIMENSION want = std::min<JDIMENSION>(kBlockRows, d.output_height - d.output_scanline);
    JDIMENSION got = 0;
    while (got < want) got += jpeg_read_scanlines(&d, ptrs + got, want - got);
    JDIMENSION put = 0;
    while (put < got) put += jpeg_write_scanlines(&c, ptrs + put, got - put);
  }
  jpeg_finish_decompress(&d);
  jpeg_finish_compress(&c);
  jpeg_destroy_decompress(&d);
  jpeg_destroy_compress(&c);
  std::fclose(in);
  if (std::fclose(out) != 0) usage("cannot write the output");
  return 0;
}
