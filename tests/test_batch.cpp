// End-to-end tests of batch and pipeline use: many inputs into -O DIR, --files-from, jobs,
// failures in the middle, interruption, stdin/stdout, --json and --stats, and the README's
// shell recipes.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;

namespace {

const std::string kRocket = sample_path("rocket.jpg");
const std::string kCoffee = sample_path("coffee.png");

// A folder with inputs a.jpg, b.png and c.jpg (a copy of the samples), and out/.
struct BatchDir {
  TempDir dir;
  BatchDir() {
    write_bytes(dir.file("a.jpg"), read_bytes(kRocket));
    write_bytes(dir.file("b.png"), read_bytes(kCoffee));
    write_bytes(dir.file("c.jpg"), read_bytes(kRocket));
    mkdir(dir.file("out").c_str(), 0755);
  }
  std::string in(const std::string& n) const { return dir.file(n); }
  std::string out(const std::string& n) const { return dir.file("out/" + n); }
};

// Runs a shell command line (bash), with LRN_IMG set to the binary; returns exit and output.
RunResult sh(const std::string& script) {
  const std::string full = "LRN_IMG='" + binary_path() + "'; " + script;
  RunResult r;
  const std::string tmp = "/tmp/lrn-sh-" + std::to_string(getpid());
  const std::string cmd = "bash -c \"$(cat " + tmp + ".sh)\" >" + tmp + ".out 2>" + tmp + ".err";
  { std::ofstream(tmp + ".sh") << full; }
  const int status = std::system(cmd.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  auto text = [](const std::string& p) {
    auto b = read_bytes(p);
    return std::string(b.begin(), b.end());
  };
  r.out = text(tmp + ".out");
  r.err = text(tmp + ".err");
  std::remove((tmp + ".sh").c_str());
  std::remove((tmp + ".out").c_str());
  std::remove((tmp + ".err").c_str());
  return r;
}

bool have(const std::string& tool) {
  return std::system(("command -v " + tool + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace

TEST_CASE("a batch writes stem + suffix + extension into -O DIR", "[batch]") {
  BatchDir b;
  const RunResult r =
      run_cli({b.in("a.jpg"), b.in("b.png"), "-O", b.dir.file("out"), "--suffix", "_lrn"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(decode_file(b.out("a_lrn.jpg")).info.width == 640);
  CHECK(decode_file(b.out("b_lrn.png")).info.width == 600);
  CHECK_THAT(r.err, Contains("2 done, 0 failed"));
  CHECK(r.out.empty());

  SECTION("--format picks one extension for all") {
    REQUIRE(run_cli({b.in("a.jpg"), b.in("b.png"), "-O", b.dir.file("out"), "--format", "npy"})
                .exit_code == 0);
    CHECK(decode_file(b.out("a.npy")).info.type == lrn::SampleType::F32);
    CHECK(exists(b.out("b.npy")));
  }
}

TEST_CASE("a bad file in the middle of a batch fails alone", "[threads][batch]") {
  BatchDir b;
  write_bytes(b.in("bad.jpg"), {0xFF, 0xD8, 0xFF, 0xE0, 0, 0});
  const RunResult r =
      run_cli({b.in("a.jpg"), b.in("bad.jpg"), b.in("b.png"), "-O", b.dir.file("out"), "-j", "1"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("lrn-img: error: cannot decode '" + b.in("bad.jpg") + "'"));
  CHECK_THAT(r.err, Contains("2 done, 1 failed"));
  CHECK(exists(b.out("a.jpg")));
  CHECK(exists(b.out("b.png")));
  CHECK_FALSE(exists(b.out("bad.jpg")));
  const auto names = TempDir::entries_of(b.dir.file("out"));
  CHECK(names.size() == 2);  // no temporary files
}

TEST_CASE("batch conflicts are refused before any work", "[batch]") {
  BatchDir b;
  mkdir(b.in("sub").c_str(), 0755);
  write_bytes(b.in("sub/a.jpg"), read_bytes(kRocket));
  SECTION("two inputs, one output name") {
    const RunResult r = run_cli({b.in("a.jpg"), b.in("sub/a.jpg"), "-O", b.dir.file("out")});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("two inputs would write"));
    CHECK(TempDir::entries_of(b.dir.file("out")).empty());
  }
  SECTION("an output that would overwrite an input") {
    const RunResult r = run_cli({b.in("a.jpg"), b.in("b.png"), "-O", b.dir.path()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("overwrite an input"));
    CHECK(read_bytes(b.in("a.jpg")) == read_bytes(kRocket));
  }
  SECTION("an input without a known extension and no --format") {
    write_bytes(b.in("noext"), read_bytes(kRocket));
    CHECK(run_cli({b.in("noext"), "-O", b.dir.file("out")}).exit_code == 2);
    CHECK(run_cli({b.in("noext"), "-O", b.dir.file("out"), "--format", "png"}).exit_code == 0);
  }
  SECTION("stdin in a batch, -j without a batch, missing -O folder") {
    CHECK(run_cli({"-", "-O", b.dir.file("out")}).exit_code == 2);
    CHECK(run_cli({b.in("a.jpg"), b.out("x.jpg"), "-j", "2"}).exit_code == 2);
    CHECK(run_cli({b.in("a.jpg"), "-O", b.dir.file("nope")}).exit_code == 1);
    CHECK(run_cli({b.in("a.jpg"), b.in("b.png"), b.out("x.jpg")}).exit_code == 2);
    CHECK(TempDir::entries_of(b.dir.file("out")).empty());
  }
}

TEST_CASE("option --skip-existing resumes an interrupted batch", "[threads][batch]") {
  BatchDir b;
  write_bytes(b.out("a.jpg"), {'o', 'l', 'd'});
  const RunResult r =
      run_cli({b.in("a.jpg"), b.in("b.png"), "-O", b.dir.file("out"), "--skip-existing"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(read_bytes(b.out("a.jpg")) == std::vector<std::uint8_t>{'o', 'l', 'd'});
  CHECK(exists(b.out("b.png")));
  CHECK_THAT(r.err, Contains("1 done, 0 failed, 1 skipped"));
}

TEST_CASE("option --files-from reads lines or NUL-separated paths, from a file or stdin",
          "[batch]") {
  BatchDir b;
  SECTION("lines in a file") {
    write_bytes(b.in("list.txt"), [&] {
      const std::string s = b.in("a.jpg") + "\n" + b.in("b.png") + "\n\n";
      return std::vector<std::uint8_t>(s.begin(), s.end());
    }());
    const RunResult r = run_cli({"--files-from", b.in("list.txt"), "-O", b.dir.file("out")});
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  SECTION("NUL-separated on stdin") {
    const std::string list =
        b.in("a.jpg") + std::string(1, '\0') + b.in("b.png") + std::string(1, '\0');
    const RunResult r = run_cli({"--files-from", "-", "-0", "-O", b.dir.file("out")}, list);
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  CHECK(exists(b.out("a.jpg")));
  CHECK(exists(b.out("b.png")));
}

TEST_CASE("outputs are byte-identical whatever -j and -t are", "[threads][batch]") {
  BatchDir b;
  std::vector<std::vector<std::uint8_t>> first;
  for (const auto& jt : std::vector<std::pair<std::string, std::string>>{
           {"1", "1"}, {"2", "1"}, {"1", "2"}, {"2", "2"}}) {
    TempDir out;
    const RunResult r = run_cli({b.in("a.jpg"), b.in("b.png"), b.in("c.jpg"), "-O", out.path(),
                                 "--format", "npy", "-j", jt.first, "-t", jt.second});
    REQUIRE(r.exit_code == 0);
    std::vector<std::vector<std::uint8_t>> got = {read_bytes(out.file("a.npy")),
                                                  read_bytes(out.file("b.npy")),
                                                  read_bytes(out.file("c.npy"))};
    if (first.empty()) first = got;
    INFO("-j " << jt.first << " -t " << jt.second);
    CHECK(got == first);
  }
}

TEST_CASE("option --json prints one object per image on stdout, --stats prints to stderr",
          "[batch]") {
  BatchDir b;
  write_bytes(b.in("bad.png"), {0x89, 'P', 'N', 'G'});
  const RunResult r = run_cli(
      {b.in("a.jpg"), b.in("bad.png"), "-O", b.dir.file("out"), "--json", "--stats", "-j", "1"});
  CHECK(r.exit_code == 1);
  const auto lines = std::count(r.out.begin(), r.out.end(), '\n');
  CHECK(lines == 2);
  CHECK_THAT(r.out, Contains(R"("status":"ok")"));
  CHECK_THAT(r.out, Contains(R"("status":"failed","error":"cannot decode)"));
  CHECK_THAT(r.out, Contains(R"("stats":{"input":{"min":[0,0,0],"max":[255,255,255])"));
  CHECK_THAT(r.err, Contains("lrn-img: stats"));
  CHECK_THAT(r.err, Contains("out mean"));
  SECTION("--json with - as OUT is a usage error") {
    CHECK(run_cli({kRocket, "-", "--format", "png", "--json"}).exit_code == 2);
  }
}

TEST_CASE("stdin and stdout carry images through a pipe", "[batch]") {
  const auto jpeg = read_bytes(kRocket);
  const RunResult r = run_cli({"-", "-", "--format", "png"}, std::string(jpeg.begin(), jpeg.end()));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  TempDir dir;
  write_bytes(dir.file("o.png"), std::vector<std::uint8_t>(r.out.begin(), r.out.end()));
  CHECK(decode_file(dir.file("o.png")).info.width == 640);
  CHECK(r.err.empty());

  CHECK(run_cli({kRocket, "-"}).exit_code == 2);  // - needs --format
  const RunResult closed = sh("\"$LRN_IMG\" " + kRocket +
                              " - --format npy | head -c 10 >/dev/null; echo \"${PIPESTATUS[0]}\"");
  CHECK(closed.err.empty());  // a closed pipe ends quietly
}

TEST_CASE("SIGINT stops a batch cleanly: finished outputs kept, none partial", "[threads][batch]") {
  TempDir dir;
  mkdir(dir.file("out").c_str(), 0755);
  std::string list;
  for (int i = 0; i < 200; ++i) {
    const std::string link = dir.file("in" + std::to_string(i) + ".png");
    REQUIRE(symlink(kCoffee.c_str(), link.c_str()) == 0);
    list += link + "\n";
  }
  write_bytes(dir.file("list"), std::vector<std::uint8_t>(list.begin(), list.end()));
  const RunResult r =
      sh("\"$LRN_IMG\" --files-from " + dir.file("list") + " -O " + dir.file("out") +
         " -j 1 -t 1 --rescale & pid=$!; "
         "until ls " +
         dir.file("out") +
         "/*.png >/dev/null 2>&1; do sleep 0.005; done; "
         "kill -INT $pid; wait $pid; echo \"exit=$?\"");
  INFO(r.err);
  CHECK_THAT(r.out, Contains("exit=130"));
  CHECK_THAT(r.err, Contains("interrupted"));
  const auto names = TempDir::entries_of(dir.file("out"));
  CHECK(names.size() < 200);
  for (const std::string& n : names) {
    INFO(n);
    CHECK(n[0] != '.');  // no temporary file left
    CHECK(decode_file(dir.file("out/" + n)).info.width == 600);
  }
}

TEST_CASE("README recipes: xargs -P, GNU parallel, a pipe", "[threads][batch][recipes]") {
  BatchDir b;
  SECTION("find -print0 | xargs -0 -P 2") {
    const RunResult r = sh("cd " + b.dir.path() +
                           " && find . -maxdepth 1 -name '*.jpg' -print0 | "
                           "xargs -0 -P 2 -n 8 \"$LRN_IMG\" --quiet -t 1 -O out");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(exists(b.out("a.jpg")));
    CHECK(exists(b.out("c.jpg")));
  }
  SECTION("GNU parallel, locally and as --sshlogin would spread it") {
    if (!have("parallel")) {
      WARN("GNU parallel is not installed; skipped (bash .ci/install-deps installs it)");
      return;
    }
    const RunResult r = sh("cd " + b.dir.path() +
                           " && ls *.jpg *.png | "
                           "parallel -S : --will-cite \"$LRN_IMG\" {} out/{.}_p.png");
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(exists(b.out("a_p.png")));
    CHECK(exists(b.out("b_p.png")));
  }
  SECTION("a pipe through stdin and stdout") {
    const RunResult r =
        sh("cat " + kRocket + " | \"$LRN_IMG\" - - --format png --rescale > " + b.out("pipe.png"));
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(decode_file(b.out("pipe.png")).info.height == 427);
  }
}

TEST_CASE("a terminal gets a progress bar, a pipe and --quiet do not", "[batch]") {
  if (!have("script")) {
    WARN("util-linux 'script' is missing: the terminal case is skipped");
    return;
  }
  BatchDir b;
  // script(1) gives lrn-img a pseudo-terminal as stdout and stderr.
  const RunResult tty = sh("script -qec \"'$LRN_IMG' " + b.in("a.jpg") + " " + b.in("b.png") +
                           " -O " + b.dir.file("out") + " -j 1\" /dev/null");
  INFO(tty.out);
  CHECK(tty.exit_code == 0);
  CHECK_THAT(tty.out, Contains("/2 "));
  CHECK_THAT(tty.out, Contains("img/s"));
  CHECK_THAT(tty.out, Contains("ETA"));
  CHECK_THAT(tty.out, Contains("2 done, 0 failed"));

  const RunResult piped = run_cli({b.in("a.jpg"), "-O", b.dir.file("out"), "--skip-existing"});
  CHECK_THAT(piped.err, !Contains("img/s"));
  const RunResult quiet = sh("script -qec \"'$LRN_IMG' " + b.in("c.jpg") + " -O " +
                             b.dir.file("out") + " --quiet\" /dev/null");
  CHECK(quiet.exit_code == 0);
  CHECK_THAT(quiet.out, !Contains("img/s"));
  CHECK_THAT(quiet.out, !Contains("done"));
}

TEST_CASE("an empty -O or --files-from never falls back to IN OUT (no input overwritten)",
          "[batch]") {
  BatchDir b;
  for (const std::string option : {"-O", "--output-dir", "--files-from"}) {
    const RunResult r = run_cli({b.in("a.jpg"), b.in("c.jpg"), option, ""});
    INFO(option << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("the value is empty"));
    CHECK(read_bytes(b.in("c.jpg")) == read_bytes(kRocket));
  }
  // The same through a shell script with an unset variable.
  const RunResult sh_run =
      sh("cd '" + b.dir.path() + "' && \"$LRN_IMG\" a.jpg c.jpg -O \"$OUTDIR\"");
  CHECK(sh_run.exit_code == 2);
  CHECK(read_bytes(b.in("c.jpg")) == read_bytes(kRocket));
}

TEST_CASE("option -O naming a regular file says it is not a directory", "[batch]") {
  BatchDir b;
  const RunResult r = run_cli({b.in("a.jpg"), "-O", b.in("c.jpg")});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("'" + b.in("c.jpg") + "' is not a directory"));
  CHECK(read_bytes(b.in("c.jpg")) == read_bytes(kRocket));
}

TEST_CASE("a - line in a --files-from list is an error naming the list and the line", "[batch]") {
  BatchDir b;
  write_bytes(b.in("list.txt"), [&] {
    const std::string s = b.in("a.jpg") + "\n\n-\n" + b.in("b.png") + "\n";
    return std::vector<std::uint8_t>(s.begin(), s.end());
  }());
  const RunResult r =
      run_cli({"--files-from", b.in("list.txt"), "-O", b.dir.file("out")}, "stdin data");
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("'" + b.in("list.txt") + "' line 3: - (stdin) cannot be an input"));
  CHECK(TempDir::entries_of(b.dir.file("out")).empty());
}
