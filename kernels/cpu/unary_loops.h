// CPU loops of the elementwise unary ops, dispatched at run time per ISA target. The
// transcendental ones are vmath.h's vector math (float32/float64, documented ulp bounds); neg,
// abs, square and relu also take int32/int64; floor takes floats; logical_not takes bool.
// Example: Unary(UnaryOp::kTanh, x, out);  // out has x's shape and dtype
#pragma once

#include "runtime/tensor.h"

namespace duet::cpu {

enum class UnaryOp {
  kNeg,
  kAbs,
  kSquare,
  kRelu,
  kFloor,
  kLogicalNot,
  kExp,
  kLog,
  kLog1p,
  kTanh,
  kSigmoid,
  kSoftplus,
  kSqrt,
  kRsqrt,
  kSin,
  kCos,
};

// False (nothing written) when the op has no loop for x's dtype.
bool Unary(UnaryOp op, const Tensor& x, Tensor& out);

}  // namespace duet::cpu
