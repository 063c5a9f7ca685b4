// OutputFile: nothing visible before commit() (unnamed O_TMPFILE and the named fallback),
// atomic replacement, symlinks, direct writes to devices and FIFOs, and same_file().
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <thread>

#include "image/errors.h"
#include "image/output_file.h"
#include "support.h"

using lrn::FileError;
using lrn::OutputFile;
using lrn_test::TempDir;

namespace {

std::vector<std::uint8_t> text(const std::string& s) { return {s.begin(), s.end()}; }

std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>((i * 13 + i / 509) & 0xFF);
  return v;
}

// Writes bytes in pieces of varied size so that both the buffered and the direct path run,
// with sizes on both sides of where one turns into the other (half the 256 KB buffer).
void write_in_pieces(OutputFile& out, const std::vector<std::uint8_t>& bytes) {
  const std::size_t sizes[] = {1, 100, 300000, 7, 262144, 4096, 131071, 131072, 200000, 65536};
  std::size_t done = 0;
  for (std::size_t i = 0; done < bytes.size(); ++i) {
    const std::size_t n = std::min(sizes[i % std::size(sizes)], bytes.size() - done);
    out.write(bytes.data() + done, n);
    done += n;
  }
}

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

mode_t process_umask() {
  const mode_t mask = umask(022);
  umask(mask);
  return mask;
}

// Runs the enclosing test with unnamed O_TMPFILE temporaries and again with the named fallback
// (as on a file system without O_TMPFILE); restores the default on destruction.
struct EachTemporaryKind {
  const bool unnamed = GENERATE(true, false);
  EachTemporaryKind() {
    INFO((unnamed ? "O_TMPFILE" : "named temporary"));
    lrn::set_unnamed_temporaries(unnamed);
  }
  ~EachTemporaryKind() { lrn::set_unnamed_temporaries(true); }
};

}  // namespace

TEST_CASE("a new file appears only on commit, under its own name", "[io]") {
  const EachTemporaryKind kind;
  TempDir dir;
  const std::string path = dir.file("x.bin");
  const auto bytes = pattern(1500000);
  {
    OutputFile out(path);
    CHECK_FALSE(out.direct());
    CHECK(out.name() == path);
    write_in_pieces(out, bytes);
    CHECK_FALSE(lrn_test::exists(path));
    const auto names = dir.entries();
    if (kind.unnamed) {
      CHECK(names.empty());  // an O_TMPFILE has no name: SIGKILL now would leave nothing
    } else {
      REQUIRE(names.size() == 1);
      CHECK(names[0].rfind(".x.bin.lrn-img-", 0) == 0);
    }
    out.commit();
  }
  CHECK(lrn_test::read_bytes(path) == bytes);
  CHECK(dir.entries() == std::vector<std::string>{"x.bin"});
  CHECK(mode_of(path) == (0666 & ~process_umask()));
}

TEST_CASE("without commit nothing is left behind and an existing file is untouched", "[io]") {
  const EachTemporaryKind kind;
  TempDir dir;
  const std::string path = dir.file("x.bin");
  SECTION("new file") {
    {
      OutputFile out(path);
      out.write("abc", 3);
    }
    CHECK(dir.entries().empty());
  }
  SECTION("existing file") {
    lrn_test::write_bytes(path, text("old contents"));
    {
      OutputFile out(path);
      write_in_pieces(out, pattern(500000));
    }
    CHECK(lrn_test::read_bytes(path) == text("old contents"));
    CHECK(dir.entries() == std::vector<std::string>{"x.bin"});
  }
}

TEST_CASE("commit replaces an existing file and keeps its permission bits", "[io]") {
  TempDir dir;
  const std::string path = dir.file("x.bin");
  lrn_test::write_bytes(path, text("old contents that are longer"));
  const EachTemporaryKind kind;
  const mode_t mode = GENERATE(mode_t{0640}, mode_t{0604}, mode_t{0755});
  REQUIRE(chmod(path.c_str(), mode) == 0);
  {
    OutputFile out(path);
    out.write("new", 3);
    out.commit();
    out.commit();  // a second commit changes nothing
  }
  CHECK(lrn_test::read_bytes(path) == text("new"));
  CHECK(mode_of(path) == mode);
  CHECK(dir.entries() == std::vector<std::string>{"x.bin"});
}

TEST_CASE("writing through a symlink replaces its target and keeps the link", "[io]") {
  const EachTemporaryKind kind;
  TempDir dir;
  REQUIRE(mkdir(dir.file("elsewhere").c_str(), 0755) == 0);
  lrn_test::write_bytes(dir.file("elsewhere/real.bin"), text("old"));
  REQUIRE(chmod(dir.file("elsewhere/real.bin").c_str(), 0640) == 0);
  REQUIRE(symlink("elsewhere/real.bin", dir.file("link.bin").c_str()) == 0);
  {
    OutputFile out(dir.file("link.bin"));
    out.write("new", 3);
    out.commit();
  }
  struct stat st {};
  REQUIRE(lstat(dir.file("link.bin").c_str(), &st) == 0);
  CHECK(S_ISLNK(st.st_mode));
  CHECK(lrn_test::read_bytes(dir.file("elsewhere/real.bin")) == text("new"));
  CHECK(mode_of(dir.file("elsewhere/real.bin")) == 0640);
  // The target was replaced in its own folder: nothing was left beside the link or the target.
  auto names = dir.entries();
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"elsewhere", "link.bin"});
  CHECK(TempDir::entries_of(dir.file("elsewhere")) == std::vector<std::string>{"real.bin"});
}

TEST_CASE("a dangling symlink is refused, never replaced by a file", "[io]") {
  TempDir dir;
  REQUIRE(symlink("missing/real.bin", dir.file("link.bin").c_str()) == 0);
  REQUIRE(symlink("gone.bin", dir.file("link2.bin").c_str()) == 0);
  for (const char* name : {"link.bin", "link2.bin"}) {
    INFO(name);
    CHECK_THROWS_MATCHES(OutputFile(dir.file(name)), FileError,
                         Catch::Matchers::Message("cannot write '" + dir.file(name) +
                                                  "': not writing through a dangling symlink; "
                                                  "remove it or create its target"));
    struct stat st {};
    REQUIRE(lstat(dir.file(name).c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));
  }
  auto names = dir.entries();
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"link.bin", "link2.bin"});
}

TEST_CASE("a missing folder is an error at construction and creates nothing", "[io]") {
  TempDir dir;
  const std::string path = dir.file("out/x.png");
  CHECK_THROWS_MATCHES(
      OutputFile(path), FileError,
      Catch::Matchers::Message("cannot write '" + path + "': no such file or directory"));
  CHECK(dir.entries().empty());
}

TEST_CASE("a directory as the target is refused", "[io]") {
  TempDir dir;
  CHECK_THROWS_MATCHES(
      OutputFile(dir.path()), FileError,
      Catch::Matchers::Message("cannot write '" + dir.path() + "': is a directory"));
}

TEST_CASE("/dev/null is written directly and stays a device", "[io]") {
  {
    OutputFile out("/dev/null");
    CHECK(out.direct());
    write_in_pieces(out, pattern(700000));
    out.commit();
  }
  struct stat st {};
  REQUIRE(stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
}

TEST_CASE("a full device reports no space left", "[io]") {
  if (!lrn_test::exists("/dev/full")) {
    WARN("no /dev/full on this machine; skipped");
    return;
  }
  OutputFile out("/dev/full");
  out.write("abc", 3);  // buffered: the error comes with the flush
  CHECK_THROWS_MATCHES(
      out.commit(), FileError,
      Catch::Matchers::Message("cannot write '/dev/full': no space left on device"));
}

TEST_CASE("a FIFO target is written directly to its reader", "[io]") {
  TempDir dir;
  const std::string fifo = dir.file("pipe");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const auto bytes = pattern(600000);
  std::vector<std::uint8_t> got;
  std::thread reader([&] {
    const int fd = open(fifo.c_str(), O_RDONLY);
    std::uint8_t buf[65536];
    for (;;) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      got.insert(got.end(), buf, buf + n);
    }
    close(fd);
  });
  bool direct = false;
  {
    OutputFile out(fifo);
    direct = out.direct();
    write_in_pieces(out, bytes);
    out.commit();
  }
  reader.join();
  CHECK(direct);
  CHECK(got == bytes);
  struct stat st {};
  REQUIRE(stat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
}

TEST_CASE("a dash writes stdout directly and leaves fd 1 open", "[io]") {
  {
    OutputFile out("-");
    CHECK(out.direct());
    CHECK(out.name() == "<stdout>");
  }
  CHECK(fcntl(1, F_GETFD) != -1);
}

TEST_CASE("same_file compares device and inode", "[io]") {
  TempDir dir;
  lrn_test::write_bytes(dir.file("a"), text("a"));
  lrn_test::write_bytes(dir.file("b"), text("a"));
  REQUIRE(link(dir.file("a").c_str(), dir.file("hard").c_str()) == 0);
  CHECK(lrn::same_file(dir.file("a"), dir.file("a")));
  CHECK(lrn::same_file(dir.file("a"), dir.path() + "/./a"));
  CHECK(lrn::same_file(dir.file("a"), dir.file("hard")));
  CHECK_FALSE(lrn::same_file(dir.file("a"), dir.file("b")));
  CHECK_FALSE(lrn::same_file(dir.file("a"), dir.file("missing")));
  CHECK_FALSE(lrn::same_file(dir.file("missing"), dir.file("missing")));
}
