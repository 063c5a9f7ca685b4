// WebP codec: lossless round trips through our writer and reader (alpha kept exactly, grey
// stored as RGB), quality, the writer's limits, the reader's own pixel cap, and where
// --lossless and -q apply. dwebp/cwebp/PIL cross-checks: formats/ref_webp.py; damaged
// files: tests/data/hostile (webp_*).
#include <catch2/catch.hpp>

#include <random>

#include "image/codecs.h"
#include "support.h"

namespace {

using lrn::ImageInfo;
using lrn::SampleType;
using Bytes = std::vector<std::uint8_t>;
using Catch::Matchers::Contains;

Bytes encode(const ImageInfo& info, const Bytes& px, lrn::EncodeOptions opt) {
  lrn::MemorySink sink("x.webp");
  auto w = lrn::open_webp_writer(sink, info, opt);
  w->write_rows(px.data(), info.height / 2);
  w->write_rows(px.data() + (info.height / 2) * info.row_bytes(), info.height - info.height / 2);
  w->finish();
  return sink.bytes;
}

Bytes noise(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  Bytes b(n);
  for (auto& v : b) v = static_cast<std::uint8_t>(rng());
  return b;
}

}  // namespace

TEST_CASE("webp: lossless round trips keep every sample, alpha included", "[image][webp]") {
  lrn::EncodeOptions lossless;
  lossless.lossless = true;
  for (std::size_t c = 1; c <= 4; ++c) {
    const bool alpha = c == 2 || c == 4;
    const ImageInfo info{29, 17, c, alpha, SampleType::U8};
    const Bytes px = noise(info.row_bytes() * info.height, static_cast<unsigned>(c));
    const auto d = lrn_test::decode_in_two_reads(lrn::open_webp_reader, encode(info, px, lossless),
                                                 {}, "x.webp", 3);
    CAPTURE(c);
    REQUIRE(d.info.channels == (alpha ? 4u : 3u));
    CHECK(d.info.has_alpha == alpha);
    const std::size_t colour = alpha ? c - 1 : c;
    for (std::size_t i = 0; i < info.width * info.height; ++i)
      for (std::size_t k = 0; k < d.info.channels; ++k) {
        const std::size_t from = k < 3 ? (colour == 1 ? 0 : k) : c - 1;  // grey spreads to R, G, B
        REQUIRE(d.pixels[i * d.info.channels + k] == px[i * c + from]);
      }
  }
}

TEST_CASE("webp: quality sets the lossy size, and the writer has limits", "[image][webp]") {
  const ImageInfo info{64, 64, 3, false, SampleType::U8};
  const Bytes px = noise(info.row_bytes() * info.height, 5);
  lrn::EncodeOptions low, high;
  low.quality = 10;
  high.quality = 95;
  CHECK(encode(info, px, low).size() < encode(info, px, high).size());
  lrn::MemorySink sink("big.webp");
  CHECK_THROWS_WITH(
      lrn::open_webp_writer(sink, ImageInfo{16384, 1, 3, false, SampleType::U8}, {}),
      "cannot write 'big.webp': WebP holds at most 16383x16383 pixels, and this is 16384x1");
  CHECK_THROWS_WITH(lrn::open_webp_writer(sink, ImageInfo{4, 4, 3, false, SampleType::U16}, {}),
                    Contains("WebP holds 8-bit grey or RGB"));
}

TEST_CASE("webp: --max-pixels lowers WebP's own cap", "[image][webp]") {
  const ImageInfo info{40, 30, 3, false, SampleType::U8};
  lrn::EncodeOptions lossless;
  lossless.lossless = true;
  const Bytes file = encode(info, noise(info.row_bytes() * info.height, 2), lossless);
  lrn::DecodeOptions opt;
  opt.max_pixels = 1199;
  CHECK_THROWS_WITH(lrn::open_webp_reader(lrn::memory_source(file, "x.webp"), opt),
                    Contains("40x30 is over the pixel budget of 1199 pixels"));
}

TEST_CASE("webp: --lossless applies to WebP output, and not with -q", "[image][webp][cli]") {
  lrn_test::TempDir dir;
  const std::string in = lrn_test::sample_path("rocket.jpg");
  auto r = lrn_test::run_cli({in, dir.file("o.png"), "--lossless"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--lossless applies to WebP output, but OUT '" + dir.file("o.png") +
                             "' writes PNG"));
  r = lrn_test::run_cli({in, dir.file("o.webp"), "--lossless", "-q", "50"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err,
             Contains("--quality applies to lossy output, and --lossless asks for lossless"));
  CHECK(lrn_test::run_cli({in, dir.file("o.webp"), "--lossless"}).exit_code == 0);
  CHECK(lrn_test::run_cli({in, dir.file("q.webp"), "-q", "60"}).exit_code == 0);
}
