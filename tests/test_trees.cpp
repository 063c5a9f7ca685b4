// End-to-end tests of folder trees (issue 14): -R mirrors a tree under -O, --base does the
// same for listed files, non-images are skipped and counted, -O inside a tree is refused,
// unsupported formats are named, and --dry-run prints the plan without writing anything.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;
using Catch::Matchers::Equals;

namespace {

const std::string kRocket = sample_path("rocket.jpg");
const std::string kCoffee = sample_path("coffee.png");

std::vector<std::uint8_t> text(const std::string& s) { return {s.begin(), s.end()}; }

void make_dirs(const std::string& path) {
  for (auto slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    mkdir(path.substr(0, slash).c_str(), 0755);
    if (slash == std::string::npos) break;
  }
}

// photos/: a data-set tree with the same names in different folders, and out/.
struct Tree {
  TempDir dir;
  Tree() {
    make_dirs(dir.file("photos/train/cat"));
    make_dirs(dir.file("photos/train/dog"));
    make_dirs(dir.file("photos/val/cat"));
    make_dirs(dir.file("out"));
    write_bytes(in("train/cat/001.jpg"), read_bytes(kRocket));
    write_bytes(in("train/dog/001.jpg"), read_bytes(kRocket));
    write_bytes(in("val/cat/001.png"), read_bytes(kCoffee));
  }
  std::string in(const std::string& n) const { return dir.file("photos/" + n); }
  std::string out(const std::string& n) const { return dir.file("out/" + n); }
  std::string photos() const { return dir.file("photos"); }
  std::string outdir() const { return dir.file("out"); }
};

}  // namespace

TEST_CASE("option -R mirrors a nested tree with same-named files under -O", "[trees]") {
  Tree t;
  const RunResult r = run_cli({"-R", t.photos(), "-O", t.outdir(), "--suffix", "_lrn"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(decode_file(t.out("train/cat/001_lrn.jpg")).info.width == 640);
  CHECK(decode_file(t.out("train/dog/001_lrn.jpg")).info.width == 640);
  CHECK(decode_file(t.out("val/cat/001_lrn.png")).info.width == 600);
  CHECK_THAT(r.err, Contains("3 done, 0 failed"));

  SECTION("--recursive, a trailing slash and --format") {
    TempDir out;
    const RunResult again =
        run_cli({"--recursive", t.photos() + "/", "-O", out.path() + "/", "--format", "npy"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(exists(out.file("train/cat/001.npy")));
    CHECK(exists(out.file("val/cat/001.npy")));
  }
  SECTION("two folders: the clash names both inputs and the fix") {
    TempDir out;
    const RunResult clash =
        run_cli({"-R", t.in("train/cat"), t.in("val/cat"), "-O", out.path(), "--format", "png"});
    CHECK(clash.exit_code == 2);
    CHECK_THAT(clash.err, Contains("two inputs would write '" + out.file("001.png") + "': '" +
                                   t.in("train/cat/001.jpg") + "' and '" + t.in("val/cat/001.png") +
                                   "'; give --base DIR"));
    CHECK(TempDir::entries_of(out.path()).empty());
    const RunResult based = run_cli({"-R", t.in("train/cat"), t.in("val/cat"), "--base", t.photos(),
                                     "-O", out.path(), "--format", "png"});
    INFO(based.err);
    CHECK(based.exit_code == 0);
    CHECK(exists(out.file("train/cat/001.png")));
    CHECK(exists(out.file("val/cat/001.png")));
  }
}

TEST_CASE("same-named files without -R or --base are refused naming both inputs", "[trees]") {
  Tree t;
  const RunResult r =
      run_cli({t.in("train/cat/001.jpg"), t.in("train/dog/001.jpg"), "-O", t.outdir()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("two inputs would write '" + t.out("001.jpg") + "': '" +
                             t.in("train/cat/001.jpg") + "' and '" + t.in("train/dog/001.jpg") +
                             "'; give --base DIR"));
  const RunResult twice =
      run_cli({t.in("train/cat/001.jpg"), t.in("train/cat/001.jpg"), "-O", t.outdir()});
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.err, Contains("the same input is given twice"));
  CHECK(TempDir::entries_of(t.outdir()).empty());
}

TEST_CASE("an interrupted recursive run resumes with --skip-existing", "[threads][trees]") {
  Tree t;
  REQUIRE(run_cli({"-R", t.photos(), "-O", t.outdir()}).exit_code == 0);
  // As an interrupted run leaves it: some outputs done, others (and their folders) not.
  write_bytes(t.out("train/cat/001.jpg"), text("old"));
  REQUIRE(std::remove(t.out("val/cat/001.png").c_str()) == 0);
  REQUIRE(rmdir(t.out("val/cat").c_str()) == 0);
  REQUIRE(rmdir(t.out("val").c_str()) == 0);
  const RunResult r = run_cli({"-R", t.photos(), "-O", t.outdir(), "--skip-existing"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Contains("1 done, 0 failed, 2 skipped"));
  CHECK(read_bytes(t.out("train/cat/001.jpg")) == text("old"));
  CHECK(decode_file(t.out("val/cat/001.png")).info.width == 600);
}

TEST_CASE("option -R walks hidden files and follows symlinks as find -L does, loops excepted",
          "[trees]") {
  Tree t;
  make_dirs(t.in(".thumbs"));
  write_bytes(t.in(".thumbs/t.jpg"), read_bytes(kRocket));
  write_bytes(t.in(".hidden.png"), read_bytes(kCoffee));
  REQUIRE(symlink("..", t.in("train/loop").c_str()) == 0);  // back to photos/
  REQUIRE(symlink(".", t.in("val/self").c_str()) == 0);     // to itself
  make_dirs(t.dir.file("elsewhere"));
  write_bytes(t.dir.file("elsewhere/e.jpg"), read_bytes(kRocket));
  REQUIRE(symlink(t.dir.file("elsewhere").c_str(), t.in("linked").c_str()) == 0);
  const RunResult r = run_cli({"-R", t.photos(), "-O", t.outdir()});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(exists(t.out(".thumbs/t.jpg")));
  CHECK(exists(t.out(".hidden.png")));
  CHECK(exists(t.out("linked/e.jpg")));
  CHECK_THAT(r.err, Contains("lrn-img: warning: '" + t.in("train/loop") + "' leads back to '" +
                             t.photos() + "' (a file system loop); not followed"));
  CHECK_THAT(r.err, Contains("'" + t.in("val/self") + "' leads back to '" + t.in("val") + "'"));
  CHECK_THAT(r.err, Contains("6 done, 0 failed"));
  CHECK_FALSE(exists(t.out("train/loop")));
}

TEST_CASE(
    "option -R skips and counts files that are not images, and fails unreadable formats by name",
    "[trees]") {
  Tree t;
  write_bytes(t.in("labels.csv"), text("file,label\n001.jpg,cat\n"));
  write_bytes(t.in(".DS_Store"), text(std::string("\0\0\0\1Bud1", 8)));
  write_bytes(t.in("train/empty"), {});
  write_bytes(t.in("train/page.jpg"), text("<html>404</html>\n"));  // a failed download
  write_bytes(t.in("paper.pdf"), text("%PDF-1.7\n"));
  REQUIRE(mkfifo(t.in("val/fifo").c_str(), 0644) == 0);  // opening it would block the walk
  SECTION("non-images only: exit 0, counted in the summary") {
    write_bytes(t.in("val/scan.jfif"), read_bytes(kRocket));  // a JPEG by content
    const RunResult r = run_cli({"-R", t.photos(), "-O", t.outdir()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("lrn-img: 4 done, 0 failed; 6 not images, skipped"));
    CHECK(decode_file(t.out("val/scan.jpg")).info.width == 640);
    CHECK_THAT(r.err, Contains("lrn-img: warning: '" + t.in("train/page.jpg") +
                               "' is not an image (its name says JPEG); skipped"));
    CHECK_THAT(r.err, !Contains("labels.csv"));
    CHECK_FALSE(exists(t.out("labels.csv")));
    CHECK(TempDir::entries_of(t.out("train")).size() == 2);  // cat/, dog/
  }
  SECTION("a GIF in the tree is a failure that says what it is") {
    write_bytes(t.in("val/anim.gif"), text("GIF89a\1\0\1\0"));
    const RunResult r = run_cli({"-R", t.photos(), "-O", t.outdir(), "--json"});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err,
               Contains("lrn-img: error: '" + t.in("val/anim.gif") +
                        "' is a GIF image; lrn-img reads JPEG, PNG, PNM, TIFF, WebP and .npy"));
    CHECK_THAT(r.err, Contains("3 done, 1 failed; 6 not images, skipped"));
    CHECK_THAT(r.out, Contains("\"status\":\"failed\""));
  }
  SECTION("a broken symlink fails as a file that cannot be read") {
    REQUIRE(symlink("gone.jpg", t.in("val/link.jpg").c_str()) == 0);
    const RunResult r = run_cli({"-R", t.photos(), "-O", t.outdir()});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("lrn-img: error: cannot read '" + t.in("val/link.jpg") +
                               "': no such file or directory"));
    CHECK_THAT(r.err, Contains("3 done, 1 failed; 6 not images, skipped"));
  }
}

TEST_CASE("option -O inside an input tree is refused", "[trees]") {
  Tree t;
  for (const std::string& out : {t.in("train/out"), t.photos()}) {
    make_dirs(out);
    const RunResult r = run_cli({"-R", t.photos(), "-O", out});
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("-O '" + out + "' is inside the input folder '" + t.photos() +
                               "'; a rerun would read its own outputs"));
  }
  CHECK(TempDir::entries_of(t.in("train/out")).empty());
  SECTION("also when the walk reaches -O through a symlink") {
    REQUIRE(symlink(t.outdir().c_str(), t.in("val/results").c_str()) == 0);
    const RunResult r = run_cli({"-R", t.photos(), "-O", t.outdir()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("is inside the input folder '" + t.photos() + "' (as '" +
                               t.in("val/results") + "')"));
    CHECK(TempDir::entries_of(t.outdir()).empty());
  }
}

TEST_CASE("option --files-from with --base keeps the folders below DIR", "[trees]") {
  Tree t;
  const std::string list = t.dir.file("list.txt");
  write_bytes(list, text(t.in("train/cat/001.jpg") + "\n" + t.in("train/dog/001.jpg") + "\n"));
  SECTION("mirrored below --base") {
    const RunResult r = run_cli({"--files-from", list, "--base", t.in("train"), "-O", t.outdir()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(exists(t.out("cat/001.jpg")));
    CHECK(exists(t.out("dog/001.jpg")));
  }
  SECTION("relative paths from the working folder, and a relative --base") {
    const RunResult r = run_program({"/bin/sh", "-c",
                                     "cd '" + t.dir.path() + "' && find photos -name '*.png' | '" +
                                         binary_path() + "' --files-from - --base photos -O out"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(exists(t.out("val/cat/001.png")));
  }
  SECTION("an entry not below --base is a usage error") {
    const RunResult r = run_cli({"--files-from", list, "--base", t.in("val"), "-O", t.outdir()});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("'" + t.in("train/cat/001.jpg") + "' is not below --base '" +
                               t.in("val") + "'"));
    CHECK(TempDir::entries_of(t.outdir()).empty());
  }
  SECTION("a listed folder is walked with -R, placed below --base") {
    write_bytes(list, text(t.in("val") + "\n"));
    CHECK(run_cli({"--files-from", list, "-O", t.outdir()}).exit_code == 2);  // a folder needs -R
    const RunResult r =
        run_cli({"--files-from", list, "-R", "--base", t.photos(), "-O", t.outdir()});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(exists(t.out("val/cat/001.png")));
  }
  SECTION("--base needs a batch") {
    CHECK(run_cli({t.in("train/cat/001.jpg"), t.out("x.jpg"), "--base", t.photos()}).exit_code ==
          2);
  }
}

TEST_CASE("a folder without -R is a usage error that suggests -R", "[trees]") {
  Tree t;
  const RunResult batch = run_cli({t.photos(), "-O", t.outdir()});
  CHECK(batch.exit_code == 2);
  CHECK_THAT(batch.err, Contains("'" + t.photos() + "' is a directory; add -R (--recursive)"));
  CHECK_THAT(batch.err, !Contains("--format"));
  const RunResult single = run_cli({t.photos(), t.out("x.jpg")});
  CHECK(single.exit_code == 2);
  CHECK_THAT(single.err,
             Contains("is a directory; to process the images below it, give -R and -O DIR"));
  CHECK(run_cli({"-R", t.photos(), t.out("x.jpg")}).exit_code == 2);  // -R needs -O
  CHECK(TempDir::entries_of(t.outdir()).empty());
}

TEST_CASE("option --help lists -R, --base and --dry-run", "[trees]") {
  const RunResult r = run_cli({"--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("-R, --recursive") && Contains("--base DIR") && Contains("--dry-run"));
}

TEST_CASE("GIF, BMP and HEIF inputs are named by their signature", "[trees][signatures]") {
  TempDir dir;
  using namespace std::string_literals;
  const std::vector<std::pair<std::string, std::string>> files = {
      {"x.gif", "GIF89a\x01\x00\x01\x00\x80\x00\x00"s},
      {"x.bmp", "BM\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00\x01\x00"s},
      {"x.heic",
       "\x00\x00\x00\x18"
       "ftypheic\x00\x00\x00\x00mif1heic"s},
      {"photo.jpg",
       "\x00\x00\x00\x1c"
       "ftypavif\x00\x00\x00\x00"s},  // a name that lies
  };
  const std::vector<std::string> what = {"a GIF image", "a BMP image", "a HEIF image",
                                         "an AVIF image"};
  for (std::size_t i = 0; i < files.size(); ++i) {
    write_bytes(dir.file(files[i].first), text(files[i].second));
    const RunResult r = run_cli({dir.file(files[i].first), dir.file("out.png")});
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Equals("lrn-img: error: '" + dir.file(files[i].first) + "' is " + what[i] +
                             "; lrn-img reads JPEG, PNG, PNM, TIFF, WebP and .npy\n"));
    CHECK_FALSE(exists(dir.file("out.png")));
  }
}

TEST_CASE("option --dry-run prints the plan on stdout and writes nothing", "[trees]") {
  Tree t;
  write_bytes(t.in("labels.csv"), text("a,b\n"));
  write_bytes(t.in("B.jpg"), {0xFF, 0xD8, 0xFF, 0xE0, 0, 0});  // damaged: dry-run does not decode
  write_bytes(t.in("train/new\nline.jpg"), read_bytes(kRocket));
  make_dirs(t.out("train/cat"));
  write_bytes(t.out("train/cat/001.jpg"), text("old"));
  const RunResult r = run_cli({"-R", t.photos(), "-O", t.outdir(), "--skip-existing", "--dry-run"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  // Bytewise order within each folder ('B' < 'l' < 't' < 'v'), non-images last.
  const std::string p = t.photos(), o = t.outdir();
  CHECK_THAT(r.out, Equals("'" + p + "/B.jpg' -> '" + o +
                           "/B.jpg'\n"
                           "'" +
                           p + "/train/cat/001.jpg' -> '" + o +
                           "/train/cat/001.jpg' (exists: skipped)\n"
                           "'" +
                           p + "/train/dog/001.jpg' -> '" + o +
                           "/train/dog/001.jpg'\n"
                           "'" +
                           p + "/train/new\\nline.jpg' -> '" + o +
                           "/train/new\\nline.jpg'\n"
                           "'" +
                           p + "/val/cat/001.png' -> '" + o +
                           "/val/cat/001.png'\n"
                           "'" +
                           p + "/labels.csv' (not an image: skipped)\n"));
  CHECK_THAT(
      r.err,
      Contains("lrn-img: dry run: 4 to do, 1 skipped; 1 not an image, skipped; nothing written"));
  // Nothing written: no output, no mirrored folder.
  CHECK(TempDir::entries_of(t.outdir()) == std::vector<std::string>{"train"});
  CHECK(TempDir::entries_of(t.out("train")) == std::vector<std::string>{"cat"});
  CHECK(read_bytes(t.out("train/cat/001.jpg")) == text("old"));

  SECTION("one IN OUT pair") {
    const RunResult one = run_cli({t.in("train/dog/001.jpg"), t.dir.file("x.png"), "--dry-run"});
    CHECK(one.exit_code == 0);
    CHECK(one.out == "'" + t.in("train/dog/001.jpg") + "' -> '" + t.dir.file("x.png") + "'\n");
    CHECK_FALSE(exists(t.dir.file("x.png")));
  }
  SECTION("usage errors as usual") {
    CHECK(run_cli({t.photos(), "-O", t.outdir(), "--dry-run"}).exit_code == 2);
    CHECK(run_cli({t.in("train/dog/001.jpg"), t.dir.file("x.txt"), "--dry-run"}).exit_code == 2);
    CHECK(run_cli({"-R", t.photos(), "-O", t.dir.file("missing"), "--dry-run"}).exit_code == 1);
  }
}

TEST_CASE("a recursive run stopped by SIGINT resumes with --skip-existing", "[threads][trees]") {
  TempDir dir;
  make_dirs(dir.file("out"));
  for (const char* folder : {"a", "b", "c"}) {
    make_dirs(dir.file(std::string("in/") + folder));
    for (int i = 0; i < 4; ++i)
      REQUIRE(
          symlink(
              kCoffee.c_str(),
              dir.file(std::string("in/") + folder + "/" + std::to_string(i) + ".png").c_str()) ==
          0);
  }
  const std::string run =
      "'" + binary_path() + "' -R '" + dir.file("in") + "' -O '" + dir.file("out") + "' -j 1 -t 1";
  const RunResult first = run_program(
      {"/bin/bash", "-c",
       run + " --rescale & pid=$!; until ls '" + dir.file("out") +
           "'/*/*.png >/dev/null 2>&1; do sleep 0.005; done; kill -INT $pid; wait $pid; echo \"exit=$?\""});
  INFO(first.err);
  REQUIRE_THAT(first.out, Contains("exit=130"));
  const RunResult again = run_program({"/bin/bash", "-c", run + " --rescale --skip-existing"});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, Contains(" skipped") && !Contains(" 0 skipped") && Contains(", 0 failed"));
  for (const char* folder : {"a", "b", "c"})
    for (int i = 0; i < 4; ++i) {
      const std::string out =
          dir.file(std::string("out/") + folder + "/" + std::to_string(i) + ".png");
      INFO(out);
      CHECK(decode_file(out).info.width == 600);
    }
}

TEST_CASE("option -R: an unreadable folder stops the run, an unreadable file fails alone (setpriv)",
          "[trees]") {
  Tree t;
  // Root ignores mode bits, so it runs lrn-img as nobody (65534), who must reach the tree.
  std::vector<std::string> argv{binary_path()};
  if (geteuid() == 0) {
    argv = {"/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary_path()};
    auto probe = argv;
    probe.push_back("--version");
    if (run_program(probe).exit_code != 0) {
      WARN("SKIPPED: cannot run " << binary_path() << " as nobody with setpriv");
      return;
    }
  }
  for (const std::string& d : {t.dir.path(), t.photos(), t.in("train"), t.in("train/cat"),
                               t.in("train/dog"), t.in("val"), t.in("val/cat")})
    REQUIRE(chmod(d.c_str(), 0755) == 0);
  for (const std::string& f :
       {t.in("train/cat/001.jpg"), t.in("train/dog/001.jpg"), t.in("val/cat/001.png")})
    REQUIRE(chmod(f.c_str(), 0644) == 0);
  REQUIRE(chmod(t.outdir().c_str(), 0777) == 0);
  argv.insert(argv.end(), {"-R", t.photos(), "-O", t.outdir()});
  SECTION("a file") {
    REQUIRE(chmod(t.in("train/dog/001.jpg").c_str(), 0) == 0);
    const RunResult r = run_program(argv);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("lrn-img: error: cannot read '" + t.in("train/dog/001.jpg") +
                               "': permission denied"));
    CHECK_THAT(r.err, Contains("2 done, 1 failed"));
  }
  SECTION("a folder") {
    REQUIRE(chmod(t.in("val").c_str(), 0) == 0);
    const RunResult r = run_program(argv);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("lrn-img: error: cannot read the folder '" + t.in("val") +
                               "': permission denied"));
    CHECK(TempDir::entries_of(t.outdir()).empty());
    chmod(t.in("val").c_str(), 0755);  // so that a non-root TempDir can remove it
  }
  chmod(t.in("train/dog/001.jpg").c_str(), 0644);
}
