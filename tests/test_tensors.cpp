// Tensors through the CLI: --layout hwc/chw/nhwc/nchw with batches against the float64
// reference, HWC and CHW bit for bit, the channel-first warning, float16 in and out (checked
// by NumPy) and PyTorch's local_response_norm as an external reference.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "image/format.h"
#include "lrn/half.h"
#include "lrn/layout.h"
#include "reference.h"
#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using Dims = std::vector<std::uint64_t>;

namespace {

// A float32 (or float16) .npy of any shape, C order, written as NumPy's format says.
void save_npy(const std::string& path, const Dims& dims, const std::vector<float>& values,
              bool f16 = false) {
  std::string dict =
      std::string("{'descr': '") + (f16 ? "<f2" : "<f4") + "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < dims.size(); ++i) dict += (i ? ", " : "") + std::to_string(dims[i]);
  dict += dims.size() == 1 ? ",), }" : "), }";
  while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  const std::string head = std::string("\x93NUMPY\x01\x00", 8) +
                           static_cast<char>(dict.size() & 0xFF) +
                           static_cast<char>(dict.size() >> 8) + dict;
  std::vector<std::uint8_t> out(head.begin(), head.end());
  if (f16) {
    std::vector<std::uint16_t> h(values.size());
    lrn::f32_to_f16(values.data(), h.data(), h.size());
    const auto* b = reinterpret_cast<const std::uint8_t*>(h.data());
    out.insert(out.end(), b, b + h.size() * 2);
  } else {
    const auto* b = reinterpret_cast<const std::uint8_t*>(values.data());
    out.insert(out.end(), b, b + values.size() * 4);
  }
  write_bytes(path, out);
}

// A .npy of any dtype from its raw little-endian bytes.
void save_raw_npy(const std::string& path, const Dims& dims, const std::string& descr,
                  const std::vector<std::uint8_t>& data) {
  std::string dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < dims.size(); ++i) dict += (i ? ", " : "") + std::to_string(dims[i]);
  dict += "), }";
  while ((10 + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  const std::string head = std::string("\x93NUMPY\x01\x00", 8) +
                           static_cast<char>(dict.size() & 0xFF) +
                           static_cast<char>(dict.size() >> 8) + dict;
  std::vector<std::uint8_t> out(head.begin(), head.end());
  out.insert(out.end(), data.begin(), data.end());
  write_bytes(path, out);
}

struct Array {
  Dims dims;
  std::string descr;
  std::vector<float> values;
};

// A .npy written by lrn-img: its shape, dtype and values (float16 widened).
Array load_npy(const std::string& path) {
  const auto bytes = read_bytes(path);
  REQUIRE(bytes.size() > 10);
  const std::size_t len = bytes[8] | bytes[9] << 8;
  const std::string header(bytes.begin() + 10, bytes.begin() + 10 + static_cast<long>(len));
  Array a;
  const auto d = header.find("'descr': '");
  a.descr = header.substr(d + 10, 3);
  const auto s = header.find("'shape': (");
  const auto e = header.find(')', s);
  std::string tuple = header.substr(s + 10, e - s - 10);
  for (std::size_t pos = 0; pos < tuple.size();) {
    const auto comma = tuple.find(',', pos);
    const std::string part = tuple.substr(pos, comma == std::string::npos ? comma : comma - pos);
    if (part.find_first_of("0123456789") != std::string::npos) a.dims.push_back(std::stoull(part));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  const std::uint8_t* data = bytes.data() + 10 + len;
  const std::size_t n = (bytes.size() - 10 - len) / (a.descr == "<f2" ? 2 : 4);
  a.values.resize(n);
  if (a.descr == "<f2") {
    std::vector<std::uint16_t> h(n);
    std::memcpy(h.data(), data, n * 2);
    lrn::f16_to_f32(h.data(), a.values.data(), n);
  } else {
    std::memcpy(a.values.data(), data, n * 4);
  }
  return a;
}

// Deterministic values in -200..200, some zero.
std::vector<float> values_for(std::size_t n, unsigned seed) {
  std::vector<float> v(n);
  std::uint32_t x = 2463534242u ^ seed;
  for (auto& f : v) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    f = static_cast<float>(static_cast<int>(x % 4001) - 2000) / 10.0f;
  }
  return v;
}

// The array as (N, H, W, C) channel-last values, from its own layout (through its strides).
std::vector<float> to_nhwc(const std::vector<float>& v, const lrn::TensorShape& s) {
  std::vector<float> out(v.size());
  const std::size_t hw = s.pixels(), c = s.channels;
  for (std::size_t n = 0; n < s.images; ++n)
    for (std::size_t ch = 0; ch < c; ++ch)
      for (std::size_t i = 0; i < hw; ++i)
        out[(n * hw + i) * c + ch] =
            v[n * s.image_stride() + ch * s.channel_stride() + i * s.pixel_stride()];
  return out;
}

Dims dims_of(lrn::Layout l, std::size_t n, std::size_t h, std::size_t w, std::size_t c) {
  switch (l) {
    case lrn::Layout::Hwc: return {h, w, c};
    case lrn::Layout::Chw: return {c, h, w};
    case lrn::Layout::Nhwc: return {n, h, w, c};
    case lrn::Layout::Nchw: return {n, c, h, w};
  }
  return {};
}

std::string python() { return exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; }

// Runs a Python script with args; its exit status (REQUIREs that it ran).
int run_python(const TempDir& dir, const std::string& script, const std::string& args) {
  std::ofstream(dir.file("script.py")) << script;
  const std::string cmd = python() + " " + dir.file("script.py") + " " + args + " 2>&1";
  const int status = std::system(cmd.c_str());
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("every layout, one image and a batch, matches the float64 reference",
          "[threads][tensors][cli]") {
  const lrn::Layout layout =
      GENERATE(lrn::Layout::Hwc, lrn::Layout::Chw, lrn::Layout::Nhwc, lrn::Layout::Nchw);
  const std::size_t n = lrn::has_batch(layout) ? GENERATE(1, 3) : 1;
  const std::size_t c = GENERATE(1, 3, 7);
  const std::size_t h = 5, w = 6;
  CAPTURE(lrn::layout_name(layout), n, c);
  TempDir dir;
  const Dims dims = dims_of(layout, n, h, w, c);
  const auto x = values_for(n * h * w * c, static_cast<unsigned>(c * 10 + n));
  save_npy(dir.file("in.npy"), dims, x);
  const std::string threads = GENERATE("1", "2");
  const RunResult r =
      run_cli({dir.file("in.npy"), dir.file("out.npy"), "--layout", lrn::layout_name(layout),
               "--radius", "1", "--alpha", "0.001", "-t", threads});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  const Array y = load_npy(dir.file("out.npy"));
  CHECK(y.dims == dims);  // the input's shape exactly
  CHECK(y.descr == "<f4");
  const auto shape = *lrn::shape_for_layout(dims, layout);
  lrn::LrnParams p;
  p.before = p.after = 1;
  p.alpha = 0.001;
  const auto want = lrn_reference(to_nhwc(x, shape), c, p);
  const auto got = to_nhwc(y.values, shape);
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i)
    REQUIRE_THAT(got[i], WithinRel(want[i], 1e-6) || WithinAbs(want[i], 1e-30));
}

TEST_CASE("the same array as HWC and as CHW gives the same values bit for bit", "[tensors][cli]") {
  const std::size_t c = GENERATE(1, 2, 3, 4, 5, 16, 96), h = 7, w = 9;
  const std::size_t n = GENERATE(1, 3);
  CAPTURE(c, n);
  TempDir dir;
  const auto chw = values_for(n * c * h * w, static_cast<unsigned>(c));
  lrn::TensorShape s;
  s.images = n;
  s.height = h;
  s.width = w;
  s.channels = c;
  s.planar = true;
  save_npy(dir.file("chw.npy"), {n, c, h, w}, chw);
  save_npy(dir.file("hwc.npy"), {n, h, w, c}, to_nhwc(chw, s));
  const std::string beta = GENERATE("0.75", "0.6");
  for (const char* l : {"nchw", "nhwc"}) {
    const RunResult r = run_cli({dir.file(std::string(l).substr(1) + ".npy"),
                                 dir.file(std::string("out_") + l + ".npy"), "--layout", l,
                                 "--beta", beta, "--alpha", "0.01"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  const Array a = load_npy(dir.file("out_nchw.npy")), b = load_npy(dir.file("out_nhwc.npy"));
  const auto a_hwc = to_nhwc(a.values, s);
  REQUIRE(a_hwc.size() == b.values.size());
  CHECK(std::memcmp(a_hwc.data(), b.values.data(), a_hwc.size() * 4) == 0);
}

TEST_CASE("a channel-first look-alike read without --layout is warned about", "[tensors][cli]") {
  SECTION("the rule") {
    CHECK(lrn::looks_channel_first({3, 224, 224}));
    CHECK(lrn::looks_channel_first({1, 3, 224, 224}));
    CHECK(lrn::looks_channel_first({96, 55, 55}));
    CHECK(lrn::looks_channel_first({8, 96, 55, 55}));
    CHECK_FALSE(lrn::looks_channel_first({55, 55, 96}));
    CHECK_FALSE(lrn::looks_channel_first({224, 224, 3}));
    CHECK_FALSE(lrn::looks_channel_first({1, 224, 224, 3}));
    CHECK_FALSE(lrn::looks_channel_first({4, 6, 4}));
    CHECK_FALSE(lrn::looks_channel_first({224, 224}));
  }
  TempDir dir;
  auto run = [&](const Dims& dims, std::vector<std::string> extra) {
    std::size_t count = 1;
    for (auto d : dims) count *= d;
    save_npy(dir.file("in.npy"), dims, values_for(count, 1));
    std::vector<std::string> args = {dir.file("in.npy"), dir.file("out.npy")};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  };
  SECTION("(3, 224, 224) and (1, 3, 224, 224) warn, naming both readings") {
    RunResult r = run({3, 224, 224}, {});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("lrn-img: warning:") &&
                          Contains("(3,224,224) read as H=3, W=224, C=224") &&
                          Contains("if it is CHW, pass --layout chw"));
    r = run({1, 3, 224, 224}, {});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, Contains("read as N=1, H=3, W=224, C=224") &&
                          Contains("if it is NCHW, pass --layout nchw"));
    CHECK(load_npy(dir.file("out.npy")).dims == Dims{3, 224, 224});  // today's shape
  }
  SECTION("(55, 55, 96) and (224, 224, 3) are quiet") {
    CHECK(run({55, 55, 96}, {}).err.empty());
    CHECK(run({224, 224, 3}, {}).err.empty());
  }
  SECTION("--layout hwc silences it; --strict makes it an error") {
    CHECK(run({3, 224, 224}, {"--layout", "hwc"}).err.empty());
    CHECK(run({1, 3, 224, 224}, {"--layout", "nhwc"}).err.empty());
    std::remove(dir.file("out.npy").c_str());
    const RunResult r = run({96, 55, 55}, {"--strict"});
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Contains("lrn-img: error:") && Contains("--layout chw"));
    CHECK_FALSE(exists(dir.file("out.npy")));
  }
}

TEST_CASE("a shape that does not fit --layout is a usage error naming it", "[tensors][cli]") {
  const char* layout = GENERATE("hwc", "chw", "nhwc", "nchw");
  const bool batch = std::string(layout).size() == 4;
  // Every rank but the layout's own and 2 (H, W).
  const Dims dims = GENERATE_COPY(
      filter([=](const Dims& d) { return d.size() != 2 && d.size() != (batch ? 4u : 3u); },
             values<Dims>({{24}, {2, 3, 4}, {1, 2, 3, 4}, {1, 1, 2, 3, 4}})));
  CAPTURE(layout, dims.size());
  TempDir dir;
  save_npy(dir.file("in.npy"), dims, values_for(24, 2));
  const RunResult r = run_cli({dir.file("in.npy"), dir.file("out.npy"), "--layout", layout});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("lrn-img: error:") && Contains(lrn::shape_text(dims)) &&
                        Contains(std::string("--layout ") + layout));
  CHECK_FALSE(exists(dir.file("out.npy")));
}

TEST_CASE("layout with an image input, and a batch written as an image, fail", "[tensors][cli]") {
  TempDir dir;
  RunResult r = run_cli({sample_path("rocket.jpg"), dir.file("out.png"), "--layout", "hwc"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--layout applies to .npy input") && Contains("rocket.jpg"));
  r = run_cli({sample_path("rocket.jpg"), dir.file("out.png"), "--layout", "cwh"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("--layout: 'cwh' is not hwc, chw, nhwc or nchw; did you mean 'chw'?"));
  save_npy(dir.file("b.npy"), {2, 3, 4, 3}, values_for(72, 3));
  r = run_cli({dir.file("b.npy"), dir.file("out.png"), "--layout", "nhwc"});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Contains("holds 2 images") && Contains("write .npy instead"));
  save_npy(dir.file("one.npy"), {1, 3, 4, 5}, values_for(60, 3));
  r = run_cli({dir.file("one.npy"), dir.file("out.png"), "--layout", "nchw"});
  CHECK(r.exit_code == 0);  // one CHW image is an RGB picture
}

TEST_CASE("json and stats report each image of a batch", "[tensors][cli]") {
  TempDir dir;
  save_npy(dir.file("b.npy"), {3, 2, 4, 5}, values_for(120, 4));
  RunResult r =
      run_cli({dir.file("b.npy"), dir.file("o.npy"), "--layout", "nchw", "--json", "--stats"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Contains(R"("width":5,"height":4,"channels":2,"images":3,"stats":[{"input":)"));
  CHECK_THAT(r.err, Contains("image 1/3") && Contains("image 3/3"));
  save_npy(dir.file("i.npy"), {4, 5, 2}, values_for(40, 4));
  r = run_cli({dir.file("i.npy"), dir.file("o.npy"), "--json"});
  CHECK_THAT(r.out, Contains(R"("images":1,"stats":{"input":)"));
}

TEST_CASE("a planar batch arrives on a pipe", "[threads][tensors][cli]") {
  TempDir dir;
  save_npy(dir.file("b.npy"), {3, 4, 6, 5}, values_for(360, 5));
  const RunResult file = run_cli({dir.file("b.npy"), dir.file("f.npy"), "--layout", "nchw"});
  const auto bytes = read_bytes(dir.file("b.npy"));
  const RunResult pipe = run_cli({"-", dir.file("p.npy"), "--layout", "nchw"},
                                 std::string(bytes.begin(), bytes.end()));
  REQUIRE(file.exit_code == 0);
  REQUIRE(pipe.exit_code == 0);
  CHECK(read_bytes(dir.file("f.npy")) == read_bytes(dir.file("p.npy")));
}

TEST_CASE("float16 in and out round-trips through NumPy", "[tensors][cli]") {
  TempDir dir;
  const int rc = run_python(dir, R"(import sys
import numpy as np
d = sys.argv[1]
rng = np.random.default_rng(7)
a = (rng.standard_normal((2, 5, 6, 7)) * 30).astype(np.float16)
a[0, 0, 0, 0] = 60000
np.save(d + '/h.npy', a)
np.save(d + '/hbe.npy', a.astype('>f2'))
)",
                            dir.path());
  REQUIRE(rc == 0);
  auto run = [&](const std::string& in, const std::string& out, const char* dtype) {
    const RunResult r = run_cli({dir.file(in), dir.file(out), "--layout", "nchw", "--dtype", dtype,
                                 "--alpha", "0", "--bias", "0.25", "--beta", "1"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    return r;
  };
  run("h.npy", "f32.npy", "f32");
  const RunResult r16 = run("h.npy", "f16.npy", "f16");
  run("hbe.npy", "f32be.npy", "f32");
  // x / 0.25 = 4x: 60000 becomes 240000, beyond float16.
  CHECK_THAT(r16.err, Contains("1 value(s) are beyond float16's range"));
  CHECK(read_bytes(dir.file("f32.npy")) == read_bytes(dir.file("f32be.npy")));
  const int check = run_python(dir, R"(import sys
import numpy as np
d = sys.argv[1]
a = np.load(d + '/h.npy')
y32 = np.load(d + '/f32.npy')
y16 = np.load(d + '/f16.npy')
ok = (y32.dtype == np.float32 and y16.dtype == np.float16 and y16.shape == a.shape
      and (y32 == a.astype(np.float32) * 4).all()
      and np.array_equal(y16, (y32.astype(np.float16))))
sys.exit(0 if ok else 3)
)",
                               dir.path());
  CHECK(check == 0);
}

// PyTorch is the reference the issue names: an AlexNet-like (8, 96, 27, 27) NCHW array. A
// missing torch fails this test (.ci/install-deps installs python3-torch); it never skips.
TEST_CASE("layout nchw, convention torch matches torch.nn.functional.local_response_norm",
          "[tensors][cli]") {
  TempDir dir;
  const int made = run_python(dir, R"(import sys
import numpy as np
rng = np.random.default_rng(11)
np.save(sys.argv[1] + '/x.npy', (rng.standard_normal((8, 96, 27, 27)) * 40).astype(np.float32))
)",
                              dir.path());
  REQUIRE(made == 0);
  const RunResult r =
      run_cli({dir.file("x.npy"), dir.file("y.npy"), "--layout", "nchw", "--convention", "torch",
               "--size", "5", "--alpha", "1e-4", "--bias", "2", "--beta", "0.75"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const int rc = run_python(dir, R"(import sys
import numpy as np
try:
    import torch
except ImportError:
    print('python3-torch is missing: bash .ci/install-deps installs it')
    sys.exit(4)
d = sys.argv[1]
x = np.load(d + '/x.npy')
y = np.load(d + '/y.npy')
t = torch.nn.functional.local_response_norm(torch.from_numpy(x).double(), 5, alpha=1e-4,
                                            beta=0.75, k=2.0).numpy()
rel = np.max(np.abs(y - t) / np.maximum(np.abs(t), 1e-30))
print('max relative difference to torch:', rel)
sys.exit(0 if y.shape == x.shape and rel <= 1e-5 else 3)
)",
                            dir.path());
  CHECK(rc == 0);
}

TEST_CASE("dtype f16 also takes an image with alpha, and is ignored with a warning for images",
          "[tensors][cli]") {
  TempDir dir;
  const std::string rgba = data_path("png_gray_alpha.png");
  REQUIRE(exists(rgba));
  RunResult r = run_cli({rgba, dir.file("a16.npy"), "--dtype", "f16"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  run_cli({rgba, dir.file("a32.npy")});
  const Array a16 = load_npy(dir.file("a16.npy")), a32 = load_npy(dir.file("a32.npy"));
  CHECK(a16.descr == "<f2");
  CHECK(a16.dims == a32.dims);
  REQUIRE(a16.values.size() == a32.values.size());
  for (std::size_t i = 0; i < a32.values.size(); ++i) {
    std::uint16_t h;
    lrn::f32_to_f16(&a32.values[i], &h, 1);
    float back;
    lrn::f16_to_f32(&h, &back, 1);
    REQUIRE(a16.values[i] == back);
  }
  r = run_cli({sample_path("rocket.jpg"), dir.file("o.png"), "--dtype", "f16"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.err,
             Contains("--dtype applies to .npy and TIFF outputs; PNG gets its own sample type"));
}

TEST_CASE("one CHW image written as PNG or JPEG equals the same image as HWC", "[tensors][cli]") {
  TempDir dir;
  const std::size_t c = 3, h = 20, w = 30;
  std::vector<float> chw = values_for(c * h * w, 6);
  for (auto& v : chw) v = std::abs(v);
  lrn::TensorShape s;
  s.height = h;
  s.width = w;
  s.channels = c;
  s.planar = true;
  save_npy(dir.file("c.npy"), {c, h, w}, chw);
  save_npy(dir.file("h.npy"), {h, w, c}, to_nhwc(chw, s));
  const char* ext = GENERATE(".png", ".jpg");
  const bool rescale = GENERATE(false, true);
  CAPTURE(ext, rescale);
  std::vector<std::string> a = {dir.file("c.npy"), dir.file(std::string("c") + ext), "--layout",
                                "chw"};
  std::vector<std::string> b = {dir.file("h.npy"), dir.file(std::string("h") + ext), "--layout",
                                "hwc"};
  if (rescale) {
    a.push_back("--rescale");
    b.push_back("--rescale");
  }
  REQUIRE(run_cli(a).exit_code == 0);
  REQUIRE(run_cli(b).exit_code == 0);
  CHECK(read_bytes(dir.file(std::string("c") + ext)) ==
        read_bytes(dir.file(std::string("h") + ext)));
}

TEST_CASE("threads split a batch and its pixels without changing a bit",
          "[threads][tensors][cli]") {
  // Over a megapixel in all, so -t 3 splits blocks: nhwc over two threads (the third reads
  // ahead), nchw each image's pixels over all three.
  TempDir dir;
  const char* layout = GENERATE("nchw", "nhwc");
  const std::uint64_t n = 5, c = 3, h = 512, w = 512;
  const Dims dims = std::string(layout) == "nchw" ? Dims{n, c, h, w} : Dims{n, h, w, c};
  save_npy(dir.file("in.npy"), dims, values_for(n * c * h * w, 8));
  for (const char* t : {"1", "3"})
    REQUIRE(run_cli({dir.file("in.npy"), dir.file(std::string("t") + t + ".npy"), "--layout",
                     layout, "-t", t, "--json"})
                .exit_code == 0);
  CHECK(read_bytes(dir.file("t1.npy")) == read_bytes(dir.file("t3.npy")));
}

TEST_CASE("(H, W) is one channel in every layout and keeps its shape", "[tensors][cli]") {
  TempDir dir;
  const auto x = values_for(4 * 5, 9);
  save_npy(dir.file("in.npy"), {4, 5}, x);
  lrn::LrnParams p;
  p.alpha = 0.001;
  const auto want = lrn_reference(x, 1, p);
  for (const char* layout : {"hwc", "chw", "nhwc", "nchw"}) {
    CAPTURE(layout);
    const RunResult r =
        run_cli({dir.file("in.npy"), dir.file("out.npy"), "--layout", layout, "--alpha", "0.001"});
    REQUIRE(r.exit_code == 0);
    const Array y = load_npy(dir.file("out.npy"));
    CHECK(y.dims == Dims{4, 5});
    for (std::size_t i = 0; i < x.size(); ++i) CHECK_THAT(y.values[i], WithinRel(want[i], 1e-6));
  }
  REQUIRE(run_cli({dir.file("in.npy"), dir.file("out.npy")}).exit_code == 0);
  CHECK(load_npy(dir.file("out.npy")).dims == Dims{4, 5, 1});  // as before --layout
}

TEST_CASE("uint8 and float64 arrays give the same values as CHW and as HWC", "[tensors][cli]") {
  TempDir dir;
  const std::size_t n = 2, c = 5, h = 6, w = 7, count = n * c * h * w;
  lrn::TensorShape s;
  s.images = n;
  s.height = h;
  s.width = w;
  s.channels = c;
  s.planar = true;
  std::vector<float> chw(count);
  for (std::size_t i = 0; i < count; ++i) chw[i] = static_cast<float>((i * 37) % 256);
  const auto hwc = to_nhwc(chw, s);
  auto bytes_u8 = [](const std::vector<float>& v) {
    return std::vector<std::uint8_t>(v.begin(), v.end());
  };
  auto bytes_f8 = [](const std::vector<float>& v) {
    const std::vector<double> d(v.begin(), v.end());
    const auto* b = reinterpret_cast<const std::uint8_t*>(d.data());
    return std::vector<std::uint8_t>(b, b + d.size() * 8);
  };
  for (const char* descr : {"|u1", "<f8"}) {
    CAPTURE(descr);
    const bool u8 = descr[1] == 'u';
    save_raw_npy(dir.file("c.npy"), {n, c, h, w}, descr, u8 ? bytes_u8(chw) : bytes_f8(chw));
    save_raw_npy(dir.file("h.npy"), {n, h, w, c}, descr, u8 ? bytes_u8(hwc) : bytes_f8(hwc));
    REQUIRE(run_cli({dir.file("c.npy"), dir.file("co.npy"), "--layout", "nchw"}).exit_code == 0);
    REQUIRE(run_cli({dir.file("h.npy"), dir.file("ho.npy"), "--layout", "nhwc"}).exit_code == 0);
    const Array a = load_npy(dir.file("co.npy")), b = load_npy(dir.file("ho.npy"));
    CHECK(to_nhwc(a.values, s) == b.values);
    lrn::LrnParams p;
    p.alpha = 0.001 / 9;
    const auto want = lrn_reference(hwc, c, p);
    for (std::size_t i = 0; i < count; ++i) REQUIRE_THAT(b.values[i], WithinRel(want[i], 1e-6));
  }
}
