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
  /// Known to fail before any work (a GIF found under -R): the message; out is then "".
  std::string error;
};

/// Reads --files-from (one path per line, or NUL-separated); "-" is stdin. Empty entries are
/// ignored. Throws FileError when the list cannot be read, UsageError (naming the list and the
/// line) for an entry "-".
std::vector<std::string> read_file_list(const std::string& path, bool nul);

/// Runs the jobs and returns the exit code: 0 all done (or skipped), 1 any failed, 128 + the
/// signal when stopped: 129/130/143 for SIGHUP/SIGINT/SIGTERM, 141 (quietly) when stdout was
/// closed. Installs the signal handlers itself (SIGPIPE and SIGXFSZ then become write errors).
/// not_images: files a -R walk skipped, for the summary.
int run_jobs(const std::vector<Job>& jobs, const CliOptions& o, std::size_t not_images = 0);

}  // namespace lrn::cli
