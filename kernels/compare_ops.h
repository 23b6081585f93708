// Comparisons (broadcasting, returning bool), logical ops on bool tensors, and where().
// Example: where(x > 0.f, x, 0.f) keeps the positive entries of x.
#pragma once

#include "runtime/operand.h"

namespace duet {

Tensor equal(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor not_equal(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor less(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor less_equal(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor greater(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor greater_equal(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor logical_and(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor logical_or(const Operand& x, const Operand& y, const Loc& loc = Loc::current());
Tensor logical_not(const Operand& x, const Loc& loc = Loc::current());
// Elementwise select; cond (bool), x and y broadcast together. Numbers take x/y's dtype.
Tensor where(const Operand& cond, const Operand& x, const Operand& y,
             const Loc& loc = Loc::current());

}  // namespace duet
