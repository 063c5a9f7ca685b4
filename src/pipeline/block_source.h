// BlockSource: an image's raw rows, block by block, from the reader, from a held copy, or
// prefetched by a decoder thread so decoding overlaps LRN and encoding.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "image/format.h"

namespace lrn {

class BlockSource {
 public:
  /// Reads `reader`'s rows in blocks of `block_rows` (the last may be shorter). held: the
  /// whole image already read, rows packed (then the reader is not used). prefetch: decode on a thread of
  /// its own, up to two blocks ahead (ignored with held).
  BlockSource(ImageReader& reader, const std::uint8_t* held, std::size_t block_rows, bool prefetch);
  /// Stops and joins the decoder thread, if any.
  ~BlockSource();
  BlockSource(const BlockSource&) = delete;
  BlockSource& operator=(const BlockSource&) = delete;

  /// The next block's rows (valid until the next call) and their count in *rows; nullptr and
  /// 0 after the last. Rethrows whatever the reader threw.
  const std::uint8_t* next(std::size_t* rows);

 private:
  static constexpr std::size_t kSlots = 3;
  std::size_t rows_of(std::size_t block) const;
  void decode_ahead();

  ImageReader& reader_;
  const std::uint8_t* held_;
  const std::size_t block_rows_, row_bytes_, blocks_;
  std::size_t next_ = 0;  // the block next() returns next
  // Not zero-filled: a slot's pages become resident only as the reader writes rows into
  // them, so a header that declares wide rows costs nothing until their data arrives.
  std::vector<std::unique_ptr<std::uint8_t[]>> slots_;

  // Prefetch state, guarded by mutex_.
  std::thread decoder_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::size_t decoded_ = 0;   // blocks ready
  std::size_t released_ = 0;  // blocks the consumer is done with
  std::exception_ptr error_;
  bool stop_ = false;
};

}  // namespace lrn
