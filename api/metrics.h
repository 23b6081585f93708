// Streaming metrics (Keras-style): update with values, read result(), reset().
// Example: metrics::Mean m("loss"); m(0); m(5); m.result();  // 2.5; m(constant({8, 9})) -> 5.5
#pragma once

#include <string>

#include "runtime/operand.h"

namespace duet::metrics {

// The running mean of every value seen (a tensor contributes each of its elements).
class Mean {
 public:
  explicit Mean(std::string name = "mean") : name_(std::move(name)) {}
  void operator()(const Operand& values, const Loc& loc = Loc::current()) { update_state(values, loc); }
  void update_state(const Operand& values, const Loc& loc = Loc::current());
  Tensor result() const;  // float32 scalar; 0 before any update
  void reset() { total_ = 0, count_ = 0; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  double total_ = 0;
  int64_t count_ = 0;
};

// The fraction of elements where y_pred equals y_true (same shapes; compared as float64).
class Accuracy {
 public:
  explicit Accuracy(std::string name = "accuracy") : name_(std::move(name)) {}
  void operator()(const Tensor& y_true, const Tensor& y_pred, const Loc& loc = Loc::current()) {
    update_state(y_true, y_pred, loc);
  }
  void update_state(const Tensor& y_true, const Tensor& y_pred, const Loc& loc = Loc::current());
  Tensor result() const;
  void reset() { matches_ = 0, count_ = 0; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  int64_t matches_ = 0, count_ = 0;
};

}  // namespace duet::metrics
