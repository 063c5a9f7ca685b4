// The codec table (codec_table.h): one row per format, and the lists derived from it.
#include "image/codec_table.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "image/codecs.h"
#include "image/orient.h"

namespace lrn {
namespace {

bool starts(const std::vector<std::uint8_t>& h, const char* magic, std::size_t n) {
  return h.size() >= n && std::memcmp(h.data(), magic, n) == 0;
}

bool sniff_jpeg(const std::vector<std::uint8_t>& h) { return starts(h, "\xFF\xD8\xFF", 3); }
bool sniff_png(const std::vector<std::uint8_t>& h) { return starts(h, "\x89PNG\r\n\x1A\n", 8); }
bool sniff_npy(const std::vector<std::uint8_t>& h) { return starts(h, "\x93NUMPY", 6); }

// JPEG's reader applies the EXIF orientation unless asked not to.
std::unique_ptr<ImageReader> jpeg_reader(std::unique_ptr<ByteSource> src,
                                         const DecodeOptions& opt) {
  auto reader = open_jpeg_reader(std::move(src), opt);
  if (!opt.auto_orient) return reader;
  const int orientation = reader->orientation();
  return oriented(std::move(reader), orientation);
}

std::unique_ptr<ImageWriter> png_writer(ByteSink& sink, const ImageInfo& info,
                                        const EncodeOptions& opt) {
  return open_png_writer(sink, info, opt.metadata);
}

constexpr unsigned k8 = type_bit(SampleType::U8);
constexpr unsigned k16 = type_bit(SampleType::U16);
constexpr unsigned kGrayRgb = colors_bit(1) | colors_bit(3);
constexpr unsigned k1to4 = colors_bit(1) | colors_bit(2) | colors_bit(3) | colors_bit(4);

// format, name, extensions, sniff, reader, writer,
// out_colors, colors_text, out_alpha, out_types, batches, quality, clamps,
// values_as_stored, streams, multi_page, metadata
const Codec kJpeg = {Format::Jpeg,
                     "JPEG",
                     {"jpg", "jpeg", nullptr},
                     sniff_jpeg,
                     jpeg_reader,
                     open_jpeg_writer,
                     kGrayRgb,
                     "JPEG holds 1 or 3 channels",
                     false,
                     k8,
                     false,
                     true,
                     true,
                     false,
                     true,
                     false,
                     kExif | kIcc};
const Codec kPng = {Format::Png,
                    "PNG",
                    {"png", nullptr},
                    sniff_png,
                    open_png_reader,
                    png_writer,
                    k1to4,
                    "PNG holds 1 to 4 channels",
                    true,
                    k8 | k16,
                    false,
                    false,
                    true,
                    false,
                    true,
                    false,
                    kExif | kIcc};
const Codec kPnm = {Format::Pnm,
                    "PNM",
                    {"pnm", "ppm", "pgm", nullptr},
                    sniff_pnm,
                    open_pnm_reader,
                    open_pnm_writer,
                    kGrayRgb,
                    "PNM (PGM, PPM) holds 1 or 3 channels",
                    false,
                    k8 | k16,
                    false,
                    false,
                    true,
                    false,
                    true,
                    false};
const Codec kTiff = {Format::Tiff,
                     "TIFF",
                     {"tif", "tiff", nullptr},
                     sniff_tiff,
                     open_tiff_reader,
                     open_tiff_writer,
                     k1to4,
                     "TIFF holds 1 to 4 channels",
                     true,
                     k8 | k16 | type_bit(SampleType::F32),
                     false,
                     false,
                     true,
                     false,
                     true,
                     true,
                     kExif | kIcc};
const Codec kWebp = {Format::Webp,
                     "WebP",
                     {"webp", nullptr},
                     sniff_webp,
                     open_webp_reader,
                     open_webp_writer,
                     kGrayRgb,
                     "WebP holds grey (as RGB) or RGB",
                     true,
                     k8,
                     false,
                     true,
                     true,
                     false,
                     false,
                     true,
                     kExif | kIcc};
const Codec kNpy = {Format::Npy,
                    ".npy",
                    {"npy", nullptr},
                    sniff_npy,
                    open_npy_reader,
                    open_npy_writer,
                    0,
                    "",
                    true,
                    type_bit(SampleType::F32) | type_bit(SampleType::F16),
                    true,
                    false,
                    false,
                    true,
                    true,
                    false};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string join(const std::vector<std::string>& items, const std::string& sep,
                 const std::string& last) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? last : sep;
    out += items[i];
  }
  return out;
}

}  // namespace

const std::vector<const Codec*>& codecs() {
  static const std::vector<const Codec*> table = {&kJpeg, &kPng, &kPnm, &kTiff, &kWebp, &kNpy};
  return table;
}

const Codec& codec_of(Format f) {
  for (const Codec* c : codecs())
    if (c->format == f) return *c;
  return kNpy;  // unreachable: every Format has a row (tests/test_codecs.cpp)
}

const Codec* codec_by_extension(const std::string& ext) {
  const std::string e = lower(ext);
  for (const Codec* c : codecs())
    for (const char* x : c->extensions)
      if (x && e == x) return c;
  return nullptr;
}

std::string readable_names() {
  return codec_names([](const Codec& c) { return c.open_reader != nullptr; });
}

std::string codec_names(bool (*pick)(const Codec&)) {
  std::vector<std::string> names;
  for (const Codec* c : codecs())
    if (pick(*c)) names.push_back(c->name);
  return join(names, ", ", " and ");
}

std::string output_extensions(const std::string& last, const std::string& prefix) {
  std::vector<std::string> exts;
  for (const Codec* c : codecs())
    if (c->open_writer) exts.push_back(prefix + c->extensions[0]);
  if (last == "|") return join(exts, "|", "|");
  return join(exts, ", ", " " + last + " ");
}

std::vector<std::string> all_extensions() {
  std::vector<std::string> out;
  for (const Codec* c : codecs())
    for (const char* x : c->extensions)
      if (x) out.push_back(x);
  return out;
}

}  // namespace lrn
