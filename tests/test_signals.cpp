// Signals and stop requests, end to end through the binary: SIGTERM/SIGINT/SIGHUP while blocked
// opening a FIFO or reading a stalled pipe, `ulimit -f` (SIGXFSZ) in a batch, a closed stdout
// under --json, and SIGKILL mid-write. Each must end promptly with the documented exit code and
// leave no temporary file. The scripts wait on conditions (a thread asleep in the kernel function
// named by /proc/PID/task/*/wchan, an fd open on the output), never on fixed sleeps; every run is
// bounded by `timeout -s KILL`, so a hang fails the test instead of stalling the suite.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;

namespace {

// Shell helpers for the scripts:
//   waitfor CMD...  polls CMD for up to 20 s (fails the script's wait, not the assertion)
//   asleep_in PID F some thread of PID sleeps in a kernel function matching F
//   child_of PID    the pid of PID's child (lrn-img under timeout), from /proc (no procps)
//   writing PID DIR PID has a file in DIR open for writing at a non-zero offset
const char* const kHelpers = R"sh(
waitfor() { local i; for i in $(seq 2000); do "$@" && return 0; sleep 0.01; done; return 1; }
asleep_in() { grep -qs "$2" /proc/$1/task/*/wchan; }
child_of() {
  local i c
  for i in $(seq 2000); do
    read -r c _ </proc/$1/task/$1/children  # no newline at its end: read fails, c is set
    [ -n "$c" ] && { echo $c; return 0; }; sleep 0.01
  done
}
writing() {
  local fd
  for fd in /proc/$1/fd/*; do
    case "$(readlink "$fd")" in "$2"/*)
      [ "$(awk '/^pos:/ {print $2}' /proc/$1/fdinfo/${fd##*/} 2>/dev/null)" != 0 ] && return 0;;
    esac
  done
  return 1
}
)sh";

// Runs a bash script with LRN_IMG set and the helpers above defined.
RunResult bash(const std::string& script) {
  return run_program({"/bin/bash", "-c", "LRN_IMG='" + binary_path() + "'\n" + kHelpers + script});
}

// The folder's entries, sorted.
std::vector<std::string> sorted_entries(const std::string& dir) {
  auto names = TempDir::entries_of(dir);
  std::sort(names.begin(), names.end());
  return names;
}

// "" or "LRN_IMG_NO_O_TMPFILE=1 ": the named-temporary fallback, as on a file system without
// O_TMPFILE.
std::string temporary_kind() {
  const bool unnamed = GENERATE(true, false);
  INFO((unnamed ? "O_TMPFILE" : "named temporary"));
  return unnamed ? "" : "export LRN_IMG_NO_O_TMPFILE=1\n";
}

}  // namespace

TEST_CASE("a stop signal ends a wait to open a FIFO OUT", "[threads][signals]") {
  const auto [sig, code] =
      GENERATE(std::pair<std::string, int>{"TERM", 143}, std::pair<std::string, int>{"INT", 130},
               std::pair<std::string, int>{"HUP", 129});
  INFO("SIG" << sig);
  TempDir dir;
  const RunResult r = bash("mkfifo " + dir.file("f.png") +
                           "\n"
                           "timeout -s KILL 20 \"$LRN_IMG\" " +
                           sample_path("rocket.jpg") + " " + dir.file("f.png") +
                           " & t=$!; pid=$(child_of $t)\n"
                           "waitfor asleep_in $pid wait_for_partner || echo 'never blocked'\n"
                           "kill -" +
                           sig + " $pid; wait $t; echo \"exit=$?\"");
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Contains("exit=" + std::to_string(code)));
  CHECK_THAT(r.out, !Contains("never blocked"));
  CHECK_THAT(r.err, Contains("interrupted"));
  CHECK(sorted_entries(dir.path()) == std::vector<std::string>{"f.png"});
}

TEST_CASE("SIGTERM ends a read of a stalled pipe and leaves nothing in OUT's folder", "[signals]") {
  const std::string kind = temporary_kind();
  TempDir dir;
  mkdir(dir.file("out").c_str(), 0755);
  // fd 3 holds the FIFO open for writing, so lrn-img reads the first bytes and then waits.
  const std::string fifo = dir.file("in.png");
  const RunResult r = bash(kind + "mkfifo " + fifo + "; exec 3<>" + fifo +
                           "\n"
                           "head -c 3000 " +
                           sample_path("coffee.png") +
                           " >&3\n"
                           "timeout -s KILL 20 \"$LRN_IMG\" " +
                           fifo + " " + dir.file("out/x.png") +
                           " & t=$!; pid=$(child_of $t)\n"
                           "waitfor asleep_in $pid pipe_read || echo 'never blocked'\n"
                           "kill -TERM $pid; wait $t; echo \"exit=$?\"; exec 3>&-");
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Contains("exit=143"));
  CHECK_THAT(r.out, !Contains("never blocked"));
  CHECK(sorted_entries(dir.file("out")).empty());
}

TEST_CASE("past ulimit -f (SIGXFSZ) one file fails and the batch goes on", "[threads][signals]") {
  const std::string kind = temporary_kind();
  TempDir dir;
  mkdir(dir.file("out").c_str(), 0755);
  write_npy(dir.file("a.npy"), 4, 4, 3, std::vector<float>(48, 1.0f));
  write_npy(dir.file("big.npy"), 200, 200, 3, std::vector<float>(120000, 2.0f));  // 480 KB
  write_npy(dir.file("c.npy"), 4, 4, 3, std::vector<float>(48, 3.0f));
  // `ulimit -f 100`: files up to 100 KiB; lrn-img's inputs are already written.
  const RunResult r = bash(kind +
                           "ulimit -f 100\n"
                           "timeout -s KILL 20 \"$LRN_IMG\" -j 1 --quiet -O " +
                           dir.file("out") + " " + dir.file("a.npy") + " " + dir.file("big.npy") +
                           " " + dir.file("c.npy") + "; echo \"exit=$?\"");
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Contains("exit=1"));
  CHECK_THAT(r.err, Contains("lrn-img: error: cannot write '" + dir.file("out/big.npy") +
                             "': file too large"));
  CHECK(sorted_entries(dir.file("out")) == std::vector<std::string>{"a.npy", "c.npy"});
}

TEST_CASE("a batch with --json into a closed pipe stops quietly with 141, no temporary file",
          "[threads][signals]") {
  const std::string kind = temporary_kind();
  TempDir dir;
  mkdir(dir.file("out").c_str(), 0755);
  // The first input is a FIFO that stalls after a few bytes: its image is certainly in flight
  // (its output open) when the second worker's --json lines meet the closed pipe.
  std::string inputs = dir.file("stall.png");
  for (int i = 0; i < 100; ++i) {
    const std::string link = dir.file("in" + std::to_string(i) + ".png");
    REQUIRE(symlink(sample_path("coffee.png").c_str(), link.c_str()) == 0);
    inputs += " " + link;
  }
  const std::string fifo = dir.file("stall.png");
  const RunResult r = bash(kind + "mkfifo " + fifo + "; exec 3<>" + fifo +
                           "\n"
                           "head -c 3000 " +
                           sample_path("coffee.png") +
                           " >&3\n"
                           "timeout -s KILL 20 \"$LRN_IMG\" --json -j 2 -t 1 -O " +
                           dir.file("out") + " " + inputs +
                           " | head -c 10 >/dev/null; echo \"exit=${PIPESTATUS[0]}\"\n"
                           "exec 3>&-");
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Contains("exit=141"));
  CHECK(r.err.empty());
  const auto names = sorted_entries(dir.file("out"));
  CHECK(names.size() < 100);
  for (const std::string& n : names) {
    INFO(n);
    CHECK(n[0] != '.');
  }
}

TEST_CASE("a closed stdout stops `lrn-img - -` quietly with 141", "[signals]") {
  const RunResult r =
      bash("timeout -s KILL 20 \"$LRN_IMG\" - - --format npy <" + sample_path("rocket.jpg") +
           " | head -c 10 >/dev/null; echo \"exit=${PIPESTATUS[0]}\"");
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Contains("exit=141"));
  CHECK(r.err.empty());
}

TEST_CASE("SIGKILL mid-write leaves no hidden file (O_TMPFILE)", "[signals]") {
  TempDir dir;
  mkdir(dir.file("out").c_str(), 0755);
  write_npy(dir.file("big.npy"), 1000, 1000, 3, std::vector<float>(3000000, 0.5f));  // 12 MB
  // Half the input goes through a FIFO that then stalls: half the output is written by then.
  const std::string fifo = dir.file("in.npy");
  const RunResult r = bash("mkfifo " + fifo + "; exec 3<>" + fifo +
                           "\n"
                           "head -c 6000000 " +
                           dir.file("big.npy") +
                           " >&3 & h=$!\n"
                           "timeout -s KILL 20 \"$LRN_IMG\" " +
                           fifo + " " + dir.file("out/x.npy") +
                           " & t=$!; pid=$(child_of $t)\n"
                           "waitfor writing $pid " +
                           dir.file("out") +
                           " || echo 'never wrote'\n"
                           "kill -KILL $pid; wait $t; echo \"exit=$?\"; kill $h; exec 3>&-");
  INFO(r.out << r.err);
  CHECK_THAT(r.out, Contains("exit=137"));
  CHECK_THAT(r.out, !Contains("never wrote"));
  CHECK(sorted_entries(dir.file("out")).empty());
}
