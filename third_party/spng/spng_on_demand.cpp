// Forwarders for the libspng functions lrn-img uses (see spng_on_demand.h). Their
// declarations come from <spng.h>, so a signature that drifts from the installed header is a
// compile error, and each is resolved once, by name, in the library itself.
#include "spng_on_demand.h"

#include <dlfcn.h>
#include <spng.h>

#include <stdexcept>
#include <string>

namespace {

struct Library {
  void* handle = nullptr;
  std::string error;
};

const Library& library() {
  static const Library lib = [] {
    Library l;
    // The soname the build found with pkg-config (CMake passes LRN_SPNG_SONAME): the ABI
    // these forwarders were compiled against.
    l.handle = dlopen(LRN_SPNG_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!l.handle) {
      const char* why = dlerror();
      l.error = why ? why : "cannot load " LRN_SPNG_SONAME;
    }
    return l;
  }();
  return lib;
}

template <typename Fn>
Fn resolve(Fn, const char* name) {
  const Library& lib = library();
  if (!lib.handle) throw std::runtime_error("PNG support unavailable: " + lib.error);
  void* sym = dlsym(lib.handle, name);
  if (!sym)
    throw std::runtime_error(std::string("PNG support unavailable: no ") + name +
                             " in " LRN_SPNG_SONAME);
  return reinterpret_cast<Fn>(sym);
}

}  // namespace

const char* lrn_glue::spng_load_error() {
  const Library& lib = library();
  return lib.handle ? nullptr : lib.error.c_str();
}

// Each forwarder resolves its function once (thread-safe static initialisation) and calls it.
#define LRN_SPNG_FORWARD(ret, name, params, args) \
  extern "C" ret name params {                    \
    static const auto fn = resolve(&name, #name); \
    return fn args;                               \
  }

LRN_SPNG_FORWARD(spng_ctx*, spng_ctx_new, (int flags), (flags))
LRN_SPNG_FORWARD(void, spng_ctx_free, (spng_ctx * ctx), (ctx))
LRN_SPNG_FORWARD(const char*, spng_strerror, (int err), (err))
LRN_SPNG_FORWARD(int, spng_set_png_stream, (spng_ctx * ctx, spng_rw_fn* rw, void* user),
                 (ctx, rw, user))
LRN_SPNG_FORWARD(int, spng_set_crc_action, (spng_ctx * ctx, int critical, int ancillary),
                 (ctx, critical, ancillary))
LRN_SPNG_FORWARD(int, spng_set_image_limits, (spng_ctx * ctx, uint32_t width, uint32_t height),
                 (ctx, width, height))
LRN_SPNG_FORWARD(int, spng_set_chunk_limits, (spng_ctx * ctx, size_t chunk, size_t cache),
                 (ctx, chunk, cache))
LRN_SPNG_FORWARD(int, spng_set_option, (spng_ctx * ctx, enum spng_option option, int value),
                 (ctx, option, value))
LRN_SPNG_FORWARD(int, spng_get_ihdr, (spng_ctx * ctx, struct spng_ihdr* ihdr), (ctx, ihdr))
LRN_SPNG_FORWARD(int, spng_set_ihdr, (spng_ctx * ctx, struct spng_ihdr* ihdr), (ctx, ihdr))
LRN_SPNG_FORWARD(int, spng_get_trns, (spng_ctx * ctx, struct spng_trns* trns), (ctx, trns))
LRN_SPNG_FORWARD(int, spng_get_exif, (spng_ctx * ctx, struct spng_exif* exif), (ctx, exif))
LRN_SPNG_FORWARD(int, spng_set_exif, (spng_ctx * ctx, struct spng_exif* exif), (ctx, exif))
LRN_SPNG_FORWARD(int, spng_get_iccp, (spng_ctx * ctx, struct spng_iccp* iccp), (ctx, iccp))
LRN_SPNG_FORWARD(int, spng_set_iccp, (spng_ctx * ctx, struct spng_iccp* iccp), (ctx, iccp))
LRN_SPNG_FORWARD(int, spng_get_row_info, (spng_ctx * ctx, struct spng_row_info* info), (ctx, info))
LRN_SPNG_FORWARD(int, spng_decode_chunks, (spng_ctx * ctx), (ctx))
LRN_SPNG_FORWARD(int, spng_decode_image,
                 (spng_ctx * ctx, void* out, size_t len, int fmt, int flags),
                 (ctx, out, len, fmt, flags))
LRN_SPNG_FORWARD(int, spng_decode_row, (spng_ctx * ctx, void* out, size_t len), (ctx, out, len))
LRN_SPNG_FORWARD(int, spng_encode_chunks, (spng_ctx * ctx), (ctx))
LRN_SPNG_FORWARD(int, spng_encode_image,
                 (spng_ctx * ctx, const void* img, size_t len, int fmt, int flags),
                 (ctx, img, len, fmt, flags))
LRN_SPNG_FORWARD(int, spng_encode_row, (spng_ctx * ctx, const void* row, size_t len),
                 (ctx, row, len))
