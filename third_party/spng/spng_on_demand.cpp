// Forwarders for the libspng functions lrn-img uses (see spng_on_demand.h). Their
// declarations come from <spng.h>, so a signature that drifts from the installed header is a
// compile error, and each is resolved once, by name, in the library itself.
#include "spng_on_demand.h"

#include <spng.h>

#include "on_demand.h"

namespace {

// The soname the build found with pkg-config (CMake passes LRN_SPNG_SONAME): the ABI these
// forwarders were compiled against. Opened by ../on_demand's OnDemandLibrary, as libtiff and
// libwebp are.
const lrn_glue::OnDemandLibrary& library() {
  static const lrn_glue::OnDemandLibrary lib(LRN_SPNG_SONAME, "PNG");
  return lib;
}

}  // namespace

const char* lrn_glue::spng_load_error() { return library().load_error(); }

// Each forwarder resolves its function once (thread-safe static initialisation) and calls it.
#define LRN_SPNG_FORWARD(ret, name, params, args) \
  LRN_ON_DEMAND_FORWARD(library, ret, name, params, args)

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
