// The library's exception types (include/lrn_img/errors.h) and their parameter marks.
#include "lrn_img/errors.h"

namespace lrn_img {
namespace {
// Control bytes never left in a message otherwise (lrn::escaped() removes them).
constexpr char kOpen = '\x01', kClose = '\x02';
}  // namespace

std::string param(std::string_view name) {
  std::string s(1, kOpen);
  s.append(name);
  s += kClose;
  return s;
}

std::string worded(const std::string& text, const Spelling& spell) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != kOpen) {
      out += text[i];
      continue;
    }
    const std::size_t end = text.find(kClose, i + 1);
    if (end == std::string::npos) {  // unmatched: keep the rest as it is
      out.append(text, i, std::string::npos);
      break;
    }
    const std::string_view name(text.data() + i + 1, end - i - 1);
    out += spell ? spell(name) : std::string(name);
    i = end;
  }
  return out;
}

Error::Error(const std::string& text)
    : std::runtime_error(lrn_img::worded(text, {})), text_(text) {}

std::string Error::worded(const Spelling& spell) const { return lrn_img::worded(text_, spell); }

InvalidArgument::InvalidArgument(const std::string& text, std::string parameter, std::string value)
    : Error(text), parameter_(std::move(parameter)), value_(std::move(value)) {}

Cancelled::Cancelled() : Error("cancelled") {}

FileError::FileError(const std::string& text, std::string path)
    : Error(text), path_(std::move(path)) {}

FileCancelled::FileCancelled(const std::string& text, std::string path)
    : FileError(text, std::move(path)) {}

const char* limit_name(Limit l) {
  switch (l) {
    case Limit::NpyBytes: return "max_npy_bytes";
    case Limit::RowBytes: return "max_row_bytes";
    case Limit::Pixels: break;
  }
  return "max_pixels";
}

LimitExceeded::LimitExceeded(const std::string& text, std::string path, Limit limit,
                             std::uint64_t value, std::uint64_t maximum)
    : FileError(text, std::move(path)), limit_(limit), value_(value), maximum_(maximum) {}

}  // namespace lrn_img
