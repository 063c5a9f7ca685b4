// BlockSource: a bounded producer/consumer ring of row blocks between decoder and pipeline.
#include "pipeline/block_source.h"

#include <algorithm>

namespace lrn {

BlockSource::BlockSource(ImageReader& reader, const std::uint8_t* held, std::size_t block_rows,
                         bool prefetch)
    : reader_(reader),
      held_(held),
      block_rows_(std::max<std::size_t>(1, block_rows)),
      row_bytes_(reader.info().row_bytes()),
      blocks_((reader.info().height + block_rows_ - 1) / block_rows_) {
  const bool ahead = prefetch && !held && blocks_ > 1;
  // Not zero-filled: a slot's pages cost memory only once the reader fills them, so a header
  // that declares a huge image (a whole planar image is one block) costs nothing until its
  // data arrives.
  if (!held)
    for (std::size_t i = 0; i < (ahead ? kSlots : 1); ++i)
      slots_.emplace_back(new std::uint8_t[block_rows_ * row_bytes_]);
  if (ahead) decoder_ = std::thread([this] { decode_ahead(); });
}

BlockSource::~BlockSource() {
  if (!decoder_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  decoder_.join();
}

std::size_t BlockSource::rows_of(std::size_t block) const {
  return std::min(block_rows_, reader_.info().height - block * block_rows_);
}

void BlockSource::decode_ahead() {
  for (std::size_t b = 0; b < blocks_; ++b) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || b - released_ < kSlots; });
      if (stop_) return;
    }
    try {
      reader_.read_rows(slots_[b % kSlots].get(), rows_of(b));
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = std::current_exception();
      changed_.notify_all();
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    decoded_ = b + 1;
    changed_.notify_all();
  }
}

const std::uint8_t* BlockSource::next(std::size_t* rows) {
  const std::size_t b = next_;
  *rows = 0;
  if (b >= blocks_) return nullptr;
  ++next_;
  *rows = rows_of(b);
  if (held_) return held_ + b * block_rows_ * row_bytes_;
  if (!decoder_.joinable()) {
    reader_.read_rows(slots_[0].get(), *rows);
    return slots_[0].get();
  }
  std::unique_lock<std::mutex> lock(mutex_);
  released_ = b;  // the block returned before this one is free again
  changed_.notify_all();
  changed_.wait(lock, [&] { return decoded_ > b || error_; });
  if (decoded_ <= b) std::rethrow_exception(error_);
  return slots_[b % kSlots].get();
}

}  // namespace lrn
