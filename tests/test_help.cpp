// --help's hand-written table against the options CLI11 parses, its layout at every width,
// and the reading of argv that gives every usage error its message.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli/command_line.h"
#include "cli/help.h"
#include "cli/options.h"
#include "image/errors.h"

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using lrn::cli::closest;
using lrn::cli::normalize_arguments;
using lrn::cli::OptionSpelling;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

const std::vector<OptionSpelling> kSpellings = {
    {"--alpha", "a", true},   {"--radius", "r", true}, {"--suffix", "", true},
    {"--rescale", "", false}, {"--null", "0", false},  {"--help", "h", false},
};

std::vector<std::string> normalized(std::vector<std::string> args) {
  return normalize_arguments(kSpellings, args);
}

}  // namespace

TEST_CASE("help: the table names exactly the options CLI11 parses", "[cli][help]") {
  std::set<std::string> parsed, documented, pending;
  for (const std::string& n : lrn::cli::parsed_option_names()) parsed.insert(n);
  for (const auto& d : lrn::cli::option_docs()) (d.pending ? pending : documented).insert(d.names);
  CHECK(parsed == documented);
  // An option documented ahead of its branch must not be parsed yet: merging it turns
  // `pending` off, and then the check above holds it to the table.
  for (const std::string& n : pending) {
    INFO(n);
    CHECK(parsed.count(n) == 0);
  }
}

TEST_CASE("help: every option is shown, pending ones are not", "[cli][help]") {
  const std::string help = lrn::cli::help_text(80);
  for (const auto& d : lrn::cli::option_docs()) {
    std::string names = d.names;
    std::replace(names.begin(), names.end(), ',', ' ');
    std::istringstream each(names);
    for (std::string name; each >> name;) {
      INFO(name);
      // A name is shown as "  -r, --radius R" or "      --size N".
      const bool shown = help.find(" " + name + (name.size() == 2 ? "," : "")) != std::string::npos;
      CHECK(shown != d.pending);
    }
  }
}

TEST_CASE("help: usage line, one sentence, groups, three examples, within the width",
          "[cli][help]") {
  const int width = GENERATE(72, 80, 100, 160);
  const std::string help = lrn::cli::help_text(width);
  const auto lines = lines_of(help);
  INFO("width " << width);
  REQUIRE(lines.size() > 10);
  CHECK(lines[0] == lrn::cli::usage_line());
  CHECK(lines[1].empty());
  for (const std::string& line : lines) {
    INFO(line);
    CHECK(line.size() <= static_cast<std::size_t>(width));
    CHECK(std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7f; }));
  }
  // The groups, in order, then the examples last.
  std::size_t at = 0;
  for (const char* heading :
       {"\nNormalization:\n", "\nOutput:\n", "\nMany files (", "\nLimits and damaged files:\n",
        "\nPerformance:\n", "\nExamples:\n"}) {
    INFO(heading);
    const std::size_t found = help.find(heading, at);
    CHECK(found != std::string::npos);
    at = found == std::string::npos ? at : found;
  }
  const auto examples = std::find(lines.begin(), lines.end(), "Examples:");
  REQUIRE(examples != lines.end());
  CHECK(lines.end() - examples == 4);
  for (auto e = examples + 1; e != lines.end(); ++e)
    CHECK_THAT(*e, StartsWith("  ") && Contains("lrn-img "));
}

TEST_CASE("help: help_text uses the width it is given, never less than 72 columns", "[cli][help]") {
  const auto longest = [](const std::string& text) {
    std::size_t n = 0;
    for (const std::string& line : lines_of(text)) n = std::max(n, line.size());
    return n;
  };
  CHECK(longest(lrn::cli::help_text(160)) > 100);
  CHECK(longest(lrn::cli::help_text(20)) <= 72);
}

TEST_CASE("help: find_option_doc by long, short or bare name", "[cli][help]") {
  REQUIRE(lrn::cli::find_option_doc("--radius"));
  CHECK(lrn::cli::find_option_doc("-r") == lrn::cli::find_option_doc("--radius"));
  CHECK(lrn::cli::find_option_doc("radius") == lrn::cli::find_option_doc("--radius"));
  CHECK(lrn::cli::long_name(*lrn::cli::find_option_doc("-O")) == "--output-dir");
  CHECK(lrn::cli::find_option_doc("--radiu") == nullptr);
}

TEST_CASE("command line: closest() finds the option or value meant", "[cli][usage]") {
  const std::vector<std::string> options = {"--radius", "--rescale",    "--json",
                                            "--jobs",   "--max-pixels", "--max-npy-bytes",
                                            "--alpha",  "--quiet"};
  CHECK(closest("--radious", options) == "--radius");  // a letter too many
  CHECK(closest("--Alpha", options) == "--alpha");     // case
  CHECK(closest("--rad", options) == "--radius");      // the only one it begins
  CHECK(closest("--jsno", options) == "--json");       // two letters swapped
  CHECK(closest("--qiuet", options) == "--quiet");
  CHECK(closest("--max", options).empty());  // begins two
  CHECK(closest("--x", options).empty());
  CHECK(closest("--", options).empty());
  CHECK(closest("--colour", options).empty());
  const std::vector<std::string> conventions = {"tf", "torch", "onnx", "caffe"};
  CHECK(closest("tourch", conventions) == "torch");
  CHECK(closest("cafe", conventions) == "caffe");
  CHECK(closest("TF", conventions) == "tf");
  CHECK(closest("mxnet", conventions).empty());
}

TEST_CASE("command line: every spelling CLI11 accepts becomes one plain form", "[cli][usage]") {
  using V = std::vector<std::string>;
  CHECK(normalized({"a", "--alpha", "1", "b"}) == V{"--alpha", "1", "--", "a", "b"});
  CHECK(normalized({"--alpha=1", "-r2", "-a", "1"}) == V{"--alpha", "1", "--radius", "2", "--"});
  CHECK(normalized({"-0h", "--rescale", "--rescale"}) == V{"--null", "--help", "--rescale", "--"});
  CHECK(normalized({"--alpha", "-1", "-", "-1.jpg"}) == V{"--alpha", "-1", "--", "-", "-1.jpg"});
  CHECK(normalized({"--", "--alpha", "-x"}) == V{"--", "--alpha", "-x"});
  CHECK(normalized({"--suffix=", "a"}) == V{"--suffix", "", "--", "a"});
  CHECK(normalized({"--suffix", "-lrn", "--radius", "-0"}) ==
        V{"--suffix", "-lrn", "--radius", "-0", "--"});
  CHECK(normalized({"--alpha=--rescale"}) == V{"--alpha", "--rescale", "--"});
}

TEST_CASE("command line: each mistake gets its own message", "[cli][usage]") {
  using V = std::vector<std::string>;
  CHECK_THROWS_WITH(normalized({"--radious", "2"}),
                    "unknown option '--radious'; did you mean '--radius'?");
  CHECK_THROWS_WITH(normalized({"--radious=2"}),
                    "unknown option '--radious'; did you mean '--radius'?");
  CHECK_THROWS_WITH(normalized({"-alpha", "1"}),
                    "unknown option '-alpha'; did you mean '--alpha'?");
  CHECK_THROWS_WITH(normalized({"-photo.jpg"}),
                    StartsWith("unknown option '-p' (in '-photo.jpg'); run "
                               "'lrn-img --help' for the options (a file named "
                               "-photo.jpg: write ./-photo.jpg)"));
  CHECK_THROWS_WITH(normalized({"---alpha"}), "unknown option '---alpha'; did you mean '--alpha'?");
  CHECK_THROWS_WITH(normalized({"--rescale=3"}),
                    "--rescale takes no value, but was given '3'; write --rescale alone");
  CHECK_THROWS_WITH(normalized({"-0=1"}),
                    "--null takes no value, but was given '1'; write -0 alone");
  CHECK_THROWS_WITH(normalized({"a", "--alpha"}), StartsWith("--alpha needs a value"));
  CHECK_THROWS_WITH(
      normalized({"--alpha", "--rescale"}),
      Contains("but '--rescale' is an option; if it is the value, write --alpha=--rescale"));
  CHECK_THROWS_WITH(normalized({"-a", "-r"}),
                    Contains("but '-r' is an option; if it is the value, write --alpha=-r"));
  CHECK_THROWS_WITH(normalized({"--alpha="}),
                    "--alpha: the value is empty; give one or leave the option out");
  CHECK_THROWS_WITH(normalized({"-a", ""}),
                    "--alpha: the value is empty; give one or leave the option out");
  CHECK_THROWS_WITH(normalized({"-a", "1", "--alpha=2"}),
                    "--alpha is given twice, as '1' and as '2'; give it once");
  CHECK(normalized({"-a", "1", "--alpha=1"}) == V{"--alpha", "1", "--"});
  CHECK_THROWS_AS(normalized({"-x\x1b[2J"}), lrn::UsageError);
  CHECK_THROWS_WITH(normalized({"--x\n"}), Contains("'--x\\n'"));
}
