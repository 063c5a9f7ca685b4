// Internal: LRN_CLONES, the attribute that compiles a loop for x86-64-v4 (AVX-512), AVX2 and
// baseline x86-64, picked at load time (GCC target_clones).
#pragma once

// LRN_FAMILY_NO_CLONES builds the baseline loops only (to check that the clones give the same bits).
// Not under ThreadSanitizer either: a clone's ifunc resolver runs while the dynamic loader
// relocates, before TSan's runtime is up, and the instrumented resolver crashes there.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__AVX2__) && \
    !defined(LRN_FAMILY_NO_CLONES) && !defined(__SANITIZE_THREAD__)
#define LRN_CLONES __attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
#else
#define LRN_CLONES
#endif
