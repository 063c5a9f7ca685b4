// libspng, loaded the first time a PNG is read or written (spng_on_demand.cpp).
//
// lrn-img is not linked against libspng: this glue defines the spng_* functions lrn-img
// calls, and each forwards to Debian's libspng.so.0, opened with dlopen on first use. A run
// that never touches a PNG (most runs: JPEG in, JPEG out) so never maps libspng and its
// zlib, which saved ~0.14 ms of every process start here (~3% of a 640x427 JPEG's whole
// run; bench/ figure 5). libvips loads its optional codecs the same way.
#pragma once

namespace lrn_glue {

/// Loads libspng if that has not happened yet. Returns nullptr when it is usable, else why
/// not (dlerror's text). Call before any spng_* function: those throw std::runtime_error
/// with the same text when the library cannot be loaded.
const char* spng_load_error();

}  // namespace lrn_glue
