// normalize() over strided views (include/lrn_img/normalize.h): rows that the kernel can
// read where they are (interleaved or planar) go straight through it; any other strides are
// gathered into an interleaved row and scattered back.
#include <algorithm>
#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include "api/family.h"
#include "lrn/kernel.h"
#include "lrn/resolve.h"
#include "lrn_img/errors.h"
#include "lrn_img/normalize.h"
#include "pipeline/cores.h"
#include "pipeline/driver.h"
#include "pipeline/parallel.h"

namespace lrn_img {
namespace {

// Pixels per work item: big enough that a call costs little next to its work, small enough
// that a single image still spreads over the threads.
constexpr std::size_t kChunk = 4096;

// Values a thread must have to be worth starting: a WorkerPool's threads start per call
// (tens of us, more on a busy machine), which is the whole kernel time of a (224, 224, 3)
// image (150528 values, ~30 us); below twice this, normalize() runs on the caller's thread.
constexpr std::size_t kValuesPerThread = std::size_t{1} << 18;

template <class T>
std::pair<const char*, const char*> extent(const BasicView<T>& v) {
  const std::ptrdiff_t sizes[4] = {
      static_cast<std::ptrdiff_t>(v.images), static_cast<std::ptrdiff_t>(v.height),
      static_cast<std::ptrdiff_t>(v.width), static_cast<std::ptrdiff_t>(v.channels)};
  const std::ptrdiff_t strides[4] = {v.image_stride, v.row_stride, v.column_stride,
                                     v.channel_stride};
  std::ptrdiff_t lo = 0, hi = 0;
  for (int i = 0; i < 4; ++i) {
    const std::ptrdiff_t span = (sizes[i] - 1) * strides[i];
    (span < 0 ? lo : hi) += span;
  }
  const char* base = reinterpret_cast<const char*>(v.data);
  return {base + lo * 4, base + (hi + 1) * 4};
}

bool same_view(const ConstTensorView& a, const TensorView& b) {
  return a.data == b.data && a.image_stride == b.image_stride && a.row_stride == b.row_stride &&
         a.column_stride == b.column_stride && a.channel_stride == b.channel_stride;
}

template <class T>
bool interleaved(const BasicView<T>& v) {
  return v.channel_stride == 1 && v.column_stride == static_cast<std::ptrdiff_t>(v.channels);
}
template <class T>
bool planar(const BasicView<T>& v, std::size_t pixels) {
  return v.column_stride == 1 &&
         (v.channels == 1 || v.channel_stride >= static_cast<std::ptrdiff_t>(pixels));
}

void check(const ConstTensorView& in, const TensorView& out) {
  if (in.images != out.images || in.height != out.height || in.width != out.width ||
      in.channels != out.channels)
    throw InvalidArgument(
        "the output's shape differs from the input's: both must hold the same "
        "images x height x width x channels",
        "out");
  if (in.channels == 0) throw InvalidArgument("the tensor has no channels", "in");
  const std::size_t sizes[4] = {out.images, out.height, out.width, out.channels};
  const std::ptrdiff_t strides[4] = {out.image_stride, out.row_stride, out.column_stride,
                                     out.channel_stride};
  for (int i = 0; i < 4; ++i)
    if (sizes[i] > 1 && strides[i] == 0)
      throw InvalidArgument(
          "the output has a zero stride on an axis longer than 1: values would "
          "overwrite each other",
          "out");
  if (!same_view(in, out)) {
    const auto a = extent(in), b = extent(out);
    if (a.first < b.second && b.first < a.second)
      throw InvalidArgument(
          "the output overlaps the input without being the same view; "
          "normalize in place with out == in, or into a separate buffer",
          "out");
  }
}

// A family method over the views, one image at a time (statistics are per image): the image
// gathered into an interleaved buffer unless it is one already, the operation's statistics
// pass (two-pass methods) over all rows in order, then its rows split over the threads, into
// an interleaved buffer scattered to out (or straight into out when out is interleaved and
// apart from in). The operation's output does not depend on how rows are split, so this is
// bit for bit what lrn-img's streaming run computes.
void run_family(const ConstTensorView& in, const TensorView& out, const lrn::FamilyMethod& m,
                unsigned threads, const std::atomic<bool>* cancel) {
  using lrn::family::Geometry;
  const std::size_t H = in.height, W = in.width, C = in.channels;
  const auto row_floats = static_cast<std::ptrdiff_t>(W * C);
  const bool in_direct = interleaved(in);
  const bool out_direct = interleaved(out) && !same_view(in, out);
  std::vector<float> src_buf(in_direct ? 0 : H * W * C), dst_buf(out_direct ? 0 : H * W * C);
  constexpr std::size_t kRows = 16;  // rows per work item
  const std::size_t blocks = (H + kRows - 1) / kRows;
  if (threads == 0) threads = lrn::usable_cores();
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, blocks));
  std::optional<lrn::WorkerPool> pool;
  if (threads > 1) pool.emplace(threads);
  auto stopped = [&] { return cancel && cancel->load(std::memory_order_relaxed); };

  for (std::size_t n = 0; n < in.images; ++n) {
    if (stopped()) break;
    std::unique_ptr<lrn::family::Operation> op;
    try {
      op = m.make(Geometry::interleaved(W, H, C));
    } catch (const std::invalid_argument& e) {
      throw InvalidArgument("cannot apply method " + std::string(lrn::method_name(m.method)) +
                                " to a tensor of " + std::to_string(C) + " channel(s): " + e.what(),
                            m.method == lrn::Method::Zca ? "zca" : "in");
    }
    const float* src = in.data + static_cast<std::ptrdiff_t>(n) * in.image_stride;
    float* dst = out.data + static_cast<std::ptrdiff_t>(n) * out.image_stride;
    lrn::family::ImageView iv{src, in.row_stride};
    if (!in_direct) {
      for (std::size_t y = 0; y < H; ++y)
        for (std::size_t x = 0; x < W; ++x)
          for (std::size_t c = 0; c < C; ++c)
            src_buf[(y * W + x) * C + c] = src[static_cast<std::ptrdiff_t>(y) * in.row_stride +
                                               static_cast<std::ptrdiff_t>(x) * in.column_stride +
                                               static_cast<std::ptrdiff_t>(c) * in.channel_stride];
      iv = {src_buf.data(), row_floats};
    }
    lrn::family::MutableImageView ov{dst, out.row_stride};
    if (!out_direct) ov = {dst_buf.data(), row_floats};

    struct Rows : lrn::family::RowSource {
      const float* base;
      std::ptrdiff_t stride;
      const float* row(std::size_t y) const override {
        return base + static_cast<std::ptrdiff_t>(y) * stride;
      }
    } rows;
    rows.base = iv.data, rows.stride = iv.row_stride;
    struct Sink : lrn::family::RowSink {
      float* base;
      std::ptrdiff_t stride;
      float* row(std::size_t y) const override {
        return base + static_cast<std::ptrdiff_t>(y) * stride;
      }
    } sink;
    sink.base = ov.data, sink.stride = ov.row_stride;

    if (op->passes() == 2) {
      op->accumulate(rows, 0, H);
      op->finish();
    }
    auto run = [&](std::size_t begin, std::size_t end) {
      for (std::size_t b = begin; b < end; ++b) {
        if (stopped()) return;
        op->run_rows(rows, sink, b * kRows, std::min(H, (b + 1) * kRows));
      }
    };
    if (pool) pool->run(blocks, 1, run);
    else run(0, blocks);
    if (stopped()) break;
    if (!out_direct)
      for (std::size_t y = 0; y < H; ++y)
        for (std::size_t x = 0; x < W; ++x)
          for (std::size_t c = 0; c < C; ++c)
            dst[static_cast<std::ptrdiff_t>(y) * out.row_stride +
                static_cast<std::ptrdiff_t>(x) * out.column_stride +
                static_cast<std::ptrdiff_t>(c) * out.channel_stride] = dst_buf[(y * W + x) * C + c];
  }
  if (cancel && cancel->load()) throw Cancelled();
}

}  // namespace

const char* layout_name(Layout l) {
  switch (l) {
    case Layout::Chw: return "chw";
    case Layout::Nhwc: return "nhwc";
    case Layout::Nchw: return "nchw";
    case Layout::Hwc: break;
  }
  return "hwc";
}

template <class T>
static BasicView<T> contiguous(T* data, Layout layout, const std::size_t* dims, std::size_t rank) {
  const bool batch = layout == Layout::Nhwc || layout == Layout::Nchw;
  if (rank != (batch ? 4u : 3u))
    throw InvalidArgument(std::string("layout ") + layout_name(layout) + " needs " +
                              (batch ? "4" : "3") + " dimensions, not " + std::to_string(rank),
                          "layout", layout_name(layout));
  const std::size_t* d = batch ? dims + 1 : dims;
  BasicView<T> v;
  v.data = data;
  v.layout = layout;
  v.images = batch ? dims[0] : 1;
  const bool first = layout == Layout::Chw || layout == Layout::Nchw;
  v.channels = first ? d[0] : d[2];
  v.height = first ? d[1] : d[0];
  v.width = first ? d[2] : d[1];
  const auto H = static_cast<std::ptrdiff_t>(v.height), W = static_cast<std::ptrdiff_t>(v.width),
             C = static_cast<std::ptrdiff_t>(v.channels);
  v.image_stride = H * W * C;
  if (first) {
    v.channel_stride = H * W, v.row_stride = W, v.column_stride = 1;
  } else {
    v.channel_stride = 1, v.column_stride = C, v.row_stride = W * C;
  }
  return v;
}

TensorView make_view(float* data, Layout layout, const std::size_t* dims, std::size_t rank) {
  return contiguous(data, layout, dims, rank);
}
ConstTensorView make_view(const float* data, Layout layout, const std::size_t* dims,
                          std::size_t rank) {
  return contiguous(data, layout, dims, rank);
}

unsigned usable_cores() { return lrn::usable_cores(); }

void normalize(const ConstTensorView& in, const TensorView& out, const Params& params,
               unsigned threads, const std::atomic<bool>* cancel) {
  normalize(in, out, resolve(params), threads, cancel);
}

void normalize(const ConstTensorView& in, const TensorView& out, const Resolved& r,
               unsigned threads, const std::atomic<bool>* cancel) {
  if (r.method != Method::Lrn) {
    if (!r.family || static_cast<int>(r.family->method.method) != static_cast<int>(r.method))
      throw InvalidArgument(std::string("a Resolved for method ") + method_name(r.method) +
                                " must come from resolve()",
                            "params");
    check(in, out);
    if (in.images == 0 || in.height == 0 || in.width == 0) return;
    run_family(in, out, r.family->method, threads, cancel);
    return;
  }
  const lrn::LrnParams p{r.before, r.after, r.bias, r.alpha, r.beta};
  if (const auto problems = lrn::validate(p); !problems.empty()) throw InvalidArgument(problems[0]);
  check(in, out);
  if (in.images == 0 || in.height == 0 || in.width == 0) return;
  const lrn::Kernel kernel(p, in.channels);
  const std::size_t C = in.channels;

  // Rows whose pixels follow one another in both views (row_stride == width * column_stride)
  // are one long row per image, so small images still make long kernel calls.
  const bool rows_join =
      in.row_stride == static_cast<std::ptrdiff_t>(in.width) * in.column_stride &&
      out.row_stride == static_cast<std::ptrdiff_t>(out.width) * out.column_stride;
  const std::size_t rows = rows_join ? 1 : in.height;
  const std::size_t row_pixels = rows_join ? in.height * in.width : in.width;
  const bool fast_hwc = interleaved(in) && interleaved(out);
  const bool fast_chw = planar(in, row_pixels) && planar(out, row_pixels);
  const std::size_t chunks = (row_pixels + kChunk - 1) / kChunk;

  auto run = [&](std::size_t begin, std::size_t end) {
    std::vector<float> row;
    for (std::size_t item = begin; item < end; ++item) {
      if (cancel && cancel->load(std::memory_order_relaxed)) return;
      const std::size_t n = item / (rows * chunks), y = item / chunks % rows, k = item % chunks;
      const std::size_t x0 = k * kChunk, count = std::min(kChunk, row_pixels - x0);
      const float* src = in.data + static_cast<std::ptrdiff_t>(n) * in.image_stride +
                         static_cast<std::ptrdiff_t>(y) * in.row_stride +
                         static_cast<std::ptrdiff_t>(x0) * in.column_stride;
      float* dst = out.data + static_cast<std::ptrdiff_t>(n) * out.image_stride +
                   static_cast<std::ptrdiff_t>(y) * out.row_stride +
                   static_cast<std::ptrdiff_t>(x0) * out.column_stride;
      if (fast_hwc) {
        kernel.run(src, dst, count);
      } else if (fast_chw) {
        kernel.run_planar(src, C == 1 ? count : static_cast<std::size_t>(in.channel_stride), dst,
                          C == 1 ? count : static_cast<std::size_t>(out.channel_stride), count);
      } else {
        row.resize(count * C);
        for (std::size_t x = 0; x < count; ++x)
          for (std::size_t c = 0; c < C; ++c)
            row[x * C + c] = src[static_cast<std::ptrdiff_t>(x) * in.column_stride +
                                 static_cast<std::ptrdiff_t>(c) * in.channel_stride];
        kernel.run(row.data(), row.data(), count);
        for (std::size_t x = 0; x < count; ++x)
          for (std::size_t c = 0; c < C; ++c)
            dst[static_cast<std::ptrdiff_t>(x) * out.column_stride +
                static_cast<std::ptrdiff_t>(c) * out.channel_stride] = row[x * C + c];
      }
    }
  };
  const std::size_t items = in.images * rows * chunks;
  if (threads == 0) threads = lrn::usable_cores();
  const std::size_t values = in.images * in.height * in.width * C;
  threads = static_cast<unsigned>(
      std::min<std::size_t>({threads, items, std::max<std::size_t>(1, values / kValuesPerThread)}));
  if (threads <= 1) {
    run(0, items);
  } else {
    lrn::WorkerPool pool(threads);
    pool.run(items, 1, run);
  }
  if (cancel && cancel->load()) throw Cancelled();
}

}  // namespace lrn_img
