// The separable window sums (lrn/family/window.h): window_sums over filled rows against plain
// sums, and window_sums_rows (rows read in place) against window_sums, bit for bit.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "lrn/family/window.h"

using namespace lrn::family::detail;

namespace {

/// The plain 2-D window sum at (y, x, lane l): w[p] w[q] img(y + p - r, x + q - r, l) over
/// the in-image (p, q), in (p, q) order (pixels outside count as 0), and the sum of the
/// terms' magnitudes. Unit weights (box taps) add the samples themselves exactly.
struct DirectSum {
  double sum = 0;
  double magnitude = 0;
};
DirectSum direct_sum(const std::vector<double>& img, std::size_t width, std::size_t height,
                     std::size_t lanes, const std::vector<double>& w, std::size_t y,
                     std::size_t x, std::size_t l) {
  const std::size_t n = w.size(), r = n / 2;
  DirectSum d;
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t q = 0; q < n; ++q) {
      const auto yy = static_cast<std::ptrdiff_t>(y + p) - static_cast<std::ptrdiff_t>(r);
      const auto xx = static_cast<std::ptrdiff_t>(x + q) - static_cast<std::ptrdiff_t>(r);
      if (yy < 0 || xx < 0 || yy >= static_cast<std::ptrdiff_t>(height) ||
          xx >= static_cast<std::ptrdiff_t>(width))
        continue;
      const double term =
          w[p] * w[q] *
          img[(static_cast<std::size_t>(yy) * width + static_cast<std::size_t>(xx)) * lanes + l];
      d.sum += term;
      d.magnitude += std::abs(term);
    }
  return d;
}

/// window_sums over the whole image img (height x width x lanes, packed), filled from it.
std::vector<double> whole_image_sums(const Taps& t, const std::vector<double>& img,
                                     std::size_t width, std::size_t height, std::size_t lanes) {
  std::vector<double> a(height * width * lanes, -7.0);
  window_sums(
      t, width, height, lanes, 0, height, 0, width,
      [&](std::size_t y, std::size_t xa, std::size_t xb, double* dst) {
        for (std::size_t i = 0; i < (xb - xa) * lanes; ++i)
          dst[i] = img[(y * width + xa) * lanes + i];
      },
      [&](std::size_t y, std::size_t xa, std::size_t xb, const double* s) {
        for (std::size_t i = 0; i < (xb - xa) * lanes; ++i) a[(y * width + xa) * lanes + i] = s[i];
      });
  return a;
}

}  // namespace

TEST_CASE("family window: rows read in place give window_sums' bits", "[family][window]") {
  const std::size_t n = GENERATE(1, 3, 5, 9, 15);
  const bool box = GENERATE(true, false);
  const std::size_t lanes = GENERATE(1, 3);
  const std::size_t width = 53, height = 41, r = n / 2;
  // Strips: the whole width, and a piece away from the left border.
  const std::size_t x0 = GENERATE(0, 7), x1 = x0 == 0 ? width : 29;
  const std::size_t y0 = GENERATE(0, 5), y1 = y0 == 0 ? height : 33;
  const Taps t = box ? box_taps(n) : torch_gaussian_taps(n);
  // Small integers for the box (every order of adds is exact: checked against plain sums);
  // any doubles for the Gaussian (checked against window_sums only).
  std::mt19937 rng(static_cast<unsigned>(n * 100 + box * 10 + lanes + x0 + y0));
  std::uniform_int_distribution<int> di(-40, 40);
  std::uniform_real_distribution<double> dd(-3, 3);
  std::vector<double> img(width * height * lanes);
  for (double& v : img) v = box ? di(rng) : dd(rng);
  auto fill = [&](std::size_t y, std::size_t xa, std::size_t xb, double* dst) {
    for (std::size_t i = 0; i < (xb - xa) * lanes; ++i) dst[i] = img[(y * width + xa) * lanes + i];
  };
  const std::size_t m = (x1 - x0) * lanes;
  std::vector<double> a((y1 - y0) * m, -7.0), b((y1 - y0) * m, -9.0);
  window_sums(t, width, height, lanes, y0, y1, x0, x1, fill,
              [&](std::size_t y, std::size_t xa, std::size_t xb, const double* s) {
                for (std::size_t i = 0; i < (xb - xa) * lanes; ++i)
                  a[(y - y0) * m + (xa - x0) * lanes + i] = s[i];
              });
  // The padded rows: columns [x0 - r, x1 + r), zeros outside the image.
  const std::size_t pm = (x1 - x0 + 2 * r) * lanes;
  std::vector<double> padded(height * pm, 0.0);
  for (std::size_t y = 0; y < height; ++y)
    for (std::size_t x = (x0 >= r ? x0 - r : 0); x < std::min(width, x1 + r); ++x)
      for (std::size_t l = 0; l < lanes; ++l)
        padded[y * pm + (x + r - x0) * lanes + l] = img[(y * width + x) * lanes + l];
  window_sums_rows(
      t, height, lanes, y0, y1, x0, x1, [&](std::size_t y) { return &padded[y * pm]; },
      [&](std::size_t y, std::size_t xa, std::size_t xb, const double* s) {
        for (std::size_t i = 0; i < (xb - xa) * lanes; ++i)
          b[(y - y0) * m + (xa - x0) * lanes + i] = s[i];
      });
  std::size_t bad = 0, off = 0;
  for (std::size_t i = 0; i < a.size(); ++i) bad += a[i] != b[i];
  CHECK(bad == 0);
  if (box) {
    for (std::size_t y = y0; y < y1; ++y)
      for (std::size_t x = x0; x < x1; ++x)
        for (std::size_t l = 0; l < lanes; ++l)
          off += direct_sum(img, width, height, lanes, t.w, y, x, l).sum !=
                 a[(y - y0) * m + (x - x0) * lanes + l];
    CHECK(off == 0);
  }
}

TEST_CASE("family window: Gaussian sums match a direct float64 2-D sum", "[family][window]") {
  // Symmetric taps fold pairs (w[p] (x[p] + x[n - 1 - p])): a different order of adds than the
  // plain sum over (p, q) below, so the two agree to rounding, not bit for bit. Rows of odd
  // and even count per tile, borders on every side, sizes on both sides of the unrolled radii,
  // the lane counts with their own horizontal loops (1, 3, 6) and one without (2).
  const std::size_t n = GENERATE(3, 7, 9, 15, 19);
  const bool sigma = GENERATE(false, true);
  const std::size_t lanes = GENERATE(1, 2, 3, 6);
  const std::size_t width = 37, height = 23;
  const Taps t = sigma ? sigma_gaussian_taps(n, 2.0) : torch_gaussian_taps(n);
  std::mt19937 rng(static_cast<unsigned>(n * 10 + sigma * 2 + lanes));
  std::uniform_real_distribution<double> dd(0, 255);
  std::vector<double> img(width * height * lanes);
  for (double& v : img) v = dd(rng);
  const std::vector<double> a = whole_image_sums(t, img, width, height, lanes);
  double worst = 0;
  for (std::size_t y = 0; y < height; ++y)
    for (std::size_t x = 0; x < width; ++x)
      for (std::size_t l = 0; l < lanes; ++l) {
        const DirectSum d = direct_sum(img, width, height, lanes, t.w, y, x, l);
        worst = std::max(worst, std::abs(a[(y * width + x) * lanes + l] - d.sum) / d.magnitude);
      }
  CHECK(worst < 1e-14);
}

TEST_CASE("family window: unit taps summed as plain taps match the direct 2-D sum",
          "[family][window]") {
  // lcn's torch7 and jarrett box windows of 3..11 taps: taps of 1 not marked box, so summed as
  // folded pairs (not the block scheme). Any doubles agree with the plain sum to rounding;
  // small integers (every order of adds exact) bit for bit.
  const std::size_t n = GENERATE(3, 5, 9, 11);
  const bool integers = GENERATE(false, true);
  const std::size_t lanes = GENERATE(1, 3);
  const std::size_t width = 37, height = 23;
  const Taps t{std::vector<double>(n, 1.0), false};
  std::mt19937 rng(static_cast<unsigned>(n * 10 + integers * 2 + lanes));
  std::uniform_real_distribution<double> dd(0, 255);
  std::uniform_int_distribution<int> di(-40, 40);
  std::vector<double> img(width * height * lanes);
  for (double& v : img) v = integers ? di(rng) : dd(rng);
  const std::vector<double> a = whole_image_sums(t, img, width, height, lanes);
  double worst = 0;
  std::size_t off = 0;
  for (std::size_t y = 0; y < height; ++y)
    for (std::size_t x = 0; x < width; ++x)
      for (std::size_t l = 0; l < lanes; ++l) {
        const DirectSum d = direct_sum(img, width, height, lanes, t.w, y, x, l);
        const double s = a[(y * width + x) * lanes + l];
        off += s != d.sum;
        worst = std::max(worst, std::abs(s - d.sum) / d.magnitude);
      }
  if (integers) CHECK(off == 0);
  CHECK(worst < 1e-14);
}
