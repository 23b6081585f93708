// The update rules of SGD, Adam and RMSProp (Keras' formulas), on slot Variables.
#include "api/optimizers.h"
#include "kernels/binary_ops.h"
#include "kernels/unary_ops.h"

namespace duet::optimizers {

void SGD::Update(Variable& var, const Tensor& grad, StepContext& step) {
  if (momentum_ == 0) {
    if (step.constant_lr())
      var.assign_add_scaled(grad, -*step.constant_lr());  // in place when it can
    else
      var.assign_sub(mul(grad, step.lr(var.dtype())));
    return;
  }
  Variable& velocity = Slot(var, "momentum");
  Tensor scaled_grad = mul(grad, step.lr(var.dtype()));
  Tensor v = sub(mul(velocity.value(), momentum_), scaled_grad);
  velocity.assign(v);
  if (nesterov_)
    var.assign_add(sub(mul(v, momentum_), scaled_grad));
  else
    var.assign_add(v);
}

Tensor Adam::StepScale(const Tensor& lr, const Tensor& t) {
  return div(mul(lr, sqrt(sub(1.0, pow(beta_2_, t)))), sub(1.0, pow(beta_1_, t)));
}

void Adam::Update(Variable& var, const Tensor& grad, StepContext& step) {
  Variable& m = Slot(var, "m");
  Variable& v = Slot(var, "v");
  Tensor m_new = add(mul(m.value(), beta_1_), mul(grad, 1 - beta_1_));
  Tensor v_new = add(mul(v.value(), beta_2_), mul(square(grad), 1 - beta_2_));
  m.assign(m_new);
  v.assign(v_new);
  var.assign_sub(div(mul(m_new, step.lr(var.dtype())), add(sqrt(v_new), epsilon_)));
}

void RMSProp::Update(Variable& var, const Tensor& grad, StepContext& step) {
  Variable& ms = Slot(var, "rms");
  Tensor ms_new = add(mul(ms.value(), rho_), mul(square(grad), 1 - rho_));
  ms.assign(ms_new);
  Tensor delta = div(mul(grad, step.lr(var.dtype())), add(sqrt(ms_new), epsilon_));
  if (momentum_ == 0) {
    var.assign_sub(delta);
    return;
  }
  Variable& mom = Slot(var, "momentum");
  Tensor mom_new = add(mul(mom.value(), momentum_), delta);
  mom.assign(mom_new);
  var.assign_sub(mom_new);
}

}  // namespace duet::optimizers
