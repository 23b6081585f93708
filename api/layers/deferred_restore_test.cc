// Deferred restoration: values handed to a model before its first call (as a checkpoint
// restore does) are assigned when the layers create their variables.
#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

class TwoLayers : public Model {
 public:
  layers::Dense first{2, Activation::kNone, {.name = "first"}};
  layers::Dense second{1, Activation::kNone, {.name = "second"}};
  Tensor call(const Tensor& x, bool) override { return second(first(x)); }
};

TEST(DeferredRestore, ValuesApplyWhenVariablesAreCreated) {
  TwoLayers model;
  model.DeferRestore({{"first/kernel", constant({{1.f, 2.f}, {3.f, 4.f}, {5.f, 6.f}})},
                      {"second/bias", constant({0.5f})},
                      {"second/kernel", constant({{1.f}, {-1.f}})}});
  EXPECT_EQ(model.num_deferred(), 3u);
  Tensor y = model(constant({{1.f, 0.f, 0.f}}));
  EXPECT_EQ(model.num_deferred(), 0u);
  EXPECT_EQ(model.first.kernel().value().to_vector<float>(),
            (std::vector<float>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(model.first.bias().value().to_vector<float>(),
            (std::vector<float>{0, 0}));  // not in the values
  EXPECT_FLOAT_EQ(y.item<float>(), 1.f - 2.f + 0.5f);
}

TEST(DeferredRestore, NestedSequentialReceivesItsShare) {
  auto inner = std::make_shared<Sequential>(
      std::vector<LayerRef>{layers::Dense(1, Activation::kNone, {.name = "leaf"})},
      LayerOptions{.name = "inner"});
  Sequential outer({inner}, {.name = "outer"});
  outer.DeferRestore(
      {{"inner/leaf/kernel", constant({{2.f}})}, {"inner/leaf/bias", constant({1.f})}});
  EXPECT_FLOAT_EQ(outer(constant({{3.f}})).item<float>(), 7.f);
  EXPECT_EQ(outer.num_deferred(), 0u);
  EXPECT_EQ(inner->num_deferred(), 0u);
}

}  // namespace
}  // namespace duet
