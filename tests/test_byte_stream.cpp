// Byte sources over files, FIFOs, stdin and memory: buffering, peek, and error messages.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <thread>

#include "image/byte_stream.h"
#include "image/errors.h"
#include "support.h"

using lrn::FileError;
using lrn_test::TempDir;

namespace {

// Bytes that differ from their neighbours, so an offset mistake shows.
std::vector<std::uint8_t> pattern(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>((i * 7 + i / 251) & 0xFF);
  return v;
}

// Everything left in src, read in chunks of varied size to cross the buffer's edges.
std::vector<std::uint8_t> drain(lrn::ByteSource& src) {
  std::vector<std::uint8_t> out;
  const std::size_t sizes[] = {1, 1000, 70000, 3, 65536, 12345};
  for (std::size_t i = 0;; ++i) {
    std::vector<std::uint8_t> chunk(sizes[i % 6]);
    const std::size_t got = src.read(chunk.data(), chunk.size());
    if (got == 0) break;
    out.insert(out.end(), chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(got));
  }
  return out;
}

std::vector<std::uint8_t> head(const std::vector<std::uint8_t>& v, std::size_t n) {
  return {v.begin(), v.begin() + static_cast<std::ptrdiff_t>(std::min(n, v.size()))};
}

}  // namespace

TEST_CASE("a file source peeks without consuming and then reads everything", "[io]") {
  TempDir dir;
  const auto n = GENERATE(std::size_t{0}, std::size_t{5}, std::size_t{65536}, std::size_t{200003});
  const auto bytes = pattern(n);
  lrn_test::write_bytes(dir.file("in.bin"), bytes);
  auto src = lrn::open_source(dir.file("in.bin"));
  CHECK(src->name() == dir.file("in.bin"));
  CHECK(src->peek(8) == head(bytes, 8));
  CHECK(src->peek(8) == head(bytes, 8));
  CHECK(drain(*src) == bytes);
  std::uint8_t b;
  CHECK(src->read(&b, 1) == 0);
}

TEST_CASE("a FIFO source keeps peeked bytes for the reads that follow", "[io]") {
  TempDir dir;
  const std::string fifo = dir.file("pipe");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const auto bytes = pattern(300000);
  // The writer dribbles small pieces so that peek() has to gather across several reads.
  std::thread writer([&] {
    const int fd = open(fifo.c_str(), O_WRONLY);
    std::size_t done = 0;
    for (std::size_t step = 3; done < bytes.size(); step = step * 3 + 1) {
      const std::size_t n = std::min(step, bytes.size() - done);
      const ssize_t w = write(fd, bytes.data() + done, n);
      if (w <= 0) break;
      done += static_cast<std::size_t>(w);
    }
    close(fd);
  });
  std::vector<std::uint8_t> got, peeked;
  {
    auto src = lrn::open_source(fifo);
    peeked = src->peek(100);
    got = drain(*src);
  }
  writer.join();
  CHECK(peeked == head(bytes, 100));
  CHECK(got == bytes);
}

TEST_CASE("a dash reads stdin as <stdin> and leaves fd 0 open", "[io]") {
  int p[2];
  REQUIRE(pipe(p) == 0);
  const int saved = dup(0);
  REQUIRE(dup2(p[0], 0) == 0);
  close(p[0]);
  const auto bytes = pattern(1000);
  REQUIRE(write(p[1], bytes.data(), bytes.size()) == 1000);
  close(p[1]);
  std::vector<std::uint8_t> got;
  std::string name;
  {
    auto src = lrn::open_source("-");
    name = src->name();
    CHECK(src->peek(4) == head(bytes, 4));
    got = drain(*src);
  }
  const bool still_open = fcntl(0, F_GETFD) != -1;
  dup2(saved, 0);
  close(saved);
  CHECK(name == "<stdin>");
  CHECK(got == bytes);
  CHECK(still_open);
}

TEST_CASE("a memory source peeks and reads", "[io]") {
  const auto bytes = pattern(100);
  auto src = lrn::memory_source(bytes, "mem");
  CHECK(src->name() == "mem");
  CHECK(src->peek(1000) == bytes);
  CHECK(src->peek(3) == head(bytes, 3));
  CHECK(drain(*src) == bytes);
  CHECK(src->peek(3).empty());
}

TEST_CASE("sources know the bytes left only where a size exists", "[io]") {
  TempDir dir;
  lrn_test::write_bytes(dir.file("in.bin"), pattern(100000));
  auto file = lrn::open_source(dir.file("in.bin"));
  CHECK(file->remaining() == 100000u);
  file->peek(8);
  CHECK(file->remaining() == 100000u);
  std::vector<std::uint8_t> buf(70000);
  file->read_exact(buf.data(), 10, "test data");
  CHECK(file->remaining() == 99990u);
  file->read_exact(buf.data(), buf.size(), "test data");  // past the buffer: read() direct
  CHECK(file->remaining() == 29990u);
  drain(*file);
  CHECK(file->remaining() == 0u);
  auto mem = lrn::memory_source(pattern(10), "mem");
  mem->read(buf.data(), 4);
  CHECK(mem->remaining() == 6u);
  const std::string fifo = dir.file("pipe");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  std::thread writer([&] { lrn_test::write_bytes(fifo, pattern(3)); });
  auto pipe = lrn::open_source(fifo);
  CHECK_FALSE(pipe->remaining());
  drain(*pipe);
  writer.join();
}

TEST_CASE("read_exact names the source and what was cut short", "[io]") {
  auto src = lrn::memory_source(pattern(10), "x.npy");
  std::uint8_t buf[16];
  src->read_exact(buf, 4, "header");
  CHECK(buf[3] == pattern(10)[3]);
  CHECK_THROWS_WITH(src->read_exact(buf, 16, "pixel data"),
                    "cannot decode 'x.npy': pixel data is truncated");
}

TEST_CASE("opening a missing file or a directory says which and why", "[io]") {
  TempDir dir;
  CHECK_THROWS_MATCHES(lrn::open_source(dir.file("x.npy")), FileError,
                       Catch::Matchers::Message("cannot read '" + dir.file("x.npy") +
                                                "': no such file or directory"));
  CHECK_THROWS_MATCHES(
      lrn::open_source(dir.path()), FileError,
      Catch::Matchers::Message("cannot read '" + dir.path() + "': is a directory"));
}

TEST_CASE("a memory sink collects what is written", "[io]") {
  lrn::MemorySink sink("out");
  sink.write("ab", 2);
  sink.write("", 0);
  sink.write("cde", 3);
  CHECK(sink.name() == "out");
  CHECK(std::string(sink.bytes.begin(), sink.bytes.end()) == "abcde");
}
