// Reading argv before CLI11 does: every mistake in how options are spelt becomes a message in
// lrn-img's own words, and CLI11 is handed a form it cannot misread.
#pragma once

#include <string>
#include <vector>

namespace lrn::cli {

/// One option as it may be spelt on the command line.
struct OptionSpelling {
  std::string long_name;    ///< "--radius"
  std::string short_names;  ///< "r"; may be empty
  bool takes_value = false;
};

/// argv (without argv[0]) read with CLI11's syntax: --name, --name=value, --name value, -n,
/// -nVALUE, -n VALUE, combined flags (-0h), "--" ending the options, "-" and "-1..." as files.
/// Returns the same command line as CLI11 would take it, in a form it cannot misread: each
/// option as its long name, each value as the next argument, then "--" and the files.
/// Throws UsageError, naming the option, the value given and what would be right, for: an
/// unknown option (with the closest known one), a flag given a value (--rescale=3), a value
/// missing (at the end, or the next argument is itself an option), an empty value (but
/// --suffix, where it means none), one option given two different values.
std::vector<std::string> normalize_arguments(const std::vector<OptionSpelling>& options,
                                             const std::vector<std::string>& args);

/// The candidate `typed` most likely meant: the same ignoring case, the only one it begins,
/// or one or two edits away (a letter added, dropped, changed or two swapped); "" if none.
std::string closest(const std::string& typed, const std::vector<std::string>& candidates);

/// "; did you mean 'x'?" for closest(typed, candidates), or "".
std::string did_you_mean(const std::string& typed, const std::vector<std::string>& candidates);

}  // namespace lrn::cli
