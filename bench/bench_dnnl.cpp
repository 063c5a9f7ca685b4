// lrn-img's kernel against oneDNN's LRN on (N, C, 55, 55) float32 tensors, both layouts, one
// thread, side by side in the same run: memcpy of the same bytes, lrn-img (run() on NHWC,
// run_planar() on NCHW) and oneDNN's best implementation for each layout (the one its
// primitive descriptor picks; its name is printed).
//
// Usage: bench_dnnl [--runs N] [--images N] [--channels C,C,...]
// Radius 2 (oneDNN local_size 5, alpha divided by 5 as oneDNN does), beta 0.75, bias 1.
// Prints a markdown table of medians. Not a test: nothing is asserted (the two results are
// compared, and the largest relative difference is printed, so both compute the same LRN).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "lrn/kernel.h"

#include "bench_util.h"

using bench::median;

namespace {

constexpr std::size_t kH = 55, kW = 55;
constexpr float kAlphaTf = 1e-4f / 5, kBeta = 0.75f, kBias = 1.0f;

// Runs fn once and appends its wall time in ms.
void time_ms(const std::function<void()>& fn, std::vector<double>* all) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  const auto t1 = std::chrono::steady_clock::now();
  all->push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
}

struct Dnnl {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  dnnl::lrn_forward prim;
  dnnl::memory src, dst;
  std::string impl;

  Dnnl(std::size_t n, std::size_t c, dnnl::memory::format_tag tag, float* in, float* out) {
    const dnnl::memory::dims dims = {static_cast<long>(n), static_cast<long>(c), kH, kW};
    const dnnl::memory::desc md(dims, dnnl::memory::data_type::f32, tag);
    const dnnl::lrn_forward::desc d(dnnl::prop_kind::forward_inference,
                                    dnnl::algorithm::lrn_across_channels, md, 5, kAlphaTf * 5,
                                    kBeta, kBias);
    const dnnl::lrn_forward::primitive_desc pd(d, engine);
    impl = pd.impl_info_str();
    prim = dnnl::lrn_forward(pd);
    src = dnnl::memory(md, engine, in);
    dst = dnnl::memory(md, engine, out);
  }
  void run() {
    prim.execute(stream, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
    stream.wait();
  }
};

double max_rel(const std::vector<float>& a, const std::vector<float>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    m = std::max(m, std::abs(double(a[i]) - b[i]) / std::max(1e-30, std::abs(double(b[i]))));
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  // One thread: libgomp reads OMP_NUM_THREADS when it is loaded, so set it and start again.
  const char* omp = std::getenv("OMP_NUM_THREADS");
  if (!omp || std::strcmp(omp, "1") != 0) {
    setenv("OMP_NUM_THREADS", "1", 1);
    execv("/proc/self/exe", argv);
    std::perror("bench_dnnl: execv");
    return 1;
  }
  int runs = 15;
  std::size_t images = 8;
  std::vector<std::size_t> channels = {3, 16, 96, 256};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i], v = argv[i + 1];
    if (a == "--runs") runs = std::max(1, std::atoi(v.c_str()));
    else if (a == "--images") images = std::strtoull(v.c_str(), nullptr, 10);
    else if (a == "--channels") {
      channels.clear();
      for (std::size_t p = 0; p < v.size();) {
        channels.push_back(std::strtoull(v.c_str() + p, nullptr, 10));
        const auto comma = v.find(',', p);
        if (comma == std::string::npos) break;
        p = comma + 1;
      }
    } else {
      std::fprintf(stderr, "usage: bench_dnnl [--runs N] [--images N] [--channels C,C,...]\n");
      return 2;
    }
  }
  lrn::LrnParams p;
  p.before = p.after = 2;
  p.alpha = kAlphaTf;
  p.beta = kBeta;
  p.bias = kBias;

  std::printf(
      "oneDNN %d.%d.%d, one thread (OMP_NUM_THREADS=1), %d runs, (%zu, C, %zu, %zu) "
      "float32, radius 2 / local_size 5, beta 0.75\n\n",
      dnnl_version()->major, dnnl_version()->minor, dnnl_version()->patch, runs, images, kH, kW);
  std::printf(
      "| C | layout | memcpy ms | lrn-img ms | lrn-img x memcpy | oneDNN impl | oneDNN ms "
      "| oneDNN x memcpy | oneDNN / lrn-img | max rel diff |\n");
  std::printf("|---:|---|---:|---:|---:|---|---:|---:|---:|---:|\n");
  for (const std::size_t c : channels) {
    const std::size_t hw = kH * kW, count = images * c * hw;
    std::vector<float> in(count), out_lrn(count), out_dnnl(count), copy(count);
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> dist(-50, 50);
    for (auto& v : in) v = dist(rng);
    const lrn::Kernel kernel(p, c);
    for (const bool planar : {true, false}) {
      Dnnl dnnl(images, c, planar ? dnnl::memory::format_tag::nchw : dnnl::memory::format_tag::nhwc,
                in.data(), out_dnnl.data());
      auto lrn_run = [&] {
        if (!planar) return kernel.run(in.data(), out_lrn.data(), images * hw);
        for (std::size_t n = 0; n < images; ++n)
          kernel.run_planar(in.data() + n * c * hw, hw, out_lrn.data() + n * c * hw, hw, hw);
      };
      std::vector<double> t_copy, t_lrn, t_dnnl;
      // Interleaved, so machine noise hits all three alike; one warm-up each.
      std::memcpy(copy.data(), in.data(), count * 4);
      lrn_run();
      dnnl.run();
      for (int r = 0; r < runs; ++r) {
        time_ms([&] { std::memcpy(copy.data(), in.data(), count * 4); }, &t_copy);
        time_ms(lrn_run, &t_lrn);
        time_ms([&] { dnnl.run(); }, &t_dnnl);
      }
      const double mc = median(t_copy), ml = median(t_lrn), md = median(t_dnnl);
      std::printf("| %zu | %s | %.3f | %.3f | %.2f | %s | %.3f | %.2f | %.2f | %.1e |\n", c,
                  planar ? "nchw" : "nhwc", mc, ml, ml / mc, dnnl.impl.c_str(), md, md / mc,
                  md / ml, max_rel(out_lrn, out_dnnl));
      std::fflush(stdout);
    }
  }
  return 0;
}
