// Global contrast normalization: parameters, validation and the operation.
#include "lrn/family/gcn.h"

#include <cmath>
#include <stdexcept>

#include "lrn/family/loops.h"

namespace lrn::family {

const char* convention_name(GcnConvention c) {
  switch (c) {
    case GcnConvention::Pylearn2: return "pylearn2";
    case GcnConvention::Tf: return "tf";
    case GcnConvention::CaffeMvn: return "caffe-mvn";
  }
  return "?";
}

std::optional<GcnConvention> parse_gcn_convention(const std::string& name) {
  for (auto c : {GcnConvention::Pylearn2, GcnConvention::Tf, GcnConvention::CaffeMvn})
    if (name == convention_name(c)) return c;
  return std::nullopt;
}

GcnParams GcnParams::defaults(GcnConvention c) {
  GcnParams p;
  p.convention = c;
  p.per_channel = c == GcnConvention::CaffeMvn;
  return p;
}

std::optional<GcnParams> GcnParams::preset(const std::string& name) {
  GcnParams p;
  if (name == "maxout-cifar10") {
    p.scale = 55;
    return p;
  }
  if (name == "coates") {
    p.use_std = true;
    p.sqrt_bias = 10;
    return p;
  }
  return std::nullopt;
}

std::vector<std::string> gcn_preset_names() { return {"maxout-cifar10", "coates"}; }

std::vector<std::string> validate(const GcnParams& p) {
  std::vector<std::string> errors;
  if (!std::isfinite(p.scale) || p.scale <= 0)
    errors.push_back("scale must be a finite number > 0");
  if (!std::isfinite(p.sqrt_bias) || p.sqrt_bias < 0)
    errors.push_back("sqrt_bias must be a finite number >= 0");
  if (!std::isfinite(p.min_divisor) || p.min_divisor < 0)
    errors.push_back("min_divisor must be a finite number >= 0");
  if (std::isfinite(p.scale) && std::isfinite(p.min_divisor) && p.scale < p.min_divisor)
    errors.push_back("scale must be >= min_divisor (pylearn2 asserts it)");
  const GcnParams d;
  if (p.convention != GcnConvention::Pylearn2 &&
      (p.scale != d.scale || p.sqrt_bias != d.sqrt_bias || p.use_std != d.use_std ||
       p.min_divisor != d.min_divisor))
    errors.push_back(std::string("scale, sqrt_bias, use_std and min_divisor belong to the "
                                 "pylearn2 convention, not ") +
                     convention_name(p.convention));
  return errors;
}

namespace {

/// Count, mean and centred sum of squares, merged pairwise.
struct Moments {
  double n = 0, mean = 0, m2 = 0;
  void merge(const Moments& o) {
    if (o.n == 0) return;
    if (n == 0) {
      *this = o;
      return;
    }
    const double total = n + o.n, delta = o.mean - mean;
    mean += delta * (o.n / total);
    m2 += o.m2 + delta * delta * (n * o.n / total);
    n = total;
  }
};

class Gcn final : public Operation {
 public:
  Gcn(const GcnParams& p, const Geometry& g)
      : Operation(g),
        p_(p),
        lanes_(p.per_channel ? g.channels : 1),
        moments_(lanes_),
        mean_(lanes_, 0.0),
        inverse_(lanes_, 1.0) {}
  std::size_t halo_rows() const override { return 0; }
  int passes() const override { return 2; }

  void accumulate(const RowSource& in, std::size_t y0, std::size_t y1) override {
    const Geometry& g = geometry_;
    if (y0 == 0) moments_.assign(lanes_, Moments{});
    // Each lane's values of a row, widened to double, then summed in a fixed order.
    const std::size_t per_lane = g.width * (p_.per_channel ? 1 : g.channels);
    std::vector<double> vals(per_lane);
    for (std::size_t y = y0; y < y1; ++y) {
      const float* row = in.row(y);
      for (std::size_t l = 0; l < lanes_; ++l) {
        if (packed() && !p_.per_channel) {
          detail::widen(row, vals.data(), per_lane);
        } else {
          const std::size_t c0 = p_.per_channel ? l : 0, c1 = p_.per_channel ? l + 1 : g.channels;
          std::size_t i = 0;
          for (std::size_t x = 0; x < g.width; ++x)
            for (std::size_t c = c0; c < c1; ++c) vals[i++] = row[at(x, c)];
        }
        Moments r;
        r.n = static_cast<double>(per_lane);
        r.mean = detail::sum4(vals.data(), per_lane) / r.n;
        r.m2 = detail::centred_squares4(vals.data(), r.mean, per_lane);
        moments_[l].merge(r);
      }
    }
  }

  void finish() override {
    for (std::size_t l = 0; l < lanes_; ++l) {
      const Moments& m = moments_[l];
      mean_[l] = m.mean;
      double d = 1;
      switch (p_.convention) {
        case GcnConvention::Pylearn2: {
          const double spread = p_.use_std ? (m.n > 1 ? m.m2 / (m.n - 1) : 0.0) : m.m2;
          d = std::sqrt(p_.sqrt_bias + spread) / p_.scale;
          if (d < p_.min_divisor) d = 1;
          break;
        }
        case GcnConvention::Tf: d = std::max(std::sqrt(m.m2 / m.n), 1 / std::sqrt(m.n)); break;
        case GcnConvention::CaffeMvn: d = std::sqrt(m.m2 / m.n) + 1e-9; break;
      }
      inverse_[l] = 1 / d;
    }
  }

  void run_rows(const RowSource& in, const RowSink& out, std::size_t y0,
                std::size_t y1) const override {
    const Geometry& g = geometry_;
    for (std::size_t y = y0; y < y1; ++y) {
      const float* src = in.row(y);
      float* dst = out.row(y);
      if (packed() && !p_.per_channel) {
        detail::standardize(src, mean_[0], inverse_[0], dst, g.width * g.channels);
        continue;
      }
      for (std::size_t x = 0; x < g.width; ++x)
        for (std::size_t c = 0; c < g.channels; ++c) {
          const std::size_t l = p_.per_channel ? c : 0;
          dst[at(x, c)] = static_cast<float>((src[at(x, c)] - mean_[l]) * inverse_[l]);
        }
    }
  }

 private:
  bool packed() const {
    return geometry_.pixel_stride == static_cast<std::ptrdiff_t>(geometry_.channels) &&
           geometry_.channel_stride == 1;
  }
  std::ptrdiff_t at(std::size_t x, std::size_t c) const {
    return static_cast<std::ptrdiff_t>(x) * geometry_.pixel_stride +
           static_cast<std::ptrdiff_t>(c) * geometry_.channel_stride;
  }
  GcnParams p_;
  std::size_t lanes_;
  std::vector<Moments> moments_;
  std::vector<double> mean_, inverse_;  ///< y = (x - mean) * (1 / d)
};

}  // namespace

std::unique_ptr<Operation> make_gcn(const GcnParams& p, const Geometry& g) {
  require_valid(validate(p), g);
  return std::make_unique<Gcn>(p, g);
}

}  // namespace lrn::family
