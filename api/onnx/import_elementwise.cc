// ONNX elementwise ops (math, activations, comparisons, logic, variadic Sum/Mean/Max/Min,
// Clip, Where) as duet ops. ONNX and duet both broadcast NumPy-style. Where the semantics
// differ they are composed: ONNX integer Div truncates (duet's floors), Mod's fmod=1 truncates,
// Pow's exponent may have another dtype than the base.
#include <limits>

#include "api/onnx/import_registry.h"
#include "api/onnx/ops.h"

namespace duet::onnx::internal {
namespace {

#define UNARY(op_type, expr)                                                \
  ImportResult Import##op_type(NodeContext& n) {                            \
    if (!n.has(0)) return absl::InvalidArgumentError("input 0 is missing"); \
    const Tensor& x = n.in(0);                                              \
    return Outputs(expr);                                                   \
  }                                                                         \
  DUET_ONNX_IMPORT(op_type, Import##op_type)

UNARY(Abs, abs(x));
UNARY(Neg, neg(x));
UNARY(Exp, exp(x));
UNARY(Log, log(x));
UNARY(Sqrt, sqrt(x));
UNARY(Tanh, tanh(x));
UNARY(Sigmoid, sigmoid(x));
UNARY(Relu, relu(x));
UNARY(Softplus, softplus(x));
UNARY(Sin, sin(x));
UNARY(Cos, cos(x));
UNARY(Tan, sin(x) / cos(x));
UNARY(Floor, floor(x));
UNARY(Ceil, neg(floor(neg(x))));
UNARY(Reciprocal, 1.0 / x);
UNARY(Identity, identity(x));
UNARY(Not, logical_not(x));
UNARY(Sign, cast(x > 0, x.dtype()) - cast(x < 0, x.dtype()));
UNARY(Softsign, x / (1.0 + abs(x)));
UNARY(Mish, x* tanh(softplus(x)));
UNARY(LeakyRelu, where(x < 0, x* n.attr_float("alpha", 0.01f), x));
UNARY(Elu, where(x < 0, (exp(x) - 1.0) * n.attr_float("alpha", 1.f), x));
UNARY(ThresholdedRelu, where(x > n.attr_float("alpha", 1.f), x, 0.0));
UNARY(Selu, where(x <= 0, (exp(x) - 1.0) * n.attr_float("alpha", 1.67326319217681884765625f), x) *
                n.attr_float("gamma", 1.05070102214813232421875f));
UNARY(Celu,
      maximum(x, 0.0) +
          minimum((exp(x / n.attr_float("alpha", 1.f)) - 1.0) * n.attr_float("alpha", 1.f), 0.0));
UNARY(HardSigmoid,
      maximum(minimum(x* n.attr_float("alpha", 0.2f) + n.attr_float("beta", 0.5f), 1.0), 0.0));
UNARY(Sinh, (exp(x) - exp(neg(x))) * 0.5);
UNARY(Cosh, (exp(x) + exp(neg(x))) * 0.5);
UNARY(Asinh, log(x + sqrt(square(x) + 1.0)));
UNARY(Acosh, log(x + sqrt(square(x) - 1.0)));
UNARY(Atanh, log((1.0 + x) / (1.0 - x)) * 0.5);
UNARY(IsNaN, x != x);
UNARY(IsInf, logical_or(logical_and(x == std::numeric_limits<double>::infinity(),
                                    n.attr_int("detect_positive", 1) != 0),
                        logical_and(x == -std::numeric_limits<double>::infinity(),
                                    n.attr_int("detect_negative", 1) != 0)));
UNARY(HardSwish, x* maximum(minimum(x*(1.0 / 6) + 0.5, 1.0), 0.0));
#undef UNARY

#define BINARY(op_type, expr)                    \
  ImportResult Import##op_type(NodeContext& n) { \
    RETURN_IF_ERROR(n.require_inputs(2));        \
    const Tensor& a = n.in(0);                   \
    const Tensor& b = n.in(1);                   \
    return Outputs(expr);                        \
  }                                              \
  DUET_ONNX_IMPORT(op_type, Import##op_type)

// x / y rounded toward zero, from duet's floor division.
Tensor TruncDiv(const Tensor& a, const Tensor& b) {
  Tensor q = div(a, b);
  return where(logical_and(floor_mod(a, b) != 0, (a < 0) != (b < 0)), q + 1, q);
}
// C's fmod: the remainder takes the dividend's sign.
Tensor FMod(const Tensor& a, const Tensor& b) {
  if (IsInteger(a.dtype())) return a - TruncDiv(a, b) * b;
  Tensor q = a / b;
  Tensor t = where(q < 0, neg(floor(neg(q))), floor(q));
  return a - t * b;
}

BINARY(Add, add(a, b));
BINARY(Sub, sub(a, b));
BINARY(Mul, mul(a, b));
BINARY(Div, IsInteger(a.dtype()) ? TruncDiv(a, b) : div(a, b));
BINARY(Mod, n.attr_int("fmod", 0) ? FMod(a, b) : floor_mod(a, b));
BINARY(Pow, pow(a, b.dtype() == a.dtype() ? b : cast(b, a.dtype())));
BINARY(PRelu, where(a < 0, a* b, a));
BINARY(Equal, equal(a, b));
BINARY(Less, less(a, b));
BINARY(LessOrEqual, less_equal(a, b));
BINARY(Greater, greater(a, b));
BINARY(GreaterOrEqual, greater_equal(a, b));
BINARY(And, logical_and(a, b));
BINARY(Or, logical_or(a, b));
BINARY(Xor, not_equal(a, b));
#undef BINARY

template <Tensor (*kFold)(const Operand&, const Operand&, const Loc&)>
ImportResult Variadic(NodeContext& n, bool mean) {
  if (n.num_inputs() < 1) return absl::InvalidArgumentError("needs at least one input");
  RETURN_IF_ERROR(n.require_inputs(n.num_inputs()));
  Tensor acc = n.in(0);
  for (int i = 1; i < n.num_inputs(); ++i) acc = kFold(acc, n.in(i), Loc::current());
  if (n.num_inputs() == 1) acc = identity(acc);
  if (mean) acc = acc / static_cast<double>(n.num_inputs());
  return Outputs(acc);
}
DUET_ONNX_IMPORT(Sum, [](NodeContext& n) { return Variadic<add>(n, false); });
DUET_ONNX_IMPORT(Mean, [](NodeContext& n) { return Variadic<add>(n, true); });
DUET_ONNX_IMPORT(Max, [](NodeContext& n) { return Variadic<maximum>(n, false); });
DUET_ONNX_IMPORT(Min, [](NodeContext& n) { return Variadic<minimum>(n, false); });

ImportResult ImportWhere(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(3));
  return Outputs(where(n.in(0), n.in(1), n.in(2)));
}
DUET_ONNX_IMPORT(Where, ImportWhere);

// Opset < 11: min/max attributes; later: optional tensor inputs 1 and 2.
ImportResult ImportClip(NodeContext& n) {
  RETURN_IF_ERROR(n.require_inputs(1));
  Tensor y = n.in(0);
  if (n.opset() < 11) {
    y = maximum(y, n.attr_float("min", -std::numeric_limits<float>::infinity()));
    return Outputs(minimum(y, n.attr_float("max", std::numeric_limits<float>::infinity())));
  }
  if (n.has(1)) y = maximum(y, n.in(1));
  if (n.has(2)) y = minimum(y, n.in(2));
  return Outputs(n.has(1) || n.has(2) ? y : identity(y));
}
DUET_ONNX_IMPORT(Clip, ImportClip);

}  // namespace
}  // namespace duet::onnx::internal
