// The family's streaming run: each image's rows pushed through a StreamDriver, once for a
// one-pass operation, twice for a two-pass one, and once more first under --rescale (the
// output's range). Rows come from the decoder the first time and from the held image after.
#include "pipeline/family_run.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "image/codec_table.h"
#include "image/grow_buffer.h"
#include "image/stop.h"
#include "lrn/half.h"
#include "pipeline/block_source.h"
#include "pipeline/driver.h"
#include "pipeline/parallel.h"

namespace lrn::pipeline_stages {
namespace {

using family::Geometry;
using family::Operation;
using family::StreamDriver;

// The file's raw rows one at a time, in order, from a BlockSource (which may decode ahead on
// a thread of its own).
class RawRows {
 public:
  RawRows(BlockSource& source, std::size_t row_bytes) : source_(source), rb_(row_bytes) {}
  void next(std::uint8_t* dst) {
    if (left_ == 0) {
      at_ = source_.next(&left_);
      if (!at_) throw std::logic_error("family_run: read past the last row");
    }
    std::memcpy(dst, at_, rb_);
    at_ += rb_;
    --left_;
  }

 private:
  BlockSource& source_;
  const std::size_t rb_;
  const std::uint8_t* at_ = nullptr;
  std::size_t left_ = 0;
};

// Where one image's input rows come from: the decoder (once), then the held image.
class ImageRows {
 public:
  ImageRows(RawRows& src, const Plan& p, bool hold, std::size_t ring_rows)
      : src_(src),
        p_(p),
        hold_(hold),
        rb_(p.in.row_bytes()),
        ring_rows_(std::max<std::size_t>(1, ring_rows)) {
    if (!hold_) ring_.resize(ring_rows_ * rb_);
    if (p_.t.planar) plane_.resize(p_.in.width);
  }

  /// Starts the image: a planar image is read whole (its planes span its reader rows).
  void start() {
    have_ = 0;
    if (!p_.t.planar) return;
    const std::size_t h = p_.t.height;
    for (std::size_t y = 0; y < h; ++y) {
      held_.grow((y + 1) * rb_);
      src_.next(held_.data() + y * rb_);
    }
    have_ = h;
  }

  /// Row y of the image as interleaved floats (the colour channels) into dst.
  void load(std::size_t y, float* dst) {
    const std::size_t w = p_.in.width, c = p_.color;
    if (p_.t.planar) {
      const std::size_t hw = p_.t.height * w, s = sample_size(p_.in.type);
      for (std::size_t k = 0; k < c; ++k) {
        samples_to_floats(held_.data() + (k * hw + y * w) * s, w, p_.in.type,
                          static_cast<float>(p_.to_float), plane_.data());
        for (std::size_t x = 0; x < w; ++x) dst[x * c + k] = plane_[x];
      }
      return;
    }
    if (y == have_) {  // first time: from the decoder
      if (hold_) held_.grow((y + 1) * rb_);
      src_.next(const_cast<std::uint8_t*>(raw(y)));
      ++have_;
    }
    to_floats(raw(y), w, p_, dst);
  }

  /// Input samples of row y (for alpha), valid while y is in the driver's ring.
  const std::uint8_t* raw(std::size_t y) const {
    if (p_.t.planar) return nullptr;
    return hold_ ? held_.data() + y * rb_ : ring_.data() + (y % ring_rows_) * rb_;
  }

 private:
  RawRows& src_;
  const Plan& p_;
  const bool hold_;
  const std::size_t rb_, ring_rows_;
  GrowBuffer held_;
  std::vector<std::uint8_t> ring_;
  std::vector<float> plane_;
  std::size_t have_ = 0;  // rows read from the decoder so far
};

}  // namespace

void run_family(ImageReader& reader, ImageWriter& writer, const Plan& p, const RunOptions& opt,
                const std::string& in_name, const std::string& out_name) {
  const FamilyMethod& m = *opt.method;
  const std::size_t w = p.in.width, h = p.t.height, c = p.color, row_floats = w * c;
  // As stream(): only integer image outputs are rescaled (float TIFF and .npy get the values).
  const bool rescale = opt.rescale && codec_of(p.out_format).clamps &&
                       p.out.type != SampleType::F32 && p.out.type != SampleType::F16;
  const bool hold = p.t.planar || rescale || m.passes() == 2;
  // Threads split a block's rows; under a megapixel a thread costs more than it saves. With a
  // core to spare, the decoder of a large image gets a thread of its own, as in stream().
  const bool large = w * h >= (std::size_t{1} << 20);
  const unsigned threads = large ? std::max(1u, opt.threads) : 1u;
  const bool prefetch = threads >= 2 && !p.t.planar;  // planar blocks are whole images: not tripled
  WorkerPool pool(prefetch ? threads - 1 : threads);
  constexpr std::size_t kSourceRows = 16;
  // A planar array is read in whole images (its planes span an image's reader rows).
  const std::size_t source_rows =
      p.t.planar ? h : std::min<std::size_t>(kSourceRows, std::max<std::size_t>(1, p.in.height));
  BlockSource source(reader, nullptr, source_rows, prefetch);
  RawRows raw_rows(source, p.in.row_bytes());
  const std::size_t per_thread =
      std::max<std::size_t>(1, (64 * 1024) / std::max<std::size_t>(1, w));
  const std::size_t fit = std::max<std::size_t>(1, (std::size_t{4} << 20) / (row_floats * 4));
  const std::size_t block = std::min(fit, std::max<std::size_t>(8, pool.threads() * per_thread));

  std::optional<StatsAccumulator> stats;
  if (opt.stats) stats.emplace(c);
  std::size_t overflows = 0;
  std::vector<float> x(row_floats);
  const std::size_t out_rb = p.out.row_bytes();
  // Planar .npy output is written a whole image at a time (its planes span the image).
  std::vector<std::uint8_t> out(p.planar_out ? h * out_rb : std::min(block, h) * out_rb);

  for (std::size_t image = 0; image < p.t.images; ++image) {
    std::unique_ptr<Operation> op;
    try {
      op = m.make(Geometry::interleaved(w, h, c));
    } catch (const std::invalid_argument& e) {
      throw FileError("cannot apply " + std::string(method_name(m.method)) + " to " +
                      quoted(in_name) + " (" + std::to_string(c) +
                      " colour channel(s)): " + e.what());
    }
    ImageRows rows(raw_rows, p, hold, std::min(h, 2 * op->halo_rows() + block));
    rows.start();
    auto split = [&](std::size_t y0, std::size_t y1,
                     const std::function<void(std::size_t, std::size_t)>& part) {
      pool.run(y1 - y0, 1, [&](std::size_t b, std::size_t e) { part(y0 + b, y0 + e); });
    };
    // Pushes the image through d (its passes); on_load sees each row loaded for output.
    auto feed = [&](StreamDriver& d, bool count_input) {
      while (d.passes_left() > 0) {
        const bool last = d.passes_left() == 1;
        for (std::size_t y = 0; y < h; ++y) {
          if (opt.cancel && y % 64 == 0 && opt.cancel->load(std::memory_order_relaxed))
            throw Cancelled();
          rows.load(y, x.data());
          if (count_input && last && stats) stats->add(x.data(), 0, w, false, image);
          d.push(x.data());
        }
        d.end_pass();
      }
    };

    Quantiser q = make_quantiser(p, nullptr);
    bool gathered = false;
    if (rescale) {
      float lo = std::numeric_limits<float>::infinity(), hi = -lo;
      StreamDriver range(*op, row_floats, block, [&](std::size_t, const float* y) {
        for (std::size_t i = 0; i < row_floats; ++i) {
          lo = std::min(lo, y[i]);  // std::min/max keep the first operand on NaN
          hi = std::max(hi, y[i]);
        }
      });
      range.set_split(split);
      feed(range, false);
      const std::pair<float, float> r{lo, hi};
      q = make_quantiser(p, &r);
      gathered = true;
    }
    std::size_t first = 0;  // interleaved output: the first row of `out`
    StreamDriver d(*op, row_floats, block, [&](std::size_t y, const float* v) {
      if (stats) stats->add(v, 0, w, true, image);
      if (p.planar_out) {
        const std::size_t hw = h * w;
        if (p.out.type == SampleType::F16) {
          auto* dst = reinterpret_cast<std::uint16_t*>(out.data());
          std::vector<float> plane(w);
          for (std::size_t k = 0; k < c; ++k) {
            for (std::size_t i = 0; i < w; ++i) plane[i] = v[i * c + k];
            overflows += f32_to_f16(plane.data(), dst + k * hw + y * w, w);
          }
        } else {
          auto* dst = reinterpret_cast<float*>(out.data());
          for (std::size_t k = 0; k < c; ++k)
            for (std::size_t i = 0; i < w; ++i) dst[k * hw + y * w + i] = v[i * c + k];
        }
        if (y + 1 == h) writer.write_rows(out.data(), h);
        return;
      }
      overflows += encode(v, rows.raw(y), w, p, q, out.data() + (y - first) * out_rb);
      if (y + 1 - first == out.size() / out_rb || y + 1 == h) {
        writer.write_rows(out.data(), y + 1 - first);
        first = y + 1;
      }
    });
    d.set_split(split);
    if (gathered) d.skip_statistics();
    feed(d, true);
  }
  writer.finish();
  if (overflows && opt.warn)
    opt.warn(quoted(out_name) + ": " + std::to_string(overflows) +
             " value(s) are beyond float16's range (65504) and were written as inf");
  if (stats) stats->fill(*opt.stats, p);
}

}  // namespace lrn::pipeline_stages
