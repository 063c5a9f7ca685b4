// The operation interface of the normalization family: what the streaming engine drives.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace lrn::family {

/// Shape and layout of one image (input and output alike). A sample (y, x, c) lives at
///   row(y)[x * pixel_stride + c * channel_stride]
/// where row(y) is what a RowSource / RowSink returns. Interleaved HWC, what the codecs and the
/// pipeline's row blocks hold, is pixel_stride = channels, channel_stride = 1 (interleaved()).
/// Planar CHW is pixel_stride = 1, channel_stride = the plane size in floats (planar()): row(y)
/// then points at row y of plane 0. Strides are in floats. Operations never assume either
/// layout, so a planar tensor needs no transpose.
struct Geometry {
  std::size_t width = 0;
  std::size_t height = 0;
  std::size_t channels = 0;
  std::ptrdiff_t pixel_stride = 0;
  std::ptrdiff_t channel_stride = 0;

  static Geometry interleaved(std::size_t w, std::size_t h, std::size_t c) {
    return {w, h, c, static_cast<std::ptrdiff_t>(c), 1};
  }
  static Geometry planar(std::size_t w, std::size_t h, std::size_t c) {
    return {w, h, c, 1, static_cast<std::ptrdiff_t>(w * h)};
  }
  /// width, height and channels >= 1 and both strides nonzero.
  bool valid() const;
};

/// Read access to input rows. An operation asked for output rows [y0, y1) calls row(y) only for
/// y in [max(0, y0 - halo), min(height, y1 + halo)): rows outside the image are never asked
/// for; each operation states in its header how its window treats them (the border rule).
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual const float* row(std::size_t y) const = 0;
};

/// Write access to output rows: row(y) for y in [y0, y1) of the current call only.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual float* row(std::size_t y) const = 0;
};

/// One method of the family, prepared for one image's Geometry (statistics are per image).
///
/// The engine's contract:
///  1. passes() == 2: call accumulate(in, y0, y1) over row ranges that cover [0, height) once,
///     in increasing order (any split), then finish(). accumulate reads input rows as
///     run_rows does (halo included). A call with y0 == 0 starts the statistics afresh, so the
///     same operation can be run over the image again. passes() == 1: neither is called.
///  2. run_rows(in, out, y0, y1) for any ranges covering [0, height), in any order, from any
///     number of threads at once (run_rows is const and keeps its scratch on the stack/heap
///     of the call).
/// Output is bit-identical however the rows are split into ranges, for both steps: windows are
/// computed from fixed positions only (block anchors, tap order), never from where a call
/// starts. Input and output must not alias (output rows are needed as halo by other calls).
/// Parameters were validated before construction: no step can fail.
class Operation {
 public:
  virtual ~Operation() = default;
  /// Rows needed above and below an output row.
  virtual std::size_t halo_rows() const = 0;
  /// 1 (stream once) or 2 (a statistics pass over the whole image first).
  virtual int passes() const { return 1; }
  virtual void accumulate(const RowSource& /*in*/, std::size_t /*y0*/, std::size_t /*y1*/) {}
  virtual void finish() {}
  virtual void run_rows(const RowSource& in, const RowSink& out, std::size_t y0,
                        std::size_t y1) const = 0;
  const Geometry& geometry() const { return geometry_; }

 protected:
  explicit Operation(const Geometry& g) : geometry_(g) {}
  Geometry geometry_;
};

/// Joins validation messages into one line for std::invalid_argument.
std::string join_problems(const std::vector<std::string>& problems);

/// What every make_* does before building its operation: throws std::invalid_argument for
/// the parameters' problems (all of them, joined), then for an invalid geometry.
void require_valid(const std::vector<std::string>& problems, const Geometry& g);

}  // namespace lrn::family
