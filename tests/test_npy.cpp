// The .npy reader and writer: round trips, the header variants NumPy and others write, the
// errors for arrays that are not images, and byte-compatibility with NumPy itself.
#include <sys/wait.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "image/codecs.h"
#include "support.h"

using Catch::Matchers::Contains;
using Catch::Matchers::Message;
using lrn::FileError;
using lrn::ImageInfo;
using lrn::SampleType;

namespace {

using Bytes = std::vector<std::uint8_t>;

// A .npy file from a header dict, laid out as the format says (version, length, padding).
Bytes make_npy(const std::string& dict, const Bytes& data, int major = 1) {
  const std::size_t len_size = major == 1 ? 2 : 4;
  std::string header = dict;
  while ((6 + 2 + len_size + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  Bytes out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<std::uint8_t>(major), 0};
  for (std::size_t i = 0; i < len_size; ++i) out.push_back((header.size() >> (8 * i)) & 0xFF);
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

template <typename T>
Bytes bytes_of(const std::vector<T>& v, bool big_endian = false) {
  Bytes out(v.size() * sizeof(T));
  std::memcpy(out.data(), v.data(), out.size());
  if (big_endian)
    for (std::size_t i = 0; i < out.size(); i += sizeof(T))
      std::reverse(out.begin() + static_cast<std::ptrdiff_t>(i),
                   out.begin() + static_cast<std::ptrdiff_t>(i + sizeof(T)));
  return out;
}

std::vector<float> ramp(std::size_t n) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * 0.5f - 3.25f;
  return v;
}

std::unique_ptr<lrn::ImageReader> open_bytes(const Bytes& bytes,
                                             std::uint64_t max_pixels = 1u << 28) {
  lrn::DecodeOptions opt;
  opt.max_pixels = max_pixels;
  return lrn::open_reader(lrn::memory_source(bytes, "x.npy"), opt);
}

// All rows of an image, one read_rows call per row.
template <typename T>
std::vector<T> read_all(lrn::ImageReader& r) {
  std::vector<T> out(r.info().height * r.info().row_samples());
  for (std::size_t y = 0; y < r.info().height; ++y)
    r.read_rows(out.data() + y * r.info().row_samples(), 1);
  return out;
}

Bytes encode_npy(std::size_t h, std::size_t w, std::size_t c, const std::vector<float>& px) {
  lrn::MemorySink sink("out.npy");
  ImageInfo info;
  info.height = h;
  info.width = w;
  info.channels = c;
  info.type = SampleType::F32;
  auto writer = lrn::open_writer(lrn::Format::Npy, sink, info, {});
  for (std::size_t y = 0; y < h; ++y) writer->write_rows(px.data() + y * w * c, 1);
  writer->finish();
  return sink.bytes;
}

const char* kDict234 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }";

}  // namespace

TEST_CASE("the writer's header is the one np.save writes", "[npy]") {
  const Bytes out = encode_npy(2, 3, 4, ramp(24));
  // NumPy: sorted keys, 21 - len("2") spare spaces, then spaces and '\n' up to 128 bytes.
  const std::string expected =
      std::string("\x93NUMPY\x01\x00\x76\x00", 10) + kDict234 + std::string(20 + 35, ' ') + "\n";
  REQUIRE(out.size() == 128 + 24 * 4);
  CHECK(std::string(out.begin(), out.begin() + 128) == expected);
}

TEST_CASE("write then read gives back shape and values", "[npy]") {
  const std::size_t h = GENERATE(1, 2, 3, 1000);
  const std::size_t w = GENERATE(1, 3);
  const std::size_t c = GENERATE(1, 4, 64);
  const auto px = ramp(h * w * c);
  const Bytes out = encode_npy(h, w, c, px);
  CHECK((out.size() - px.size() * 4) % 64 == 0);
  auto r = open_bytes(out);
  CHECK(r->info().height == h);
  CHECK(r->info().width == w);
  CHECK(r->info().channels == c);
  CHECK_FALSE(r->info().has_alpha);
  CHECK(r->info().type == SampleType::F32);
  CHECK(read_all<float>(*r) == px);
}

TEST_CASE("header variants are read", "[npy]") {
  const auto px = ramp(2 * 3 * 4);
  SECTION("version 2.0 and 3.0") {
    const int major = GENERATE(2, 3);
    auto r = open_bytes(make_npy(kDict234, bytes_of(px), major));
    CHECK(read_all<float>(*r) == px);
  }
  SECTION("keys in another order, other spacing, double quotes, no trailing comma") {
    auto r = open_bytes(
        make_npy("{ \"shape\":(2,3,4),'fortran_order' :False ,  'descr':'<f4'}", bytes_of(px)));
    CHECK(r->info().channels == 4);
    CHECK(read_all<float>(*r) == px);
  }
  SECTION("a batch of one: (1, H, W, C)") {
    auto r = open_bytes(make_npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3, 4), }", bytes_of(px)));
    CHECK(r->info().height == 2);
    CHECK(r->info().width == 3);
    CHECK(r->info().channels == 4);
    CHECK(read_all<float>(*r) == px);
  }
  SECTION("gray: (H, W) is one channel") {
    auto r = open_bytes(
        make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 4), }", bytes_of(px)));
    CHECK(r->info().height == 6);
    CHECK(r->info().width == 4);
    CHECK(r->info().channels == 1);
    CHECK(read_all<float>(*r) == px);
  }
  SECTION("big-endian float32 is swapped to host order") {
    auto r = open_bytes(make_npy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3, 4), }",
                                 bytes_of(px, true)));
    CHECK(read_all<float>(*r) == px);
  }
  SECTION("float64, little and big-endian") {
    const std::vector<double> d(px.begin(), px.end());
    const bool big = GENERATE(false, true);
    const std::string dict = std::string("{'descr': '") + (big ? ">" : "<") +
                             "f8', 'fortran_order': False, 'shape': (2, 3, 4), }";
    auto r = open_bytes(make_npy(dict, bytes_of(d, big)));
    CHECK(r->info().type == SampleType::F64);
    CHECK(read_all<double>(*r) == d);
  }
  SECTION("uint8 with any byte-order mark") {
    const std::string descr = GENERATE("|u1", "<u1", "u1", "=u1");
    Bytes u8(24);
    for (std::size_t i = 0; i < u8.size(); ++i) u8[i] = static_cast<std::uint8_t>(i * 10);
    auto r = open_bytes(
        make_npy("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (2, 3, 4), }", u8));
    CHECK(r->info().type == SampleType::U8);
    CHECK(read_all<std::uint8_t>(*r) == u8);
  }
}

TEST_CASE("several rows per call", "[npy]") {
  const auto px = ramp(5 * 2 * 3);
  auto r = open_bytes(encode_npy(5, 2, 3, px));
  std::vector<float> got(px.size());
  r->read_rows(got.data(), 3);
  r->read_rows(got.data() + 3 * 6, 2);
  CHECK(got == px);
  CHECK_THROWS_AS(r->read_rows(got.data(), 1), std::logic_error);
}

TEST_CASE("arrays that are not images are refused with the reason", "[npy]") {
  const auto px = ramp(2 * 3 * 4 * 5);
  auto dict = [](const std::string& descr, const std::string& order, const std::string& shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }";
  };
  SECTION("Fortran order") {
    CHECK_THROWS_MATCHES(open_bytes(make_npy(dict("<f4", "True", "(2, 3, 4)"), bytes_of(px))),
                         FileError,
                         Message("cannot decode 'x.npy': Fortran-ordered arrays are "
                                 "not supported; save a C-ordered copy "
                                 "(numpy.ascontiguousarray)"));
  }
  SECTION("a shape of the wrong rank") {
    CHECK_THROWS_MATCHES(
        open_bytes(make_npy(dict("<f4", "False", "(1, 2, 3, 4, 1)"), bytes_of(px))), FileError,
        Message("cannot decode 'x.npy': shape (1,2,3,4,1) is not an image; want (H, W, C), "
                "(N, H, W, C) or (H, W), or give layout"));
    CHECK_THROWS_WITH(open_bytes(make_npy(dict("<f4", "False", "(120,)"), bytes_of(px))),
                      Contains("shape (120,) is not an image"));
    CHECK_THROWS_WITH(open_bytes(make_npy(dict("<f4", "False", "()"), bytes_of(px))),
                      Contains("shape () is not an image"));
  }
  SECTION("no pixels or no channels") {
    CHECK_THROWS_WITH(open_bytes(make_npy(dict("<f4", "False", "(0, 3, 4)"), {})),
                      Contains("has no pixels"));
    CHECK_THROWS_WITH(open_bytes(make_npy(dict("<f4", "False", "(2, 3, 0)"), {})),
                      "cannot decode 'x.npy': shape (2,3,0) has no channels");
  }
  SECTION("an unsupported dtype is named") {
    const std::string descr = GENERATE("<i4", "<u2", "|b1", "<c8", "|O");
    CHECK_THROWS_MATCHES(open_bytes(make_npy(dict(descr, "False", "(2, 3, 4)"), bytes_of(px))),
                         FileError,
                         Message("cannot decode 'x.npy': dtype '" + descr +
                                 "' is not supported; want float32 ('<f4'), float64 ('<f8'), "
                                 "float16 ('<f2') or uint8 ('|u1')"));
  }
  SECTION("over the pixel budget, before any pixel is read") {
    CHECK_THROWS_WITH(open_bytes(make_npy(dict("<f4", "False", "(30000, 30000, 3)"), {})),
                      Contains("30000x30000 is over the pixel budget"));
  }
  SECTION("a size that would overflow") {
    CHECK_THROWS_WITH(
        open_bytes(make_npy(dict("<f8", "False", "(2147483648, 2147483648, 8)"), {}), ~0ull),
        Contains("is too large"));
    CHECK_THROWS_WITH(open_bytes(make_npy(dict("<f4", "False", "(1, 1, 1000000)"), {})),
                      Contains("1000000 channels is over the limit"));
  }
}

TEST_CASE("damaged files give a clear error", "[npy]") {
  const Bytes good = encode_npy(2, 3, 4, ramp(24));
  SECTION("truncated pixel data, size known: refused when opened") {
    const Bytes cut(good.begin(), good.end() - 5);
    CHECK_THROWS_MATCHES(open_bytes(cut), FileError,
                         Message("cannot decode 'x.npy': pixel data is truncated (the header "
                                 "declares 96 bytes, the file holds 91)"));
  }
  SECTION("truncated pixel data, size unknown (a pipe): refused where it ends") {
    // The memory source without its size, as a pipe or FIFO would be.
    struct Unsized : lrn::ByteSource {
      std::unique_ptr<lrn::ByteSource> in;
      std::size_t read(void* dst, std::size_t n) override { return in->read(dst, n); }
      std::vector<std::uint8_t> peek(std::size_t n) override { return in->peek(n); }
      const std::string& name() const override { return in->name(); }
    };
    auto src = std::make_unique<Unsized>();
    src->in = lrn::memory_source(Bytes(good.begin(), good.end() - 5), "x.npy");
    auto r = lrn::open_reader(std::move(src), {});
    std::vector<float> row(12);
    r->read_rows(row.data(), 1);
    CHECK_THROWS_MATCHES(r->read_rows(row.data(), 1), FileError,
                         Message("cannot decode 'x.npy': pixel data is truncated"));
  }
  SECTION("over --max-npy-bytes, before any pixel is read") {
    lrn::DecodeOptions opt;
    opt.max_npy_bytes = 95;
    CHECK_THROWS_MATCHES(lrn::open_reader(lrn::memory_source(good, "x.npy"), opt), FileError,
                         Message("cannot decode 'x.npy': the array holds 96 bytes, over the "
                                 "limit of 95 (raise it with max_npy_bytes)"));
    opt.max_npy_bytes = 96;
    CHECK(lrn::open_reader(lrn::memory_source(good, "x.npy"), opt)->info().channels == 4);
  }
  SECTION("truncated header") {
    const std::size_t keep = GENERATE(7, 9, 50, 127);
    const Bytes cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(keep));
    CHECK_THROWS_MATCHES(open_bytes(cut), FileError,
                         Message("cannot decode 'x.npy': .npy header is truncated"));
  }
  SECTION("bad magic") {
    Bytes bad = good;
    bad[5] = 'X';
    CHECK_THROWS_MATCHES(lrn::open_npy_reader(lrn::memory_source(bad, "x.npy"), {}), FileError,
                         Message("cannot decode 'x.npy': not a .npy file"));
  }
  SECTION("unknown version") {
    Bytes bad = good;
    bad[6] = 4;
    CHECK_THROWS_WITH(open_bytes(bad),
                      "cannot decode 'x.npy': unsupported .npy format version 4.0");
  }
  SECTION("an absurd header length") {
    Bytes bad = make_npy(kDict234, {}, 2);
    bad[8] = bad[9] = bad[10] = bad[11] = 0x7F;
    CHECK_THROWS_WITH(open_bytes(bad), Contains("header of 2139062143 bytes is too long"));
  }
  SECTION("garbage in the header dict") {
    const std::string dict =
        GENERATE("{'descr': <f4, 'fortran_order': False, 'shape': (2, 3, 4), }",
                 "{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3, 4), }",
                 "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, x), }",
                 "{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3, 4], }",
                 "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4) 'x'}",
                 "{'descr': '<f4', 'fortran_order': False}",
                 "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), 'extra': 1}",
                 "{'descr': [('r', '<f4')], 'fortran_order': False, 'shape': (2, 3, 4), }",
                 "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), } junk",
                 "{'descr': '<f4", "hello", "");
    CHECK_THROWS_WITH(open_bytes(make_npy(dict, bytes_of(ramp(24)))),
                      Catch::Matchers::StartsWith("cannot decode 'x.npy': malformed .npy header"));
  }
}

TEST_CASE("the writer refuses what .npy output does not hold", "[npy]") {
  lrn::MemorySink sink("out.npy");
  ImageInfo info;
  info.height = 2;
  info.width = 2;
  info.channels = 3;
  info.type = SampleType::U8;
  CHECK_THROWS_MATCHES(
      lrn::open_npy_writer(sink, info), FileError,
      Message("cannot write 'out.npy': .npy output takes float32 or float16 samples"));
  info.type = SampleType::F32;
  info.channels = 0;
  CHECK_THROWS_AS(lrn::open_npy_writer(sink, info), FileError);
  info.channels = 3;
  auto writer = lrn::open_npy_writer(sink, info);
  const auto px = ramp(6);
  writer->write_rows(px.data(), 1);
  CHECK_THROWS_AS(writer->finish(), std::logic_error);
}

// NumPy is the reference for the format: when it is installed, files it saves must read back
// and files we write must equal np.save's output byte for byte.
TEST_CASE("files are byte-compatible with NumPy", "[npy]") {
  lrn_test::TempDir dir;
  const auto px = ramp(4 * 5 * 3);
  lrn_test::write_bytes(dir.file("ours.npy"), encode_npy(4, 5, 3, px));
  // The script itself tells whether numpy is there (exit 77), so that the check and the use
  // see the same sys.path.
  std::ofstream(dir.file("make.py")) << R"(import sys
try:
    import numpy as np
except ImportError:
    sys.exit(77)
d = sys.argv[1]
a = (np.arange(60, dtype=np.float32) * 0.5 - 3.25).reshape(4, 5, 3)
np.save(d + '/f4.npy', a)
np.save(d + '/f8be.npy', a.astype('>f8'))
np.save(d + '/u1.npy', (np.arange(60) * 4).astype(np.uint8).reshape(4, 5, 3))
np.save(d + '/gray.npy', a[:, :, 0].copy())
np.save(d + '/batch.npy', a[np.newaxis])
b = np.load(d + '/ours.npy')
sys.exit(0 if b.dtype == np.float32 and b.shape == (4, 5, 3) and (b == a).all() else 3)
)";
  // Debian's python3 first (.ci/install-deps installs python3-numpy for it); a python3 earlier
  // on PATH (pyenv, a venv) may lack numpy.
  const std::string python = lrn_test::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  const std::string cmd = python + " " + dir.file("make.py") + " " + dir.path() + " 2>&1";
  const int status = std::system(cmd.c_str());
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    WARN("python3 is not installed: NumPy compatibility not checked");
    return;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
    WARN(
        "numpy is not installed (python3 cannot import it): NumPy compatibility not "
        "checked; apt-get install python3-numpy to run it");
    return;
  }
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  CHECK(lrn_test::read_bytes(dir.file("ours.npy")) == lrn_test::read_bytes(dir.file("f4.npy")));

  auto read = [&](const std::string& name) {
    return lrn::open_reader(lrn::open_source(dir.file(name)), {});
  };
  CHECK(read_all<float>(*read("f4.npy")) == px);
  CHECK(read_all<double>(*read("f8be.npy")) == std::vector<double>(px.begin(), px.end()));
  CHECK(read_all<float>(*read("batch.npy")) == px);
  auto u1 = read("u1.npy");
  CHECK(u1->info().type == SampleType::U8);
  CHECK(read_all<std::uint8_t>(*u1)[59] == 236);
  auto gray = read("gray.npy");
  CHECK(gray->info().channels == 1);
  CHECK(read_all<float>(*gray)[1] == px[3]);
}

TEST_CASE("the reader reports the tensor of every layout", "[npy]") {
  const auto px = ramp(2 * 3 * 4 * 5);
  auto dict = [](const std::string& descr, const std::string& order, const std::string& shape) {
    return "{'descr': '" + descr + "', 'fortran_order': " + order + ", 'shape': " + shape + ", }";
  };
  auto open = [&](const std::string& shape, std::optional<lrn::Layout> layout) {
    lrn::DecodeOptions opt;
    opt.layout = layout;
    return lrn::open_reader(
        lrn::memory_source(make_npy(dict("<f4", "False", shape), bytes_of(px)), "x.npy"), opt);
  };
  SECTION("nchw: a batch of planar images, rows counted over the batch") {
    auto r = open("(2, 3, 4, 5)", lrn::Layout::Nchw);
    REQUIRE(r->tensor());
    CHECK(r->tensor()->images == 2);
    CHECK(r->tensor()->channels == 3);
    CHECK(r->tensor()->height == 4);
    CHECK(r->tensor()->width == 5);
    CHECK(r->tensor()->planar);
    CHECK(r->tensor()->dims == std::vector<std::uint64_t>{2, 3, 4, 5});
    CHECK(r->info().height == 8);
    CHECK(r->info().channels == 3);
    std::vector<float> half(px.size() / 2);
    CHECK_THROWS_AS(r->read_rows(half.data(), 3), std::logic_error);  // not whole images
    r->read_rows(half.data(), 4);
    CHECK(half == std::vector<float>(px.begin(), px.begin() + 60));
  }
  SECTION("no layout: (N, H, W, C) with N > 1 is a batch, (1, H, W, C) writes back as (H, W, C)") {
    auto r = open("(2, 3, 4, 5)", std::nullopt);
    CHECK(r->tensor()->images == 2);
    CHECK_FALSE(r->tensor()->planar);
    CHECK(r->info().height == 6);
    auto one = open("(1, 6, 4, 5)", std::nullopt);
    CHECK(one->tensor()->dims == std::vector<std::uint64_t>{6, 4, 5});
    auto kept = open("(1, 6, 4, 5)", lrn::Layout::Nhwc);
    CHECK(kept->tensor()->dims == std::vector<std::uint64_t>{1, 6, 4, 5});
  }
  SECTION("a shape that does not fit the layout is a usage error") {
    CHECK_THROWS_MATCHES(open("(6, 4, 5)", lrn::Layout::Nchw), lrn::UsageError,
                         Message("'x.npy' has shape (6,4,5), which layout nchw does not fit: "
                                 "it wants (N, C, H, W) or (H, W)"));
  }
}
