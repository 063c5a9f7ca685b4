// What lcn's 6x memcpy target (issue 13) is up against: the 12 MP RGB float image of
// bench_family through pieces of lcn's work, next to memcpy of the same bytes and the two lcn
// kernels, interleaved in one process (median of --runs rounds, the thread's CPU time).
//
//   build/bench/bench_lcn_bound [--runs N]
//
// - "channel sums": each row's per-pixel sum of its three channels in double (detail::sum3, row
//   by row): reading the input once, as every window's fill does.
// - "one box 9 window" (the block scheme of spatial-lrn and lms, and the plain unit taps lcn's
//   torch7 now sums), "one Gaussian 9 window": detail::window_sums over those sums (the fill
//   above, the vertical and horizontal passes; nothing done with the sums): one window of
//   lcn's. torch7 makes two (mean, deviation), jarrett four (both again in its statistics pass).
// - "divide pass": detail::centre_roots_divide3 over every row (a square root, a division, the
//   centring and the float store per pixel): the output pass's last step alone.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "lrn/family/lcn.h"
#include "lrn/family/loops.h"
#include "lrn/family/window.h"
#include "pipeline/driver.h"

#include "bench_util.h"

using bench::median;
using bench::thread_cpu_ms;

using namespace lrn::family;

namespace {

struct Case {
  std::string name;
  std::function<void()> run;
  std::vector<double> cpu_ms;
};

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "bench_lcn_bound: error: unknown option '%s'\n", a.c_str());
      return 2;
    }
  }
  const std::size_t w = 4000, h = 3000, C = 3, n = w * h * C;
  std::vector<float> in(n), out(n);
  std::mt19937 rng(1);  // bench_family's image: 8-bit noise (integers 0..255)
  std::uniform_real_distribution<float> d(0, 255);
  for (float& v : in) v = std::floor(d(rng));
  const Geometry g = Geometry::interleaved(w, h, C);
  const auto stride = static_cast<std::ptrdiff_t>(w * C);
  std::vector<double> row(w), zeros(w, 0.0), sums(w, 3e5);
  volatile double sink = 0;

  auto window = [&](const detail::Taps& t) {
    double s = 0;
    detail::window_sums(
        t, w, h, 1, 0, h, 0, w,
        [&](std::size_t y, std::size_t x0, std::size_t x1, double* dst) {
          detail::sum3(&in[(y * w + x0) * C], dst, x1 - x0);
        },
        [&](std::size_t, std::size_t, std::size_t, const double* v) { s += v[0]; });
    sink = s;
  };
  auto lcn = [&](LcnConvention c) {
    std::shared_ptr<Operation> op(make_lcn(LcnParams::defaults(c), g));
    return [&, op] { run_image(*op, {in.data(), stride}, {out.data(), stride}); };
  };
  std::vector<Case> cases = {
      {"memcpy", [&] { std::memcpy(out.data(), in.data(), n * sizeof(float)); }, {}},
      {"channel sums (the input read once)",
       [&] {
         for (std::size_t y = 0; y < h; ++y) detail::sum3(&in[y * w * C], row.data(), w);
         sink = row[0];
       },
       {}},
      {"one box 9 window, block scheme (with its fill)", [&] { window(detail::box_taps(9)); }, {}},
      {"one box 9 window, plain unit taps as lcn's (with its fill)",
       [&] {
         window(detail::Taps{std::vector<double>(9, 1.0), false});
       },
       {}},
      {"one Gaussian 9 window (with its fill)",
       [&] { window(detail::torch_gaussian_taps(9)); },
       {}},
      {"divide pass (centre_roots_divide3)",
       [&] {
         for (std::size_t y = 0; y < h; ++y)
           detail::centre_roots_divide3(&in[y * w * C], zeros.data(), sums.data(), 1.0 / 243, 1.0,
                                        nullptr, 0.0, &out[y * w * C], w);
       },
       {}},
      {"lcn torch7, box 9 (joint)", lcn(LcnConvention::Torch7), {}},
      {"lcn jarrett, Gaussian 9 (joint, 2 passes)", lcn(LcnConvention::Jarrett), {}},
  };
  for (int r = 0; r < runs; ++r)
    for (Case& c : cases) {
      const double c0 = thread_cpu_ms();
      c.run();
      c.cpu_ms.push_back(thread_cpu_ms() - c0);
    }
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 1) load[0] = -1;
  std::printf(
      "### lcn's bound: %zux%zu x %zu floats, one thread, median of %d rounds "
      "(load average %.1f)\n\n| case | CPU ms | x memcpy |\n|---|---:|---:|\n",
      w, h, C, runs, load[0]);
  const double base = median(cases.front().cpu_ms);
  for (const Case& c : cases)
    std::printf("| %s | %.1f | %.2f |\n", c.name.c_str(), median(c.cpu_ms),
                median(c.cpu_ms) / base);
  return 0;
}
