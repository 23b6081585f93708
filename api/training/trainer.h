// Trainer: the Keras-style loop behind Model::compile/fit/evaluate, on a forward function and
// the trainable variables rather than on Model and Dataset (so it is testable on its own). The
// training step -- forward, tape, gradients, apply_gradients -- and the test step each run as
// one compiled duet::function (or op by op under config::run_functions_eagerly); metrics are
// updated on the host from the step's predictions after it returns.
// Example:
//   training::Trainer t([&](const Tensor& x, bool training) { return model(x, training); },
//                       [&] { return model.trainable_variables(); }, compile_options);
//   History h = t.Fit(training::BatchSource::Of(train_ds), {.epochs = 2});
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "api/metrics.h"
#include "api/training/options.h"
#include "api/training/progress.h"
#include "eager/variable.h"

namespace duet::training {

// Calls visit(batch) for each batch ({x, y}) until it returns false.
using BatchVisitor = std::function<bool(const std::vector<Tensor>& batch)>;
struct BatchSource {
  std::function<void(const BatchVisitor&)> for_each;
  int64_t cardinality = -1;  // batches per pass, or < 0 when unknown
  // Any range of std::vector<Tensor> (data::Dataset) whose lifetime spans the use.
  template <class Range>
  static BatchSource Of(const Range& range, int64_t cardinality = -1) {
    return {[&range](const BatchVisitor& visit) {
              for (const std::vector<Tensor>& batch : range)
                if (!visit(batch)) break;
            },
            cardinality};
  }
};

class Trainer {
 public:
  using Forward = std::function<Tensor(const Tensor& x, bool training)>;
  using VariablesFn = std::function<std::vector<Variable>()>;

  // Checks the options (an optimizer, a loss, known metric names); throws naming "[compile]".
  Trainer(Forward forward, VariablesFn trainable_variables, CompileOptions options,
          const Loc& loc = Loc::current());
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  History Fit(const BatchSource& train, const FitOptions& options,
              const BatchSource* validation = nullptr, const Loc& loc = Loc::current());
  // {"loss", metric names...} over one pass of `data`.
  std::map<std::string, float> Evaluate(const BatchSource& data, const Loc& loc = Loc::current());

  // One training step on a batch: {loss, predictions}.
  std::vector<Tensor> TrainStep(const Tensor& x, const Tensor& y) { return train_step_(x, y); }
  const CompileOptions& options() const { return options_; }

 private:
  struct Running;  // the loss mean and the metrics over the steps of a pass
  // Runs one step and updates `running`; returns the step's loss.
  float RunBatch(const std::vector<Tensor>& batch, bool train, Running& running, const Loc& loc);
  Logs Results(const Running& running, const std::string& prefix) const;

  Forward forward_;
  VariablesFn trainable_variables_;
  CompileOptions options_;
  Loc loc_;
  std::vector<std::unique_ptr<metrics::Metric>> sparse_metrics_, dense_metrics_;
  std::function<std::vector<Tensor>(const Tensor&, const Tensor&)> train_step_, test_step_;
};

}  // namespace duet::training
