// A batch's inputs as found: folders walked under -R (images found by content), and the
// folder below -O each output goes to (-R and --base mirror the input tree).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"

namespace lrn::cli {

struct Input {
  std::string path;     ///< as given, or as found: the folder as given + "/" + names
  std::string rel_dir;  ///< the folder below -O its output goes to; "" is -O itself
  /// Found in a folder walk: the readable format its first bytes say (names the output when
  /// its extension does not).
  std::optional<Format> content;
  /// Found in a walk and known to fail before any decoding (a GIF, a file that cannot be
  /// opened): the whole error message, and the short reason for --dry-run.
  std::string error, why;
};

struct Inputs {
  std::vector<Input> files;             ///< in the order given; each folder sorted bytewise
  std::vector<std::string> not_images;  ///< found in a walk but not images: skipped, counted
};

/// Expands the positionals and the --files-from entries. A folder is walked with -R (else a
/// UsageError suggesting -R): symlinks followed, hidden files included, entries sorted
/// bytewise, a symlink back to a folder being walked reported once as a warning and not
/// followed, FIFOs and devices never opened. Throws UsageError when -O lies inside a walked
/// folder or an input is not below --base; FileError when a folder cannot be read (the run
/// stops before any work rather than leave a part of the tree out unnoticed).
Inputs expand_inputs(const std::vector<std::string>& args, const BatchOptions& b);

}  // namespace lrn::cli
