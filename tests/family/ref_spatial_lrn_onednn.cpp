// spatial-lrn onednn vs oneDNN itself (algorithm::lrn_within_channel, forward inference), in
// both of oneDNN's layouts: nhwc against our interleaved HWC geometry and nchw against our
// planar one. Biases other than 1 included. Exit 1 on any value beyond 1e-6 relative.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <dnnl.hpp>

#include "lrn/family/spatial_lrn.h"
#include "pipeline/driver.h"

using namespace lrn::family;

namespace {

std::vector<float> onednn_lrn(const std::vector<float>& x, int w, int h, int c, bool nhwc, int n,
                              float alpha, float beta, float k) {
  dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  dnnl::stream s(eng);
  const dnnl::memory::desc md(
      {1, c, h, w}, dnnl::memory::data_type::f32,
      nhwc ? dnnl::memory::format_tag::nhwc : dnnl::memory::format_tag::nchw);
  const dnnl::lrn_forward::desc d(dnnl::prop_kind::forward_inference,
                                  dnnl::algorithm::lrn_within_channel, md, n, alpha, beta, k);
  const dnnl::lrn_forward::primitive_desc pd(d, eng);
  std::vector<float> in = x, out(x.size());
  dnnl::memory src(md, eng, in.data()), dst(md, eng, out.data());
  dnnl::lrn_forward(pd).execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
  s.wait();
  return out;
}

}  // namespace

int main() {
  std::mt19937 rng(3);
  int failures = 0, cases = 0;
  double worst = 0;
  // The last two shapes hold 8-bit data (integers 0..255, as a decoded photo): lrn-img sums
  // those in exact float arithmetic (src/lrn/family/box_exact.h).
  const int shapes[][4] = {{23, 17, 3, 0}, {12, 9, 4, 0}, {1, 1, 2, 0}, {13, 1, 3, 0},
                           {1, 11, 3, 0},  {3, 4, 16, 0}, {70, 13, 3, 1}, {9, 7, 1, 1}};
  for (const auto& s : shapes) {
    const int w = s[0], h = s[1], c = s[2];
    std::uniform_real_distribution<float> dist(-1.0f, 255.0f);
    std::vector<float> x(static_cast<std::size_t>(w * h * c));
    for (float& v : x) v = s[3] ? std::floor(dist(rng) + 1.0f) : dist(rng);
    for (bool nhwc : {true, false}) {
      const Geometry g = nhwc ? Geometry::interleaved(w, h, c) : Geometry::planar(w, h, c);
      const std::ptrdiff_t row = nhwc ? w * c : w;
      for (int n : {1, 3, 5, 7, 9}) {
        for (const double* abk :
             {(const double[]){1e-4, 0.75, 1.0}, (const double[]){0.02, 0.75, 2.0},
              (const double[]){0.5, 0.5, 0.25}, (const double[]){1e-3, 1.0, 3.0},
              (const double[]){0.1, 0.6, 0.0}}) {
          SpatialLrnParams p = SpatialLrnParams::defaults(SpatialLrnConvention::Onednn);
          p.size = n;
          p.alpha = static_cast<float>(abk[0]);  // oneDNN takes floats: compare like for like
          p.beta = static_cast<float>(abk[1]);
          p.bias = static_cast<float>(abk[2]);
          auto op = make_spatial_lrn(p, g);
          std::vector<float> ours(x.size());
          run_image(*op, {x.data(), row}, {ours.data(), row});
          const auto want = onednn_lrn(x, w, h, c, nhwc, n, static_cast<float>(p.alpha),
                                       static_cast<float>(p.beta), static_cast<float>(*p.bias));
          double err = 0;
          for (std::size_t i = 0; i < x.size(); ++i)
            err = std::max(err, std::abs(double(ours[i]) - want[i]) /
                                    std::max(std::abs(double(want[i])), 1e-6));
          ++cases;
          worst = std::max(worst, err);
          const bool ok = err <= 1e-6;
          failures += !ok;
          std::printf("%s %dx%dx%d %s n=%d alpha=%g beta=%g k=%g: max rel err %.3g\n",
                      ok ? "ok  " : "FAIL", w, h, c, nhwc ? "nhwc" : "nchw", n, abk[0], abk[1],
                      abk[2], err);
        }
      }
    }
  }
  const dnnl_version_t* v = dnnl_version();
  std::printf("spatial-lrn onednn vs oneDNN %d.%d.%d: %d cases, %d failed, worst %.3g\n", v->major,
              v->minor, v->patch, cases, failures, worst);
  return failures ? 1 : 0;
}
