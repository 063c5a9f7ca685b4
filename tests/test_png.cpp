// PNG codec: every colour type and depth from ImageMagick fixtures, exact round trips through
// our writer, and damaged or hostile files (truncated, bad CRC, huge or empty headers).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstring>
#include <random>

#include "image/codecs.h"
#include "image/png_crc.h"
#include "support.h"

namespace {

using lrn::DecodeOptions;
using lrn::FileError;
using lrn::ImageInfo;
using lrn::SampleType;
using Bytes = std::vector<std::uint8_t>;

using Decoded = lrn_test::DecodedImage;

Decoded decode(const Bytes& bytes, DecodeOptions opt = {}, const std::string& name = "t.png") {
  return lrn_test::decode_in_two_reads(lrn::open_png_reader, bytes, std::move(opt), name, 2);
}

Decoded decode_fixture(const std::string& name) {
  return decode(lrn_test::read_bytes(lrn_test::data_path(name)));
}

std::vector<std::uint16_t> as_u16(const Bytes& b) {
  std::vector<std::uint16_t> v(b.size() / 2);
  std::memcpy(v.data(), b.data(), b.size());
  return v;
}

Bytes encode(const ImageInfo& info, const Bytes& pixels) {
  lrn::MemorySink sink("out.png");
  auto writer = lrn::open_png_writer(sink, info);
  writer->write_rows(pixels.data(), info.height);
  writer->finish();
  return sink.bytes;
}

Bytes random_pixels(const ImageInfo& info, unsigned seed) {
  std::mt19937 rng(seed);
  Bytes b(info.row_bytes() * info.height);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng());
  return b;
}

ImageInfo rgb8(std::size_t w, std::size_t h) { return {w, h, 3, false, SampleType::U8}; }

std::uint32_t be32(const Bytes& b, std::size_t at) {
  return std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
         std::uint32_t{b[at + 2]} << 8 | b[at + 3];
}

void put_be32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

// Offset of the first chunk of `type` (its length field).
std::size_t find_chunk(const Bytes& png, const char* type) {
  for (std::size_t at = 8; at + 8 <= png.size(); at += 12 + be32(png, at))
    if (std::memcmp(&png[at + 4], type, 4) == 0) return at;
  FAIL("no " << type << " chunk");
  return 0;
}

// Rewrites IHDR's width and height and its CRC, as a hostile or broken writer would.
Bytes with_size(Bytes png, std::uint32_t w, std::uint32_t h) {
  put_be32(png, 16, w);
  put_be32(png, 20, h);
  put_be32(png, 29, lrn::png_crc_update(0xFFFFFFFFu, &png[12], 17) ^ 0xFFFFFFFFu);
  return png;
}

// A PNG large enough to span several reads and IDAT chunks: noise does not compress.
Bytes noisy_png(const ImageInfo& info, Bytes* pixels = nullptr) {
  Bytes px = random_pixels(info, 42);
  if (pixels) *pixels = px;
  return encode(info, px);
}

}  // namespace

TEST_CASE("PNG gray fixtures decode to one channel, sub-byte depths scaled", "[image][png]") {
  SECTION("1-bit") {
    const auto d = decode_fixture("png_gray1.png");
    CHECK(d.info.width == 8);
    CHECK(d.info.height == 2);
    CHECK(d.info.channels == 1);
    CHECK(d.info.type == SampleType::U8);
    CHECK_FALSE(d.info.has_alpha);
    CHECK(d.pixels == Bytes{0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255});
  }
  SECTION("4-bit") {
    const auto d = decode_fixture("png_gray4.png");
    CHECK(d.info.channels == 1);
    CHECK(d.pixels == Bytes{0x00, 0x44, 0x88, 0xFF});
  }
  SECTION("8-bit") {
    const auto d = decode_fixture("png_gray8.png");
    CHECK(d.info.channels == 1);
    CHECK(d.pixels == Bytes{0, 85, 170, 255});
  }
  SECTION("16-bit stays 16-bit, in host byte order") {
    const auto d = decode_fixture("png_gray16.png");
    CHECK(d.info.channels == 1);
    CHECK(d.info.type == SampleType::U16);
    CHECK(as_u16(d.pixels) == std::vector<std::uint16_t>{0, 0x1234, 0xABCD, 0xFFFF});
  }
}

TEST_CASE("PNG alpha: gray+alpha, RGBA, and tRNS turned into an alpha channel", "[image][png]") {
  SECTION("gray+alpha") {
    const auto d = decode_fixture("png_gray_alpha.png");
    CHECK(d.info.channels == 2);
    CHECK(d.info.has_alpha);
    CHECK(d.pixels == Bytes{50, 128, 200, 255, 0, 0});
  }
  SECTION("gray with tRNS") {
    const auto d = decode_fixture("png_gray_trns.png");
    CHECK(d.info.channels == 2);
    CHECK(d.info.has_alpha);
    CHECK(d.pixels == Bytes{100, 255, 200, 0, 50, 255});
  }
  SECTION("RGBA 8-bit") {
    const auto d = decode_fixture("png_rgba8.png");
    CHECK(d.info.channels == 4);
    CHECK(d.info.has_alpha);
    CHECK(d.pixels == Bytes{255, 0, 0, 128, 0, 255, 0, 255, 0, 0, 255, 0, 16, 32, 48, 64});
  }
  SECTION("RGB with tRNS") {
    const auto d = decode_fixture("png_rgb_trns.png");
    CHECK(d.info.channels == 4);
    CHECK(d.info.has_alpha);
    CHECK(d.pixels == Bytes{255, 0, 0, 255, 0, 255, 0, 0, 0, 0, 255, 255});
  }
  SECTION("16-bit gray with tRNS") {
    const auto d = decode_fixture("png_gray16_trns.png");
    CHECK(d.info.channels == 2);
    CHECK(d.info.has_alpha);
    CHECK(d.info.type == SampleType::U16);
    CHECK(as_u16(d.pixels) == std::vector<std::uint16_t>{0x1234, 0xFFFF, 0xABCD, 0});
  }
  SECTION("16-bit RGB with tRNS") {
    const auto d = decode_fixture("png_rgb16_trns.png");
    CHECK(d.info.channels == 4);
    CHECK(d.info.has_alpha);
    CHECK(d.info.type == SampleType::U16);
    CHECK(as_u16(d.pixels) ==
          std::vector<std::uint16_t>{0x1234, 0x5678, 0x9ABC, 0xFFFF, 0xFEDC, 0xBA98, 0x7654, 0});
  }
  SECTION("RGBA 16-bit") {
    const auto d = decode_fixture("png_rgba16.png");
    CHECK(d.info.channels == 4);
    CHECK(d.info.type == SampleType::U16);
    CHECK(as_u16(d.pixels) ==
          std::vector<std::uint16_t>{0x1234, 0x5678, 0x9ABC, 0xDEF0, 0xFEDC, 0xBA98, 0x7654, 0});
  }
}

TEST_CASE("PNG colour fixtures: RGB, 16-bit RGB, palettes", "[image][png]") {
  SECTION("RGB 8-bit") {
    const auto d = decode_fixture("png_rgb8.png");
    CHECK(d.info.channels == 3);
    CHECK_FALSE(d.info.has_alpha);
    CHECK(d.pixels == Bytes{255, 0, 0, 0, 255, 0, 0, 0, 255, 16, 32, 48});
  }
  SECTION("RGB 16-bit") {
    const auto d = decode_fixture("png_rgb16.png");
    CHECK(d.info.channels == 3);
    CHECK(d.info.type == SampleType::U16);
    CHECK(as_u16(d.pixels) ==
          std::vector<std::uint16_t>{0x1234, 0x5678, 0x9ABC, 0xFEDC, 0xBA98, 0x7654});
  }
  SECTION("palette expands to RGB") {
    const auto d = decode_fixture("png_palette.png");
    CHECK(d.info.channels == 3);
    CHECK_FALSE(d.info.has_alpha);
    CHECK(d.pixels == Bytes{255, 0, 0, 0, 255, 0, 0, 0, 255, 16, 32, 48});
  }
  SECTION("2-bit palette with tRNS expands to RGBA") {
    const auto d = decode_fixture("png_palette_trns.png");
    CHECK(d.info.channels == 4);
    CHECK(d.info.has_alpha);
    CHECK(d.pixels == Bytes{255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 0, 16, 32, 48, 128});
  }
}

TEST_CASE("PNG interlaced (Adam7) decodes to the same pixels as non-interlaced", "[image][png]") {
  const Bytes adam7 = lrn_test::read_bytes(lrn_test::data_path("png_plasma_adam7.png"));
  REQUIRE(adam7[28] == 1);  // IHDR interlace method
  const auto plain = decode_fixture("png_plasma.png");
  const auto interlaced = decode(adam7);
  CHECK(interlaced.info.width == 24);
  CHECK(interlaced.info.height == 16);
  CHECK(interlaced.info.channels == 3);
  CHECK(interlaced.pixels == plain.pixels);
  CHECK(plain.pixels[0] == 108);  // ImageMagick: p{0,0} = srgb(108,198,69)
  CHECK(plain.pixels[1] == 198);
  CHECK(plain.pixels[2] == 69);
}

TEST_CASE("PNG round trip through our writer is exact", "[image][png]") {
  const std::size_t channels = GENERATE(1, 2, 3, 4);
  const SampleType type = GENERATE(SampleType::U8, SampleType::U16);
  const auto size = GENERATE(std::make_pair(1, 1), std::make_pair(3, 2), std::make_pair(33, 17));
  const ImageInfo info{std::size_t(size.first), std::size_t(size.second), channels,
                       channels == 2 || channels == 4, type};
  const Bytes pixels = random_pixels(info, 7);
  const auto d = decode(encode(info, pixels));
  CHECK(d.info.width == info.width);
  CHECK(d.info.height == info.height);
  CHECK(d.info.channels == channels);
  CHECK(d.info.has_alpha == info.has_alpha);
  CHECK(d.info.type == type);
  CHECK(d.pixels == pixels);
  CHECK(d.warnings.empty());
}

TEST_CASE("PNG writer writes 16-bit samples big-endian", "[image][png]") {
  // The reader is checked against ImageMagick's 16-bit fixture above, so reading back the
  // same samples from our file means our file holds them in PNG's (big-endian) order.
  const ImageInfo info{4, 1, 1, false, SampleType::U16};
  const std::uint16_t samples[4] = {0, 0x1234, 0xABCD, 0xFFFF};
  Bytes px(sizeof samples);
  std::memcpy(px.data(), samples, sizeof samples);
  const Bytes png = encode(info, px);
  CHECK(png[24] == 16);  // IHDR bit depth
  CHECK(png[25] == 0);   // gray
  CHECK(decode(png).pixels == decode_fixture("png_gray16.png").pixels);
}

TEST_CASE("PNG writer refuses what PNG cannot hold", "[image][png]") {
  lrn::MemorySink sink("out.png");
  auto refuse = [&](const ImageInfo& info, const char* why) {
    CHECK_THROWS_WITH(lrn::open_png_writer(sink, info),
                      Catch::Contains("cannot write 'out.png'") && Catch::Contains(why));
  };
  refuse({4, 4, 3, false, SampleType::F32}, "not 32-bit float");
  refuse({4, 4, 5, false, SampleType::U8}, "1 to 4 channels");
  refuse({4, 4, 0, false, SampleType::U8}, "1 to 4 channels");
  refuse({0, 4, 3, false, SampleType::U8}, "no pixels");
  CHECK(sink.bytes.empty());
}

TEST_CASE("PNG non-interlaced decoding streams instead of reading the whole file", "[image][png]") {
  // Counts what the reader pulled from the source after the first row.
  struct Counting : lrn::ByteSource {
    std::unique_ptr<lrn::ByteSource> in;
    std::size_t consumed = 0;
    std::size_t read(void* dst, std::size_t n) override {
      const std::size_t r = in->read(dst, n);
      consumed += r;
      return r;
    }
    std::vector<std::uint8_t> peek(std::size_t n) override { return in->peek(n); }
    const std::string& name() const override { return in->name(); }
  };
  const Bytes png = noisy_png(rgb8(256, 256));
  auto counting = std::make_unique<Counting>();
  counting->in = lrn::memory_source(png, "big.png");
  Counting* seen = counting.get();
  auto reader = lrn::open_png_reader(std::move(counting), {});
  Bytes row(reader->info().row_bytes());
  reader->read_rows(row.data(), 1);
  CHECK(seen->consumed < png.size() / 8);
}

TEST_CASE("PNG truncated: an error by default, rows so far plus a warning when lenient",
          "[image][png]") {
  Bytes pixels;
  // Large enough that the cut falls well after the 8 KB spng reads ahead.
  const ImageInfo info = rgb8(128, 128);
  Bytes png = noisy_png(info, &pixels);
  png.resize(png.size() / 2);
  CHECK_THROWS_WITH(decode(png), "cannot decode 't.png': truncated PNG data");

  DecodeOptions lenient;
  lenient.lenient = true;
  const auto d = decode(png, lenient);
  REQUIRE(d.warnings.size() == 1);
  CHECK_THAT(d.warnings[0], Catch::StartsWith("'t.png': truncated PNG data at row"));
  const std::size_t rows_ok = 40;  // half the file holds about 64 rows of noise
  CHECK(std::equal(pixels.begin(), pixels.begin() + rows_ok * info.row_bytes(), d.pixels.begin()));
  CHECK(d.pixels.back() == 0);
}

TEST_CASE("PNG truncated before IEND is still an error by default", "[image][png]") {
  Bytes png = encode(rgb8(4, 4), random_pixels(rgb8(4, 4), 1));
  png.resize(png.size() - 12);  // drop IEND
  CHECK_THROWS_WITH(decode(png), Catch::Contains("truncated PNG data"));
  DecodeOptions lenient;
  lenient.lenient = true;
  const auto d = decode(png, lenient);
  REQUIRE(d.warnings.size() == 1);
  CHECK_THAT(d.warnings[0], Catch::Contains("after the last row"));
}

TEST_CASE("PNG bad CRC: an error by default, decoded with a warning when lenient", "[image][png]") {
  Bytes pixels;
  const Bytes good = noisy_png(rgb8(16, 16), &pixels);
  const std::size_t idat = find_chunk(good, "IDAT");
  const std::size_t crc_at = idat + 8 + be32(good, idat);

  SECTION("CRC field damaged, data intact") {
    Bytes png = good;
    png[crc_at] ^= 0x01;
    CHECK_THROWS_WITH(decode(png), "cannot decode 't.png': bad chunk CRC (damaged data)");
    DecodeOptions lenient;
    lenient.lenient = true;
    const auto d = decode(png, lenient);
    CHECK(d.pixels == pixels);
    REQUIRE(d.warnings.size() == 1);
    CHECK_THAT(d.warnings[0], Catch::StartsWith("'t.png': bad CRC in IDAT chunk"));
  }
  SECTION("compressed data damaged") {
    Bytes png = good;
    png[idat + 8 + be32(good, idat) / 2] ^= 0x5A;
    CHECK_THROWS_AS(decode(png), FileError);
    DecodeOptions lenient;
    lenient.lenient = true;
    Decoded d;
    try {
      d = decode(png, lenient);
    } catch (const FileError&) {
      FAIL("lenient decoding threw");
    }
    CHECK_FALSE(d.warnings.empty());
  }
  SECTION("interlaced, CRC field damaged") {
    Bytes png = lrn_test::read_bytes(lrn_test::data_path("png_plasma_adam7.png"));
    const std::size_t at = find_chunk(png, "IDAT");
    png[at + 8 + be32(png, at)] ^= 0x80;
    CHECK_THROWS_WITH(decode(png), Catch::Contains("bad chunk CRC"));
    DecodeOptions lenient;
    lenient.lenient = true;
    const auto d = decode(png, lenient);
    CHECK(d.pixels == decode_fixture("png_plasma.png").pixels);
    CHECK(d.warnings.size() == 1);
  }
  SECTION("critical chunk other than IDAT") {
    Bytes png = good;
    png[29] ^= 0x01;  // IHDR's CRC
    CHECK_THROWS_WITH(decode(png), Catch::Contains("bad chunk CRC"));
  }
}

TEST_CASE("PNG bad CRC on an ancillary chunk: a warning, an error for tRNS or when strict",
          "[image][png]") {
  // A tEXt chunk with a wrong CRC after IHDR; spng drops it, we say so.
  Bytes png = lrn_test::read_bytes(lrn_test::data_path("png_rgb8.png"));
  const Bytes text = {0, 0, 0, 4, 't', 'E', 'X', 't', 'a', 0, 'b', 'c', 0xDE, 0xAD, 0xBE, 0xEF};
  png.insert(png.begin() + 33, text.begin(), text.end());
  const auto d = decode(png);
  CHECK(d.pixels == decode_fixture("png_rgb8.png").pixels);
  REQUIRE(d.warnings.size() == 1);
  CHECK(d.warnings[0] == "'t.png': bad CRC in tEXt chunk (ignored; the pixels are intact)");
  DecodeOptions strict;
  strict.strict = true;
  CHECK_THROWS_WITH(decode(png, strict),
                    "cannot decode 't.png': bad CRC in tEXt chunk (damaged data)");
  CHECK(decode(lrn_test::read_bytes(lrn_test::data_path("png_rgb8.png")), strict).warnings.empty());

  // Without its tRNS the image would lose its alpha channel: damage, not metadata.
  Bytes trns = lrn_test::read_bytes(lrn_test::data_path("png_rgb_trns.png"));
  const std::size_t at = find_chunk(trns, "tRNS");
  trns[at + 8 + be32(trns, at)] ^= 0x01;
  CHECK_THROWS_WITH(decode(trns), "cannot decode 't.png': bad CRC in tRNS chunk (damaged data)");
  DecodeOptions lenient;
  lenient.lenient = true;
  CHECK(decode(trns, lenient).info.channels == 4);
}

TEST_CASE("PNG interlaced: a file too small for its declared size is refused up front",
          "[image][png]") {
  Bytes png =
      with_size(lrn_test::read_bytes(lrn_test::data_path("png_plasma_adam7.png")), 16000, 16000);
  CHECK_THROWS_WITH(decode(png), Catch::Contains("truncated image data (") &&
                                     Catch::Contains("cannot hold a 16000x16000 interlaced image"));
}

TEST_CASE("PNG header sizes: huge refused before allocating, zero refused", "[image][png]") {
  const Bytes png = lrn_test::read_bytes(lrn_test::data_path("png_rgb8.png"));
  SECTION("100000x100000 is over the default budget") {
    CHECK_THROWS_WITH(decode(with_size(png, 100000, 100000)),
                      Catch::Contains("100000x100000 is over the pixel budget"));
  }
  SECTION("one side alone over a small budget") {
    DecodeOptions opt;
    opt.max_pixels = 1000;
    CHECK_THROWS_WITH(decode(with_size(png, 5000, 1), opt),
                      Catch::Contains("over the pixel budget of 1000 pixels"));
  }
  SECTION("the fixture itself under a budget smaller than it") {
    DecodeOptions opt;
    opt.max_pixels = 3;
    // spng's per-side limit (the budget) trips before our width x height check.
    CHECK_THROWS_WITH(decode(png, opt),
                      Catch::Contains("width alone is over the pixel budget of 3"));
    opt.max_pixels = 5;
    CHECK_THROWS_WITH(decode(with_size(png, 3, 2), opt),
                      Catch::Contains("3x2 is over the pixel budget of 5"));
  }
  SECTION("zero width or height") {
    CHECK_THROWS_AS(decode(with_size(png, 0, 1)), FileError);
    CHECK_THROWS_AS(decode(with_size(png, 4, 0)), FileError);
  }
}

TEST_CASE("PNG reader refuses empty and garbage input", "[image][png]") {
  CHECK_THROWS_WITH(decode({}), "cannot decode 't.png': truncated PNG data");
  CHECK_THROWS_WITH(decode(Bytes(100, 'x')),
                    "cannot decode 't.png': not a PNG file (bad signature)");
  Bytes png = lrn_test::read_bytes(lrn_test::data_path("png_rgb8.png"));
  png.resize(20);  // inside IHDR
  CHECK_THROWS_WITH(decode(png), "cannot decode 't.png': truncated PNG data");
}

TEST_CASE("PNG passes on the source's and the sink's own errors", "[image][png]") {
  CHECK_THROWS_WITH(lrn::open_png_reader(std::make_unique<lrn_test::FailingSource>("bad.png"), {}),
                    "cannot read 'bad.png': boom");

  lrn_test::FailingSink sink("full.png");
  const ImageInfo info = rgb8(300, 300);
  const Bytes pixels = random_pixels(info, 3);
  CHECK_THROWS_WITH(
      [&] {
        auto w = lrn::open_png_writer(sink, info);
        w->write_rows(pixels.data(), info.height);
        w->finish();
      }(),
      "cannot write 'full.png': disk full");
}
