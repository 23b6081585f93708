// Every built-in layer's gradients w.r.t. its input and weights, checked numerically in float64.
#include "api/duet.h"
#include "api/layers/grad_check_test.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

constexpr DType kF64 = DType::kFloat64;

Tensor Input(const Shape& shape, int64_t seed) {
  return random::uniform(shape, -1.f, 1.f, seed, kF64);
}

TEST(LayerGradient, Dense) {
  layers::Dense d(3, Activation::kTanh);
  CheckLayerGradients(d, Input({4, 5}, 1));
  EXPECT_EQ(d.kernel().dtype(), kF64);
}

TEST(LayerGradient, DenseOnRank3WithExplicitDType) {
  layers::Dense d(2, Activation::kSigmoid, {.dtype = kF64});
  CheckLayerGradients(d, Input({2, 3, 4}, 2));
}

TEST(LayerGradient, DenseSoftmaxWithoutBias) {
  layers::Dense d(4, Activation::kSoftmax, {}, /*use_bias=*/false);
  CheckLayerGradients(d, Input({3, 2}, 3));
  EXPECT_EQ(d.trainable_variables().size(), 1u);
}

TEST(LayerGradient, Conv2DValidAndSame) {
  layers::Conv2D valid(3, {3, 3}, Activation::kRelu);
  CheckLayerGradients(valid, Input({2, 5, 5, 2}, 4));
  layers::Conv2D same(2, {2, 3}, Activation::kNone, {2, 2}, "SAME");
  CheckLayerGradients(same, Input({1, 5, 6, 3}, 5));
}

TEST(LayerGradient, Pooling) {
  layers::MaxPool2D max({2, 2});
  CheckLayerGradients(max, Input({2, 4, 4, 3}, 6));
  layers::AveragePooling2D avg({2, 2}, std::array<int, 2>{1, 1}, "SAME");
  CheckLayerGradients(avg, Input({1, 3, 3, 2}, 7));
  layers::GlobalAveragePooling2D global;
  CheckLayerGradients(global, Input({2, 3, 4, 5}, 8));
}

TEST(LayerGradient, Flatten) {
  layers::Flatten f;
  CheckLayerGradients(f, Input({2, 3, 2}, 9));
}

TEST(LayerGradient, BatchNormalizationTrainingAndInference) {
  layers::BatchNormalization bn;
  CheckLayerGradients(bn, Input({6, 3}, 10), /*training=*/true);
  layers::BatchNormalization bn_inference;
  CheckLayerGradients(bn_inference, Input({2, 2, 2, 4}, 11), /*training=*/false);
}

TEST(LayerGradient, Embedding) {
  layers::Embedding e(7, 3, {.dtype = kF64});
  CheckLayerGradients(e, constant({{1, 6, 1}, {0, 3, 2}}));
  EXPECT_EQ(e.embeddings().dtype(), kF64);
}

TEST(LayerGradient, DropoutInferenceIsIdentityAndTrainingScalesKeptElements) {
  layers::Dropout drop(0.25, 3);
  CheckLayerGradients(drop, Input({4, 4}, 12));
  Tensor x = Input({8, 8}, 13);
  GradientTape tape;
  tape.watch(x);
  Tensor y = drop(x, true);
  std::vector<double> g = tape.gradient(reduce_sum(y), x).to_vector<double>();
  std::vector<double> yv = y.to_vector<double>();
  for (size_t i = 0; i < g.size(); ++i) EXPECT_DOUBLE_EQ(g[i], yv[i] == 0 ? 0.0 : 1.0 / 0.75) << i;
}

}  // namespace
}  // namespace duet
