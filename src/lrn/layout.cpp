// Tensor layouts: names, shapes under a layout, and the channel-first look-alike rule.
#include "lrn/layout.h"

namespace lrn {

const char* layout_name(Layout l) {
  switch (l) {
    case Layout::Hwc: return "hwc";
    case Layout::Chw: return "chw";
    case Layout::Nhwc: return "nhwc";
    case Layout::Nchw: return "nchw";
  }
  return "?";
}

std::optional<Layout> parse_layout(const std::string& name) {
  for (Layout l : {Layout::Hwc, Layout::Chw, Layout::Nhwc, Layout::Nchw})
    if (name == layout_name(l)) return l;
  return std::nullopt;
}

std::optional<TensorShape> shape_for_layout(const std::vector<std::uint64_t>& dims, Layout layout) {
  TensorShape s;
  s.dims = dims;
  s.planar = is_planar(layout);
  const std::size_t rank = has_batch(layout) ? 4 : 3;
  if (dims.size() == 2) {
    s.height = static_cast<std::size_t>(dims[0]);
    s.width = static_cast<std::size_t>(dims[1]);
    s.planar = false;  // one channel: both orders are the same bytes
    return s;
  }
  if (dims.size() != rank) return std::nullopt;
  std::size_t i = 0;
  if (rank == 4) s.images = static_cast<std::size_t>(dims[i++]);
  if (s.planar) {
    s.channels = static_cast<std::size_t>(dims[i]);
    s.height = static_cast<std::size_t>(dims[i + 1]);
    s.width = static_cast<std::size_t>(dims[i + 2]);
  } else {
    s.height = static_cast<std::size_t>(dims[i]);
    s.width = static_cast<std::size_t>(dims[i + 1]);
    s.channels = static_cast<std::size_t>(dims[i + 2]);
  }
  return s;
}

std::optional<TensorShape> default_shape(const std::vector<std::uint64_t>& dims) {
  if (dims.size() == 4) return shape_for_layout(dims, Layout::Nhwc);
  return shape_for_layout(dims, Layout::Hwc);
}

bool looks_channel_first(const std::vector<std::uint64_t>& dims) {
  if (dims.size() != 3 && dims.size() != 4) return false;
  const std::size_t k = dims.size() - 3;
  const std::uint64_t a = dims[k], b = dims[k + 1], c = dims[k + 2];
  const bool image = a >= 1 && a <= 4 && c > 4 && c > a;
  const bool square_map = b == c && a != b;
  return image || square_map;
}

std::string shape_text(const std::vector<std::uint64_t>& dims) {
  std::string s = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? "," : "") + std::to_string(dims[i]);
  return s + (dims.size() == 1 ? ",)" : ")");
}

}  // namespace lrn
