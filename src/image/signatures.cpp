// The table of formats lrn-img recognises but does not read (see signatures.h).
#include "image/signatures.h"

#include <algorithm>

#include "image/codec_table.h"
#include "image/errors.h"

namespace lrn {

using namespace std::string_view_literals;

const std::vector<Signature>& unsupported_signatures() {
  // Sources: each format's specification; the same magic as file(1) and libvips' loaders.
  static const std::vector<Signature> table = {
      {"a GIF image", true, 0, "GIF87a"sv},
      {"a GIF image", true, 0, "GIF89a"sv},
      // "BM", then the DIB header size (12..124) as a little-endian 32-bit number: its upper
      // three bytes are zero. "BM" alone starts too many text files.
      {"a BMP image", true, 0, "BM"sv, 15, "\0\0\0"sv},
      // ISO base media files: the ftyp box first, then the major brand.
      {"an AVIF image", true, 4, "ftypavif"sv},
      {"an AVIF image", true, 4, "ftypavis"sv},
      {"a HEIF image", true, 4, "ftypheic"sv},
      {"a HEIF image", true, 4, "ftypheix"sv},
      {"a HEIF image", true, 4, "ftyphevc"sv},
      {"a HEIF image", true, 4, "ftyphevx"sv},
      {"a HEIF image", true, 4, "ftypheim"sv},
      {"a HEIF image", true, 4, "ftypheis"sv},
      {"a HEIF image", true, 4, "ftypmif1"sv},
      {"a HEIF image", true, 4, "ftypmsf1"sv},
      {"a JPEG XL image", true, 0, "\xFF\x0A"sv},
      {"a JPEG XL image", true, 0, "\0\0\0\x0CJXL \r\n\x87\n"sv},
      // Binary PGM and PPM (P5, P6) are read (pnm.cpp); bitmaps and the ASCII forms are not.
      {"a PBM image", true, 0, "P1"sv, 0, {}, true},
      {"a plain-text PNM image", true, 0, "P2"sv, 0, {}, true},
      {"a plain-text PNM image", true, 0, "P3"sv, 0, {}, true},
      {"a PBM image", true, 0, "P4"sv, 0, {}, true},
      {"a PAM image", true, 0, "P7"sv, 0, {}, true},
      {"a PDF document", false, 0, "%PDF-"sv},
      {"a ZIP archive", false, 0, "PK\x03\x04"sv},
      {"a ZIP archive", false, 0, "PK\x05\x06"sv},  // empty
  };
  return table;
}

namespace {

bool has(const std::vector<std::uint8_t>& head, std::size_t offset, std::string_view magic) {
  return head.size() >= offset + magic.size() &&
         std::equal(magic.begin(), magic.end(), head.begin() + static_cast<std::ptrdiff_t>(offset),
                    [](char m, std::uint8_t h) { return static_cast<std::uint8_t>(m) == h; });
}

bool is_space(std::uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

const Signature* unsupported_format(const std::vector<std::uint8_t>& head) {
  for (const Signature& s : unsupported_signatures()) {
    if (!has(head, s.offset, s.magic)) continue;
    if (!s.magic2.empty() && !has(head, s.offset2, s.magic2)) continue;
    if (s.space_after) {
      const std::size_t at = s.offset + s.magic.size();
      if (head.size() <= at || !is_space(head[at])) continue;
    }
    return &s;
  }
  return nullptr;
}

std::string unsupported_message(const std::string& name, const Signature& s) {
  return quoted(name) + " is " + s.what + "; lrn-img reads " + readable_names();
}

}  // namespace lrn
