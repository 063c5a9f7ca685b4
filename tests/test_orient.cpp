// EXIF orientation: the tag is read from a JPEG's APP1 segment and applied as the EXIF table
// defines it (checked corner by corner), or kept as stored with --no-auto-orient.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "image/grow_buffer.h"
#include "image/metadata.h"
#include "image/orient.h"
#include "support.h"

using namespace lrn_test;

namespace {

// A 16x8 JPEG whose quadrants are red (top-left), green (top-right), blue (bottom-left) and
// white (bottom-right), with an EXIF APP1 segment holding `orientation` spliced in after SOI.
std::vector<std::uint8_t> quadrant_jpeg(int orientation, bool big_endian) {
  lrn::MemorySink sink;
  lrn::ImageInfo info;
  info.width = 16;
  info.height = 8;
  info.channels = 3;
  lrn::EncodeOptions enc;
  enc.quality = 100;
  auto w = lrn::open_writer(lrn::Format::Jpeg, sink, info, enc);
  std::vector<std::uint8_t> px(16 * 8 * 3);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 16; ++x) {
      const int q = (y >= 4) * 2 + (x >= 8);
      const std::array<std::array<std::uint8_t, 3>, 4> colours = {
          {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {255, 255, 255}}};
      for (int c = 0; c < 3; ++c) px[(y * 16 + x) * 3 + c] = colours[q][c];
    }
  w->write_rows(px.data(), 8);
  w->finish();
  const std::uint8_t o = static_cast<std::uint8_t>(orientation);
  std::vector<std::uint8_t> tiff =
      big_endian ? std::vector<std::uint8_t>{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0,
                                             3,   0,   0, 0,  1, 0, o, 0, 0, 0, 0,    0,    0}
                 : std::vector<std::uint8_t>{'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3,
                                             0,   1,   0,  0, 0, o, 0, 0, 0, 0, 0,    0,    0};
  const std::size_t len = 2 + 6 + tiff.size();
  std::vector<std::uint8_t> out = {0xFF,
                                   0xD8,
                                   0xFF,
                                   0xE1,
                                   static_cast<std::uint8_t>(len >> 8),
                                   static_cast<std::uint8_t>(len & 0xFF),
                                   'E',
                                   'x',
                                   'i',
                                   'f',
                                   0,
                                   0};
  // Appended byte by byte: GCC 12's -Warray-bounds misreads a range insert here.
  for (std::uint8_t b : tiff) out.push_back(b);
  for (std::size_t i = 2; i < sink.bytes.size(); ++i) out.push_back(sink.bytes[i]);
  return out;
}

// Which quadrant colour a decoded pixel is: 0 red, 1 green, 2 blue, 3 white.
int quadrant(const Decoded& d, std::size_t x, std::size_t y) {
  const std::size_t i = (y * d.info.width + x) * 3;
  const bool r = d.at(i) > 128, g = d.at(i + 1) > 128, b = d.at(i + 2) > 128;
  if (r && g && b) return 3;
  return r ? 0 : g ? 1 : 2;
}

}  // namespace

TEST_CASE("EXIF orientation is applied as the EXIF table defines it", "[image][orient]") {
  // For each orientation, the stored quadrant shown at the display's top-left and top-right
  // (EXIF 2.3, tag 0x0112: 1 = 0th row at top / 0th column at left, ...).
  const int top_left[9] = {0, 0, 1, 3, 2, 0, 2, 3, 1};
  const int top_right[9] = {0, 1, 0, 2, 3, 2, 0, 1, 3};
  const int o = GENERATE(range(1, 9));
  const bool big_endian = GENERATE(false, true);
  TempDir dir;
  write_bytes(dir.file("o.jpg"), quadrant_jpeg(o, big_endian));
  const Decoded d = decode_file(dir.file("o.jpg"));
  INFO("orientation " << o << (big_endian ? " (MM)" : " (II)"));
  CHECK(d.info.width == (o >= 5 ? 8u : 16u));
  CHECK(d.info.height == (o >= 5 ? 16u : 8u));
  CHECK(quadrant(d, 0, 0) == top_left[o]);
  CHECK(quadrant(d, d.info.width - 1, 0) == top_right[o]);

  SECTION("--no-auto-orient keeps the stored pixels") {
    const RunResult r = run_cli({dir.file("o.jpg"), dir.file("kept.npy"), "--no-auto-orient"});
    REQUIRE(r.exit_code == 0);
    const Decoded kept = decode_file(dir.file("kept.npy"));
    CHECK(kept.info.width == 16);
    const RunResult turned = run_cli({dir.file("o.jpg"), dir.file("turned.png")});
    REQUIRE(turned.exit_code == 0);
    CHECK(decode_file(dir.file("turned.png")).info.width == d.info.width);
  }
}

TEST_CASE("malformed EXIF never reads out of bounds and means orientation 1", "[image][orient]") {
  const std::vector<std::uint8_t> good = {'E', 'x', 'i',  'f',  0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0,
                                          1,   0,   0x12, 0x01, 3, 0, 1,   0,   0,  0, 6, 0, 0, 0};
  CHECK(lrn::exif_orientation(good.data(), good.size()) == 6);
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    const std::vector<std::uint8_t> part(good.begin(), good.begin() + static_cast<long>(cut));
    CHECK(lrn::exif_orientation(part.data(), part.size()) == 1);
  }
  std::vector<std::uint8_t> far = good;
  far[10] = 0xF0;  // IFD offset beyond the data
  CHECK(lrn::exif_orientation(far.data(), far.size()) == 1);
  std::vector<std::uint8_t> bad = good;
  bad[24] = 9;  // not an orientation
  CHECK(lrn::exif_orientation(bad.data(), bad.size()) == 1);
}

TEST_CASE("GrowBuffer keeps its bytes as it grows block by block (the held image)", "[image]") {
  lrn::GrowBuffer b;
  CHECK(b.empty());
  std::size_t size = 0;
  for (std::size_t block : {1u, 7u, 4096u, 100000u, 3u << 20}) {
    b.grow(size + block);
    REQUIRE(b.size() == size + block);
    for (std::size_t i = size; i < size + block; ++i)
      b.data()[i] = static_cast<std::uint8_t>(i * 31);
    size += block;
  }
  b.grow(5);  // never shrinks
  CHECK(b.size() == size);
  bool same = true;
  for (std::size_t i = 0; i < size; ++i)
    same = same && b.data()[i] == static_cast<std::uint8_t>(i * 31);
  CHECK(same);
}

TEST_CASE("an orientation applied to the pixels is the one --keep-metadata resets",
          "[image][orient]") {
  // IFD0 variants of the Orientation tag; whatever exif_orientation turns the pixels by,
  // reset_orientation must make the copied EXIF say 1 (else viewers turn them again). Found
  // with tests/data/hostile/jpeg_exif_orientation_count2.jpg: two SHORTs rotated the pixels
  // and the copy kept "6 0".
  struct Entry {
    std::uint16_t type;
    std::uint32_t count;
  };
  const std::vector<std::vector<Entry>> cases = {{{3, 1}},         {{3, 2}},        {{3, 0}},
                                                 {{4, 1}},         {{2, 2}},        {{8, 1}},
                                                 {{3, 2}, {3, 1}}, {{4, 1}, {3, 1}}};
  for (const bool little : {true, false}) {
    for (const auto& entries : cases) {
      auto put = [&](std::vector<std::uint8_t>& v, std::uint32_t x, int n) {
        for (int i = 0; i < n; ++i)
          v.push_back(static_cast<std::uint8_t>(x >> (8 * (little ? i : n - 1 - i))));
      };
      std::vector<std::uint8_t> tiff = {std::uint8_t(little ? 'I' : 'M'),
                                        std::uint8_t(little ? 'I' : 'M')};
      put(tiff, 42, 2);
      put(tiff, 8, 4);
      put(tiff, static_cast<std::uint32_t>(entries.size()), 2);
      for (const Entry& e : entries) {
        put(tiff, 0x0112, 2);
        put(tiff, e.type, 2);
        put(tiff, e.count, 4);
        put(tiff, 6, 2);  // the value field: 6 as a SHORT, then 0
        put(tiff, 0, 2);
      }
      put(tiff, 0, 4);
      std::vector<std::uint8_t> app1 = {'E', 'x', 'i', 'f', 0, 0};
      app1.insert(app1.end(), tiff.begin(), tiff.end());
      const int applied = lrn::exif_orientation(app1.data(), app1.size());
      CHECK(applied == lrn::tiff_orientation(tiff.data(), tiff.size()));
      lrn::reset_orientation(tiff);
      std::copy(tiff.begin(), tiff.end(), app1.begin() + 6);
      INFO("little " << little << ", first type " << entries[0].type << " count "
                     << entries[0].count << ", " << entries.size() << " entries");
      CHECK((applied == 1 || lrn::exif_orientation(app1.data(), app1.size()) == 1));
      if (entries.size() == 1 && entries[0].type == 3 && entries[0].count == 1) CHECK(applied == 6);
      if (entries.size() == 1 && entries[0].count != 1) CHECK(applied == 1);
    }
  }
}
