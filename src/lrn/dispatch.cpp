// Runtime CPU dispatch over the targets kernel_hwy.cpp was compiled for, without libhwy.
//
// Highway's own HWY_EXPORT/HWY_DYNAMIC_DISPATCH need hwy::GetChosenTarget from libhwy.so,
// whose static initializer costs ~4 ms at every process start (Highway 1.0.3). So this file
// keeps its own table of the per-target entry points and asks the CPU itself. The header-only
// code we use references no libhwy symbol (checked with nm on liblrn_core.a; HWY_ASSERT's
// hwy::Abort would be one, and we would then have to define it ourselves).
#include "lrn/hwy_config.h"  // before any Highway header: same HWY_TARGETS as kernel_hwy.cpp

#include <cpuid.h>
#include <hwy/detect_targets.h>

#include "lrn/kernel.h"
#include "lrn/plan.h"

// The entry points foreach_target compiled in kernel_hwy.cpp (namespaces as Highway names them).
#define LRN_DECLARE_RUN(NS)                                                                 \
  namespace lrn::NS {                                                                       \
  void RunLrn(const detail::Plan& plan, const float* in, float* out, std::size_t pixels); \
  }
#if HWY_TARGETS & HWY_AVX3
LRN_DECLARE_RUN(N_AVX3)
#endif
#if HWY_TARGETS & HWY_AVX2
LRN_DECLARE_RUN(N_AVX2)
#endif
#if HWY_TARGETS & HWY_SSE4
LRN_DECLARE_RUN(N_SSE4)
#endif
#undef LRN_DECLARE_RUN

namespace lrn {

namespace {

struct Entry {
  Target target;
  detail::RunFn run;
};

// Best first.
constexpr Entry kCompiled[] = {
#if HWY_TARGETS & HWY_AVX3
    {Target::AVX3, &N_AVX3::RunLrn},
#endif
#if HWY_TARGETS & HWY_AVX2
    {Target::AVX2, &N_AVX2::RunLrn},
#endif
#if HWY_TARGETS & HWY_SSE4
    {Target::SSE4, &N_SSE4::RunLrn},
#endif
    {Target::Scalar, nullptr},
};

// Highway's groups (hwy/targets.cc), each including the one below it, because the code for a
// target is compiled with all of these instruction sets enabled (HWY_TARGET_STR). libgcc's
// __builtin_cpu_supports only reports avx* when XGETBV says the OS saves those registers.
bool has_sse4() {
  return __builtin_cpu_supports("sse3") && __builtin_cpu_supports("ssse3") &&
         __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("sse4.2") &&
         __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("aes");
}

// F16C (CPUID 1, ECX bit 29) and LZCNT (CPUID 0x80000001, ECX bit 5) straight from CPUID:
// clang 14's __builtin_cpu_supports knows neither name (the fuzz build uses clang).
bool cpuid_ecx_bit(unsigned leaf, unsigned bit) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  return __get_cpuid(leaf, &a, &b, &c, &d) && ((c >> bit) & 1u);
}

bool has_avx2() {
  return has_sse4() && __builtin_cpu_supports("avx") && __builtin_cpu_supports("avx2") &&
         __builtin_cpu_supports("fma") && cpuid_ecx_bit(1, 29) &&
         __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") &&
         cpuid_ecx_bit(0x80000001u, 5);
}

bool has_avx3() {
  return has_avx2() && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512bw");
}

bool cpu_supports(Target t) {
  __builtin_cpu_init();  // needed if we run before libgcc's own constructor
  switch (t) {
    case Target::Scalar: return true;
    case Target::SSE4: return has_sse4();
    case Target::AVX2: return has_avx2();
    case Target::AVX3: return has_avx3();
  }
  return false;
}

std::vector<Target> detect_supported() {
  std::vector<Target> targets;
  for (const Entry& e : kCompiled)
    if (cpu_supports(e.target)) targets.push_back(e.target);
  return targets;
}

}  // namespace

const char* target_name(Target t) {
  switch (t) {
    case Target::Scalar: return "scalar";
    case Target::SSE4: return "sse4";
    case Target::AVX2: return "avx2";
    case Target::AVX3: return "avx3";
  }
  return "?";
}

std::vector<Target> compiled_targets() {
  std::vector<Target> targets;
  for (const Entry& e : kCompiled) targets.push_back(e.target);
  return targets;
}

std::vector<Target> supported_targets() {
  static const std::vector<Target> targets = detect_supported();  // the CPU does not change
  return targets;
}

detail::RunFn detail::simd_run_fn(Target t) {
  for (const Entry& e : kCompiled)
    if (e.target == t) return e.run;
  return nullptr;
}

}  // namespace lrn
