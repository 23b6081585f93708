// Small Trackables for checkpoint tests (layers and optimizers live on other branches):
// TestDense creates kernel/bias on Build(), like a layer's first call; TestModel tracks its
// layers only once built, like Keras-style tracking on the first call().
// CheckpointDir gives a fresh empty directory under TEST_TMPDIR, as a save prefix ('/').
// Example:
//   TestModel m;  m.Build(3);  // m/dense1/kernel (3, 4), m/dense1/bias (4), m/dense2/...
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "api/duet.h"
#include "runtime/test_dir.h"

namespace duet::train {

// "<TEST_TMPDIR>/<name>/", empty.
inline std::string CheckpointDir(const std::string& name) { return duet::TestDir(name) + "/"; }

class TestDense : public Trackable {
 public:
  explicit TestDense(int units) : units_(units) {}
  std::vector<std::pair<std::string, Variable>> tracked_variables() const override {
    if (!kernel.defined()) return {};
    return {{"kernel", kernel}, {"bias", bias}};
  }
  void Build(int64_t inputs) {
    kernel = Variable(fill({inputs, units_}, 0.5f), "kernel");
    OnVariableCreated("kernel", kernel);
    bias = Variable(zeros({units_}), "bias");
    OnVariableCreated("bias", bias);
  }
  Variable kernel, bias;

 private:
  int64_t units_;
};

class TestModel : public Trackable {
 public:
  std::vector<std::pair<std::string, Trackable*>> tracked_children() const override {
    if (!built_) return {};
    return {{"dense1", const_cast<TestDense*>(&dense1)},
            {"dense2", const_cast<TestDense*>(&dense2)}};
  }
  void Build(int64_t inputs) {
    built_ = true;
    OnChildTracked("dense1", dense1);
    OnChildTracked("dense2", dense2);
    dense1.Build(inputs);
    dense2.Build(4);
  }
  TestDense dense1{4}, dense2{2};

 private:
  bool built_ = false;
};

}  // namespace duet::train
