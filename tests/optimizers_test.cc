// Optimizers (update rules checked against hand-computed Keras steps) and metrics.
#include <cmath>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

TEST(Metrics, MeanAsTheGuideShows) {
  metrics::Mean m("loss");
  m(0);
  m(5);
  EXPECT_EQ(m.result().item<float>(), 2.5f);
  m(constant({8, 9}));
  EXPECT_EQ(m.result().item<float>(), 5.5f);
  m.reset();
  EXPECT_EQ(m.result().item<float>(), 0.f);
}

TEST(Metrics, Accuracy) {
  metrics::Accuracy acc;
  acc(constant({1, 2, 3, 4}), constant({0, 2, 3, 4}));
  EXPECT_EQ(acc.result().item<float>(), 0.75f);
  acc.reset();
  acc(constant({1}), constant({1}));
  EXPECT_EQ(acc.result().item<float>(), 1.f);
}

TEST(Optimizers, SgdPlainMomentumAndNesterov) {
  Variable w(constant(1.0));
  optimizers::SGD sgd(0.1);
  sgd.apply_gradients({constant(2.0)}, {w});
  EXPECT_DOUBLE_EQ(w.value().item<double>(), 0.8);

  Variable m(constant(1.0));
  optimizers::SGD mom(0.1, 0.9);
  mom.apply_gradients({constant(1.0)}, {m});  // v = -0.1, w = 0.9
  mom.apply_gradients({constant(1.0)}, {m});  // v = -0.19, w = 0.71
  EXPECT_NEAR(m.value().item<double>(), 0.71, 1e-12);

  Variable n(constant(1.0));
  optimizers::SGD nes(0.1, 0.9, true);
  nes.apply_gradients({constant(1.0)}, {n});  // v = -0.1; w += 0.9*-0.1 - 0.1 = -0.19
  EXPECT_NEAR(n.value().item<double>(), 0.81, 1e-12);
}

TEST(Optimizers, AdamFirstStepMovesByTheLearningRate) {
  Variable w(constant(1.0));
  optimizers::Adam adam(0.001);
  adam.apply_gradients({constant(5.0)}, {w});
  // m = 0.5, v = 0.025, lr_t = 0.001 * sqrt(0.001) / 0.1; step = lr_t * m / (sqrt(v) + eps) ~ 0.001
  EXPECT_NEAR(w.value().item<double>(), 1.0 - 0.001, 1e-6);
}

TEST(Optimizers, RmsPropStep) {
  Variable w(constant(1.0));
  optimizers::RMSProp rms(0.01);
  rms.apply_gradients({constant(2.0)}, {w});
  double ms = 0.1 * 4.0;
  EXPECT_NEAR(w.value().item<double>(), 1.0 - 0.01 * 2.0 / (std::sqrt(ms) + 1e-7), 1e-12);
}

TEST(Optimizers, MinimizeWithAScheduleConverges) {
  Variable x(constant(5.0f));
  optimizers::SGD opt(optimizers::schedules::ExponentialDecay(0.1, 10, 0.9));
  for (int i = 0; i < 100; ++i) opt.minimize([&] { return square(x - 2.f); }, {x});
  EXPECT_NEAR(x.value().item<float>(), 2.f, 1e-2f);
  EXPECT_EQ(opt.iterations().value().item<int64_t>(), 100);
  EXPECT_LT(opt.current_learning_rate(), 0.1);
}

TEST(Optimizers, MismatchedGradientIsAnError) {
  Variable w(constant({1.f, 2.f}));
  optimizers::Adam adam;
  EXPECT_ERROR(adam.apply_gradients({constant(1.f)}, {w}), "[apply_gradients] gradient 0");
  EXPECT_ERROR(adam.apply_gradients({}, {w}), "[apply_gradients] 0");
}

}  // namespace
}  // namespace duet
