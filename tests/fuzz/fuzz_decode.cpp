// libFuzzer harness: any bytes through lrn::open_reader (JPEG, PNG, .npy by content) and every
// row read, by default and leniently. A FileError is a clean answer; anything else is a bug.
#include <cstddef>
#include <cstdint>

#include "fuzz_read.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (const bool lenient : {false, true}) {
    try {
      auto reader =
          lrn::open_reader(lrn::memory_source(std::vector<std::uint8_t>(data, data + size), "fuzz"),
                           lrn_fuzz::fuzz_options(lenient));
      lrn_fuzz::read_all(*reader);
    } catch (const lrn::FileError&) {
    }
  }
  return 0;
}
