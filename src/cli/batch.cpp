// The batch runner: workers take images in order, each image all-or-nothing; failures are
// reported and counted, never fatal to the batch; SIGINT/SIGTERM/SIGHUP and a closed stdout
// abandon images in flight, even those blocked opening a FIFO or reading a stalled pipe.
#include "cli/batch.h"

#include <dirent.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "cli/report.h"
#include "cli/wording.h"
#include "image/output_file.h"
#include "lrn_img/file.h"
#include "pipeline/cores.h"

namespace lrn::cli {
namespace {

// The signal that interrupts blocked system calls after a stop request (see kick_threads).
// SIGURG's default action is to ignore it, so catching it changes nothing else.
constexpr int kKick = SIGURG;

extern "C" void on_stop_signal(int sig) { request_stop(sig); }
extern "C" void on_kick(int) {}

// No SA_RESTART: a blocking open(), read() or write() returns EINTR when a signal arrives, and
// the I/O layer then sees the stop flag (image/stop.h). SIGPIPE and SIGXFSZ are ignored so that
// a closed stdout and `ulimit -f` become write errors (EPIPE, EFBIG) that can be handled: the
// first stops the run quietly, the second fails one file; neither kills the process and leaves
// a temporary file.
void install_signal_handlers() {
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_handler = on_stop_signal;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  sa.sa_handler = on_kick;
  sigaction(kKick, &sa, nullptr);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, nullptr);
  sigaction(SIGXFSZ, &sa, nullptr);
}

// A signal interrupts one thread only, and a stop request may land just before a blocking call
// starts: so once a stop is requested, every other thread (workers, decoders reading ahead) is
// signalled again until the work ends. Threads that were computing just run the empty handler.
void kick_threads() {
  DIR* tasks = opendir("/proc/self/task");
  if (!tasks) return;
  const pid_t pid = getpid();
  const long self = syscall(SYS_gettid);
  while (const dirent* e = readdir(tasks)) {
    const long tid = std::strtol(e->d_name, nullptr, 10);
    if (tid > 0 && tid != self) syscall(SYS_tgkill, pid, tid, kKick);
  }
  closedir(tasks);
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
      throw UsageError(fmt::format(
          "{} {} {}: - (stdin) cannot be an input of a batch; write ./- for a file named -",
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
  const unsigned workers =
      std::max(1u, std::min<unsigned>(b.jobs, static_cast<unsigned>(jobs.size())));
  // Spare cores go to threads inside an image; jobs x threads stays within the cores unless
  // -t asked for more.
  const unsigned threads = o.run.threads ? o.run.threads : std::max(1u, usable_cores() / workers);
  // Each pair goes through the library's own process_file (lrn_img/file.h), the options
  // mapped once; its errors and warnings come back in lrn-img's words.
  lrn_img::FileOptions options = file_options(o, threads);
  options.cancel = &stop_flag();

  Reporter report(jobs.size(), b, not_images);
  // --strict: codecs refuse their own warnings as decode errors; process_file fails the
  // image for any other warning (alpha dropped for JPEG output).
  options.warn = [&report](const std::string& m) { report.warning(m); };
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (;;) {
      if (stop_requested()) return;
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
      try {
        const lrn_img::FileReport done = lrn_img::process_file(job.in, job.out, options);
        report.done(job, options.stats ? &done : nullptr);
      } catch (const lrn_img::FileCancelled&) {
        return;
      } catch (const std::bad_alloc&) {
        report.failed(job, "cannot process " + quoted(job.in) + ": out of memory", 1);
      } catch (const UsageError& e) {
        report.failed(job, in_cli_words(e), 2);
      } catch (const std::system_error& e) {  // threads could not start (ulimit -u)
        report.failed(
            job, "cannot process " + quoted(job.in) + ": " + errno_phrase(e.code().value()), 1);
      } catch (const std::exception& e) {
        report.failed(job, in_cli_words(e), 1);
      }
    }
  };
  // This thread only watches: it must stay free to interrupt workers blocked in I/O.
  std::mutex mutex;
  std::condition_variable finished;
  unsigned running = workers;
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < workers; ++i)
    pool.emplace_back([&] {
      work();
      std::lock_guard<std::mutex> lock(mutex);
      --running;
      finished.notify_one();
    });
  {
    std::unique_lock<std::mutex> lock(mutex);
    while (running > 0) {
      finished.wait_for(lock, std::chrono::milliseconds(50));
      if (running > 0 && stop_requested()) kick_threads();
    }
  }
  for (auto& t : pool) t.join();

  const int sig = stop_reason();
  report.finish(sig);
  if (sig) return 128 + sig;
  return report.exit_code();
}

}  // namespace lrn::cli
