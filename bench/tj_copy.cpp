// The whole-image way: TurboJPEG decode to one RGB buffer, then encode it again.
//
// Usage: tj_copy IN.jpg OUT.jpg [-q QUALITY]
//
// What a program built on TurboJPEG's whole-image API costs: the file is read into memory,
// tjDecompress2 makes the full RGB image, tjCompress2 encodes it (quality 90 by default,
// TJSAMP_420), and the result is written in one go. Flags 0: accurate integer DCT and fancy
// upsampling, the same maths as lrn-img.s libjpeg settings (see jpeg_copy.cpp).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <turbojpeg.h>

namespace {

constexpr int kFlags = TJFLAG_ACCURATEDCT;

[[noreturn]] void fail(const char* why, tjhandle h = nullptr) {
  std::fprintf(stderr, "tj_copy: %s%s%s\n", why, h ? ": " : "", h ? tjGetErrorStr2(h) : "");
  std::exit(h ? 1 : 2);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 5) fail("usage: tj_copy IN.jpg OUT.jpg [-q QUALITY]");
  int quality = 90;
  if (argc == 5) {
    if (std::strcmp(argv[3], "-q") != 0) fail("unknown option");
    quality = std::atoi(argv[4]);
    if (quality < 1 || quality > 100) fail("quality must be 1..100");
  }

  std::FILE* in = std::fopen(argv[1], "rb");
  if (!in) fail("cannot open the input");
  std::fseek(in, 0, SEEK_END);
  const long size = std::ftell(in);
  std::fseek(in, 0, SEEK_SET);
  if (size <= 0) fail("empty input");
  std::vector<unsigned char> jpeg(static_cast<std::size_t>(size));
  if (std::fread(jpeg.data(), 1, jpeg.size(), in) != jpeg.size()) fail("cannot read the input");
  std::fclose(in);

  tjhandle dec = tjInitDecompress();
  if (!dec) fail("tjInitDecompress failed");
  int width = 0, height = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3(dec, jpeg.data(), jpeg.size(), &width, &height, &subsamp, &colorspace) !=
      0)
    fail("tjDecompressHeader3", dec);
  std::vector<unsigned char> rgb(static_cast<std::size_t>(width) * height * 3);
  if (tjDecompress2(dec, jpeg.data(), jpeg.size(), rgb.data(), width, 0, height, TJPF_RGB,
                    kFlags) != 0)
    fail("tjDecompress2", dec);
  tjDestroy(dec);

  tjhandle enc = tjInitCompress();
  if (!enc) fail("tjInitCompress failed");
  unsigned char* out_jpeg = nullptr;  // TurboJPEG allocates (and grows) it
  unsigned long out_size = 0;
  if (tjCompress2(enc, rgb.data(), width, 0, height, TJPF_RGB, &out_jpeg, &out_size, TJSAMP_420,
                  quality, kFlags) != 0)
    fail("tjCompress2", enc);
  tjDestroy(enc);

  std::FILE* out = std::fopen(argv[2], "wb");
  if (!out) fail("cannot open the output");
  if (std::fwrite(out_jpeg, 1, out_size, out) != out_size || std::fclose(out) != 0)
    fail("cannot write the output");
  tjFree(out_jpeg);
  return 0;
}
