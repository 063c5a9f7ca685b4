// The hostile regression corpus (tests/data/hostile): every file through the real binary, by
// default, --lenient and --strict, against the answers in that folder's README.md table.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;

namespace {

struct Answer {
  bool run = false;  // "-": not run
  int exit_code = 0;
  std::string text;  // part of the error or warning; empty: nothing may be said
};

struct Row {
  std::string file;
  Answer modes[3];  // default, --lenient, --strict
  // Header bombs only (their table has two more columns):
  Answer stdin_answer;  // `lrn-img - OUT < file`
  long peak_mb = 0;     // the most peak RSS any run may use; 0: not a header bomb
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' ');
  const auto e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// "1 `premature end`", "0", "-".
Answer parse_answer(const std::string& cell) {
  Answer a;
  const std::string c = trim(cell);
  if (c == "-") return a;
  a.run = true;
  a.exit_code = c.at(0) - '0';
  const auto open = c.find('`'), close = c.rfind('`');
  if (open != std::string::npos && close > open) a.text = c.substr(open + 1, close - open - 1);
  return a;
}

// The table rows of README.md: | `file` | what | default | --lenient | --strict |
std::vector<Row> manifest() {
  std::ifstream in(data_path("hostile/README.md"));
  REQUIRE(in);
  std::vector<Row> rows;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line.substr(1));
    for (std::string cell; std::getline(ss, cell, '|');) cells.push_back(cell);
    REQUIRE(cells.size() >= 5);
    Row r;
    const std::string name = trim(cells[0]);
    r.file = name.substr(1, name.find('`', 1) - 1);
    for (int m = 0; m < 3; ++m) r.modes[m] = parse_answer(cells[2 + m]);
    if (cells.size() >= 7) {
      r.stdin_answer = parse_answer(cells[5]);
      r.peak_mb = std::stol(trim(cells[6]));
    }
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

TEST_CASE("every hostile file is in the manifest", "[hostile]") {
  std::vector<std::string> listed;
  for (const Row& r : manifest()) listed.push_back(r.file);
  for (const std::string& f : TempDir::entries_of(data_path("hostile"))) {
    if (f == "README.md" || f == "make_hostile.py") continue;
    INFO(f);
    CHECK(std::count(listed.begin(), listed.end(), f) == 1);
  }
  CHECK(listed.size() >= 40);
}

TEST_CASE("hostile files get the policy's answer in every mode", "[hostile]") {
  const char* flags[3] = {nullptr, "--lenient", "--strict"};
  for (const Row& row : manifest()) {
    const std::string in = data_path("hostile/" + row.file);
    for (int m = 0; m < 3; ++m) {
      const Answer& want = row.modes[m];
      if (!want.run) continue;
      TempDir dir;
      const bool npy = row.file.size() > 4 && row.file.substr(row.file.size() - 4) == ".npy";
      const std::string out = dir.file(npy ? "out.npy" : "out.png");
      std::vector<std::string> args{in, out, "-t", "1"};
      if (flags[m]) args.push_back(flags[m]);
      const RunResult r = run_cli(args);
      INFO(row.file << " " << (flags[m] ? flags[m] : "(default)") << "\nstderr: " << r.err);
      CHECK(r.exit_code == want.exit_code);
      CHECK(r.out.empty());
      if (want.exit_code != 0) {
        // Named by the file: why it cannot be decoded, or what it is (a format not read).
        CHECK_THAT(r.err, Contains("lrn-img: error: cannot decode '" + in + "': ") ||
                              Contains("lrn-img: error: '" + in + "' is "));
        CHECK_THAT(r.err, Contains(want.text));
        CHECK(dir.entries().empty());  // nothing written, no temporary file left
      } else {
        CHECK(exists(out));
        if (want.text.empty()) CHECK(r.err.empty());
        else CHECK_THAT(r.err, Contains("lrn-img: warning: '" + in + "': ") && Contains(want.text));
      }
    }
  }
}

// RSS is meaningless under AddressSanitizer (shadow memory, quarantine): those runs check the
// answers only.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAsan = true;
#else
constexpr bool kAsan = false;
#endif
#else
constexpr bool kAsan = false;
#endif

namespace {

struct Measured {
  int exit_code = -1;
  std::string err;
  long peak_kb = 0;  // the child's ru_maxrss
};

// Runs the binary with stdin from `stdin_path` (a regular file: lrn-img treats "-" as a pipe
// whose size it does not know) and stderr into a file, and reads its peak RSS from wait4.
// The figure is an upper bound: a forked child starts with this test's pages resident.
Measured run_measured(const std::vector<std::string>& args, const std::string& stdin_path,
                      const TempDir& dir) {
  const std::string err_path = dir.file("stderr.txt");
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int in = open(stdin_path.c_str(), O_RDONLY);
    const int out = open("/dev/null", O_WRONLY);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<std::string> copy{binary_path()};
    copy.insert(copy.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  REQUIRE(wait4(pid, &status, 0, &usage) == pid);
  Measured m;
  m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  const auto bytes = read_bytes(err_path);
  m.err.assign(bytes.begin(), bytes.end());
  m.peak_kb = usage.ru_maxrss;
  std::remove(err_path.c_str());
  return m;
}

}  // namespace

TEST_CASE("header bombs fail within their peak memory, from a file and from stdin", "[hostile]") {
  int bombs = 0;
  for (const Row& row : manifest()) {
    if (row.peak_mb == 0) continue;
    ++bombs;
    const std::string in = data_path("hostile/" + row.file);
    const bool npy = row.file.size() > 4 && row.file.substr(row.file.size() - 4) == ".npy";
    struct Run {
      bool from_stdin;
      std::vector<std::string> flags;
      const Answer* want;
    };
    const std::vector<Run> runs{
        {false, {}, &row.modes[0]},
        {false, {"--lenient"}, &row.modes[1]},
        {false, {"--rescale"}, &row.modes[0]},
        {false, {"-t", "8"}, &row.modes[0]},
        {true, {}, &row.stdin_answer},
        {true, {"--lenient"}, row.modes[1].run ? &row.stdin_answer : &row.modes[1]},
    };
    for (const Run& run : runs) {
      if (!run.want->run) continue;
      TempDir dir;
      // --rescale is for image outputs (a usage error with .npy OUT), so it writes PNG.
      const bool rescale =
          std::find(run.flags.begin(), run.flags.end(), "--rescale") != run.flags.end();
      const std::string out = dir.file(npy && !rescale ? "out.npy" : "out.png");
      std::vector<std::string> args{run.from_stdin ? "-" : in, out};
      args.insert(args.end(), run.flags.begin(), run.flags.end());
      const Measured m = run_measured(args, run.from_stdin ? in : "/dev/null", dir);
      std::string flags;
      for (const auto& f : run.flags) flags += " " + f;
      INFO(row.file << (run.from_stdin ? " on stdin" : "") << flags << ": peak " << m.peak_kb
                    << " KB\nstderr: " << m.err);
      CHECK(m.exit_code == 1);
      // On stdin with --lenient the answer's text is the stdin one, except for the suffix
      // saying no row was complete.
      CHECK_THAT(m.err,
                 Contains(run.want->text.substr(0, run.want->text.find(" before the first"))));
      CHECK_FALSE(exists(out));
      if (!kAsan) CHECK(m.peak_kb <= row.peak_mb * 1024);
    }
  }
  CHECK(bombs >= 19);
}
