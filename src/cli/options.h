// The command line: lrn-img's options, presets and conventions, parsed into RunOptions.
#pragma once

#include <string>

#include "image/pipeline.h"
#include "lrn/convention.h"

namespace lrn::cli {

struct CliOptions {
  std::string input;
  std::string output;
  FrameworkParams framework;   ///< the parameters as the user stated them
  RunOptions run;              ///< run.params resolved from `framework`
  bool print_params = false;
};

/// What parse_command_line decided.
struct ParseResult {
  bool proceed = false;  ///< false: help or version was printed; exit with exit_code
  int exit_code = 0;
  CliOptions options;
};

/// Parses argv. Prints --help / --version to stdout. Throws UsageError (exit 2) for anything
/// wrong on the command line, CLI11's own parse errors included.
ParseResult parse_command_line(int argc, char** argv);

/// The resolved parameters in every convention, one per line (for --print-params).
std::string describe_params(const LrnParams& p);

/// A locale-independent number: a decimal, or a quotient "a/b" such as "0.001/9".
/// Throws UsageError naming the option when the text is not a finite number.
double parse_number(const std::string& text, const std::string& option);

}  // namespace lrn::cli
