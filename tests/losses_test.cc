// Losses: values against hand-computed ones, finite-difference gradients in float64, label
// range checks (eager and inside a function), shape errors; the new metrics.
#include <cmath>
#include <functional>
#include <vector>

#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

// Checks d loss(x) / dx from the tape against central differences, in float64.
void ExpectGradientMatchesFiniteDifferences(const std::function<Tensor(const Tensor&)>& loss,
                                            const Tensor& x) {
  GradientTape tape;
  tape.watch(x);
  Tensor y = loss(x);
  std::vector<double> grad = tape.gradient(y, x).to_vector<double>();
  std::vector<double> values = x.to_vector<double>();
  ASSERT_EQ(grad.size(), values.size());
  const double h = 1e-6;
  for (size_t i = 0; i < values.size(); ++i) {
    std::vector<double> up = values, down = values;
    up[i] += h, down[i] -= h;
    double numeric = (loss(constant(up, x.shape())).item<double>() -
                      loss(constant(down, x.shape())).item<double>()) /
                     (2 * h);
    EXPECT_NEAR(grad[i], numeric, 1e-6) << "element " << i;
  }
}

Tensor Logits() { return constant({{0.5, -1.0, 2.0}, {1.5, 0.2, -0.3}}); }

TEST(Losses, SoftmaxCrossEntropyMatchesTheFormula) {
  Tensor onehot = constant({{0.0, 0.0, 1.0}, {0.2, 0.8, 0.0}});
  double l0 = -(2.0 - std::log(std::exp(0.5) + std::exp(-1.0) + std::exp(2.0)));
  double lse1 = std::log(std::exp(1.5) + std::exp(0.2) + std::exp(-0.3));
  double l1 = -(0.2 * (1.5 - lse1) + 0.8 * (0.2 - lse1));
  EXPECT_NEAR(losses::softmax_cross_entropy(onehot, Logits()).item<double>(), (l0 + l1) / 2, 1e-12);
  // One-hot rows give what the sparse form gives.
  Tensor hard = constant({{0.0, 0.0, 1.0}, {1.0, 0.0, 0.0}});
  EXPECT_NEAR(losses::softmax_cross_entropy(hard, Logits()).item<double>(),
              losses::sparse_softmax_cross_entropy(constant({2, 0}), Logits()).item<double>(),
              1e-12);
  ExpectGradientMatchesFiniteDifferences(
      [&](const Tensor& x) { return losses::softmax_cross_entropy(onehot, x); }, Logits());
}

TEST(Losses, BinaryCrossEntropyFromLogitsIsStable) {
  Tensor labels = constant({1.0, 0.0, 1.0, 0.0}), logits = constant({2.0, -1.0, -0.5, 0.3});
  double want = 0;
  std::vector<double> z = {1, 0, 1, 0}, x = {2.0, -1.0, -0.5, 0.3};
  for (int i = 0; i < 4; ++i) {
    double p = 1 / (1 + std::exp(-x[i]));
    want -= z[i] * std::log(p) + (1 - z[i]) * std::log(1 - p);
  }
  EXPECT_NEAR(losses::binary_cross_entropy(labels, logits).item<double>(), want / 4, 1e-12);
  // Large logits neither overflow nor lose the loss: log(1 + e^-100) + 0 and 100 for the wrong
  // label.
  EXPECT_NEAR(
      losses::binary_cross_entropy(constant({1.f, 0.f}), constant({100.f, 100.f})).item<float>(),
      50.f, 1e-4f);
  EXPECT_TRUE(std::isfinite(
      losses::binary_cross_entropy(constant({0.f}), constant({-1000.f})).item<float>()));
  ExpectGradientMatchesFiniteDifferences(
      [&](const Tensor& t) { return losses::binary_cross_entropy(labels, t); }, logits);
}

TEST(Losses, SparseSoftmaxCrossEntropyGradient) {
  ExpectGradientMatchesFiniteDifferences(
      [](const Tensor& x) {
        return losses::sparse_softmax_cross_entropy(constant({1, 2}), x);
      },
      Logits());
}

TEST(Losses, LabelsOutOfRangeAreErrorsEagerly) {
  ExpectError(
      [] {
        losses::sparse_softmax_cross_entropy(constant({1, 3}), Logits());
      },
      "[sparse_softmax_cross_entropy] label 3 at index 1 is outside [0, 3)");
  ExpectError(
      [] {
        losses::sparse_softmax_cross_entropy(constant({int64_t{-1}, int64_t{0}}), Logits());
      },
      "label -1 at index 0 is outside [0, 3)");
  try {
    losses::sparse_softmax_cross_entropy(constant({7, 0}), Logits());
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("losses_test.cc"), std::string::npos)
        << e.what();  // the user's line
  }
}

TEST(Losses, LabelsOutOfRangeAreErrorsWhenTheGraphRuns) {
  auto f = function([](Tensor labels, Tensor logits) {
    return losses::sparse_softmax_cross_entropy(labels, logits);
  });
  EXPECT_NEAR(f(constant({2, 0}), Logits()).item<double>(),
              losses::sparse_softmax_cross_entropy(constant({2, 0}), Logits()).item<double>(),
              1e-12);
  ExpectError(
      [&] {
        f(constant({2, 5}), Logits());
      },
      "[sparse_softmax_cross_entropy] label 5 at index 1 is outside [0, 3)");
  EXPECT_EQ(f.tracing_count(), 1);
}

TEST(Losses, ShapeErrorsNameTheShapes) {
  ExpectError(
      [] {
        losses::softmax_cross_entropy(constant({{1.0, 0.0}}), Logits());
      },
      "[softmax_cross_entropy] expects onehot and logits of one shape (batch, classes), got onehot "
      "float64(1, 2)");
  ExpectError(
      [] {
        losses::binary_cross_entropy(constant({1.0}), constant({1.0, 2.0}));
      },
      "[binary_cross_entropy] expects labels and float logits of one shape");
  ExpectError(
      [] {
        losses::sparse_softmax_cross_entropy(constant({1.0, 2.0}), Logits());
      },
      "[sparse_softmax_cross_entropy] expects int32|int64 labels");
}

TEST(Metrics, SparseCategoricalAccuracy) {
  metrics::SparseCategoricalAccuracy acc;
  EXPECT_EQ(acc.name(), "accuracy");
  acc(constant({2, 1}), Logits());  // argmax rows: 2, 0
  EXPECT_EQ(acc.result().item<float>(), 0.5f);
  EXPECT_EQ(acc.result().rank(), 0);
  acc(constant({int64_t{0}, int64_t{0}}), Logits());
  EXPECT_EQ(acc.result().item<float>(), 0.5f);
  acc.reset();
  EXPECT_EQ(acc.result().item<float>(), 0.f);
  ExpectError([&] { acc(constant({1}), Logits()); },
              "[metrics::SparseCategoricalAccuracy] expects integer labels");
}

TEST(Metrics, ByName) {
  EXPECT_NE(
      dynamic_cast<metrics::SparseCategoricalAccuracy*>(metrics::FromName("accuracy", true).get()),
      nullptr);
  EXPECT_NE(dynamic_cast<metrics::Accuracy*>(metrics::FromName("acc", false).get()), nullptr);
  EXPECT_EQ(metrics::FromName("sparse_categorical_accuracy", false)->name(),
            "sparse_categorical_accuracy");
  EXPECT_EQ(metrics::FromName("f1", true), nullptr);
}

}  // namespace
}  // namespace duet
