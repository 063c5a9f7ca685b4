// The batch runner: workers take images in order, each image all-or-nothing; failures are
// reported and counted, never fatal to the batch; SIGINT/SIGTERM abandon images in flight.
#include "cli/batch.h"

#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "cli/cores.h"
#include "cli/report.h"
#include "image/output_file.h"

namespace lrn::cli {
namespace {

std::atomic<bool> g_cancel{false};
std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) {
  g_signal.store(sig);
  g_cancel.store(true);
}

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace

std::vector<std::string> read_file_list(const std::string& path, bool nul) {
  FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) throw FileError("cannot read " + quoted(path) + ": " + errno_phrase(errno));
  std::vector<std::string> list;
  std::string cur;
  std::size_t line = 1;
  const int sep = nul ? '\0' : '\n';
  // "-" in the list would read stdin, which may be the list itself; the README says they
  // do not mix. A file named - is ./- there.
  auto add = [&] {
    if (!nul && !cur.empty() && cur.back() == '\r') cur.pop_back();
    if (cur == "-") {
      if (f != stdin) std::fclose(f);
      throw UsageError(fmt::format("{} {} {}: - (stdin) cannot be an input of a batch; write ./- for a file named -",
                                   path == "-" ? "the list on stdin," : quoted(path), nul ? "entry" : "line", line));
    }
    if (!cur.empty()) list.push_back(std::move(cur));
    cur.clear();
  };
  for (int ch; (ch = std::getc(f)) != EOF;) {
    if (ch == sep) {
      add();
      ++line;
    } else {
      cur.push_back(static_cast<char>(ch));
    }
  }
  const bool failed = std::ferror(f);
  add();
  if (f != stdin) std::fclose(f);
  if (failed) throw FileError("cannot read " + quoted(path) + ": read error");
  return list;
}

int run_jobs(const std::vector<Job>& jobs, const CliOptions& o, std::size_t not_images) {
  const BatchOptions& b = o.batch;
  install_signal_handlers();
  const unsigned workers = std::max(1u, std::min<unsigned>(b.jobs, static_cast<unsigned>(jobs.size())));
  RunOptions run = o.run;
  // Spare cores go to threads inside an image; jobs x threads stays within the cores unless
  // -t asked for more.
  if (!run.threads) run.threads = std::max(1u, usable_cores() / workers);
  run.cancel = &g_cancel;

  Reporter report(jobs.size(), b, not_images);
  // --strict: codecs refuse their own warnings as decode errors; any other warning (alpha
  // dropped for JPEG output) fails the image here.
  run.warn = [&report, strict = run.strict](const std::string& m) {
    if (strict) throw FileError("cannot process " + m + "; --strict makes warnings errors");
    report.warning(m);
  };
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (;;) {
      if (g_cancel.load()) return;
      const std::size_t i = next.fetch_add(1);
      if (i >= jobs.size()) return;
      const Job& job = jobs[i];
      if (!job.error.empty()) {
        report.failed(job, job.error, 1);
        continue;
      }
      if (b.skip_existing && access(job.out.c_str(), F_OK) == 0) {
        report.skipped(job);
        continue;
      }
      ImageStats stats;
      RunOptions mine = run;
      if (b.stats || b.json) mine.stats = &stats;
      try {
        process_file(job.in, job.out, mine);
        report.done(job, mine.stats);
      } catch (const Cancelled&) {
        return;
      } catch (const std::bad_alloc&) {
        report.failed(job, "cannot process " + quoted(job.in) + ": out of memory", 1);
      } catch (const UsageError& e) {
        report.failed(job, e.what(), 2);
      } catch (const std::system_error& e) {  // threads could not start (ulimit -u)
        report.failed(job, "cannot process " + quoted(job.in) + ": " + errno_phrase(e.code().value()), 1);
      } catch (const std::exception& e) {
        report.failed(job, e.what(), 1);
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < workers; ++i) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  const int sig = g_signal.load();
  report.finish(sig != 0);
  if (sig) return 128 + sig;
  return report.exit_code();
}

}  // namespace lrn::cli
