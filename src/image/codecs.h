// Per-codec entry points behind format.h's factories. Internal to lrn_io.
#pragma once

#include <memory>

#include "image/format.h"

namespace lrn {

std::unique_ptr<ImageReader> open_jpeg_reader(std::unique_ptr<ByteSource> src,
                                              const DecodeOptions& opt);
std::unique_ptr<ImageWriter> open_jpeg_writer(ByteSink& sink, const ImageInfo& info,
                                              const EncodeOptions& opt = {});

std::unique_ptr<ImageReader> open_png_reader(std::unique_ptr<ByteSource> src,
                                             const DecodeOptions& opt);
/// `metadata`: EXIF and ICC to store (eXIf, iCCP), or nullptr; must outlive the writer.
std::unique_ptr<ImageWriter> open_png_writer(ByteSink& sink, const ImageInfo& info,
                                             const Metadata* metadata = nullptr);

std::unique_ptr<ImageReader> open_npy_reader(std::unique_ptr<ByteSource> src,
                                             const DecodeOptions& opt);
std::unique_ptr<ImageWriter> open_npy_writer(ByteSink& sink, const ImageInfo& info,
                                             const EncodeOptions& opt = {});

/// Binary PGM/PPM (P5, P6) and its signature test (the magic, then white space).
bool sniff_pnm(const std::vector<std::uint8_t>& head);
std::unique_ptr<ImageReader> open_pnm_reader(std::unique_ptr<ByteSource> src,
                                             const DecodeOptions& opt);
std::unique_ptr<ImageWriter> open_pnm_writer(ByteSink& sink, const ImageInfo& info,
                                             const EncodeOptions& opt);

/// TIFF through libtiff (tiff.cpp) and its signature test (II*, MM*, and BigTIFF's II+, MM+).
bool sniff_tiff(const std::vector<std::uint8_t>& head);
std::unique_ptr<ImageReader> open_tiff_reader(std::unique_ptr<ByteSource> src,
                                              const DecodeOptions& opt);
std::unique_ptr<ImageWriter> open_tiff_writer(ByteSink& sink, const ImageInfo& info,
                                              const EncodeOptions& opt);

/// WebP through libwebp (webp.cpp) and its signature test (RIFF, then WEBP at byte 8).
bool sniff_webp(const std::vector<std::uint8_t>& head);
std::unique_ptr<ImageReader> open_webp_reader(std::unique_ptr<ByteSource> src,
                                              const DecodeOptions& opt);
std::unique_ptr<ImageWriter> open_webp_writer(ByteSink& sink, const ImageInfo& info,
                                              const EncodeOptions& opt);

}  // namespace lrn

namespace lrn {

/// Throws FileError "cannot decode 'name': ..." when width or height is 0 or when
/// width * height exceeds max_pixels. Codecs call it right after reading the header.
void check_dimensions(const std::string& name, std::uint64_t width, std::uint64_t height,
                      std::uint64_t max_pixels);

/// Throws FileError "cannot decode 'name': a row of N bytes is over the limit of M ..." when
/// row_bytes exceeds max_row_bytes. Codecs call it before allocating anything row-sized.
void check_row_bytes(const std::string& name, std::uint64_t row_bytes, std::uint64_t max_row_bytes);

}  // namespace lrn
