// --method end to end: the family's options on the command line, their usage errors,
// --print-params and --json records. (The values themselves: tests/family/*.py.)
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "support.h"

using namespace lrn_test;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

const std::string kRocket = sample_path("rocket.jpg");

// Exit 2, one line starting "lrn-img: error: " + message, nothing written.
void require_usage_error(const std::vector<std::string>& extra, const std::string& message) {
  TempDir dir;
  std::vector<std::string> args = {kRocket, dir.file("o.jpg")};
  args.insert(args.end(), extra.begin(), extra.end());
  const RunResult r = run_cli(args);
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, StartsWith("lrn-img: error: " + message));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.empty());
  CHECK(dir.entries().empty());
}

}  // namespace

TEST_CASE("method: an unknown method or convention names the choices and the one meant",
          "[cli][method]") {
  require_usage_error(
      {"--method", "lcm"},
      "--method: 'lcm' is not lrn, spatial-lrn, lcn, lms, gcn or zca; did you mean 'lcn'?");
  require_usage_error(
      {"--method", "spatial-lrn", "--convention", "cafe"},
      "--convention: 'cafe' is not caffe, onednn or matconvnet (--method spatial-lrn); "
      "did you mean 'caffe'?");
  require_usage_error(
      {"--method", "lcn", "--convention", "jarret"},
      "--convention: 'jarret' is not torch7, jarrett, pylearn2 or pinto (--method lcn); "
      "did you mean 'jarrett'?");
  require_usage_error(
      {"--method", "lms", "--kernel", "gauss"},
      "--kernel: 'gauss' is not box or gaussian (--method lms); did you mean 'gaussian'?");
  require_usage_error({"--method", "gcn", "--preset", "maxout"},
                      "--preset: 'maxout' is not maxout-cifar10 or coates (--method gcn)");
  // lrn's own conventions keep their message.
  require_usage_error({"--convention", "torch7"},
                      "--convention: 'torch7' is not tf, torch, onnx or caffe");
}

TEST_CASE("method: an option of another method is a usage error naming the method",
          "[cli][method]") {
  require_usage_error(
      {"--threshold", "1"},
      "--threshold does not apply to --method lrn (the default); it belongs to --method lcn");
  require_usage_error(
      {"--method", "spatial-lrn", "--kernel", "box"},
      "--kernel does not apply to --method spatial-lrn; it belongs to --method lcn or lms");
  require_usage_error(
      {"--method", "gcn", "--size", "5"},
      "--size does not apply to --method gcn; it belongs to --method lrn, spatial-lrn, lcn or lms");
  require_usage_error({"--method", "lcn", "-r", "2"},
                      "--radius does not apply to --method lcn; it belongs to --method lrn");
  require_usage_error({"--method", "lms", "--scale", "2"},
                      "--scale does not apply to --method lms; it belongs to --method gcn");
  require_usage_error(
      {"--method", "spatial-lrn", "--zca-file", "z.npz"},
      "--zca-file does not apply to --method spatial-lrn; it belongs to --method zca");
  require_usage_error({"--method", "lcn", "--per-channel", "--joint"},
                      "--per-channel and --joint contradict each other");
  require_usage_error({"--method", "zca"}, "--method zca needs --zca-file F.npz");
}

TEST_CASE("method: spatial-lrn caffe has no bias and points to onednn", "[cli][method]") {
  require_usage_error(
      {"--method", "spatial-lrn", "--bias", "2"},
      "--bias does not apply to --method spatial-lrn --convention caffe: Caffe ignores its k, "
      "has no k and adds 1; give --convention onednn for a bias");
  require_usage_error({"--method", "spatial-lrn", "--convention", "matconvnet", "-k", "2"},
                      "--bias does not apply to --method spatial-lrn --convention matconvnet");
  TempDir dir;
  CHECK(run_cli({kRocket, dir.file("o.jpg"), "--method", "spatial-lrn", "--convention", "onednn",
                 "--bias", "2"})
            .exit_code == 0);
}

TEST_CASE("method: even and out-of-range windows and bad values are refused", "[cli][method]") {
  for (const char* m : {"spatial-lrn", "lcn", "lms"}) {
    INFO(m);
    require_usage_error({"--method", m, "--size", "4"},
                        std::string("--method ") + m + ": the window size must be odd, 1..1023");
    require_usage_error({"--method", m, "--size", "1025"},
                        std::string("--method ") + m + ": the window size must be odd");
    require_usage_error({"--method", m, "--size", "0"}, std::string("--method ") + m);
  }
  require_usage_error({"--method", "lcn", "--threshold", "-1"},
                      "--method lcn: the threshold must be");
  require_usage_error({"--method", "lcn", "--convention", "pinto", "--kernel", "gaussian"},
                      "--method lcn: the pinto convention uses a box window only");
  require_usage_error({"--method", "gcn", "--scale", "0"},
                      "--method gcn: --scale must be a finite number > 0");
  require_usage_error({"--method", "gcn", "--sqrt-bias", "-1"},
                      "--method gcn: --sqrt-bias must be");
  require_usage_error({"--method", "gcn", "--convention", "tf", "--scale", "2"}, "--method gcn: ");
  require_usage_error({"--method", "gcn", "--preset", "coates", "--convention", "tf"},
                      "--method gcn: preset coates is pylearn2's global_contrast_normalize");
  require_usage_error({"--method", "spatial-lrn", "--alpha", "x"}, "--alpha");
}

TEST_CASE("method: --print-params shows the method, its convention and every parameter",
          "[cli][method]") {
  auto print = [](std::vector<std::string> args) {
    args.push_back("--print-params");
    const RunResult r = run_cli(args);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    return r.out;
  };
  CHECK(
      print({"--method", "spatial-lrn"}) ==
      "method: spatial-lrn\nconvention: caffe\nsize: 5\nalpha: 1\nbeta: 0.75\nbias: 1\nalpha_divisor: 25\n");
  CHECK(
      print({"--method", "spatial-lrn", "--convention", "onednn", "-k", "2", "--size", "3"}) ==
      "method: spatial-lrn\nconvention: onednn\nsize: 3\nalpha: 0.0001\nbeta: 0.75\nbias: 2\nalpha_divisor: 9\n");
  CHECK_THAT(print({"--method", "spatial-lrn", "--convention", "matconvnet"}),
             Contains("alpha_divisor: in-image samples"));
  // The conventions' own defaults (issue 13's table).
  CHECK(
      print({"--method", "lcn"}) ==
      "method: lcn\nconvention: torch7\nkernel: box\nsize: 9\nthreshold: 0.0001\nper_channel: false\n");
  CHECK_THAT(print({"--method", "lcn", "--convention", "jarrett"}),
             Contains("kernel: gaussian\nsize: 9\nthreshold: 0\nper_channel: false"));
  CHECK_THAT(print({"--method", "lcn", "--convention", "pylearn2"}),
             Contains("kernel: gaussian\nsize: 7\nthreshold: 0.0001\nper_channel: true"));
  CHECK_THAT(print({"--method", "lcn", "--convention", "pinto"}),
             Contains("kernel: box\nsize: 3\nthreshold: 1\n"));
  CHECK(print({"--method", "lms"}) ==
        "method: lms\nconvention: torch7\nkernel: box\nsize: 9\nper_channel: true\n");
  CHECK(
      print({"--method", "gcn", "--preset", "maxout-cifar10"}) ==
      "method: gcn\nconvention: pylearn2\npreset: maxout-cifar10\nscale: 55\nsqrt_bias: 0\nuse_std: false\n"
      "min_divisor: 1e-08\nper_channel: false\n");
  CHECK_THAT(print({"--method", "gcn", "--preset", "coates"}),
             Contains("sqrt_bias: 10\nuse_std: true"));
  CHECK(print({"--method", "gcn", "--convention", "caffe-mvn"}) ==
        "method: gcn\nconvention: caffe-mvn\nper_channel: true\n");
  CHECK(print({"--method", "gcn", "--convention", "caffe-mvn", "--joint"}) ==
        "method: gcn\nconvention: caffe-mvn\nper_channel: false\n");
  // lrn's output is unchanged with --method lrn.
  CHECK(print({"--method", "lrn"}) == print({}));
}

TEST_CASE("method: --json records the method, convention and parameters of each output",
          "[cli][method]") {
  TempDir dir;
  RunResult r =
      run_cli({kRocket, dir.file("o.png"), "--method", "lcn", "--convention", "jarrett", "--json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(
      r.out,
      Contains(
          R"("method":"lcn","convention":"jarrett","params":{"kernel":"gaussian","size":9,"threshold":0,"per_channel":false})"));
  r = run_cli({kRocket, dir.file("o2.png"), "--json"});
  CHECK_THAT(
      r.out,
      Contains(
          R"("method":"lrn","convention":"tf","params":{"radius":2,"bias":1,"alpha":0.00011111111111111112,"beta":0.75})"));
  r = run_cli({kRocket, dir.file("o3.png"), "--method", "gcn", "--preset", "coates", "--json"});
  CHECK_THAT(
      r.out,
      Contains(
          R"("method":"gcn","convention":"pylearn2","params":{"preset":"coates","scale":1,"sqrt_bias":10,"use_std":true,"min_divisor":1e-08,"per_channel":false})"));
}

TEST_CASE("method: a missing --zca-file is a file error naming it", "[cli][method]") {
  TempDir dir;
  const RunResult r =
      run_cli({kRocket, dir.file("o.npy"), "--method", "zca", "--zca-file", dir.file("none.npz")});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, StartsWith("lrn-img: error: cannot open the ZCA whitening '" +
                               dir.file("none.npz") + "'"));
  CHECK(dir.entries().empty());
}

#include "lrn/method.h"

TEST_CASE("method: resolve_method fills the convention's defaults and names the parameter at fault",
          "[lrn][method]") {
  using lrn::Method;
  using lrn::MethodError;
  using lrn::MethodRequest;
  MethodRequest r;
  r.method = Method::Lcn;
  r.convention = "pylearn2";
  lrn::FamilyMethod f = lrn::resolve_method(r);
  const auto& lcn = std::get<lrn::family::LcnParams>(f.params);
  CHECK(lcn.kernel == lrn::family::KernelShape::Gaussian);
  CHECK(lcn.size == 7);
  CHECK(lcn.per_channel);
  CHECK(f.passes() == 2);
  CHECK(std::string(f.convention()) == "pylearn2");

  r = MethodRequest{};
  r.method = Method::Lms;
  r.threshold = 1;
  try {
    lrn::resolve_method(r);
    FAIL("threshold accepted by lms");
  } catch (const MethodError& e) {
    CHECK(e.param == "threshold");
  }
  r = MethodRequest{};
  r.method = Method::SpatialLrn;
  r.convention = "onednn";
  r.bias = 2;
  r.size = 9;
  f = lrn::resolve_method(r);
  CHECK(std::get<lrn::family::SpatialLrnParams>(f.params).k() == 2);
  CHECK(f.passes() == 1);
  r.convention = "cafe";
  try {
    lrn::resolve_method(r);
    FAIL("unknown convention accepted");
  } catch (const MethodError& e) {
    CHECK(e.param == "convention");
    CHECK(e.value == "cafe");
    CHECK(e.choices == std::vector<std::string>{"caffe", "onednn", "matconvnet"});
  }
  r = MethodRequest{};
  r.method = Method::Zca;
  r.zca = lrn::family::ZcaParams{{1, 2}, {1, 0, 0}};
  CHECK_THROWS_AS(lrn::resolve_method(r), MethodError);
  r.zca = lrn::family::ZcaParams{{1, 2}, {1, 0, 0, 1}};
  f = lrn::resolve_method(r);
  CHECK_THROWS_AS(f.make(lrn::family::Geometry::interleaved(4, 4, 3)), std::invalid_argument);
}
