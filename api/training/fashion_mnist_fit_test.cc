// A short real training run: a Sequential MLP on Fashion-MNIST (Debian's dataset-fashion-mnist)
// through Model::fit, 300 compiled Adam steps of 32 images, must beat loss and accuracy
// thresholds (chance: loss ln(10) = 2.30, accuracy 0.1).
#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

TEST(FashionMnistFit, MlpBeatsTheThresholdsInThreeHundredSteps) {
  auto [images, labels] = data::fashion_mnist::load_train();
  auto [test_images, test_labels] = data::fashion_mnist::load_test();
  auto train = data::Dataset::from_tensor_slices({images, labels})
                   .shuffle(4096, /*seed=*/1)
                   .take(300 * 32)
                   .batch(32);
  auto test = data::Dataset::from_tensor_slices({test_images, test_labels}).take(1000).batch(500);
  Sequential model({layers::Flatten(), layers::Dense(64, Activation::kRelu, {.seed = 1}),
                    layers::Dense(10, Activation::kNone, {.seed = 2})});
  auto adam = std::make_shared<optimizers::Adam>(0.001);
  model.compile(
      {.optimizer = adam, .loss = losses::sparse_softmax_cross_entropy, .metrics = {"accuracy"}});
  History h = model.fit(train, {.epochs = 1, .validation_data = &test, .verbose = 1});
  EXPECT_EQ(adam->iterations().value().item<int64_t>(), 300);
  EXPECT_LT(h.history["loss"][0], 0.9f);
  EXPECT_GT(h.history["val_accuracy"][0], 0.72f);
  EXPECT_LT(h.history["val_loss"][0], 0.8f);
}

}  // namespace
}  // namespace duet
