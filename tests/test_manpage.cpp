// docs/lrn-img.1 against --help's table: the same options under the same headings in the same
// order, the version --version prints, and a page groff renders without a warning.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "cli/help.h"
#include "support.h"

using namespace lrn_test;

namespace {

std::string manpage_path() { return source_path("docs/lrn-img.1"); }

std::string text_of(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_bytes(path);
  return {bytes.begin(), bytes.end()};
}

// roff source to the text it shows: fonts (\fB, \fI, \fR, \fP) and the zero-width \& and \%
// dropped, \- as the '-' it prints.
std::string plain(std::string s) {
  s = std::regex_replace(s, std::regex(R"(\\f[BIRP])"), "");
  s = std::regex_replace(s, std::regex(R"(\\[&%])"), "");
  return std::regex_replace(s, std::regex(R"(\\-)"), "-");
}

// An option as --help labels it, without the indent: "-r, --radius R", "--size N".
std::string label(const lrn::cli::OptionDoc& d) {
  std::string s = d.names;
  if (const auto comma = s.find(','); comma != std::string::npos) s.replace(comma, 1, ", ");
  if (*d.value) s += std::string(" ") + d.value;
  return s;
}

struct ManOption {
  std::string label;    // the .TP tag line, as plain text
  std::string heading;  // the .SS it stands under
};

// The tag of every .TP in the OPTIONS section, in order, with its subsection.
std::vector<ManOption> man_options(const std::string& page) {
  std::vector<ManOption> found;
  std::istringstream in(page);
  bool inside = false;
  std::string heading;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(".SH ", 0) == 0) inside = line == ".SH OPTIONS";
    if (!inside) continue;
    if (line.rfind(".SS ", 0) == 0) heading = plain(line.substr(4));
    if (line == ".TP" && std::getline(in, line)) found.push_back({plain(line), heading});
  }
  return found;
}

}  // namespace

TEST_CASE("man page: OPTIONS lists the --help table's options, by its groups, in its order",
          "[cli][manpage]") {
  const std::vector<ManOption> man = man_options(text_of(manpage_path()));
  REQUIRE(man.size() > 10);
  std::map<std::string, const lrn::cli::OptionDoc*> table;
  for (const auto& d : lrn::cli::option_docs()) table[label(d)] = &d;

  SECTION("every option the binary takes is documented, under its --help group") {
    for (const auto& d : lrn::cli::option_docs()) {
      if (d.pending) continue;
      INFO(label(d));
      const auto at = std::find_if(man.begin(), man.end(),
                                   [&](const ManOption& m) { return m.label == label(d); });
      REQUIRE(at != man.end());
      CHECK(at->heading == d.group);
    }
  }
  SECTION("every option documented is in the table") {
    // Pending rows (options whose branches are not merged yet) may already be documented, so
    // the page is complete the day they land; the table still has to know them, with the same
    // value name and group, so a page cannot invent or misspell an option.
    for (const ManOption& m : man) {
      INFO(m.label);
      REQUIRE(table.count(m.label) == 1);
      CHECK(m.heading == table[m.label]->group);
    }
  }
  SECTION("in the table's order") {
    std::vector<std::string> page_order, table_order;
    for (const ManOption& m : man) page_order.push_back(m.label);
    for (const auto& d : lrn::cli::option_docs())
      if (std::find(page_order.begin(), page_order.end(), label(d)) != page_order.end())
        table_order.push_back(label(d));
    CHECK(page_order == table_order);
  }
}

TEST_CASE("man page: its header names the version --version prints", "[cli][manpage]") {
  const RunResult version = run_cli({"--version"});
  REQUIRE(version.exit_code == 0);
  const std::string name_version =
      version.out.substr(0, version.out.find('\n'));  // "lrn-img 1.0.0"
  const std::string page = text_of(manpage_path());
  std::smatch th;  // .TH LRN-IMG 1 <date> "lrn-img 1.0.0" "User Commands"
  REQUIRE(std::regex_search(page, th, std::regex(R"(\n\.TH [^\n]*)")));
  CHECK_THAT(th.str(), Catch::Matchers::Contains("\"" + name_version + "\""));
}

TEST_CASE("man page: groff renders it without a warning", "[cli][manpage]") {
  const std::string groff = "/usr/bin/groff";  // groff-base, from .ci/install-deps
  if (access(groff.c_str(), X_OK) != 0) {
    WARN("groff not installed: rendering not checked");
    return;
  }
  // -ww: every warning; -z: format, print nothing. Then the page as text, which must show
  // each long option as typed (\- printed as '-', not as a Unicode minus).
  const RunResult checked = run_program({groff, "-man", "-Tutf8", "-ww", "-z", manpage_path()});
  INFO(checked.err);
  CHECK(checked.exit_code == 0);
  CHECK(checked.err.empty());
  const RunResult shown = run_program({groff, "-man", "-Tascii", "-P-cbou", manpage_path()});
  REQUIRE(shown.exit_code == 0);
  for (const auto& d : lrn::cli::option_docs()) {
    INFO(d.names);
    CHECK(shown.out.find(lrn::cli::long_name(d)) != std::string::npos);
  }
}
