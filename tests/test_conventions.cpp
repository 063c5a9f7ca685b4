// Framework conventions (issue: speak every framework's LRN): each convention's window and
// alpha, checked against that framework's documented formula written out naively in float64,
// plus presets and --print-params round trips through the binary.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include "lrn/convention.h"
#include "lrn/kernel.h"
#include "support.h"

using namespace lrn;
using Catch::Matchers::Contains;
using Catch::Matchers::WithinRel;

namespace {

// Each framework's formula as its documentation states it, for one pixel of C channels.
// PyTorch local_response_norm: zero-pad the squares N/2 before and (N-1)/2 after, average
// over N, so div = (k + alpha * sum / N)^beta.
double torch_ref(const std::vector<double>& x, int c, int n, double k, double a, double b) {
  const int C = static_cast<int>(x.size());
  double sum = 0;
  for (int i = c - n / 2; i <= c + (n - 1) / 2; ++i)
    if (i >= 0 && i < C) sum += x[i] * x[i];
  return x[c] / std::pow(k + a * sum / n, b);
}

// ONNX LRN: square_sum over max(0, c - floor((size-1)/2)) .. min(C-1, c + ceil((size-1)/2)),
// y = x / (bias + alpha / size * square_sum)^beta.
double onnx_ref(const std::vector<double>& x, int c, int n, double k, double a, double b) {
  const int C = static_cast<int>(x.size());
  const int lo = std::max(0, c - (n - 1) / 2);
  const int hi = std::min(C - 1, c + static_cast<int>(std::ceil((n - 1) / 2.0)));
  double sum = 0;
  for (int i = lo; i <= hi; ++i) sum += x[i] * x[i];
  return x[c] / std::pow(k + a / n * sum, b);
}

// Caffe LRN ACROSS_CHANNELS (odd local_size n): scale = k + alpha / n * sum over
// c - (n-1)/2 .. c + (n-1)/2 of x^2 (zero padded); y = x * scale^-beta.
double caffe_ref(const std::vector<double>& x, int c, int n, double k, double a, double b) {
  const int C = static_cast<int>(x.size());
  double sum = 0;
  for (int i = c - (n - 1) / 2; i <= c + (n - 1) / 2; ++i)
    if (i >= 0 && i < C) sum += x[i] * x[i];
  return x[c] * std::pow(k + a / n * sum, -b);
}

// TensorFlow: depth_radius r, alpha not divided.
double tf_ref(const std::vector<double>& x, int c, int r, double k, double a, double b) {
  const int C = static_cast<int>(x.size());
  double sum = 0;
  for (int i = std::max(0, c - r); i <= std::min(C - 1, c + r); ++i) sum += x[i] * x[i];
  return x[c] / std::pow(k + a * sum, b);
}

using Ref = double (*)(const std::vector<double>&, int, int, double, double, double);

Ref ref_of(Convention c) {
  switch (c) {
    case Convention::Tf: return tf_ref;
    case Convention::Torch: return torch_ref;
    case Convention::Onnx: return onnx_ref;
    case Convention::Caffe: return caffe_ref;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("each convention matches its framework's documented formula", "[lrn][convention]") {
  const Convention conv =
      GENERATE(Convention::Tf, Convention::Torch, Convention::Onnx, Convention::Caffe);
  const int n = GENERATE(range(0, 8));
  const int channels = GENERATE(range(1, 9));
  const double beta = GENERATE(0.75, 0.5, 0.6);
  FrameworkParams f{conv, n, 1.5, 2e-3, beta};
  std::string why;
  const auto p = to_lrn(f, &why);
  if (conv != Convention::Tf && (n < 1 || (conv == Convention::Caffe && n % 2 == 0))) {
    CHECK_FALSE(p);
    CHECK_FALSE(why.empty());
    return;
  }
  REQUIRE(p);
  std::mt19937 rng(static_cast<unsigned>(n * 100 + channels));
  std::uniform_real_distribution<float> dist(0.0f, 255.0f);
  const std::size_t pixels = 37;
  std::vector<float> in(pixels * channels), out(in.size());
  for (float& v : in) v = dist(rng);
  const Kernel k(*p, static_cast<std::size_t>(channels));
  k.run(in.data(), out.data(), pixels);
  for (std::size_t px = 0; px < pixels; ++px) {
    std::vector<double> x(in.begin() + px * channels, in.begin() + (px + 1) * channels);
    for (int c = 0; c < channels; ++c) {
      INFO(convention_name(conv) << " n=" << n << " C=" << channels << " c=" << c);
      CHECK_THAT(out[px * channels + c], WithinRel(ref_of(conv)(x, c, n, 1.5, 2e-3, beta), 1e-6));
    }
  }
}

TEST_CASE("conventions map windows and alpha both ways", "[lrn][convention]") {
  std::string why;
  SECTION("torch puts the extra channel of an even window before c, onnx after") {
    const auto t = to_lrn({Convention::Torch, 4, 1, 0.4, 0.75}, &why);
    REQUIRE(t);
    CHECK(t->before == 2);
    CHECK(t->after == 1);
    CHECK(t->alpha == 0.1);
    const auto o = to_lrn({Convention::Onnx, 4, 1, 0.4, 0.75}, &why);
    REQUIRE(o);
    CHECK(o->before == 1);
    CHECK(o->after == 2);
  }
  SECTION("caffe rejects even sizes and says who accepts them") {
    CHECK_FALSE(to_lrn({Convention::Caffe, 4, 1, 1, 0.75}, &why));
    CHECK_THAT(why, Contains("torch"));
  }
  SECTION("tf r=2 alpha=0.001/9 is size 5 alpha 0.005/9 elsewhere") {
    const LrnParams p = LrnParams::tf(2, 1, 0.001 / 9, 0.75);
    for (Convention c : {Convention::Torch, Convention::Onnx, Convention::Caffe}) {
      const auto f = from_lrn(p, c);
      REQUIRE(f);
      CHECK(f->window == 5);
      CHECK_THAT(f->alpha, WithinRel(0.005 / 9, 1e-15));
      const auto back = to_lrn(*f, &why);
      REQUIRE(back);
      CHECK(back->before == 2);
      CHECK(back->after == 2);
      CHECK_THAT(back->alpha, WithinRel(p.alpha, 1e-15));
    }
  }
  SECTION("an asymmetric window has no tf or caffe form") {
    const LrnParams p{2, 1, 1, 1e-4, 0.75};
    CHECK_FALSE(from_lrn(p, Convention::Tf));
    CHECK_FALSE(from_lrn(p, Convention::Caffe));
    CHECK_FALSE(from_lrn(p, Convention::Onnx));
    CHECK(from_lrn(p, Convention::Torch)->window == 4);
  }
}

namespace {

// The resolved tf/torch/onnx/caffe lines of --print-params as (window, bias, alpha, beta).
struct Printed {
  std::string flag, window, bias, alpha, beta;
};

std::vector<std::pair<std::string, Printed>> print_params(const std::vector<std::string>& args) {
  std::vector<std::string> argv = args;
  argv.push_back("--print-params");
  const lrn_test::RunResult r = lrn_test::run_cli(argv);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  std::vector<std::pair<std::string, Printed>> rows;
  std::istringstream lines(r.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string name;
    Printed p;
    words >> name >> p.flag >> p.window >> p.bias >> p.alpha >> p.beta;
    if (parse_convention(name) && p.flag.rfind("--", 0) == 0) rows.push_back({name, p});
  }
  return rows;
}

}  // namespace

TEST_CASE("presets and --print-params round-trip through every convention", "[cli][convention]") {
  lrn_test::TempDir dir;
  lrn_test::write_npy(dir.file("in.npy"), 3, 4, 6, [] {
    std::vector<float> v(3 * 4 * 6);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 37) % 256);
    return v;
  }());
  const auto preset =
      GENERATE(as<std::vector<std::string>>{}, std::vector<std::string>{"--preset", "blog"},
               std::vector<std::string>{"--preset", "tf-cifar10"},
               std::vector<std::string>{"--preset", "tf-defaults"},
               std::vector<std::string>{"--preset", "alexnet-paper"},
               std::vector<std::string>{"--preset", "caffe-alexnet"},
               std::vector<std::string>{"--preset", "torch-defaults", "--size", "4"},
               std::vector<std::string>{"--convention", "onnx", "--size", "6", "--alpha", "0.01",
                                        "--beta", "0.6"});
  std::vector<std::string> base = {dir.file("in.npy"), dir.file("base.npy")};
  base.insert(base.end(), preset.begin(), preset.end());
  REQUIRE(lrn_test::run_cli(base).exit_code == 0);
  const lrn_test::Decoded want = lrn_test::decode_file(dir.file("base.npy"));

  const auto rows = print_params(preset);
  REQUIRE(!rows.empty());  // at least the convention the parameters were given in
  for (const auto& [name, p] : rows) {
    const std::string out = dir.file(name + ".npy");
    const lrn_test::RunResult r =
        lrn_test::run_cli({dir.file("in.npy"), out, "--convention", name, p.flag, p.window,
                           "--bias", p.bias, "--alpha", p.alpha, "--beta", p.beta});
    INFO(name << ": " << r.err);
    REQUIRE(r.exit_code == 0);
    const lrn_test::Decoded got = lrn_test::decode_file(out);
    REQUIRE(got.samples() == want.samples());
    for (std::size_t i = 0; i < got.samples(); ++i)
      CHECK_THAT(got.at(i), WithinRel(want.at(i), 1e-6));
  }
}

TEST_CASE("presets fill parameters and explicit flags win", "[cli][convention]") {
  const auto rows = print_params({"--preset", "caffe-alexnet"});
  REQUIRE(!rows.empty());
  const auto tf = std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.first == "tf"; });
  REQUIRE(tf != rows.end());
  CHECK(tf->second.window == "2");
  CHECK(tf->second.alpha == "2e-05");
  const auto over = print_params({"--beta", "0.5", "--preset", "tf-cifar10"});
  CHECK(over.front().second.window == "4");
  CHECK(over.front().second.beta == "0.5");
}
