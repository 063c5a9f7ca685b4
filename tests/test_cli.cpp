// End-to-end tests of the lrn-img binary: formats in and out, the blog's experiment, every
// error path with its exit code, and all-or-nothing output.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <thread>
#include <tuple>

#include "reference.h"
#include "support.h"
#include "tf_blog_examples.h"

using namespace lrn_test;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

const std::string kRocket = sample_path("rocket.jpg");
const std::string kCoffee = sample_path("coffee.png");

// Asserts that a run failed with `code`, said `lrn-img: error:` and named `file`.
void require_failure(const RunResult& r, int code, const std::string& file) {
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == code);
  CHECK_THAT(r.err, Contains("lrn-img: error:"));
  CHECK_THAT(r.err, Contains("'" + file + "'"));
  CHECK(r.out.empty());
}

double mean_of(const Decoded& d) {
  double sum = 0;
  for (std::size_t i = 0; i < d.samples(); ++i) sum += d.at(i);
  return sum / static_cast<double>(d.samples());
}

}  // namespace

TEST_CASE("the blog's experiment: defaults turn a photo dark", "[cli]") {
  TempDir dir;
  const std::string out = dir.file("out.jpg");
  const RunResult r = run_cli({kRocket, out});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.empty());
  const Decoded in = decode_file(kRocket), res = decode_file(out);
  REQUIRE(res.info.width == 640);
  REQUIRE(res.info.height == 427);
  REQUIRE(res.info.channels == 3);
  // The float64 formula on the decoded input, rounded, against the re-decoded JPEG output:
  // only JPEG's own loss may separate them.
  std::vector<double> x(in.samples());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = in.at(i);
  const auto want = lrn_reference(x, 3, lrn::LrnParams{});
  double err = 0, bright_max = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    err += std::abs(res.at(i) - std::round(want[i]));
    const std::size_t px = i - i % 3;
    if (in.at(px) > 240 && in.at(px + 1) > 240 && in.at(px + 2) > 240)
      bright_max = std::max(bright_max, want[i]);
  }
  // JPEG at quality 90 moves these dark values by about 1.5 on average.
  CHECK(err / static_cast<double>(want.size()) < 2.0);
  // The exact values, through .npy, before JPEG's loss.
  REQUIRE(run_cli({kRocket, dir.file("out.npy")}).exit_code == 0);
  const Decoded exact = decode_file(dir.file("out.npy"));
  REQUIRE(exact.samples() == want.size());
  for (std::size_t i = 0; i < want.size(); i += 97)
    CHECK_THAT(exact.at(i), WithinRel(want[i], 1e-6));
  // Near-white pixels land in the 20s, as the blog saw.
  CHECK(bright_max > 20);
  CHECK(bright_max < 30);
  CHECK(mean_of(res) < mean_of(in));
}

TEST_CASE(".npy output matches TensorFlow's printed values", "[cli]") {
  TempDir dir;
  for (const TfExample& e : kTfExamples) {
    SECTION(e.name) {
      write_npy(dir.file("in.npy"), 5, 5, 3, std::vector<float>(e.input, e.input + 75));
      const RunResult r = run_cli({dir.file("in.npy"), dir.file("out.npy")});
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      const Decoded d = decode_file(dir.file("out.npy"));
      REQUIRE(d.info.type == lrn::SampleType::F32);
      REQUIRE(d.samples() == 75);
      for (std::size_t i = 0; i < 75; ++i) CHECK_THAT(d.at(i), WithinRel(e.tf_output[i], 1e-6));
    }
  }
}

TEST_CASE("every format converts to every other", "[cli]") {
  TempDir dir;
  const auto [in, out] = GENERATE(table<std::string, std::string>({{"rocket.jpg", "a.png"},
                                                                   {"rocket.jpg", "a.npy"},
                                                                   {"rocket.jpg", "a.JPEG"},
                                                                   {"coffee.png", "b.jpg"},
                                                                   {"coffee.png", "b.npy"},
                                                                   {"coffee.png", "b.PNG"}}));
  const RunResult r = run_cli({sample_path(in), dir.file(out)});
  INFO(in << " -> " << out << ": " << r.err);
  REQUIRE(r.exit_code == 0);
  const Decoded src = decode_file(sample_path(in)), res = decode_file(dir.file(out));
  CHECK(res.info.width == src.info.width);
  CHECK(res.info.height == src.info.height);
  CHECK(res.info.channels == src.info.channels);
  // .npy output carries the exact LRN values; converting it onwards rounds them.
  if (out.size() > 4 && out.substr(out.size() - 4) == ".npy") {
    const RunResult again = run_cli({dir.file(out), dir.file("again.npy"), "--alpha", "0"});
    REQUIRE(again.exit_code == 0);
    const Decoded same = decode_file(dir.file("again.npy"));
    // alpha 0, bias 1: identity, so the values survive a .npy round trip bit for bit.
    CHECK(same.bytes == res.bytes);
  }
}

TEST_CASE("libspng is loaded only by runs that read or write a PNG", "[cli]") {
  // Start-up cost (README, "Why libjpeg-turbo and libspng"): a JPEG or .npy run must not map
  // libspng and its zlib. The dynamic loader lists every object it loads under LD_DEBUG=files.
  TempDir dir;
  auto loaded_spng = [&](const std::string& in, const std::string& out) {
    const RunResult r =
        run_program({"/usr/bin/env", "LD_DEBUG=files", binary_path(), in, dir.file(out)});
    INFO(in << " -> " << out);
    REQUIRE(r.exit_code == 0);
    return r.err.find("libspng") != std::string::npos;
  };
  CHECK_FALSE(loaded_spng(kRocket, "a.jpg"));
  CHECK_FALSE(loaded_spng(kRocket, "a.npy"));
  CHECK_FALSE(loaded_spng(dir.file("a.npy"), "b.jpg"));
  CHECK(loaded_spng(kRocket, "a.png"));
  CHECK(loaded_spng(kCoffee, "c.jpg"));
}

TEST_CASE("without a usable libspng, PNG fails with a clear error and JPEG still works", "[cli]") {
  // A broken libspng.so.0 found first on LD_LIBRARY_PATH: dlopen fails as for a missing one.
  TempDir dir;
  write_bytes(dir.file("libspng.so.0"), {'n', 'o', 't', ' ', 'E', 'L', 'F'});
  auto run = [&](const std::string& in, const std::string& out) {
    return run_program(
        {"/usr/bin/env", "LD_LIBRARY_PATH=" + dir.path(), binary_path(), in, dir.file(out)});
  };
  const RunResult png_in = run(kCoffee, "a.jpg");
  INFO(png_in.err);
  require_failure(png_in, 1, kCoffee);
  CHECK_THAT(png_in.err, Contains("PNG support unavailable"));
  const RunResult png_out = run(kRocket, "b.png");
  INFO(png_out.err);
  require_failure(png_out, 1, dir.file("b.png"));
  CHECK_FALSE(exists(dir.file("b.png")));
  CHECK(run(kRocket, "c.jpg").exit_code == 0);
}

TEST_CASE("without usable libtiff and libwebp, TIFF and WebP fail clearly and JPEG still works",
          "[cli]") {
  // As for libspng: both are opened with dlopen on first use (third_party/on_demand), so broken
  // copies found first on LD_LIBRARY_PATH only fail the runs that need them.
  TempDir dir;
  for (const char* so : {"libtiff.so.6", "libwebp.so.7", "libwebpdemux.so.2"})
    write_bytes(dir.file(so), {'n', 'o', 't', ' ', 'E', 'L', 'F'});
  auto run = [&](const std::string& in, const std::string& out) {
    return run_program(
        {"/usr/bin/env", "LD_LIBRARY_PATH=" + dir.path(), binary_path(), in, dir.file(out)});
  };
  // Inputs made while the real libraries are found; read with the broken ones, the error names
  // the file, the format and the library: "'in.tif': TIFF support needs libtiff.so.6: ...".
  TempDir good;
  REQUIRE(run_cli({kRocket, good.file("in.tif")}).exit_code == 0);
  REQUIRE(run_cli({kRocket, good.file("in.webp")}).exit_code == 0);
  for (const auto& [out, what, so] :
       {std::tuple<std::string, std::string, std::string>{"a.tif", "TIFF", "libtiff.so."},
        std::tuple<std::string, std::string, std::string>{"b.webp", "WebP", "libwebp.so."}}) {
    const RunResult r = run(kRocket, out);
    INFO(r.err);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("lrn-img: error: '" + dir.file(out) + "': " + what +
                               " support needs " + so));
    CHECK_FALSE(exists(dir.file(out)));
    const std::string in = good.file(what == "TIFF" ? "in.tif" : "in.webp");
    const RunResult read = run(in, "c.png");
    INFO(read.err);
    CHECK(read.exit_code == 1);
    CHECK_THAT(read.err,
               Contains("lrn-img: error: '" + in + "': " + what + " support needs " + so));
    CHECK_FALSE(exists(dir.file("c.png")));
  }
  CHECK(run(kRocket, "c.jpg").exit_code == 0);
}

TEST_CASE("image output rounds to nearest and clamps, .npy input is not scaled", "[cli]") {
  TempDir dir;
  // alpha 0, bias 1, beta 0.75: y = x; values outside 0..255 clamp, halves round up.
  write_npy(dir.file("in.npy"), 1, 5, 1, {-3.0f, 0.49f, 0.5f, 254.6f, 300.0f});
  REQUIRE(run_cli({dir.file("in.npy"), dir.file("out.png"), "--alpha", "0"}).exit_code == 0);
  const Decoded d = decode_file(dir.file("out.png"));
  REQUIRE(d.info.channels == 1);
  CHECK(d.at(0) == 0);
  CHECK(d.at(1) == 0);
  CHECK(d.at(2) == 1);
  CHECK(d.at(3) == 255);
  CHECK(d.at(4) == 255);
}

TEST_CASE("option --pixel-scale 1 feeds LRN values in 0..1", "[cli]") {
  TempDir dir;
  const RunResult r =
      run_cli({kCoffee, dir.file("s1.npy"), "--pixel-scale", "1", "--alpha", "50", "--beta", "1"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Decoded in = decode_file(kCoffee), out = decode_file(dir.file("s1.npy"));
  // Check one pixel against the formula on x / 255.
  const std::size_t c = in.info.channels;
  for (std::size_t ch = 0; ch < c; ++ch) {
    double sum = 0;
    for (std::size_t k = 0; k < c; ++k) sum += std::pow(in.at(k) / 255.0, 2);
    const double want = (in.at(ch) / 255.0) / (1 + 50 * sum);
    CHECK_THAT(out.at(ch), WithinRel(want, 1e-6));
  }
}

TEST_CASE("option --rescale stretches the output to the full range", "[cli]") {
  TempDir dir;
  const RunResult r = run_cli({kRocket, dir.file("r.png"), "--rescale"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const Decoded d = decode_file(dir.file("r.png"));
  double lo = 255, hi = 0;
  for (std::size_t i = 0; i < d.samples(); ++i) {
    lo = std::min(lo, d.at(i));
    hi = std::max(hi, d.at(i));
  }
  CHECK(lo == 0);
  CHECK(hi == 255);

  SECTION("a constant image maps to 0") {
    write_npy(dir.file("flat.npy"), 2, 2, 3, std::vector<float>(12, 7.0f));
    REQUIRE(run_cli({dir.file("flat.npy"), dir.file("flat.png"), "--rescale"}).exit_code == 0);
    const Decoded f = decode_file(dir.file("flat.png"));
    for (std::size_t i = 0; i < f.samples(); ++i) CHECK(f.at(i) == 0);
  }
}

TEST_CASE("feature maps of any channel count go to .npy, not to images", "[cli]") {
  TempDir dir;
  write_npy(dir.file("fm.npy"), 2, 3, 64, std::vector<float>(2 * 3 * 64, 1.5f));
  const RunResult ok = run_cli({dir.file("fm.npy"), dir.file("fm_out.npy")});
  INFO(ok.err);
  REQUIRE(ok.exit_code == 0);
  CHECK(decode_file(dir.file("fm_out.npy")).info.channels == 64);

  const RunResult bad = run_cli({dir.file("fm.npy"), dir.file("fm.png")});
  require_failure(bad, 1, dir.file("fm.png"));
  CHECK_THAT(bad.err, Contains(".npy"));
  CHECK_FALSE(exists(dir.file("fm.png")));
}

TEST_CASE("alpha passes through to PNG and .npy, and is dropped from JPEG with a warning",
          "[cli]") {
  TempDir dir;
  // A 2x1 RGBA PNG made by our own writer.
  lrn::ImageInfo rgba;
  rgba.width = 2;
  rgba.height = 1;
  rgba.channels = 4;
  rgba.has_alpha = true;
  const std::uint8_t px[8] = {200, 100, 50, 7, 10, 20, 30, 255};
  write_image(dir.file("rgba.png"), lrn::Format::Png, rgba, px);
  REQUIRE(run_cli({dir.file("rgba.png"), dir.file("o.png")}).exit_code == 0);
  const Decoded p = decode_file(dir.file("o.png"));
  REQUIRE(p.info.channels == 4);
  CHECK(p.at(3) == 7);
  CHECK(p.at(7) == 255);

  REQUIRE(run_cli({dir.file("rgba.png"), dir.file("o.npy")}).exit_code == 0);
  const Decoded n = decode_file(dir.file("o.npy"));
  REQUIRE(n.info.channels == 4);
  CHECK(n.at(3) == 7);

  const RunResult j = run_cli({dir.file("rgba.png"), dir.file("o.jpg")});
  REQUIRE(j.exit_code == 0);
  CHECK_THAT(j.err, Contains("lrn-img: warning:"));
  CHECK_THAT(j.err, Contains("alpha"));
  CHECK(decode_file(dir.file("o.jpg")).info.channels == 3);
}

TEST_CASE("16-bit PNG stays 16-bit and is mapped to 0..255 for LRN", "[cli]") {
  TempDir dir;
  lrn::ImageInfo deep;
  deep.width = 1;
  deep.height = 1;
  deep.channels = 3;
  deep.type = lrn::SampleType::U16;
  const std::uint16_t px[3] = {65535, 32768, 0};
  write_image(dir.file("deep.png"), lrn::Format::Png, deep, px);
  REQUIRE(run_cli({dir.file("deep.png"), dir.file("o.png"), "--alpha", "0"}).exit_code == 0);
  const Decoded d = decode_file(dir.file("o.png"));
  CHECK(d.info.type == lrn::SampleType::U16);
  CHECK(d.at(0) == 65535);  // alpha 0: identity
  CHECK(d.at(1) == 32768);
  REQUIRE(run_cli({dir.file("deep.png"), dir.file("o.npy"), "--alpha", "0"}).exit_code == 0);
  CHECK_THAT(decode_file(dir.file("o.npy")).at(0), WithinRel(255.0, 1e-6));
}

TEST_CASE("file errors exit 1 and name the file", "[cli]") {
  TempDir dir;
  const std::string out = dir.file("out.jpg");
  SECTION("missing input") {
    require_failure(run_cli({dir.file("nope.jpg"), out}), 1, dir.file("nope.jpg"));
  }
  SECTION("a directory as input is a usage error that suggests -R") {
    const RunResult r = run_cli({dir.path(), out});
    require_failure(r, 2, dir.path());
    CHECK_THAT(r.err,
               Contains("is a directory; to process the images below it, give -R and -O DIR"));
  }
  SECTION("empty input") {
    write_bytes(dir.file("empty.jpg"), {});
    require_failure(run_cli({dir.file("empty.jpg"), out}), 1, dir.file("empty.jpg"));
  }
  SECTION("not an image") {
    const std::string text = "hello, this is not an image\n";
    write_bytes(dir.file("t.png"), std::vector<std::uint8_t>(text.begin(), text.end()));
    const RunResult r = run_cli({dir.file("t.png"), out});
    require_failure(r, 1, dir.file("t.png"));
    CHECK_THAT(r.err, Contains("not an image; lrn-img reads JPEG, PNG, PNM, TIFF, WebP and .npy"));
  }
  SECTION("truncated JPEG and PNG") {
    for (const std::string& name : {std::string("rocket.jpg"), std::string("coffee.png")}) {
      auto bytes = read_bytes(sample_path(name));
      bytes.resize(bytes.size() / 2);
      write_bytes(dir.file("cut_" + name), bytes);
      require_failure(run_cli({dir.file("cut_" + name), dir.file("o.png")}), 1,
                      dir.file("cut_" + name));
      CHECK_FALSE(exists(dir.file("o.png")));
    }
  }
  SECTION("over the pixel budget") {
    const RunResult r = run_cli({kRocket, out, "--max-pixels", "1000"});
    require_failure(r, 1, kRocket);
    CHECK_THAT(r.err, Contains("--max-pixels"));
  }
  SECTION("output folder missing") {
    require_failure(run_cli({kRocket, dir.file("no/such/out.jpg")}), 1,
                    dir.file("no/such/out.jpg"));
  }
  SECTION("OUT is IN") {
    write_bytes(dir.file("same.jpg"), read_bytes(kRocket));
    const RunResult r = run_cli({dir.file("same.jpg"), dir.file("./same.jpg")});
    require_failure(r, 1, dir.file("./same.jpg"));
    CHECK(read_bytes(dir.file("same.jpg")) == read_bytes(kRocket));
  }
  CHECK_FALSE(exists(out));
}

TEST_CASE("a failed run leaves an existing OUT unchanged and no temporary file", "[cli]") {
  TempDir dir;
  const std::vector<std::uint8_t> before = {'o', 'l', 'd'};
  write_bytes(dir.file("out.png"), before);
  auto bytes = read_bytes(kCoffee);
  bytes.resize(bytes.size() - 5000);  // the stream breaks deep inside the pixel data
  write_bytes(dir.file("cut.png"), bytes);
  const RunResult r = run_cli({dir.file("cut.png"), dir.file("out.png")});
  require_failure(r, 1, dir.file("cut.png"));
  CHECK(read_bytes(dir.file("out.png")) == before);
  auto names = dir.entries();
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"cut.png", "out.png"});
}

TEST_CASE("a successful run replaces OUT and keeps its permissions", "[cli]") {
  TempDir dir;
  write_bytes(dir.file("out.jpg"), {'o', 'l', 'd'});
  chmod(dir.file("out.jpg").c_str(), 0640);
  REQUIRE(run_cli({kRocket, dir.file("out.jpg")}).exit_code == 0);
  CHECK(decode_file(dir.file("out.jpg")).info.width == 640);
  struct stat st {};
  REQUIRE(stat(dir.file("out.jpg").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  CHECK(dir.entries().size() == 1);
}

TEST_CASE("a symlink OUT: its target is replaced in place, a dangling one is refused", "[cli]") {
  TempDir dir;
  mkdir(dir.file("real").c_str(), 0755);
  write_bytes(dir.file("real/out.jpg"), {'o', 'l', 'd'});
  REQUIRE(symlink("real/out.jpg", dir.file("link.jpg").c_str()) == 0);
  REQUIRE(symlink("real/missing.jpg", dir.file("dangling.jpg").c_str()) == 0);
  REQUIRE(run_cli({kRocket, dir.file("link.jpg")}).exit_code == 0);
  CHECK(decode_file(dir.file("real/out.jpg")).info.width == 640);
  const RunResult r = run_cli({kRocket, dir.file("dangling.jpg")});
  require_failure(r, 1, dir.file("dangling.jpg"));
  CHECK_THAT(r.err, Contains("dangling symlink"));
  struct stat st {};
  for (const char* link : {"link.jpg", "dangling.jpg"}) {
    REQUIRE(lstat(dir.file(link).c_str(), &st) == 0);
    CHECK(S_ISLNK(st.st_mode));  // never replaced by a regular file
  }
  CHECK(TempDir::entries_of(dir.file("real")) == std::vector<std::string>{"out.jpg"});
  CHECK(dir.entries().size() == 3);
}

TEST_CASE("a device or FIFO as OUT is written directly, never renamed over", "[cli]") {
  const RunResult r = run_cli({kRocket, "/dev/null", "--format", "jpg"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  struct stat st {};
  REQUIRE(stat("/dev/null", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));

  TempDir dir;
  const std::string fifo = dir.file("pipe.png");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  // The reader side: a second lrn-img reads the FIFO (any FIFO works as an input).
  std::vector<std::uint8_t> got;
  RunResult reader;
  std::thread t([&] { reader = run_cli({fifo, dir.file("copy.npy"), "--alpha", "0"}); });
  const RunResult w = run_cli({kCoffee, fifo, "--alpha", "0"});
  t.join();
  INFO(w.err << reader.err);
  CHECK(w.exit_code == 0);
  CHECK(reader.exit_code == 0);
  CHECK(decode_file(dir.file("copy.npy")).info.width == 600);
}

TEST_CASE("usage errors exit 2", "[cli]") {
  const auto args = GENERATE(
      values<std::vector<std::string>>({{"--radius", "-1"},
                                        {"--radius", "two"},
                                        {"--alpha", "x"},
                                        {"--alpha", "-1"},
                                        {"--alpha", "1/0"},
                                        {"--beta", "nan"},
                                        {"--beta", "inf"},
                                        {"--bias", "0", "--alpha", "0"},
                                        {"--quality", "0"},
                                        {"--quality", "101"},
                                        {"--pixel-scale", "2"},
                                        {"--no-such-flag"},
                                        {"--max-pixels", "0"},
                                        {"--threads", "0"},
                                        {"--format", "gif"},
                                        {"--convention", "mxnet"},
                                        {"--size", "5"},
                                        {"--convention", "torch"},
                                        {"--convention", "caffe", "--size", "4"},
                                        {"--convention", "torch", "--radius", "2", "--size", "5"},
                                        {"--preset", "caffe-alexnet", "--radius", "3"},
                                        {"--preset", "nope"},
                                        {"--preset", "caffe-alexnet", "--convention", "tf"}}));
  std::vector<std::string> argv = {kRocket, "/tmp/lrn-never-written.jpg"};
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult r = run_cli(argv);
  INFO(args.front() << ": " << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("lrn-img: error:"));
  CHECK_FALSE(exists("/tmp/lrn-never-written.jpg"));
}

TEST_CASE("missing operands and unknown output extensions are usage errors", "[cli]") {
  CHECK(run_cli({}).exit_code == 2);
  CHECK(run_cli({kRocket}).exit_code == 2);
  TempDir dir;
  const RunResult r = run_cli({kRocket, dir.file("out.bmp")});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("out.bmp"));
}

TEST_CASE("option --help shows the formula, defaults and examples, and --version", "[cli]") {
  const RunResult h = run_cli({"--help"});
  CHECK(h.exit_code == 0);
  // Wrapped to the terminal: compare with every run of spaces and newlines as one space.
  std::string flat;
  for (char c : h.out)
    if (!(c == ' ' || c == '\n') || (!flat.empty() && flat.back() != ' '))
      flat += c == '\n' ? ' ' : c;
  CHECK_THAT(flat, Contains("(bias + alpha * sqr_sum[c]) ^ beta"));
  CHECK_THAT(h.out, Contains("Examples:"));
  CHECK_THAT(flat, Contains("0.001/9"));
  CHECK_THAT(flat, Contains("threads inside one image, 1..1024"));
  const RunResult v = run_cli({"--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Contains("lrn-img 1."));
}

TEST_CASE("option --alpha accepts a quotient and numbers ignore the locale", "[cli]") {
  TempDir dir;
  write_npy(dir.file("in.npy"), 1, 1, 3, {100, 150, 200});
  REQUIRE(run_cli({dir.file("in.npy"), dir.file("a.npy"), "--alpha", "0.001/9"}).exit_code == 0);
  REQUIRE(run_cli({dir.file("in.npy"), dir.file("b.npy"), "--alpha", "1.1111111111111112e-04"})
              .exit_code == 0);
  CHECK(read_bytes(dir.file("a.npy")) == read_bytes(dir.file("b.npy")));
  CHECK(run_cli({dir.file("in.npy"), dir.file("c.npy"), "--alpha", "0,001"}).exit_code == 2);
}

TEST_CASE("an empty value for any option is a usage error naming the option", "[cli]") {
  const std::string option =
      GENERATE(as<std::string>{}, "--alpha", "--beta", "--bias", "--radius", "--size", "--preset",
               "--convention", "--format", "--pixel-scale", "--quality", "--max-pixels",
               "--max-npy-bytes", "--threads", "--jobs", "--output-dir", "--files-from");
  TempDir dir;
  const RunResult r = run_cli({kRocket, dir.file("o.jpg"), option, ""});
  INFO(option << ": " << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("lrn-img: error: " + option + ": the value is empty"));
  CHECK(TempDir::entries_of(dir.path()).empty());
}

TEST_CASE("numeric options share one grammar and say what is allowed", "[cli]") {
  TempDir dir;
  const std::string out = dir.file("o.jpg");
  auto run = [&](const std::string& option, const std::string& value) {
    return run_cli({kRocket, out, option, value});
  };
  SECTION("a leading + is accepted, hexadecimal is not, for reals and integers alike") {
    CHECK(run("--alpha", "+1").exit_code == 0);
    CHECK(run("--max-pixels", "+1e9").exit_code == 0);
    CHECK_THAT(run("--alpha", "0x10").err,
               Contains("lrn-img: error: --alpha: '0x10' is not a decimal number"));
    const RunResult hex = run("--max-pixels", "0x10");
    CHECK(hex.exit_code == 2);
    CHECK_THAT(hex.err, Contains("--max-pixels: '0x10' is not a decimal number"));
  }
  SECTION("underflow and overflow are named as such") {
    const RunResult under = run("--alpha", "1e-400");
    CHECK(under.exit_code == 2);
    CHECK_THAT(under.err, Contains("--alpha: '1e-400' underflows"));
    const RunResult over = run("--max-pixels", "18446744073709551616");
    CHECK(over.exit_code == 2);
    CHECK_THAT(over.err, Contains("--max-pixels: '18446744073709551616' is out of range"));
  }
  SECTION("-t and -j stop at 1024 threads, before starting any") {
    const RunResult t = run("-t", "4294967295");
    CHECK(t.exit_code == 2);
    CHECK_THAT(
        t.err,
        Contains("--threads: '4294967295' is out of range; give a whole number from 1 to 1024"));
    const RunResult j = run_cli({kRocket, "-O", dir.path(), "-j", "1025"});
    CHECK(j.exit_code == 2);
    CHECK_THAT(j.err, Contains("--jobs: '1025' is out of range"));
  }
  CHECK_FALSE(exists(dir.file("rocket.jpg")));
}
