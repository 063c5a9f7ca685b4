// Spelling the library's parameter names as lrn-img's options (cli/wording.h).
#include "cli/wording.h"

namespace lrn::cli {

std::string option_spelling(std::string_view parameter) {
  std::string s = "--";
  for (char c : parameter) s += c == '_' ? '-' : c;
  return s;
}

std::string in_cli_words(const std::string& text) { return lrn_img::worded(text, option_spelling); }

std::string in_cli_words(const std::exception& e) {
  if (const auto* le = dynamic_cast<const lrn_img::Error*>(&e)) return le->worded(option_spelling);
  return e.what();
}

}  // namespace lrn::cli
