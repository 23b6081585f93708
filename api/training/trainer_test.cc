// The training loop on a hand-written softmax regression: fit lowers the loss, eager and
// compiled fits give the same history, History keys, evaluate, the progress text for a pipe
// and a terminal, SIGINT stopping after the current step, and compile/fit errors.
#include "api/training/trainer.h"

#include <csignal>
#include <regex>
#include <sstream>

#include "api/duet.h"
#include "api/training/clusters_for_test.h"
#include "api/training/progress.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet::training {
namespace {

// The clusters in batches of 8 (the last one smaller).
std::vector<std::vector<Tensor>> Batches(int n = 30, int batch = 8) {
  auto [x, y] = Clusters(n);
  std::vector<float> xs = x.to_vector<float>();
  std::vector<int32_t> ys = y.to_vector<int32_t>();
  std::vector<std::vector<Tensor>> out;
  for (int s = 0; s < n; s += batch) {
    int64_t m = std::min(batch, n - s);
    out.push_back(
        {constant(std::vector<float>(xs.begin() + 2 * s, xs.begin() + 2 * (s + m)), Shape{m, 2}),
         constant(std::vector<int32_t>(ys.begin() + s, ys.begin() + s + m), Shape{m})});
  }
  return out;
}

struct Regression {
  Variable w{constant({{0.1f, -0.1f, 0.05f}, {0.0f, 0.1f, -0.05f}}), "dense/kernel"};
  Variable b{zeros({3}), "dense/bias"};
  std::unique_ptr<Trainer> trainer;
  explicit Regression(std::vector<std::string> metrics = {"accuracy"}) {
    trainer = std::make_unique<Trainer>(
        [this](const Tensor& x, bool) { return matmul(x, w) + b; },
        [this] {
          return std::vector<Variable>{w, b};
        },
        CompileOptions{.optimizer = std::make_shared<optimizers::Adam>(0.05),
                       .loss = losses::sparse_softmax_cross_entropy,
                       .metrics = std::move(metrics)});
  }
};

TEST(Trainer, FitLowersTheLossAndKeepsAHistory) {
  Regression r;
  auto data = Batches();
  History h = r.trainer->Fit(BatchSource::Of(data, 4), {.epochs = 5, .verbose = 0});
  ASSERT_EQ(h.history["loss"].size(), 5u);
  EXPECT_LT(h.history["loss"].back(), 0.5f * h.history["loss"].front());
  EXPECT_EQ(h.history["accuracy"].back(), 1.f);
  EXPECT_EQ(h.epoch, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(h.history.size(), 2u);
  EXPECT_FALSE(h.interrupted);
  EXPECT_EQ(r.trainer->options().optimizer->iterations().value().item<int64_t>(), 20);
}

TEST(Trainer, EagerAndCompiledFitGiveTheSameHistory) {
  auto data = Batches();
  Regression compiled, eager;
  History hc = compiled.trainer->Fit(
      BatchSource::Of(data, 4), {.epochs = 3, .validation_data = nullptr, .verbose = 0}, nullptr);
  config::run_functions_eagerly(true);
  History he = eager.trainer->Fit(BatchSource::Of(data, 4), {.epochs = 3, .verbose = 0});
  config::run_functions_eagerly(false);
  for (const auto& [name, values] : hc.history) {
    ASSERT_EQ(he.history[name].size(), values.size()) << name;
    for (size_t i = 0; i < values.size(); ++i)
      EXPECT_NEAR(he.history[name][i], values[i], 1e-5f) << name << " " << i;
  }
  EXPECT_NEAR(eager.w.value().to_vector<float>()[0], compiled.w.value().to_vector<float>()[0],
              1e-5f);
}

TEST(Trainer, EvaluateAndValidationKeys) {
  Regression r;
  auto data = Batches(), val = Batches(12, 6);
  BatchSource val_source = BatchSource::Of(val, 2);
  History h = r.trainer->Fit(BatchSource::Of(data, 4), {.epochs = 2, .verbose = 0}, &val_source);
  std::vector<std::string> keys;
  for (const auto& [name, values] : h.history) keys.push_back(name);
  EXPECT_EQ(keys, (std::vector<std::string>{"accuracy", "loss", "val_accuracy", "val_loss"}));
  std::map<std::string, float> result = r.trainer->Evaluate(val_source);
  EXPECT_EQ(result.size(), 2u);
  EXPECT_FLOAT_EQ(result["loss"], h.history["val_loss"].back());  // no training in between
  // The loss is the sample-weighted mean over the batches.
  float manual = 0;
  for (const auto& b : val)
    manual += losses::sparse_softmax_cross_entropy(b[1], matmul(b[0], r.w) + r.b).item<float>() *
              6.f / 12.f;
  EXPECT_NEAR(result["loss"], manual, 1e-6f);
  metrics::SparseCategoricalAccuracy acc;
  for (const auto& b : val) acc(b[1], matmul(b[0], r.w) + r.b);
  EXPECT_FLOAT_EQ(result["accuracy"], acc.result().item<float>());
}

TEST(Trainer, PipedOutputIsOneLinePerEpoch) {
  Regression r;
  auto data = Batches(), val = Batches(12, 6);
  BatchSource val_source = BatchSource::Of(val, 2);
  std::ostringstream out;
  r.trainer->Fit(BatchSource::Of(data, 4), {.epochs = 2, .verbose = 1, .out = &out}, &val_source);
  std::string text = out.str();
  EXPECT_EQ(text.find('\r'), std::string::npos);
  std::regex line(
      "Epoch [12]/2 - 4 steps - [0-9]+(ms|s) [0-9]+ms/step - loss: [0-9]\\.[0-9]{4} - accuracy: "
      "[0-9]\\.[0-9]{4} - "
      "val_accuracy: [0-9]\\.[0-9]{4} - val_loss: [0-9]\\.[0-9]{4}\n");
  std::sregex_iterator it(text.begin(), text.end(), line), end;
  EXPECT_EQ(std::distance(it, end), 2) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
}

TEST(Trainer, TerminalOutputIsABarRedrawnInPlace) {
  Regression r;
  auto data = Batches();
  std::ostringstream out;
  r.trainer->Fit(BatchSource::Of(data),
                 {.epochs = 1, .verbose = 1, .out = &out, .progress_bar = true});
  std::string text = out.str();
  EXPECT_EQ(text.rfind("Epoch 1/1\n\r1/Unknown - ", 0), 0u)
      << text;  // cardinality unknown on the first pass
  EXPECT_NE(text.find("\r4/4 [==============================] - "), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST(Progress, FormatsTheBarEtaAndDurations) {
  std::ostringstream out;
  ProgressPrinter p(out, /*bar=*/true, 0, 3);
  p.Step(8, 32, 2.0, {{"loss", 0.69314f}});
  EXPECT_EQ(out.str(),
            "Epoch 1/3\n\r8/32 [======>.......................] - 2s 250ms/step - ETA: 6s - loss: "
            "0.6931");
  p.End(32, 8.0, {{"loss", 0.5f}, {"val_loss", 0.25f}});
  EXPECT_NE(out.str().find("\r32/32 [==============================] - 8s 250ms/step - loss: "
                           "0.5000 - val_loss: 0.2500\n"),
            std::string::npos);
  EXPECT_EQ(FormatDuration(0.25), "250ms");
  EXPECT_EQ(FormatDuration(125), "2:05");
  EXPECT_EQ(FormatDuration(3725), "1:02:05");
  std::ostringstream pipe;
  ProgressPrinter line(pipe, /*bar=*/false, 1, 3);
  line.Step(1, 10, 0.1, {{"loss", 1.f}});
  line.End(10, 1.0, {{"loss", 1.f}}, /*interrupted=*/true);
  EXPECT_EQ(pipe.str(), "Epoch 2/3 - 10 steps - 1s 100ms/step - loss: 1.0000 - interrupted\n");
}

void CountingHandler(int) {}

TEST(Trainer, SigintStopsAfterTheCurrentStepAndRestoresTheHandler) {
  struct sigaction mine {
  }, previous{};
  mine.sa_handler = CountingHandler;
  sigemptyset(&mine.sa_mask);
  ASSERT_EQ(sigaction(SIGINT, &mine, &previous), 0);
  Regression r;
  auto data = Batches();
  int steps = 0;
  History h = r.trainer->Fit(BatchSource::Of(data, 4),
                             {.epochs = 3, .verbose = 0, .on_batch_end = [&](int64_t step, float) {
                                steps = static_cast<int>(step);
                                if (step == 6) std::raise(SIGINT);
                              }});
  EXPECT_TRUE(h.interrupted);
  EXPECT_EQ(steps, 6);  // the epoch's remaining steps and the third epoch did not run
  EXPECT_EQ(h.history["loss"].size(), 2u);
  EXPECT_EQ(r.trainer->options().optimizer->iterations().value().item<int64_t>(), 6);
  struct sigaction now {};
  sigaction(SIGINT, nullptr, &now);
  EXPECT_EQ(now.sa_handler, &CountingHandler);
  sigaction(SIGINT, &previous, nullptr);
}

TEST(Trainer, BadOptionsAndDataAreErrors) {
  auto fwd = [](const Tensor& x, bool) { return x; };
  auto vars = [] { return std::vector<Variable>{}; };
  ExpectError([&] { Trainer t(fwd, vars, {.loss = losses::mean_squared_error}); },
              "[compile] needs an optimizer");
  ExpectError([&] { Trainer t(fwd, vars, {.optimizer = std::make_shared<optimizers::SGD>()}); },
              "[compile] needs a loss");
  ExpectError(
      [&] {
        Trainer t(fwd, vars,
                  {.optimizer = std::make_shared<optimizers::SGD>(),
                   .loss = losses::mean_squared_error,
                   .metrics = {"f1"}});
      },
      "[compile] unknown metric 'f1'");
  Regression r;
  std::vector<std::vector<Tensor>> bad = {{ones({2, 2})}};
  ExpectError([&] { r.trainer->Fit(BatchSource::Of(bad), {.verbose = 0}); },
              "[fit] expects dataset elements (x, y), got 1");
  std::vector<std::vector<Tensor>> empty;
  ExpectError([&] { r.trainer->Evaluate(BatchSource::Of(empty)); },
              "[evaluate] the dataset yielded no batches");
}

}  // namespace
}  // namespace duet::training
