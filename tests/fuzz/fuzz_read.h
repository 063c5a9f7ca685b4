// Shared by the decoder harnesses: read every row of an image the way the pipeline does.
#pragma once

#include <algorithm>
#include <vector>

#include "image/format.h"

namespace lrn_fuzz {

// Small limits keep one input's cost (memory, time) far below libFuzzer's -rss_limit_mb and
// -timeout while still reaching every code path: budgets are checked, never the real data.
inline lrn::DecodeOptions fuzz_options(bool lenient) {
  lrn::DecodeOptions opt;
  opt.max_pixels = std::uint64_t{1} << 22;
  opt.max_npy_bytes = std::uint64_t{1} << 26;
  opt.lenient = lenient;
  // The lenient pass also collects EXIF and ICC (--keep-metadata), so both ways of reading a
  // JPEG's APP markers, a PNG's eXIf/iCCP and a WebP's chunks are reached.
  opt.keep_metadata = lenient;
  opt.warn = [](const std::string&) {};
  return opt;
}

// Rows in uneven blocks (7 at a time), as a reader must serve any split.
inline void read_all(lrn::ImageReader& reader) {
  const lrn::ImageInfo& info = reader.info();
  std::vector<std::uint8_t> rows(std::min<std::size_t>(7, info.height) * info.row_bytes());
  for (std::size_t done = 0; done < info.height;) {
    const std::size_t n = std::min<std::size_t>(7, info.height - done);
    reader.read_rows(rows.data(), n);
    done += n;
  }
}

}  // namespace lrn_fuzz
