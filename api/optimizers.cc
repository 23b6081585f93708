#include "api/optimizers.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "eager/gradient_tape.h"
#include "kernels/binary_ops.h"
#include "kernels/unary_ops.h"
#include "runtime/context.h"
#include "runtime/dispatch.h"
#include "runtime/tensor_factory.h"

namespace duet::optimizers {

namespace schedules {
Schedule ExponentialDecay(double initial, int64_t decay_steps, double rate, bool staircase) {
  return [=](int64_t step) {
    double p = static_cast<double>(step) / static_cast<double>(decay_steps);
    return initial * std::pow(rate, staircase ? std::floor(p) : p);
  };
}
Schedule PiecewiseConstantDecay(std::vector<int64_t> boundaries, std::vector<double> values) {
  return [=](int64_t step) {
    for (size_t i = 0; i < boundaries.size() && i < values.size(); ++i)
      if (step < boundaries[i]) return values[i];
    return values.back();
  };
}
}  // namespace schedules

void Optimizer::apply_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars, const Loc& loc) {
  if (grads.size() != vars.size())
    ThrowError(absl::InvalidArgumentError(absl::StrCat("[apply_gradients] ", grads.size(), " gradients for ", vars.size(),
                                                       " variables")),
               loc);
  for (size_t i = 0; i < vars.size(); ++i)
    if (grads[i].defined() && (grads[i].shape() != vars[i].shape() || grads[i].dtype() != vars[i].dtype()))
      ThrowError(absl::InvalidArgumentError(absl::StrCat("[apply_gradients] gradient ", i, " is ", grads[i].spec().to_string(),
                                                         " but variable '", vars[i].name(), "' is ",
                                                         TensorSpec(vars[i].shape(), vars[i].dtype()).to_string())),
                 loc);
  ObserverPause pause;  // updates are not part of any gradient
  if (!executing_eagerly() && learning_rate_.is_schedule())
    ThrowError(absl::UnimplementedError("[apply_gradients] a learning-rate schedule inside a traced function would be "
                                        "frozen at its first value; use a constant rate there"),
               loc);
  double lr = learning_rate_.at(iterations_);
  ++iterations_;
  for (size_t i = 0; i < vars.size(); ++i) {
    if (!grads[i].defined()) continue;
    Variable v = vars[i];
    Update(v, grads[i], lr, iterations_);
  }
}

Tensor Optimizer::minimize(const std::function<Tensor()>& loss_fn, const std::vector<Variable>& vars, const Loc& loc) {
  Tensor loss;
  std::vector<Tensor> grads;
  {  // the tape (and the variable values it holds) goes before the update: updates can be in place
    GradientTape tape;
    loss = loss_fn();
    grads = tape.gradient(loss, std::vector<GradSource>(vars.begin(), vars.end()), loc);
  }
  apply_gradients(grads, vars, loc);
  return loss;
}

Tensor& Optimizer::Slot(const Variable& var, const std::string& name) {
  if (!executing_eagerly())  // slots are C++ state: a trace would freeze them at their first value
    ThrowError(absl::UnimplementedError("[optimizer] momentum/Adam/RMSProp state inside a traced function is not "
                                        "supported yet; use plain SGD there, or step the optimizer eagerly"),
               Loc());
  auto key = std::make_pair(var.state(), name);
  auto it = slots_.find(key);
  if (it != slots_.end()) return it->second;
  slot_owners_.push_back(var);
  return slots_[key] = zeros(var.shape(), var.dtype());
}

void SGD::Update(Variable& var, const Tensor& grad, double lr, int64_t) {
  if (momentum_ == 0) {
    var.assign_add_scaled(grad, -lr);
    return;
  }
  Tensor& velocity = Slot(var, "momentum");
  velocity = sub(mul(velocity, momentum_), mul(grad, lr));
  if (nesterov_) var.assign_add(sub(mul(velocity, momentum_), mul(grad, lr)));
  else var.assign_add(velocity);
}

void Adam::Update(Variable& var, const Tensor& grad, double lr, int64_t step) {
  Tensor& m = Slot(var, "m");
  Tensor& v = Slot(var, "v");
  m = add(mul(m, beta_1_), mul(grad, 1 - beta_1_));
  v = add(mul(v, beta_2_), mul(square(grad), 1 - beta_2_));
  double t = static_cast<double>(step);
  double lr_t = lr * std::sqrt(1 - std::pow(beta_2_, t)) / (1 - std::pow(beta_1_, t));
  var.assign_sub(div(mul(m, lr_t), add(sqrt(v), epsilon_)));
}

void RMSProp::Update(Variable& var, const Tensor& grad, double lr, int64_t) {
  Tensor& ms = Slot(var, "rms");
  ms = add(mul(ms, rho_), mul(square(grad), 1 - rho_));
  Tensor step = div(mul(grad, lr), add(sqrt(ms), epsilon_));
  if (momentum_ == 0) {
    var.assign_sub(step);
    return;
  }
  Tensor& mom = Slot(var, "momentum");
  mom = add(mul(mom, momentum_), step);
  var.assign_sub(mom);
}

}  // namespace duet::optimizers
