// Sequential: a small CNN's output shapes and variables, layers shared through shared_ptr,
// add(), and errors.
#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

TEST(Sequential, SmallCnnShapesAndVariables) {
  Sequential model({layers::Conv2D(4, {3, 3}, Activation::kRelu), layers::MaxPool2D({2, 2}),
                    layers::Conv2D(6, {3, 3}, Activation::kRelu, {2, 2}, "SAME"),
                    layers::BatchNormalization(), layers::Flatten(), layers::Dropout(0.5, 1),
                    layers::Dense(10)});
  Tensor y = model(random::uniform({2, 12, 12, 1}, 0.f, 1.f, 1), /*training=*/true);
  EXPECT_EQ(y.shape(), Shape({2, 10}));
  ASSERT_EQ(model.layers().size(), 7u);
  EXPECT_EQ(model.layers()[1]->output_shape(), Shape({2, 5, 5, 4}));
  EXPECT_EQ(model.layers()[2]->output_shape(), Shape({2, 3, 3, 6}));
  std::vector<Variable> vars = model.variables();
  ASSERT_EQ(vars.size(), 10u);  // conv 2 + conv 2 + bn 4 + dense 2
  EXPECT_EQ(vars[0].shape(), Shape({3, 3, 1, 4}));
  EXPECT_EQ(vars[2].shape(), Shape({3, 3, 4, 6}));
  EXPECT_EQ(vars[8].shape(), Shape({54, 10}));
  EXPECT_EQ(model.trainable_variables().size(), 8u);
  EXPECT_EQ(model.non_trainable_variables().size(), 2u);
  EXPECT_EQ(model.count_params(), 3 * 3 * 4 + 4 + 3 * 3 * 4 * 6 + 6 + 4 * 6 + 54 * 10 + 10);
}

TEST(Sequential, SharedLayerSharesWeights) {
  auto shared = std::make_shared<layers::Dense>(4);
  Sequential a({shared, layers::Dense(1)});
  Sequential b({shared});
  a(ones({1, 3}));
  Tensor yb = b(ones({1, 3}));
  EXPECT_EQ(b.variables().size(), 2u);
  EXPECT_TRUE(a.variables()[0] == b.variables()[0]);
  EXPECT_EQ(yb.to_vector<float>(), (*shared)(ones({1, 3})).to_vector<float>());
}

TEST(Sequential, NestedModelsCountEachVariableOnce) {
  auto inner =
      std::make_shared<Sequential>(std::vector<LayerRef>{layers::Dense(3), layers::Dense(3)});
  Sequential outer({inner, inner, layers::Dense(2)});
  EXPECT_EQ(outer(ones({2, 3})).shape(), Shape({2, 2}));
  EXPECT_EQ(outer.variables().size(), 6u);
  EXPECT_EQ(outer.layers().size(), 2u);
  ASSERT_EQ(outer.tracked_children().size(), 2u);
  EXPECT_EQ(outer.tracked_children()[0].first, inner->name());
}

TEST(Sequential, AddAppendsLayers) {
  Sequential model;
  model.add(layers::Flatten());
  model.add(layers::Dense(2));
  EXPECT_EQ(model(zeros({3, 2, 2})).shape(), Shape({3, 2}));
}

TEST(Sequential, Errors) {
  Sequential empty;
  ExpectError([&] { empty(ones({1, 2})); }, "has no layers to call");
  Sequential model({layers::Dense(2)});
  ExpectError([&] { model(ones({3})); }, "input must have rank >= 2");
  model(ones({1, 3}));
  ExpectError([&] { model(ones({1, 4})); }, "expected an input of shape (..., 3), got (1, 4)");
  Sequential cnn({layers::Conv2D(2, {3, 3})});
  ExpectError([&] { cnn(ones({4, 4})); }, "input must be rank 4 (NHWC)");
  ExpectError(
      [] {
        layers::Conv2D(2, {3, 3}, Activation::kNone, {1, 1}, "FULL");
      },
      "padding must be \"SAME\" or \"VALID\", got \"FULL\"");
  ExpectError([] { layers::MaxPool2D({0, 2}); }, "window size must be positive, got (0, 2)");
  ExpectError([] { layers::Dense(0); }, "units must be positive, got 0");
  ExpectError([] { layers::Dense(0); }, "sequential_test.cc:");  // the user's line
  ExpectError([] { layers::Dropout(1.0); }, "rate must be in [0, 1), got 1");
}

}  // namespace
}  // namespace duet
