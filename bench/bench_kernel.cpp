// Kernel speed as a ratio to memcpy: 12 MP RGB float image, radius 2, one thread.
//
// Usage: bench_kernel [--target scalar|sse4|avx2|avx3] [--runs N] [--width W] [--height H]
//                     [--section kernel|convert|tensor|all]
// Prints a markdown table of medians. Not a test: nothing is asserted.
// --section convert (or all) times the sample conversions of lrn/convert.h instead (or as
// well): the loops pipeline.cpp had, the Scalar target and the SIMD target, over the whole
// image (memory-bound) and over one cache-sized block again and again (as the pipeline
// converts them).
// --section tensor (or all) times the kernel on (8, C, 55, 55) float32 arrays, C = 3, 16, 96,
// 256, in both layouts: NCHW through run_planar (one call per image) and NHWC through run,
// against memcpy of the same bytes, interleaved.
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

#include "lrn/convert.h"
#include "lrn/kernel.h"

#include "bench_util.h"

using bench::median;

namespace {

struct Options {
  std::optional<lrn::Target> target;  ///< best supported when unset
  int runs = 9;
  std::size_t width = 4000;
  std::size_t height = 3000;
  bool kernel = true;    ///< the kernel table
  bool convert = false;  ///< the conversions table
  bool tensor = false;   ///< the (8, C, 55, 55) table
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
               "[--height H] [--section kernel|convert|tensor|all]\n");
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
    } else if (arg == "--section") {
      if (value != "kernel" && value != "convert" && value != "tensor" && value != "all")
        usage_error("unknown section '" + value + "'");
      o.kernel = value == "kernel" || value == "all";
      o.convert = value == "convert" || value == "all";
      o.tensor = value == "tensor" || value == "all";
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

// ---------------------------------------------------------------------------------------
// Sample conversions.

// The loops src/pipeline/pipeline.cpp ran before lrn/convert.h, with no alpha (in and out have
// `channels` samples per pixel, so the strides equal the channel count). Not inlined nor
// specialised on the constant strides (GCC's IPA-CP would), as they are run-time values there.
#if defined(__GNUC__) && !defined(__clang__)
#define LRN_BENCH_OPAQUE __attribute__((noipa))
#else
#define LRN_BENCH_OPAQUE __attribute__((noinline))
#endif
template <typename T>
LRN_BENCH_OPAQUE void pipeline_to_floats(const T* src, std::size_t pixels, std::size_t inc,
                                         std::size_t color, float scale, float* dst) {
  for (std::size_t i = 0; i < pixels; ++i)
    for (std::size_t c = 0; c < color; ++c)
      dst[i * color + c] = static_cast<float>(src[i * inc + c]) * scale;
}

struct PipelineQuantiser {
  float scale, offset, full;
  float operator()(float v) const {
    float s = v * scale + offset;
    if (!(s > 0)) return 0;
    return s < full ? s + 0.5f : full + 0.5f;
  }
};

template <typename T>
LRN_BENCH_OPAQUE void pipeline_quantise(const float* f, std::size_t pixels, std::size_t color,
                                        std::size_t outc, const PipelineQuantiser& q, T* dst) {
  for (std::size_t i = 0; i < pixels; ++i)
    for (std::size_t c = 0; c < color; ++c) dst[i * outc + c] = static_cast<T>(q(f[i * color + c]));
}

/// Calls f(offset, count) over [0, total) in pieces of `block` (block 0: one piece), or, when
/// `repeat_first`, over [0, block) total / block times: the same cache-resident data again.
template <class F>
void in_blocks(std::size_t total, std::size_t block, bool repeat_first, const F& f) {
  if (block == 0 || block >= total) return f(std::size_t{0}, total);
  for (std::size_t at = 0; at < total; at += block)
    f(repeat_first ? 0 : at, std::min(block, total - at));
}

void bench_convert(const Options& o, lrn::Target target, const std::vector<float>& in,
                   std::vector<float>& out) {
  const std::size_t n = in.size();
  std::vector<std::uint8_t> u8(n), u8_out(n, 0);
  std::vector<std::uint16_t> u16(n), u16_out(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    u8[i] = static_cast<std::uint8_t>(in[i]);
    u16[i] = static_cast<std::uint16_t>(in[i] * 257.0f);
  }
  // What the pipeline uses: 1/255 in, 255 out (pixel_scale 1), and a rescale-like affine map.
  const float to_float = 1.0f / 255, to_float16 = 1.0f / 65535;
  const float q_scale = 255.0f / 240.0f, q_offset = -3.0f * q_scale;
  const float q_scale16 = q_scale * 257.0f, q_offset16 = q_offset * 257.0f;
  const PipelineQuantiser pq{q_scale, q_offset, 255.0f}, pq16{q_scale16, q_offset16, 65535.0f};
  const char* simd = lrn::target_name(target);
  const lrn::Target scalar = lrn::Target::Scalar;
  // The pipeline's row blocks are ~256 KB of floats: ~64 K samples, whole pixels.
  constexpr std::size_t kBlock = kChannels * 21 * 1024;

  std::printf(
      "\n### Sample conversions: %zu samples (%zux%zu x %zu), target %s, median of %d "
      "runs\n\n",
      n, o.width, o.height, kChannels, simd, o.runs);
  std::printf(
      "| conversion | data | pipeline.cpp loop ms | scalar target ms | %s ms | "
      "speed-up vs loop |\n|---|---|---:|---:|---:|---:|\n",
      simd);
  for (const bool cached : {false, true}) {
    const std::size_t block = cached ? kBlock : 0;
    const char* data = cached ? "64 K-sample block, repeated (cache)" : "whole image (memory)";
    std::vector<Case> cases;
    auto add3 = [&](const std::string& name, std::function<void(std::size_t, std::size_t)> loop,
                    std::function<void(std::size_t, std::size_t, lrn::Target)> conv) {
      cases.push_back({name, [=] { in_blocks(n, block, cached, loop); }, {}});
      cases.push_back(
          {name,
           [=] { in_blocks(n, block, cached, [&](auto a, auto c) { conv(a, c, scalar); }); },
           {}});
      cases.push_back(
          {name,
           [=] { in_blocks(n, block, cached, [&](auto a, auto c) { conv(a, c, target); }); },
           {}});
    };
    add3(
        "u8 -> f32",
        [&](std::size_t a, std::size_t c) {
          pipeline_to_floats(u8.data() + a, c / kChannels, kChannels, kChannels, to_float,
                             out.data() + a);
        },
        [&](std::size_t a, std::size_t c, lrn::Target t) {
          lrn::u8_to_f32(u8.data() + a, out.data() + a, c, to_float, t);
        });
    add3(
        "u16 -> f32",
        [&](std::size_t a, std::size_t c) {
          pipeline_to_floats(u16.data() + a, c / kChannels, kChannels, kChannels, to_float16,
                             out.data() + a);
        },
        [&](std::size_t a, std::size_t c, lrn::Target t) {
          lrn::u16_to_f32(u16.data() + a, out.data() + a, c, to_float16, t);
        });
    add3(
        "f32 -> u8",
        [&](std::size_t a, std::size_t c) {
          pipeline_quantise(in.data() + a, c / kChannels, kChannels, kChannels, pq,
                            u8_out.data() + a);
        },
        [&](std::size_t a, std::size_t c, lrn::Target t) {
          lrn::f32_to_u8(in.data() + a, u8_out.data() + a, c, q_scale, q_offset, t);
        });
    add3(
        "f32 -> u16",
        [&](std::size_t a, std::size_t c) {
          pipeline_quantise(in.data() + a, c / kChannels, kChannels, kChannels, pq16,
                            u16_out.data() + a);
        },
        [&](std::size_t a, std::size_t c, lrn::Target t) {
          lrn::f32_to_u16(in.data() + a, u16_out.data() + a, c, q_scale16, q_offset16, t);
        });
    time_rounds(cases, o.runs);
    for (std::size_t i = 0; i < cases.size(); i += 3) {
      const double loop = median(cases[i].ms), ref = median(cases[i + 1].ms),
                   fast = median(cases[i + 2].ms);
      std::printf("| %s | %s | %.2f | %.2f | %.2f | %.1fx |\n", cases[i].name.c_str(), data, loop,
                  ref, fast, loop / fast);
    }
  }
}

// ---------------------------------------------------------------------------------------
// Tensors: (N, C, H, W) = (8, C, 55, 55), AlexNet's first LRN size.

void bench_tensor(const Options& o, lrn::Target target) {
  constexpr std::size_t kImages = 8, kPlane = 55 * 55;
  const lrn::LrnParams p = lrn::LrnParams::tf(2, 1.0, 0.001 / 9, 0.75);
  std::printf(
      "\n### (8, C, 55, 55) float32, radius 2, beta 0.75, 1 thread, target %s, median "
      "of %d runs\n\n",
      lrn::target_name(target), o.runs);
  std::printf(
      "| C | memcpy ms | NCHW run_planar ms | x memcpy | NHWC run ms | x memcpy |\n"
      "|---:|---:|---:|---:|---:|---:|\n");
  for (std::size_t channels : {3, 16, 96, 256}) {
    const std::size_t floats = kImages * channels * kPlane;
    std::vector<float> in(floats), out(floats, 0.0f);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> value(0.0f, 255.0f);
    for (float& v : in) v = value(rng);
    const lrn::Kernel k(p, channels, target);
    // Small arrays are timed over several passes, so that each time is well above the clock.
    const std::size_t passes = std::max<std::size_t>(1, (std::size_t{1} << 23) / floats);
    auto repeat = [passes](auto f) {
      return [passes, f] {
        for (std::size_t r = 0; r < passes; ++r) f();
      };
    };
    std::vector<Case> cases = {
        {"memcpy", repeat([&] { std::memcpy(out.data(), in.data(), floats * sizeof(float)); }), {}},
        {"nchw",
         repeat([&] {
           for (std::size_t n = 0; n < kImages; ++n)
             k.run_planar(in.data() + n * channels * kPlane, kPlane,
                          out.data() + n * channels * kPlane, kPlane, kPlane);
         }),
         {}},
        {"nhwc", repeat([&] { k.run(in.data(), out.data(), kImages * kPlane); }), {}},
    };
    time_rounds(cases, o.runs);
    const double n = static_cast<double>(passes);
    const double copy = median(cases[0].ms) / n, nchw = median(cases[1].ms) / n,
                 nhwc = median(cases[2].ms) / n;
    std::printf("| %zu | %.3f | %.3f | %.2f | %.3f | %.2f |\n", channels, copy, nchw, nchw / copy,
                nhwc, nhwc / copy);
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

  if (o.kernel) {
    // The same bytes as the kernel reads and writes: all of in, copied over all of out.
    std::vector<Case> cases = {
        {"memcpy in -> out",
         [&] { std::memcpy(out.data(), in.data(), floats * sizeof(float)); },
         {}},
        {"lrn beta 0.75 (sqrt/div path)", [&] { fast.run(in.data(), out.data(), pixels); }, {}},
        {"lrn beta 0.6 (exp/log in double)",
         [&] { general.run(in.data(), out.data(), pixels); },
         {}},
        {"naive scalar loop, std::pow (float), beta 0.75",
         [&] { naive_lrn(p, in.data(), out.data(), pixels); },
         {}},
    };
    time_rounds(cases, o.runs);

    std::printf(
        "%zux%zu, %zu channels float HWC, values 0..255, radius 2, 1 thread, target %s, "
        "median of %d runs\n\n",
        o.width, o.height, kChannels, lrn::target_name(target), o.runs);
    print_table(cases);
  }
  if (o.convert) bench_convert(o, target, in, out);
  if (o.tensor) bench_tensor(o, target);
  return 0;
}
