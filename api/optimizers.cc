#include "api/optimizers.h"

#include "absl/strings/str_cat.h"
#include "eager/gradient_tape.h"
#include "kernels/binary_ops.h"
#include "kernels/cast_ops.h"
#include "kernels/compare_ops.h"
#include "kernels/unary_ops.h"
#include "runtime/context.h"
#include "runtime/dispatch.h"
#include "runtime/tensor_factory.h"

namespace duet::optimizers {

Tensor LearningRate::at(const Tensor& step, const Loc& loc) const {
  if (!schedule_) return constant(value_);
  Tensor lr = schedule_(step);
  if (!lr.defined() || lr.rank() != 0)
    ThrowError(absl::InvalidArgumentError(
                   absl::StrCat("[learning_rate] a schedule must return a scalar, got ",
                                lr.defined() ? lr.spec().to_string() : "an undefined tensor")),
               loc);
  return lr.dtype() == DType::kFloat64 ? lr : cast(lr, DType::kFloat64, loc);
}

namespace schedules {
Schedule ExponentialDecay(double initial, int64_t decay_steps, double rate, bool staircase) {
  return [=](const Tensor& step) {
    Tensor p = div(step, static_cast<double>(decay_steps));
    return mul(pow(rate, staircase ? floor(p) : p), initial);
  };
}

Schedule PiecewiseConstantDecay(std::vector<int64_t> boundaries, std::vector<double> values,
                                const Loc& loc) {
  if (values.size() != boundaries.size() + 1)
    ThrowError(absl::InvalidArgumentError(absl::StrCat(
                   "[PiecewiseConstantDecay] needs one more value than boundaries, got ",
                   values.size(), " values for ", boundaries.size(), " boundaries")),
               loc);
  return [=](const Tensor& step) {
    Tensor lr = constant(values.back());
    for (size_t i = boundaries.size(); i-- > 0;)
      lr = where(less(step, static_cast<double>(boundaries[i])), constant(values[i]), lr);
    return lr;
  };
}
}  // namespace schedules

Tensor StepContext::lr(DType dtype) {
  if (dtype == DType::kFloat64) return lr64_;
  auto it = lr_.find(dtype);
  return it != lr_.end() ? it->second : lr_[dtype] = cast(lr64_, dtype);
}

Tensor StepContext::t(DType dtype) {
  if (dtype == DType::kFloat64) return t64_;
  auto it = t_.find(dtype);
  return it != t_.end() ? it->second : t_[dtype] = cast(t64_, dtype);
}

Optimizer::Optimizer(LearningRate learning_rate)
    : learning_rate_(std::move(learning_rate)),
      iterations_(constant(int64_t{0}), "iterations", /*trainable=*/false) {}

void Optimizer::apply_gradients(const std::vector<Tensor>& grads, const std::vector<Variable>& vars,
                                const Loc& loc) {
  if (grads.size() != vars.size())
    ThrowError(
        absl::InvalidArgumentError(absl::StrCat("[apply_gradients] ", grads.size(),
                                                " gradients for ", vars.size(), " variables")),
        loc);
  for (size_t i = 0; i < vars.size(); ++i)
    if (grads[i].defined() &&
        (grads[i].shape() != vars[i].shape() || grads[i].dtype() != vars[i].dtype()))
      ThrowError(absl::InvalidArgumentError(absl::StrCat(
                     "[apply_gradients] gradient ", i, " is ", grads[i].spec().to_string(),
                     " but variable '", vars[i].name(), "' is ",
                     TensorSpec(vars[i].shape(), vars[i].dtype()).to_string())),
                 loc);
  ObserverPause pause;  // updates are not part of any gradient
  // Everything below is tensor ops on Variables, so a trace records the step instead of freezing
  // it.
  Tensor step = cast(iterations_.value(loc), DType::kFloat64, loc);
  Tensor t = add(step, 1.0, loc);
  StepContext context(StepScale(learning_rate_.at(step, loc), t), t, learning_rate_.fixed());
  for (size_t i = 0; i < vars.size(); ++i) {
    if (!grads[i].defined()) continue;
    Variable v = vars[i];
    Update(v, grads[i], context);
  }
  iterations_.assign_add(1, loc);
}

Tensor Optimizer::minimize(const std::function<Tensor()>& loss_fn,
                           const std::vector<Variable>& vars, const Loc& loc) {
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

double Optimizer::current_learning_rate(const Loc& loc) const {
  Tensor step = cast(iterations_.value(loc), DType::kFloat64, loc);
  return learning_rate_.at(step, loc).item<double>(loc);
}

std::vector<std::pair<std::string, Variable>> Optimizer::tracked_variables() const {
  std::vector<std::pair<std::string, Variable>> out{{"iterations", iterations_}};
  out.insert(out.end(), slot_list_.begin(), slot_list_.end());
  return out;
}

bool Optimizer::accepts_deferred(const std::string& path) const {
  return path.find('/') != std::string::npos;
}

Variable& Optimizer::Slot(const Variable& var, const std::string& name) {
  auto key = std::make_pair(var.state(), name);
  auto it = slots_.find(key);
  if (it != slots_.end()) return it->second;
  // Made eagerly even while tracing: real state the trace then reads and assigns.
  ExecutorScope eager(DefaultExecutor());
  ObserverPause pause;
  std::string path = absl::StrCat(name, "/", var.name());
  int same = 0;
  for (const auto& [existing, unused] : slot_list_)
    same += existing == path || existing.rfind(path + "_", 0) == 0;
  if (same)
    absl::StrAppend(&path, "_",
                    same);  // variables should have unique names; keep paths unique anyway
  Variable slot(zeros(var.shape(), var.dtype()), path, /*trainable=*/false);
  slot_owners_.push_back(var);
  slot_list_.emplace_back(path, slot);
  OnVariableCreated(path, slot);
  return slots_[key] = slot;
}

}  // namespace duet::optimizers
