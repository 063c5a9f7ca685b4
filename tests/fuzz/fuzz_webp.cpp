// libFuzzer harness for the WebP reader alone (RIFF, VP8, VP8L, alpha, animation),
// without the signature check in front that open_reader does, by default and leniently.
#include <cstddef>
#include <cstdint>

#include "fuzz_read.h"
#include "image/codecs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (const bool lenient : {false, true}) {
    try {
      auto reader = lrn::open_webp_reader(
          lrn::memory_source(std::vector<std::uint8_t>(data, data + size), "fuzz.webp"),
          lrn_fuzz::fuzz_options(lenient));
      lrn_fuzz::read_all(*reader);
    } catch (const lrn::FileError&) {
    }
  }
  return 0;
}
