// Format names, sniffing, and the factories that hand a stream to the right codec.
#include <algorithm>
#include <cctype>

#include "image/codecs.h"
#include "image/orient.h"
#include "image/signatures.h"

namespace lrn {

const char* format_name(Format f) {
  switch (f) {
    case Format::Jpeg: return "JPEG";
    case Format::Png: return "PNG";
    case Format::Npy: return ".npy";
  }
  return "?";
}

std::size_t sample_size(SampleType t) {
  switch (t) {
    case SampleType::U8: return 1;
    case SampleType::U16: return 2;
    case SampleType::F16: return 2;
    case SampleType::F32: return 4;
    case SampleType::F64: return 8;
  }
  return 1;
}

std::optional<Format> sniff_format(const std::vector<std::uint8_t>& h) {
  auto starts = [&](std::initializer_list<std::uint8_t> magic) {
    return h.size() >= magic.size() && std::equal(magic.begin(), magic.end(), h.begin());
  };
  if (starts({0xFF, 0xD8, 0xFF})) return Format::Jpeg;
  if (starts({0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) return Format::Png;
  if (starts({0x93, 'N', 'U', 'M', 'P', 'Y'})) return Format::Npy;
  return std::nullopt;
}

std::optional<Format> format_from_extension(const std::string& path) {
  const auto dot = path.find_last_of('.');
  const auto slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == "jpg" || ext == "jpeg") return Format::Jpeg;
  if (ext == "png") return Format::Png;
  if (ext == "npy") return Format::Npy;
  return std::nullopt;
}

std::unique_ptr<ImageReader> open_reader(std::unique_ptr<ByteSource> src,
                                         const DecodeOptions& opt) {
  const auto head = src->peek(kSniffBytes);
  if (head.empty()) throw FileError("cannot decode " + quoted(src->name()) + ": the file is empty",
                    src->name());
  const auto format = sniff_format(head);
  if (!format) {
    if (const Signature* s = unsupported_format(head))
      throw FileError(unsupported_message(src->name(), *s));
    throw FileError("cannot decode " + quoted(src->name()) + ": not an image; lrn-img reads JPEG, PNG and .npy",
                    src->name());
  }
  switch (*format) {
    case Format::Jpeg: {
      auto reader = open_jpeg_reader(std::move(src), opt);
      if (!opt.auto_orient) return reader;
      const int orientation = reader->orientation();
      return oriented(std::move(reader), orientation);
    }
    case Format::Png: return open_png_reader(std::move(src), opt);
    case Format::Npy: return open_npy_reader(std::move(src), opt);
  }
  return nullptr;
}

std::unique_ptr<ImageWriter> open_writer(Format f, ByteSink& sink, const ImageInfo& info,
                                         const EncodeOptions& opt) {
  switch (f) {
    case Format::Jpeg: return open_jpeg_writer(sink, info, opt);
    case Format::Png: return open_png_writer(sink, info);
    case Format::Npy: return open_npy_writer(sink, info, opt);
  }
  return nullptr;
}

}  // namespace lrn

namespace lrn {

void check_dimensions(const std::string& name, std::uint64_t width, std::uint64_t height,
                      std::uint64_t max_pixels) {
  if (width == 0 || height == 0)
    throw FileError("cannot decode " + quoted(name) + ": the image has no pixels (" +
                    std::to_string(width) + "x" + std::to_string(height) + ")",
                    name);
  // Compare without overflowing: width * height > max  <=>  width > max / height (rounded).
  if (width > max_pixels / height) {
    std::uint64_t pixels;
    if (__builtin_mul_overflow(width, height, &pixels)) pixels = UINT64_MAX;
    throw LimitExceeded("cannot decode " + quoted(name) + ": " + std::to_string(width) + "x" +
                            std::to_string(height) + " is over the pixel budget of " +
                            std::to_string(max_pixels) + " pixels (raise it with " +
                            param("max_pixels") + ")",
                        name, lrn_img::Limit::Pixels, pixels, max_pixels);
  }
}

void check_row_bytes(const std::string& name, std::uint64_t row_bytes,
                     std::uint64_t max_row_bytes) {
  if (row_bytes <= max_row_bytes) return;
  throw LimitExceeded("cannot decode " + quoted(name) + ": a row of " + std::to_string(row_bytes) +
                          " bytes is over the limit of " + std::to_string(max_row_bytes) +
                          " (raise it with " + param("max_row_bytes") + ")",
                      name, lrn_img::Limit::RowBytes, row_bytes, max_row_bytes);
}

}  // namespace lrn
