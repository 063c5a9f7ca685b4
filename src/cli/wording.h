// The command line's words for the library's messages: parameter names as options.
#pragma once

#include <string>
#include <string_view>

#include "lrn_img/errors.h"

namespace lrn::cli {

/// "max_pixels" -> "--max-pixels": how lrn-img spells a parameter the library names.
std::string option_spelling(std::string_view parameter);

/// A library message (an exception's text or a warning) in lrn-img's words.
std::string in_cli_words(const std::string& text);

/// e's message in lrn-img's words: lrn_img::Error's spelled as options, others as they are.
std::string in_cli_words(const std::exception& e);

}  // namespace lrn::cli
