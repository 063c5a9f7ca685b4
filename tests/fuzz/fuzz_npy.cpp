// libFuzzer harness for the .npy reader alone (header parser, shapes, dtypes, byte order),
// without the magic check in front that open_reader does.
#include <cstddef>
#include <cstdint>

#include "fuzz_read.h"
#include "image/codecs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto reader = lrn::open_npy_reader(
        lrn::memory_source(std::vector<std::uint8_t>(data, data + size), "fuzz.npy"),
        lrn_fuzz::fuzz_options(false));
    lrn_fuzz::read_all(*reader);
  } catch (const lrn::FileError&) {
  }
  return 0;
}
