// The exact rolling box sums of squares (lrn/family/box_exact.h): against plain float64 sums
// and window_sums' bits on 8-bit data, the values it must refuse, where it stops, and
// spatial-lrn's bytes with and without it.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <cstddef>
#include <limits>
#include <memory>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "lrn/family/box_exact.h"
#include "lrn/family/spatial_lrn.h"
#include "pipeline/driver.h"

using namespace lrn::family;
using namespace lrn::family::detail;

namespace {

/// Plain n x n sum of squares at (y, x, l), pixels outside the image 0, in float64: for
/// integers |v| <= 255 every term and partial sum is exact.
double plain(const std::vector<float>& img, std::size_t width, std::size_t height,
             std::size_t lanes, std::size_t n, std::size_t y, std::size_t x, std::size_t l) {
  const auto r = static_cast<std::ptrdiff_t>(n / 2);
  double s = 0;
  for (std::ptrdiff_t yy = static_cast<std::ptrdiff_t>(y) - r;
       yy <= static_cast<std::ptrdiff_t>(y) + r; ++yy)
    for (std::ptrdiff_t xx = static_cast<std::ptrdiff_t>(x) - r;
         xx <= static_cast<std::ptrdiff_t>(x) + r; ++xx) {
      if (yy < 0 || xx < 0 || yy >= static_cast<std::ptrdiff_t>(height) ||
          xx >= static_cast<std::ptrdiff_t>(width))
        continue;
      const double v =
          img[(static_cast<std::size_t>(yy) * width + static_cast<std::size_t>(xx)) * lanes + l];
      s += v * v;
    }
  return s;
}

struct Result {
  std::size_t returned = 0;
  std::vector<double> sums;   // (height * width * lanes), NaN where nothing was emitted
  std::vector<int> emitted;   // per output value: how many times it was emitted
};

Result run_exact(const std::vector<float>& img, std::size_t width, std::size_t height,
                 std::size_t lanes, std::size_t n, std::size_t y0, std::size_t y1) {
  Result res;
  const std::size_t m = width * lanes;
  res.sums.assign(height * m, std::numeric_limits<double>::quiet_NaN());
  res.emitted.assign(height * m, 0);
  const std::size_t r = n / 2;
  res.returned = box_squares_exact(
      [&](std::size_t y) {
        // The halo contract: only rows [y0 - r, y1 + r) inside the image are read.
        REQUIRE(y + r >= y0);
        REQUIRE(y < y1 + r);
        REQUIRE(y < height);
        return img.data() + y * m;
      },
      width, height, lanes, n, y0, y1,
      [&](std::size_t y, std::size_t xa, std::size_t xb, const float* s) {
        REQUIRE(y >= y0);
        REQUIRE(y < y1);
        REQUIRE(xa < xb);
        REQUIRE(xb <= width);
        for (std::size_t i = 0; i < (xb - xa) * lanes; ++i) {
          res.sums[y * m + xa * lanes + i] = s[i];
          ++res.emitted[y * m + xa * lanes + i];
        }
      });
  return res;
}

}  // namespace

TEST_CASE("family box_exact: 8-bit sums equal plain float64 sums and window_sums' bits",
          "[family][window]") {
  const std::size_t n = GENERATE(1, 3, 5, 7, 15);
  const std::size_t lanes = GENERATE(1, 2, 3, 4);
  const std::size_t width = GENERATE(1, 2, 9, 63, 64, 67, 301);
  const std::size_t height = GENERATE(1, 4, 23);
  std::mt19937 rng(static_cast<unsigned>(n * 1000 + lanes * 100 + width + height));
  // The extremes (+-255, 0) more often than uniform noise has them.
  std::uniform_int_distribution<int> d(-260, 260);
  std::vector<float> img(width * height * lanes);
  for (float& v : img) v = static_cast<float>(std::clamp(d(rng), -255, 255));
  // Whole image, and a middle band of rows (a thread's share).
  const std::size_t y0 = GENERATE(0, 1), y1 = y0 == 0 ? height : std::max<std::size_t>(1, height - 1);
  if (y0 >= y1) return;
  const Result res = run_exact(img, width, height, lanes, n, y0, y1);
  REQUIRE(res.returned == y1);
  const std::size_t m = width * lanes;
  // window_sums (the block sums in double) over the same rows.
  std::vector<double> ref(height * m, std::numeric_limits<double>::quiet_NaN());
  window_sums(
      box_taps(n), width, height, lanes, y0, y1, 0, width,
      [&](std::size_t y, std::size_t xa, std::size_t xb, double* dst) {
        for (std::size_t i = 0; i < (xb - xa) * lanes; ++i) {
          const double v = img[y * m + xa * lanes + i];
          dst[i] = v * v;
        }
      },
      [&](std::size_t y, std::size_t xa, std::size_t xb, const double* s) {
        for (std::size_t i = 0; i < (xb - xa) * lanes; ++i) ref[y * m + xa * lanes + i] = s[i];
      });
  std::size_t wrong = 0, wrong_ref = 0, not_once = 0;
  for (std::size_t y = y0; y < y1; ++y)
    for (std::size_t x = 0; x < width; ++x)
      for (std::size_t l = 0; l < lanes; ++l) {
        const std::size_t i = y * m + x * lanes + l;
        not_once += res.emitted[i] != 1;
        wrong += res.sums[i] != plain(img, width, height, lanes, n, y, x, l);
        wrong_ref += res.sums[i] != ref[i];
      }
  CHECK(not_once == 0);
  CHECK(wrong == 0);
  CHECK(wrong_ref == 0);
}

TEST_CASE("family box_exact: a value that is not an 8-bit integer stops it at the first window "
          "that holds it",
          "[family][window]") {
  const float bad = GENERATE(0.5f, -0.5f, 254.75f, 255.5f, 256.0f, -256.0f, 1e30f,
                             std::numeric_limits<float>::infinity(),
                             -std::numeric_limits<float>::infinity(),
                             std::numeric_limits<float>::quiet_NaN(), 1e-30f, 0x1p-149f);
  const std::size_t n = GENERATE(3, 5), r = n / 2;
  const std::size_t width = 70, height = 30, lanes = 3, m = width * lanes;
  const std::size_t bad_row = GENERATE(0, 1, 2, 9, 29);
  std::vector<float> img(height * m);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> d(0, 255);
  for (float& v : img) v = static_cast<float>(d(rng));
  img[bad_row * m + 40 * lanes + 1] = bad;
  const std::size_t y0 = 0, y1 = height;
  const Result res = run_exact(img, width, height, lanes, n, y0, y1);
  // Output row y's window holds rows up to y + r: the first that holds bad_row.
  const std::size_t expect = bad_row > y0 + r ? bad_row - r : y0;
  CHECK(res.returned == expect);
  for (std::size_t y = y0; y < res.returned; ++y)
    for (std::size_t x = 0; x < width; ++x)
      for (std::size_t l = 0; l < lanes; ++l)
        REQUIRE(res.sums[y * m + x * lanes + l] == plain(img, width, height, lanes, n, y, x, l));
  for (std::size_t i = res.returned * m; i < height * m; ++i) REQUIRE(res.emitted[i] == 0);
}

TEST_CASE("family box_exact: the extremes +-255 and -0 are taken, exactly", "[family][window]") {
  const std::size_t n = 15, width = 40, height = 20, lanes = 3, m = width * lanes;
  for (const float v : {255.0f, -255.0f, -0.0f}) {
    const std::vector<float> img(height * m, v);
    const Result res = run_exact(img, width, height, lanes, n, 0, height);
    REQUIRE(res.returned == height);
    std::size_t wrong = 0;
    for (std::size_t y = 0; y < height; ++y)
      for (std::size_t x = 0; x < width; ++x)
        wrong += res.sums[y * m + x * lanes] != plain(img, width, height, lanes, n, y, x, 0);
    CHECK(wrong == 0);
  }
}

TEST_CASE("family spatial-lrn: 8-bit images give the same bytes through the exact sums as "
          "through the block sums",
          "[family][window]") {
  // A fraction in row 0 sends the whole image to the block sums (the exact sums stop at the
  // first window that holds it: row 0's); the rows whose windows do not reach row 0 are the
  // same pixels as in the unmarked image, which the exact sums run.
  const int size = GENERATE(1, 3, 5, 11, 15);
  const auto conv = GENERATE(SpatialLrnConvention::Caffe, SpatialLrnConvention::Onednn,
                             SpatialLrnConvention::Matconvnet);
  const std::size_t width = 97, height = 31, C = 3, m = width * C;
  std::mt19937 rng(static_cast<unsigned>(size));
  std::uniform_int_distribution<int> d(0, 255);
  std::vector<float> img(height * m);
  for (float& v : img) v = static_cast<float>(d(rng));
  std::vector<float> marked = img;
  marked[5] += 0.5f;
  SpatialLrnParams p = SpatialLrnParams::defaults(conv);
  p.size = size;
  if (conv == SpatialLrnConvention::Onednn) p.bias = 2.0;
  const Geometry g = Geometry::interleaved(width, height, C);
  auto op = make_spatial_lrn(p, g);
  const auto stride = static_cast<std::ptrdiff_t>(m);
  std::vector<float> a(height * m), b(height * m);
  run_image(*op, {img.data(), stride}, {a.data(), stride});
  run_image(*op, {marked.data(), stride}, {b.data(), stride});
  const std::size_t first_same = static_cast<std::size_t>(size / 2) + 1;
  CHECK(std::memcmp(a.data() + first_same * m, b.data() + first_same * m,
                    (height - first_same) * m * sizeof(float)) == 0);
  // The rows that see the fraction differ (the two runs are of different images).
  CHECK(std::memcmp(a.data(), b.data(), first_same * m * sizeof(float)) != 0);
}
