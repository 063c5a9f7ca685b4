// JPEG codec: ImageMagick fixtures (baseline, progressive, gray, CMYK), round trips through our
// writer within JPEG's tolerance, and damaged or hostile files.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "image/codecs.h"
#include "support.h"

namespace {

using lrn::DecodeOptions;
using lrn::FileError;
using lrn::ImageInfo;
using lrn::SampleType;
using Bytes = std::vector<std::uint8_t>;

struct Decoded : lrn_test::DecodedImage {
  int at(std::size_t x, std::size_t y, std::size_t c) const {
    return pixels[(y * info.width + x) * info.channels + c];
  }
};

Decoded decode(const Bytes& bytes, DecodeOptions opt = {}, const std::string& name = "t.jpg") {
  return {lrn_test::decode_in_two_reads(lrn::open_jpeg_reader, bytes, std::move(opt), name, 3)};
}

Bytes fixture(const std::string& name) { return lrn_test::read_bytes(lrn_test::data_path(name)); }

DecodeOptions lenient() {
  DecodeOptions opt;
  opt.lenient = true;
  return opt;
}

Bytes encode(const ImageInfo& info, const Bytes& pixels, int quality = 90) {
  lrn::MemorySink sink("out.jpg");
  lrn::EncodeOptions opt;
  opt.quality = quality;
  auto writer = lrn::open_jpeg_writer(sink, info, opt);
  writer->write_rows(pixels.data(), info.height);
  writer->finish();
  return sink.bytes;
}

// Smooth content, which JPEG keeps well: each channel a different gentle diagonal ramp
// (at most 2 levels a pixel, so 4:2:0 chroma loses little even on tiny images).
Bytes gradient(const ImageInfo& info) {
  Bytes b(info.row_bytes() * info.height);
  for (std::size_t y = 0; y < info.height; ++y)
    for (std::size_t x = 0; x < info.width; ++x)
      for (std::size_t c = 0; c < info.channels; ++c)
        b[(y * info.width + x) * info.channels + c] = static_cast<std::uint8_t>(
            std::min<std::size_t>(40 + (x * (c + 1) + y * (3 - c)) / 2, 255));
  return b;
}

// Offset of the first marker `code` (FF code).
std::size_t find_marker(const Bytes& jpg, std::uint8_t code) {
  for (std::size_t i = 0; i + 1 < jpg.size(); ++i)
    if (jpg[i] == 0xFF && jpg[i + 1] == code) return i;
  FAIL("no marker " << int(code));
  return 0;
}

// Rewrites the frame header's height and width (SOF0 or SOF2).
Bytes with_size(Bytes jpg, unsigned w, unsigned h) {
  std::size_t sof = 0;
  for (std::size_t i = 0; i + 1 < jpg.size(); ++i)
    if (jpg[i] == 0xFF && (jpg[i + 1] == 0xC0 || jpg[i + 1] == 0xC2)) {
      sof = i;
      break;
    }
  REQUIRE(sof > 0);
  jpg[sof + 5] = static_cast<std::uint8_t>(h >> 8);
  jpg[sof + 6] = static_cast<std::uint8_t>(h);
  jpg[sof + 7] = static_cast<std::uint8_t>(w >> 8);
  jpg[sof + 8] = static_cast<std::uint8_t>(w);
  return jpg;
}

// The four 16x16 quadrants of the fixtures, sampled at their centres.
void check_quadrants(const Decoded& d, const std::vector<std::vector<int>>& expected, int tol) {
  const std::size_t xy[4][2] = {{8, 8}, {24, 8}, {8, 24}, {24, 24}};
  for (std::size_t q = 0; q < 4; ++q)
    for (std::size_t c = 0; c < d.info.channels; ++c) {
      INFO("quadrant " << q << " channel " << c);
      CHECK(std::abs(d.at(xy[q][0], xy[q][1], c) - expected[q][c]) <= tol);
    }
}

}  // namespace

TEST_CASE("JPEG fixtures decode with the expected shape and colours", "[image][jpeg]") {
  // Expected values: ImageMagick's  convert f.jpg -format '%[pixel:p{8,8}] ...' info:
  SECTION("baseline 4:2:0") {
    const auto d = decode(fixture("jpeg_baseline.jpg"));
    CHECK(d.info.width == 32);
    CHECK(d.info.height == 32);
    CHECK(d.info.channels == 3);
    CHECK(d.info.type == SampleType::U8);
    CHECK_FALSE(d.info.has_alpha);
    check_quadrants(d, {{200, 40, 40}, {40, 160, 60}, {50, 71, 199}, {128, 128, 128}}, 2);
    CHECK(d.warnings.empty());
  }
  SECTION("progressive") {
    const auto d = decode(fixture("jpeg_progressive.jpg"));
    CHECK(d.info.channels == 3);
    check_quadrants(d, {{200, 40, 40}, {40, 160, 60}, {50, 71, 199}, {128, 128, 128}}, 2);
    CHECK(d.pixels == decode(fixture("jpeg_baseline.jpg")).pixels);
  }
  SECTION("grayscale gives one channel") {
    const auto d = decode(fixture("jpeg_gray.jpg"));
    CHECK(d.info.channels == 1);
    check_quadrants(d, {{77}, {153}, {204}, {255}}, 2);
  }
  SECTION("CMYK (Adobe, inverted) is converted to RGB with a warning") {
    const auto d = decode(fixture("jpeg_cmyk.jpg"), {}, "c.jpg");
    CHECK(d.info.channels == 3);
    CHECK_FALSE(d.info.has_alpha);
    // ImageMagick reads cmyk(0,204,203,55) etc.; RGB = (255-C)(255-K)/255 per channel.
    check_quadrants(d, {{200, 40, 41}, {40, 160, 60}, {50, 70, 200}, {128, 128, 128}}, 3);
    CHECK(d.warnings == std::vector<std::string>{"'c.jpg': CMYK converted to RGB"});
  }
}

TEST_CASE("JPEG round trip through our writer stays within tolerance", "[image][jpeg]") {
  const std::size_t channels = GENERATE(1, 3);
  const auto size = GENERATE(std::make_pair(1, 1), std::make_pair(2, 3), std::make_pair(17, 9),
                             std::make_pair(64, 48));
  const ImageInfo info{std::size_t(size.first), std::size_t(size.second), channels, false,
                       SampleType::U8};
  const Bytes pixels = gradient(info);
  const auto d = decode(encode(info, pixels, 95));
  CHECK(d.info.width == info.width);
  CHECK(d.info.height == info.height);
  CHECK(d.info.channels == channels);
  int worst = 0;
  for (std::size_t i = 0; i < pixels.size(); ++i)
    worst = std::max(worst, std::abs(int(pixels[i]) - int(d.pixels[i])));
  CHECK(worst <= 4);
  CHECK(d.warnings.empty());
}

TEST_CASE("JPEG writer: quality changes the size, gray stays one component", "[image][jpeg]") {
  const ImageInfo rgb{64, 64, 3, false, SampleType::U8};
  CHECK(encode(rgb, gradient(rgb), 30).size() < encode(rgb, gradient(rgb), 95).size());
  const ImageInfo gray{64, 64, 1, false, SampleType::U8};
  const Bytes jpg = encode(gray, gradient(gray));
  const std::size_t sof = find_marker(jpg, 0xC0);  // baseline frame
  CHECK(jpg[sof + 9] == 1);                        // number of components
  CHECK(find_marker(jpg, 0xE0) == 2);              // JFIF APP0 right after SOI
}

TEST_CASE("JPEG writer refuses what JPEG cannot hold", "[image][jpeg]") {
  lrn::MemorySink sink("out.jpg");
  auto refuse = [&](const ImageInfo& info, const char* why) {
    CHECK_THROWS_WITH(lrn::open_jpeg_writer(sink, info, {}),
                      Catch::Contains("cannot write 'out.jpg'") && Catch::Contains(why));
  };
  refuse({4, 4, 3, false, SampleType::U16}, "8-bit samples only");
  refuse({4, 4, 3, false, SampleType::F32}, "8-bit samples only");
  refuse({4, 4, 4, true, SampleType::U8}, "alpha");
  refuse({4, 4, 2, true, SampleType::U8}, "alpha");
  refuse({4, 4, 2, false, SampleType::U8}, "1 (gray) or 3 (RGB) channels");
  refuse({70000, 4, 3, false, SampleType::U8}, "65500 pixels a side");
  CHECK(sink.bytes.empty());
}

TEST_CASE("JPEG truncated: an error by default, decoded with a warning when lenient",
          "[image][jpeg]") {
  SECTION("baseline cut inside the scan") {
    const ImageInfo info{128, 96, 3, false, SampleType::U8};
    Bytes jpg = encode(info, gradient(info));
    jpg.resize(jpg.size() * 2 / 3);
    CHECK_THROWS_WITH(decode(jpg), "cannot decode 't.jpg': premature end of JPEG file");
    const auto d = decode(jpg, lenient());
    REQUIRE(d.warnings.size() == 1);
    CHECK(d.warnings[0] ==
          "'t.jpg': premature end of JPEG file (decoded anyway, the image is damaged)");
    CHECK(d.info.height == 96);
  }
  SECTION("progressive cut after the first (DC) scan") {
    Bytes jpg = fixture("jpeg_progressive.jpg");
    std::size_t cut = find_marker(jpg, 0xDA) + 2;
    while (!(jpg[cut] == 0xFF && jpg[cut + 1] == 0xC4)) ++cut;  // the next scan's tables
    jpg.resize(cut);
    CHECK_THROWS_WITH(decode(jpg), "cannot decode 't.jpg': premature end of JPEG file");
    const auto d = decode(jpg, lenient());
    CHECK(d.warnings.size() == 1);
    // The first scan holds only each block's mean, at reduced precision (successive
    // approximation): each quadrant comes out nearer its own colour than any other's.
    const int colours[4][3] = {{200, 40, 40}, {40, 160, 60}, {50, 71, 199}, {128, 128, 128}};
    const std::size_t xy[4][2] = {{8, 8}, {24, 8}, {8, 24}, {24, 24}};
    for (int q = 0; q < 4; ++q) {
      int nearest = 0, best = 1 << 30;
      for (int k = 0; k < 4; ++k) {
        int dist = 0;
        for (int c = 0; c < 3; ++c) dist += std::abs(d.at(xy[q][0], xy[q][1], c) - colours[k][c]);
        if (dist < best) best = dist, nearest = k;
      }
      CHECK(nearest == q);
    }
  }
  SECTION("cut just before EOI") {
    Bytes jpg = fixture("jpeg_baseline.jpg");
    jpg.resize(jpg.size() - 2);
    CHECK_THROWS_WITH(decode(jpg), "cannot decode 't.jpg': premature end of JPEG file");
    CHECK(decode(jpg, lenient()).pixels == decode(fixture("jpeg_baseline.jpg")).pixels);
  }
}

TEST_CASE("JPEG corrupt entropy data: an error by default, a warning when lenient",
          "[image][jpeg]") {
  const ImageInfo info{128, 96, 3, false, SampleType::U8};
  Bytes jpg = encode(info, gradient(info));
  // A restart marker where none can be: libjpeg loses sync in the middle of the scan.
  const std::size_t sos = find_marker(jpg, 0xDA);
  const std::size_t mid = sos + (jpg.size() - sos) / 2;
  jpg.insert(jpg.begin() + static_cast<std::ptrdiff_t>(mid), {0xFF, 0xD3});
  CHECK_THROWS_WITH(decode(jpg), Catch::StartsWith("cannot decode 't.jpg': corrupt JPEG data"));
  const auto d = decode(jpg, lenient());
  REQUIRE_FALSE(d.warnings.empty());
  CHECK_THAT(d.warnings[0], Catch::Contains("decoded anyway"));
}

TEST_CASE("JPEG benign warnings do not stop decoding", "[image][jpeg]") {
  Bytes jpg = fixture("jpeg_baseline.jpg");
  // Stray bytes before a marker ("extraneous bytes"): pixels are unaffected.
  const std::size_t dqt = find_marker(jpg, 0xDB);
  jpg.insert(jpg.begin() + static_cast<std::ptrdiff_t>(dqt), {0x00, 0x11, 0x22});
  const auto d = decode(jpg);
  CHECK(d.pixels == decode(fixture("jpeg_baseline.jpg")).pixels);
  REQUIRE(d.warnings.size() == 1);
  CHECK_THAT(d.warnings[0], Catch::StartsWith("'t.jpg': corrupt JPEG data: 3 extraneous bytes"));
}

TEST_CASE("JPEG strict: benign warnings and CMYK conversion are errors", "[image][jpeg]") {
  DecodeOptions strict;
  strict.strict = true;
  Bytes jpg = fixture("jpeg_baseline.jpg");
  CHECK(decode(jpg, strict).warnings.empty());
  const std::size_t dqt = find_marker(jpg, 0xDB);
  jpg.insert(jpg.begin() + static_cast<std::ptrdiff_t>(dqt), {0x00, 0x11, 0x22});
  CHECK_THROWS_WITH(decode(jpg, strict),
                    "cannot decode 't.jpg': corrupt JPEG data: 3 "
                    "extraneous bytes before marker 0xdb");
  CHECK_THROWS_WITH(decode(fixture("jpeg_cmyk.jpg"), strict),
                    Catch::Contains("CMYK would be converted to RGB"));
}

TEST_CASE("JPEG header sizes: huge refused before allocating, zero refused", "[image][jpeg]") {
  const Bytes jpg = fixture("jpeg_baseline.jpg");
  CHECK_THROWS_WITH(decode(with_size(jpg, 65000, 65000)),
                    Catch::Contains("65000x65000 is over the pixel budget"));
  DecodeOptions small;
  small.max_pixels = 1000;
  CHECK_THROWS_WITH(decode(jpg, small), Catch::Contains("32x32 is over the pixel budget of 1000"));
  CHECK_THROWS_AS(decode(with_size(jpg, 32, 0)), FileError);
  CHECK_THROWS_AS(decode(with_size(jpg, 0, 32)), FileError);
}

TEST_CASE("JPEG reader refuses empty and garbage input", "[image][jpeg]") {
  CHECK_THROWS_WITH(decode({}), "cannot decode 't.jpg': premature end of JPEG file");
  CHECK_THROWS_WITH(decode(Bytes{'h', 'e', 'l', 'l', 'o'}),
                    "cannot decode 't.jpg': not a JPEG file: starts with 0x68 0x65");
  Bytes header_only = fixture("jpeg_baseline.jpg");
  header_only.resize(40);
  CHECK_THROWS_AS(decode(header_only), FileError);
  CHECK_THROWS_AS(decode(header_only, lenient()), FileError);
}

TEST_CASE("JPEG refuses a progressive file with absurdly many scans", "[image][jpeg]") {
  // Repeat the last scan (a refinement scan) past the limit; lenient, so the bogus
  // progression warnings do not stop decoding first.
  Bytes jpg = fixture("jpeg_progressive.jpg");
  std::size_t last_sos = 0;
  for (std::size_t i = 0; i + 1 < jpg.size(); ++i)
    if (jpg[i] == 0xFF && jpg[i + 1] == 0xDA) last_sos = i;
  const Bytes scan(jpg.begin() + static_cast<std::ptrdiff_t>(last_sos), jpg.end() - 2);
  Bytes hostile(jpg.begin(), jpg.end() - 2);
  for (int i = 0; i < 1100; ++i) hostile.insert(hostile.end(), scan.begin(), scan.end());
  hostile.insert(hostile.end(), {0xFF, 0xD9});
  CHECK_THROWS_WITH(decode(hostile, lenient()),
                    "cannot decode 't.jpg': more than 1000 progressive scans");
}

TEST_CASE("JPEG passes on the source's and the sink's own errors", "[image][jpeg]") {
  CHECK_THROWS_WITH(lrn::open_jpeg_reader(std::make_unique<lrn_test::FailingSource>("bad.jpg"), {}),
                    "cannot read 'bad.jpg': boom");

  lrn_test::FailingSink sink("full.jpg");
  const ImageInfo info{64, 64, 3, false, SampleType::U8};
  const Bytes pixels = gradient(info);
  CHECK_THROWS_WITH(
      [&] {
        auto w = lrn::open_jpeg_writer(sink, info, {});
        w->write_rows(pixels.data(), info.height);
        w->finish();
      }(),
      "cannot write 'full.jpg': disk full");
}
