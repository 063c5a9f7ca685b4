// Reporter: everything lrn-img says about the images it runs: errors and warnings, the
// progress bar, --stats, --json lines and the closing summary. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>

#include "cli/options.h"
#include "lrn_img/file.h"

namespace lrn::cli {

struct Job;

class Reporter {
 public:
  /// The bar shows only in a batch, on a terminal, without --quiet.
  /// not_images: files a -R walk skipped, for the summary.
  Reporter(std::size_t total, const BatchOptions& b, std::size_t not_images = 0);
  void warning(const std::string& message);
  /// stats: what process_file reported, with its statistics (--stats, --json), or nullptr.
  void done(const Job& job, const lrn_img::FileReport* stats);
  void skipped(const Job& job);
  /// message is the whole error (it names the file); code 1 or 2 (single mode exit code).
  void failed(const Job& job, const std::string& message, int code);
  /// Clears the bar and prints the summary (batch mode, unless --quiet). stopped_by: the signal
  /// that stopped the run, 0 if none; SIGPIPE (stdout closed) prints nothing, as `cat` would.
  void finish(int stopped_by);
  /// 0 when nothing failed; single mode: the failure's own code; batch: 1.
  int exit_code() const { return failed_ ? (batch_ ? 1 : code_) : 0; }

 private:
  void draw(bool force);
  void clear_bar();
  void json_line(const Job& job, const char* status, const std::string& error,
                 const lrn_img::FileReport* stats);

  std::mutex mutex_;
  const BatchOptions& options_;
  const std::size_t total_;
  const bool batch_;
  const bool bar_;
  const std::size_t not_images_;
  std::size_t done_ = 0, failed_ = 0, skipped_ = 0;
  int code_ = 0;
  bool bar_shown_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

/// JSON string literal for s (quotes included), escaping per RFC 8259; also DEL and the C1
/// controls as \u00XX, so a terminal showing the line runs no escape sequence. A byte that is
/// not valid UTF-8 (a file name can hold any byte) becomes \ufffd, so the line stays valid
/// JSON in UTF-8: lossy, but no parser rejects it and no other real name is shown instead.
std::string json_string(const std::string& s);

}  // namespace lrn::cli
