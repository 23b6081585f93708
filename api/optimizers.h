// Optimizers: SGD (momentum, nesterov), Adam and RMSProp with Keras' update rules. Slots
// (momentum, moments) are created per variable on first use. The learning rate is a number or
// a schedule of the step count.
// Example:
//   optimizers::SGD opt(0.01);
//   opt.minimize([&] { return losses::mean_squared_error(y, model(x)); }, {W, B});
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "eager/variable.h"

namespace duet::optimizers {

using Schedule = std::function<double(int64_t step)>;

class LearningRate {
 public:
  LearningRate(double value) : value_(value) {}  // NOLINT: a number or a schedule
  LearningRate(float value) : value_(value) {}   // NOLINT
  LearningRate(Schedule schedule) : schedule_(std::move(schedule)) {}  // NOLINT
  double at(int64_t step) const { return schedule_ ? schedule_(step) : value_; }
  bool is_schedule() const { return static_cast<bool>(schedule_); }

 private:
  double value_ = 0;
  Schedule schedule_;
};

namespace schedules {
// initial * rate^(step / decay_steps), the exponent floored when staircase.
Schedule ExponentialDecay(double initial, int64_t decay_steps, double rate, bool staircase = false);
// values[i] while step < boundaries[i]; values.back() after the last boundary.
Schedule PiecewiseConstantDecay(std::vector<int64_t> boundaries, std::vector<double> values);
}  // namespace schedules

class Optimizer {
 public:
  explicit Optimizer(LearningRate learning_rate) : learning_rate_(std::move(learning_rate)) {}
  virtual ~Optimizer() = default;

  // One update step. grads[i] belongs to vars[i]; an undefined gradient leaves its variable as is.
  void apply_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars,
                       const Loc& loc = Loc::current());
  // Records loss_fn() on a tape, takes its gradient with respect to vars and applies it.
  // Returns the loss.
  Tensor minimize(const std::function<Tensor()>& loss_fn, const std::vector<Variable>& vars,
                  const Loc& loc = Loc::current());
  int64_t iterations() const { return iterations_; }
  double current_learning_rate() const { return learning_rate_.at(iterations_); }
  // Slots as (variable, slot name) -> value, for checkpoints.
  const std::map<std::pair<const VariableState*, std::string>, Tensor>& slots() const { return slots_; }

 protected:
  virtual void Update(Variable& var, const Tensor& grad, double lr, int64_t step) = 0;
  Tensor& Slot(const Variable& var, const std::string& name);  // zeros on first use

 private:
  LearningRate learning_rate_;
  int64_t iterations_ = 0;
  std::map<std::pair<const VariableState*, std::string>, Tensor> slots_;
  std::vector<Variable> slot_owners_;  // keeps slot keys' variables alive
};

class SGD : public Optimizer {
 public:
  explicit SGD(LearningRate lr = 0.01, double momentum = 0.0, bool nesterov = false)
      : Optimizer(std::move(lr)), momentum_(momentum), nesterov_(nesterov) {}

 protected:
  void Update(Variable& var, const Tensor& grad, double lr, int64_t step) override;

 private:
  double momentum_;
  bool nesterov_;
};

class Adam : public Optimizer {
 public:
  explicit Adam(LearningRate lr = 0.001, double beta_1 = 0.9, double beta_2 = 0.999, double epsilon = 1e-7)
      : Optimizer(std::move(lr)), beta_1_(beta_1), beta_2_(beta_2), epsilon_(epsilon) {}

 protected:
  void Update(Variable& var, const Tensor& grad, double lr, int64_t step) override;

 private:
  double beta_1_, beta_2_, epsilon_;
};

class RMSProp : public Optimizer {
 public:
  explicit RMSProp(LearningRate lr = 0.001, double rho = 0.9, double momentum = 0.0, double epsilon = 1e-7)
      : Optimizer(std::move(lr)), rho_(rho), momentum_(momentum), epsilon_(epsilon) {}

 protected:
  void Update(Variable& var, const Tensor& grad, double lr, int64_t step) override;

 private:
  double rho_, momentum_, epsilon_;
};

}  // namespace duet::optimizers
