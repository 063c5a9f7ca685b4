// Format names, sniffing, and the factories that hand a stream to the right codec: all
// through the codec table (codec_table.h).
#include "image/codec_table.h"
#include "image/signatures.h"

namespace lrn {

const char* format_name(Format f) { return codec_of(f).name; }

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

std::optional<Format> sniff_format(const std::vector<std::uint8_t>& head) {
  for (const Codec* c : codecs())
    if (c->sniff(head)) return c->format;
  return std::nullopt;
}

std::optional<Format> format_from_extension(const std::string& path) {
  const auto dot = path.find_last_of('.');
  const auto slash = path.find_last_of('/');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return std::nullopt;
  if (const Codec* c = codec_by_extension(path.substr(dot + 1))) return c->format;
  return std::nullopt;
}

std::unique_ptr<ImageReader> open_reader(std::unique_ptr<ByteSource> src,
                                         const DecodeOptions& opt) {
  const auto head = src->peek(kSniffBytes);
  if (head.empty())
    throw FileError("cannot decode " + quoted(src->name()) + ": the file is empty", src->name());
  const auto format = sniff_format(head);
  if (!format) {
    if (const Signature* s = unsupported_format(head))
      throw FileError(unsupported_message(src->name(), *s));
    throw FileError("cannot decode " + quoted(src->name()) + ": not an image; lrn-img reads " +
                        readable_names(),
                    src->name());
  }
  return codec_of(*format).open_reader(std::move(src), opt);
}

std::unique_ptr<ImageWriter> open_writer(Format f, ByteSink& sink, const ImageInfo& info,
                                         const EncodeOptions& opt) {
  return codec_of(f).open_writer(sink, info, opt);
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
