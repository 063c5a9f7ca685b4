// libFuzzer harness for the TIFF reader alone (directories, strips, tiles, planes, codecs),
// without the signature check in front that open_reader does, by default and leniently.
#include <cstddef>
#include <cstdint>

#include "fuzz_read.h"
#include "image/codecs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (const bool lenient : {false, true}) {
    try {
      auto reader = lrn::open_tiff_reader(
          lrn::memory_source(std::vector<std::uint8_t>(data, data + size), "fuzz.tif"),
          lrn_fuzz::fuzz_options(lenient));
      lrn_fuzz::read_all(*reader);
    } catch (const lrn::FileError&) {
    }
  }
  return 0;
}
