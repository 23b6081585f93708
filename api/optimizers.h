// Optimizers: SGD (momentum, nesterov), Adam and RMSProp with Keras' update rules. All state
// lives in Variables -- the step counter `iterations()` (int64) and the slots (momentum, Adam's
// moments, RMSProp's mean square), made per variable on first use -- and the learning rate is a
// number or a schedule evaluated from the step counter with tensor ops. So a whole training
// step (forward, tape, gradients, apply_gradients) runs inside one duet::function, and an
// optimizer is a train::Trackable a checkpoint saves: "iterations" and "<slot>/<variable name>".
// Example:
//   optimizers::Adam opt(optimizers::schedules::ExponentialDecay(0.01, 100, 0.9));
//   auto step = function([&] { return opt.minimize([&] { return losses::mean_squared_error(y,
//   model(x)); }, {W, B}); }); step();  opt.iterations().value();  // 1
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/train/trackable.h"
#include "eager/variable.h"

namespace duet::optimizers {

// Maps the step (a float64 scalar tensor: updates done so far) to the learning rate (a float64
// scalar tensor), with tensor ops, so that it is part of a traced step.
using Schedule = std::function<Tensor(const Tensor& step)>;

class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}  // NOLINT: a number or a schedule
  LearningRate(float value) : value_(value) {}   // NOLINT
  LearningRate(Schedule schedule) : schedule_(std::move(schedule)) {}  // NOLINT
  // The rate at `step` (float64 scalar), as a float64 scalar tensor.
  Tensor at(const Tensor& step, const Loc& loc = Loc::current()) const;
  // The number, when the rate is not a schedule.
  std::optional<double> fixed() const {
    return schedule_ ? std::nullopt : std::optional<double>(value_);
  }

 private:
  double value_ = 0;
  Schedule schedule_;
};

namespace schedules {
// initial * rate^(step / decay_steps), the exponent floored when staircase.
Schedule ExponentialDecay(double initial, int64_t decay_steps, double rate, bool staircase = false);
// values[i] while step < boundaries[i]; values.back() after the last boundary
// (values has one more entry than boundaries).
Schedule PiecewiseConstantDecay(std::vector<int64_t> boundaries, std::vector<double> values,
                                const Loc& loc = Loc::current());
}  // namespace schedules

// What an update rule sees of the current step: the learning rate (scaled by the rule's
// StepScale) and the step number t (1 for the first update), as scalars of a variable's dtype.
class StepContext {
 public:
  StepContext(Tensor lr64, Tensor t64, std::optional<double> constant_lr)
      : lr64_(std::move(lr64)), t64_(std::move(t64)), constant_lr_(constant_lr) {}
  Tensor lr(DType dtype);
  Tensor t(DType dtype);
  // The rate as a number when it is a plain constant (lets SGD update in place).
  std::optional<double> constant_lr() const { return constant_lr_; }

 private:
  Tensor lr64_, t64_;
  std::optional<double> constant_lr_;
  std::map<DType, Tensor> lr_, t_;
};

class Optimizer : public train::Trackable {
 public:
  explicit Optimizer(LearningRate learning_rate);
  ~Optimizer() override = default;

  // One update step. grads[i] belongs to vars[i]; an undefined gradient leaves its variable as is.
  void apply_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars,
                       const Loc& loc = Loc::current());
  // Records loss_fn() on a tape, takes its gradient with respect to vars and applies it.
  // Returns the loss.
  Tensor minimize(const std::function<Tensor()>& loss_fn, const std::vector<Variable>& vars,
                  const Loc& loc = Loc::current());
  // The global step: an int64 scalar Variable counting apply_gradients calls.
  Variable iterations() const { return iterations_; }
  // The learning rate the next step will use (reads the step counter eagerly).
  double current_learning_rate(const Loc& loc = Loc::current()) const;

  // "iterations", then the slots as "<slot>/<variable name>" in creation order.
  std::vector<std::pair<std::string, Variable>> tracked_variables() const override;
  // A restore into an optimizer that has not stepped yet keeps slot values ("<slot>/<name>")
  // until Slot() makes the slot.
  bool accepts_deferred(const std::string& path) const override;

 protected:
  virtual void Update(Variable& var, const Tensor& grad, StepContext& step) = 0;
  // The rate the rule applies at step t (float64 scalars); Adam folds its bias correction in.
  virtual Tensor StepScale(const Tensor& lr, const Tensor& /*t*/) { return lr; }
  // The slot `name` of `var`: a Variable of zeros made on first use (eagerly, also when first
  // asked for while tracing, so a trace captures it instead of re-creating it per call).
  Variable& Slot(const Variable& var, const std::string& name);

 private:
  LearningRate learning_rate_;
  Variable iterations_;
  std::map<std::pair<const VariableState*, std::string>, Variable> slots_;
  std::vector<std::pair<std::string, Variable>> slot_list_;  // tracked names, creation order
  std::vector<Variable> slot_owners_;                        // keeps slot keys' variables alive
};

class SGD : public Optimizer {
 public:
  explicit SGD(LearningRate lr = 0.01, double momentum = 0.0, bool nesterov = false)
      : Optimizer(std::move(lr)), momentum_(momentum), nesterov_(nesterov) {}

 protected:
  void Update(Variable& var, const Tensor& grad, StepContext& step) override;

 private:
  double momentum_;
  bool nesterov_;
};

class Adam : public Optimizer {
 public:
  explicit Adam(LearningRate lr = 0.001, double beta_1 = 0.9, double beta_2 = 0.999,
                double epsilon = 1e-7)
      : Optimizer(std::move(lr)), beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon) {}

 protected:
  void Update(Variable& var, const Tensor& grad, StepContext& step) override;
  Tensor StepScale(const Tensor& lr, const Tensor& t) override;

 private:
  double beta_1_, beta_2_, epsilon_;
};

class RMSProp : public Optimizer {
 public:
  explicit RMSProp(LearningRate lr = 0.001, double rho = 0.9, double momentum = 0.0,
                   double epsilon = 1e-7)
      : Optimizer(std::move(lr)), rho_(rho), momentum_(momentum), epsilon_(epsilon) {}

 protected:
  void Update(Variable& var, const Tensor& grad, StepContext& step) override;

 private:
  double rho_, momentum_, epsilon_;
};

}  // namespace duet::optimizers
