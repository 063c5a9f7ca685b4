// Floor for TIFF runs (bench/bench_formats.sh): libtiff read + write of the same image with
// lrn-img's settings (deflate at libtiff's default level 6, horizontal predictor for integers,
// ~256 KB strips), no LRN. Usage: tiff_copy IN.tif OUT.tif [--scanline]
//
// By default it does what lrn-img does: reads and writes whole strips (TIFFReadEncodedStrip,
// TIFFWriteEncodedStrip), for which libtiff 4.5 built with libdeflate (Debian's is) encodes and
// decodes with libdeflate. --scanline reads and writes row by row (TIFFReadScanline,
// TIFFWriteScanline), the way lrn-img wrote before 2026-11-30: then libtiff feeds zlib a row at
// a time. Both write the same scheme (Adobe deflate), predictor and level.
#include <tiffio.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

int main(int argc, char** argv) {
  const bool scanline = argc == 4 && std::strcmp(argv[3], "--scanline") == 0;
  if (argc != 3 && !scanline) {
    std::fprintf(stderr, "usage: tiff_copy IN.tif OUT.tif [--scanline]\n");
    return 2;
  }
  TIFF* in = TIFFOpen(argv[1], "r");
  if (!in) return 1;
  std::uint32_t w = 0, h = 0, in_rps = 0;
  std::uint16_t spp = 1, bps = 8, format = SAMPLEFORMAT_UINT, planar = PLANARCONFIG_CONTIG;
  TIFFGetField(in, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(in, TIFFTAG_IMAGELENGTH, &h);
  TIFFGetFieldDefaulted(in, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(in, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(in, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted(in, TIFFTAG_ROWSPERSTRIP, &in_rps);
  TIFFGetFieldDefaulted(in, TIFFTAG_PLANARCONFIG, &planar);
  if (TIFFIsTiled(in) || planar != PLANARCONFIG_CONTIG) {
    std::fprintf(stderr, "tiff_copy: contiguous strips only\n");
    return 1;
  }
  TIFF* out = TIFFOpen(argv[2], "w");
  if (!out) return 1;
  TIFFSetField(out, TIFFTAG_IMAGEWIDTH, w);
  TIFFSetField(out, TIFFTAG_IMAGELENGTH, h);
  TIFFSetField(out, TIFFTAG_SAMPLESPERPIXEL, spp);
  TIFFSetField(out, TIFFTAG_BITSPERSAMPLE, bps);
  TIFFSetField(out, TIFFTAG_SAMPLEFORMAT, format);
  TIFFSetField(out, TIFFTAG_PHOTOMETRIC, spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK);
  TIFFSetField(out, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  TIFFSetField(out, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  if (format != SAMPLEFORMAT_IEEEFP) TIFFSetField(out, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
  const std::size_t row_bytes = static_cast<std::size_t>(w) * spp * (bps / 8);
  const std::size_t rows = std::clamp<std::size_t>((256 * 1024) / row_bytes, 1, h);
  TIFFSetField(out, TIFFTAG_ROWSPERSTRIP, static_cast<std::uint32_t>(rows));
  if (scanline) {
    std::vector<std::uint8_t> row(row_bytes);
    for (std::uint32_t y = 0; y < h; ++y) {
      if (TIFFReadScanline(in, row.data(), y, 0) != 1) return 1;
      if (TIFFWriteScanline(out, row.data(), y, 0) != 1) return 1;
    }
  } else {
    // Input strips decoded whole into a band, output strips encoded whole from it.
    const std::size_t in_rows = std::clamp<std::size_t>(in_rps, 1, h);
    std::vector<std::uint8_t> band(in_rows * row_bytes), strip(rows * row_bytes);
    std::size_t band_first = 0, band_rows = 0, filled = 0;
    std::uint32_t out_strip = 0;
    for (std::uint32_t y = 0; y < h; ++y) {
      if (y >= band_first + band_rows) {
        band_first = y;
        band_rows = std::min<std::size_t>(in_rows, h - y);
        const auto want = static_cast<tmsize_t>(band_rows * row_bytes);
        if (TIFFReadEncodedStrip(in, TIFFComputeStrip(in, y, 0), band.data(), want) != want)
          return 1;
      }
      std::memcpy(strip.data() + filled * row_bytes, band.data() + (y - band_first) * row_bytes,
                  row_bytes);
      if (++filled == rows || y + 1 == h) {
        const auto size = static_cast<tmsize_t>(filled * row_bytes);
        if (TIFFWriteEncodedStrip(out, out_strip++, strip.data(), size) != size) return 1;
        filled = 0;
      }
    }
  }
  TIFFClose(in);
  TIFFClose(out);
  return 0;
}
