// Broadcasting binary arithmetic: add sub mul div pow maximum minimum floor_mod.
// Both sides share a dtype (no implicit promotion); a C++ number takes the tensor's dtype.
// Integer div is floor division and floor_mod takes the divisor's sign (TF/Python semantics),
// so x == div(x, y) * y + floor_mod(x, y); integer division by zero is an error (as TF on CPU).
// Integer overflow wraps modulo 2^bits, as TF's CPU kernels do (never undefined behaviour):
// INT_MAX + 1 == INT_MIN, div(INT_MIN, -1) == INT_MIN, floor_mod(INT_MIN, -1) == 0.
// Example: add(constant({1, 2}), 1) -> [2 3] int32.
#pragma once

#include "runtime/operand.h"

namespace duet {

Tensor add(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor sub(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor mul(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor div(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor pow(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor maximum(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor minimum(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor floor_mod(const Operand& x, const Operand& y, const Loc& loc = Loc::current());

}  // namespace duet
