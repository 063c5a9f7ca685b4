// The family's vector loops (lrn/family/loops.h) against plain loops: the four-row box scans,
// the four-row transposes and the one-pass weighted sums, for every lane count the operations
// use (compile-time ones and the runtime fallback), window sizes and strip offsets.
#include <cmath>
#include <cstddef>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "lrn/family/loops.h"

using namespace lrn::family::detail;

TEST_CASE("family loops: four-row box sums equal the plain window sums", "[family][loops]") {
  const std::size_t lanes = GENERATE(1, 2, 3, 4, 5, 6, 16);
  const std::size_t n = GENERATE(1, 3, 5, 9, 15);
  const std::size_t sx = GENERATE(0, 4, 7, 30);
  const std::size_t r = n / 2, ex = sx + 37, span = ex - sx + 2 * r, P = 4 * lanes;
  // Small integers: every order of adds gives the same exact sums.
  std::mt19937 rng(static_cast<unsigned>(lanes * 1000 + n * 10 + sx));
  std::uniform_int_distribution<int> d(-50, 50);
  std::vector<double> v(span * P), out((ex - sx) * P, -1.0), suf(n * P);
  for (double& x : v) x = d(rng);
  box_sums4(v.data(), sx, ex, lanes, n, suf.data(), out.data());
  std::size_t bad = 0;
  for (std::size_t x = 0; x < ex - sx; ++x)
    for (std::size_t l = 0; l < P; ++l) {
      double s = 0;
      for (std::size_t q = 0; q < n; ++q) s += v[(x + q) * P + l];
      bad += s != out[x * P + l];
    }
  CHECK(bad == 0);
}

TEST_CASE("family loops: interleaving four row sums and back", "[family][loops]") {
  const std::size_t m = GENERATE(1, 3, 4, 5, 17, 64);
  std::vector<double> a(4 * m), b(4 * m), t(4 * m), back(4 * m);
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = 0.5 * static_cast<double>(i);
    b[i] = -1.0 * static_cast<double>(i % 7);
  }
  const double* ra[4] = {&a[0], &a[m], &a[2 * m], &a[3 * m]};
  const double* rb[4] = {&b[0], &b[m], &b[2 * m], &b[3 * m]};
  double* ro[4] = {&back[0], &back[m], &back[2 * m], &back[3 * m]};
  interleave4_add(ra, rb, t.data(), m);
  std::size_t bad = 0;
  for (std::size_t j = 0; j < m; ++j)
    for (std::size_t k = 0; k < 4; ++k) bad += t[4 * j + k] != ra[k][j] + rb[k][j];
  CHECK(bad == 0);
  deinterleave4(t.data(), ro, m);
  for (std::size_t k = 0; k < 4; ++k)
    for (std::size_t j = 0; j < m; ++j) bad += ro[k][j] != ra[k][j] + rb[k][j];
  CHECK(bad == 0);
}

TEST_CASE("family loops: weighted rows add the taps in order", "[family][loops]") {
  const std::size_t count = GENERATE(0, 1, 2, 7, 9);
  const std::size_t m = GENERATE(1, 5, 16, 37, 100);
  std::mt19937 rng(static_cast<unsigned>(count * 131 + m));
  std::uniform_real_distribution<double> d(-3, 3);
  std::vector<std::vector<double>> rows(count, std::vector<double>(m));
  std::vector<const double*> ptr;
  std::vector<double> w(count), out(m, -1.0);
  for (std::size_t p = 0; p < count; ++p) {
    for (double& x : rows[p]) x = d(rng);
    w[p] = d(rng);
    ptr.push_back(rows[p].data());
  }
  weighted_rows(ptr.data(), w.data(), count, out.data(), m);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < m; ++i) {
    double s = 0;  // the same order as the loop promises: bit for bit
    for (std::size_t p = 0; p < count; ++p) s = s + w[p] * rows[p][i];
    bad += s != out[i];
  }
  CHECK(bad == 0);
}

TEST_CASE("family loops: centring with the squares equals centring, then the squares",
          "[family][loops]") {
  const std::size_t n = GENERATE(1, 3, 4, 5, 17, 341);
  const bool columns = GENERATE(false, true);
  std::mt19937 rng(static_cast<unsigned>(n * 2 + columns));
  std::uniform_real_distribution<float> d(0, 255);
  std::uniform_real_distribution<double> e(0.5, 2);
  std::vector<float> x(3 * n);
  std::vector<double> s(n), icm(n), v1(3 * n), v2(3 * n, -1.0), q1(n), q2(n, -1.0);
  for (float& a : x) a = d(rng);
  for (std::size_t i = 0; i < n; ++i) s[i] = 3 * d(rng), icm[i] = e(rng);
  const double* c = columns ? icm.data() : nullptr;
  centre3(x.data(), s.data(), 1.0 / 243, c, v1.data(), n);
  sum3_squares(v1.data(), q1.data(), n);
  centre3_squares(x.data(), s.data(), 1.0 / 243, c, v2.data(), q2.data(), n);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < 3 * n; ++i) bad += v1[i] != v2[i];
  for (std::size_t i = 0; i < n; ++i) {
    const double a = v1[3 * i], b = v1[3 * i + 1], f = v1[3 * i + 2];
    bad += q2[i] != ((0.0 + a * a) + b * b) + f * f;  // sum3_squares' documented order
    bad += q1[i] != q2[i];
  }
  CHECK(bad == 0);
}

TEST_CASE("family loops: the divisions of packed RGB, alone and fused with the roots",
          "[family][loops]") {
  const std::size_t n = GENERATE(1, 3, 4, 5, 17, 255, 256, 257, 341, 600);
  const bool columns = GENERATE(false, true);
  const double floor = GENERATE(-std::numeric_limits<double>::infinity(), 0.0, 1.0, 4.0);
  std::mt19937 rng(static_cast<unsigned>(n * 3 + columns));
  std::uniform_real_distribution<double> d(-100, 100);
  std::uniform_real_distribution<double> e(0.5, 2);
  std::vector<double> v(3 * n), s(n), icm(n), den(n);
  for (double& a : v) a = d(rng);
  for (std::size_t i = 0; i < n; ++i) s[i] = i % 7 == 0 ? -d(rng) * d(rng) : 40 * d(rng) * d(rng);
  for (std::size_t i = 0; i < n; ++i) icm[i] = e(rng);
  if (n > 4) s[3] = 0;  // a zero divisor
  const double* c = columns ? icm.data() : nullptr;
  const double inside = 1.0 / 243, scale = 1.25;
  std::vector<float> y1(3 * n, -1.0f), y2(3 * n, -2.0f), want(3 * n);
  roots(s.data(), inside, scale, c, den.data(), n);
  divide3(v.data(), den.data(), floor, y1.data(), n);
  roots_divide3(v.data(), s.data(), inside, scale, c, floor, y2.data(), n);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    // The documented steps, one pixel at a time.
    const double p = s[i] * inside;
    const double r = std::sqrt(p < 0 ? 0.0 : p) * (columns ? scale * icm[i] : 1.0);
    bad += r != den[i];
    const double dd = r > floor ? r : floor;
    const double q = dd > 0 ? 1 / dd : 0.0;
    for (std::size_t k = 0; k < 3; ++k) want[3 * i + k] = static_cast<float>(v[3 * i + k] * q);
  }
  for (std::size_t i = 0; i < 3 * n; ++i) bad += want[i] != y1[i] || want[i] != y2[i];
  CHECK(bad == 0);
}

TEST_CASE("family loops: keeping the means, then centring as the divisions are made",
          "[family][loops]") {
  // means3_squares + centre_roots_divide3 (lcn's output pass of joint packed RGB) against
  // centre3_squares + roots_divide3 and the documented steps one pixel at a time.
  const std::size_t n = GENERATE(1, 3, 4, 5, 17, 255, 256, 257, 341, 600);
  const bool columns = GENERATE(false, true);
  const double floor = GENERATE(-std::numeric_limits<double>::infinity(), 0.0, 1e-4, 4.0);
  std::mt19937 rng(static_cast<unsigned>(n * 5 + columns));
  std::uniform_real_distribution<float> d(0, 255);
  std::uniform_real_distribution<double> e(0.5, 2);
  std::vector<float> x(3 * n);
  std::vector<double> s(n), s2(n), icm(n), m(n, -1.0), q1(n), q2(n, -1.0), v(3 * n);
  for (float& a : x) a = d(rng);
  for (std::size_t i = 0; i < n; ++i)
    s[i] = 3 * d(rng), s2[i] = i % 7 == 0 ? -d(rng) : 40 * d(rng) * d(rng), icm[i] = e(rng);
  if (n > 4) s2[3] = 0;  // a zero divisor
  const double* c = columns ? icm.data() : nullptr;
  const double mscale = 1.0 / 243, inside = 1.0 / 243, scale = 1.25;
  centre3_squares(x.data(), s.data(), mscale, c, v.data(), q1.data(), n);
  means3_squares(x.data(), s.data(), mscale, c, m.data(), q2.data(), n);
  std::vector<double> q3(n, -3.0);
  means3_squares(x.data(), s.data(), mscale, c, nullptr, q3.data(), n);
  std::vector<float> y1(3 * n, -1.0f), y2(3 * n, -2.0f);
  roots_divide3(v.data(), s2.data(), inside, scale, c, floor, y1.data(), n);
  centre_roots_divide3(x.data(), m.data(), s2.data(), inside, scale, c, floor, y2.data(), n);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double mi = s[i] * (columns ? mscale * icm[i] : mscale);
    bad += m[i] != mi || q1[i] != q2[i] || q1[i] != q3[i];
    const double p = s2[i] * inside;
    const double r = std::sqrt(p < 0 ? 0.0 : p) * (columns ? scale * icm[i] : 1.0);
    const double dd = r > floor ? r : floor;
    const double q = dd > 0 ? 1 / dd : 0.0;
    for (std::size_t k = 0; k < 3; ++k) {
      const auto want = static_cast<float>((x[3 * i + k] - mi) * q);
      bad += y1[3 * i + k] != want || y2[3 * i + k] != want;
    }
  }
  CHECK(bad == 0);
}
