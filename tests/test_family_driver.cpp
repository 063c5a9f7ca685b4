// The drivers of pipeline/driver.h and the Operation contract across methods: ring size,
// pass protocol, threads, and misuse.
#include <thread>

#include <catch2/catch.hpp>

#include "family_support.h"
#include "lrn/family/gcn.h"
#include "lrn/family/lcn.h"
#include "lrn/family/lms.h"
#include "lrn/family/spatial_lrn.h"
#include "lrn/family/zca.h"

using namespace lrn::family;
using namespace lrn_test::family;

namespace {

std::vector<std::unique_ptr<Operation>> every_method(const Geometry& g) {
  std::vector<std::unique_ptr<Operation>> ops;
  ops.push_back(make_spatial_lrn(SpatialLrnParams{}, g));
  ops.push_back(make_lms(LmsParams{}, g));
  ops.push_back(make_gcn(GcnParams{}, g));
  for (auto c : {LcnConvention::Torch7, LcnConvention::Jarrett, LcnConvention::Pylearn2,
                 LcnConvention::Pinto})
    ops.push_back(make_lcn(LcnParams::defaults(c), g));
  ops.push_back(make_zca(ZcaParams{{1, 2, 3}, {1, 0.5, 0, 0, 1, 0.5, 0.25, 0, 1}}, g));
  return ops;
}

struct VectorRows final : RowSource {
  VectorRows(const std::vector<float>& v, std::size_t row) : data(v), floats(row) {}
  const std::vector<float>& data;
  std::size_t floats;
  const float* row(std::size_t y) const override { return data.data() + y * floats; }
};
struct VectorSink final : RowSink {
  VectorSink(std::vector<float>& v, std::size_t row) : data(v), floats(row) {}
  std::vector<float>& data;
  std::size_t floats;
  float* row(std::size_t y) const override { return data.data() + y * floats; }
};

}  // namespace

TEST_CASE("family driver: the ring holds 2 * halo + block rows, never the image",
          "[family][driver]") {
  const Geometry g = Geometry::interleaved(40, 300, 3);
  for (auto& op : every_method(g)) {
    for (std::size_t block : {1, 8}) {
      StreamDriver d(*op, 40 * 3, block, [](std::size_t, const float*) {});
      CHECK(d.ring_rows() == 2 * op->halo_rows() + block);
      CHECK(d.passes_left() == op->passes());
    }
  }
}

TEST_CASE("family driver: run_rows from several threads at once gives the same bytes",
          "[threads][family][driver]") {
  const std::size_t w = 37, h = 90, C = 3;
  const Geometry g = Geometry::interleaved(w, h, C);
  const auto x = random_image(w, h, C, 77);
  for (auto& op : every_method(g)) {
    const auto whole = run_whole(*op, x);  // statistics gathered here for two-pass methods
    std::vector<float> y(x.size(), -1.0f);
    const VectorRows src(x, w * C);
    const VectorSink dst(y, w * C);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 3; ++t)
      threads.emplace_back([&, t] { op->run_rows(src, dst, t * h / 3, (t + 1) * h / 3); });
    for (auto& th : threads) th.join();
    CHECK(bit_identical(y, whole));
  }
}

TEST_CASE("family driver: pushing past the image or ending a pass early is refused",
          "[family][driver]") {
  const Geometry g = Geometry::interleaved(4, 3, 1);
  auto op = make_gcn(GcnParams{}, g);
  const std::vector<float> row(4, 1.0f);
  StreamDriver d(*op, 4, 2, [](std::size_t, const float*) {});
  d.push(row.data());
  CHECK_THROWS_AS(d.end_pass(), std::logic_error);
  d.push(row.data());
  d.push(row.data());
  CHECK_THROWS_AS(d.push(row.data()), std::logic_error);
  d.end_pass();
  CHECK(d.passes_left() == 1);
  for (int i = 0; i < 3; ++i) d.push(row.data());
  d.end_pass();
  CHECK(d.passes_left() == 0);
  CHECK_THROWS_AS(d.push(row.data()), std::logic_error);
}

TEST_CASE("family driver: the last split must be the height", "[family][driver]") {
  const Geometry g = Geometry::interleaved(2, 4, 1);
  auto op = make_lms(LmsParams{}, g);
  const std::vector<float> x(8, 1.0f);
  std::vector<float> y(8);
  CHECK_THROWS_AS(run_image(*op, {x.data(), 2}, {y.data(), 2}, {2, 3}), std::invalid_argument);
}
