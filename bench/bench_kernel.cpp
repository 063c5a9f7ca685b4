// Kernel speed as a ratio to memcpy: 12 MP RGB float image, radius 2, one thread.
//
// Usage: bench_kernel [--target scalar|sse4|avx2|avx3] [--runs N] [--width W] [--height H]
// Prints a markdown table of medians. Not a test: nothing is asserted.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "lrn/kernel.h"

namespace {

struct Options {
  std::optional<lrn::Target> target;  ///< best supported when unset
  int runs = 9;
  std::size_t width = 4000;
  std::size_t height = 3000;
};

constexpr std::size_t kChannels = 3;

std::optional<lrn::Target> parse_target(const std::string& name) {
  for (lrn::Target t : lrn::compiled_targets())
    if (name == lrn::target_name(t)) return t;
  return std::nullopt;
}

[[noreturn]] void usage_error(const std::string& why) {
  std::fprintf(stderr, "bench_kernel: error: %s\n", why.c_str());
  std::fprintf(stderr,
               "usage: bench_kernel [--target scalar|sse4|avx2|avx3] [--runs N] [--width W] "
               "[--height H]\n");
  std::exit(2);
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) usage_error("missing value after '" + arg + "'");
    const std::string value = argv[++i];
    if (arg == "--target") {
      o.target = parse_target(value);
      if (!o.target) usage_error("unknown or not compiled target '" + value + "'");
    } else if (arg == "--runs") {
      o.runs = std::max(1, std::atoi(value.c_str()));
    } else if (arg == "--width") {
      o.width = std::strtoull(value.c_str(), nullptr, 10);
    } else if (arg == "--height") {
      o.height = std::strtoull(value.c_str(), nullptr, 10);
    } else {
      usage_error("unknown option '" + arg + "'");
    }
  }
  return o;
}

struct Case {
  std::string name;
  std::function<void()> run;
  std::vector<double> ms;  ///< one wall time per round
};

/// Times every case once per round, rounds interleaved so that drift in machine load (the
/// benchmark host is shared and noisy) hits all cases alike rather than the last one measured.
void time_rounds(std::vector<Case>& cases, int rounds) {
  for (int r = 0; r < rounds; ++r) {
    for (Case& c : cases) {
      const auto start = std::chrono::steady_clock::now();
      c.run();
      const auto stop = std::chrono::steady_clock::now();
      c.ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// What one would write without thinking about speed: float maths and std::pow per value.
void naive_lrn(const lrn::LrnParams& p, const float* in, float* out, std::size_t pixels) {
  const int channels = static_cast<int>(kChannels);
  const float bias = static_cast<float>(p.bias);
  const float alpha = static_cast<float>(p.alpha);
  const float beta = static_cast<float>(p.beta);
  for (std::size_t i = 0; i < pixels; ++i) {
    const float* x = in + i * kChannels;
    float* y = out + i * kChannels;
    for (int c = 0; c < channels; ++c) {
      float sum = 0;
      for (int k = std::max(0, c - p.before); k <= std::min(channels - 1, c + p.after); ++k)
        sum += x[k] * x[k];
      y[c] = x[c] / std::pow(bias + alpha * sum, beta);
    }
  }
}

void print_table(const std::vector<Case>& cases) {
  const double memcpy_ms = median(cases.front().ms);
  std::printf("| case | median ms | x memcpy |\n|---|---:|---:|\n");
  for (const Case& c : cases) {
    const double ms = median(c.ms);
    std::printf("| %s | %.2f | %.2f |\n", c.name.c_str(), ms, ms / memcpy_ms);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse_options(argc, argv);
  const std::size_t pixels = o.width * o.height;
  const std::size_t floats = pixels * kChannels;

  std::vector<float> in(floats);
  std::vector<float> out(floats, 0.0f);  // zero-filled: pages faulted in before timing
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> value(0.0f, 255.0f);
  for (float& v : in) v = value(rng);

  lrn::LrnParams p = lrn::LrnParams::tf(2, 1.0, 0.001 / 9, 0.75);
  const std::vector<lrn::Target> supported = lrn::supported_targets();
  const lrn::Target target = o.target ? *o.target : supported.front();
  if (std::find(supported.begin(), supported.end(), target) == supported.end())
    usage_error(std::string("this CPU cannot run target '") + lrn::target_name(target) + "'");
  const lrn::Kernel fast(p, kChannels, target);
  p.beta = 0.6;
  const lrn::Kernel general(p, kChannels, target);
  p.beta = 0.75;

  // The same bytes as the kernel reads and writes: all of in, copied over all of out.
  std::vector<Case> cases = {
      {"memcpy in -> out",
       [&] { std::memcpy(out.data(), in.data(), floats * sizeof(float)); }, {}},
      {"lrn beta 0.75 (sqrt/div path)",
       [&] { fast.run(in.data(), out.data(), pixels); }, {}},
      {"lrn beta 0.6 (exp/log in double)",
       [&] { general.run(in.data(), out.data(), pixels); }, {}},
      {"naive scalar loop, std::pow (float), beta 0.75",
       [&] { naive_lrn(p, in.data(), out.data(), pixels); }, {}},
  };
  time_rounds(cases, o.runs);

  std::printf("%zux%zu, %zu channels float HWC, values 0..255, radius 2, 1 thread, target %s, "
              "median of %d runs\n\n",
              o.width, o.height, kChannels, lrn::target_name(target), o.runs);
  print_table(cases);
  return 0;
}
