// The table of formats lrn-img recognises but does not read: each is named by its first bytes,
// readable formats and near misses are not, and open_reader's message says what a file is.
#include <catch2/catch.hpp>

#include <string>

#include "image/byte_stream.h"
#include "image/format.h"
#include "image/signatures.h"

using lrn::FileError;

namespace {

std::vector<std::uint8_t> bytes(const std::string& s, std::size_t pad = 32) {
  std::vector<std::uint8_t> v(s.begin(), s.end());
  v.resize(std::max(v.size(), pad), 0x20);  // filler as a real file's header would continue
  return v;
}

std::string what(const std::string& head, std::size_t pad = 32) {
  const lrn::Signature* s = lrn::unsupported_format(bytes(head, pad));
  return s ? s->what : "";
}

std::string open_message(const std::vector<std::uint8_t>& b) {
  try {
    lrn::open_reader(lrn::memory_source(b, "x.bin"), {});
  } catch (const FileError& e) {
    return e.what();
  }
  return "(opened)";
}

}  // namespace

TEST_CASE("signatures name the formats lrn-img does not read", "[image][signatures]") {
  using namespace std::string_literals;
  CHECK(what("GIF89a\x01\x00") == "a GIF image");
  CHECK(what("GIF87a") == "a GIF image");
  CHECK(what("BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00"s) ==
        "a BMP image");
  CHECK(what("\0\0\0\x18"
             "ftypheic\0\0\0\0"s) == "a HEIF image");
  CHECK(what("\0\0\0\x1c"
             "ftypmif1\0\0\0\0"s) == "a HEIF image");
  CHECK(what("\0\0\0\x20"
             "ftypavif\0\0\0\0"s) == "an AVIF image");
  CHECK(what("\xff\x0a\xfa\x7f"s) == "a JPEG XL image");
  CHECK(what("\0\0\0\x0cJXL \r\n\x87\n"s) == "a JPEG XL image");
  CHECK(what("P1\n# comment\n") == "a PBM image");
  CHECK(what("P4 8 8\n") == "a PBM image");
  CHECK(what("P3\n2 2\n255\n") == "a plain-text PNM image");
  CHECK(what("P7\nWIDTH 2\n") == "a PAM image");
  CHECK(what("%PDF-1.7\n") == "a PDF document");
  CHECK(what("PK\x03\x04\x14\0"s) == "a ZIP archive");
  CHECK_FALSE(lrn::unsupported_format(bytes("%PDF-1.7"))->image);
  CHECK(lrn::unsupported_format(bytes("GIF89a"))->image);
}

TEST_CASE("near misses and readable formats match no signature", "[image][signatures]") {
  using namespace std::string_literals;
  CHECK(what("BMW and Audi, a list of cars\n") == "");            // "BM" alone is text
  CHECK(what("P2 is a paper size") == "a plain-text PNM image");  // the header grammar allows it
  CHECK(what("P2x") == "");
  CHECK(what("RIFF\x10\x00\x00\x00WAVEfmt "s) == "");  // a RIFF that is not WebP
  CHECK(what("\0\0\0\x18"
             "ftypisom\0\0\0\0"s) == "");  // an MP4
  CHECK(what("GIF8") == "");
  CHECK(what("GIF89a", 0) == "a GIF image");  // no padding needed
  CHECK(what("RIFF", 0) == "");               // too short to say
  CHECK(what("") == "");
  CHECK(what("\xff\xd8\xff\xe0"s) == "");  // JPEG: read, not in this table
  CHECK(what("\x89PNG\r\n\x1a\n"s) == "");
  CHECK(what("\x93NUMPY\x01\x00"s) == "");
  CHECK(what("P6\n640 427\n255\n") == "");  // binary PPM and PGM: read (pnm.cpp)
  CHECK(what("P5 2 2 255\n") == "");
  CHECK(what("II*\0\x08\0\0\0"s) == "");  // TIFF: read (tiff.cpp)
  CHECK(what("MM\0*\0\0\0\x08"s) == "");
  CHECK(what("RIFF\x10\x00\x00\x00WEBPVP8 "s) == "");  // WebP: read (webp.cpp)
}

TEST_CASE("open_reader says what an unreadable file is", "[image][signatures]") {
  SECTION("a known format") {
    CHECK(open_message(bytes("GIF89a")) ==
          "'x.bin' is a GIF image; lrn-img reads JPEG, PNG, PNM, TIFF, WebP and .npy");
    CHECK(open_message(bytes("%PDF-1.4")) ==
          "'x.bin' is a PDF document; lrn-img reads JPEG, PNG, PNM, TIFF, WebP and .npy");
  }
  SECTION("unknown or too short") {
    CHECK(open_message(bytes("hello", 0)) ==
          "cannot decode 'x.bin': not an image; lrn-img reads JPEG, PNG, PNM, TIFF, WebP and .npy");
    CHECK(open_message(bytes("RIFF", 0)) ==
          "cannot decode 'x.bin': not an image; lrn-img reads JPEG, PNG, PNM, TIFF, WebP and .npy");
    CHECK(open_message({}) == "cannot decode 'x.bin': the file is empty");
  }
}
