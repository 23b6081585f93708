// The same model eagerly, inside a duet::function and under run_functions_eagerly gives the
// same outputs; a model first called inside a trace builds its weights eagerly.
#include <cmath>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

Sequential SmallCnn() {
  return Sequential({layers::Conv2D(4, {3, 3}, Activation::kRelu, {1, 1}, "SAME", {.seed = 1}),
                     layers::BatchNormalization(), layers::MaxPool2D({2, 2}),
                     layers::AveragePooling2D({2, 2}), layers::Flatten(), layers::Dropout(0.5, 3),
                     layers::Dense(5, Activation::kSoftmax, {.seed = 2})});
}

TEST(Traced, EagerTracedAndRunEagerlyAgree) {
  Sequential model = SmallCnn();
  Tensor x = random::uniform({2, 8, 8, 1}, 0.f, 1.f, 5);
  std::vector<float> eager = model(x).to_vector<float>();
  auto f = function([&](Tensor in) { return model(in); });
  EXPECT_EQ(f(x).to_vector<float>(), eager);
  config::run_functions_eagerly(true);
  std::vector<float> run_eagerly = f(x).to_vector<float>();
  config::run_functions_eagerly(false);
  EXPECT_EQ(run_eagerly, eager);
  EXPECT_EQ(f.tracing_count(), 1);
  EXPECT_EQ(model.variables().size(), 8u);
}

TEST(Traced, FirstCallInsideAFunctionBuildsEagerWeights) {
  Sequential traced_first = SmallCnn(), eager_first = SmallCnn();
  Tensor x = random::uniform({2, 8, 8, 1}, 0.f, 1.f, 6);
  auto f = function([&](Tensor in) { return traced_first(in); });
  std::vector<float> traced = f(x).to_vector<float>();
  ASSERT_EQ(traced_first.variables().size(), 8u);
  EXPECT_EQ(traced_first.variables()[0].value().shape(), Shape({3, 3, 1, 4}));
  // Seeded layers get the same weights however they were built.
  EXPECT_EQ(eager_first(x).to_vector<float>(), traced);
}

TEST(Traced, SeededWeightsAreDeterministic) {
  layers::Dense a(3, Activation::kNone, {.seed = 9}), b(3, Activation::kNone, {.seed = 9}), c(3);
  a(ones({1, 4}));
  b(ones({1, 4}));
  c(ones({1, 4}));
  EXPECT_EQ(a.kernel().value().to_vector<float>(), b.kernel().value().to_vector<float>());
  EXPECT_NE(a.kernel().value().to_vector<float>(), c.kernel().value().to_vector<float>());
  for (float v : a.kernel().value().to_vector<float>())
    EXPECT_LE(std::abs(v), std::sqrt(6.f / 7.f));
}

}  // namespace
}  // namespace duet
