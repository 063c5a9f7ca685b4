// The stages of the pipeline that every operation shares: how an image flows (Plan), input
// samples to floats, floats to output samples, and the --stats accumulator. Internal to
// src/pipeline (pipeline.cpp for the cross-channel kernel, family_run.cpp for the family).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "pipeline/pipeline.h"

namespace lrn::pipeline_stages {

// How one image flows: what comes in, what LRN sees, what goes out.
struct Plan {
  ImageInfo in;
  ImageInfo out;
  TensorShape t;            // images, rows per image, layout (one interleaved image: JPEG/PNG)
  bool planar_out = false;  // the output keeps a planar input's layout (.npy)
  Format out_format = Format::Npy;
  std::size_t color = 0;    // channels LRN runs across (all but alpha)
  bool keep_alpha = false;  // alpha passes through to the output
  double to_float = 1.0;    // input sample -> value LRN sees
  double to_sample = 1.0;   // value LRN sees -> output sample (image outputs)
  double full_scale = 255;  // largest output sample (image outputs)
};

Plan make_plan(const ImageInfo& in, const TensorShape* tensor, Format in_format, Format out_format,
               const std::string& in_name, const std::string& out_name, const RunOptions& opt);

/// n contiguous input samples of `type` -> floats times `scale`.
void samples_to_floats(const std::uint8_t* raw, std::size_t n, SampleType type, float scale,
                       float* dst);
/// `pixels` interleaved input pixels -> their colour channels as floats LRN sees (alpha left out).
void to_floats(const std::uint8_t* raw, std::size_t pixels, const Plan& p, float* dst);

// Output value -> sample: s = v * scale + offset, clamped to [0, full], rounded to nearest,
// NaN to 0 (lrn/convert.h's f32_to_u8/u16, the one quantiser on every path).
struct Quantiser {
  float scale, offset, full;
};

Quantiser make_quantiser(const Plan& p, const std::pair<float, float>* range);

/// Interleaved output values (colour channels) -> output samples, alpha from `raw` (the same
/// pixels' input samples); returns how many overflowed float16 to inf.
std::size_t encode(const float* f, const std::uint8_t* raw, std::size_t pixels, const Plan& p,
                   const Quantiser& q, std::uint8_t* dst);

// Running per-image, per-channel min, max and sum, merged from the parts of every block.
class StatsAccumulator {
 public:
  explicit StatsAccumulator(std::size_t channels) : channels_(channels) {}
  /// Adds `pixels` pixels of image `image` to its input or output statistics: interleaved
  /// values when stride is 0, else channel planes `stride` floats apart.
  void add(const float* values, std::size_t stride, std::size_t pixels, bool output,
           std::size_t image) {
    std::vector<Sums> part(channels_);
    for (std::size_t c = 0; c < channels_; ++c) {
      if (stride == 0)
        for (std::size_t i = 0; i < pixels; ++i) part[c].add(values[i * channels_ + c]);
      else
        for (std::size_t i = 0; i < pixels; ++i) part[c].add(values[c * stride + i]);
    }
    std::lock_guard<std::mutex> lock(mutex_);
    // Grown as images arrive, not from the header: a file that declares a billion images
    // costs nothing until their data is there.
    if (in_.size() < (image + 1) * channels_) {
      in_.resize((image + 1) * channels_);
      out_.resize((image + 1) * channels_);
    }
    Sums* into = (output ? out_ : in_).data() + image * channels_;
    for (std::size_t c = 0; c < channels_; ++c) into[c].merge(part[c]);
  }
  void fill(ImageStats& s, const Plan& p) const {
    s.width = p.in.width;
    s.height = p.t.height;
    s.channels = p.color;
    s.images = p.t.images;
    s.batch = p.t.dims.size() == 4;
    s.input.assign(s.images, {});
    s.output.assign(s.images, {});
    for (std::size_t i = 0; i < s.images && (i + 1) * channels_ <= in_.size(); ++i) {
      fill(s.input[i], in_.data() + i * channels_, channels_);
      fill(s.output[i], out_.data() + i * channels_, channels_);
    }
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
  static void fill(ChannelStats& cs, const Sums* v, std::size_t n) {
    cs = {};
    for (const Sums* s = v; s != v + n; ++s) {
      cs.min.push_back(s->min);
      cs.max.push_back(s->max);
      cs.mean.push_back(s->n ? s->sum / static_cast<double>(s->n) : 0.0);
    }
  }
  std::size_t channels_;
  std::vector<Sums> in_, out_;
  std::mutex mutex_;
};

}  // namespace lrn::pipeline_stages
