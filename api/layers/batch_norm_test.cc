// BatchNormalization: batch statistics and moving-statistic updates in training only; the
// moving statistics at inference; the variables' trainability.
#include <cmath>

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

TEST(BatchNormalization, TrainingNormalizesAndMovesStatistics) {
  layers::BatchNormalization bn(/*momentum=*/0.9, /*epsilon=*/1e-3);
  Tensor x = constant({{1.f, 10.f}, {3.f, 20.f}});  // mean (2, 15), biased variance (1, 25)
  std::vector<float> y = bn(x, true).to_vector<float>();
  EXPECT_NEAR(y[0], -1 / std::sqrt(1.001f), 1e-5);
  EXPECT_NEAR(y[3], 5 / std::sqrt(25.001f), 1e-5);
  std::vector<float> mm = bn.moving_mean().value().to_vector<float>();
  std::vector<float> mv = bn.moving_variance().value().to_vector<float>();
  EXPECT_NEAR(mm[0], 0.1f * 2, 1e-6);
  EXPECT_NEAR(mm[1], 0.1f * 15, 1e-5);
  EXPECT_NEAR(mv[0], 0.9f + 0.1f * 1, 1e-6);
  EXPECT_NEAR(mv[1], 0.9f + 0.1f * 25, 1e-5);
  bn(x, true);
  EXPECT_NEAR(bn.moving_mean().value().to_vector<float>()[0], 0.9f * 0.2f + 0.2f, 1e-6);
}

TEST(BatchNormalization, InferenceUsesMovingStatisticsAndChangesNothing) {
  layers::BatchNormalization bn;
  Tensor x = constant({{1.f, 10.f}, {3.f, 20.f}});
  std::vector<float> y = bn(x).to_vector<float>();  // moving mean 0, variance 1
  EXPECT_NEAR(y[1], 10 / std::sqrt(1.001f), 1e-5);
  bn(x, false);
  EXPECT_EQ(bn.moving_mean().value().to_vector<float>(), (std::vector<float>{0, 0}));
  EXPECT_EQ(bn.moving_variance().value().to_vector<float>(), (std::vector<float>{1, 1}));
}

TEST(BatchNormalization, MovingStatisticsAreNonTrainable) {
  layers::BatchNormalization bn;
  bn(ones({2, 2, 2, 3}));
  ASSERT_EQ(bn.trainable_variables().size(), 2u);
  EXPECT_EQ(bn.trainable_variables()[0].name(), bn.name() + "/gamma");
  ASSERT_EQ(bn.non_trainable_variables().size(), 2u);
  EXPECT_EQ(bn.non_trainable_variables()[1].name(), bn.name() + "/moving_variance");
  EXPECT_EQ(bn.non_trainable_variables()[0].shape(), Shape({3}));
}

TEST(BatchNormalization, TracedTrainingUpdatesOnEveryCall) {
  layers::BatchNormalization bn(0.5);
  auto step = function([&](Tensor x) { return bn(x, true); });
  Tensor x = constant({{2.f}, {4.f}});
  step(x);
  step(x);
  EXPECT_NEAR(bn.moving_mean().value().item<float>(), 0.25f * 0 + 0.75f * 3, 1e-6);
}

}  // namespace
}  // namespace duet
