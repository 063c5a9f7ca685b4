// The public API (include/lrn_img): errors carry their data, normalize() on strided views
// against a naive float64 loop, resolve() as the command line resolves flags.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "cli/wording.h"
#include "lrn_img/lrn_img.h"
#include "support.h"

namespace {

// y = x / (bias + alpha * sum of squares over the window) ^ beta, in double, value (n,y,x,c)
// of a C-contiguous NHWC array.
std::vector<double> reference_nhwc(const std::vector<float>& x, std::size_t pixels, std::size_t C,
                                   const lrn_img::Resolved& r) {
  std::vector<double> y(x.size());
  for (std::size_t p = 0; p < pixels; ++p)
    for (std::size_t c = 0; c < C; ++c) {
      double sum = 0;
      for (long k = long(c) - r.before; k <= long(c) + r.after; ++k)
        if (k >= 0 && k < long(C)) sum += double(x[p * C + k]) * x[p * C + k];
      y[p * C + c] = x[p * C + c] / std::pow(r.bias + r.alpha * sum, r.beta);
    }
  return y;
}

}  // namespace

TEST_CASE("api: a limit exceeded carries which limit, the value and the maximum", "[api]") {
  lrn_img::FileOptions o;
  o.max_pixels = 1000;
  try {
    lrn_img::process_file(LRN_SAMPLES_DIR "/rocket.jpg", LRN_BUILD_DIR "/api-limit-test.png", o);
    FAIL("no exception");
  } catch (const lrn_img::LimitExceeded& e) {
    CHECK(e.limit() == lrn_img::Limit::Pixels);
    CHECK(e.maximum() == 1000);
    CHECK(e.value() > 1000);
    CHECK(e.path() == LRN_SAMPLES_DIR "/rocket.jpg");
    CHECK(std::string(e.what()).find("(raise it with max_pixels)") != std::string::npos);
    CHECK(lrn::cli::in_cli_words(e).find("(raise it with --max-pixels)") != std::string::npos);
  }
}

TEST_CASE("api: bad parameters name the parameter, spelled per front end", "[api]") {
  lrn_img::Params p;
  p.convention = lrn_img::Convention::Caffe;
  p.size = 4;
  CHECK_THROWS_AS(lrn_img::resolve(p), lrn_img::InvalidArgument);
  p = {};
  p.size = 5;  // size under tf
  try {
    lrn_img::resolve(p);
    FAIL("no exception");
  } catch (const lrn_img::InvalidArgument& e) {
    CHECK(e.parameter() == "size");
    CHECK(e.value() == "5");
    CHECK(std::string(e.what()).rfind("size belongs to convention", 0) == 0);
    CHECK(e.worded([](std::string_view n) {
             return std::string(n) + "=";
           }).rfind("size= belongs to convention=", 0) == 0);
  }
}

TEST_CASE("api: resolve() gives what the presets and conventions say", "[api]") {
  lrn_img::Params p;
  p.preset = "caffe-alexnet";
  const lrn_img::Resolved r = lrn_img::resolve(p);
  CHECK(r.before == 2);
  CHECK(r.after == 2);
  CHECK(r.alpha == Approx(1e-4 / 5));
  p = {};
  p.convention = lrn_img::Convention::Torch;
  p.size = 4;
  const lrn_img::Resolved t = lrn_img::resolve(p);
  CHECK(t.before == 2);
  CHECK(t.after == 1);
}

TEST_CASE("api: normalize() matches float64 in every layout, strided and in place", "[api]") {
  const std::size_t N = 2, H = 3, W = 5, C = GENERATE(1, 3, 7);
  lrn_img::Params params;
  params.radius = 1;
  params.alpha = 0.5;
  const lrn_img::Resolved r = lrn_img::resolve(params);
  std::vector<float> nhwc(N * H * W * C);
  for (std::size_t i = 0; i < nhwc.size(); ++i) nhwc[i] = float((i * 29) % 17) / 8 - 1;
  const std::vector<double> want = reference_nhwc(nhwc, N * H * W, C, r);
  auto at = [&](std::size_t n, std::size_t y, std::size_t x, std::size_t c) {
    return ((n * H + y) * W + x) * C + c;
  };
  const unsigned threads = GENERATE(1u, 3u);

  SECTION("NHWC in, NCHW out (a transposing view)") {
    const std::size_t d[4] = {N, H, W, C}, e[4] = {N, C, H, W};
    std::vector<float> out(nhwc.size());
    lrn_img::normalize(
        lrn_img::as_const(lrn_img::make_view(nhwc.data(), lrn_img::Layout::Nhwc, d, 4)),
        lrn_img::make_view(out.data(), lrn_img::Layout::Nchw, e, 4), r, threads);
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t i = 0; i < H * W; ++i)
          CHECK(out[(n * C + c) * H * W + i] ==
                Approx(want[at(n, i / W, i % W, c)]).epsilon(1e-5).margin(1e-7));
  }
  SECTION("NCHW in place") {
    std::vector<float> nchw(nhwc.size());
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t i = 0; i < H * W; ++i)
          nchw[(n * C + c) * H * W + i] = nhwc[at(n, i / W, i % W, c)];
    const std::size_t e[4] = {N, C, H, W};
    lrn_img::TensorView v = lrn_img::make_view(nchw.data(), lrn_img::Layout::Nchw, e, 4);
    lrn_img::normalize(lrn_img::as_const(v), v, params, threads);
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t c = 0; c < C; ++c)
        for (std::size_t i = 0; i < H * W; ++i)
          CHECK(nchw[(n * C + c) * H * W + i] ==
                Approx(want[at(n, i / W, i % W, c)]).epsilon(1e-5).margin(1e-7));
  }
  SECTION("every other column of a padded HWC buffer") {
    std::vector<float> wide(N * H * 2 * W * C, 99.f);
    lrn_img::TensorView in{wide.data(),
                           lrn_img::Layout::Nhwc,
                           N,
                           H,
                           W,
                           C,
                           std::ptrdiff_t(H * 2 * W * C),
                           std::ptrdiff_t(2 * W * C),
                           std::ptrdiff_t(2 * C),
                           1};
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t y = 0; y < H; ++y)
        for (std::size_t x = 0; x < W; ++x)
          for (std::size_t c = 0; c < C; ++c)
            wide[n * in.image_stride + y * in.row_stride + x * in.column_stride + c] =
                nhwc[at(n, y, x, c)];
    const std::size_t d[4] = {N, H, W, C};
    std::vector<float> out(nhwc.size());
    lrn_img::normalize(lrn_img::as_const(in),
                       lrn_img::make_view(out.data(), lrn_img::Layout::Nhwc, d, 4), r, threads);
    for (std::size_t i = 0; i < out.size(); ++i)
      CHECK(out[i] == Approx(want[i]).epsilon(1e-5).margin(1e-7));
  }
  SECTION("a partial overlap and a shape mismatch are refused") {
    const std::size_t d[4] = {N, H, W, C};
    auto v = lrn_img::make_view(nhwc.data(), lrn_img::Layout::Nhwc, d, 4);
    auto shifted = v;
    shifted.data += 1;
    shifted.images = 1;
    auto one = v;
    one.images = 1;
    CHECK_THROWS_AS(lrn_img::normalize(lrn_img::as_const(one), shifted, r),
                    lrn_img::InvalidArgument);
    CHECK_THROWS_AS(lrn_img::normalize(lrn_img::as_const(v), shifted, r), lrn_img::InvalidArgument);
  }
}

TEST_CASE("api: a raised cancel flag stops normalize() with Cancelled", "[api][threads]") {
  std::vector<float> data(64 * 64 * 3, 1.0f);
  const std::size_t dims[3] = {64, 64, 3};
  const lrn_img::TensorView v = lrn_img::make_view(data.data(), lrn_img::Layout::Hwc, dims, 3);
  std::atomic<bool> cancel{true};
  const unsigned threads = GENERATE(1u, 2u);
  CHECK_THROWS_AS(lrn_img::normalize(lrn_img::as_const(v), v, lrn_img::Params{}, threads, &cancel),
                  lrn_img::Cancelled);
  CHECK(data[0] == 1.0f);  // raised before the call: nothing was computed
  cancel = false;
  lrn_img::normalize(lrn_img::as_const(v), v, lrn_img::Params{}, threads, &cancel);
  CHECK(data[0] < 1.0f);
}

TEST_CASE("api: usable_cores(), format_of_name(), and resolve()'s range errors carry values",
          "[api]") {
  CHECK(lrn_img::usable_cores() >= 1);
  CHECK(lrn_img::format_of_name("a/b.JPEG") == lrn_img::Format::Jpeg);
  CHECK(lrn_img::format_of_name("x.npy") == lrn_img::Format::Npy);
  CHECK_FALSE(lrn_img::format_of_name("x.gif"));
  CHECK(std::string(lrn_img::format_name(lrn_img::Format::Png)) == "PNG");
  lrn_img::Params p;
  p.radius = -1;
  p.alpha = -2;
  try {
    lrn_img::resolve(p);
    FAIL("no exception");
  } catch (const lrn_img::InvalidArgument& e) {
    CHECK(std::string(e.what()) == "radius must be >= 0, got -1");
    CHECK(e.parameter() == "radius");
  }
  p.radius.reset();
  p.bias = 0;
  try {
    lrn_img::resolve(p);
    FAIL("no exception");
  } catch (const lrn_img::InvalidArgument& e) {
    CHECK(std::string(e.what()) == "alpha must be a finite number >= 0, got -2");
    CHECK(e.parameter() == "alpha");
  }
}

// ---- the family's methods (Params::method other than Lrn) ----------------------------------

namespace {

// The InvalidArgument resolve(p) throws: its parameter() and what().
std::pair<std::string, std::string> refusal(const lrn_img::Params& p) {
  try {
    lrn_img::resolve(p);
  } catch (const lrn_img::InvalidArgument& e) {
    return {e.parameter(), e.what()};
  }
  return {"", "no exception"};
}

lrn_img::Params method(lrn_img::Method m) {
  lrn_img::Params p;
  p.method = m;
  return p;
}

}  // namespace

TEST_CASE("api: a family method's bad parameters name the parameter and the method", "[api]") {
  using lrn_img::Convention;
  using lrn_img::Method;
  auto p = method(Method::Gcn);
  p.size = 5;  // lrn's, spatial-lrn's, lcn's and lms's
  auto r = refusal(p);
  CHECK(r.first == "size");
  CHECK(r.second ==
        "size does not apply to method gcn; it belongs to method lrn, spatial-lrn, lcn or lms");
  p = method(Method::Lrn);
  p.threshold = 1;
  CHECK(refusal(p).second == "threshold does not apply to method lrn; it belongs to method lcn");
  p = method(Method::Lcn);
  p.convention = Convention::Caffe;
  r = refusal(p);
  CHECK(r.first == "convention");
  CHECK(r.second == "convention: 'caffe' is not torch7, jarrett, pylearn2 or pinto (method lcn)");
  p = method(Method::Lrn);
  p.convention = Convention::Jarrett;
  CHECK(refusal(p).first == "convention");
  for (const Method m : {Method::SpatialLrn, Method::Lcn, Method::Lms}) {
    p = method(m);
    p.size = 4;  // even: refused by every family method
    r = refusal(p);
    CHECK(r.first == "size");
    CHECK(r.second.find("size must be odd") != std::string::npos);
  }
  p = method(Method::SpatialLrn);
  p.bias = 2;  // caffe has no k
  r = refusal(p);
  CHECK(r.first == "bias");
  CHECK(r.second.find("onednn") != std::string::npos);
  p.convention = Convention::Onednn;
  CHECK_NOTHROW(lrn_img::resolve(p));
  p = method(Method::Zca);
  CHECK(refusal(p).first == "zca");
  p.zca = lrn_img::Whitening{{0, 0}, {1, 0, 0, 1}};
  p.zca_file = "w.npz";
  CHECK(refusal(p).first == "zca_file");
  p.zca_file.reset();
  p.zca->P.pop_back();
  CHECK(refusal(p).first == "zca");
  // Marked names are spelled per front end.
  p = method(Method::Gcn);
  p.sqrt_bias = -1;
  try {
    lrn_img::resolve(p);
    FAIL("no exception");
  } catch (const lrn_img::InvalidArgument& e) {
    CHECK(e.parameter() == "sqrt_bias");
    CHECK(e.worded([](std::string_view n) { return "<" + std::string(n) + ">"; }) ==
          "method gcn: <sqrt_bias> must be a finite number >= 0");
  }
}

TEST_CASE("api: resolve() and describe() for a family method say what it computes", "[api]") {
  auto p = method(lrn_img::Method::Lcn);
  const lrn_img::Resolved r = lrn_img::resolve(p);
  CHECK(r.convention == "torch7");
  CHECK(lrn_img::describe(r) ==
        "method: lcn\nconvention: torch7\nkernel: box\nsize: 9\nthreshold: 0.0001\n"
        "per_channel: false\n");
  CHECK(lrn_img::restate(r).empty());
  CHECK(lrn_img::parse_method("zero-pad") == std::nullopt);
  CHECK(lrn_img::parse_convention("zero-pad") == lrn_img::Convention::ZeroPad);
  CHECK(lrn_img::conventions(lrn_img::Method::Gcn).front() == lrn_img::Convention::Pylearn2);
  // A Resolved made by hand for a family method has nothing to run.
  std::vector<float> x(3 * 3 * 3, 1.0f), y(x.size());
  const std::size_t dims[] = {3, 3, 3};
  lrn_img::Resolved hand;
  hand.method = lrn_img::Method::Lcn;
  CHECK_THROWS_AS(
      lrn_img::normalize(lrn_img::make_view(std::as_const(x).data(), lrn_img::Layout::Hwc, dims, 3),
                         lrn_img::make_view(y.data(), lrn_img::Layout::Hwc, dims, 3), hand),
      lrn_img::InvalidArgument);
  // zca's whitening must fit the tensor's channels.
  p = method(lrn_img::Method::Zca);
  p.zca = lrn_img::Whitening{{0, 0}, {1, 0, 0, 1}};
  CHECK_THROWS_AS(
      lrn_img::normalize(lrn_img::make_view(std::as_const(x).data(), lrn_img::Layout::Hwc, dims, 3),
                         lrn_img::make_view(y.data(), lrn_img::Layout::Hwc, dims, 3), p),
      lrn_img::InvalidArgument);
}

TEST_CASE("api: a windowed family method gives the same values on NCHW and NHWC views",
          "[api][threads]") {
  using lrn_img::Layout;
  const std::size_t N = 2, H = 19, W = 23, C = 3;
  std::vector<float> nhwc(N * H * W * C);
  for (std::size_t i = 0; i < nhwc.size(); ++i)
    nhwc[i] = static_cast<float>((i * 7919) % 256) * (i < nhwc.size() / 2 ? 1.0f : 0.1f);
  std::vector<float> nchw(nhwc.size());
  for (std::size_t n = 0; n < N; ++n)
    for (std::size_t y = 0; y < H; ++y)
      for (std::size_t x = 0; x < W; ++x)
        for (std::size_t c = 0; c < C; ++c)
          nchw[((n * C + c) * H + y) * W + x] = nhwc[((n * H + y) * W + x) * C + c];
  const std::size_t d_nhwc[] = {N, H, W, C}, d_nchw[] = {N, C, H, W};

  lrn_img::Params spatial = method(lrn_img::Method::SpatialLrn);
  spatial.size = 7;
  lrn_img::Params jarrett = method(lrn_img::Method::Lcn);  // two passes: per-image statistics
  jarrett.convention = lrn_img::Convention::Jarrett;
  lrn_img::Params gcn = method(lrn_img::Method::Gcn);
  for (const lrn_img::Params& p : {spatial, jarrett, gcn}) {
    INFO(lrn_img::method_name(p.method));
    std::vector<float> a(nhwc.size()), b(nhwc.size());
    lrn_img::normalize(lrn_img::make_view(std::as_const(nhwc).data(), Layout::Nhwc, d_nhwc, 4),
                       lrn_img::make_view(a.data(), Layout::Nhwc, d_nhwc, 4), p, 1);
    lrn_img::normalize(lrn_img::make_view(std::as_const(nchw).data(), Layout::Nchw, d_nchw, 4),
                       lrn_img::make_view(b.data(), Layout::Nchw, d_nchw, 4), p, 3);
    bool same = true, moved = false;
    for (std::size_t n = 0; n < N; ++n)
      for (std::size_t y = 0; y < H; ++y)
        for (std::size_t x = 0; x < W; ++x)
          for (std::size_t c = 0; c < C; ++c) {
            const std::size_t i = ((n * H + y) * W + x) * C + c;
            same = same && a[i] == b[((n * C + c) * H + y) * W + x];
            moved = moved || a[i] != nhwc[i];
          }
    CHECK(same);
    CHECK(moved);
    // The second image alone gives what it gave in the batch (statistics are per image).
    const std::size_t d_hwc[] = {H, W, C};
    std::vector<float> alone(H * W * C);
    lrn_img::normalize(
        lrn_img::make_view(std::as_const(nhwc).data() + H * W * C, Layout::Hwc, d_hwc, 3),
        lrn_img::make_view(alone.data(), Layout::Hwc, d_hwc, 3), p);
    CHECK(std::equal(alone.begin(), alone.end(), a.begin() + static_cast<long>(H * W * C)));
    // In place on the channel-first buffer.
    lrn_img::normalize(lrn_img::make_view(std::as_const(nchw).data(), Layout::Nchw, d_nchw, 4),
                       lrn_img::make_view(nchw.data(), Layout::Nchw, d_nchw, 4), p, 2);
    CHECK(nchw == b);
    for (std::size_t n = 0; n < N; ++n)  // restore the input for the next method
      for (std::size_t y = 0; y < H; ++y)
        for (std::size_t x = 0; x < W; ++x)
          for (std::size_t c = 0; c < C; ++c)
            nchw[((n * C + c) * H + y) * W + x] = nhwc[((n * H + y) * W + x) * C + c];
  }
}

namespace {

// min, max and mean of channel c of HWC values, in double.
struct Moments {
  double min, max, mean;
};
template <typename T>
Moments moments(const std::vector<T>& v, std::size_t C, std::size_t c) {
  Moments m{HUGE_VAL, -HUGE_VAL, 0};
  for (std::size_t i = c; i < v.size(); i += C) {
    m.min = std::min(m.min, double(v[i]));
    m.max = std::max(m.max, double(v[i]));
    m.mean += double(v[i]);
  }
  m.mean /= double(v.size() / C);
  return m;
}

}  // namespace

TEST_CASE("api: process_file reports the formats, the shape and per-channel statistics", "[api]") {
  const std::size_t H = 3, W = 4, C = 5;
  std::vector<float> x(H * W * C);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float((i * 53) % 97) - 20.5f;
  const std::string in = LRN_BUILD_DIR "/api-report-in.npy";
  lrn_test::write_npy(in, H, W, C, x);
  lrn_img::FileOptions o;
  o.params.radius = 1;
  o.params.alpha = 0.01;
  const lrn_img::Resolved r = lrn_img::resolve(o.params);
  const std::vector<double> want = reference_nhwc(x, H * W, C, r);

  o.stats = true;
  o.layout = lrn_img::Layout::Hwc;  // stated: no warning about reading (3,4,5) as HWC
  const lrn_img::FileReport rep = lrn_img::process_file(in, LRN_BUILD_DIR "/api-report-out.npy", o);
  CHECK(rep.input_format == lrn_img::Format::Npy);
  CHECK(rep.output_format == lrn_img::Format::Npy);
  CHECK(rep.width == W);
  CHECK(rep.height == H);
  CHECK(rep.channels == C);
  CHECK(rep.images == 1);
  CHECK_FALSE(rep.batch);
  CHECK(rep.warnings == 0);
  REQUIRE(rep.stats.size() == 1);
  const lrn_img::ImageStats& s = rep.stats[0];
  REQUIRE(s.input.min.size() == C);
  REQUIRE(s.output.mean.size() == C);
  for (std::size_t c = 0; c < C; ++c) {
    const Moments xi = moments(x, C, c), yo = moments(want, C, c);
    CHECK(s.input.min[c] == xi.min);
    CHECK(s.input.max[c] == xi.max);
    CHECK(s.input.mean[c] == Approx(xi.mean).epsilon(1e-12));
    CHECK(s.output.min[c] == Approx(yo.min).epsilon(1e-5));
    CHECK(s.output.max[c] == Approx(yo.max).epsilon(1e-5));
    CHECK(s.output.mean[c] == Approx(yo.mean).epsilon(1e-5).margin(1e-6));
  }

  // Without stats asked for: the same facts, no statistics; an image in, another format out.
  const lrn_img::FileReport jpeg =
      lrn_img::process_file(LRN_SAMPLES_DIR "/rocket.jpg", LRN_BUILD_DIR "/api-report.png");
  CHECK(jpeg.input_format == lrn_img::Format::Jpeg);
  CHECK(jpeg.output_format == lrn_img::Format::Png);
  CHECK(jpeg.channels == 3);
  CHECK(jpeg.width > 0);
  CHECK(jpeg.height > 0);
  CHECK(jpeg.stats.empty());
}

TEST_CASE("api: process_file counts warnings; a raised cancel flag is FileCancelled", "[api]") {
  const std::string in = LRN_BUILD_DIR "/api-report-f16.npy";
  lrn_test::write_npy(in, 1, 2, 1, {1e6f, 1.0f});  // 1e6 / (1 + ...)^0.75 > 65504
  lrn_img::FileOptions o;
  o.params.alpha = 0;
  o.dtype = lrn_img::Dtype::F16;
  std::vector<std::string> heard;
  o.warn = [&](const std::string& m) { heard.push_back(m); };
  const std::string out = LRN_BUILD_DIR "/api-report-f16-out.npy";
  const lrn_img::FileReport rep = lrn_img::process_file(in, out, o);
  CHECK(rep.warnings == 1);
  REQUIRE(heard.size() == 1);
  CHECK(heard[0].find("float16") != std::string::npos);

  std::remove(out.c_str());
  std::atomic<bool> cancel{true};
  o.cancel = &cancel;
  try {
    lrn_img::process_file(in, out, o);
    FAIL("no exception");
  } catch (const lrn_img::FileCancelled& e) {
    CHECK(e.path() == in);
    CHECK(std::string(e.what()) == "cannot process '" + in + "': cancelled");
  }
  CHECK_THROWS_AS(lrn_img::process_file(in, out, o), lrn_img::FileError);
  FILE* f = std::fopen(out.c_str(), "rb");
  CHECK(f == nullptr);
  if (f) std::fclose(f);
}

TEST_CASE("api: FileOptions::resolved writes what params write; a hand-made family one is refused",
          "[api]") {
  const std::string in = LRN_SAMPLES_DIR "/coffee.png";
  lrn_img::FileOptions by_params;
  by_params.params.method = lrn_img::Method::Lcn;
  lrn_img::process_file(in, LRN_BUILD_DIR "/api-resolved-a.npy", by_params);
  lrn_img::FileOptions by_resolved;
  by_resolved.params.size = -1;  // ignored: resolved wins
  by_resolved.resolved = lrn_img::resolve(by_params.params);
  lrn_img::process_file(in, LRN_BUILD_DIR "/api-resolved-b.npy", by_resolved);
  CHECK(lrn_test::read_bytes(LRN_BUILD_DIR "/api-resolved-a.npy") ==
        lrn_test::read_bytes(LRN_BUILD_DIR "/api-resolved-b.npy"));

  lrn_img::Resolved hand;
  hand.method = lrn_img::Method::Gcn;
  by_resolved.resolved = hand;
  CHECK_THROWS_AS(lrn_img::process_file(in, LRN_BUILD_DIR "/api-resolved-c.npy", by_resolved),
                  lrn_img::InvalidArgument);
}
