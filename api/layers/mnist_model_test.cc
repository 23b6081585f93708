// The eager guide's MNISTModel: two Dense(10) with dense2 applied twice. Sharing a layer object
// shares (and counts once) its variables.
#include "api/duet.h"
#include "gtest/gtest.h"
#include "tests/expect_error.h"

namespace duet {
namespace {

class MNISTModel : public Model {
 public:
  layers::Dense dense1{10}, dense2{10};
  Tensor call(const Tensor& x, bool) override { return dense2(dense2(dense1(x))); }
};

TEST(MNISTModel, GuideShapeAndFourVariables) {
  MNISTModel model;
  Tensor y = model(zeros({1, 1, 784}));
  EXPECT_EQ(y.shape(), Shape({1, 1, 10}));
  std::vector<Variable> vars = model.variables();
  ASSERT_EQ(vars.size(), 4u);
  EXPECT_EQ(vars[0].name(), model.dense1.name() + "/kernel");
  EXPECT_EQ(vars[0].shape(), Shape({784, 10}));
  EXPECT_EQ(vars[1].name(), model.dense1.name() + "/bias");
  EXPECT_EQ(vars[2].shape(), Shape({10, 10}));
  EXPECT_EQ(model.trainable_variables().size(), 4u);
  EXPECT_TRUE(model.non_trainable_variables().empty());
  ASSERT_EQ(model.tracked_children().size(), 2u);
  EXPECT_EQ(model.tracked_children()[1].first, model.dense2.name());
  EXPECT_EQ(model.name().rfind("mnist_model", 0), 0u) << model.name();
}

TEST(MNISTModel, SecondCallReusesWeights) {
  MNISTModel model;
  Tensor x = random::uniform({2, 784}, -1.f, 1.f, 3);
  std::vector<float> first = model(x).to_vector<float>();
  std::vector<float> second = model(x).to_vector<float>();
  EXPECT_EQ(first, second);
  EXPECT_EQ(model.variables().size(), 4u);
}

TEST(MNISTModel, MovingAfterTheFirstCallIsRefused) {
  MNISTModel unbuilt;
  MNISTModel moved(std::move(unbuilt));  // nothing tracked yet: fine
  EXPECT_EQ(moved(zeros({1, 784})).shape(), Shape({1, 10}));
  ExpectError([&] { MNISTModel again(std::move(moved)); }, "cannot be moved after its first call");
  EXPECT_EQ(moved.variables().size(), 4u);  // unchanged by the refused move
  Sequential seq({layers::Dense(2)});
  seq(ones({1, 3}));
  Sequential seq2(std::move(seq));  // its layers are shared_ptrs: they move along
  EXPECT_EQ(seq2.variables().size(), 2u);
}

}  // namespace
}  // namespace duet
