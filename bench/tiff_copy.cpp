// Floor for TIFF runs (bench/bench_formats.sh): libtiff read + write of the same image with
// lrn-img's settings (deflate, horizontal predictor for integers, ~256 KB strips), row by row,
// no LRN. Usage: tiff_copy IN.tif OUT.tif
#include <tiffio.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: tiff_copy IN.tif OUT.tif\n");
    return 2;
  }
  TIFF* in = TIFFOpen(argv[1], "r");
  if (!in) return 1;
  std::uint32_t w = 0, h = 0;
  std::uint16_t spp = 1, bps = 8, format = SAMPLEFORMAT_UINT;
  TIFFGetField(in, TIFFTAG_IMAGEWIDTH, &w);
  TIFFGetField(in, TIFFTAG_IMAGELENGTH, &h);
  TIFFGetFieldDefaulted(in, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted(in, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted(in, TIFFTAG_SAMPLEFORMAT, &format);
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
  std::vector<std::uint8_t> row(row_bytes);
  for (std::uint32_t y = 0; y < h; ++y) {
    if (TIFFReadScanline(in, row.data(), y, 0) != 1) return 1;
    if (TIFFWriteScanline(out, row.data(), y, 0) != 1) return 1;
  }
  TIFFClose(in);
  TIFFClose(out);
  return 0;
}
