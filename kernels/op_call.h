// Helpers for typed op functions (add, matmul, ...): turn Operands into tensors and dispatch,
// throwing duet::Error with the user's line. Kept tiny: this is the eager hot path.
#pragma once

#include "runtime/dispatch.h"
#include "runtime/operand.h"

namespace duet {

inline Tensor CallBinary(const OpDef& op, const Operand& x, const Operand& y, const Loc& loc,
                         const Attrs& attrs = {}) {
  if (!x.is_number() && !y.is_number()) [[likely]]
    return Call(op, {x.tensor(), y.tensor()}, attrs, loc);
  auto xy = ValueOrThrow(ResolveOperands(op.name.c_str(), x, y), loc);
  return Call(op, {xy.first, xy.second}, attrs, loc);
}

inline Tensor CallUnary(const OpDef& op, const Operand& x, const Loc& loc,
                        const Attrs& attrs = {}) {
  if (!x.is_number()) [[likely]]
    return Call(op, {x.tensor()}, attrs, loc);
  return Call(op, {ValueOrThrow(x.ToTensor(op.name.c_str()), loc)}, attrs, loc);
}

}  // namespace duet
