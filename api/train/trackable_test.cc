#include "api/train/trackable.h"

#include "api/duet.h"
#include "gtest/gtest.h"

namespace duet::train {
namespace {

class Leaf : public Trackable {
 public:
  std::vector<std::pair<std::string, Variable>> tracked_variables() const override {
    if (!kernel_.defined()) return {};
    return {{"kernel", kernel_}};
  }
  void Build() {
    kernel_ = Variable(zeros({2}), "kernel");
    OnVariableCreated("kernel", kernel_);
  }
  Variable kernel_;
};

class Parent : public Trackable {
 public:
  std::vector<std::pair<std::string, Trackable*>> tracked_children() const override {
    if (!tracked_) return {};
    return {{"leaf", const_cast<Leaf*>(&leaf_)}};
  }
  void Track() {
    tracked_ = true;
    OnChildTracked("leaf", leaf_);
  }
  Leaf leaf_;
  bool tracked_ = false;
};

TEST(Trackable, DeferredValuesReachVariablesCreatedLater) {
  Parent p;
  p.DeferRestore({{"leaf/kernel", constant({1.f, 2.f})}, {"other/x", constant(3.f)}});
  EXPECT_EQ(p.num_deferred(), 2u);
  p.Track();
  EXPECT_EQ(p.num_deferred(), 1u);  // "other/x" waits for a child that never came
  EXPECT_EQ(p.leaf_.num_deferred(), 1u);
  p.leaf_.Build();
  EXPECT_EQ(p.leaf_.num_deferred(), 0u);
  EXPECT_EQ(p.leaf_.kernel_.value().to_vector<float>(), (std::vector<float>{1.f, 2.f}));
}

}  // namespace
}  // namespace duet::train
