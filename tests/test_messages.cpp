// Messages carry bytes from files and file names escaped: no control byte, no invalid UTF-8
// reaches the terminal, and --json stays valid JSON whatever a name holds.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <string>

#include "cli/report.h"
#include "image/errors.h"
#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;

namespace {

// True when s holds a byte a terminal could act on: C0 controls other than the final
// newline of each line, and DEL.
bool has_raw_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return (c < 0x20 && c != '\n') || c == 0x7f;
  });
}

// Every line of stderr starts "lrn-img: ": no message was split or forged.
void require_one_line_messages(const std::string& err) {
  std::size_t at = 0;
  while (at < err.size()) {
    CHECK(err.compare(at, 9, "lrn-img: ") == 0);
    at = err.find('\n', at);
    if (at == std::string::npos) break;
    ++at;
  }
}

void write_text(const std::string& path, const std::string& bytes) {
  write_bytes(path, std::vector<std::uint8_t>(bytes.begin(), bytes.end()));
}

// A .npy file whose header dictionary is `dict` (padded as numpy pads), and 12 data bytes.
std::string npy_with(std::string dict) {
  while ((10 + dict.size() + 1) % 64) dict += ' ';
  dict += '\n';
  std::string s = "\x93NUMPY";
  s += '\x01';
  s += '\x00';
  s += static_cast<char>(dict.size() & 0xff);
  s += static_cast<char>(dict.size() >> 8);
  return s + dict + std::string(12, '\0');
}

// Runs python3 on stdin text; exit 0 when every line parses as JSON.
bool json_lines_parse(const std::string& text) {
  const RunResult r = run_program(
      {"/usr/bin/python3", "-c",
       "import json,sys\nfor l in sys.stdin.buffer.read().decode('utf-8').splitlines(): json.loads(l)"},
      text);
  INFO(r.err);
  return r.exit_code == 0;
}

}  // namespace

TEST_CASE("escaped(): control bytes and invalid UTF-8 as \\xNN, UTF-8 as it is",
          "[cli][messages]") {
  CHECK(lrn::escaped("plain name.jpg") == "plain name.jpg");
  CHECK(lrn::escaped("caf\xc3\xa9 \xe6\x97\xa5.png") == "caf\xc3\xa9 \xe6\x97\xa5.png");
  CHECK(lrn::escaped("a\nb\tc") == "a\\nb\\tc");
  CHECK(lrn::escaped("\x1b[31m\r\x7f") == "\\x1b[31m\\x0d\\x7f");
  CHECK(lrn::escaped(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(lrn::escaped("\xff\xc3(\xed\xa0\x80\xc0\xaf") == "\\xff\\xc3(\\xed\\xa0\\x80\\xc0\\xaf");
  CHECK(lrn::escaped("\xc2\x9b"
                     "2J") == "\\xc2\\x9b2J");      // C1 CSI
  CHECK(lrn::escaped("\xe6\x97") == "\\xe6\\x97");  // truncated sequence
  CHECK(lrn::escaped(lrn::escaped("\x1b\n\xff")) == lrn::escaped("\x1b\n\xff"));
  CHECK(lrn::quoted("x\n") == "'x\\n'");
}

TEST_CASE("json_string(): control bytes as \\u00XX, invalid UTF-8 as \\ufffd", "[cli][messages]") {
  using lrn::cli::json_string;
  CHECK(json_string("a\"b\\c") == R"("a\"b\\c")");
  CHECK(json_string("\x1b\x7f\n") == R"("\u001b\u007f\n")");
  CHECK(json_string("\xc2\x9b") == R"("\u009b")");
  CHECK(json_string("caf\xc3\xa9") == "\"caf\xc3\xa9\"");
  CHECK(json_string("a\xff"
                    "b\xe6\x97") == R"("a\ufffdb\ufffd\ufffd")");
}

TEST_CASE("a file name with a newline, ESC and an invalid byte is escaped in messages and JSON",
          "[cli][messages]") {
  TempDir dir;
  const std::string name = "x\n\x1b[31mred\xff.jpg";
  write_text(dir.file(name), "not an image");
  mkdir(dir.file("out").c_str(), 0755);

  const RunResult single = run_cli({dir.file(name), dir.file("o.jpg")});
  INFO(single.err);
  CHECK(single.exit_code == 1);
  CHECK_THAT(single.err, Contains("x\\n\\x1b[31mred\\xff.jpg'"));
  CHECK_FALSE(has_raw_control(single.err));
  require_one_line_messages(single.err);

  const RunResult batch = run_cli({dir.file(name), "-O", dir.file("out"), "--json", "--quiet"});
  INFO(batch.err);
  CHECK(batch.exit_code == 1);
  CHECK_THAT(batch.err, Contains("x\\n\\x1b[31mred\\xff.jpg'"));
  CHECK_FALSE(has_raw_control(batch.err));
  CHECK_FALSE(has_raw_control(batch.out));
  CHECK_THAT(batch.out, Contains(R"(x\n\u001b[31mred\ufffd.jpg")"));
  CHECK(json_lines_parse(batch.out));
}

TEST_CASE("a .npy dtype or key holding an escape sequence is escaped", "[cli][messages]") {
  TempDir dir;
  write_text(dir.file("descr.npy"),
             npy_with("{'descr': '\x1b[2J<f4', 'fortran_order': False, 'shape': (1, 1, 3), }"));
  write_text(
      dir.file("key.npy"),
      npy_with("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 3), '\x1b]0;t\x07': 1}"));
  mkdir(dir.file("out").c_str(), 0755);
  const RunResult r = run_cli({dir.file("descr.npy"), dir.file("o.npy")});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("dtype '\\x1b[2J<f4' is not supported"));
  CHECK_FALSE(has_raw_control(r.err));
  const RunResult k = run_cli({dir.file("key.npy"), dir.file("o.npy")});
  CHECK_THAT(k.err, Contains("unexpected key '\\x1b]0;t\\x07'"));
  CHECK_FALSE(has_raw_control(k.err));

  // A NUL used to end the message there: the rest of it was lost.
  write_text(dir.file("nul.npy"), npy_with("{'descr': '" + std::string("<f\0\x1b", 4) +
                                           "', 'fortran_order': False, 'shape': (1, 1, 3), }"));
  const RunResult n = run_cli({dir.file("nul.npy"), dir.file("o.npy")});
  CHECK_THAT(n.err, Contains("dtype '<f\\x00\\x1b' is not supported; want float32"));
  CHECK_FALSE(has_raw_control(n.err));

  const RunResult json =
      run_cli({dir.file("descr.npy"), dir.file("key.npy"), "-O", dir.file("out"), "--json"});
  CHECK_FALSE(has_raw_control(json.out));
  CHECK(json_lines_parse(json.out));
}

TEST_CASE("a PNG chunk type with control or non-ASCII bytes is escaped", "[cli][messages]") {
  TempDir dir;
  const auto good = read_bytes(data_path("png_rgb8.png"));
  for (const std::string& type : {std::string("t\x1b[J"), std::string("tE\xfft")}) {
    std::vector<std::uint8_t> png = good;
    std::string chunk = std::string("\0\0\0\4", 4) + type + "abcd" + "\xde\xad\xbe\xef";
    png.insert(png.begin() + 33, chunk.begin(), chunk.end());  // after IHDR, with a bad CRC
    write_bytes(dir.file("c.png"), png);
    const RunResult r = run_cli({dir.file("c.png"), dir.file("o.npy")});
    INFO(r.err);
    CHECK_THAT(r.err, Contains("bad CRC in " + lrn::escaped(type) + " chunk"));
    CHECK_THAT(r.err, Contains("\\x"));
    CHECK_FALSE(has_raw_control(r.err));
    CHECK(r.err.find('\xff') == std::string::npos);
  }
}
