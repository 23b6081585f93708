// An elementwise op's scalar meaning, for code generators (DESIGN.md: "scalar meaning for code
// generation"). The facet is declared in the op's registration beside its gradient, so eager
// kernels and generated code are defined in one place, and a registry test fails for any
// elementwise op without one. A facet builds one element's outputs from its inputs' values
// through a ScalarBuilder, which each code generator implements (compiler/codegen emits MLIR
// arith/math ops, on scalars and on vectors alike); nothing here knows MLIR.
// Example (kernels/unary_ops.cc declares tanh's through its DUET_UNARY macro):
//   ScalarList TanhScalar(const ScalarContext& c) {
//     return ScalarList{c.b.Unary(ScalarUnary::kTanh, c.in(0))};
//   }
//   const OpDef& kTanh = OpBuilder("tanh")...Scalar(TanhScalar).Build();
#pragma once

#include <cstdint>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "runtime/attr.h"
#include "runtime/dtype.h"

namespace duet {

struct OpDef;

using ScalarValue = int32_t;  // a builder's handle for one value
using ScalarList = absl::InlinedVector<ScalarValue, 1>;

// kReciprocal is 1 / x for x finite and nonzero, within 2 ulp (generated code may refine the
// hardware estimate instead of dividing); use kDiv where x may be anything.
enum class ScalarUnary : uint8_t {
  kNeg,
  kAbs,
  kExp,
  kLog,
  kLog1p,
  kSqrt,
  kRsqrt,
  kTanh,
  kSin,
  kCos,
  kFloor,
  kNot,
  kReciprocal
};
// kDiv and kRem on integers floor and truncate like C++; kRem on floats is fmod.
enum class ScalarBinary : uint8_t { kAdd, kSub, kMul, kDiv, kRem, kPow, kMax, kMin, kAnd, kOr };
enum class ScalarCompare : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };  // NaN: only kNe holds

// Implemented by a code generator. A primitive it cannot emit exactly as eager computes it
// (an integer division that could trap, a dtype it does not handle) is recorded as the
// builder's failure and the region stays on the tile interpreter; a facet never checks.
class ScalarBuilder {
 public:
  virtual ~ScalarBuilder() = default;
  virtual DType dtype(ScalarValue v) const = 0;
  virtual ScalarValue Constant(double value, DType dtype) = 0;
  virtual ScalarValue Unary(ScalarUnary fn, ScalarValue x) = 0;
  virtual ScalarValue Binary(ScalarBinary fn, ScalarValue x, ScalarValue y) = 0;
  virtual ScalarValue Compare(ScalarCompare cmp, ScalarValue x, ScalarValue y) = 0;  // -> bool
  virtual ScalarValue Select(ScalarValue cond, ScalarValue x, ScalarValue y) = 0;
  virtual ScalarValue Cast(ScalarValue x, DType to) = 0;  // as kernels/cpu/cast_loops.h

  ScalarValue Like(double value, ScalarValue v) { return Constant(value, dtype(v)); }
  ScalarValue Add(ScalarValue x, ScalarValue y) { return Binary(ScalarBinary::kAdd, x, y); }
  ScalarValue Mul(ScalarValue x, ScalarValue y) { return Binary(ScalarBinary::kMul, x, y); }
  ScalarValue Div(ScalarValue x, ScalarValue y) { return Binary(ScalarBinary::kDiv, x, y); }
};

// What a facet sees: the op, its attrs and one value per input.
struct ScalarContext {
  const OpDef& op;
  ScalarBuilder& b;
  absl::Span<const ScalarValue> inputs;
  const Attrs& attrs;
  ScalarValue in(int i) const { return inputs[i]; }
};
using ScalarFn = ScalarList (*)(const ScalarContext&);

}  // namespace duet
