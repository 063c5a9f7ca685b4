// Floor for WebP runs (bench/bench_formats.sh): libwebp decode + lossy encode of the same
// image at lrn-img's default quality (90) through the same simple API, no LRN.
// Usage: webp_copy IN.webp OUT.webp [QUALITY]
#include <webp/decode.h>
#include <webp/encode.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: webp_copy IN.webp OUT.webp [QUALITY]\n");
    return 2;
  }
  std::FILE* f = std::fopen(argv[1], "rb");
  if (!f) return 1;
  std::vector<unsigned char> data;
  unsigned char buf[1 << 16];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;)
    data.insert(data.end(), buf, buf + n);
  std::fclose(f);
  int w = 0, h = 0;
  std::uint8_t* rgb = WebPDecodeRGB(data.data(), data.size(), &w, &h);
  if (!rgb) return 1;
  std::uint8_t* out = nullptr;
  const float q = argc > 3 ? static_cast<float>(std::atof(argv[3])) : 90.0f;
  const std::size_t size = WebPEncodeRGB(rgb, w, h, w * 3, q, &out);
  WebPFree(rgb);
  if (!size) return 1;
  std::FILE* o = std::fopen(argv[2], "wb");
  if (!o || std::fwrite(out, 1, size, o) != size) return 1;
  std::fclose(o);
  WebPFree(out);
  return 0;
}
