// Forwarders for the libwebp and libwebpdemux functions lrn-img uses, opened on first use
// (on_demand.h). The header's inline helpers (WebPConfigInit, WebPPictureInit, WebPDemuxPartial)
// call the version-checked *Internal entry points forwarded here.
#include <webp/decode.h>
#include <webp/demux.h>
#include <webp/encode.h>

#include "on_demand.h"

namespace {
const lrn_glue::OnDemandLibrary& webp() {
  static const lrn_glue::OnDemandLibrary l(LRN_WEBP_SONAME, "WebP");
  return l;
}
const lrn_glue::OnDemandLibrary& demux() {
  static const lrn_glue::OnDemandLibrary l(LRN_WEBPDEMUX_SONAME, "WebP");
  return l;
}
}  // namespace

std::string lrn_glue::webp_load_error() {
  std::string why = webp().needs();
  return why.empty() ? demux().needs() : why;
}

#define FWD(ret, name, params, args) LRN_ON_DEMAND_FORWARD(webp, ret, name, params, args)
#define FWD_DEMUX(ret, name, params, args) LRN_ON_DEMAND_FORWARD(demux, ret, name, params, args)

FWD(int, WebPConfigInitInternal, (WebPConfig * c, WebPPreset p, float q, int v), (c, p, q, v))
FWD(int, WebPPictureInitInternal, (WebPPicture * p, int v), (p, v))
FWD(int, WebPEncode, (const WebPConfig* c, WebPPicture* p), (c, p))
FWD(int, WebPMemoryWrite, (const uint8_t* data, size_t size, const WebPPicture* p), (data, size, p))
FWD(void, WebPMemoryWriterInit, (WebPMemoryWriter * w), (w))
FWD(void, WebPMemoryWriterClear, (WebPMemoryWriter * w), (w))
FWD(void, WebPPictureFree, (WebPPicture * p), (p))
FWD(int, WebPPictureImportRGB, (WebPPicture * p, const uint8_t* rgb, int stride), (p, rgb, stride))
FWD(int, WebPPictureImportRGBA, (WebPPicture * p, const uint8_t* rgba, int stride),
    (p, rgba, stride))
FWD(WebPIDecoder*, WebPINewRGB, (WEBP_CSP_MODE csp, uint8_t* buf, size_t size, int stride),
    (csp, buf, size, stride))
FWD(VP8StatusCode, WebPIUpdate, (WebPIDecoder * d, const uint8_t* data, size_t size),
    (d, data, size))
FWD(uint8_t*, WebPIDecGetRGB,
    (const WebPIDecoder* d, int* last_y, int* width, int* height, int* stride),
    (d, last_y, width, height, stride))
FWD(void, WebPIDelete, (WebPIDecoder * d), (d))
FWD_DEMUX(WebPDemuxer*, WebPDemuxInternal,
          (const WebPData* data, int partial, WebPDemuxState* state, int v),
          (data, partial, state, v))
FWD_DEMUX(void, WebPDemuxDelete, (WebPDemuxer * d), (d))
FWD_DEMUX(int, WebPDemuxGetFrame, (const WebPDemuxer* d, int frame, WebPIterator* it),
          (d, frame, it))
FWD_DEMUX(uint32_t, WebPDemuxGetI, (const WebPDemuxer* d, WebPFormatFeature f), (d, f))
FWD_DEMUX(void, WebPDemuxReleaseIterator, (WebPIterator * it), (it))
FWD_DEMUX(int, WebPDemuxGetChunk,
          (const WebPDemuxer* d, const char fourcc[4], int n, WebPChunkIterator* it),
          (d, fourcc, n, it))
FWD_DEMUX(void, WebPDemuxReleaseChunkIterator, (WebPChunkIterator * it), (it))
