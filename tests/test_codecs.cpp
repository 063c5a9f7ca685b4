// The codec table (image/codec_table.h): every format has one row, extensions and signature
// tests do not overlap, and what reads the table (sniffing, naming, help, README) agrees with it.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

#include "cli/help.h"
#include "image/codec_table.h"
#include "image/signatures.h"
#include "support.h"

namespace {

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// One real file head per format, as a writer of that format starts it.
std::vector<std::uint8_t> head_of(lrn::Format f) {
  std::string s;
  switch (f) {
    case lrn::Format::Jpeg: s = "\xFF\xD8\xFF\xE0\x00\x10JFIF"; break;
    case lrn::Format::Png: s = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR"; break;
    case lrn::Format::Npy: s = std::string("\x93NUMPY\x01\x00v\x00{'descr'", 16); break;
    case lrn::Format::Pnm: s = "P6\n640 480\n255\n"; break;
    case lrn::Format::Tiff: s = std::string("II*\0\x08\0\0\0", 8); break;
    case lrn::Format::Webp: s = "RIFF\x24\x01\x01\x01WEBPVP8L"; break;
  }
  return std::vector<std::uint8_t>(s.begin(), s.end());
}

}  // namespace

TEST_CASE("codecs: one row per format, each found by its own head only", "[image][codecs]") {
  std::set<lrn::Format> seen;
  for (const lrn::Codec* c : lrn::codecs()) {
    CAPTURE(c->name);
    CHECK(seen.insert(c->format).second);
    CHECK(&lrn::codec_of(c->format) == c);
    CHECK(std::string(lrn::format_name(c->format)) == c->name);
    REQUIRE(c->extensions[0]);
    REQUIRE(c->open_reader);
    REQUIRE(c->open_writer);
    for (const lrn::Codec* other : lrn::codecs())
      CHECK(other->sniff(head_of(c->format)) == (other == c));
    CHECK(lrn::unsupported_format(head_of(c->format)) == nullptr);  // not also "refused"
    CHECK(lrn::sniff_format(head_of(c->format)) == c->format);
  }
  CHECK(seen.size() == 6);  // Jpeg, Png, Npy, Pnm, Tiff, Webp: a new Format needs its row
}

TEST_CASE("codecs: every extension names one row, in any case", "[image][codecs]") {
  std::set<std::string> exts;
  for (const lrn::Codec* c : lrn::codecs())
    for (const char* x : c->extensions) {
      if (!x) break;
      CHECK(exts.insert(x).second);
      CHECK(lrn::format_from_extension(std::string("dir.x/file.") + x) == c->format);
      std::string upper(x);
      for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      CHECK(lrn::format_from_extension("FILE." + upper) == c->format);
    }
  CHECK_FALSE(lrn::format_from_extension("a.gif"));
  CHECK_FALSE(lrn::format_from_extension("a.png/file"));
}

TEST_CASE("codecs: the lists in messages, --help and the README come from the table",
          "[image][codecs]") {
  CHECK(lrn::readable_names() == "JPEG, PNG, PNM, TIFF, WebP and .npy");
  CHECK(lrn::output_extensions("or") == "jpg, png, pnm, tif, webp or npy");
  CHECK(lrn::output_extensions("|") == "jpg|png|pnm|tif|webp|npy");
  const std::string help = lrn::cli::help_text(1000);
  CHECK_THAT(help,
             Catch::Matchers::Contains(lrn::output_extensions("or") + ": the format of an OUT"));
  std::string either = lrn::readable_names();  // "JPEG, PNG, PNM, TIFF, WebP or .npy"
  either.replace(either.rfind(" and "), 5, " or ");
  CHECK_THAT(help, Catch::Matchers::Contains("for a " + either + " IN"));
  // The README's Formats table has one row per codec, in the table's order.
  const std::string readme = text_of(lrn_test::source_path("README.md"));
  const auto table = readme.find("| format | input (recognised by content) |");
  REQUIRE(table != std::string::npos);
  std::istringstream rows(readme.substr(table));
  std::string line;
  std::getline(rows, line);
  std::getline(rows, line);  // |---|
  std::vector<std::string> names;
  while (std::getline(rows, line) && line.rfind("| ", 0) == 0) {
    std::string name = line.substr(2, line.find(" |", 2) - 2);
    if (name.size() > 1 && name.front() == '`') name = name.substr(1, name.size() - 2);
    names.push_back(name);
  }
  std::vector<std::string> want;
  for (const lrn::Codec* c : lrn::codecs()) want.push_back(c->name);
  CHECK(names == want);
  CHECK_THAT(readme, Catch::Matchers::Contains("lrn-img reads " + lrn::readable_names()));
}
