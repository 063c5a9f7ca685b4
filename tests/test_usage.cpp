// End-to-end usage errors: every message the option parser would have written is lrn-img's
// own, options outside their use are refused, and --help / a bare lrn-img read as documented.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "cli/help.h"
#include "cli/options.h"
#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string kRocket = sample_path("rocket.jpg");

// Words of CLI11's own messages and type names; none may reach the user.
const char* const kParserWords[] = {"required",
                                    "Expected",
                                    "expected exactly",
                                    "not expected",
                                    "At Most",
                                    "INT",
                                    "NUM",
                                    "TEXT",
                                    "FLOAT",
                                    "ArgumentMismatch",
                                    "Could not convert",
                                    "excludes",
                                    "requires",
                                    "flag override",
                                    "in [",
                                    "could not be read"};

// A usage error: exit 2, one line "lrn-img: error: " + `message`, nothing on stdout, no
// parser vocabulary, and nothing written into `dir`.
void require_usage_error(const RunResult& r, const std::string& message, const TempDir& dir) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, StartsWith("lrn-img: error: " + message));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.empty());
  std::string ours = r.err;  // the temporary folder's random name could hold "INT"
  for (std::size_t at; (at = ours.find(dir.path())) != std::string::npos;)
    ours.erase(at, dir.path().size());
  for (const char* word : kParserWords) CHECK_THAT(ours, !Contains(word));
  CHECK(dir.entries().empty());
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("usage: each parser error reads like lrn-img's own messages", "[cli][usage]") {
  TempDir dir;
  const std::string out = dir.file("o.jpg");
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {kRocket, out};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  SECTION("a value missing at the end, or an option where the value should be") {
    require_usage_error(run({"--alpha"}), "--alpha needs a value A: alpha, >= 0", dir);
    require_usage_error(run({"-q"}), "--quality needs a value Q: JPEG and WebP quality 1..100",
                        dir);
    require_usage_error(
        run({"--alpha", "--beta", "1"}),
        "--alpha needs a value A, but '--beta' is an option; if it is the value, write "
        "--alpha=--beta",
        dir);
  }
  SECTION("an empty value after =") {
    require_usage_error(run({"--alpha="}),
                        "--alpha: the value is empty; give one or leave the option out", dir);
    // Before, "--alpha= IN OUT" took IN as alpha's value.
    require_usage_error(run_cli({"--output-dir=", kRocket, out}),
                        "--output-dir: the value is empty", dir);
  }
  SECTION("more files than IN OUT, named") {
    require_usage_error(run({"--radius", "1", "2"}),
                        "expected IN OUT, but got 3 files ('" + kRocket + "', '" + out +
                            "', '2'); several "
                            "inputs need -O DIR (like cp a b c dir/)",
                        dir);
    require_usage_error(run_cli({kRocket}),
                        "expected IN and OUT, but got only '" + kRocket + "'; give OUT too", dir);
  }
  SECTION("an unknown option, with the closest known one") {
    require_usage_error(run({"--radious", "2"}),
                        "unknown option '--radious'; did you mean '--radius'?", dir);
    require_usage_error(run({"--Alpha=1"}), "unknown option '--Alpha'; did you mean '--alpha'?",
                        dir);
    require_usage_error(run({"--jsno"}), "unknown option '--jsno'; did you mean '--json'?", dir);
    require_usage_error(run({"-alpha", "1"}), "unknown option '-alpha'; did you mean '--alpha'?",
                        dir);
    require_usage_error(run({"---alpha", "1"}),
                        "unknown option '---alpha'; did you mean '--alpha'?", dir);
    require_usage_error(run({"-x"}),
                        "unknown option '-x'; run 'lrn-img --help' for the options (a file named "
                        "-x: write ./-x)",
                        dir);
  }
  SECTION("a flag given a value") {
    require_usage_error(run({"--rescale=3"}),
                        "--rescale takes no value, but was given '3'; write --rescale alone", dir);
    require_usage_error(run({"--json=false"}), "--json takes no value, but was given 'false'", dir);
    require_usage_error(run({"-0=1"}), "--null takes no value, but was given '1'; write -0 alone",
                        dir);
    require_usage_error(run({"--help=x"}), "--help takes no value", dir);
  }
  SECTION("one option given twice") {
    require_usage_error(run({"--alpha", "1", "-a", "2"}),
                        "--alpha is given twice, as '1' and as '2'; give it once", dir);
    require_usage_error(run({"-q", "80", "--quality=90"}),
                        "--quality is given twice, as '80' and as '90'", dir);
  }
  SECTION("a value that is not one of the choices, with the closest") {
    require_usage_error(
        run({"--convention", "tourch", "--size", "5"}),
        "--convention: 'tourch' is not tf, torch, onnx or caffe; did you mean 'torch'?", dir);
    require_usage_error(
        run({"--format", "jgp"}),
        "--format: 'jgp' is not jpg, png, pnm, tif, webp or npy; did you mean 'jpg'?", dir);
    require_usage_error(
        run({"--preset", "caffe"}),
        "--preset: 'caffe' is not blog, tf-cifar10, tf-defaults, alexnet-paper, caffe-alexnet or "
        "torch-defaults; did you mean 'caffe-alexnet' (Caffe's AlexNet LRN layer)?",
        dir);
    require_usage_error(run({"--convention", "mxnet"}),
                        "--convention: 'mxnet' is not tf, torch, onnx or caffe", dir);
    require_usage_error(
        run({"-q", "abc"}),
        "--quality: 'abc' is not a decimal number; give a whole number from 1 to 100", dir);
  }
  SECTION("options that exclude or need each other") {
    require_usage_error(run({"--lenient", "--strict"}),
                        "--lenient and --strict contradict each other", dir);
    require_usage_error(run_cli({kRocket, "-O", dir.path(), "-0"}), "--null needs --files-from",
                        dir);
    require_usage_error(run_cli({"--files-from", "/dev/null"}),
                        "--files-from needs -O DIR for the outputs", dir);
  }
}

TEST_CASE("usage: an option outside its use is refused, never ignored", "[cli][usage]") {
  TempDir dir;
  const std::string out = dir.file("o.jpg");
  SECTION("many-files options with one IN OUT or with -") {
    for (const std::vector<std::string>& extra : std::vector<std::vector<std::string>>{
             {"--suffix", "_x"}, {"--skip-existing"}, {"-j", "1"}, {"--quiet"}, {"-0"}}) {
      std::vector<std::string> args = {kRocket, out};
      args.insert(args.end(), extra.begin(), extra.end());
      INFO(extra[0]);
      require_usage_error(run_cli(args), "", dir);
      CHECK_THAT(run_cli(args).err,
                 Contains("applies to many files (IN... -O DIR, or --files-from), not to one "
                          "IN OUT; leave it out"));
    }
    require_usage_error(
        run_cli({"-", out, "--suffix", "_x"}),
        "--suffix applies to many files (IN... -O DIR, or --files-from), not to - as IN or OUT",
        dir);
  }
  SECTION("with --print-params, options about files and files") {
    require_usage_error(
        run_cli({"--print-params", "-t", "2"}),
        "--threads does not apply with --print-params, which only prints the parameters; leave it out",
        dir);
    require_usage_error(run_cli({"--print-params", "--format", "png"}),
                        "--format does not apply with --print-params", dir);
    require_usage_error(
        run_cli({"--print-params", kRocket}),
        "--print-params prints the parameters and exits; it takes no files, but was given '" +
            kRocket + "'",
        dir);
    CHECK(run_cli({"--print-params", "--preset", "caffe-alexnet", "-k", "2"}).exit_code == 0);
  }
  SECTION("an OUT name that contradicts --format, -q or --rescale for a format they do not touch") {
    require_usage_error(run_cli({kRocket, out, "--format", "png"}),
                        "--format png contradicts OUT '" + out +
                            "', a JPEG name; name OUT for the format, or leave "
                            "--format out",
                        dir);
    require_usage_error(run_cli({kRocket, dir.file("o.png"), "-q", "50"}),
                        "--quality applies to JPEG and WebP output, but OUT '" + dir.file("o.png") +
                            "' writes PNG; leave it out",
                        dir);
    require_usage_error(run_cli({kRocket, "-O", dir.path(), "--format", "npy", "-q", "50"}),
                        "--quality applies to JPEG and WebP output, but --format npy writes .npy",
                        dir);
    require_usage_error(run_cli({kRocket, dir.file("o.npy"), "--rescale"}),
                        "--rescale applies to JPEG, PNG, PNM, TIFF and WebP output, but OUT '" +
                            dir.file("o.npy") + "' writes .npy",
                        dir);
  }
  SECTION("what does apply still runs") {
    CHECK(run_cli({kRocket, out, "--format", "jpeg", "-q", "50", "--stats"}).exit_code == 0);
    CHECK(run_cli({kRocket, dir.file("o.bin"), "--format", "png", "--rescale"}).exit_code == 0);
    mkdir(dir.file("out").c_str(), 0755);
    CHECK(run_cli(
              {kRocket, "-O", dir.file("out"), "-q", "50", "--suffix", "_x", "-j", "1", "--quiet"})
              .exit_code == 0);
    CHECK(exists(dir.file("out/rocket_x.jpg")));
  }
}

TEST_CASE("usage: a bare lrn-img prints the usage line and where to look, exit 2", "[cli][usage]") {
  const RunResult r = run_cli({});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "usage: lrn-img IN OUT [options], or lrn-img IN... -O DIR [options]\n"
        "try 'lrn-img --help' for the options\n");
}

TEST_CASE("help: --help fits COLUMNS=80, or the terminal when wider, and shows every option",
          "[cli][help]") {
  auto help_at = [](const std::string& columns) {
    std::vector<std::string> argv = {"/usr/bin/env"};
    argv.push_back(columns.empty() ? "-u" : "COLUMNS=" + columns);
    if (columns.empty()) argv.push_back("COLUMNS");
    argv.push_back(binary_path());
    argv.push_back("--help");
    const RunResult r = run_program(argv);
    REQUIRE(r.exit_code == 0);
    CHECK(r.err.empty());
    return r.out;
  };
  auto longest = [](const std::string& text) {
    std::size_t n = 0;
    for (const std::string& line : lines_of(text)) n = std::max(n, line.size());
    return n;
  };
  const std::string at80 = help_at("80");
  CHECK(longest(at80) <= 80);
  CHECK(longest(help_at("")) <= 80);  // stdout is a pipe here: no terminal width
  const std::string at132 = help_at("132");
  CHECK(longest(at132) > 80);
  CHECK(longest(at132) <= 132);
  CHECK(lines_of(at80).front() ==
        "usage: lrn-img IN OUT [options], or lrn-img IN... -O DIR [options]");
  for (const std::string& names : lrn::cli::parsed_option_names()) {
    std::istringstream each(names);
    for (std::string name; std::getline(each, name, ',');) {
      INFO(name);
      CHECK_THAT(at80, Contains(" " + name + (name.size() == 2 ? "," : " ")));
    }
  }
  CHECK_THAT(at80, Contains("\nExamples:\n"));
  // --help lists the presets by hand; the message for an unknown one lists those parsed.
  std::string flat;
  for (const std::string& line : lines_of(at80))
    flat += line.substr(std::min(line.find_first_not_of(' '), line.size())) + " ";
  const RunResult nope = run_cli({"--preset", "nope", "--print-params"});
  const std::string listed = nope.err.substr(nope.err.find("is not ") + 7);
  std::string presets = listed.substr(0, listed.size() - 1);  // no newline
  presets.replace(presets.rfind(" or "), 4, ", ");
  CHECK_THAT(flat, Contains("flags given win: " + presets + " [blog]"));
}

TEST_CASE("usage: the README's table of which options apply where is the one the checks use",
          "[cli][usage]") {
  std::ifstream readme(sample_path("../README.md"));
  REQUIRE(readme);
  std::string line;
  while (std::getline(readme, line) && line != "### Which options apply where") {
  }
  const unsigned columns[] = {lrn::cli::kSingle, lrn::cli::kBatch, lrn::cli::kStream,
                              lrn::cli::kPrint};
  std::set<std::string> seen;
  while (std::getline(readme, line) && line.rfind("## ", 0) != 0) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(cell);
    REQUIRE(cells.size() == 5);
    // Every `-x` or `--name` in the first cell gets the row's answers.
    std::istringstream names(cells[0]);
    for (std::string skip, name;
         std::getline(names, skip, '`') && std::getline(names, name, '`');) {
      if (name.empty() || name[0] != '-') continue;
      const lrn::cli::OptionDoc* doc = lrn::cli::find_option_doc(name);
      INFO(name << ": " << line);
      REQUIRE(doc);
      seen.insert(doc->names);
      for (int c = 0; c < 4; ++c) {
        const bool yes = cells[c + 1].find(" yes") == 0;
        CHECK(yes == ((doc->uses & columns[c]) != 0));
      }
    }
  }
  for (const auto& d : lrn::cli::option_docs()) {
    INFO(d.names);
    if (!d.pending) CHECK(seen.count(d.names) == 1);
  }
}
