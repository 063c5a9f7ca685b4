// The hostile regression corpus (tests/data/hostile): every file through the real binary, by
// default, --lenient and --strict, against the answers in that folder's README.md table.
#include <catch2/catch.hpp>

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
