// Formats lrn-img recognises but does not read, by their first bytes, so an input is named
// for what it is ("'x.gif' is a GIF image") instead of "not an image".
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lrn {

/// One signature: `magic` at `offset`, and `magic2` at `offset2` when it is not empty; with
/// space_after, the byte after `magic` is ASCII white space (the PNM headers). A data table so
/// that the codec table (signature, extensions, factories) can absorb it: a format that becomes
/// readable moves from this table to its codec.
struct Signature {
  const char* what;  ///< "a GIF image", as in "'x.gif' is a GIF image"
  bool image;        ///< false: a document or archive (PDF, ZIP), "not an image" in a folder walk
  std::size_t offset;
  std::string_view magic;
  std::size_t offset2 = 0;
  std::string_view magic2 = {};
  bool space_after = false;
};

/// Bytes of a file's head that every signature here and in sniff_format() fits in.
constexpr std::size_t kSniffBytes = 32;

/// The table, in the order it is tried.
const std::vector<Signature>& unsupported_signatures();

/// The entry matching `head` (a file's first bytes, up to kSniffBytes), or nullptr.
const Signature* unsupported_format(const std::vector<std::uint8_t>& head);

/// The message for a file that matches `s`: "'x.gif' is a GIF image; lrn-img reads JPEG, PNG
/// and .npy" (name quoted and escaped).
std::string unsupported_message(const std::string& name, const Signature& s);

}  // namespace lrn
