// A checkpoint written by a compiled training run restores into an eager one and back: a few
// compiled Adam steps (the step is one duet::function), save, restore into a fresh model and
// optimizer under run_functions_eagerly(true) -- weights and step counter identical at once,
// Adam's slots deferred until the first step makes them -- then one more step on each side must
// give the same weights, slots and counter; the same again from the eager run into a compiled one.
#include <map>
#include <string>
#include <vector>

#include "api/duet.h"
#include "api/training/clusters_for_test.h"
#include "gtest/gtest.h"
#include "runtime/test_dir.h"

namespace duet {
namespace {

// A model, its optimizer and a checkpoint over both. Layer names are fixed, so a fresh run made
// in the same process has the same checkpoint paths (automatic names would be "dense_2", ...).
struct Trained {
  explicit Trained(int64_t seed)
      : model({layers::Dense(8, Activation::kRelu, {.name = "hidden", .seed = seed}),
               layers::Dense(3, Activation::kNone, {.name = "logits", .seed = seed + 1})}),
        ckpt({{"model", model}, {"optimizer", adam}}) {}
  Sequential model;
  optimizers::Adam adam{0.01};
  train::Checkpoint ckpt;
};

Tensor Step(Trained& r, const Tensor& x, const Tensor& y) {
  return r.adam.minimize([&] { return losses::sparse_softmax_cross_entropy(y, r.model(x, true)); },
                         r.model.trainable_variables());
}

// Every saved value by path, as float64 (the step counters are int64).
std::map<std::string, std::vector<double>> State(const Trained& r) {
  std::map<std::string, std::vector<double>> out;
  for (const auto& [path, v] : r.ckpt.variables())
    out[path] = cast(v.value(), DType::kFloat64).to_vector<double>();
  return out;
}

void ExpectSameState(const Trained& a, const Trained& b, double tolerance) {
  std::map<std::string, std::vector<double>> sa = State(a), sb = State(b);
  ASSERT_EQ(sa.size(), sb.size());
  for (const auto& [path, values] : sa) {
    ASSERT_TRUE(sb.count(path)) << path;
    ASSERT_EQ(sb[path].size(), values.size()) << path;
    for (size_t i = 0; i < values.size(); ++i)
      EXPECT_NEAR(sb[path][i], values[i], tolerance) << path << "[" << i << "]";
  }
}

class CheckpointModes : public ::testing::Test {
 protected:
  void TearDown() override { config::run_functions_eagerly(false); }
};

TEST_F(CheckpointModes, CompiledRunRestoresIntoEagerAndBack) {
  const std::string dir = TestDir("modes") + "/";
  auto [x, y] = training::Clusters(24);
  Trained compiled(1);
  compiled.model(x);  // built before tracing, so minimize sees the variables
  auto compiled_step =
      function([&](const Tensor& a, const Tensor& b) { return Step(compiled, a, b); });
  for (int i = 0; i < 3; ++i) compiled_step(x, y);
  std::string first = compiled.ckpt.save(dir);
  ASSERT_EQ(State(compiled).size(),
            2u * 2 + 1 + 4 * 2 + 1);  // weights, iterations, m and v, save_counter

  config::run_functions_eagerly(true);
  Trained eager(100);  // other initial weights: only the restore makes them equal
  eager.ckpt.restore(first);
  eager.model(x);  // builds: the deferred weights are assigned
  EXPECT_EQ(eager.adam.iterations().value().item<int64_t>(), 3);
  EXPECT_EQ(eager.adam.num_deferred(), 8u);  // Adam's m and v wait for the first step
  ASSERT_EQ(eager.model.trainable_variables().size(), 4u);
  for (size_t v = 0; v < 4; ++v)
    EXPECT_EQ(eager.model.trainable_variables()[v].value().to_vector<float>(),
              compiled.model.trainable_variables()[v].value().to_vector<float>())
        << v;
  auto eager_step = function([&](const Tensor& a, const Tensor& b) { return Step(eager, a, b); });
  float eager_loss = eager_step(x, y).item<float>();
  EXPECT_EQ(eager.adam.num_deferred(), 0u);
  config::run_functions_eagerly(false);
  float compiled_loss = compiled_step(x, y).item<float>();
  EXPECT_NEAR(eager_loss, compiled_loss, 1e-6f);
  EXPECT_EQ(eager.adam.iterations().value().item<int64_t>(), 4);
  ExpectSameState(compiled, eager, 1e-6);

  config::run_functions_eagerly(true);
  std::string second = eager.ckpt.save(dir);
  EXPECT_EQ(second, dir + "ckpt-2");  // the restored save counter continues the numbering
  config::run_functions_eagerly(false);
  Trained back(200);
  back.ckpt.restore(second);
  back.model(x);
  auto back_step = function([&](const Tensor& a, const Tensor& b) { return Step(back, a, b); });
  back_step(x, y);
  config::run_functions_eagerly(true);
  eager_step(x, y);
  config::run_functions_eagerly(false);
  EXPECT_EQ(back.adam.iterations().value().item<int64_t>(), 5);
  ExpectSameState(eager, back, 1e-6);
}

}  // namespace
}  // namespace duet
