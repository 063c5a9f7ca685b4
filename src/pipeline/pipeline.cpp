// The streaming pipeline: decoder rows -> float HWC row blocks -> LRN -> quantise -> encoder
// rows. Only a block of rows is ever in memory, except where the whole input must be seen
// first (--rescale needs the output's min and max): then the input is held in its own sample
// type (8-bit for most images), and LRN runs twice, which costs less than a float image.
// Tensors (lrn/layout.h) flow the same way: a batch is its images' rows one after another
// (LRN never mixes pixels, so image boundaries only matter to statistics), and a planar
// (CHW) image is a block of its own, its channel planes handed to Kernel::run_planar where
// they lie: no transpose in or out, and the .npy output keeps the input's layout.
#include "pipeline/pipeline.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

#include "image/codec_table.h"
#include "image/grow_buffer.h"
#include "image/output_file.h"
#include "image/signatures.h"
#include "lrn/convert.h"
#include "lrn/half.h"
#include "lrn/kernel.h"
#include "pipeline/block_source.h"
#include "pipeline/family_run.h"
#include "pipeline/parallel.h"
#include "pipeline/stages.h"

namespace lrn {
namespace pipeline_stages {

double full_scale_of(SampleType t) { return t == SampleType::U16 ? 65535.0 : 255.0; }

Plan make_plan(const ImageInfo& in, const TensorShape* tensor, Format in_format, Format out_format,
               const std::string& in_name, const std::string& out_name, const RunOptions& opt) {
  Plan p;
  p.in = in;
  if (tensor) {
    p.t = *tensor;
  } else {
    p.t.height = in.height;
    p.t.width = in.width;
    p.t.channels = in.channels;
  }
  p.out_format = out_format;
  p.color = in.channels - (in.has_alpha ? 1 : 0);
  // What the codec table says the two formats are (image/codec_table.h).
  const Codec& reads = codec_of(in_format);
  const Codec& writes = codec_of(out_format);
  // .npy and float samples (float TIFF) are used as they are; integer samples are mapped so a
  // full-scale sample (255, or 65535 for 16-bit PNG, PNM and TIFF) becomes pixel_scale.
  const bool float_in =
      in.type == SampleType::F16 || in.type == SampleType::F32 || in.type == SampleType::F64;
  p.to_float = reads.values_as_stored || float_in ? 1.0 : opt.pixel_scale / full_scale_of(in.type);

  p.out.width = in.width;
  p.out.height = in.height;
  // An output that can hold floats (.npy always, TIFF for float input or --dtype) gets LRN's
  // values exactly; the others are quantised to their integer range.
  const bool can_float = writes.out_types & type_bit(SampleType::F32);
  const bool exact = writes.batches || (can_float && (float_in || opt.dtype_given));
  if (!writes.batches) {
    if (p.t.images > 1)
      throw FileError("cannot write " + quoted(out_name) + ": " + quoted(in_name) + " holds " +
                          std::to_string(p.t.images) + " images and " + writes.name +
                          " holds one; write .npy instead",
                      out_name);
    if (p.color > 4 || (writes.out_colors && !(writes.out_colors & colors_bit(p.color))))
      throw FileError("cannot write " + quoted(out_name) + ": " + std::to_string(p.color) +
                          "-channel data cannot be stored as " + writes.name + " (" +
                          writes.colors_text + "); write .npy instead",
                      out_name);
  }
  if (exact) {
    // The output keeps the input's layout and shape (lrn/layout.h): no transpose either way.
    p.keep_alpha = in.has_alpha && writes.out_alpha;
    p.out.type = writes.out_types & type_bit(opt.npy_type) ? opt.npy_type : SampleType::F32;
    if (opt.npy_type != p.out.type && opt.warn)
      opt.warn(quoted(out_name) + ": " + param("dtype") + " f16 applies to .npy outputs; " +
               writes.name + " gets float32");
    p.planar_out = p.t.planar && writes.batches;
    if (opt.rescale && opt.warn)
      opt.warn(quoted(out_name) + ": " + param("rescale") + " applies to integer image outputs; " +
               writes.name + " gets the exact values");
  } else {
    if (opt.dtype_given && opt.warn)
      opt.warn(quoted(out_name) + ": " + param("dtype") + " applies to .npy and TIFF outputs; " +
               writes.name + " gets its own sample type");
    // 16-bit input stays 16-bit where the format can hold it.
    p.out.type = in.type == SampleType::U16 && (writes.out_types & type_bit(SampleType::U16))
                     ? SampleType::U16
                     : SampleType::U8;
    // Alpha passes through as stored, so only between samples of one type.
    p.keep_alpha = in.has_alpha && writes.out_alpha && in.type == p.out.type;
    if (in.has_alpha && !p.keep_alpha && opt.warn)
      opt.warn(quoted(in_name) + ": alpha channel dropped (" +
               (writes.out_alpha ? std::string(in.type == SampleType::U16 ? "16-bit" : "float") +
                                       " alpha and " + writes.name + "'s 8-bit samples"
                                 : std::string(writes.name) + " has none") +
               ")");
    p.full_scale = full_scale_of(p.out.type);
    p.to_sample = p.full_scale / opt.pixel_scale;
  }
  p.out.channels = p.color + (p.keep_alpha ? 1 : 0);
  p.out.has_alpha = p.keep_alpha;
  return p;
}

// n contiguous input samples -> floats as LRN sees them (times `scale`); the SIMD
// conversions of lrn/convert.h for 8 and 16 bits.
void samples_to_floats(const std::uint8_t* raw, std::size_t n, SampleType type, float scale,
                       float* dst) {
  switch (type) {
    case SampleType::U8: return u8_to_f32(raw, dst, n, scale);
    case SampleType::U16:
      return u16_to_f32(reinterpret_cast<const std::uint16_t*>(raw), dst, n, scale);
    case SampleType::F16:
      f16_to_f32(reinterpret_cast<const std::uint16_t*>(raw), dst, n);
      if (scale != 1.0f)
        for (std::size_t i = 0; i < n; ++i) dst[i] *= scale;
      return;
    case SampleType::F32: {
      const auto* src = reinterpret_cast<const float*>(raw);
      for (std::size_t i = 0; i < n; ++i) dst[i] = src[i] * scale;
      return;
    }
    case SampleType::F64: {
      const auto* src = reinterpret_cast<const double*>(raw);
      for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]) * scale;
      return;
    }
  }
}

// Input samples of one row block -> the colour channels as floats, for the kernel.
template <typename T>
void to_floats_of(const T* src, std::size_t pixels, const Plan& p, float* dst) {
  const std::size_t inc = p.in.channels, color = p.color;
  const float scale = static_cast<float>(p.to_float);
  for (std::size_t i = 0; i < pixels; ++i)
    for (std::size_t c = 0; c < color; ++c)
      dst[i * color + c] = static_cast<float>(src[i * inc + c]) * scale;
}

void to_floats(const std::uint8_t* raw, std::size_t pixels, const Plan& p, float* dst) {
  const float scale = static_cast<float>(p.to_float);
  // Rows without alpha are one contiguous run of samples (.npy, float16 included, has none).
  if (p.in.channels == p.color)
    return samples_to_floats(raw, pixels * p.color, p.in.type, scale, dst);
  switch (p.in.type) {
    case SampleType::U8: return to_floats_of(raw, pixels, p, dst);
    case SampleType::U16:
      return to_floats_of(reinterpret_cast<const std::uint16_t*>(raw), pixels, p, dst);
    case SampleType::F32: return to_floats_of(reinterpret_cast<const float*>(raw), pixels, p, dst);
    case SampleType::F64: return to_floats_of(reinterpret_cast<const double*>(raw), pixels, p, dst);
    case SampleType::F16: throw std::logic_error("to_floats: float16 with alpha");
  }
}

// The alpha sample of input pixel i as a value in LRN's range (for .npy output).
float alpha_value(const std::uint8_t* raw, std::size_t i, const Plan& p) {
  const std::size_t at = i * p.in.channels + p.color;
  double v = 0;
  switch (p.in.type) {
    case SampleType::U8: v = raw[at]; break;
    case SampleType::U16: v = reinterpret_cast<const std::uint16_t*>(raw)[at]; break;
    case SampleType::F32: v = reinterpret_cast<const float*>(raw)[at]; break;
    case SampleType::F64: v = reinterpret_cast<const double*>(raw)[at]; break;
    case SampleType::F16: break;  // .npy has no alpha
  }
  return static_cast<float>(v * p.to_float);
}

void quantise_run(const float* f, std::size_t n, const Quantiser& q, std::uint8_t* dst) {
  f32_to_u8(f, dst, n, q.scale, q.offset);
}
void quantise_run(const float* f, std::size_t n, const Quantiser& q, std::uint16_t* dst) {
  f32_to_u16(f, dst, n, q.scale, q.offset);
}

template <typename T>
void quantise(const float* f, const std::uint8_t* raw, std::size_t pixels, const Plan& p,
              const Quantiser& q, T* dst) {
  const std::size_t color = p.color;
  if (!p.keep_alpha) return quantise_run(f, pixels * color, q, dst);
  // With alpha: quantise the colour run, then interleave the alpha samples, which pass
  // through as stored (input and output have the same sample type here).
  std::vector<T> colour(pixels * color);
  quantise_run(f, colour.size(), q, colour.data());
  const T* alpha = reinterpret_cast<const T*>(raw);
  for (std::size_t i = 0; i < pixels; ++i) {
    for (std::size_t c = 0; c < color; ++c) dst[i * (color + 1) + c] = colour[i * color + c];
    dst[i * (color + 1) + color] = alpha[i * p.in.channels + color];
  }
}

void to_npy_floats(const float* f, const std::uint8_t* raw, std::size_t pixels, const Plan& p,
                   float* dst) {
  if (!p.keep_alpha) {
    std::memcpy(dst, f, pixels * p.color * sizeof(float));
    return;
  }
  const std::size_t color = p.color, outc = p.out.channels;
  for (std::size_t i = 0; i < pixels; ++i) {
    std::memcpy(dst + i * outc, f + i * color, color * sizeof(float));
    dst[i * outc + color] = alpha_value(raw, i, p);
  }
}

// Interleaved output values -> output samples; returns how many overflowed float16 to inf.
std::size_t encode(const float* f, const std::uint8_t* raw, std::size_t pixels, const Plan& p,
                   const Quantiser& q, std::uint8_t* dst) {
  switch (p.out.type) {
    case SampleType::U8: quantise(f, raw, pixels, p, q, dst); return 0;
    case SampleType::U16:
      quantise(f, raw, pixels, p, q, reinterpret_cast<std::uint16_t*>(dst));
      return 0;
    case SampleType::F16: {
      auto* half = reinterpret_cast<std::uint16_t*>(dst);
      if (!p.keep_alpha) return f32_to_f16(f, half, pixels * p.color);
      std::vector<float> with_alpha(pixels * p.out.channels);
      to_npy_floats(f, raw, pixels, p, with_alpha.data());
      return f32_to_f16(with_alpha.data(), half, with_alpha.size());
    }
    default: to_npy_floats(f, raw, pixels, p, reinterpret_cast<float*>(dst)); return 0;
  }
}

// Rows one thread takes at least: below ~64K pixels a wake-up costs more than it saves, so
// a small image never gets slower with more threads. A planar row is W pixels of every
// channel plane (W * C values for the planar kernel), so there it is ~64K values: one image
// of many channels is split over the threads.
std::size_t min_rows_per_thread(const Plan& p) {
  const std::size_t row = p.in.width * (p.t.planar ? p.color : 1);
  return std::max<std::size_t>(1, (64 * 1024) / std::max<std::size_t>(1, row));
}

// Rows per block: about 64K samples per thread (the unit the decoder hands over and the
// encoder takes; LRN works through it in chunks), and enough rows that every thread of the
// pool gets a part; but a block's input or output rows never take more than kMaxBlockBytes
// (wide rows, many threads), except that a block holds at least one row. Row width itself
// is bounded by DecodeOptions::max_row_bytes.
std::size_t block_rows(const Plan& p, unsigned threads) {
  constexpr std::size_t kSamplesPerThread = 64 * 1024;
  constexpr std::size_t kMaxBlockBytes = std::size_t{8} << 20;
  const std::size_t row_samples = std::max<std::size_t>(1, p.in.width * p.color);
  const std::size_t sized = threads * kSamplesPerThread / row_samples;
  // A planar image is read and written whole (its channel planes span it): blocks of whole
  // images, split over the threads by pixels.
  if (p.t.planar)
    return std::min(std::max<std::size_t>(1, sized / p.t.height), p.t.images) * p.t.height;
  const std::size_t split = threads > 1 ? threads * min_rows_per_thread(p) : 1;
  const std::size_t row_bytes = std::max<std::size_t>({1, p.in.row_bytes(), p.out.row_bytes()});
  const std::size_t fit = std::max<std::size_t>(1, kMaxBlockBytes / row_bytes);
  return std::clamp<std::size_t>(std::min(std::max(sized, split), fit), 1, p.in.height);
}

// Floats converted, normalised and quantised at a time: one chunk (32 KB) stays in the L1/L2
// cache between the three steps, and no float copy of a whole block is ever touched (on a
// small image, fresh pages cost more than the arithmetic).
constexpr std::size_t kChunkFloats = 8 * 1024;

// Pixels of one image that LRN has just normalised, as run_pass hands them to `finish`.
struct Chunk {
  const float* y;           // the output values
  std::size_t stride;       // 0: interleaved (HWC); else the distance between channel planes
  const std::uint8_t* raw;  // interleaved: these pixels' input samples (for alpha)
  std::size_t image;        // index of the image in the file
  std::size_t block_image;  // planar: index of the image in the block
  std::size_t first;        // interleaved: first pixel from the block's start; planar: in the image
  std::size_t pixels;
};

// What run_pass shares with its parts.
struct Pass {
  const Plan& p;
  const Kernel& k;
  StatsAccumulator* stats;
  std::uint8_t* direct_out;  // the kernel writes the output here (float32 .npy, no alpha)
  bool direct_in;            // the input already is the floats LRN wants
  std::size_t chunk;         // pixels per chunk
};

// Rows [b, e) of an interleaved block whose first row is `first_row` of the file. Chunks never
// straddle two images, so statistics stay per image.
template <typename Finish>
void interleaved_part(const Pass& s, const std::uint8_t* in, std::size_t first_row, std::size_t b,
                      std::size_t e, Finish& finish) {
  const Plan& p = s.p;
  const std::size_t w = p.in.width, in_pixel = p.in.pixel_bytes(), out_pixel = p.out.pixel_bytes(),
                    image_pixels = w * p.t.height;
  std::vector<float> f(s.direct_in && s.direct_out ? 0 : std::min(s.chunk, (e - b) * w) * p.color);
  for (std::size_t i = b * w; i < e * w;) {
    const std::size_t at = first_row * w + i, image = at / image_pixels;
    const std::size_t pixels = std::min({s.chunk, e * w - i, (image + 1) * image_pixels - at});
    const std::uint8_t* raw = in + i * in_pixel;
    const float* x = f.data();
    if (s.direct_in) x = reinterpret_cast<const float*>(raw);
    else to_floats(raw, pixels, p, f.data());
    float* y = s.direct_out ? reinterpret_cast<float*>(s.direct_out + i * out_pixel) : f.data();
    if (s.stats) s.stats->add(x, 0, pixels, /*output=*/false, image);
    s.k.run(x, y, pixels);
    if (s.stats) s.stats->add(y, 0, pixels, /*output=*/true, image);
    finish(Chunk{y, 0, raw, image, 0, i, pixels});
    i += pixels;
  }
}

// Rows [b, e) of a block of whole planar images, the first being image `first_image` of the
// file: each image's part goes through the planar kernel in chunks of pixels, its channel
// planes read (and, for direct output, written) in place, H * W values apart.
template <typename Finish>
void planar_part(const Pass& s, const std::uint8_t* in, std::size_t first_image, std::size_t b,
                 std::size_t e, Finish& finish) {
  const Plan& p = s.p;
  const std::size_t h = p.t.height, w = p.in.width, hw = h * w, color = p.color;
  const std::size_t in_sample = sample_size(p.in.type);
  const float scale = static_cast<float>(p.to_float);
  // Straight from the input planes to the output planes, a part of an image is one kernel
  // call (its planar form walks long runs best; each call also sets up its own scratch).
  const bool direct = s.direct_in && s.direct_out;
  const std::size_t chunk = direct ? hw : s.chunk;
  std::vector<float> f(direct ? 0 : chunk * color);
  for (std::size_t j = b / h; j * h < e; ++j) {
    const std::uint8_t* image_in = in + j * h * p.in.row_bytes();
    const std::size_t end = (std::min(e, (j + 1) * h) - j * h) * w;
    for (std::size_t i = (std::max(b, j * h) - j * h) * w; i < end;) {
      const std::size_t n = std::min(chunk, end - i);
      const float* x = f.data();
      std::size_t xs = n;
      if (s.direct_in) {
        x = reinterpret_cast<const float*>(image_in) + i;
        xs = hw;
      } else {
        for (std::size_t c = 0; c < color; ++c)
          samples_to_floats(image_in + (c * hw + i) * in_sample, n, p.in.type, scale,
                            f.data() + c * n);
      }
      float* y = f.data();
      std::size_t ys = n;
      if (s.direct_out) {
        y = reinterpret_cast<float*>(s.direct_out + j * h * p.out.row_bytes()) + i;
        ys = hw;
      }
      if (s.stats) s.stats->add(x, xs, n, /*output=*/false, first_image + j);
      s.k.run_planar(x, xs, y, ys, n);
      if (s.stats) s.stats->add(y, ys, n, /*output=*/true, first_image + j);
      finish(Chunk{y, ys, image_in, first_image + j, j, i, n});
      i += n;
    }
  }
}

// One pass of LRN over the image: blocks from `source`, rows of a block split over the pool,
// each part done in chunks of whole pixels (interleaved_part, planar_part). After each chunk,
// `finish(chunk)`; after a block, `after(rows, written)` on this thread. The kernel writes
// straight into `direct_out` when given (.npy float32 output without alpha: the floats are the
// output). in_place: it writes over the block it reads instead (float32 in and out, same
// layout), and `written` is that block (else nullptr): one buffer fewer for the cache to hold
// between read() and write(), as dd has.
template <typename Finish, typename After>
void run_pass(BlockSource& source, const Plan& p, const Kernel& k, WorkerPool& pool,
              const RunOptions& opt, StatsAccumulator* stats, std::uint8_t* direct_out,
              bool in_place, Finish finish, After after) {
  // Chunks of a multiple of 16 pixels where that fits (AVX-512's float lanes), so that a
  // kernel call has no tail to pad except at the end of a part; results do not depend on it.
  std::size_t chunk = std::max<std::size_t>(1, kChunkFloats / std::max<std::size_t>(1, p.color));
  if (chunk >= 16) chunk -= chunk % 16;
  Pass s{p,
         k,
         stats,
         direct_out,
         p.in.type == SampleType::F32 && !p.in.has_alpha && p.to_float == 1.0,
         chunk};
  std::size_t n = 0, first_row = 0;
  while (const std::uint8_t* in = source.next(&n)) {
    if (opt.cancel && opt.cancel->load(std::memory_order_relaxed)) throw Cancelled();
    // A block from BlockSource's own slots is ours until the next one is asked for (in_place
    // is never used with a held image, which --rescale reads twice).
    std::uint8_t* block = in_place ? const_cast<std::uint8_t*>(in) : nullptr;
    if (in_place) s.direct_out = block;
    pool.run(n, min_rows_per_thread(p), [&](std::size_t b, std::size_t e) {
      if (p.t.planar) planar_part(s, in, first_row / p.t.height, b, e, finish);
      else interleaved_part(s, in, first_row, b, e, finish);
    });
    after(n, static_cast<const std::uint8_t*>(block));
    first_row += n;
  }
}

// Min and max of LRN's output over the colour channels, for --rescale (NaN ignored).
std::pair<float, float> output_range(ImageReader& reader, const GrowBuffer& held, const Plan& p,
                                     const Kernel& k, WorkerPool& pool, const RunOptions& opt,
                                     std::size_t rows) {
  std::mutex m;
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  BlockSource source(reader, held.data(), rows, false);
  run_pass(
      source, p, k, pool, opt, nullptr, nullptr, false,
      [&](const Chunk& ch) {
        float l = std::numeric_limits<float>::infinity(), h = -l;
        auto scan = [&](const float* y, std::size_t count) {
          for (std::size_t i = 0; i < count; ++i) {
            l = std::min(l, y[i]);  // std::min/max keep the first operand on NaN
            h = std::max(h, y[i]);
          }
        };
        if (ch.stride == 0) scan(ch.y, ch.pixels * p.color);
        else
          for (std::size_t c = 0; c < p.color; ++c) scan(ch.y + c * ch.stride, ch.pixels);
        std::lock_guard<std::mutex> lock(m);
        lo = std::min(lo, l);
        hi = std::max(hi, h);
      },
      [](std::size_t, const std::uint8_t*) {});
  return {lo, hi};
}

Quantiser make_quantiser(const Plan& p, const std::pair<float, float>* range) {
  const float full = static_cast<float>(p.full_scale);
  if (!range) return {static_cast<float>(p.to_sample), 0.0f, full};
  const auto [lo, hi] = *range;
  if (!(hi > lo)) return {0.0f, 0.0f, full};  // constant (or empty) output maps to 0
  const float scale = full / (hi - lo);
  return {scale, -lo * scale, full};
}

// A chunk's output values into the output block: interleaved as they are; planar into the
// image's channel planes (float16 .npy), or interleaved first (a CHW array written as an
// image). Returns the float16 overflows.
std::size_t store(const Chunk& ch, const Plan& p, const Quantiser& q, std::uint8_t* out) {
  const std::size_t out_pixel = p.out.pixel_bytes();
  if (ch.stride == 0) return encode(ch.y, ch.raw, ch.pixels, p, q, out + ch.first * out_pixel);
  const std::size_t hw = p.t.height * p.in.width, color = p.color;
  if (p.planar_out) {
    auto* dst = reinterpret_cast<std::uint16_t*>(out + ch.block_image * hw * p.out.pixel_bytes());
    std::size_t overflows = 0;
    for (std::size_t c = 0; c < color; ++c)
      overflows += f32_to_f16(ch.y + c * ch.stride, dst + c * hw + ch.first, ch.pixels);
    return overflows;
  }
  std::vector<float> t(ch.pixels * color);
  for (std::size_t i = 0; i < ch.pixels; ++i)
    for (std::size_t c = 0; c < color; ++c) t[i * color + c] = ch.y[c * ch.stride + i];
  return encode(t.data(), nullptr, ch.pixels, p, q,
                out + (ch.block_image * hw + ch.first) * out_pixel);
}

void stream(ImageReader& reader, ImageWriter& writer, const Plan& p, const RunOptions& opt,
            const std::string& out_name) {
  const Kernel kernel(opt.params, p.color);
  // With a core to spare, the decoder of a large image gets a thread of its own (the codec
  // is the real cost) and LRN the rest; a small image (under a megapixel) is done before a
  // thread would pay off, so it runs on this thread alone.
  const unsigned threads = std::max(1u, opt.threads);
  const bool large = p.in.width * p.in.height >= (std::size_t{1} << 20);
  // Planar images are read on this thread, with LRN split over every thread: they come only
  // from .npy, whose decoding is a read(), and a block of them is at least a whole image,
  // which a decoder thread would read into the other core's cache for LRN to fetch back
  // (measured: more CPU time and no gain in wall time, bench/README.md History 2026-11-30).
  const bool prefetch = threads >= 2 && large && !p.t.planar;
  WorkerPool pool(prefetch ? threads - 1 : large ? threads : 1);
  const std::size_t rows = block_rows(p, pool.threads());

  GrowBuffer held;
  std::pair<float, float> range;
  const bool rescale = opt.rescale && codec_of(p.out_format).clamps &&
                       p.out.type != SampleType::F32 && p.out.type != SampleType::F16;
  if (rescale) {
    // Grow with the data, block by block: a small file that declares a huge image fails when
    // its data runs out, having cost only the rows it delivered.
    const std::size_t row_bytes = p.in.row_bytes();
    for (std::size_t y = 0; y < p.in.height; y += rows) {
      const std::size_t n = std::min(rows, p.in.height - y);
      held.grow((y + n) * row_bytes);
      reader.read_rows(held.data() + y * row_bytes, n);
    }
    range = output_range(reader, held, p, kernel, pool, opt, rows);
  }
  const Quantiser q = make_quantiser(p, rescale ? &range : nullptr);

  const bool direct_out =
      p.out.type == SampleType::F32 && !p.keep_alpha && p.planar_out == p.t.planar;
  const bool in_place = direct_out && !rescale && p.in.type == SampleType::F32 && !p.in.has_alpha &&
                        p.to_float == 1.0;
  // Not zero-filled, like BlockSource's slots: pages cost memory only once written.
  const std::unique_ptr<std::uint8_t[]> out_block(
      new std::uint8_t[in_place ? 0 : rows * p.out.row_bytes()]);
  std::uint8_t* const out = out_block.get();
  std::optional<StatsAccumulator> stats;
  if (opt.stats) stats.emplace(p.color);
  std::atomic<std::size_t> overflows{0};
  BlockSource source(reader, rescale ? held.data() : nullptr, rows, prefetch);
  run_pass(
      source, p, kernel, pool, opt, stats ? &*stats : nullptr, direct_out ? out : nullptr, in_place,
      [&](const Chunk& ch) {
        if (direct_out) return;
        if (const std::size_t o = store(ch, p, q, out))
          overflows.fetch_add(o, std::memory_order_relaxed);
      },
      [&](std::size_t n, const std::uint8_t* written) {
        writer.write_rows(written ? written : out, n);
      });
  writer.finish();
  if (overflows.load() && opt.warn)
    opt.warn(quoted(out_name) + ": " + std::to_string(overflows.load()) +
             " value(s) are beyond float16's range (65504) and were written as inf");
  if (stats) stats->fill(*opt.stats, p);
}

// What of the input's metadata the output format carries; the rest is named in one warning.
Metadata kept_metadata(const Metadata& in, Format out, const std::string& in_name,
                       const RunOptions& opt) {
  const Codec& writes = codec_of(out);
  Metadata kept, dropped;
  auto sort = [](const std::vector<std::uint8_t>& from, bool fits, std::vector<std::uint8_t>& yes,
                 std::vector<std::uint8_t>& no) { (fits ? yes : no) = from; };
  const bool exif_fits =
      (writes.metadata & kExif) && (out != Format::Jpeg || in.exif.size() <= kMaxJpegExifBytes);
  sort(in.exif, exif_fits, kept.exif, dropped.exif);
  sort(in.icc, (writes.metadata & kIcc) != 0, kept.icc, dropped.icc);
  if (!dropped.empty() && opt.warn) {
    const std::string why =
        !writes.metadata ? std::string(writes.name) + " carries no metadata"
        : !dropped.exif.empty() && (writes.metadata & kExif)
            ? "a JPEG's APP1 marker holds at most " + std::to_string(kMaxJpegExifBytes) +
                  " bytes of EXIF"
            : std::string(writes.name) + " carries no " + (dropped.icc.empty() ? "EXIF" : "ICC");
    opt.warn(quoted(in_name) + ": " + describe(dropped) + " dropped (" + why + ")");
  }
  return kept;
}

}  // namespace pipeline_stages

using namespace pipeline_stages;

Format output_format(const std::string& out, const RunOptions& opt) {
  if (opt.out_format) return *opt.out_format;
  if (auto f = format_from_extension(out)) return *f;
  throw UsageError("cannot tell the output format of " + quoted(out) + ": name it " +
                       output_extensions("or", "."),
                   "format", out);
}

void process_stream(std::unique_ptr<ByteSource> src, ByteSink& sink, Format f,
                    const RunOptions& opt) {
  DecodeOptions dec;
  dec.max_pixels = opt.max_pixels;
  dec.warn = opt.warn;
  dec.auto_orient = opt.auto_orient;
  dec.keep_metadata = opt.keep_metadata;
  dec.lenient = opt.lenient;
  dec.strict = opt.strict;
  dec.max_npy_bytes = opt.max_npy_bytes;
  dec.max_row_bytes = opt.max_row_bytes;
  dec.layout = opt.layout;
  const std::string in_name = src->name();
  const auto in_format = sniff_format(src->peek(kSniffBytes));
  if (opt.layout && in_format && !codec_of(*in_format).batches)
    throw UsageError(param("layout") + " applies to .npy input, and " + quoted(in_name) + " is a " +
                         format_name(*in_format) + " file",
                     "layout", layout_name(*opt.layout));
  auto reader = open_reader(std::move(src), dec);
  const Plan p = make_plan(reader->info(), reader->tensor(), in_format.value_or(Format::Npy), f,
                           in_name, sink.name(), opt);
  if (opt.facts)
    *opt.facts = {in_format.value_or(Format::Npy),
                  f,
                  p.in.width,
                  p.t.height,
                  p.color,
                  p.t.images,
                  p.t.dims.size() == 4};
  EncodeOptions enc;
  enc.quality = opt.quality;
  enc.lossless = opt.lossless;
  if (codec_of(f).batches) enc.npy_dims = p.t.dims;
  Metadata metadata;  // outlives the writer
  if (const Metadata* m = opt.keep_metadata ? reader->metadata() : nullptr; m && !m->empty()) {
    metadata = kept_metadata(*m, f, in_name, opt);
    if (!metadata.empty()) enc.metadata = &metadata;
  }
  auto writer = open_writer(f, sink, p.out, enc);
  if (opt.method) run_family(*reader, *writer, p, opt, in_name, sink.name());
  else stream(*reader, *writer, p, opt, sink.name());
}

void process_file(const std::string& in, const std::string& out, const RunOptions& opt) {
  const Format f = output_format(out, opt);
  if (in != "-" && same_file(in, out))
    throw FileError("refusing to write " + quoted(out) + ": it is the input file", out);
  auto src = open_source(in);
  OutputFile file(out);
  process_stream(std::move(src), file, f, opt);
  file.commit();
}

}  // namespace lrn
