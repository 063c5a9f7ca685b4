// Shared bits of the operation interface.
#include "lrn/family/operation.h"

namespace lrn::family {

bool Geometry::valid() const {
  return width >= 1 && height >= 1 && channels >= 1 && pixel_stride != 0 && channel_stride != 0;
}

std::string join_problems(const std::vector<std::string>& problems) {
  std::string s;
  for (const std::string& p : problems) s += (s.empty() ? "" : "; ") + p;
  return s;
}

}  // namespace lrn::family
