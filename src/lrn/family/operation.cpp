// Shared bits of the operation interface.
#include "lrn/family/operation.h"

#include <stdexcept>

namespace lrn::family {

bool Geometry::valid() const {
  return width >= 1 && height >= 1 && channels >= 1 && pixel_stride != 0 && channel_stride != 0;
}

std::string join_problems(const std::vector<std::string>& problems) {
  std::string s;
  for (const std::string& p : problems) s += (s.empty() ? "" : "; ") + p;
  return s;
}

void require_valid(const std::vector<std::string>& problems, const Geometry& g) {
  if (!problems.empty()) throw std::invalid_argument(join_problems(problems));
  if (!g.valid()) throw std::invalid_argument("invalid image geometry");
}

}  // namespace lrn::family
