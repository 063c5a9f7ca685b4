// The whole-image and streaming drivers.
#include "pipeline/driver.h"

#include <algorithm>
#include <stdexcept>

namespace lrn::family {

namespace {
struct ViewRows final : RowSource {
  ImageView v;
  explicit ViewRows(ImageView view) : v(view) {}
  const float* row(std::size_t y) const override {
    return v.data + static_cast<std::ptrdiff_t>(y) * v.row_stride;
  }
};
struct ViewSink final : RowSink {
  MutableImageView v;
  explicit ViewSink(MutableImageView view) : v(view) {}
  float* row(std::size_t y) const override {
    return v.data + static_cast<std::ptrdiff_t>(y) * v.row_stride;
  }
};
}  // namespace

void run_image(Operation& op, ImageView in, MutableImageView out,
               const std::vector<std::size_t>& splits) {
  const std::size_t h = op.geometry().height;
  std::vector<std::size_t> ends = splits.empty() ? std::vector<std::size_t>{h} : splits;
  if (ends.back() != h) throw std::invalid_argument("the last split must be the height");
  const ViewRows src(in);
  const ViewSink dst(out);
  if (op.passes() == 2) {
    std::size_t y0 = 0;
    for (std::size_t y1 : ends) op.accumulate(src, y0, y1), y0 = y1;
    op.finish();
  }
  std::size_t y0 = 0;
  for (std::size_t y1 : ends) op.run_rows(src, dst, y0, y1), y0 = y1;
}

namespace {
struct RingRows final : RowSource {
  RingRows(const float* b, std::size_t r, std::size_t f) : base(b), rows(r), floats(f) {}
  const float* base;
  std::size_t rows, floats;
  const float* row(std::size_t y) const override { return base + (y % rows) * floats; }
};
struct BlockSink final : RowSink {
  BlockSink(float* b, std::size_t y, std::size_t f) : base(b), y0(y), floats(f) {}
  float* base;
  std::size_t y0, floats;
  float* row(std::size_t y) const override { return base + (y - y0) * floats; }
};
}  // namespace

StreamDriver::StreamDriver(Operation& op, std::size_t row_floats, std::size_t block, Emit emit)
    : op_(op),
      row_floats_(row_floats),
      block_(std::max<std::size_t>(block, 1)),
      halo_(op.halo_rows()),
      emit_(std::move(emit)),
      passes_left_(op.passes()) {
  ring_rows_ = std::min(op.geometry().height, 2 * halo_ + block_);
  ring_.resize(ring_rows_ * row_floats_);
  out_.resize(block_ * row_floats_);
}

void StreamDriver::process(std::size_t y0, std::size_t y1) {
  const RingRows src{ring_.data(), ring_rows_, row_floats_};
  if (passes_left_ == 2) {
    op_.accumulate(src, y0, y1);
    return;
  }
  const BlockSink dst{out_.data(), y0, row_floats_};
  if (split_) split_(y0, y1, [&](std::size_t b, std::size_t e) { op_.run_rows(src, dst, b, e); });
  else op_.run_rows(src, dst, y0, y1);
  for (std::size_t y = y0; y < y1; ++y) emit_(y, dst.row(y));
}

void StreamDriver::push(const float* row) {
  const std::size_t h = op_.geometry().height;
  if (passes_left_ == 0 || pushed_ >= h) throw std::logic_error("row pushed past the image");
  std::copy(row, row + row_floats_,
            ring_.begin() + static_cast<std::ptrdiff_t>((pushed_ % ring_rows_) * row_floats_));
  ++pushed_;
  // Output rows [done_, pushed_ - halo) have their whole window; a block of them is computed
  // once it is full. The ring keeps rows [pushed_ - ring_rows_, pushed_): for a block
  // [done_, done_ + block_) the oldest row needed is done_ - halo and the newest done_ +
  // block_ - 1 + halo = pushed_ - 1 at the latest, so 2 * halo + block_ rows suffice.
  if (pushed_ >= done_ + block_ + halo_) {
    process(done_, done_ + block_);
    done_ += block_;
  }
}

void StreamDriver::end_pass() {
  const std::size_t h = op_.geometry().height;
  if (passes_left_ == 0 || pushed_ != h) throw std::logic_error("a pass ended early");
  while (done_ < h) {
    const std::size_t y1 = std::min(h, done_ + block_);
    process(done_, y1);
    done_ = y1;
  }
  if (passes_left_ == 2) op_.finish();
  --passes_left_;
  pushed_ = done_ = 0;
}

}  // namespace lrn::family
