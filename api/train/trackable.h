// Trackable: an object whose variables a checkpoint saves and restores by object path
// ("model/dense/kernel"). Models, layers and optimizers derive from it; a checkpoint walks
// tracked_children() and tracked_variables() in their (stable) order.
//
// Deferred restoration (TF's): restoring into an object that has not created its variables yet
// (a model before its first call) keeps the values as pending; the object calls
// OnChildTracked()/OnVariableCreated() when it tracks a child or creates a variable, and pending
// values are handed down or assigned then.
// Example:
//   class MyLayer : public train::Trackable {
//     std::vector<std::pair<std::string, Variable>> tracked_variables() const override {
//       return {{"kernel", kernel_}};
//     }
//     void build() { kernel_ = Variable(zeros({3, 3}), "kernel"); OnVariableCreated("kernel",
//     kernel_); }
//   };
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "eager/variable.h"

namespace duet::train {

class Trackable {
 public:
  Trackable() = default;
  Trackable(const Trackable&) = default;
  Trackable& operator=(const Trackable&) = default;
  virtual ~Trackable() = default;

  // The variables this object owns directly, by local name, in a stable order.
  virtual std::vector<std::pair<std::string, Variable>> tracked_variables() const { return {}; }
  // The child objects, by local name, in a stable order. Pointers stay owned by this object.
  virtual std::vector<std::pair<std::string, Trackable*>> tracked_children() const { return {}; }

  // Whether a restore may hand this object a value for `path` (relative, not one of its
  // current variables) to keep until the variable exists. By default only an object with no
  // variables and no children yet (an unbuilt model) does; an optimizer accepts its slots,
  // which it makes on the first step although its step counter already exists.
  virtual bool accepts_deferred(const std::string& path) const;
  // Stores values (keyed by path relative to this object) for variables not created yet.
  void DeferRestore(std::map<std::string, Tensor> values);
  // How many deferred values are still waiting for their variable.
  size_t num_deferred() const { return deferred_.size(); }

 protected:
  // Call after creating a variable that tracked_variables() now lists: assigns a deferred value.
  void OnVariableCreated(const std::string& name, Variable& variable);
  // Call after a child first appears in tracked_children(): hands it the values under "name/".
  void OnChildTracked(const std::string& name, Trackable& child);

 private:
  std::map<std::string, Tensor> deferred_;
};

}  // namespace duet::train
