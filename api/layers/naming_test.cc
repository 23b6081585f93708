// Layer and variable names: unique per process, Keras-like ("dense", "dense_1", ...), derived
// from the class for user subclasses, user-given names kept, variables "<layer>/<weight>".
#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet {
namespace {

class MyResidualBlock : public Layer {
 public:
  Tensor call(const Tensor& x, bool) override { return x; }
};

class MNISTModel : public Model {
 public:
  Tensor call(const Tensor& x, bool) override { return x; }
};

// First in this file, so the process has created no layers yet.
TEST(Naming, KerasLikeSequences) {
  layers::Dense a(2), b(2);
  layers::Conv2D c(1, {1, 1});
  layers::Dense d(2);
  EXPECT_EQ(a.name(), "dense");
  EXPECT_EQ(b.name(), "dense_1");
  EXPECT_EQ(c.name(), "conv2d");
  EXPECT_EQ(d.name(), "dense_2");
  EXPECT_EQ(layers::MaxPool2D().name(), "max_pooling2d");
  EXPECT_EQ(layers::GlobalAveragePooling2D().name(), "global_average_pooling2d");
  EXPECT_EQ(layers::BatchNormalization().name(), "batch_normalization");
  EXPECT_EQ(Sequential().name(), "sequential");
}

TEST(Naming, UserSubclassesAreNamedAfterTheirClass) {
  MyResidualBlock block, block2;
  MNISTModel model;
  EXPECT_EQ(block.name(), "my_residual_block");
  EXPECT_EQ(block2.name(), "my_residual_block_1");
  EXPECT_EQ(model.name(), "mnist_model");
  EXPECT_EQ(model.type_name(), "MNISTModel");
  EXPECT_EQ(layers::Dense(1).type_name(), "Dense");
}

TEST(Naming, GivenNamesAreKeptAndSkippedByTheSequence) {
  layers::Dense named(2, Activation::kNone, {.name = "flatten_1"});
  layers::Flatten f0, f1;
  EXPECT_EQ(named.name(), "flatten_1");
  EXPECT_EQ(f0.name(), "flatten");
  EXPECT_EQ(f1.name(), "flatten_2");
}

TEST(Naming, VariablesAreLayerSlashWeight) {
  layers::Dense d(3, Activation::kNone, {.name = "classifier"});
  d(ones({1, 2}));
  ASSERT_EQ(d.variables().size(), 2u);
  EXPECT_EQ(d.variables()[0].name(), "classifier/kernel");
  EXPECT_EQ(d.variables()[1].name(), "classifier/bias");
  auto tracked = d.tracked_variables();
  ASSERT_EQ(tracked.size(), 2u);
  EXPECT_EQ(tracked[0].first, "kernel");
  EXPECT_EQ(tracked[1].first, "bias");
}

}  // namespace
}  // namespace duet
