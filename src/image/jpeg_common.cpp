// libjpeg's error manager shared by the JPEG decoder and encoder (jpeg_common.h).
#include "image/jpeg_common.h"

#include <cctype>

namespace lrn::jpeg_detail {

std::string tidy(const char* text) {
  std::string s = text;
  if (s.rfind("Warning: ", 0) == 0) s.erase(0, 9);
  if (s.size() > 1 && !std::isupper(static_cast<unsigned char>(s[1])))
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  while (!s.empty() && s.back() == '.') s.pop_back();
  return escaped(s);  // libjpeg's messages can quote bytes from the file
}

[[noreturn]] void error_exit(j_common_ptr c) {
  ErrorMgr* e = error_mgr(c);
  (*c->err->format_message)(c, e->message);
  std::longjmp(e->jump, 1);
}

}  // namespace lrn::jpeg_detail
