// Bad-input catalogue, elementwise family (binary, unary, comparison, cast, where): wrong dtype,
// impossible broadcasts, unrepresentable numbers, integer division by zero, undefined and
// oversized inputs. Each case names the op and this file's line; the runtime stays healthy.
#include <limits>

#include "tests/bad_input/bad_input.h"

namespace duet {
namespace {

Tensor F() { return constant({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}}); }  // float32 (2, 3)
Tensor I() { return constant({1, 2, 3}); }                           // int32 (3,)

TEST(BadInputElementwise, DType) {
  EXPECT_BAD_INPUT(add(F(), I()), "[add]", "float32", "int32");
  EXPECT_BAD_INPUT(sub(I(), constant(1.0)), "[sub]", "int32", "float64");
  EXPECT_BAD_INPUT(mul(constant(true), constant(true)), "[mul]", "bool");
  EXPECT_BAD_INPUT(exp(I()), "[exp]", "int32");
  EXPECT_BAD_INPUT(log(constant(true)), "[log]", "bool");
  EXPECT_BAD_INPUT(sqrt(I()), "[sqrt]", "int32");
  EXPECT_BAD_INPUT(tanh(I()), "[tanh]", "int32");
  EXPECT_BAD_INPUT(logical_and(I(), I()), "[logical_and]", "int32");
  EXPECT_BAD_INPUT(logical_not(F()), "[logical_not]", "float32");
  EXPECT_BAD_INPUT(where(I(), F(), F()), "[where]", "int32");
  EXPECT_BAD_INPUT(where(constant(true), F(), I()), "[where]", "float32", "int32");
  EXPECT_BAD_INPUT(maximum(F(), I()), "[maximum]", "float32", "int32");
}

TEST(BadInputElementwise, Broadcast) {
  EXPECT_BAD_INPUT(add(F(), constant({1.f, 2.f})), "[add]", "(2, 3)", "(2,)");
  EXPECT_BAD_INPUT(F() * zeros({4, 3}), "[mul]", "(4, 3)");
  EXPECT_BAD_INPUT(less(F(), zeros({3, 2})), "[less]", "(3, 2)");
  EXPECT_BAD_INPUT(where(constant({true, false}), F(), F()), "[where]", "(2,)");
  EXPECT_BAD_INPUT(floor_mod(zeros({2, 1, 5}), zeros({3, 4})), "[floor_mod]", "(3, 4)");
}

TEST(BadInputElementwise, Numbers) {
  EXPECT_BAD_INPUT(I() + 1.5, "[add]", "1.5", "int32");
  EXPECT_BAD_INPUT(I() * 1e10, "[mul]", "int32");
  EXPECT_BAD_INPUT(constant(int64_t{1}) - 0.5, "[sub]", "int64");
  // Found by //api/onnx:import_fuzz (UBSan: -inf cast to an integer before the range check).
  EXPECT_BAD_INPUT(I() + -std::numeric_limits<double>::infinity(), "[add]", "-inf", "int32");
  EXPECT_BAD_INPUT(I() * std::numeric_limits<double>::quiet_NaN(), "[mul]", "nan", "int32");
  EXPECT_BAD_INPUT(constant(int64_t{1}) + std::numeric_limits<double>::infinity(), "[add]", "inf",
                   "int64");
}

TEST(BadInputElementwise, IntegerDivisionAndPowers) {
  EXPECT_BAD_INPUT(div(I(), constant({1, 0, 1})), "[div]", "division by zero");
  EXPECT_BAD_INPUT(I() / 0, "[div]", "division by zero");
  EXPECT_BAD_INPUT(floor_mod(I(), 0), "[floor_mod]", "division by zero");
  EXPECT_BAD_INPUT(pow(I(), constant({1, -1, 2})), "[pow]", "negative");
}

TEST(BadInputElementwise, Undefined) {
  Tensor none;
  EXPECT_BAD_INPUT(add(none, F()), "[add] input 0", "undefined");
  EXPECT_BAD_INPUT(F() - none, "[sub] input 1", "undefined");
  EXPECT_BAD_INPUT(neg(none), "[neg]", "undefined");
  EXPECT_BAD_INPUT(exp(none), "[exp]", "undefined");
  EXPECT_BAD_INPUT(equal(none, 1), "[equal]", "undefined");
  EXPECT_BAD_INPUT(where(none, F(), F()), "[where]", "undefined");
  EXPECT_BAD_INPUT(cast(none, DType::kInt32), "[cast]", "undefined");
  EXPECT_BAD_INPUT(none > 0.f, "[greater]", "undefined");
}

TEST(BadInputElementwise, OversizedAndEmpty) {
  Tensor col = zeros({1 << 20, 1}, DType::kInt32), row = zeros({1, 1 << 20}, DType::kInt32);
  EXPECT_BAD_INPUT(add(col, row), "[add] output 0", "(1048576, 1048576)", "tensor limit");  // 4 TiB
  EXPECT_BAD_INPUT(less(col, row), "[less] output 0", "tensor limit");
  EXPECT_BAD_INPUT(zeros({0, 3}) + zeros({2, 3}), "[add]", "(0, 3)", "(2, 3)");
  EXPECT_EQ((zeros({0, 3}) + 1.f).shape(), Shape({0, 3}));  // empty is fine
}

}  // namespace
}  // namespace duet
