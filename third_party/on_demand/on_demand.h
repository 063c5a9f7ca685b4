// A shared library opened with dlopen on first use, for codecs most runs never need: linking
// libtiff and libwebp outright made every process load them and their own dependencies (libtiff
// brings libLerc and with it the shared libstdc++, plus libzstd, liblzma, libjbig, libdeflate):
// ~1.5 ms of CPU per start, a third of a small photo's whole run. Forwarders defined with the
// library's own header declarations (so a drifting signature is a compile error) resolve each
// function by name on first call. libspng's forwarders (../spng) use it too.
#pragma once

#include <string>

namespace lrn_glue {

class OnDemandLibrary {
 public:
  /// `soname`: the file to dlopen (the ABI the forwarders were compiled against); `what`: the
  /// format it serves, for messages ("TIFF").
  OnDemandLibrary(const char* soname, const char* what);
  /// The function `name`, or throws std::runtime_error("TIFF support unavailable: ...").
  void* symbol(const char* name) const;
  /// nullptr when the library loaded, else why not.
  const char* load_error() const;
  /// Empty when the library loaded, else "TIFF support needs libtiff.so.6: <dlerror>".
  std::string needs() const;

 private:
  const char* soname_;
  const char* what_;
  void* handle_ = nullptr;
  std::string error_;
};

/// Empty when libtiff loads, else "TIFF support needs libtiff.so.6: <dlerror>", for a message
/// that names the file (tiff_on_demand.cpp). Loads it on the first call.
std::string tiff_load_error();
/// The same for libwebp and its demuxer: "WebP support needs libwebp.so.7: ..."
/// (webp_on_demand.cpp).
std::string webp_load_error();

}  // namespace lrn_glue

// Defines `ret name params` forwarding to the function of the same name in lib() (a function
// returning the OnDemandLibrary), resolved once (thread-safe static initialisation).
#define LRN_ON_DEMAND_FORWARD(lib, ret, name, params, args)                        \
  extern "C" ret name params {                                                     \
    static const auto fn = reinterpret_cast<decltype(&name)>(lib().symbol(#name)); \
    return fn args;                                                                \
  }
