// Two ways to drive an Operation: over a whole image in memory (the reference), and streaming
// rows through a ring that holds only the window's rows (what the pipeline will adopt).
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "lrn/family/operation.h"

namespace lrn::family {

/// An image in memory: row y starts at data + y * row_stride (floats), samples addressed with
/// the Geometry's pixel and channel strides.
struct ImageView {
  const float* data = nullptr;
  std::ptrdiff_t row_stride = 0;
};
struct MutableImageView {
  float* data = nullptr;
  std::ptrdiff_t row_stride = 0;
};

/// Runs op over the whole image: for two passes, accumulate over the row ranges then finish;
/// then run_rows over the same ranges. `splits` are the ends of the ranges in increasing order
/// (the last one op.geometry().height); empty means one range [0, height).
void run_image(Operation& op, ImageView in, MutableImageView out,
               const std::vector<std::size_t>& splits = {});

/// Streams an interleaved or planar-per-row image through op, rows pushed in order. Holds a
/// ring of 2 * halo + block rows of the input (never the image): once row t is pushed, output
/// rows up to t - halo are computed in blocks of `block` rows and handed to emit in order.
/// A two-pass op takes the image twice (push every row, end_pass(), push every row again,
/// end_pass()): the first time feeds accumulate(), the second produces output. A row is
/// row_floats floats (width * pixel stride for HWC), copied into the ring on push.
class StreamDriver {
 public:
  using Emit = std::function<void(std::size_t y, const float* row)>;
  StreamDriver(Operation& op, std::size_t row_floats, std::size_t block, Emit emit);
  void push(const float* row);
  /// Flushes the rows still owed after the last push of a pass.
  void end_pass();
  /// Passes still expected (op.passes() at the start, 0 when done).
  int passes_left() const { return passes_left_; }
  /// Rows the ring holds.
  std::size_t ring_rows() const { return ring_rows_; }
  /// Runs each block's output rows as parts: split(y0, y1, part) must call part on disjoint
  /// ranges covering [y0, y1), on any threads, and return when all are done (the operation's
  /// contract makes the output bit-identical however they are split). Default: one part.
  using Split = std::function<void(std::size_t, std::size_t,
                                   const std::function<void(std::size_t, std::size_t)>&)>;
  void set_split(Split split) { split_ = std::move(split); }
  /// The statistics of a two-pass op are already gathered (a pass made earlier on the same
  /// image): the image is taken once, for output.
  void skip_statistics() {
    if (passes_left_ == 2 && pushed_ == 0) passes_left_ = 1;
  }

 private:
  void process(std::size_t y0, std::size_t y1);
  Operation& op_;
  std::size_t row_floats_, block_, halo_, ring_rows_;
  Emit emit_;
  Split split_;
  std::vector<float> ring_, out_;
  std::size_t pushed_ = 0, done_ = 0;
  int passes_left_;
};

}  // namespace lrn::family
