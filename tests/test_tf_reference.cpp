// TensorFlow's own tf.nn.lrn outputs (the blog post that started the project) reproduced to
// 1e-6 relative on every target. The numbers are in tests/tf_blog_examples.h (which says where
// they come from), so the tests never read outside the repository.
#include <catch2/catch.hpp>

#include <vector>

#include "lrn/kernel.h"

#include "tf_blog_examples.h"

TEST_CASE("kernel: reproduces TensorFlow's printed tf.nn.lrn outputs", "[lrn][kernel][tf]") {
  const lrn::LrnParams p = lrn::LrnParams::tf(2, 1.0, 0.001 / 9, 0.75);
  for (const lrn_test::TfExample& tf : lrn_test::kTfExamples) {
    for (lrn::Target t : lrn::supported_targets()) {
      std::vector<float> y(75);
      lrn::Kernel(p, 3, t).run(tf.input, y.data(), 25);
      for (int i = 0; i < 75; ++i) {
        INFO(tf.name << " on " << lrn::target_name(t) << ", value " << i);
        CHECK_THAT(y[i], Catch::Matchers::WithinRel(tf.tf_output[i], 1e-6));
      }
    }
  }
}
