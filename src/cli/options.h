// The command line: lrn-img's options, presets and conventions, parsed into RunOptions.
#pragma once

#include <string>
#include <vector>

#include "lrn/convention.h"
#include "lrn_img/file.h"
#include "pipeline/pipeline.h"

namespace lrn::cli {

/// How a set of images is run: one IN OUT pair, or a batch into -O DIR.
struct BatchOptions {
  std::vector<std::string> inputs;  ///< the positionals, then the --files-from list
  std::string output;               ///< single mode: OUT
  std::string out_dir;              ///< batch mode: -O DIR
  std::string files_from;           ///< --files-from FILE ("-" is stdin)
  bool nul = false;                 ///< -0: the list is NUL-separated
  std::string suffix;               ///< added to each output's stem
  unsigned jobs = 1;                ///< images in parallel
  bool skip_existing = false;
  bool quiet = false;
  bool stats = false;
  bool json = false;
  bool recursive = false;   ///< -R: folders among the inputs are walked
  std::string base;         ///< --base DIR: outputs keep their folders below DIR
  bool dry_run = false;     ///< print the planned IN -> OUT pairs, run nothing
  std::string json_method;  ///< --json's "method", "convention" and "params" members
  bool batch() const { return !out_dir.empty() || !files_from.empty(); }
};

struct CliOptions {
  BatchOptions batch;
  FrameworkParams framework;  ///< the parameters as the user stated them
  RunOptions run;             ///< run.params resolved from `framework`; run.threads per image
  bool print_params = false;
};

/// The library's options for one IN OUT pair of this command line: every option of o.run,
/// the parameters as resolved once at parsing, statistics when --stats or --json asks, and
/// parameter names spelled as options. `threads` is the threads per image (>= 1); warn and
/// cancel are the runner's to set.
lrn_img::FileOptions file_options(const CliOptions& o, unsigned threads);

/// What parse_command_line decided.
struct ParseResult {
  bool proceed = false;  ///< false: help or version was printed; exit with exit_code
  int exit_code = 0;
  CliOptions options;
};

/// Parses argv. Prints --help / --version to stdout (exit 0), and for no arguments at all the
/// usage line to stderr (exit 2). Throws UsageError (exit 2), in lrn-img's words, for anything
/// wrong on the command line: what CLI11 would refuse, and an option outside its use (help.h).
ParseResult parse_command_line(int argc, char** argv);

/// The same, always through CLI11 (parse_command_line skips it for a plain `IN OUT`); for
/// tests that check both paths agree.
ParseResult parse_command_line_with_cli11(int argc, char** argv);

/// Every option given to CLI11, as "-r,--radius" (short names first), so tests can hold
/// --help's table (help.h) to what is parsed.
std::vector<std::string> parsed_option_names();

/// A family method's name, convention and every parameter, one per line (--print-params).
std::string describe_method(const FamilyMethod& m);

/// The resolved parameters in every convention, one per line (for --print-params).
std::string describe_params(const LrnParams& p);

}  // namespace lrn::cli
