// The public API (include/lrn_img): errors carry their data, normalize() on strided views
// against a naive float64 loop, resolve() as the command line resolves flags.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <vector>

#include "cli/wording.h"
#include "lrn_img/lrn_img.h"

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
