// A short real training run: an MLP on Fashion-MNIST (Debian's dataset-fashion-mnist) through
// the fit loop, 300 compiled Adam steps of 32 images, must beat a loss and accuracy threshold.
#include "api/data/dataset.h"
#include "api/data/fashion_mnist.h"
#include "api/duet.h"
#include "api/training/trainer.h"
#include "gtest/gtest.h"

namespace duet::training {
namespace {

TEST(FashionMnistFit, MlpBeatsTheThresholdsInThreeHundredSteps) {
  auto [images, labels] = data::fashion_mnist::load_train();
  auto [test_images, test_labels] = data::fashion_mnist::load_test();
  Tensor x = reshape(images, {60000, 784});
  auto train = data::Dataset::from_tensor_slices({x, labels}).shuffle(4096, /*seed=*/1).take(300 * 32).batch(32);
  auto test = data::Dataset::from_tensor_slices({reshape(test_images, {10000, 784}), test_labels}).take(1000).batch(500);
  Variable w1(random::normal({784, 128}, 0.f, 0.05f, 1), "dense/kernel"), b1(zeros({128}), "dense/bias");
  Variable w2(random::normal({128, 10}, 0.f, 0.1f, 2), "dense_1/kernel"), b2(zeros({10}), "dense_1/bias");
  Trainer trainer([&](const Tensor& in, bool) { return matmul(relu(matmul(in, w1) + b1), w2) + b2; },
                  [&] { return std::vector<Variable>{w1, b1, w2, b2}; },
                  {.optimizer = std::make_shared<optimizers::Adam>(0.001),
                   .loss = losses::sparse_softmax_cross_entropy,
                   .metrics = {"accuracy"}});
  BatchSource val = BatchSource::Of(test, test.cardinality());
  History h = trainer.Fit(BatchSource::Of(train, train.cardinality()), {.epochs = 1, .verbose = 1}, &val);
  EXPECT_EQ(trainer.options().optimizer->iterations().value().item<int64_t>(), 300);
  EXPECT_LT(h.history["loss"][0], 0.9f);  // chance is ln(10) = 2.30
  EXPECT_GT(h.history["val_accuracy"][0], 0.72f);
  EXPECT_LT(h.history["val_loss"][0], 0.8f);
}

}  // namespace
}  // namespace duet::training
