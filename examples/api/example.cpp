// lrn_img from C++: normalize a file as `lrn-img IN OUT` does, then a tensor in memory, with
// LRN and with a method of the normalization family (global contrast normalization).
// Usage: example IN OUT   (prints the largest deviations of the tensor from float64 loops)
#include <lrn_img/lrn_img.h>

#include <cmath>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: example IN OUT\n");
    return 2;
  }
  try {
    // 1. A file, with PyTorch's statement of the parameters (size 5, alpha divided by 5).
    lrn_img::FileOptions options;
    options.params.convention = lrn_img::Convention::Torch;
    options.params.size = 5;
    options.params.alpha = 1e-4;
    options.warn = [](const std::string& m) { std::fprintf(stderr, "warning: %s\n", m.c_str()); };
    lrn_img::process_file(argv[1], argv[2], options);

    // 2. An (N, C, H, W) float32 tensor, normalized in place.
    const std::size_t dims[4] = {2, 7, 3, 4};
    std::vector<float> data(2 * 7 * 3 * 4);
    for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<float>((i * 37) % 101) / 4;
    const std::vector<float> original = data;
    lrn_img::TensorView view = lrn_img::make_view(data.data(), lrn_img::Layout::Nchw, dims, 4);
    const lrn_img::Resolved r = lrn_img::resolve(options.params);  // before 2, after 2, alpha 2e-5
    lrn_img::normalize(lrn_img::as_const(view), view, r, /*threads=*/2);

    // The formula of lrn_img/params.h, in double.
    double worst = 0;
    for (std::size_t n = 0; n < 2; ++n)
      for (std::size_t c = 0; c < 7; ++c)
        for (std::size_t i = 0; i < 12; ++i) {
          double sum = 0;
          for (long k = static_cast<long>(c) - r.before; k <= static_cast<long>(c) + r.after; ++k)
            if (k >= 0 && k < 7) {
              const double x = original[(n * 7 + k) * 12 + i];
              sum += x * x;
            }
          const double x = original[(n * 7 + c) * 12 + i];
          const double want = x / std::pow(r.bias + r.alpha * sum, r.beta);
          const double got = data[(n * 7 + c) * 12 + i];
          worst = std::fmax(worst, std::fabs(got - want) / std::fmax(std::fabs(want), 1e-30));
        }
    // 3. The family: pylearn2's global contrast normalization with the maxout-cifar10 preset
    //    (scale 55), statistics per image, into a new buffer; `lrn-img --method gcn --preset
    //    maxout-cifar10` computes the same. Every method and its parameters: lrn_img/params.h.
    lrn_img::Params gcn;
    gcn.method = lrn_img::Method::Gcn;
    gcn.preset = "maxout-cifar10";
    std::vector<float> white(original.size());
    lrn_img::normalize(lrn_img::make_view(original.data(), lrn_img::Layout::Nchw, dims, 4),
                       lrn_img::make_view(white.data(), lrn_img::Layout::Nchw, dims, 4), gcn);
    std::printf("%s", lrn_img::describe(lrn_img::resolve(gcn)).c_str());  // as --print-params
    double worst_gcn = 0;
    for (std::size_t n = 0; n < 2; ++n) {  // y = (x - mean) / (sqrt(sum of (x - mean)^2) / 55)
      const float* x = original.data() + n * 84;
      double mean = 0, ssq = 0;
      for (std::size_t i = 0; i < 84; ++i) mean += x[i] / 84.0;
      for (std::size_t i = 0; i < 84; ++i) ssq += (x[i] - mean) * (x[i] - mean);
      for (std::size_t i = 0; i < 84; ++i) {
        const double want = (x[i] - mean) / (std::sqrt(ssq) / 55);
        const double got = white[n * 84 + i];
        worst_gcn = std::fmax(worst_gcn, std::fabs(got - want) / std::fmax(std::fabs(want), 1e-6));
      }
    }
    std::printf("lrn_img %s: largest relative deviation %.3g (lrn), %.3g (gcn)\n",
                lrn_img::version(), worst, worst_gcn);
    return worst < 1e-5 && worst_gcn < 1e-5 ? 0 : 1;
  } catch (const lrn_img::InvalidArgument& e) {  // a bad parameter: e.parameter() names it
    std::fprintf(stderr, "example: %s\n", e.what());
    return 2;
  } catch (const lrn_img::Error& e) {  // FileError, LimitExceeded: e.path() names the file
    std::fprintf(stderr, "example: %s\n", e.what());
    return 1;
  }
}
