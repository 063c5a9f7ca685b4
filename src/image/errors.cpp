// Helpers shared by every message the codec and CLI layers produce.
#include "image/errors.h"

#include <cctype>
#include <cstring>

namespace lrn {

std::string quoted(const std::string& path) { return "'" + path + "'"; }

std::string errno_phrase(int err) {
  std::string s = std::strerror(err);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

}  // namespace lrn
