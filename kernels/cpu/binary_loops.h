// CPU loops of the broadcasting binary ops (arithmetic, comparisons, logical and/or), compiled
// for each Highway target and dispatched at run time (baseline x86-64, AVX2, AVX-512).
// Arithmetic: float32/float64/int32/int64 in and out; integer div/floor_mod/pow follow Python
// (floor division, result sign of the divisor), and callers reject zero divisors and
// negative integer exponents first. Comparisons: those four dtypes and bool in, bool out.
// Logical and/or: bool. Float pow is vmath.h's VectorPow.
// Example: Binary(BinaryOp::kAdd, a, b, out);  // out already has the broadcast shape
#pragma once

#include "runtime/tensor.h"

namespace duet::cpu {

enum class BinaryOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kPow,
  kMaximum,
  kMinimum,
  kFloorMod,  // arithmetic
  kReluGrad,  // relu's gradient (a = dy, b = x): dy where x > 0, else 0
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,  // comparisons
  kLogicalAnd,
  kLogicalOr,
};

// False (nothing written) when the op has no loop for a's dtype.
bool Binary(BinaryOp op, const Tensor& a, const Tensor& b, Tensor& out);

}  // namespace duet::cpu
