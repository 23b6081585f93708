// Streaming metrics (Keras-style): update with values, read result() (a float32 scalar tensor),
// reset(). Accuracy and SparseCategoricalAccuracy are Metrics of (y_true, y_pred), what
// Model::fit updates after each step; they count on the host, from concrete tensors.
// Example: metrics::Mean m("loss"); m(0); m(5); m.result();  // 2.5; m(constant({8, 9})) -> 5.5
//   metrics::SparseCategoricalAccuracy acc; acc(constant({1}), constant({{0.f, 3.f}}));
//   acc.result();  // 1
#pragma once

#include <memory>
#include <string>

#include "runtime/operand.h"

namespace duet::metrics {

// The running mean of every value seen (a tensor contributes each of its elements).
class Mean {
 public:
  explicit Mean(std::string name = "mean") : name_(std::move(name)) {}
  void operator()(const Operand& values, const Loc& loc = Loc::current()) {
    update_state(values, loc);
  }
  void update_state(const Operand& values, const Loc& loc = Loc::current());
  Tensor result() const;  // float32 scalar; 0 before any update
  void reset() { total_ = 0, count_ = 0; }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  double total_ = 0;
  int64_t count_ = 0;
};

// A metric of labels and predictions.
class Metric {
 public:
  explicit Metric(std::string name) : name_(std::move(name)) {}
  virtual ~Metric() = default;
  void operator()(const Tensor& y_true, const Tensor& y_pred, const Loc& loc = Loc::current()) {
    update_state(y_true, y_pred, loc);
  }
  virtual void update_state(const Tensor& y_true, const Tensor& y_pred,
                            const Loc& loc = Loc::current()) = 0;
  virtual Tensor result() const;  // matches / count as float32; 0 before any update
  virtual void reset() { matches_ = 0, count_ = 0; }
  const std::string& name() const { return name_; }

 protected:
  void Count(int64_t matches, int64_t count) { matches_ += matches, count_ += count; }

 private:
  std::string name_;
  int64_t matches_ = 0, count_ = 0;
};

// The fraction of elements where y_pred equals y_true (same shapes; compared as float64).
class Accuracy : public Metric {
 public:
  explicit Accuracy(std::string name = "accuracy") : Metric(std::move(name)) {}
  void update_state(const Tensor& y_true, const Tensor& y_pred,
                    const Loc& loc = Loc::current()) override;
};

// The fraction of rows whose largest logit is at the label: labels int (batch,), logits
// (batch, classes).
class SparseCategoricalAccuracy : public Metric {
 public:
  explicit SparseCategoricalAccuracy(std::string name = "accuracy") : Metric(std::move(name)) {}
  void update_state(const Tensor& labels, const Tensor& logits,
                    const Loc& loc = Loc::current()) override;
};

// A metric by its Keras name ("accuracy"/"acc" picks SparseCategoricalAccuracy when the
// labels are class ids, Accuracy otherwise; "sparse_categorical_accuracy"), or null.
std::unique_ptr<Metric> FromName(const std::string& name, bool sparse_labels);

}  // namespace duet::metrics
