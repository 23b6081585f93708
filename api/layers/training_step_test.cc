// A whole training step (forward, tape, gradients, SGD) over layers gives the same weights
// eagerly, as a traced duet::function and under run_functions_eagerly.
#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

std::unique_ptr<Sequential> Mlp() {
  return std::make_unique<Sequential>(std::vector<LayerRef>{
      layers::Dense(8, Activation::kRelu, {.seed = 1}), layers::BatchNormalization(),
      layers::Dense(3, Activation::kNone, {.seed = 2})});
}

// Three SGD steps on a fixed batch; the trained variables' values, in order.
template <class Step>
std::vector<std::vector<float>> Train(Sequential& model, Step step) {
  Tensor x = random::uniform({16, 4}, -1.f, 1.f, 3);
  Tensor y = cast(random::uniform({16}, 0.f, 3.f, 4), DType::kInt32);
  for (int i = 0; i < 3; ++i) step(x, y);
  std::vector<std::vector<float>> out;
  for (const Variable& v : model.variables()) out.push_back(v.value().to_vector<float>());
  return out;
}

TEST(TrainingStep, EagerTracedAndRunEagerlyGiveTheSameWeights) {
  std::vector<std::vector<float>> results[3];
  for (int mode = 0; mode < 3; ++mode) {
    std::unique_ptr<Sequential> model = Mlp();
    optimizers::SGD opt(0.1);
    auto body = [&](Tensor x, Tensor y) {
      GradientTape tape;
      Tensor loss = losses::sparse_softmax_cross_entropy(y, (*model)(x, /*training=*/true));
      std::vector<Variable> vars = model->trainable_variables();
      opt.apply_gradients(tape.gradient(loss, vars), vars);
      return loss;
    };
    auto traced = function(body);
    config::run_functions_eagerly(mode == 2);
    if (mode == 0)
      results[mode] = Train(*model, body);
    else
      results[mode] = Train(*model, [&](Tensor x, Tensor y) { return traced(x, y); });
    config::run_functions_eagerly(false);
    ASSERT_EQ(results[mode].size(), 8u);  // dense 2, batch norm 4, dense 2
  }
  for (size_t v = 0; v < results[0].size(); ++v) {
    ASSERT_EQ(results[1][v].size(), results[0][v].size());
    for (size_t i = 0; i < results[0][v].size(); ++i) {
      EXPECT_NEAR(results[1][v][i], results[0][v][i], 1e-5) << "traced, variable " << v;
      EXPECT_EQ(results[2][v][i], results[0][v][i]) << "run eagerly, variable " << v;
    }
  }
  EXPECT_NE(results[0][4], std::vector<float>(8, 0.f));  // the moving mean moved
}

}  // namespace
}  // namespace duet
