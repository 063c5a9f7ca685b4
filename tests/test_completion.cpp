// completions/lrn-img.bash, sourced by a real bash: it offers exactly the options of --help's
// table, the values lrn-img's own messages list, and nothing where a number goes.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/help.h"
#include "support.h"

using namespace lrn_test;
using Words = std::vector<std::string>;

namespace {

// Sources the file, then calls the function `complete -p lrn-img` names as readline would,
// for the command line "lrn-img <words...>" with the cursor at the end of the last word.
const char* const kHarness = R"(
source "$1" || exit 3
shift
spec=$(complete -p lrn-img) || exit 4
fn=${spec#* -F }
fn=${fn%% *}
COMP_WORDS=(lrn-img "$@")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
COMPREPLY=()
"$fn" lrn-img "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
for w in "${COMPREPLY[@]}"; do printf '%s\n' "$w"; done
)";

// The completions offered for the last word, sorted.
Words complete(const Words& words) {
  Words argv = {"/bin/bash", "-c", kHarness, "bash", source_path("completions/lrn-img.bash")};
  argv.insert(argv.end(), words.begin(), words.end());
  const RunResult r = run_program(argv);
  INFO("stderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  Words out;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  std::sort(out.begin(), out.end());
  return out;
}

Words sorted(Words w) {
  std::sort(w.begin(), w.end());
  return w;
}

// The values lrn-img lists when one is refused: "--format: 'x' is not jpg, png or npy".
Words allowed_values(const Words& args) {
  const RunResult r = run_cli(args);
  REQUIRE(r.exit_code == 2);
  const std::string marker = "is not ";
  const auto at = r.err.find(marker);
  REQUIRE(at != std::string::npos);
  std::string list = r.err.substr(at + marker.size());
  list = list.substr(0, list.find_first_of(";\n"));
  Words values;
  std::istringstream in(list);
  for (std::string w; in >> w;) {
    if (w == "or") continue;
    if (w.back() == ',') w.pop_back();
    values.push_back(w);
  }
  return sorted(values);
}

// Every name of every option the binary takes ("-r", "--radius", ...).
std::set<std::string> table_names(bool pending) {
  std::set<std::string> names;
  for (const auto& d : lrn::cli::option_docs()) {
    if (d.pending != pending) continue;
    std::string all = d.names;
    std::replace(all.begin(), all.end(), ',', ' ');
    std::istringstream in(all);
    for (std::string n; in >> n;) names.insert(n);
  }
  return names;
}

}  // namespace

TEST_CASE("completion: '-' offers exactly the options of --help's table", "[cli][completion]") {
  const Words offered = complete({"-"});
  const std::set<std::string> offered_set(offered.begin(), offered.end());
  CHECK(offered_set == table_names(false));
  // Options whose branches are not merged yet are not offered: lrn-img would refuse them.
  // Merging one turns `pending` off, and the check above then asks for it here.
  for (const std::string& n : table_names(true)) {
    INFO(n);
    CHECK(offered_set.count(n) == 0);
  }
  CHECK(complete({"--ra"}) == Words{"--radius"});
  CHECK(complete({"--max-n"}) == Words{"--max-npy-bytes"});
}

TEST_CASE("completion: the values lrn-img accepts, as its messages list them",
          "[cli][completion]") {
  CHECK(complete({"--convention", ""}) == Words{"caffe", "onnx", "tf", "torch"});
  CHECK(complete({"--convention", ""}) == allowed_values({"--convention", "x", "--print-params"}));
  CHECK(complete({"--format", ""}) == Words{"jpg", "npy", "png", "pnm", "tif", "webp"});
  CHECK(complete({"--format", ""}) == allowed_values({"--format", "x", "a.jpg", "b"}));
  CHECK(complete({"--preset", ""}) == allowed_values({"--preset", "x", "--print-params"}));
  CHECK(complete({"--preset", ""}).size() == 6);
  CHECK(complete({"--pixel-scale", ""}) ==
        allowed_values({"--pixel-scale", "7", "a.jpg", "b.jpg"}));
  CHECK(complete({"--layout", ""}) == allowed_values({"--layout", "x", "a.npy", "b.npy"}));
  CHECK(complete({"--layout", ""}).size() == 4);
  CHECK(complete({"--dtype", ""}) == allowed_values({"--dtype", "x", "a.npy", "b.npy"}));
  SECTION("after '=' too, whether bash split the word there or not") {
    CHECK(complete({"--convention", "=", "t"}) == Words{"tf", "torch"});
    CHECK(complete({"--format", "="}) == Words{"jpg", "npy", "png", "pnm", "tif", "webp"});
    CHECK(complete({"--format=pn"}) == Words{"--format=png", "--format=pnm"});
  }
}

TEST_CASE("completion: an option's value is never completed as an option", "[cli][completion]") {
  // Which options take a value comes from the table; the completion must agree, or
  // "--suffix -<TAB>" would offer options and "--rescale -<TAB>" would not.
  for (const auto& d : lrn::cli::option_docs()) {
    if (d.pending) continue;
    std::string all = d.names;
    std::replace(all.begin(), all.end(), ',', ' ');
    std::istringstream in(all);
    for (std::string name; in >> name;) {
      INFO(name);
      const Words after = complete({name, "-"});
      const bool offers_options = std::find(after.begin(), after.end(), "--radius") != after.end();
      CHECK(offers_options == !*d.value);
    }
  }
}

TEST_CASE("completion: -O offers directories only", "[cli][completion]") {
  TempDir dir;
  REQUIRE(mkdir(dir.file("sub").c_str(), 0755) == 0);
  write_bytes(dir.file("some.jpg"), {1});
  CHECK(complete({"-O", dir.path() + "/s"}) == Words{dir.file("sub")});
  CHECK(complete({"--output-dir", dir.path() + "/"}) == Words{dir.file("sub")});
}
