// The two ways to install (README "Install"): `cmake --install` into a prefix, and the .deb
// cpack builds, each checked by running the lrn-img it installed on a sample.
// Tagged [install]: both write the build tree's install_manifest.txt, so ctest runs them one at
// a time (tests/CMakeLists.txt).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;

namespace {

const std::string kBuildDir = LRN_BUILD_DIR;

std::string text_of(const std::string& path) {
  const std::vector<std::uint8_t> bytes = read_bytes(path);
  return {bytes.begin(), bytes.end()};
}

std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// "1.0.0", from `lrn-img --version`.
std::string version() {
  const RunResult r = run_cli({"--version"});
  REQUIRE(r.exit_code == 0);
  const std::string line = first_line(r.out);
  return line.substr(line.rfind(' ') + 1);
}

// Runs an installed lrn-img on the sample photo, to JPEG and to PNG (which opens libspng), and
// requires the bytes the build's own binary writes.
void check_runs(const std::string& installed, const TempDir& dir) {
  for (const std::string ext : {".jpg", ".png"}) {
    INFO(installed << " -> " << ext);
    const RunResult mine =
        run_program({installed, sample_path("rocket.jpg"), dir.file("installed" + ext)});
    INFO(mine.err);
    REQUIRE(mine.exit_code == 0);
    CHECK(mine.err.empty());
    REQUIRE(run_cli({sample_path("rocket.jpg"), dir.file("built" + ext)}).exit_code == 0);
    CHECK(read_bytes(dir.file("installed" + ext)) == read_bytes(dir.file("built" + ext)));
  }
}

// The files both ways install besides the binary, under `root` (a prefix, or an extracted .deb's
// usr/): the man page (gzip'ed, the source's bytes), the completion as it is, the docs.
void check_data_files(const std::string& root) {
  const std::string man = root + "/share/man/man1/lrn-img.1.gz";
  REQUIRE(exists(man));
  const RunResult unzipped = run_program({LRN_GZIP, "-dc", man});
  REQUIRE(unzipped.exit_code == 0);
  CHECK(unzipped.out == text_of(source_path("docs/lrn-img.1")));
  const std::string completion = root + "/share/bash-completion/completions/lrn-img";
  REQUIRE(exists(completion));
  CHECK(text_of(completion) == text_of(source_path("completions/lrn-img.bash")));
  CHECK(exists(root + "/share/doc/lrn-img/LICENSE"));
  CHECK(exists(root + "/share/doc/lrn-img/README.md"));
}

#ifdef LRN_PYTHON_MODULE
// The folder under `root` holding the installed Python package (lrn_img/_lrn_img.cpython-*.so).
std::string python_dir(const std::string& root) {
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.path().filename().string().rfind("_lrn_img.cpython-", 0) == 0)
      return e.path().parent_path().parent_path().string();
  FAIL("no lrn_img module installed under " << root);
  return {};
}

// Imports the installed module with Debian's python3 (PYTHONPATH at `dir` alone), checks it is
// the installed file, and runs process_file and lrn on the sample: the bytes the build's CLI
// writes, and lrn's values for the photo's first row against the CLI's .npy.
void check_python(const std::string& dir, const TempDir& tmp) {
  REQUIRE(run_cli({sample_path("rocket.jpg"), tmp.file("cli.jpg")}).exit_code == 0);
  REQUIRE(run_cli({sample_path("rocket.jpg"), tmp.file("cli.npy")}).exit_code == 0);
  const std::string code =
      "import sys, numpy as np, lrn_img\n"
      "assert lrn_img.__file__.startswith(sys.argv[1]), lrn_img.__file__\n"
      "lrn_img.process_file(sys.argv[2], sys.argv[3] + '/py.jpg')\n"
      "assert open(sys.argv[3] + '/py.jpg', 'rb').read() == open(sys.argv[3] + '/cli.jpg', 'rb').read()\n"
      "ref = np.load(sys.argv[3] + '/cli.npy')\n"
      "lrn_img.process_file(sys.argv[2], sys.argv[3] + '/py.npy')\n"
      "x = np.load(sys.argv[3] + '/py.npy')\n"
      "assert np.array_equal(x, ref)\n"
      "print(lrn_img.__version__)\n";
  const RunResult r =
      run_program({"/usr/bin/env", "-u", "PYTHONHOME", "PYTHONPATH=" + dir, "/usr/bin/python3",
                   "-c", code, dir, sample_path("rocket.jpg"), tmp.path()});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(first_line(r.out) == version());
}
#endif

}  // namespace

TEST_CASE(
    "install: cmake --install --prefix P installs a working lrn-img, its man page, completion and docs",
    "[install]") {
  TempDir prefix;
  const RunResult install =
      run_program({LRN_CMAKE, "--install", kBuildDir, "--prefix", prefix.path()});
  INFO(install.out << install.err);
  REQUIRE(install.exit_code == 0);
  check_runs(prefix.file("bin/lrn-img"), prefix);
  check_data_files(prefix.path());
#ifdef LRN_PYTHON_MODULE
  // Python's own scheme for a prefix other than /usr and /usr/local: P/lib/python3.X/site-packages.
  const std::string dir = python_dir(prefix.path());
  CHECK_THAT(dir, Contains(prefix.file("lib/python3.")) && Contains("/site-packages"));
  check_python(dir, prefix);
#endif
}

TEST_CASE(
    "install: cpack builds a .deb whose Depends name what lrn-img loads, and whose lrn-img runs",
    "[install]") {
  // Into the build tree, where a release's .deb would be made too; a fresh folder each time,
  // so the file found is this run's.
  const std::string out = kBuildDir + "/package-test";
  std::filesystem::remove_all(out);
  const RunResult cpack = run_program(
      {LRN_CPACK, "--config", kBuildDir + "/CPackConfig.cmake", "-G", "DEB", "-B", out});
  INFO(cpack.out << cpack.err);
  REQUIRE(cpack.exit_code == 0);

  const std::string arch = first_line(run_program({LRN_DPKG, "--print-architecture"}).out);
  const std::string deb = out + "/lrn-img_" + version() + "_" + arch + ".deb";
  REQUIRE(exists(deb));
  const auto field = [&](const std::string& name) {
    const RunResult r = run_program({LRN_DPKG_DEB, "-f", deb, name});
    REQUIRE(r.exit_code == 0);
    return first_line(r.out);
  };
  CHECK(field("Package") == "lrn-img");
  CHECK(field("Version") == version());
  CHECK(field("Section") == "graphics");
  const std::string depends = field("Depends");
  INFO("Depends: " << depends);
  CHECK_THAT(depends, Contains("libc6"));            // from dpkg-shlibdeps
  CHECK_THAT(depends, Contains("libjpeg62-turbo"));  // from dpkg-shlibdeps
  CHECK_THAT(depends, Contains("libspng0"));         // stated: opened with dlopen
  // libstdc++6 is there for liblrn_img.so.1 (for embedders); the lrn-img binary itself links
  // it statically (not under the sanitizers): checked on the extracted binary below.
  CHECK_THAT(depends, Contains("libstdc++6"));
#ifdef LRN_PYTHON_MODULE
  CHECK_THAT(depends, Contains("python3-numpy"));  // stated: the module imports it
  CHECK_THAT(depends, Contains("python3 (<<"));    // stated: the module's ABI
#endif

  TempDir root;
  const RunResult extract = run_program({LRN_DPKG_DEB, "-x", deb, root.path()});
  INFO(extract.err);
  REQUIRE(extract.exit_code == 0);
  check_runs(root.file("usr/bin/lrn-img"), root);
  check_data_files(root.file("usr"));
#ifdef LRN_STATIC_LIBSTDCXX
  const RunResult needed = run_program({LRN_OBJDUMP, "-p", root.file("usr/bin/lrn-img")});
  REQUIRE(needed.exit_code == 0);
  CHECK_THAT(needed.out, Contains("NEEDED               libc.so.6"));
  CHECK_THAT(needed.out, !Contains("libstdc++"));
#endif
  const RunResult lib =
      run_program({LRN_OBJDUMP, "-p",
                   root.file(std::string("usr/") + LRN_INSTALL_LIBDIR + "/liblrn_img.so.1")});
  REQUIRE(lib.exit_code == 0);
  CHECK_THAT(lib.out, Contains("SONAME               liblrn_img.so.1"));
#ifdef LRN_PYTHON_MODULE
  // Where Debian's python3 looks under /usr.
  CHECK(python_dir(root.path()) == root.file("usr/lib/python3/dist-packages"));
  check_python(python_dir(root.path()), root);
#endif
}
