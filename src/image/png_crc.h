// Checks PNG chunk CRCs in the bytes libspng reads. Internal to png.cpp.
//
// libspng either fails on a bad CRC, or uses or drops the chunk and says nothing
// (SPNG_CRC_USE, SPNG_CRC_DISCARD). Following the chunk structure of the bytes it reads is the
// only way to still tell the user: lenient decoding uses damaged chunks and warns; otherwise
// a dropped ancillary chunk is reported (or refused, see png.cpp). Header-only because only
// png.cpp includes it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lrn {

/// CRC-32 as PNG defines it (ISO 3309, polynomial 0xEDB88320, reflected), over `crc`'s
/// running value; start from 0xFFFFFFFF and invert at the end.
inline std::uint32_t png_crc_update(std::uint32_t crc, const std::uint8_t* p, std::size_t n) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  for (std::size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return crc;
}

/// Fed the stream from its first byte (the signature), in any split, it calls on_bad with a
/// chunk's type ("IDAT") when the chunk's stored CRC does not match; once per type. With
/// critical_too false only ancillary chunks (lowercase first letter) are checked, which
/// costs nothing on the image data. on_bad may throw; the check is then in an unknown state.
class ChunkCrcCheck {
 public:
  ChunkCrcCheck(bool critical_too, std::function<void(const std::string&)> on_bad)
      : critical_too_(critical_too), on_bad_(std::move(on_bad)) {}

  void feed(const std::uint8_t* p, std::size_t n) {
    while (n > 0) {
      const std::size_t take = left_ < n ? static_cast<std::size_t>(left_) : n;
      consume(p, take);
      p += take;
      n -= take;
      left_ -= take;
      if (left_ == 0) advance();
    }
  }

 private:
  enum class Part { Signature, Header, Data, Crc };

  static std::uint32_t be32(const std::uint8_t* b) {
    return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
  }

  void consume(const std::uint8_t* p, std::size_t n) {
    switch (part_) {
      case Part::Signature: break;
      case Part::Header:
        for (std::size_t i = 0; i < n; ++i) header_[8 - left_ + i] = p[i];
        break;
      case Part::Data:
        if (checking_) crc_ = png_crc_update(crc_, p, n);
        break;
      case Part::Crc:
        for (std::size_t i = 0; i < n; ++i) stored_[4 - left_ + i] = p[i];
        break;
    }
  }

  void advance() {
    switch (part_) {
      case Part::Signature: start(Part::Header, 8); break;
      case Part::Header: {
        checking_ = critical_too_ || (header_[4] & 0x20) != 0;  // bit 5 of byte 0: ancillary
        crc_ = png_crc_update(0xFFFFFFFFu, header_ + 4, 4);     // the CRC covers type and data
        const std::uint32_t length = be32(header_);
        if (length > 0) start(Part::Data, length);
        else start(Part::Crc, 4);
        break;
      }
      case Part::Data: start(Part::Crc, 4); break;
      case Part::Crc:
        if (checking_ && (crc_ ^ 0xFFFFFFFFu) != be32(stored_)) report();
        start(Part::Header, 8);
        break;
    }
  }

  void start(Part part, std::uint64_t bytes) {
    part_ = part;
    left_ = bytes;
  }

  void report() {
    const std::string type(reinterpret_cast<const char*>(header_ + 4), 4);
    for (const auto& t : reported_)
      if (t == type) return;
    reported_.push_back(type);
    on_bad_(type);
  }

  bool critical_too_;
  std::function<void(const std::string&)> on_bad_;
  bool checking_ = false;  // the current chunk's CRC is being computed
  Part part_ = Part::Signature;
  std::uint64_t left_ = 8;
  std::uint8_t header_[8] = {};
  std::uint8_t stored_[4] = {};
  std::uint32_t crc_ = 0;
  std::vector<std::string> reported_;
};

}  // namespace lrn
