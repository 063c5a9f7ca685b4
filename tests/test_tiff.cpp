// TIFF codec: round trips through our writer and reader (8/16-bit, float32, 1..4 channels),
// to sinks that can patch (a file) and that cannot (a pipe), from sources that cannot seek,
// and the limits from the header. tifffile cross-checks: formats/ref_tiff.py; damaged files:
// tests/data/hostile (tiff_*).
#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <random>

#include "image/codecs.h"
#include "image/output_file.h"
#include "image/tiff_exif.h"
#include "support.h"

namespace {

using lrn::DecodeOptions;
using lrn::FileError;
using lrn::ImageInfo;
using lrn::SampleType;
using Bytes = std::vector<std::uint8_t>;
using Catch::Matchers::Contains;

// A sink that can only append, as a pipe.
struct AppendOnlySink : lrn::ByteSink {
  void write(const void* src, std::size_t n) override {
    const auto* p = static_cast<const std::uint8_t*>(src);
    bytes.insert(bytes.end(), p, p + n);
  }
  const std::string& name() const override { return name_; }
  Bytes bytes;
  std::string name_ = "<pipe>";
};

// A source that cannot seek, as stdin.
struct PipeSource : lrn::ByteSource {
  explicit PipeSource(Bytes b) : bytes_(std::move(b)) {}
  std::size_t read(void* dst, std::size_t n) override {
    const std::size_t k = std::min(n, bytes_.size() - pos_);
    std::memcpy(dst, bytes_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  std::vector<std::uint8_t> peek(std::size_t n) override {
    return Bytes(bytes_.begin() + static_cast<std::ptrdiff_t>(pos_),
                 bytes_.begin() + static_cast<std::ptrdiff_t>(std::min(bytes_.size(), pos_ + n)));
  }
  const std::string& name() const override { return name_; }
  Bytes bytes_;
  std::size_t pos_ = 0;
  std::string name_ = "<stdin>";
};

Bytes random_pixels(const ImageInfo& info, unsigned seed) {
  std::mt19937 rng(seed);
  Bytes px(info.row_bytes() * info.height);
  if (info.type == SampleType::F32) {
    std::normal_distribution<float> d(0.0f, 100.0f);
    for (std::size_t i = 0; i < px.size(); i += 4) {
      const float v = d(rng);
      std::memcpy(px.data() + i, &v, 4);
    }
  } else {
    for (auto& b : px) b = static_cast<std::uint8_t>(rng());
  }
  return px;
}

template <typename Sink>
void encode_into(Sink& sink, const ImageInfo& info, const Bytes& px) {
  auto w = lrn::open_tiff_writer(sink, info, {});
  w->write_rows(px.data(), info.height / 3);
  w->write_rows(px.data() + (info.height / 3) * info.row_bytes(), info.height - info.height / 3);
  w->finish();
}

}  // namespace

TEST_CASE("tiff: our writer round-trips every depth and channel count", "[image][tiff]") {
  for (const auto type : {SampleType::U8, SampleType::U16, SampleType::F32})
    for (std::size_t c = 1; c <= 4; ++c)
      for (const bool alpha : {false, true}) {
        if (alpha && (c == 1 || c == 3)) continue;
        const ImageInfo info{37, 300, c, alpha,
                             type};  // 300 rows: more than one strip for RGBA f32
        CAPTURE(static_cast<int>(type), c, alpha);
        const Bytes px = random_pixels(info, static_cast<unsigned>(c * 7));
        lrn::MemorySink file("x.tif");
        encode_into(file, info, px);
        const auto d =
            lrn_test::decode_in_two_reads(lrn::open_tiff_reader, file.bytes, {}, "x.tif", 4);
        CHECK(d.info.width == info.width);
        CHECK(d.info.channels == c);
        CHECK(d.info.has_alpha == (alpha || c == 4 || c == 2));
        CHECK(d.info.type == type);
        CHECK(d.pixels == px);
        CHECK(d.warnings.empty());
        // A sink that cannot patch gets the same file, assembled in memory.
        AppendOnlySink pipe;
        encode_into(pipe, info, px);
        CHECK(pipe.bytes == file.bytes);
      }
}

TEST_CASE("tiff: a pipe is read within the pixel budget, refused beyond it", "[image][tiff]") {
  const ImageInfo info{20, 10, 3, false, SampleType::U16};
  const Bytes px = random_pixels(info, 3);
  lrn::MemorySink file("x.tif");
  encode_into(file, info, px);
  DecodeOptions opt;
  auto r = lrn::open_tiff_reader(std::make_unique<PipeSource>(file.bytes), opt);
  Bytes got(info.row_bytes() * info.height);
  r->read_rows(got.data(), info.height);
  CHECK(got == px);
  opt.max_pixels =
      200;  // 1600 bytes allowed from a pipe; the file is larger (16-bit RGB, 1200 + tags)
  Bytes noise = random_pixels(ImageInfo{200, 10, 3, false, SampleType::U8}, 4);
  lrn::MemorySink big("big.tif");
  encode_into(big, ImageInfo{200, 10, 3, false, SampleType::U8}, noise);
  CHECK_THROWS_WITH(
      lrn::open_tiff_reader(std::make_unique<PipeSource>(big.bytes), opt),
      Contains("a TIFF from a pipe is held in memory (libtiff must seek), and this one is over "
               "the 1600 bytes"));
}

TEST_CASE("tiff: limits hold from the header", "[image][tiff]") {
  const ImageInfo info{300, 20, 3, false, SampleType::U16};
  lrn::MemorySink file("x.tif");
  encode_into(file, info, random_pixels(info, 5));
  DecodeOptions pixels;
  pixels.max_pixels = 5999;
  CHECK_THROWS_WITH(lrn::open_tiff_reader(lrn::memory_source(file.bytes, "x.tif"), pixels),
                    Contains("300x20 is over the pixel budget of 5999 pixels"));
  DecodeOptions rows;
  rows.max_row_bytes = 1799;
  CHECK_THROWS_WITH(lrn::open_tiff_reader(lrn::memory_source(file.bytes, "x.tif"), rows),
                    Contains("a row of 1800 bytes is over the limit of 1799"));
}

TEST_CASE("tiff: the writer refuses what TIFF cannot hold here", "[image][tiff]") {
  lrn::MemorySink sink("x.tif");
  CHECK_THROWS_WITH(lrn::open_tiff_writer(sink, ImageInfo{2, 2, 5, false, SampleType::U8}, {}),
                    "cannot write 'x.tif': TIFF holds 1 to 4 channels of 8 or 16 bits or float32");
  CHECK_THROWS_WITH(lrn::open_tiff_writer(sink, ImageInfo{2, 2, 3, false, SampleType::F16}, {}),
                    "cannot write 'x.tif': TIFF holds 1 to 4 channels of 8 or 16 bits or float32");
}

TEST_CASE("tiff: an output file is patched in place, never re-read", "[image][tiff]") {
  lrn_test::TempDir dir;
  const ImageInfo info{64, 64, 1, false, SampleType::U8};
  const Bytes px = random_pixels(info, 9);
  lrn::OutputFile out(dir.file("o.tif"));
  encode_into(out, info, px);
  out.commit();
  lrn::MemorySink mem("m.tif");
  encode_into(mem, info, px);
  CHECK(lrn_test::read_bytes(dir.file("o.tif")) == mem.bytes);
}

TEST_CASE("tiff: EXIF's numeric IFD0 tags typed ASCII never reach TIFFSetField", "[image][tiff]") {
  // tests/data/hostile/jpeg_exif_ascii_resolution.jpg: Orientation, XResolution, YResolution
  // and ResolutionUnit typed ASCII beside an ImageDescription. TIFFSetField reads its varargs
  // as the tag's own type (a double for the resolutions), so a string there wrote whatever
  // the register held (0/1).
  const Bytes jpg =
      lrn_test::read_bytes(lrn_test::data_path("hostile/jpeg_exif_ascii_resolution.jpg"));
  REQUIRE(jpg.size() > 20);
  const std::size_t len = std::size_t{jpg[4]} << 8 | jpg[5];  // APP1 right after SOI
  lrn::Metadata m;
  m.exif.assign(jpg.begin() + 6 + 6, jpg.begin() + 4 + static_cast<std::ptrdiff_t>(len));
  REQUIRE(lrn::normalise_exif(m.exif).empty());
  const ImageInfo info{4, 2, 3, false, SampleType::U8};
  AppendOnlySink sink;
  lrn::EncodeOptions opt;
  opt.metadata = &m;
  auto w = lrn::open_tiff_writer(sink, info, opt);
  const Bytes px(info.row_bytes() * info.height, 128);
  w->write_rows(px.data(), info.height);
  w->finish();
  // IFD0's tags as the file says (read here by hand: libtiff wrote it, little-endian).
  const Bytes& f = sink.bytes;
  REQUIRE((f.size() > 8 && f[0] == 'I' && f[1] == 'I'));
  auto u = [&](std::size_t at, int n) {
    std::uint32_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint32_t{f.at(at + i)} << (8 * i);
    return v;
  };
  const std::uint32_t ifd = u(4, 4);
  std::map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> tags;  // tag: type, count
  std::string description;
  for (std::uint32_t i = 0; i < u(ifd, 2); ++i) {
    const std::size_t e = ifd + 2 + 12 * std::size_t{i};
    tags[u(e, 2)] = {u(e + 2, 2), u(e + 4, 4)};
    if (u(e, 2) == 270 && u(e + 4, 4) == 4)
      description.assign(f.begin() + e + 8, f.begin() + e + 11);
  }
  CHECK(description == "lrn");
  CHECK(tags.count(274) == 0);  // Orientation
  CHECK(tags.count(282) == 0);  // XResolution
  CHECK(tags.count(283) == 0);  // YResolution
  CHECK(tags.count(296) == 0);  // ResolutionUnit
}

TEST_CASE("tiff: pointers in the EXIF IFD are not copied into the new file", "[image][tiff]") {
  // tests/data/hostile/jpeg_exif_ifd_points_to_ifd0.jpg: the EXIF IFD pointer (34665) points
  // back at IFD0, so the EXIF IFD read is IFD0 itself, 34665 included. Copied, the output's
  // EXIF IFD pointed at offset 8 of the new file (exiftool: "ExifIFD pointer references
  // previous ExifIFD directory"). A GPS pointer and an IFD-typed entry go the same way.
  for (const bool little : {true, false}) {
    Bytes exif = {std::uint8_t(little ? 'I' : 'M'), std::uint8_t(little ? 'I' : 'M')};
    auto put = [&](std::uint32_t x, int n) {
      for (int i = 0; i < n; ++i)
        exif.push_back(static_cast<std::uint8_t>(x >> (8 * (little ? i : n - 1 - i))));
    };
    put(42, 2);
    put(8, 4);
    put(6, 2);  // IFD0 at 8, which the EXIF IFD pointer names again
    // Tags ascending, as TIFF wants: a description, the image's StripOffsets (structure of the
    // file it came from), the pointers, an IFD-typed entry, and ExifVersion (EXIF data).
    const std::uint32_t entries[6][4] = {{270, 2, 4, 0},   {273, 4, 1, 8},    {34665, 4, 1, 8},
                                         {34853, 4, 1, 8}, {0x9000, 7, 4, 0}, {0x9999, 13, 1, 8}};
    for (const auto& e : entries) {
      put(e[0], 2);
      put(e[1], 2);
      put(e[2], 4);
      if (e[0] == 270) exif.insert(exif.end(), {'a', 'b', 'c', 0});
      else if (e[0] == 0x9000) exif.insert(exif.end(), {'0', '2', '3', '2'});
      else put(e[3], 4);
    }
    put(0, 4);
    std::vector<lrn::TiffEntry> ifd0, sub;
    lrn::exif_entries(exif, &ifd0, &sub);
    REQUIRE(ifd0.size() == 1);
    CHECK(ifd0[0].tag == 270);
    // Of the EXIF IFD (IFD0 again) only ExifVersion is EXIF's: the description and the strip
    // offsets are IFD0's own tags, the rest pointers.
    REQUIRE(sub.size() == 1);
    CHECK(sub[0].tag == 0x9000);
  }
}

TEST_CASE("tiff: EXIF entries with no values are skipped", "[image][tiff]") {
  // fuzz_tiff: an XResolution with count 0 became an empty entry, whose zero bytes were
  // copied from a null pointer (UBSan; tests/data/hostile/tiff_exif_zero_count.tif).
  Bytes exif = {'I', 'I', 42, 0, 8, 0, 0, 0, 3, 0};
  auto entry = [&](std::uint16_t tag, std::uint16_t type, std::uint32_t count, Bytes value) {
    for (std::uint32_t x : {std::uint32_t{tag}, std::uint32_t{type}})
      exif.insert(exif.end(), {std::uint8_t(x), std::uint8_t(x >> 8)});
    for (int i = 0; i < 4; ++i) exif.push_back(std::uint8_t(count >> (8 * i)));
    exif.insert(exif.end(), value.begin(), value.end());
  };
  entry(270, 2, 0, {0, 0, 0, 0});        // ImageDescription, no characters
  entry(271, 2, 4, {'a', 'b', 'c', 0});  // Make "abc"
  entry(282, 5, 0, {0, 0, 0, 0});        // XResolution, no rational
  exif.insert(exif.end(), {0, 0, 0, 0});
  std::vector<lrn::TiffEntry> ifd0, sub;
  lrn::exif_entries(exif, &ifd0, &sub);
  REQUIRE(ifd0.size() == 1);
  CHECK(ifd0[0].tag == 271);
  CHECK(ifd0[0].value == Bytes{'a', 'b', 'c', 0});
  CHECK(sub.empty());
}
