// Normalization-family kernels as a ratio to memcpy: 12 MP RGB float image (HWC), one thread.
//
// Usage: bench_family [--runs N] [--width W] [--height H] [--only SUBSTRING]
// Prints a markdown table of medians over interleaved rounds, of wall time and of the thread's
// CPU time (the bench host is shared: under load, wall-time ratios mean little, CPU-time
// ratios still compare the work). Not a test: nothing is asserted.
// Each case runs the operation over the whole image through pipeline/driver.h (two-pass
// methods: the statistics pass and the output pass both count).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "lrn/family/gcn.h"
#include "lrn/family/lcn.h"
#include "lrn/family/lms.h"
#include "lrn/family/spatial_lrn.h"
#include "pipeline/driver.h"

#include "bench_util.h"

using bench::median;
using bench::thread_cpu_ms;

using namespace lrn::family;

namespace {

struct Case {
  std::string name, target;
  std::function<void()> run;
  std::vector<double> ms, cpu_ms;
};

}  // namespace

int main(int argc, char** argv) {
  int runs = 7;
  std::size_t w = 4000, h = 3000;
  std::string only;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--runs") runs = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--width") w = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--height") h = std::strtoull(argv[i + 1], nullptr, 10);
    else if (a == "--only") only = argv[i + 1];
    else {
      std::fprintf(stderr, "bench_family: error: unknown option '%s'\n", a.c_str());
      return 2;
    }
  }
  const std::size_t C = 3, n = w * h * C;
  // The image as lrn-img's codecs hand an 8-bit RGB photo to the methods (integers 0..255 at
  // the default --pixel-scale), and the same noise as arbitrary floats (a .npy, or a 16-bit
  // image): spatial-lrn's box sums take an exact float path on the first (box_exact.h).
  std::vector<float> in(n), in_float(n), out(n);
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> d(0, 255);
  for (std::size_t i = 0; i < n; ++i) {
    in_float[i] = d(rng);
    in[i] = std::floor(in_float[i]);
  }
  const Geometry g = Geometry::interleaved(w, h, C);
  const auto stride = static_cast<std::ptrdiff_t>(w * C);

  std::vector<Case> cases;
  cases.push_back(
      {"memcpy", "", [&] { std::memcpy(out.data(), in.data(), n * sizeof(float)); }, {}, {}});
  auto add = [&](const std::string& name, const std::string& target,
                 std::unique_ptr<Operation> op, const std::vector<float>* src = nullptr) {
    if (!only.empty() && name.find(only) == std::string::npos) return;
    std::shared_ptr<Operation> shared(std::move(op));
    cases.push_back({name,
                     target,
                     [&, shared, src] {
                       const float* from = (src ? *src : in).data();
                       run_image(*shared, {from, stride}, {out.data(), stride});
                     },
                     {},
                     {}});
  };
  SpatialLrnParams s5;
  add("spatial-lrn caffe, size 5", "<= 2.5", make_spatial_lrn(s5, g));
  SpatialLrnParams s15;
  s15.size = 15;
  add("spatial-lrn caffe, size 15", "<= 2.5", make_spatial_lrn(s15, g));
  add("spatial-lrn caffe, size 5, float input", "", make_spatial_lrn(s5, g), &in_float);
  add("spatial-lrn caffe, size 15, float input", "", make_spatial_lrn(s15, g), &in_float);
  add("lcn torch7, box 9 (joint)", "<= 6", make_lcn(LcnParams::defaults(LcnConvention::Torch7), g));
  add("lcn jarrett, Gaussian 9 (joint, 2 passes)", "<= 6",
      make_lcn(LcnParams::defaults(LcnConvention::Jarrett), g));
  add("lcn pylearn2, Gaussian 7 (per channel, 2 passes)", "",
      make_lcn(LcnParams::defaults(LcnConvention::Pylearn2), g));
  add("lcn pinto, box 3", "", make_lcn(LcnParams::defaults(LcnConvention::Pinto), g));
  add("lms torch7, box 9", "", make_lms(LmsParams{}, g));
  add("gcn pylearn2 (2 passes)", "", make_gcn(GcnParams{}, g));

  for (int r = 0; r < runs; ++r)
    for (Case& c : cases) {
      const double c0 = thread_cpu_ms();
      const auto t0 = std::chrono::steady_clock::now();
      c.run();
      const auto t1 = std::chrono::steady_clock::now();
      c.cpu_ms.push_back(thread_cpu_ms() - c0);
      c.ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
  const double base = median(cases.front().ms), cpu_base = median(cases.front().cpu_ms);
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 1) load[0] = -1;
  std::printf(
      "### Normalization family: %zux%zu x %zu floats, one thread, median of %d rounds "
      "(load average %.1f)\n\n",
      w, h, C, runs, load[0]);
  std::printf(
      "| case | wall ms | x memcpy (wall) | CPU ms | x memcpy (CPU) | target |\n"
      "|---|---:|---:|---:|---:|---:|\n");
  for (const Case& c : cases)
    std::printf("| %s | %.1f | %.2f | %.1f | %.2f | %s |\n", c.name.c_str(), median(c.ms),
                median(c.ms) / base, median(c.cpu_ms), median(c.cpu_ms) / cpu_base,
                c.target.c_str());
  return 0;
}
