// Model::compile/fit/evaluate on a Sequential MLP fed by data::Datasets: the loss falls, eager
// and compiled fits agree, History and evaluate keys, TensorBoard logging through a writer
// (decoded back from the event file), and the errors for misuse.
#include <sstream>
#include <tuple>

#include "api/duet.h"
#include "api/summary/event_reader_for_test.h"
#include "api/training/clusters_for_test.h"
#include "gtest/gtest.h"
#include "runtime/test_dir.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

data::Dataset Data(int n, int batch) {
  auto [x, y] = training::Clusters(n);
  return data::Dataset::from_tensor_slices({x, y}).batch(batch);
}

Sequential Mlp(int64_t seed) {
  return Sequential({layers::Dense(16, Activation::kRelu, {.seed = seed}),
                     layers::Dense(3, Activation::kNone, {.seed = seed + 1})});
}

CompileOptions Adam() {
  return {.optimizer = std::make_shared<optimizers::Adam>(0.02),
          .loss = losses::sparse_softmax_cross_entropy,
          .metrics = {"accuracy"}};
}

TEST(ModelFit, FitLowersTheLossAndEvaluateReportsTheMetrics) {
  Sequential model = Mlp(3);
  model.compile(Adam());
  data::Dataset train = Data(60, 8), test = Data(30, 10);
  History h = model.fit(train, {.epochs = 6, .validation_data = &test, .verbose = 0});
  ASSERT_EQ(h.history["loss"].size(), 6u);
  EXPECT_LT(h.history["loss"].back(), 0.5f * h.history["loss"].front());
  EXPECT_EQ(h.history["val_accuracy"].size(), 6u);
  EXPECT_GT(h.history["val_accuracy"].back(), 0.9f);
  std::map<std::string, float> r = model.evaluate(test);
  EXPECT_EQ(r.size(), 2u);
  EXPECT_FLOAT_EQ(r["loss"], h.history["val_loss"].back());
  EXPECT_FLOAT_EQ(r["accuracy"], h.history["val_accuracy"].back());
}

TEST(ModelFit, EagerAndCompiledFitGiveTheSameHistory) {
  data::Dataset train = Data(60, 8);
  Sequential compiled = Mlp(5), eager = Mlp(5);
  compiled.compile(Adam());
  eager.compile(Adam());
  History hc = compiled.fit(train, {.epochs = 3, .verbose = 0});
  config::run_functions_eagerly(true);
  History he = eager.fit(train, {.epochs = 3, .verbose = 0});
  config::run_functions_eagerly(false);
  ASSERT_EQ(hc.history.size(), he.history.size());
  for (const auto& [name, values] : hc.history) {
    ASSERT_EQ(he.history[name].size(), values.size()) << name;
    for (size_t i = 0; i < values.size(); ++i)
      EXPECT_NEAR(he.history[name][i], values[i], 1e-4f) << name << " " << i;
  }
}

TEST(ModelFit, PipedVerboseOutputIsOneLinePerEpoch) {
  Sequential model = Mlp(7);
  model.compile(Adam());
  std::ostringstream out;
  model.fit(Data(24, 8), {.epochs = 2, .verbose = 1, .out = &out});
  std::string text = out.str();
  EXPECT_EQ(text.rfind("Epoch 1/2 - 3 steps - ", 0), 0u) << text;
  EXPECT_NE(text.find("\nEpoch 2/2 - 3 steps - "), std::string::npos) << text;
  EXPECT_NE(text.find(" - loss: "), std::string::npos);
  EXPECT_NE(text.find(" - accuracy: "), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
}

TEST(ModelFit, WriterGetsEpochScalarsAndEveryNthStepLoss) {
  Sequential model = Mlp(11);
  model.compile(Adam());
  data::Dataset train = Data(24, 8), test = Data(12, 6);  // 3 training steps per epoch
  summary::FileWriter writer(TestDir("fit_logs"), {.max_queue = 1000, .flush_secs = 1e9});
  std::vector<float> step_losses;
  int epochs_seen = 0;
  History h = model.fit(
      train, {.epochs = 2,
              .validation_data = &test,
              .verbose = 0,
              .on_batch_end = [&](int64_t, float loss) { step_losses.push_back(loss); },
              .on_epoch_end = [&](int, const std::map<std::string, float>&) { ++epochs_seen; },
              .writer = &writer,
              .log_every_n_steps = 2});
  EXPECT_EQ(epochs_seen, 2);
  ASSERT_EQ(step_losses.size(), 6u);
  // fit flushed: the queue alone (1000 events, no time limit) would still hold everything.
  std::vector<tensorboard::Event> events = summary::ReadEvents(writer.path());
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].file_version(), "brain.Event:2");
  std::vector<std::tuple<std::string, int64_t, float>> got;
  for (size_t i = 1; i < events.size(); ++i) {
    ASSERT_EQ(events[i].summary().value_size(), 1) << i;
    got.emplace_back(events[i].summary().value(0).tag(), events[i].step(),
                     events[i].summary().value(0).simple_value());
  }
  auto epoch = [&](int e) {
    std::vector<std::tuple<std::string, int64_t, float>> v;
    for (const char* name : {"loss", "accuracy", "val_accuracy", "val_loss"})  // as fit logs them
      v.emplace_back(name, e, h.history[name][e]);
    return v;
  };
  std::vector<std::tuple<std::string, int64_t, float>> want = {{"batch_loss", 2, step_losses[1]}};
  for (auto& t : epoch(0)) want.push_back(t);
  want.emplace_back("batch_loss", 4, step_losses[3]);
  want.emplace_back("batch_loss", 6, step_losses[5]);
  for (auto& t : epoch(1)) want.push_back(t);
  EXPECT_EQ(got, want);
}

TEST(ModelFit, MisuseIsAnError) {
  Sequential model = Mlp(9);
  data::Dataset train = Data(12, 4);
  ExpectError([&] { model.fit(train); }, "[fit] call compile({.optimizer, .loss}) first");
  ExpectError([&] { model.evaluate(train); }, "[evaluate] call compile({.optimizer, .loss}) first");
  model.compile(Adam());
  ExpectError([&] { model.fit(train.repeat(), {.verbose = 0}); }, "[fit] the dataset is infinite");
  auto [x, y] = training::Clusters(6);
  ExpectError([&] { model.fit(data::Dataset::from_tensor_slices({x}).batch(3), {.verbose = 0}); },
              "[fit] expects dataset elements (x, y), got 1 components");
  ExpectError([&] { model.fit(train, {.verbose = 0, .log_every_n_steps = -1}); },
              "[fit] log_every_n_steps must be >= 0, got -1");
}

}  // namespace
}  // namespace duet
