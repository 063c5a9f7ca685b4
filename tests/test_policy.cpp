// The damaged-data policy's flags end to end: --lenient, --strict (and not both), and
// --max-npy-bytes and --max-row-bytes.
#include <catch2/catch.hpp>

#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;

namespace {

// The baseline fixture with 3 stray bytes before its first DQT: a benign libjpeg warning.
std::string extraneous_bytes_jpeg(const TempDir& dir) {
  auto jpg = read_bytes(data_path("jpeg_baseline.jpg"));
  for (std::size_t i = 2; i + 1 < jpg.size(); ++i)
    if (jpg[i] == 0xFF && jpg[i + 1] == 0xDB) {
      jpg.insert(jpg.begin() + static_cast<std::ptrdiff_t>(i), {0x00, 0x11, 0x22});
      break;
    }
  write_bytes(dir.file("stray.jpg"), jpg);
  return dir.file("stray.jpg");
}

}  // namespace

TEST_CASE("policy: a damaged file fails by default and is processed with --lenient", "[policy]") {
  TempDir dir;
  auto jpg = read_bytes(sample_path("rocket.jpg"));
  jpg.resize(jpg.size() * 2 / 3);
  write_bytes(dir.file("cut.jpg"), jpg);
  const RunResult strict = run_cli({dir.file("cut.jpg"), dir.file("out.png")});
  CHECK(strict.exit_code == 1);
  CHECK_THAT(strict.err, Contains("cannot decode '" + dir.file("cut.jpg") + "': premature end"));
  CHECK_FALSE(exists(dir.file("out.png")));
  const RunResult lenient = run_cli({dir.file("cut.jpg"), dir.file("out.png"), "--lenient"});
  CHECK(lenient.exit_code == 0);
  CHECK_THAT(lenient.err,
             Contains("lrn-img: warning: '" + dir.file("cut.jpg") + "': premature end"));
  CHECK(decode_file(dir.file("out.png")).info.width ==
        decode_file(sample_path("rocket.jpg")).info.width);
}

TEST_CASE("policy: --strict turns every warning into an error", "[policy]") {
  TempDir dir;
  const std::string stray = extraneous_bytes_jpeg(dir);
  const RunResult plain = run_cli({stray, dir.file("a.png")});
  CHECK(plain.exit_code == 0);
  CHECK_THAT(plain.err, Contains("lrn-img: warning: '" + stray + "': corrupt JPEG data"));
  const RunResult strict = run_cli({stray, dir.file("b.png"), "--strict"});
  CHECK(strict.exit_code == 1);
  CHECK_THAT(strict.err,
             Contains("lrn-img: error: cannot decode '" + stray + "': corrupt JPEG data"));
  CHECK_FALSE(exists(dir.file("b.png")));
  // A warning from outside the codecs: an alpha channel JPEG output cannot hold.
  const std::string rgba = data_path("png_rgba8.png");
  const RunResult alpha = run_cli({rgba, dir.file("c.jpg"), "--strict"});
  CHECK(alpha.exit_code == 1);
  CHECK_THAT(alpha.err, Contains("lrn-img: error: cannot process '" + rgba +
                                 "': alpha channel dropped (JPEG has none); --strict makes "
                                 "warnings errors"));
  CHECK_FALSE(exists(dir.file("c.jpg")));
  CHECK(run_cli({data_path("jpeg_baseline.jpg"), dir.file("d.png"), "--strict"}).exit_code == 0);
}

TEST_CASE("policy: --lenient and --strict together are a usage error", "[policy]") {
  TempDir dir;
  const RunResult r =
      run_cli({data_path("jpeg_baseline.jpg"), dir.file("o.png"), "--strict", "--lenient"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("lrn-img: error: --lenient and --strict"));
  CHECK(dir.entries().empty());
}

TEST_CASE("policy: --max-npy-bytes refuses larger arrays before reading them", "[policy]") {
  TempDir dir;
  write_npy(dir.file("in.npy"), 4, 4, 3, std::vector<float>(48, 1.0f));  // 192 bytes of data
  const RunResult over = run_cli({dir.file("in.npy"), dir.file("o.npy"), "--max-npy-bytes", "191"});
  CHECK(over.exit_code == 1);
  CHECK_THAT(over.err, Contains("cannot decode '" + dir.file("in.npy") +
                                "': the array holds 192 bytes, over the limit of 191 (raise it "
                                "with --max-npy-bytes)"));
  CHECK(run_cli({dir.file("in.npy"), dir.file("o.npy"), "--max-npy-bytes", "192"}).exit_code == 0);
  CHECK(run_cli({dir.file("in.npy"), dir.file("o.npy"), "--max-npy-bytes", "0"}).exit_code == 2);
}

TEST_CASE("policy: --max-row-bytes refuses wider rows from the header, in every format",
          "[policy]") {
  TempDir dir;
  write_npy(dir.file("in.npy"), 4, 4, 3, std::vector<float>(48, 1.0f));  // rows of 48 bytes
  const RunResult over = run_cli({dir.file("in.npy"), dir.file("o.npy"), "--max-row-bytes", "47"});
  CHECK(over.exit_code == 1);
  CHECK_THAT(over.err, Contains("cannot decode '" + dir.file("in.npy") +
                                "': a row of 48 bytes is over the limit of 47 (raise it with "
                                "--max-row-bytes)"));
  CHECK(run_cli({dir.file("in.npy"), dir.file("o.npy"), "--max-row-bytes", "48"}).exit_code == 0);
  CHECK(run_cli({dir.file("in.npy"), dir.file("o.npy"), "--max-row-bytes", "0"}).exit_code == 2);
  CHECK(run_cli({dir.file("in.npy"), dir.file("o.npy"), "--max-row-bytes", "x"}).exit_code == 2);
  // JPEG and PNG: 32 x 3 bytes and 16 x 3 bytes a row.
  const RunResult jpg =
      run_cli({data_path("jpeg_baseline.jpg"), dir.file("o.png"), "--max-row-bytes", "95"});
  CHECK(jpg.exit_code == 1);
  CHECK_THAT(jpg.err, Contains("a row of 96 bytes is over the limit of 95"));
  CHECK(run_cli({data_path("jpeg_baseline.jpg"), dir.file("o.png"), "--max-row-bytes", "96"})
            .exit_code == 0);
  const RunResult png =
      run_cli({data_path("png_rgb8.png"), dir.file("o.png"), "--max-row-bytes", "1"});
  CHECK(png.exit_code == 1);
  CHECK_THAT(png.err, Contains("bytes is over the limit of 1 (raise it with --max-row-bytes)"));
}
