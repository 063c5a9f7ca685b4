// What the kernel's speed target is up against: the (8, 96, 55, 55) NHWC array of issue 11
// through loops that do only part of LRN's work, next to memcpy of the same bytes and the
// kernel itself, interleaved in one process (median of --runs rounds). AVX-512 only (the
// machine the README's figures come from); elsewhere it says so and exits 0.
//
//   build/bench/bench_bound [--runs N]
//
// - "scale": y = x * 0.5 (load, one multiply, store): the floor of any one-pass kernel.
// - "power only": y = x * d^-0.75, d = alpha * x^2 + bias, with the kernel's exact power
//   (two square roots and a division): one power per value and nothing else.
// - "bare LRN": radius-2 window sums of squares (from a padded buffer, as the kernel's
//   ChannelLanes reads them), d, the power, the product: the kernel's arithmetic without its
//   range checks, tails, in-place handling or fallbacks. Same values as the kernel wherever
//   every lane is trusted (it checks).
// GCC 12's _mm512_sqrt_ps starts from an uninitialised vector, which -Wuninitialized flags
// (under -Werror) once inlined here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "lrn/kernel.h"

namespace {

constexpr int kVectors = 6;  // 96 channels
constexpr std::size_t kPixels = 8 * 55 * 55;
constexpr std::size_t kFloats = kPixels * kVectors * 16;
const float kAlpha = static_cast<float>(0.001 / 9), kBias = 1.0f;

__attribute__((target("avx512f"))) void scale(const float* in, float* out) {
  const __m512 k = _mm512_set1_ps(0.5f);
  for (std::size_t i = 0; i < kFloats; i += 16)
    _mm512_storeu_ps(out + i, _mm512_mul_ps(_mm512_loadu_ps(in + i), k));
}

__attribute__((target("avx512f"))) inline __m512 power(__m512 d) {
  const __m512 r = _mm512_div_ps(_mm512_set1_ps(1.0f), _mm512_sqrt_ps(d));
  return _mm512_mul_ps(r, _mm512_sqrt_ps(r));
}

__attribute__((target("avx512f"))) void power_only(const float* in, float* out) {
  const __m512 a = _mm512_set1_ps(kAlpha), b = _mm512_set1_ps(kBias);
  for (std::size_t i = 0; i < kFloats; i += 16) {
    const __m512 x = _mm512_loadu_ps(in + i);
    const __m512 d = _mm512_add_ps(_mm512_mul_ps(a, _mm512_mul_ps(x, x)), b);
    _mm512_storeu_ps(out + i, _mm512_mul_ps(x, power(d)));
  }
}

__attribute__((target("avx512f"))) inline void squares(const float* in, std::size_t px, float* s) {
  for (int v = 0; v < kVectors; ++v) {
    const __m512 x = _mm512_loadu_ps(in + (px * kVectors + v) * 16);
    _mm512_store_ps(s + 16 * v, _mm512_mul_ps(x, x));
  }
}

__attribute__((target("avx512f"))) void bare_lrn(const float* in, float* out) {
  const __m512 a = _mm512_set1_ps(kAlpha), b = _mm512_set1_ps(kBias);
  // A pixel's squares with two zeros either side, written three pixels ahead (as the kernel).
  alignas(64) float ring[4][16 * (kVectors + 2)] = {};
  for (std::size_t px = 0; px < 3; ++px) squares(in, px, ring[px % 4] + 16);
  for (std::size_t px = 0; px < kPixels; ++px) {
    if (px + 3 < kPixels) squares(in, px + 3, ring[(px + 3) % 4] + 16);
    const float* s0 = ring[px % 4] + 16;
    for (int v = 0; v < kVectors; ++v) {
      const float* w = s0 + 16 * v;
      __m512 s = _mm512_add_ps(_mm512_loadu_ps(w - 2), _mm512_loadu_ps(w - 1));
      s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(s, _mm512_load_ps(w)), _mm512_loadu_ps(w + 1)),
                        _mm512_loadu_ps(w + 2));
      const __m512 d = _mm512_add_ps(_mm512_mul_ps(a, s), b);
      const std::size_t at = (px * kVectors + v) * 16;
      _mm512_storeu_ps(out + at, _mm512_mul_ps(_mm512_loadu_ps(in + at), power(d)));
    }
  }
}

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 41;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else {
      std::fprintf(stderr, "usage: bench_bound [--runs N]\n");
      return 2;
    }
  }
  if (!__builtin_cpu_supports("avx512f")) {
    std::printf("bench_bound: this CPU has no AVX-512; nothing measured\n");
    return 0;
  }
  std::vector<float> in(kFloats), out(kFloats, 0.0f), want(kFloats, 0.0f);
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> value(0.0f, 255.0f);
  for (float& v : in) v = value(rng);
  const lrn::Kernel kernel(lrn::LrnParams::tf(2, kBias, 0.001 / 9, 0.75), kVectors * 16);
  kernel.run(in.data(), want.data(), kPixels);
  bare_lrn(in.data(), out.data());
  const bool same = std::memcmp(out.data(), want.data(), kFloats * sizeof(float)) == 0;

  const char* names[] = {"memcpy", "scale (load, multiply, store)", "power only (sqrt, div, sqrt)",
                         "bare LRN (windows, power, product)", "lrn-img kernel (Kernel::run)"};
  std::vector<double> t[5];
  for (int r = 0; r < runs; ++r) {
    for (int c = 0; c < 5; ++c) {
      const auto start = std::chrono::steady_clock::now();
      switch (c) {
        case 0: std::memcpy(out.data(), in.data(), kFloats * sizeof(float)); break;
        case 1: scale(in.data(), out.data()); break;
        case 2: power_only(in.data(), out.data()); break;
        case 3: bare_lrn(in.data(), out.data()); break;
        default: kernel.run(in.data(), out.data(), kPixels); break;
      }
      t[c].push_back(ms_since(start));
    }
  }
  for (auto& v : t) std::sort(v.begin(), v.end());
  const double copy = t[0][t[0].size() / 2];
  std::printf("### (8, 96, 55, 55) NHWC float32, radius 2, beta 0.75, one thread, median of %d\n\n",
              runs);
  std::printf("| loop | ms | x memcpy |\n|---|---:|---:|\n");
  for (int c = 0; c < 5; ++c) {
    const double m = t[c][t[c].size() / 2];
    std::printf("| %s | %.3f | %.2f |\n", names[c], m, m / copy);
  }
  std::printf("\nbare LRN gives the kernel's bytes: %s\n", same ? "yes" : "NO");
  return same ? 0 : 1;
}
