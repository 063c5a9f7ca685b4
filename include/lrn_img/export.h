// LRN_IMG_API: marks what liblrn_img.so exports. The library is built with
// -fvisibility=hidden, so everything else in it stays internal to it.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define LRN_IMG_API __attribute__((visibility("default")))
#else
#define LRN_IMG_API
#endif
