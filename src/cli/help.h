// The option table behind --help, the usage line, and which options apply in which use.
#pragma once

#include <string>
#include <vector>

namespace lrn::cli {

/// The uses of lrn-img an option can apply to (a bit set). Single: IN OUT, two files.
/// Batch: IN... -O DIR or --files-from. Stream: - as IN or OUT. Print: --print-params.
enum Use : unsigned { kSingle = 1, kBatch = 2, kStream = 4, kPrint = 8 };
constexpr unsigned kFileUses = kSingle | kBatch | kStream;
constexpr unsigned kEveryUse = kFileUses | kPrint;

/// One option as --help shows it, and where it applies. The table is hand-written so --help
/// reads well; tests/test_help.cpp checks it names exactly the options CLI11 parses.
struct OptionDoc {
  const char* group;  ///< the --help heading it is listed under
  const char* names;  ///< as shown and as declared to CLI11: "-r,--radius" or "--size"
  const char* value;  ///< the value's name ("R"); empty for a flag
  const char* text;   ///< one line, wrapped to the terminal
  unsigned uses;      ///< bit set of Use where giving it means something
  /// Documented before the option exists (a branch adding it is not merged yet): not shown,
  /// not checked. Merging that branch turns this off.
  bool pending = false;
};

/// Every option, in --help's order.
const std::vector<OptionDoc>& option_docs();

/// The entry for "--radius", "-r" or "radius"; nullptr when none (pending ones excluded).
const OptionDoc* find_option_doc(const std::string& name);

/// The option's long name with its dashes, "--radius" for "-r,--radius".
std::string long_name(const OptionDoc& d);

/// "usage: lrn-img IN OUT [options], or ...": first line of --help and of a bare `lrn-img`.
const char* usage_line();

/// The whole --help text, every line at most `width` columns (at least 72: the usage line and
/// the examples are not wrapped).
std::string help_text(int width);

/// The width to wrap --help to: $COLUMNS, else the width of the terminal on stdout or stderr,
/// clamped to 72..160 (longer lines read badly); 80 when none is known.
int help_width();

}  // namespace lrn::cli
