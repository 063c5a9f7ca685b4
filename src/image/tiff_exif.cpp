// EXIF between TIFF files and EXIF's TIFF structure (tiff_exif.h).
#include "image/tiff_exif.h"

#include <algorithm>
#include <cstring>

#include "image/metadata.h"

namespace lrn {
namespace {

constexpr std::uint16_t kExifIfdTag = 34665;
constexpr unsigned kMaxEntries = 1000;  // a directory with more is not EXIF

bool host_little() {
  const std::uint16_t one = 1;
  std::uint8_t b;
  std::memcpy(&b, &one, 1);
  return b == 1;
}

// Bytes of one unit of a type that swap together; 0 for an unknown type.
unsigned unit_size(std::uint16_t type) {
  switch (type) {
    case 1:
    case 2:
    case 6:
    case 7: return 1;  // BYTE, ASCII, SBYTE, UNDEFINED
    case 3:
    case 8: return 2;  // SHORT, SSHORT
    case 4:
    case 9:
    case 11:
    case 13: return 4;  // LONG, SLONG, FLOAT, IFD
    case 5:
    case 10: return 4;  // RATIONAL, SRATIONAL: two LONGs
    case 12: return 8;  // DOUBLE
    default: return 0;
  }
}
unsigned units_per_value(std::uint16_t type) { return type == 5 || type == 10 ? 2 : 1; }

void swap_units(std::vector<std::uint8_t>& v, unsigned unit) {
  if (unit <= 1) return;
  for (std::size_t i = 0; i + unit <= v.size(); i += unit)
    std::reverse(v.begin() + i, v.begin() + i + unit);
}

struct Structure {
  const ReadAt& read;
  std::uint64_t size;
  bool little;

  bool bytes(std::uint64_t at, std::size_t n, std::uint8_t* out) const {
    return at <= size && n <= size - at && read(at, out, n) == n;
  }
  std::uint32_t u(const std::uint8_t* p, int n) const {
    std::uint32_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint32_t{p[little ? i : n - 1 - i]} << (8 * i);
    return v;
  }
  // The `wanted` entries of the directory at `at`, values in this structure's byte order;
  // false when it is malformed or `budget` (bytes of values still allowed) runs out.
  bool directory(std::uint64_t at, std::vector<TiffEntry>* out, std::size_t* budget,
                 bool (*wanted)(std::uint16_t, std::uint16_t)) const {
    std::uint8_t b[12];
    if (!bytes(at, 2, b)) return false;
    const unsigned n = u(b, 2);
    if (n > kMaxEntries) return false;
    for (unsigned i = 0; i < n; ++i) {
      if (!bytes(at + 2 + 12 * std::uint64_t{i}, 12, b)) return false;
      TiffEntry e;
      e.tag = static_cast<std::uint16_t>(u(b, 2));
      e.type = static_cast<std::uint16_t>(u(b + 2, 2));
      e.count = u(b + 4, 4);
      const unsigned unit = unit_size(e.type);
      // Unknown types are skipped, as readers must; so is an entry with no values (count 0,
      // which TIFF does not allow), so that no entry is empty.
      if (unit == 0 || e.count == 0 || !wanted(e.tag, e.type)) continue;
      const std::uint64_t len = std::uint64_t{e.count} * unit * units_per_value(e.type);
      if (len > *budget) return false;
      *budget -= static_cast<std::size_t>(len);
      e.value.resize(static_cast<std::size_t>(len));
      if (len <= 4) std::memcpy(e.value.data(), b + 8, static_cast<std::size_t>(len));
      else if (!bytes(u(b + 8, 4), e.value.size(), e.value.data())) return false;
      out->push_back(std::move(e));
    }
    return true;
  }
};

void put(std::vector<std::uint8_t>& v, std::size_t at, std::uint32_t x, int n, bool little) {
  for (int i = 0; i < n; ++i)
    v[at + (little ? i : n - 1 - i)] = static_cast<std::uint8_t>(x >> (8 * i));
}

// A directory at `at` in a structure of byte order `little`; values as given.
std::vector<std::uint8_t> serialise(std::vector<TiffEntry> entries, std::uint32_t at, bool little,
                                    std::uint32_t next = 0) {
  std::sort(entries.begin(), entries.end(),
            [](const TiffEntry& a, const TiffEntry& b) { return a.tag < b.tag; });
  const std::size_t head = 2 + 12 * entries.size() + 4;
  std::vector<std::uint8_t> out(head);
  put(out, 0, static_cast<std::uint32_t>(entries.size()), 2, little);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const TiffEntry& e = entries[i];
    const std::size_t p = 2 + 12 * i;
    put(out, p, e.tag, 2, little);
    put(out, p + 2, e.type, 2, little);
    put(out, p + 4, e.count, 4, little);
    if (e.value.size() <= 4) {
      if (!e.value.empty()) std::memcpy(out.data() + p + 8, e.value.data(), e.value.size());
    } else {
      if (out.size() % 2) out.push_back(0);
      put(out, p + 8, static_cast<std::uint32_t>(at + out.size()), 4, little);
      out.insert(out.end(), e.value.begin(), e.value.end());
    }
  }
  put(out, head - 4, next, 4, little);
  return out;
}

bool first_wanted(std::uint16_t tag, std::uint16_t) {
  return tag == kExifIfdTag || is_descriptive_tag(tag);
}
// Pointers to directories (Interop, GPS, SubIFDs, any IFD-typed entry, and an EXIF IFD
// pointer in the EXIF IFD itself, as when it points back at IFD0) hold offsets into the file
// they came from: copied, they would point anywhere in the new one, or back at themselves.
// Every tag EXIF defines for its own directory is 0x8000 or above (ExposureTime 0x829A ..
// Gamma 0xA500); below are the baseline TIFF tags (StripOffsets, ImageWidth, ...), which an
// EXIF IFD pointing back at IFD0 would otherwise copy as the image's structure.
bool exif_wanted(std::uint16_t tag, std::uint16_t type) {
  return tag >= 0x8000 && tag != 0xA005 && tag != 0x8825 && tag != kExifIfdTag && type != 13;
}

}  // namespace

bool is_descriptive_tag(std::uint16_t tag) {
  switch (tag) {
    case 270:
    case 271:
    case 272:
    case 274:
    case 282:
    case 283:
    case 296:
    case 306:
    case 315:
    case 33432: return true;
    default: return false;
  }
}

std::vector<std::uint8_t> exif_from_tiff(const ReadAt& read, std::uint64_t size, std::string* why) {
  std::uint8_t h[8];
  if (size < 8 || read(0, h, 8) != 8) return {};
  const bool little = h[0] == 'I';
  Structure s{read, size, little};
  if (s.u(h + 2, 2) != 42) {
    *why = "EXIF in a BigTIFF";
    return {};
  }
  std::size_t budget = kMaxExifBytes;
  std::vector<TiffEntry> ifd0, exif;
  if (!s.directory(s.u(h + 4, 4), &ifd0, &budget, first_wanted)) {
    *why = "EXIF in a damaged or oversized first directory";
    return {};
  }
  std::uint32_t exif_at = 0;
  std::vector<TiffEntry> kept;
  for (TiffEntry& e : ifd0) {
    if (e.tag == kExifIfdTag && e.value.size() == 4) exif_at = s.u(e.value.data(), 4);
    else if (is_descriptive_tag(e.tag)) kept.push_back(std::move(e));
  }
  if (exif_at != 0 && !s.directory(exif_at, &exif, &budget, exif_wanted)) {
    *why = "a damaged or oversized EXIF directory";
    return {};
  }
  if (kept.empty() && exif.empty()) return {};
  std::vector<std::uint8_t> out(8);
  out[0] = out[1] = little ? 'I' : 'M';
  put(out, 2, 42, 2, little);
  put(out, 4, 8, 4, little);
  if (!exif.empty()) {
    TiffEntry pointer{kExifIfdTag, 4, 1, std::vector<std::uint8_t>(4)};
    kept.push_back(pointer);
  }
  std::vector<std::uint8_t> first = serialise(kept, 8, little);
  if (!exif.empty()) {
    // The pointer's value: where the EXIF IFD starts, right after the first directory.
    const std::uint32_t exif_off = static_cast<std::uint32_t>(8 + first.size() + first.size() % 2);
    for (TiffEntry& e : kept)
      if (e.tag == kExifIfdTag) put(e.value, 0, exif_off, 4, little);
    first = serialise(kept, 8, little);
    out.insert(out.end(), first.begin(), first.end());
    if (out.size() % 2) out.push_back(0);
    const std::vector<std::uint8_t> second = serialise(exif, exif_off, little);
    out.insert(out.end(), second.begin(), second.end());
  } else {
    out.insert(out.end(), first.begin(), first.end());
  }
  return out;
}

void exif_entries(const std::vector<std::uint8_t>& exif, std::vector<TiffEntry>* ifd0,
                  std::vector<TiffEntry>* exif_ifd) {
  if (exif.size() < 8) return;
  const ReadAt read = [&](std::uint64_t at, std::uint8_t* dst, std::size_t n) -> std::size_t {
    if (at > exif.size() || n > exif.size() - at) return 0;
    std::memcpy(dst, exif.data() + at, n);
    return n;
  };
  Structure s{read, exif.size(), exif[0] == 'I'};
  std::size_t budget = kMaxExifBytes;
  std::vector<TiffEntry> first, second;
  if (!s.directory(s.u(exif.data() + 4, 4), &first, &budget, first_wanted)) return;
  for (TiffEntry& e : first) {
    if (e.tag == kExifIfdTag && e.value.size() == 4) {
      if (!s.directory(s.u(e.value.data(), 4), &second, &budget, exif_wanted)) second.clear();
    } else if (is_descriptive_tag(e.tag)) {
      ifd0->push_back(std::move(e));
    }
  }
  for (TiffEntry& e : second) exif_ifd->push_back(std::move(e));
  if (s.little != host_little())
    for (auto* list : {ifd0, exif_ifd})
      for (TiffEntry& e : *list) swap_units(e.value, unit_size(e.type));
}

std::vector<std::uint8_t> directory_bytes(std::vector<TiffEntry> entries, std::uint32_t at) {
  return serialise(std::move(entries), at, host_little());
}

}  // namespace lrn
