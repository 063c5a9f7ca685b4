// kernel_hwy.cpp's AVX2 copy, a translation unit of its own (see the top of kernel_hwy.cpp).
#define LRN_KERNEL_TU HWY_AVX2
#include "lrn/kernel_hwy.cpp"  // NOLINT(bugprone-suspicious-include): one target's copy
