// Internal: Highway switches that every file including Highway must share, so that
// kernel_hwy.cpp (which compiles the targets) and dispatch.cpp (which lists them) agree on
// HWY_TARGETS. Include before any Highway header.
#pragma once

// SSSE3 would add a fourth x86 copy that no CPU without SSE4.2 is worth it for, and AVX3_DL
// (opt-in, or the baseline under -march=native on Ice Lake and later) adds nothing to float
// maths over AVX3. Disabling both keeps the compiled set to the Target enum of kernel.h;
// under -march=native the static target falls back to AVX3.
#ifndef HWY_DISABLED_TARGETS
#define HWY_DISABLED_TARGETS (HWY_SSSE3 | HWY_AVX3_DL)
#endif

/// The targets the kernel is built for. foreach_target also compiles the static baseline
/// (EMU128 or SCALAR without -march flags); that copy is never dispatched to, since
/// Target::Scalar is plain C++, so kernel_hwy.cpp skips it.
#define LRN_KERNEL_TARGETS (HWY_SSE4 | HWY_AVX2 | HWY_AVX3)
