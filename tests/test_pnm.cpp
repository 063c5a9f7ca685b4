// PNM codec (binary PGM/PPM): the header grammar, maxval scaling against the netpbm
// definition (v / maxval of full scale), 8- and 16-bit round trips, damaged and hostile files
// under the default, lenient and strict policies. PIL and OpenCV cross-checks: formats/ref_pnm.py.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include "image/codecs.h"
#include "support.h"

namespace {

using lrn::DecodeOptions;
using lrn::FileError;
using lrn::ImageInfo;
using lrn::SampleType;
using Bytes = std::vector<std::uint8_t>;
using Catch::Matchers::Contains;

lrn_test::DecodedImage decode(const Bytes& bytes, DecodeOptions opt = {}) {
  return lrn_test::decode_in_two_reads(lrn::open_pnm_reader, bytes, std::move(opt), "t.ppm", 2);
}

Bytes file(const std::string& header, const Bytes& raster) {
  Bytes b(header.begin(), header.end());
  b.insert(b.end(), raster.begin(), raster.end());
  return b;
}

Bytes encode(const ImageInfo& info, const Bytes& pixels) {
  lrn::MemorySink sink("out.ppm");
  auto writer = lrn::open_pnm_writer(sink, info, {});
  writer->write_rows(pixels.data(), info.height);
  writer->finish();
  return sink.bytes;
}

std::string error_of(const Bytes& bytes, DecodeOptions opt = {}) {
  try {
    decode(bytes, std::move(opt));
  } catch (const FileError& e) {
    return e.what();
  }
  return "(decoded)";
}

}  // namespace

TEST_CASE("pnm: header grammar (white space, comments) and sample layout", "[image][pnm]") {
  SECTION("P5 with comments anywhere white space may be") {
    const auto d =
        decode(file("P5\n# made by hand\n3 # width\n2\n255\n", {0, 1, 2, 253, 254, 255}));
    CHECK(d.info.width == 3);
    CHECK(d.info.height == 2);
    CHECK(d.info.channels == 1);
    CHECK_FALSE(d.info.has_alpha);
    CHECK(d.info.type == SampleType::U8);
    CHECK(d.pixels == Bytes{0, 1, 2, 253, 254, 255});
  }
  SECTION("P6 on one line, tabs and CRLF") {
    const auto d = decode(file("P6\t1\r\n2 255\n", {10, 20, 30, 40, 50, 60}));
    CHECK(d.info.channels == 3);
    CHECK(d.pixels == Bytes{10, 20, 30, 40, 50, 60});
  }
  SECTION("16-bit: big-endian in the file, host order in rows") {
    const auto d = decode(file("P5 2 1 65535\n", {0x12, 0x34, 0xFF, 0xFE}));
    REQUIRE(d.info.type == SampleType::U16);
    std::uint16_t v[2];
    std::memcpy(v, d.pixels.data(), 4);
    CHECK(v[0] == 0x1234);
    CHECK(v[1] == 0xFFFE);
  }
}

TEST_CASE("pnm: maxval scales to the full range as v / maxval", "[image][pnm]") {
  // Against the definition in double: round(v * full / maxval).
  for (const unsigned maxval : {1u, 3u, 15u, 100u, 254u, 256u, 1023u, 4095u, 65534u}) {
    CAPTURE(maxval);
    const bool deep = maxval > 255;
    const unsigned full = deep ? 65535 : 255;
    Bytes raster;
    std::vector<unsigned> values;
    for (unsigned v = 0; v <= maxval; v += std::max(1u, maxval / 50)) values.push_back(v);
    values.push_back(maxval);
    for (unsigned v : values) {
      if (deep) raster.push_back(static_cast<std::uint8_t>(v >> 8));
      raster.push_back(static_cast<std::uint8_t>(v & 0xFF));
    }
    const auto d = decode(file(
        "P5 " + std::to_string(values.size()) + " 1 " + std::to_string(maxval) + "\n", raster));
    for (std::size_t i = 0; i < values.size(); ++i) {
      unsigned got;
      if (deep) {
        std::uint16_t s;
        std::memcpy(&s, d.pixels.data() + 2 * i, 2);
        got = s;
      } else {
        got = d.pixels[i];
      }
      const double want = std::floor(double(values[i]) * full / maxval + 0.5);
      CHECK(got == static_cast<unsigned>(want));
    }
  }
}

TEST_CASE("pnm: our writer round-trips 8 and 16 bits, grey and RGB", "[image][pnm]") {
  std::mt19937 rng(7);
  for (const auto type : {SampleType::U8, SampleType::U16}) {
    for (const std::size_t channels : {1u, 3u}) {
      for (const std::size_t w : {1u, 2u, 37u}) {
        const ImageInfo info{w, 5, channels, false, type};
        Bytes px(info.row_bytes() * info.height);
        for (auto& b : px) b = static_cast<std::uint8_t>(rng());
        const Bytes out = encode(info, px);
        const std::string magic(out.begin(), out.begin() + 2);
        CHECK(magic == (channels == 1 ? "P5" : "P6"));
        const auto d = decode(out);
        CHECK(d.info.channels == channels);
        CHECK(d.info.type == type);
        CHECK(d.pixels == px);
        CHECK(d.warnings.empty());
      }
    }
  }
}

TEST_CASE("pnm: the writer refuses what PGM/PPM cannot hold", "[image][pnm]") {
  lrn::MemorySink sink("x.ppm");
  for (const ImageInfo& info :
       {ImageInfo{2, 2, 4, true, SampleType::U8}, ImageInfo{2, 2, 2, false, SampleType::U8},
        ImageInfo{2, 2, 3, false, SampleType::F32}})
    CHECK_THROWS_WITH(
        lrn::open_pnm_writer(sink, info, {}),
        "cannot write 'x.ppm': PNM (PGM, PPM) holds 1 or 3 channels of 8 or 16 bits, without alpha");
}

TEST_CASE("pnm: malformed headers are named", "[image][pnm]") {
  CHECK_THAT(error_of(file("P5 2 2 0\n", {})), Contains("maxval 0 is not in 1..65535"));
  CHECK_THAT(error_of(file("P5 2 2 65536\n", {})), Contains("maxval 65536 is not in 1..65535"));
  CHECK_THAT(error_of(file("P5 x 2 255\n", {})),
             Contains("malformed PNM header: the width is not a number"));
  CHECK_THAT(error_of(file("P5 2 2 255", {})),
             Contains("the PNM header is truncated (after the maxval)"));
  CHECK_THAT(error_of(file("P5 2", {})), Contains("the PNM header is truncated"));
  CHECK_THAT(error_of(file("P5 0 2 255\n", {})), Contains("the image has no pixels (0x2)"));
  CHECK_THAT(error_of(file("P5 99999999999999999999 2 255\n", {})),
             Contains("a dimension is over 2147483647"));
  Bytes endless = file("P5\n", {});
  endless.resize((std::size_t{1} << 20) + 16, ' ');
  CHECK_THAT(error_of(endless), Contains("the PNM header is longer than 1 MiB"));
}

TEST_CASE("pnm: limits hold from the header", "[image][pnm]") {
  DecodeOptions opt;
  opt.max_pixels = 100;
  CHECK_THAT(error_of(file("P6 11 10 255\n", {}), opt),
             Contains("11x10 is over the pixel budget of 100 pixels"));
  DecodeOptions rows;
  rows.max_row_bytes = 8;
  CHECK_THAT(error_of(file("P6 3 1 255\n", Bytes(9)), rows),
             Contains("a row of 9 bytes is over the limit of 8"));
  // A header bomb in a small regular-size buffer: refused before any row is read.
  CHECK_THAT(error_of(file("P6 16000 16000 65535\n", Bytes(100))),
             Contains("truncated PNM data (100 bytes left cannot hold a 16000x16000 image"));
}

TEST_CASE("pnm: truncated data and samples above maxval by policy", "[image][pnm]") {
  const Bytes cut = file("P5 2 3 255\n", {1, 2, 3, 4, 5});  // the last row lacks a sample
  SECTION("default: an error") { CHECK_THAT(error_of(cut), Contains("truncated PNM data")); }
  SECTION("lenient: the rows there are, the rest zero, and a warning") {
    DecodeOptions opt;
    opt.lenient = true;
    const auto d = decode(cut, opt);
    CHECK(d.pixels == Bytes{1, 2, 3, 4, 0, 0});
    REQUIRE(d.warnings.size() == 1);
    CHECK_THAT(d.warnings[0], Contains("truncated PNM data at row 3 of 3"));
    CHECK_THAT(error_of(file("P5 2 3 255\n", {1}), opt), Contains("before the first complete row"));
  }
  const Bytes over = file("P5 2 1 100\n", {100, 101});
  SECTION("above maxval: an error, clamped when lenient") {
    CHECK_THAT(error_of(over), Contains("damaged PNM data: a sample at row 1 is above maxval 100"));
    DecodeOptions opt;
    opt.lenient = true;
    const auto d = decode(over, opt);
    CHECK(d.pixels == Bytes{255, 255});
    REQUIRE(d.warnings.size() == 1);
    CHECK_THAT(d.warnings[0], Contains("1 sample(s) above maxval 100 (damaged data, clamped)"));
  }
}

TEST_CASE("pnm: a multi-image file gives its first image and a warning", "[image][pnm]") {
  Bytes two = file("P5 1 1 255\n", {7});
  const Bytes second = file("P5 1 1 255\n", {9});
  two.insert(two.end(), second.begin(), second.end());
  const auto d = decode(two);
  CHECK(d.pixels == Bytes{7});
  REQUIRE(d.warnings.size() == 1);
  CHECK_THAT(d.warnings[0], Contains("the file holds more than one image; the first was read"));
}
