// Runtime CPU dispatch over the targets kernel_hwy.cpp was compiled for, without libhwy.
//
// Highway's own HWY_EXPORT/HWY_DYNAMIC_DISPATCH need hwy::GetChosenTarget from libhwy.so,
// whose static initializer costs ~4 ms at every process start (Highway 1.0.3). So this file
// keeps its own table of the per-target entry points and detects the CPU itself. The header-only
// code we use references no libhwy symbol (checked with nm on liblrn_core.a) except, in
// debug builds, hwy::Abort: defined below.
#include "lrn/hwy_config.h"  // before any Highway header: same HWY_TARGETS as kernel_hwy.cpp

#include <hwy/base.h>  // declarations only; hwy::Abort is defined below when needed
#include <hwy/detect_targets.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>

#include "lrn/kernel.h"
#include "lrn/plan.h"

// The entry points foreach_target compiled in kernel_hwy.cpp (namespaces as Highway names them).
#define LRN_DECLARE_RUN(NS)                                                                      \
  namespace lrn::NS {                                                                            \
  void RunLrn(const detail::Plan& plan, const float* in, float* out, std::size_t pixels);        \
  void RunLrnPlanar(const detail::Plan& plan, const float* in, std::size_t in_plane, float* out, \
                    std::size_t out_plane, std::size_t pixels);                                  \
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

#if HWY_IS_DEBUG_BUILD
// Highway's debug assertions (on in clang's sanitizer builds, where HWY_IS_ASAN is set)
// report through hwy::Abort, which lives in libhwy.so: this is the one we link instead.
namespace hwy {
HWY_NORETURN void Abort(const char* file, int line, const char* format, ...) {
  std::fprintf(stderr, "Highway assertion failed at %s:%d: ", file, line);
  va_list args;
  va_start(args, format);
  std::vfprintf(stderr, format, args);
  va_end(args);
  std::fputc('\n', stderr);
  std::abort();
}
}  // namespace hwy
#endif

namespace lrn {

namespace {

struct Entry {
  Target target;
  detail::RunFn run;
  detail::PlanarRunFn run_planar;
};

// Best first.
constexpr Entry kCompiled[] = {
#if HWY_TARGETS & HWY_AVX3
    {Target::AVX3, &N_AVX3::RunLrn, &N_AVX3::RunLrnPlanar},
#endif
#if HWY_TARGETS & HWY_AVX2
    {Target::AVX2, &N_AVX2::RunLrn, &N_AVX2::RunLrnPlanar},
#endif
#if HWY_TARGETS & HWY_SSE4
    {Target::SSE4, &N_SSE4::RunLrn, &N_SSE4::RunLrnPlanar},
#endif
    {Target::Scalar, nullptr, nullptr},
};

// Highway's groups (hwy/targets.cc), each including the one below it, because the code for a
// target is compiled with all of these instruction sets enabled (HWY_TARGET_STR); AVX and
// AVX-512 also need the OS to save their registers (XGETBV).
#if __has_include(<sys/platform/x86.h>)
// glibc (2.33+) asked the CPU and XGETBV once at start-up, for its own string functions;
// reading its answers costs no CPUID. That matters in a VM, where every CPUID traps to the
// hypervisor (~6 us each here), and libgcc's __builtin_cpu_supports would add a constructor
// running a dozen of them at every process start: ~0.1 ms, 2% of a small image's run.
#if defined(__clang__)  // the header's inline functions return C's _Bool, which g++ accepts
#define _Bool bool
#include <sys/platform/x86.h>
#undef _Bool
#else
#include <sys/platform/x86.h>
#endif
#define LRN_CPU_HAS(feature) CPU_FEATURE_ACTIVE(feature)
#define LRN_HAS_SSE4_FEATURES                                                               \
  (LRN_CPU_HAS(SSE3) && LRN_CPU_HAS(SSSE3) && LRN_CPU_HAS(SSE4_1) && LRN_CPU_HAS(SSE4_2) && \
   LRN_CPU_HAS(PCLMULQDQ) && LRN_CPU_HAS(AES))
#define LRN_HAS_AVX2_FEATURES                                                        \
  (LRN_CPU_HAS(AVX) && LRN_CPU_HAS(AVX2) && LRN_CPU_HAS(FMA) && LRN_CPU_HAS(F16C) && \
   LRN_CPU_HAS(BMI1) && LRN_CPU_HAS(BMI2) && LRN_CPU_HAS(LZCNT))
#define LRN_HAS_AVX3_FEATURES \
  (LRN_CPU_HAS(AVX512F) && LRN_CPU_HAS(AVX512VL) && LRN_CPU_HAS(AVX512DQ) && LRN_CPU_HAS(AVX512BW))
#else
#include <cpuid.h>
// Other C libraries: libgcc's __builtin_cpu_supports, which also checks XGETBV for avx*.
// F16C (CPUID 1, ECX bit 29) and LZCNT (CPUID 0x80000001, ECX bit 5) come straight from
// CPUID: clang 14's __builtin_cpu_supports knows neither name.
inline bool cpuid_ecx_bit(unsigned leaf, unsigned bit) {
  unsigned a = 0, b = 0, c = 0, d = 0;
  return __get_cpuid(leaf, &a, &b, &c, &d) && ((c >> bit) & 1u);
}
#define LRN_CPU_HAS(feature) __builtin_cpu_supports(feature)
#define LRN_HAS_SSE4_FEATURES                                              \
  (LRN_CPU_HAS("sse3") && LRN_CPU_HAS("ssse3") && LRN_CPU_HAS("sse4.1") && \
   LRN_CPU_HAS("sse4.2") && LRN_CPU_HAS("pclmul") && LRN_CPU_HAS("aes"))
#define LRN_HAS_AVX2_FEATURES                                                                 \
  (LRN_CPU_HAS("avx") && LRN_CPU_HAS("avx2") && LRN_CPU_HAS("fma") && cpuid_ecx_bit(1, 29) && \
   LRN_CPU_HAS("bmi") && LRN_CPU_HAS("bmi2") && cpuid_ecx_bit(0x80000001u, 5))
#define LRN_HAS_AVX3_FEATURES                                                      \
  (LRN_CPU_HAS("avx512f") && LRN_CPU_HAS("avx512vl") && LRN_CPU_HAS("avx512dq") && \
   LRN_CPU_HAS("avx512bw"))
#endif

bool has_sse4() { return LRN_HAS_SSE4_FEATURES; }
bool has_avx2() { return has_sse4() && LRN_HAS_AVX2_FEATURES; }
bool has_avx3() { return has_avx2() && LRN_HAS_AVX3_FEATURES; }

bool cpu_supports(Target t) {
#if !__has_include(<sys/platform/x86.h>)
  __builtin_cpu_init();  // needed if we run before libgcc's own constructor
#endif
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

detail::PlanarRunFn detail::simd_run_planar_fn(Target t) {
  for (const Entry& e : kCompiled)
    if (e.target == t) return e.run_planar;
  return nullptr;
}

}  // namespace lrn
