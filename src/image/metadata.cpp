// EXIF and ICC carried on request (metadata.h).
#include "image/metadata.h"

#include <cstring>

namespace lrn {
namespace {

// The byte offset of IFD0's Orientation entry in a TIFF structure, 0 when there is none.
std::size_t orientation_entry(const std::uint8_t* t, std::size_t n, bool* little_out) {
  if (n < 8) return 0;
  const bool little = t[0] == 'I' && t[1] == 'I';
  if (!little && !(t[0] == 'M' && t[1] == 'M')) return 0;
  auto u16 = [&](std::size_t at) -> unsigned {
    return little ? t[at] | t[at + 1] << 8 : t[at] << 8 | t[at + 1];
  };
  auto u32 = [&](std::size_t at) -> std::uint32_t {
    return little ? u16(at) | std::uint32_t{u16(at + 2)} << 16
                  : std::uint32_t{u16(at)} << 16 | u16(at + 2);
  };
  const std::uint32_t ifd = u32(4);
  if (ifd < 8 || ifd > n - 2) return 0;
  const unsigned entries = u16(ifd);
  for (unsigned i = 0; i < entries; ++i) {
    const std::size_t e = ifd + 2 + std::size_t{i} * 12;
    if (e + 12 > n) return 0;
    if (u16(e) == 0x0112 && u16(e + 2) == 3 /* SHORT */ && u32(e + 4) == 1) {
      *little_out = little;
      return e;
    }
  }
  return 0;
}

}  // namespace

std::string describe(const Metadata& m) {
  std::string s;
  if (!m.exif.empty()) s = "EXIF (" + std::to_string(m.exif.size()) + " bytes)";
  if (!m.icc.empty())
    s += (s.empty() ? "" : " and ") + std::string("an ICC profile (") +
         std::to_string(m.icc.size()) + " bytes)";
  return s;
}

std::string normalise_exif(std::vector<std::uint8_t>& exif) {
  if (exif.size() >= 6 && std::memcmp(exif.data(), "Exif\0\0", 6) == 0)
    exif.erase(exif.begin(), exif.begin() + 6);
  if (exif.size() > kMaxExifBytes)
    return "EXIF of " + std::to_string(exif.size()) + " bytes is over the cap of " +
           std::to_string(kMaxExifBytes);
  const bool tiff = exif.size() >= 8 && (std::memcmp(exif.data(), "II*\0", 4) == 0 ||
                                         std::memcmp(exif.data(), "MM\0*", 4) == 0);
  if (!tiff) return "EXIF that is not a TIFF structure";
  const std::uint8_t* t = exif.data();
  const std::uint32_t ifd = t[0] == 'I' ? t[4] | t[5] << 8 | t[6] << 16 | std::uint32_t{t[7]} << 24
                                        : std::uint32_t{t[4]} << 24 | t[5] << 16 | t[6] << 8 | t[7];
  if (ifd < 8 || ifd > exif.size() - 2) return "EXIF whose first directory lies outside it";
  return {};
}

int tiff_orientation(const std::uint8_t* tiff, std::size_t size) {
  bool little = true;
  const std::size_t e = orientation_entry(tiff, size, &little);
  if (!e) return 1;
  const unsigned v = little ? tiff[e + 8] | tiff[e + 9] << 8 : tiff[e + 8] << 8 | tiff[e + 9];
  return v >= 1 && v <= 8 ? static_cast<int>(v) : 1;
}

void reset_orientation(std::vector<std::uint8_t>& tiff) {
  bool little = true;
  const std::size_t e = orientation_entry(tiff.data(), tiff.size(), &little);
  if (!e) return;
  tiff[e + 8] = little ? 1 : 0;
  tiff[e + 9] = little ? 0 : 1;
}

}  // namespace lrn
