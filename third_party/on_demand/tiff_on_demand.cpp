// Forwarders for the libtiff functions lrn-img uses, opened on first use (on_demand.h). The
// variadic TIFFGetField/TIFFGetFieldDefaulted/TIFFSetField go through libtiff's own va_list
// forms, which is what libtiff's variadic functions do themselves.
#include <tiffio.h>

#include <cstdarg>

#include "on_demand.h"

namespace {
const lrn_glue::OnDemandLibrary& lib() {
  static const lrn_glue::OnDemandLibrary l(LRN_TIFF_SONAME, "TIFF");
  return l;
}
}  // namespace

std::string lrn_glue::tiff_load_error() { return lib().needs(); }

#define FWD(ret, name, params, args) LRN_ON_DEMAND_FORWARD(lib, ret, name, params, args)

FWD(TIFF*, TIFFClientOpenExt,
    (const char* name, const char* mode, thandle_t h, TIFFReadWriteProc r, TIFFReadWriteProc w,
     TIFFSeekProc s, TIFFCloseProc c, TIFFSizeProc z, TIFFMapFileProc m, TIFFUnmapFileProc u,
     TIFFOpenOptions* o),
    (name, mode, h, r, w, s, c, z, m, u, o))
FWD(void, TIFFClose, (TIFF * tif), (tif))
FWD(uint32_t, TIFFComputeStrip, (TIFF * tif, uint32_t row, uint16_t s), (tif, row, s))
FWD(uint32_t, TIFFComputeTile, (TIFF * tif, uint32_t x, uint32_t y, uint32_t z, uint16_t s),
    (tif, x, y, z, s))
FWD(const char*, TIFFFileName, (TIFF * tif), (tif))
FWD(int, TIFFFlush, (TIFF * tif), (tif))
FWD(int, TIFFVGetField, (TIFF * tif, uint32_t tag, va_list ap), (tif, tag, ap))
FWD(int, TIFFVGetFieldDefaulted, (TIFF * tif, uint32_t tag, va_list ap), (tif, tag, ap))
FWD(int, TIFFVSetField, (TIFF * tif, uint32_t tag, va_list ap), (tif, tag, ap))
FWD(int, TIFFIsTiled, (TIFF * tif), (tif))
FWD(int, TIFFLastDirectory, (TIFF * tif), (tif))
FWD(TIFFOpenOptions*, TIFFOpenOptionsAlloc, (void), ())
FWD(void, TIFFOpenOptionsFree, (TIFFOpenOptions * o), (o))
FWD(void, TIFFOpenOptionsSetErrorHandlerExtR,
    (TIFFOpenOptions * o, TIFFErrorHandlerExtR h, void* user), (o, h, user))
FWD(void, TIFFOpenOptionsSetWarningHandlerExtR,
    (TIFFOpenOptions * o, TIFFErrorHandlerExtR h, void* user), (o, h, user))
FWD(void, TIFFOpenOptionsSetMaxSingleMemAlloc, (TIFFOpenOptions * o, tmsize_t max), (o, max))
FWD(tmsize_t, TIFFReadEncodedStrip, (TIFF * tif, uint32_t strip, void* buf, tmsize_t size),
    (tif, strip, buf, size))
FWD(tmsize_t, TIFFReadEncodedTile, (TIFF * tif, uint32_t tile, void* buf, tmsize_t size),
    (tif, tile, buf, size))
FWD(uint64_t, TIFFTileSize64, (TIFF * tif), (tif))
FWD(tmsize_t, TIFFWriteEncodedStrip, (TIFF * tif, uint32_t strip, void* buf, tmsize_t size),
    (tif, strip, buf, size))

extern "C" int TIFFGetField(TIFF* tif, uint32_t tag, ...) {
  va_list ap;
  va_start(ap, tag);
  const int r = TIFFVGetField(tif, tag, ap);
  va_end(ap);
  return r;
}

extern "C" int TIFFGetFieldDefaulted(TIFF* tif, uint32_t tag, ...) {
  va_list ap;
  va_start(ap, tag);
  const int r = TIFFVGetFieldDefaulted(tif, tag, ap);
  va_end(ap);
  return r;
}

extern "C" int TIFFSetField(TIFF* tif, uint32_t tag, ...) {
  va_list ap;
  va_start(ap, tag);
  const int r = TIFFVSetField(tif, tag, ap);
  va_end(ap);
  return r;
}
