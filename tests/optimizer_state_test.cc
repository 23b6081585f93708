// Optimizer state in Variables: a whole training step inside one duet::function matches the
// eager step, slots are made once (also when first asked for in a trace), tracked by name and
// restored deferred; schedules are tensor ops of the step counter.
#include <functional>
#include <memory>
#include <vector>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

using MakeOptimizer = std::function<std::unique_ptr<optimizers::Optimizer>()>;

struct Regression {
  Variable w{constant({{0.5f, -0.2f}, {0.1f, 0.3f}, {-0.4f, 0.2f}}), "w"};
  Variable b{constant({0.1f, -0.1f}), "b"};
  Tensor x = constant({{1.f, 2.f, 0.5f}, {0.f, -1.f, 2.f}, {1.5f, 0.5f, -0.5f}, {-1.f, 1.f, 1.f}});
  Tensor y = constant({{1.f, 0.f}, {0.f, 1.f}, {1.f, 1.f}, {-1.f, 0.5f}});
  Tensor loss() const { return losses::mean_squared_error(y, matmul(x, w) + b); }
};

void ExpectTracedMatchesEager(const MakeOptimizer& make) {
  Regression eager_model, traced_model;
  auto eager_opt = make(), traced_opt = make();
  auto step = function([&] {
    return traced_opt->minimize([&] { return traced_model.loss(); },
                                {traced_model.w, traced_model.b});
  });
  for (int i = 0; i < 20; ++i) {
    float eager_loss =
        eager_opt->minimize([&] { return eager_model.loss(); }, {eager_model.w, eager_model.b})
            .item<float>();
    EXPECT_NEAR(step().item<float>(), eager_loss, 1e-5f) << "step " << i;
  }
  EXPECT_EQ(step.tracing_count(), 1);
  EXPECT_EQ(traced_opt->iterations().value().item<int64_t>(), 20);
  EXPECT_EQ(eager_opt->iterations().value().item<int64_t>(), 20);
  std::vector<float> want = eager_model.w.value().to_vector<float>(),
                     got = traced_model.w.value().to_vector<float>();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5f) << i;
  EXPECT_NE(want[0], 0.5f);  // it did train
  EXPECT_NEAR(traced_model.b.value().to_vector<float>()[1],
              eager_model.b.value().to_vector<float>()[1], 1e-5f);
  EXPECT_LT(traced_model.loss().item<float>(), Regression().loss().item<float>());
}

TEST(OptimizerState, SgdMomentumStepInAFunctionMatchesEager) {
  ExpectTracedMatchesEager([] { return std::make_unique<optimizers::SGD>(0.05, 0.9); });
  ExpectTracedMatchesEager(
      [] { return std::make_unique<optimizers::SGD>(0.05, 0.9, /*nesterov=*/true); });
}

TEST(OptimizerState, AdamStepInAFunctionMatchesEager) {
  ExpectTracedMatchesEager([] { return std::make_unique<optimizers::Adam>(0.05); });
}

TEST(OptimizerState, RmsPropStepInAFunctionMatchesEager) {
  ExpectTracedMatchesEager([] { return std::make_unique<optimizers::RMSProp>(0.01, 0.9, 0.5); });
}

TEST(OptimizerState, SchedulesInAFunctionMatchEager) {
  ExpectTracedMatchesEager([] {
    return std::make_unique<optimizers::Adam>(
        optimizers::schedules::ExponentialDecay(0.1, 5, 0.5, true));
  });
  ExpectTracedMatchesEager([] {
    return std::make_unique<optimizers::SGD>(
        optimizers::schedules::PiecewiseConstantDecay({5, 10}, {0.1, 0.05, 0.01}));
  });
}

TEST(OptimizerState, SchedulesFollowTheStepCounter) {
  Variable x(constant(0.0), "x");
  optimizers::SGD opt(optimizers::schedules::PiecewiseConstantDecay({2, 4}, {1.0, 0.5, 0.25}));
  auto step = function([&] { opt.apply_gradients({constant(-1.0)}, {x}); });
  std::vector<double> rates;
  for (int i = 0; i < 6; ++i) {
    rates.push_back(opt.current_learning_rate());
    step();
  }
  EXPECT_EQ(rates, (std::vector<double>{1.0, 1.0, 0.5, 0.5, 0.25, 0.25}));
  EXPECT_DOUBLE_EQ(x.value().item<double>(), 3.5);
  optimizers::SGD decay(optimizers::schedules::ExponentialDecay(0.1, 10, 0.5));
  for (int i = 0; i < 10; ++i) decay.apply_gradients({constant(0.0)}, {x});
  EXPECT_NEAR(decay.current_learning_rate(), 0.05, 1e-12);
}

TEST(OptimizerState, SlotsAreVariablesMadeOnceAndTrackedByName) {
  Regression model;
  optimizers::Adam adam(0.01);
  EXPECT_EQ(adam.tracked_variables().size(), 1u);
  auto step = function([&] {
    return adam.minimize([&] { return model.loss(); }, {model.w, model.b});
  });
  for (int i = 0; i < 3; ++i) step();
  std::vector<std::string> names;
  for (const auto& [name, var] : adam.tracked_variables()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"iterations", "m/w", "v/w", "m/b", "v/b"}));
  Variable it = adam.tracked_variables()[0].second;
  EXPECT_EQ(it.dtype(), DType::kInt64);
  EXPECT_EQ(it.value().item<int64_t>(), 3);
  EXPECT_FALSE(it.trainable());
  Variable m = adam.tracked_variables()[1].second;
  EXPECT_EQ(m.shape(), Shape({3, 2}));
  EXPECT_NE(m.value().to_vector<float>()[0], 0.f);  // the traced steps updated the real slot
  EXPECT_EQ(adam.iterations(), it);                 // the same state, not a copy
}

TEST(OptimizerState, DeferredSlotValuesApplyWhenTheSlotIsMade) {
  Variable w(constant({1.f, 2.f}), "dense/kernel");
  optimizers::SGD sgd(0.1, 0.5);
  sgd.DeferRestore({{"momentum/dense/kernel", constant({2.f, -2.f})}});
  EXPECT_EQ(sgd.num_deferred(), 1u);
  auto step = function([&] { sgd.apply_gradients({constant({0.f, 0.f})}, {w}); });
  step();  // v = 0.5 * restored, w += v
  EXPECT_EQ(sgd.num_deferred(), 0u);
  EXPECT_EQ(w.value().to_vector<float>(), (std::vector<float>{2.f, 1.f}));
  EXPECT_EQ(sgd.tracked_variables()[1].second.value().to_vector<float>(),
            (std::vector<float>{1.f, -1.f}));
}

TEST(OptimizerState, BadSchedulesAreErrors) {
  ExpectError(
      [] {
        optimizers::schedules::PiecewiseConstantDecay({1, 2}, {0.1});
      },
      "[PiecewiseConstantDecay] needs one more value than boundaries, got 1 values for 2 "
      "boundaries");
  Variable x(constant(1.f), "x");
  optimizers::SGD opt(optimizers::Schedule([](const Tensor&) { return constant({1.0, 2.0}); }));
  ExpectError([&] { opt.apply_gradients({constant(1.f)}, {x}); },
              "[learning_rate] a schedule must return a scalar");
}

}  // namespace
}  // namespace duet
