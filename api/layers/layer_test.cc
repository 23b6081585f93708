// Layer basics: the guide's custom layer (build from the input shape, add_weight), building
// once, trainability, initializers and add_weight errors.
#include <cmath>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

class MySimpleLayer : public Layer {
 public:
  explicit MySimpleLayer(int64_t units) : units(units) {}
  void build(const Shape& input) override { kernel = add_weight("kernel", {input[-1], units}); }
  Tensor call(const Tensor& x, bool) override { return matmul(x, kernel); }
  int64_t units;
  Variable kernel;
};

// First in this file: the process's first unseeded weight takes the first default seed, so
// every run of a program builds the same weights.
TEST(Layer, GuideCustomLayerBuildsOnceFromTheInputShape) {
  MySimpleLayer layer(10);
  EXPECT_FALSE(layer.built());
  EXPECT_TRUE(layer.variables().empty());
  Tensor y = layer(ones({10, 5}));
  EXPECT_TRUE(layer.built());
  EXPECT_EQ(y.shape(), Shape({10, 10}));
  ASSERT_EQ(layer.variables().size(), 1u);
  EXPECT_EQ(layer.variables()[0].shape(), Shape({5, 10}));
  EXPECT_EQ(layer.variables()[0].name(), layer.name() + "/kernel");
  EXPECT_EQ(layer.kernel.value().to_vector<float>(),
            initializers::GlorotUniform()({5, 10}, DType::kFloat32, 1337).to_vector<float>());
  layer(ones({3, 5}));
  EXPECT_EQ(layer.variables().size(), 1u);
}

TEST(Layer, NotTrainableMovesWeightsToNonTrainable) {
  Sequential model({layers::Dense(2), layers::Dense(1)});
  model(ones({1, 2}));
  model.set_trainable(false);
  EXPECT_TRUE(model.trainable_variables().empty());
  EXPECT_EQ(model.non_trainable_variables().size(), 4u);
  model.set_trainable(true);
  model.layers()[0]->set_trainable(false);
  EXPECT_EQ(model.trainable_variables().size(), 2u);
}

TEST(Layer, Initializers) {
  Shape s({2, 3});
  EXPECT_EQ(initializers::Zeros()(s, DType::kFloat64, 0).to_vector<double>(),
            std::vector<double>(6, 0.0));
  EXPECT_EQ(initializers::Ones()(s, DType::kFloat32, 0).to_vector<float>(),
            std::vector<float>(6, 1.f));
  EXPECT_EQ(initializers::Constant(2.5)(s, DType::kFloat32, 0).to_vector<float>(),
            std::vector<float>(6, 2.5f));
  Tensor g = initializers::GlorotUniform()({30, 20}, DType::kFloat32, 4);
  EXPECT_EQ(g.to_vector<float>(),
            initializers::GlorotUniform()({30, 20}, DType::kFloat32, 4).to_vector<float>());
  float limit = std::sqrt(6.f / 50.f), max_abs = 0;
  for (float v : g.to_vector<float>()) max_abs = std::max(max_abs, std::abs(v));
  EXPECT_LE(max_abs, limit);
  EXPECT_GT(max_abs, 0.9f * limit);
  // Conv kernels (HWIO): fan_in = 3*3*2, fan_out = 3*3*4.
  float conv_limit = std::sqrt(6.f / (18.f + 36.f)), conv_max = 0;
  for (float v : initializers::GlorotUniform()({3, 3, 2, 4}, DType::kFloat32, 1).to_vector<float>())
    conv_max = std::max(conv_max, std::abs(v));
  EXPECT_LE(conv_max, conv_limit);
  EXPECT_GT(conv_max, 0.8f * conv_limit);
}

class BadLayer : public Layer {
 public:
  void build(const Shape&) override {
    add_weight("w", {2});
    add_weight("w", {3});
  }
  Tensor call(const Tensor& x, bool) override { return x; }
};

TEST(Layer, AddWeightErrorsLeaveTheLayerUnbuilt) {
  BadLayer bad;
  ExpectError([&] { bad(ones({1})); }, "weight 'w' already exists");
  EXPECT_FALSE(bad.built());
  EXPECT_TRUE(bad.variables().empty());
  MySimpleLayer layer(2);
  auto f = function([&](Tensor x) { return layer(x); }, {TensorSpec({2, -1}, DType::kFloat32)});
  ExpectError([&] { f(ones({2, 3})); }, "weight 'kernel' needs a known shape, got (-1, 2)");
}

TEST(Layer, UndefinedInputIsAnError) {
  layers::Dense d(1);
  ExpectError([&] { d(Tensor()); }, "the input is an undefined tensor");
}

}  // namespace
}  // namespace duet
