// The streaming pipeline: decoder rows -> float HWC row blocks -> LRN -> quantise -> encoder
// rows. Only a block of rows is ever in memory, except where the whole input must be seen
// first (--rescale needs the output's min and max): then the input is held in its own sample
// type (8-bit for most images), and LRN runs twice, which costs less than a float image.
#include "image/pipeline.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>
#include <vector>

#include "image/block_source.h"
#include "image/output_file.h"
#include "image/parallel.h"
#include "lrn/convert.h"
#include "lrn/kernel.h"

namespace lrn {
namespace {

// How one image flows: what comes in, what LRN sees, what goes out.
struct Plan {
  ImageInfo in;
  ImageInfo out;
  Format out_format = Format::Npy;
  std::size_t color = 0;     // channels LRN runs across (all but alpha)
  bool keep_alpha = false;   // alpha passes through to the output
  double to_float = 1.0;     // input sample -> value LRN sees
  double to_sample = 1.0;    // value LRN sees -> output sample (image outputs)
  double full_scale = 255;   // largest output sample (image outputs)
};

double full_scale_of(SampleType t) { return t == SampleType::U16 ? 65535.0 : 255.0; }

Plan make_plan(const ImageInfo& in, Format in_format, Format out_format, const std::string& in_name,
               const std::string& out_name, const RunOptions& opt) {
  Plan p;
  p.in = in;
  p.out_format = out_format;
  p.color = in.channels - (in.has_alpha ? 1 : 0);
  // .npy values are used as they are; decoded images are mapped so a full-scale sample
  // (255, or 65535 for 16-bit PNG) becomes pixel_scale.
  p.to_float = in_format == Format::Npy ? 1.0 : opt.pixel_scale / full_scale_of(in.type);

  p.out.width = in.width;
  p.out.height = in.height;
  if (out_format == Format::Npy) {
    p.keep_alpha = in.has_alpha;
    p.out.type = SampleType::F32;
    if (opt.rescale && opt.warn)
      opt.warn(quoted(out_name) + ": --rescale applies to image outputs; .npy gets the exact values");
  } else {
    if (p.color > 4 || (out_format == Format::Jpeg && p.color != 1 && p.color != 3))
      throw FileError("cannot write " + quoted(out_name) + ": " + std::to_string(p.color) +
                      "-channel data cannot be stored as " + format_name(out_format) + " (" +
                      (out_format == Format::Jpeg ? "JPEG holds 1 or 3 channels"
                                                  : "PNG holds 1 to 4 channels") +
                      "); write .npy instead");
    p.keep_alpha = in.has_alpha && out_format == Format::Png;
    if (in.has_alpha && !p.keep_alpha && opt.warn)
      opt.warn(quoted(in_name) + ": alpha channel dropped (JPEG has none)");
    p.out.type = out_format == Format::Png && in.type == SampleType::U16 ? SampleType::U16
                                                                          : SampleType::U8;
    p.full_scale = full_scale_of(p.out.type);
    p.to_sample = p.full_scale / opt.pixel_scale;
  }
  p.out.channels = p.color + (p.keep_alpha ? 1 : 0);
  p.out.has_alpha = p.keep_alpha;
  return p;
}

// Input samples of one row block -> the colour channels as floats, for the kernel. Rows
// without alpha are one contiguous run of samples: the SIMD conversions of lrn/convert.h.
template <typename T>
void to_floats_of(const T* src, std::size_t pixels, const Plan& p, float* dst) {
  const std::size_t inc = p.in.channels, color = p.color;
  const float scale = static_cast<float>(p.to_float);
  for (std::size_t i = 0; i < pixels; ++i)
    for (std::size_t c = 0; c < color; ++c)
      dst[i * color + c] = static_cast<float>(src[i * inc + c]) * scale;
}

void to_floats(const std::uint8_t* raw, std::size_t pixels, const Plan& p, float* dst) {
  const bool packed = p.in.channels == p.color;
  const float scale = static_cast<float>(p.to_float);
  switch (p.in.type) {
    case SampleType::U8:
      if (packed) return u8_to_f32(raw, dst, pixels * p.color, scale);
      return to_floats_of(raw, pixels, p, dst);
    case SampleType::U16: {
      const auto* src = reinterpret_cast<const std::uint16_t*>(raw);
      if (packed) return u16_to_f32(src, dst, pixels * p.color, scale);
      return to_floats_of(src, pixels, p, dst);
    }
    case SampleType::F32: return to_floats_of(reinterpret_cast<const float*>(raw), pixels, p, dst);
    case SampleType::F64: return to_floats_of(reinterpret_cast<const double*>(raw), pixels, p, dst);
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
  }
  return static_cast<float>(v * p.to_float);
}

// Output value -> sample: s = v * scale + offset, clamped to [0, full], rounded to nearest,
// NaN to 0 (lrn/convert.h's f32_to_u8/u16, the one quantiser on every path).
struct Quantiser {
  float scale, offset, full;
};

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

void encode(const float* f, const std::uint8_t* raw, std::size_t pixels, const Plan& p,
            const Quantiser& q, std::uint8_t* dst) {
  switch (p.out.type) {
    case SampleType::U8: return quantise(f, raw, pixels, p, q, dst);
    case SampleType::U16: return quantise(f, raw, pixels, p, q, reinterpret_cast<std::uint16_t*>(dst));
    default: return to_npy_floats(f, raw, pixels, p, reinterpret_cast<float*>(dst));
  }
}

// Rows one thread takes at least: below ~64K pixels a wake-up costs more than it saves, so
// a small image never gets slower with more threads.
std::size_t min_rows_per_thread(const Plan& p) {
  return std::max<std::size_t>(1, (64 * 1024) / std::max<std::size_t>(1, p.in.width));
}

// Running per-channel min, max and sum, merged from the parts of every block.
class StatsAccumulator {
 public:
  explicit StatsAccumulator(std::size_t channels)
      : in_(channels), out_(channels) {}
  /// Adds `pixels` pixels of values to the input or the output statistics.
  void add(const float* values, std::size_t pixels, bool output) {
    std::vector<Sums> part(in_.size());
    for (std::size_t i = 0; i < pixels; ++i)
      for (std::size_t c = 0; c < part.size(); ++c) part[c].add(values[i * part.size() + c]);
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Sums>& into = output ? out_ : in_;
    for (std::size_t c = 0; c < part.size(); ++c) into[c].merge(part[c]);
  }
  void fill(ImageStats& s, const Plan& p) const {
    s.width = p.in.width;
    s.height = p.in.height;
    s.channels = p.color;
    fill(s.input, in_);
    fill(s.output, out_);
  }

 private:
  struct Sums {
    double min = std::numeric_limits<double>::infinity(), max = -min, sum = 0;
    std::size_t n = 0;
    void add(double v) {
      min = std::min(min, v);
      max = std::max(max, v);
      sum += v;
      ++n;
    }
    void merge(const Sums& o) {
      min = std::min(min, o.min);
      max = std::max(max, o.max);
      sum += o.sum;
      n += o.n;
    }
  };
  static void fill(ChannelStats& cs, const std::vector<Sums>& v) {
    cs = {};
    for (const Sums& s : v) {
      cs.min.push_back(s.min);
      cs.max.push_back(s.max);
      cs.mean.push_back(s.n ? s.sum / static_cast<double>(s.n) : 0.0);
    }
  }
  std::vector<Sums> in_, out_;
  std::mutex mutex_;
};

// Rows per block: about 64K samples per thread (the unit the decoder hands over and the
// encoder takes; LRN works through it in chunks), and enough rows that every thread of the
// pool gets a part.
std::size_t block_rows(const Plan& p, unsigned threads) {
  constexpr std::size_t kSamplesPerThread = 64 * 1024;
  const std::size_t row_samples = std::max<std::size_t>(1, p.in.width * p.color);
  const std::size_t sized = threads * kSamplesPerThread / row_samples;
  const std::size_t split = threads > 1 ? threads * min_rows_per_thread(p) : 1;
  return std::clamp<std::size_t>(std::max(sized, split), 1, p.in.height);
}

// Floats converted, normalised and quantised at a time: one chunk (32 KB) stays in the L1/L2
// cache between the three steps, and no float copy of a whole block is ever touched (on a
// small image, fresh pages cost more than the arithmetic).
constexpr std::size_t kChunkFloats = 8 * 1024;

// One pass of LRN over the image: blocks from `source`, rows of a block split over the pool,
// each part done in chunks of whole pixels. Per chunk: input samples -> floats (skipped when
// the input already is the floats LRN wants), LRN, then
// `finish(chunk_floats, raw_samples, first_pixel, pixels)`, first_pixel counted from the
// block's first pixel; after a block, `after(rows)` on this thread. The kernel writes
// straight into `direct_out` when given (.npy output without alpha: the floats are the
// output).
template <typename Finish, typename After>
void run_pass(BlockSource& source, const Plan& p, const Kernel& k, WorkerPool& pool,
              const RunOptions& opt, StatsAccumulator* stats, std::uint8_t* direct_out,
              Finish finish, After after) {
  const std::size_t w = p.in.width, in_pixel = p.in.pixel_bytes(), out_pixel = p.out.pixel_bytes();
  const bool direct_in = p.in.type == SampleType::F32 && !p.in.has_alpha && p.to_float == 1.0;
  const std::size_t chunk = std::max<std::size_t>(1, kChunkFloats / std::max<std::size_t>(1, p.color));
  std::size_t n = 0;
  while (const std::uint8_t* in = source.next(&n)) {
    if (opt.cancel && opt.cancel->load(std::memory_order_relaxed)) throw Cancelled();
    pool.run(n, min_rows_per_thread(p), [&](std::size_t b, std::size_t e) {
      std::vector<float> f(direct_in && direct_out ? 0 : std::min(chunk, (e - b) * w) * p.color);
      for (std::size_t i = b * w; i < e * w; i += chunk) {
        const std::size_t pixels = std::min(chunk, e * w - i);
        const std::uint8_t* raw = in + i * in_pixel;
        const float* x = f.data();
        if (direct_in) x = reinterpret_cast<const float*>(raw);
        else to_floats(raw, pixels, p, f.data());
        float* y = direct_out ? reinterpret_cast<float*>(direct_out + i * out_pixel) : f.data();
        if (stats) stats->add(x, pixels, /*output=*/false);
        k.run(x, y, pixels);
        if (stats) stats->add(y, pixels, /*output=*/true);
        finish(y, raw, i, pixels);
      }
    });
    after(n);
  }
}

// Min and max of LRN's output over the colour channels, for --rescale (NaN ignored).
std::pair<float, float> output_range(ImageReader& reader, const std::vector<std::uint8_t>& held,
                                     const Plan& p, const Kernel& k, WorkerPool& pool,
                                     const RunOptions& opt, std::size_t rows) {
  std::mutex m;
  float lo = std::numeric_limits<float>::infinity(), hi = -lo;
  BlockSource source(reader, &held, rows, false);
  run_pass(source, p, k, pool, opt, nullptr, nullptr,
      [&](const float* y, const std::uint8_t*, std::size_t, std::size_t pixels) {
        float l = std::numeric_limits<float>::infinity(), h = -l;
        for (std::size_t i = 0; i < pixels * p.color; ++i) {
          l = std::min(l, y[i]);  // std::min/max keep the first operand on NaN
          h = std::max(h, y[i]);
        }
        std::lock_guard<std::mutex> lock(m);
        lo = std::min(lo, l);
        hi = std::max(hi, h);
      },
      [](std::size_t) {});
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

void stream(ImageReader& reader, ImageWriter& writer, const Plan& p, const RunOptions& opt) {
  const Kernel kernel(opt.params, p.color);
  // With a core to spare, the decoder of a large image gets a thread of its own (the codec
  // is the real cost) and LRN the rest; a small image (under a megapixel) is done before a
  // thread would pay off, so it runs on this thread alone.
  const unsigned threads = std::max(1u, opt.threads);
  const bool prefetch = threads >= 2 && p.in.width * p.in.height >= (std::size_t{1} << 20);
  WorkerPool pool(prefetch ? threads - 1 : 1);
  const std::size_t rows = block_rows(p, pool.threads());

  std::vector<std::uint8_t> held;
  std::pair<float, float> range;
  const bool rescale = opt.rescale && p.out_format != Format::Npy;
  if (rescale) {
    // Grow with the data, block by block: a small file that declares a huge image fails when
    // its data runs out, before the whole image is zero-filled (reserve() touches nothing).
    const std::size_t row_bytes = p.in.row_bytes();
    held.reserve(p.in.height * row_bytes);
    for (std::size_t y = 0; y < p.in.height; y += rows) {
      const std::size_t n = std::min(rows, p.in.height - y);
      held.resize((y + n) * row_bytes);
      reader.read_rows(held.data() + y * row_bytes, n);
    }
    range = output_range(reader, held, p, kernel, pool, opt, rows);
  }
  const Quantiser q = make_quantiser(p, rescale ? &range : nullptr);

  const std::size_t out_row = p.out.row_bytes();
  std::vector<std::uint8_t> out(rows * out_row);
  const bool direct_out = p.out.type == SampleType::F32 && !p.keep_alpha;
  std::optional<StatsAccumulator> stats;
  if (opt.stats) stats.emplace(p.color);
  BlockSource source(reader, rescale ? &held : nullptr, rows, prefetch);
  const std::size_t out_pixel = p.out.pixel_bytes();
  run_pass(source, p, kernel, pool, opt, stats ? &*stats : nullptr,
      direct_out ? out.data() : nullptr,
      [&](const float* y, const std::uint8_t* raw, std::size_t first, std::size_t pixels) {
        if (!direct_out) encode(y, raw, pixels, p, q, out.data() + first * out_pixel);
      },
      [&](std::size_t n) { writer.write_rows(out.data(), n); });
  writer.finish();
  if (stats) stats->fill(*opt.stats, p);
}

}  // namespace

Format output_format(const std::string& out, const RunOptions& opt) {
  if (opt.out_format) return *opt.out_format;
  if (auto f = format_from_extension(out)) return *f;
  throw UsageError("cannot tell the output format of " + quoted(out) +
                   ": name it .jpg, .jpeg, .png or .npy");
}

void process_stream(std::unique_ptr<ByteSource> src, ByteSink& sink, Format f,
                    const RunOptions& opt) {
  DecodeOptions dec;
  dec.max_pixels = opt.max_pixels;
  dec.warn = opt.warn;
  dec.auto_orient = opt.auto_orient;
  dec.lenient = opt.lenient;
  dec.strict = opt.strict;
  dec.max_npy_bytes = opt.max_npy_bytes;
  const std::string in_name = src->name();
  const auto in_format = sniff_format(src->peek(8));
  auto reader = open_reader(std::move(src), dec);
  const Plan p = make_plan(reader->info(), in_format.value_or(Format::Npy), f, in_name,
                           sink.name(), opt);
  EncodeOptions enc;
  enc.quality = opt.quality;
  auto writer = open_writer(f, sink, p.out, enc);
  stream(*reader, *writer, p, opt);
}

void process_file(const std::string& in, const std::string& out, const RunOptions& opt) {
  const Format f = output_format(out, opt);
  if (in != "-" && same_file(in, out))
    throw FileError("refusing to write " + quoted(out) + ": it is the input file");
  auto src = open_source(in);
  OutputFile file(out);
  process_stream(std::move(src), file, f, opt);
  file.commit();
}

}  // namespace lrn
