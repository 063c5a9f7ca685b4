// kernel_hwy.cpp's AVX3 copy, a translation unit of its own (see the top of kernel_hwy.cpp).
#define LRN_KERNEL_TU HWY_AVX3
#include "lrn/kernel_hwy.cpp"  // NOLINT(bugprone-suspicious-include): one target's copy
