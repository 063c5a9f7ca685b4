// Fault injection, end to end through the binary: a missing or read-only output folder, a full
// disk, an input that ends or changes under lrn-img, an empty file, a folder as input. Each
// must give a clear error naming the file, exit 1 (a folder without -R: 2), leave nothing
// behind and keep an existing OUT.
// CI runs as root, where mode bits do not stop writes: read-only folders come from a read-only
// bind mount or from dropping privileges, a full disk from a tiny tmpfs, both in a private mount
// namespace (unshare -m). Where that cannot be set up the test says it skipped.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;

namespace {

const std::vector<std::uint8_t> kOld = {'o', 'l', 'd'};

// Asserts exit 1, `lrn-img: error:` naming `file` with `why`, and nothing on stdout.
void require_error(const RunResult& r, const std::string& file, const std::string& why) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("lrn-img: error: ") && Contains("'" + file + "': " + why));
}

// The folder holds exactly `names` (so no temporary file was left).
void require_entries(const std::string& dir, std::vector<std::string> names) {
  auto got = TempDir::entries_of(dir);
  std::sort(got.begin(), got.end());
  std::sort(names.begin(), names.end());
  CHECK(got == names);
}

// Runs `script` with sh inside a private mount namespace; $1.. are `args`. The script prints
// "ready" once its mounts are in place: without it the namespace could not be made here.
RunResult in_mount_namespace(const std::string& script, const std::vector<std::string>& args,
                             bool* ready) {
  std::vector<std::string> argv{"/usr/bin/unshare", "-m", "/bin/sh", "-c", script, "sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  RunResult r = run_program(argv);
  *ready = r.out.find("ready\n") != std::string::npos;
  if (!*ready) WARN("SKIPPED: cannot mount in a private namespace here: " << r.err);
  return r;
}

// Feeds `bytes` into the FIFO at `path` from a thread, then closes it (the reader sees EOF).
std::thread feed_fifo(const std::string& path, std::vector<std::uint8_t> bytes) {
  REQUIRE(mkfifo(path.c_str(), 0600) == 0);
  return std::thread([path, bytes = std::move(bytes)] {
    std::ofstream f(path, std::ios::binary);  // blocks until lrn-img opens the FIFO
    f.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  });
}

std::vector<std::uint8_t> head(std::vector<std::uint8_t> v, std::size_t n) {
  v.resize(std::min(n, v.size()));
  return v;
}

}  // namespace

TEST_CASE("faults: the output folder is missing", "[faults]") {
  TempDir dir;
  const std::string out = dir.file("no/such/out.png");
  require_error(run_cli({sample_path("rocket.jpg"), out}), out, "no such file or directory");
  const RunResult batch = run_cli({sample_path("rocket.jpg"), "-O", dir.file("gone"), "--quiet"});
  require_error(batch, dir.file("gone"), "no such folder");
  require_entries(dir.path(), {});
}

TEST_CASE("faults: the output folder is read-only (a read-only bind mount)", "[faults]") {
  TempDir dir;
  write_bytes(dir.file("out.png"), kOld);
  bool ready = false;
  const RunResult r = in_mount_namespace(
      "mount --bind \"$1\" \"$1\" && mount -o remount,bind,ro \"$1\" || exit 99\n"
      "echo ready; exec \"$2\" \"$3\" \"$1/out.png\"",
      {dir.path(), binary_path(), sample_path("rocket.jpg")}, &ready);
  if (!ready) return;
  require_error(r, dir.file("out.png"), "read-only file system");
  require_entries(dir.path(), {"out.png"});
  CHECK(read_bytes(dir.file("out.png")) == kOld);
}

TEST_CASE("faults: the output folder is not writable for the user (setpriv)", "[faults]") {
  TempDir dir;
  // nobody (65534) must reach the input and the binary, but not write the folder.
  REQUIRE(chmod(dir.path().c_str(), 0755) == 0);
  write_bytes(dir.file("in.jpg"), read_bytes(sample_path("rocket.jpg")));
  REQUIRE(mkdir(dir.file("ro").c_str(), 0755) == 0);
  write_bytes(dir.file("ro/out.png"), kOld);
  REQUIRE(chmod(dir.file("ro").c_str(), 0555) == 0);
  // Root ignores mode bits, so it runs lrn-img as nobody; anyone else is stopped by them.
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
  argv.insert(argv.end(), {dir.file("in.jpg"), dir.file("ro/out.png")});
  require_error(run_program(argv), dir.file("ro/out.png"), "permission denied");
  require_entries(dir.file("ro"), {"out.png"});
  CHECK(read_bytes(dir.file("ro/out.png")) == kOld);
  chmod(dir.file("ro").c_str(), 0755);  // so that a non-root TempDir can remove it
}

TEST_CASE("faults: the disk fills up while writing", "[faults]") {
  TempDir dir;
  REQUIRE(mkdir(dir.file("full").c_str(), 0755) == 0);
  // A 64 KiB tmpfs: the old OUT fits, the photo's float32 .npy (MBs) does not. Inside the
  // namespace the script reports what the folder holds afterwards, since the mount dies with it.
  bool ready = false;
  const RunResult r = in_mount_namespace(
      "mount -t tmpfs -o size=64k tmpfs \"$1\" && printf old > \"$1/out.npy\" || exit 99\n"
      "echo ready; \"$2\" \"$3\" \"$1/out.npy\"; echo \"exit=$?\"; ls -A \"$1\"; cat \"$1/out.npy\"",
      {dir.file("full"), binary_path(), sample_path("rocket.jpg")}, &ready);
  if (!ready) return;
  INFO("stderr: " << r.err);
  CHECK(r.out == "ready\nexit=1\nout.npy\nold");
  CHECK_THAT(r.err, Contains("lrn-img: error: cannot write '" + dir.file("full/out.npy") +
                             "': no space left on device"));
}

TEST_CASE("faults: the input ends after its header (a FIFO whose writer stops)", "[faults]") {
  TempDir dir;
  write_bytes(dir.file("out.png"), kOld);
  SECTION("JPEG") {
    auto writer = feed_fifo(dir.file("in"), head(read_bytes(sample_path("rocket.jpg")), 2000));
    const RunResult r = run_cli({dir.file("in"), dir.file("out.png")});
    writer.join();
    require_error(r, dir.file("in"), "premature end of JPEG file");
  }
  SECTION(".npy") {
    write_npy(dir.file("full.npy"), 64, 64, 3, std::vector<float>(64 * 64 * 3, 1.0f));
    auto bytes = read_bytes(dir.file("full.npy"));
    REQUIRE(::unlink(dir.file("full.npy").c_str()) == 0);
    auto writer = feed_fifo(dir.file("in"), head(bytes, 128 + 5000));
    const RunResult r = run_cli({dir.file("in"), dir.file("out.png")});
    writer.join();
    require_error(r, dir.file("in"), "pixel data is truncated");
  }
  SECTION("nothing at all") {
    auto writer = feed_fifo(dir.file("in"), {});
    const RunResult r = run_cli({dir.file("in"), dir.file("out.png")});
    writer.join();
    require_error(r, dir.file("in"), "the file is empty");
  }
  require_entries(dir.path(), {"in", "out.png"});
  CHECK(read_bytes(dir.file("out.png")) == kOld);
}

TEST_CASE("faults: the input changes between header and data", "[faults]") {
  // The photo's header and first IDAT chunk, then another PNG's chunks from its first IDAT on:
  // every chunk is whole and its CRC right, but the image data is no longer one zlib stream.
  TempDir dir;
  write_bytes(dir.file("out.png"), kOld);
  const auto photo = read_bytes(sample_path("coffee.png"));
  const auto other = read_bytes(data_path("png_plasma.png"));
  auto first_idat_end = [](const std::vector<std::uint8_t>& png, bool past) {
    for (std::size_t at = 8; at + 8 <= png.size();) {
      const std::size_t len =
          std::size_t{png[at]} << 24 | png[at + 1] << 16 | png[at + 2] << 8 | png[at + 3];
      if (std::string(png.begin() + at + 4, png.begin() + at + 8) == "IDAT")
        return past ? at + 12 + len : at;
      at += 12 + len;
    }
    return png.size();
  };
  auto mixed = head(photo, first_idat_end(photo, true));
  mixed.insert(mixed.end(), other.begin() + first_idat_end(other, false), other.end());
  auto writer = feed_fifo(dir.file("in"), mixed);
  const RunResult r = run_cli({dir.file("in"), dir.file("out.png")});
  writer.join();
  require_error(r, dir.file("in"), "damaged image data");
  require_entries(dir.path(), {"in", "out.png"});
  CHECK(read_bytes(dir.file("out.png")) == kOld);
}

TEST_CASE("faults: a regular input file is truncated while it is being read", "[faults]") {
  // OUT is a FIFO nobody reads yet, so lrn-img blocks on it partway; meanwhile the input is cut
  // short. (A FIFO OUT is written directly: this checks the error, not all-or-nothing.)
  TempDir dir;
  const std::size_t h = 1024, w = 1024, c = 4;  // 16 MiB of float32, far beyond any read-ahead
  write_npy(dir.file("in.npy"), h, w, c, std::vector<float>(h * w * c, 2.0f));
  REQUIRE(mkfifo(dir.file("out").c_str(), 0600) == 0);
  int truncated = -1;
  std::thread reader([&] {  // no Catch assertions off the main thread
    std::ifstream out(dir.file("out"), std::ios::binary);
    char buf[4096];
    out.read(buf, sizeof buf);  // lrn-img is now writing; let it fill the pipe and block
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    truncated = ::truncate(dir.file("in.npy").c_str(), 200000);
    while (out.read(buf, sizeof buf) || out.gcount() > 0) {
    }
  });
  const RunResult r = run_cli({dir.file("in.npy"), dir.file("out"), "--format", "npy", "-t", "1"});
  reader.join();
  REQUIRE(truncated == 0);
  require_error(r, dir.file("in.npy"), "pixel data is truncated");
}

TEST_CASE("faults: an empty file or a folder as input", "[faults]") {
  TempDir dir;
  write_bytes(dir.file("out.png"), kOld);
  write_bytes(dir.file("empty.png"), {});
  REQUIRE(mkdir(dir.file("folder.png").c_str(), 0755) == 0);
  require_error(run_cli({dir.file("empty.png"), dir.file("out.png")}), dir.file("empty.png"),
                "the file is empty");
  // A folder is a usage error that points to -R, before any work (issue 14).
  const RunResult single = run_cli({dir.file("folder.png"), dir.file("out.png")});
  CHECK(single.exit_code == 2);
  CHECK_THAT(single.err,
             Contains("lrn-img: error: '" + dir.file("folder.png") + "' is a directory; ") &&
                 Contains("-R"));
  const RunResult batch = run_cli(
      {dir.file("empty.png"), dir.file("folder.png"), "-O", dir.file("folder.png"), "--quiet"});
  CHECK(batch.exit_code == 2);
  CHECK_THAT(batch.err,
             Contains("'" + dir.file("folder.png") + "' is a directory; add -R (--recursive)"));
  require_entries(dir.path(), {"empty.png", "folder.png", "out.png"});
  require_entries(dir.file("folder.png"), {});
  CHECK(read_bytes(dir.file("out.png")) == kOld);
}
