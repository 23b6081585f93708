// Elementwise unary math. Float-only ops (exp, log, ...) reject integer inputs with a clear
// error; neg/abs/square/relu also take int32/int64. identity and stop_gradient return the
// same values (stop_gradient blocks gradients).
// Example: relu(constant({-1.f, 2.f})) -> [0. 2.]
#pragma once

#include "runtime/operand.h"

namespace duet {

Tensor neg(const Operand& x, const Loc& loc = Loc::current());
Tensor abs(const Operand& x, const Loc& loc = Loc::current());
Tensor square(const Operand& x, const Loc& loc = Loc::current());
Tensor relu(const Operand& x, const Loc& loc = Loc::current());
// relu's gradient: dy where x > 0, else 0 (TF's ReluGrad).
Tensor relu_grad(const Operand& dy, const Operand& x, const Loc& loc = Loc::current());
Tensor exp(const Operand& x, const Loc& loc = Loc::current());
Tensor log(const Operand& x, const Loc& loc = Loc::current());
Tensor log1p(const Operand& x, const Loc& loc = Loc::current());
Tensor sqrt(const Operand& x, const Loc& loc = Loc::current());
Tensor rsqrt(const Operand& x, const Loc& loc = Loc::current());
Tensor tanh(const Operand& x, const Loc& loc = Loc::current());
Tensor sigmoid(const Operand& x, const Loc& loc = Loc::current());
Tensor softplus(const Operand& x, const Loc& loc = Loc::current());
Tensor sin(const Operand& x, const Loc& loc = Loc::current());
Tensor cos(const Operand& x, const Loc& loc = Loc::current());
Tensor floor(const Operand& x, const Loc& loc = Loc::current());
Tensor identity(const Tensor& x, const Loc& loc = Loc::current());
Tensor stop_gradient(const Tensor& x, const Loc& loc = Loc::current());

}  // namespace duet
