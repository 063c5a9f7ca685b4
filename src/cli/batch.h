// Running images: one IN OUT pair or a batch into -O DIR, with jobs, progress, a summary,
// --stats/--json reports, and clean stops on SIGINT/SIGTERM.
#pragma once

#include <string>
#include <vector>

#include "cli/options.h"

namespace lrn::cli {

struct Job {
  std::string in;
  std::string out;
};

/// Reads --files-from (one path per line, or NUL-separated); "-" is stdin. Empty entries are
/// ignored. Throws FileError when the list cannot be read, UsageError (naming the list and the
/// line) for an entry "-".
std::vector<std::string> read_file_list(const std::string& path, bool nul);

/// The output path of each input in a batch: DIR/<stem><suffix>.<ext>, ext from --format or
/// the input's own extension. Throws UsageError before any work when an input's extension
/// names no format (and --format is absent), when two inputs would write the same output, or
/// when an output would overwrite any input. Throws FileError when DIR is not a folder.
std::vector<Job> plan_batch(const std::vector<std::string>& inputs, const BatchOptions& b,
                            const RunOptions& run);

/// Runs the jobs and returns the exit code: 0 all done (or skipped), 1 any failed, 128 + the
/// signal when stopped: 129/130/143 for SIGHUP/SIGINT/SIGTERM, 141 (quietly) when stdout was
/// closed. Installs the signal handlers itself (SIGPIPE and SIGXFSZ then become write errors).
int run_jobs(const std::vector<Job>& jobs, const CliOptions& o);

}  // namespace lrn::cli
