// Planning a run before any work: each input's output path, clashes refused, --dry-run, and
// the folders a mirrored tree needs.
#pragma once

#include <string>
#include <vector>

#include "cli/batch.h"
#include "cli/options.h"

namespace lrn::cli {

struct Plan {
  std::vector<Job> jobs;
  std::vector<std::string> why;         ///< per job: --dry-run's reason it will fail, or ""
  std::vector<std::string> not_images;  ///< found under -R, not images: skipped, counted
};

/// The output of each input in a batch: DIR/<folder>/<stem><suffix>.<ext>, where <folder> is
/// the input's folder below a -R folder or --base ("" otherwise) and ext comes from --format,
/// else the input's extension, else (for a file found under -R) its content. Throws
/// UsageError before any work when an input given by name has no such extension, when two
/// inputs would write the same output (naming both), when an output would overwrite any input
/// or be a folder of other outputs; and whatever expand_inputs throws.
Plan plan_batch(const std::vector<std::string>& inputs, const BatchOptions& b,
                const RunOptions& run);

/// What main runs once the options are parsed: IN OUT, or a batch (planned, folders made,
/// run; with --dry-run the plan is printed instead). Returns the exit code.
int run_files(const CliOptions& o);

}  // namespace lrn::cli
